"""Eligibility rules as data: the list (every version, with its period), a new version, a version's end date,
and each version's history (the change log). Only the city administrator edits (``skills.change_eligibilityrule``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from workforce.core.changelog import history_for
from workforce.core.choices import Channel
from workforce.core.forms import add_service_errors, flash_form_result
from workforce.skills import services
from workforce.skills.forms import EligibilityRuleForm, RuleEndForm
from workforce.skills.models import EligibilityRule, PassRule


@login_required
@permission_required("skills.view_eligibilityrule", raise_exception=True)
def rule_list(request):
    rules = EligibilityRule.objects.select_related("target_level", "prior_level").order_by("code", "-version")
    pass_rules = PassRule.objects.select_related("level").order_by("level", "-version")
    return render(request, "skills/rule_list.html", {"rules": rules, "pass_rules": pass_rules})


@login_required
@permission_required("skills.add_eligibilityrule", raise_exception=True)
def rule_create(request):
    initial = {}
    based_on = request.GET.get("from", "")
    if based_on.isdigit():  # a new version of an existing rule starts from its values
        rule = EligibilityRule.objects.filter(pk=based_on).first()
        if rule is not None:
            initial = {name: getattr(rule, name) for name in services.rules.RULE_FIELDS}
            initial["effective_from"] = initial["effective_to"] = None
    form = EligibilityRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.save_eligibility_rule(form.cleaned_data, acting_user=request.user, channel=Channel.PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已新增规则 %(rule)s。") % {"rule": rule})
            return redirect("skills:rule_detail", rule.pk)
    return render(request, "skills/simple_form.html", {"form": form, "title": _("新增申报条件规则版本")})


@login_required
@permission_required("skills.view_eligibilityrule", raise_exception=True)
def rule_detail(request, pk):
    rule = get_object_or_404(EligibilityRule.objects.select_related("target_level", "prior_level"), pk=pk)
    form = RuleEndForm(request.POST or None, initial={"effective_to": rule.effective_to})
    if request.method == "POST":
        if not request.user.has_perm("skills.change_eligibilityrule"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_eligibility_rule({"effective_to": form.cleaned_data["effective_to"]}, rule=rule,
                                               acting_user=request.user, channel=Channel.PAGE)
            except ValidationError as error:
                add_service_errors(form, error)
        flash_form_result(request, form, _("失效日期已保存。"))
        return redirect("skills:rule_detail", rule.pk)
    versions = EligibilityRule.objects.filter(code=rule.code).order_by("-version")
    history = history_for(rule)[:50] if request.user.has_perm("core.view_changelogentry") else []
    return render(request, "skills/rule_detail.html", {"rule": rule, "form": form, "versions": versions,
                                                       "history": history})
