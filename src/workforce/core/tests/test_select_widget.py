"""Select widgets render their options through core/templatetags/widgets.py (one filter instead of one
included template per option): the same HTML as Django's own templates, blank lines aside."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.signals import template_rendered

from workforce.reference.models import Occupation


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("x", 'A<b>&"c'), ("组", [("1", "一"), ("2", "二")])],
                              initial="2")
    several = forms.MultipleChoiceField(choices=[("1", "x"), ("2", "y")], initial=["1", "2"], disabled=True)
    yes_no = forms.NullBooleanField()
    attrs = forms.ChoiceField(choices=[("a", "a")], widget=forms.Select(attrs={"data-x": '"q"', "autofocus": True}))
    occupation = forms.ModelChoiceField(queryset=Occupation.objects.order_by("code")[:30], required=False)


class RadioOptions(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


def without_blank_lines(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


@pytest.mark.django_db
def test_selects_render_the_same_options_as_djangos_templates():
    ours, djangos = Choices(initial={"occupation": Occupation.objects.order_by("code")[3]}), Choices(
        initial={"occupation": Occupation.objects.order_by("code")[3]}, renderer=DjangoTemplates())

    for name in Choices.base_fields:
        assert without_blank_lines(str(ours[name])) == without_blank_lines(str(djangos[name])), name
    assert 'A&lt;b&gt;&amp;&quot;c' in str(ours["plain"]) and '<optgroup label="组">' in str(ours["plain"])
    assert str(ours["occupation"]).count("<option") == 31


def test_an_option_with_a_template_of_its_own_is_still_rendered_by_it():
    widget = RadioOptions(choices=[("a", "甲")])

    assert without_blank_lines(widget.render("w", "a")) == without_blank_lines(
        widget.render("w", "a", renderer=DjangoTemplates()))
    assert "<label><input" in widget.render("w", "a")


def test_a_select_renders_no_template_per_option():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = forms.Select(choices=[(str(n), str(n)) for n in range(300)]).render("w", "7")
    finally:
        template_rendered.disconnect(record)

    assert html.count("<option") == 300 and '<option value="7" selected>7</option>' in html
    assert "django/forms/widgets/select_option.html" not in rendered
