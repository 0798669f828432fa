"""Page forms: parse input into the shapes the services take; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.forms import VersionForm
from workforce.core.widgets import ChooserInput
from workforce.reference.models import Division, Industry, Occupation, SkillLevel
from workforce.reference.services import PANZHIHUA_CODE
from workforce.registry.choices import (
    POLITICAL_STATUS_UNSTATED,
    CertificateKind,
    ContractType,
    Education,
    EmployerFactKind,
    Gender,
    HukouType,
    LegalPersonKind,
    NewEmploymentGroup,
    Ownership,
    PoliticalStatus,
    PostCategory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkerForm(VersionForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=40,
                                help_text=_("18 位；15 位旧号码将自动升位"))
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE, required=False,
                                 help_text=_("可不填，将由身份证号码得出；填写时须一致"))
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—")] + Gender.choices, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    # No preselected value: a default would silently count a rural worker as urban (§12 migrant workers) or a
    # party member as not one; the person registering must choose (issue 15).
    hukou_type = forms.ChoiceField(label=_("户口性质"), choices=[("", _("请选择"))] + HukouType.choices)
    education = forms.ChoiceField(label=_("文化程度"), choices=[("", "—")] + Education.choices, required=False)
    # 未填报 is a choice of its own (stored blank), never the empty prompt: a worker who does not say is not
    # counted as one of the masses (issue 15), and choosing it is as deliberate as choosing a status.
    political_status = forms.ChoiceField(
        label=_("政治面貌"),
        choices=[("", _("请选择")), *PoliticalStatus.choices, ("unstated", POLITICAL_STATUS_UNSTATED)],
        help_text=_("职工未说明的选“未填报”，不要按群众填写：未填报的不计入党员比例，单独统计。"))
    new_employment_group = forms.ChoiceField(label=_("新就业形态群体"), choices=NewEmploymentGroup.choices,
                                             required=False)
    clear_phone = forms.BooleanField(label=_("删除手机号码"), required=False,
                                     help_text=_("职工已停用该号码且没有新号码时勾选"))
    effective_on = forms.DateField(label=_("变更生效日期"), widget=DATE, required=False,
                                   help_text=_("户口性质、文化程度等变化自哪天起生效，默认今天"))

    KEPT_UNLESS_CHOSEN = ("hukou_type", "political_status")
    UNSTATED = "unstated"  # the form's code of 未填报, stored as a blank political status

    @classmethod
    def stored(cls, name: str, value):
        """The value the services take for field ``name`` chosen as ``value`` (未填报 is stored blank)."""
        return "" if name == "political_status" and value == cls.UNSTATED else value

    def __init__(self, *args, editing: bool = False, masked: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing or not (masked or {}).get("phone"):
            del self.fields["clear_phone"]  # nothing to delete
        if not editing:
            del self.fields["version"]
            del self.fields["effective_on"]
            return
        self.fields["id_number"].required = False
        for name, shown in (masked or {}).items():
            self.fields[name].widget.attrs["placeholder"] = shown
            self.fields[name].help_text = _("当前：%(shown)s。留空表示不修改，填写则更正为新值。") % {
                "shown": shown or "—"}
        # Decision 0009: the stored hukou and political status are not put into the page either; the
        # blank choice keeps them.
        for name in self.KEPT_UNLESS_CHOSEN:
            field = self.fields[name]
            field.choices = [("", _("不变（已隐藏）")), *field.choices[1:]]
            field.required = False
            field.help_text = _("当前值已隐藏；选择新值则更正。")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_phone") and cleaned.get("phone"):
            self.add_error("clear_phone", _("填写了新号码就不能同时删除号码，请二选一。"))
        return cleaned


class EmploymentForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("用人单位"), queryset=None, error_messages={
        "required": _("请选择用人单位。"),
        "invalid_choice": _("请从列表中选择用人单位（只能选择您可以登记的单位）。")})
    occupation = forms.ModelChoiceField(label=_("职业"), queryset=Occupation.objects.filter(is_active=True),
                                        required=False)
    start_date = forms.DateField(label=_("入职日期"), widget=DATE)
    end_date = forms.DateField(label=_("离职日期"), widget=DATE, required=False)
    is_contract_signed = forms.BooleanField(label=_("已签劳动合同"), required=False)
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=[("", "—")] + ContractType.choices,
                                      required=False)
    contract_start = forms.DateField(label=_("合同起始日期"), widget=DATE, required=False)
    contract_end = forms.DateField(label=_("合同终止日期"), widget=DATE, required=False)
    is_dispatched = forms.BooleanField(label=_("劳务派遣"), required=False)
    # Blank is unknown: never preselected, a default would move the worker into or out of the front-line figures.
    post_category = forms.ChoiceField(label=_("岗位类别"), choices=PostCategory.choices, required=False,
                                      help_text=_("一线职工、专业技术人员或管理人员；不清楚可不填"))

    def __init__(self, *args, employers, active_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        field.queryset = employers
        # Chosen by typing (issue 15's employer chooser): a <select> would list every employer the user may
        # see, thousands for the city. The options come from the same scoped list; the field still checks
        # that the id sent is one of ``employers``.
        field.widget = ChooserInput(
            reverse("registry:employer_choices") + ("?active=1" if active_only else ""),
            lambda pk: _employer_name(employers, pk), placeholder=_("输入单位名称或统一社会信用代码"),
            search_name="employer_search")
        field.help_text = _("输入单位名称中的字或统一社会信用代码，从列表中选择")
        only = employers[:2]
        if len(only) == 1:
            field.initial = only[0].pk


def _employer_name(employers, pk) -> str | None:
    """The name of employer ``pk`` among ``employers`` (None when it is not one of them or not an id)."""
    try:
        return employers.filter(pk=int(pk)).values_list("name", flat=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


class EndEmploymentForm(VersionForm):
    end_date = forms.DateField(label=_("离职日期（最后工作日）"), widget=DATE)


class ContractForm(forms.Form):
    """A labour contract added to a spell (decision 0020): a renewal, a change (e.g. to open-ended) or its first."""

    kind = forms.ChoiceField(label=_("合同类型"), choices=ContractType.choices)
    start_date = forms.DateField(label=_("合同起始日期"), widget=DATE, help_text=_(
        "续订：从原合同终止后开始；变更（如转为无固定期限）：在原合同期内开始的，原合同于其前一日终止。"))
    end_date = forms.DateField(label=_("合同终止日期"), widget=DATE, required=False,
                               help_text=_("无固定期限劳动合同不填"))
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE, required=False, help_text=_("不清楚可不填"))


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书类型"), choices=CertificateKind.choices)
    occupation = forms.ModelChoiceField(label=_("职业（工种）"), queryset=Occupation.objects.all(), required=False)
    level = forms.ModelChoiceField(label=_("等级"), queryset=SkillLevel.objects.all(), required=False)
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issuer = forms.CharField(label=_("发证机构"), max_length=100)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE, required=False)


class MembershipForm(forms.Form):
    valid_from = forms.DateField(label=_("入会日期"), widget=DATE)


class EndMembershipForm(forms.Form):
    valid_to = forms.DateField(label=_("退会/转出日期"), widget=DATE)


class EmployerForm(VersionForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    name = forms.CharField(label=_("单位名称"), max_length=200)
    district = forms.ModelChoiceField(label=_("所在区县"), queryset=Division.objects.filter(parent_id=PANZHIHUA_CODE))
    industry = forms.ModelChoiceField(label=_("行业（大类）"), queryset=Industry.objects.filter(level="division"))
    ownership = forms.ChoiceField(label=_("经济类型"), choices=Ownership.choices)
    is_above_scale = forms.BooleanField(label=_("规模以上企业"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    effective_on = forms.DateField(label=_("变更生效日期"), widget=DATE, required=False,
                                   help_text=_("所在区县、行业、经济类型、规模以上的变化自哪天起生效，默认今天；"
                                               "更正登记错误请填单位最早的用工日期"))

    # City-wide staff only (``services.update_employer``): the kind decides which enterprise figures count it.
    legal_person_kind = forms.ChoiceField(
        label=_("法人类型（更正）"), required=False,
        help_text=_("法人类型由统一社会信用代码前两位推导（GB 32100）；推导有误时选择正确的类型，"
                    "更正优先于推导，并留有变更记录"))

    def __init__(self, *args, editing: bool = False, may_move: bool = True, derived_kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
            del self.fields["effective_on"]
        elif not may_move:  # decision 0002: only city-wide staff move an employer to another district
            self.fields["district"].disabled = True
            self.fields["district"].help_text = _("迁往其他区县须由市级主管部门变更。")
        if not editing or not may_move:
            del self.fields["legal_person_kind"]
        else:
            derived = LegalPersonKind(derived_kind).label if derived_kind else "—"
            self.fields["legal_person_kind"].choices = [
                ("", _("按统一社会信用代码推导（%(kind)s）") % {"kind": derived}),
                *(choice for choice in LegalPersonKind.choices if choice[0] != LegalPersonKind.UNKNOWN)]


class EmployerFactForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=EmployerFactKind.choices)
    is_independent = forms.BooleanField(label=_("单独建制（仅工会）"), required=False)
    valid_from = forms.DateField(label=_("起始日期"), widget=DATE, help_text=_("集体协商：协商日期"))
    valid_to = forms.DateField(label=_("终止日期"), widget=DATE, required=False,
                               help_text=_("集体协商按次登记，留空"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class MergeForm(forms.Form):
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("合并说明"), max_length=200, required=False)


class DuplicateFilterForm(forms.Form):
    """The duplicates page's conditions: which reason, and (for city-wide users) which district's workers."""

    reason = forms.ChoiceField(label=_("疑似重复的依据"), required=False,
                               choices=[("name_birth", _("姓名和出生日期相同")), ("phone", _("手机号码相同"))])
    district = forms.ChoiceField(label=_("区县"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(user, "district_id", None):  # a district officer's scope is their district already
            del self.fields["district"]
            return
        districts = Division.objects.filter(parent_id=PANZHIHUA_CODE).order_by("code")
        self.fields["district"].choices = [("", _("全部")), *districts.values_list("code", "name")]
