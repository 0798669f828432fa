"""Page forms of the skills app: they parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.core.forms import VersionForm
from workforce.reference.models import Occupation, SkillLevel
from workforce.skills.choices import Ground

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE = forms.TextInput(attrs={"inputmode": "decimal", "size": 5})


class SessionForm(forms.Form):
    body: forms.ModelChoiceField = forms.ModelChoiceField(label=_("评价机构"), queryset=None)
    occupation = forms.ModelChoiceField(label=_("职业（工种）"), queryset=Occupation.objects.filter(is_active=True))
    level = forms.ModelChoiceField(label=_("等级"), queryset=SkillLevel.objects.all(), required=False,
                                   empty_label=_("专项职业能力（不分等级）"))
    date = forms.DateField(label=_("认定日期"), widget=DATE)
    venue = forms.CharField(label=_("考核地点"), max_length=200)
    quota = forms.IntegerField(label=_("名额"), min_value=1, max_value=10000)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        # Only the occupations some visible body is accredited for: a short list instead of the whole catalogue.
        self.fields["occupation"].queryset = Occupation.objects.filter(  # type: ignore[attr-defined]
            pk__in=bodies.values("scopes__occupation")).order_by("code")


class RegistrationForm(forms.Form):
    """A registration: the body, HR or the city name the worker by their ID number; a worker registers themself."""

    id_number = forms.CharField(label=_("公民身份号码"), max_length=18, required=False)
    ground = forms.ChoiceField(label=_("申报依据"), choices=Ground.choices, initial=Ground.STANDARD)
    basis = forms.CharField(label=_("特殊依据说明"), max_length=200, required=False,
                            help_text=_("越级、破格、“双证书”申报须填写依据（批复文号、获奖、学籍等）。"))


class ScoresForm(VersionForm):
    theory_score = forms.CharField(label=_("理论知识"), required=False, widget=SCORE)
    practical_score = forms.CharField(label=_("操作技能"), required=False, widget=SCORE)
    defence_score = forms.CharField(label=_("综合评审（答辩）"), required=False, widget=SCORE)
    absent = forms.BooleanField(label=_("缺考"), required=False)


class EligibilityRuleForm(forms.Form):
    code = forms.SlugField(label=_("规则代码"), max_length=40)
    name = forms.CharField(label=_("规则名称"), max_length=100)
    ground = forms.ChoiceField(label=_("申报依据"), choices=Ground.choices)
    target_level = forms.ModelChoiceField(label=_("申报等级"), queryset=SkillLevel.objects.all(), required=False)
    prior_level = forms.ModelChoiceField(label=_("须持有等级"), queryset=SkillLevel.objects.all(), required=False)
    years_with_prior = forms.IntegerField(label=_("持证年限"), min_value=0, max_value=40, required=False)
    years_in_occupation = forms.IntegerField(label=_("从事本职业年限"), min_value=0, max_value=40, required=False)
    max_age = forms.IntegerField(label=_("年龄上限"), min_value=16, max_value=70, required=False)
    requires_basis = forms.BooleanField(label=_("须记录特殊依据"), required=False)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    effective_to = forms.DateField(label=_("失效日期"), widget=DATE, required=False)
    basis_document = forms.CharField(label=_("政策依据"), max_length=200, required=False)


class RuleEndForm(forms.Form):
    effective_to = forms.DateField(label=_("失效日期"), widget=DATE, required=False)


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("截至日期"), widget=DATE, required=False)
