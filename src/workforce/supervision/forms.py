"""Page forms of the supervision module; they parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.accounts.models import Department, User
from workforce.supervision.attachments import allowed_extensions_text, max_bytes
from workforce.supervision.choices import DayUnit, FindingKind, Frequency, ReviewDecision, TaskStatus
from workforce.supervision.models import Measure
from workforce.supervision.services.roadmap import DeadlineInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskForm(forms.Form):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=Department.objects.none())
    title = forms.CharField(label=_("任务"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    due_date = forms.DateField(label=_("完成时限"), widget=DATE)
    status = forms.ChoiceField(label=_("状态"), choices=TaskStatus.choices, initial=TaskStatus.PLANNED)
    indicator_codes = forms.CharField(label=_("关联指标代码"), max_length=300, required=False,
                                      help_text=_("目标指标的代码，多个以逗号分隔。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["owner"].queryset = User.objects.filter(department__in=departments, is_active=True)


class DeadlineForm(forms.Form):
    """A deadline: a date, or a number of calendar or working days from a start date."""

    due_date = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    counted_from = forms.DateField(label=_("或：起算日期"), required=False, widget=DATE)
    days = forms.IntegerField(label=_("期限天数"), required=False, min_value=0, max_value=3650)
    day_unit = forms.ChoiceField(label=_("计算方式"), choices=[("", "—")] + DayUnit.choices, required=False)

    def deadline(self) -> DeadlineInput:
        data = self.cleaned_data
        return DeadlineInput(due_date=data["due_date"], counted_from=data["counted_from"], days=data["days"],
                             day_unit=data["day_unit"])


class MilestoneForm(DeadlineForm):
    title = forms.CharField(label=_("节点"), max_length=200)
    field_order = ["title", "due_date", "counted_from", "days", "day_unit"]


class ReportForm(forms.Form):
    body = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("证明材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = _("可上传 %(types)s 文件，每个不超过 %(limit)s。") % {
            "types": allowed_extensions_text(), "limit": filesizeformat(max_bytes())}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核意见"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审核说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StartReportingForm(forms.Form):
    starts_on = forms.DateField(label=_("报告起始日期"), widget=DATE)
    frequency = forms.ChoiceField(label=_("报告周期"), choices=Frequency.choices)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("督查名称"), max_length=200)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    scope_note = forms.CharField(label=_("督查范围与方式"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.ModelMultipleChoiceField(label=_("督查举措"), queryset=Measure.objects.none(), required=False)
    departments = forms.ModelMultipleChoiceField(label=_("被督查部门"), queryset=Department.objects.none(),
                                                 required=False)
    inspectors = forms.ModelMultipleChoiceField(label=_("督查人员"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = plan.measures.all()
        self.fields["departments"].queryset = Department.objects.filter(measure_links__measure__plan=plan).distinct()
        self.fields["inspectors"].queryset = User.objects.filter(
            is_active=True, role__permissions__codename="view_inspectionround").distinct().order_by("username")


class FindingForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("举措"), queryset=Measure.objects.none())
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=FindingKind.choices)
    text = forms.CharField(label=_("督查发现"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = plan.measures.all()
        self.fields["department"].queryset = Department.objects.filter(measure_links__measure__plan=plan).distinct()


class RectificationForm(DeadlineForm):
    text = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["text", "due_date", "counted_from", "days", "day_unit"]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseRectificationForm(NoteForm):
    decision = forms.ChoiceField(label=_("意见"), choices=[("close", _("同意销号")), ("return", _("退回继续整改"))],
                                 widget=forms.RadioSelect)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class NarrativeForm(forms.Form):
    """The annual report's narrative as the supervision office edits it before export."""

    issuer = forms.CharField(label=_("发文单位"), max_length=100)
    overview = forms.CharField(label=_("总体情况"), widget=forms.Textarea(attrs={"rows": 6}))
    practices = forms.CharField(label=_("主要做法和成效"), widget=forms.Textarea(attrs={"rows": 10}))
    problems = forms.CharField(label=_("存在的问题"), widget=forms.Textarea(attrs={"rows": 8}))
    next_steps = forms.CharField(label=_("下一步工作"), widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
