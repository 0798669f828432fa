"""Forms of the indicator pages: the date a figure is read on, the administrator's edit form and the next
period's target."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workforce.accounts.models import Department
from workforce.indicators.choices import Breakdown, Part
from workforce.indicators.models import Indicator

EARLIEST = datetime.date(2000, 1, 1)


class DateForm(forms.Form):
    """``on``: the day the figures are read on (default today)."""

    on = forms.DateField(label=_("统计日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": _("日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。")})

    def clean_on(self):
        on = self.cleaned_data.get("on") or timezone.localdate()
        if on < EARLIEST or on > datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("统计日期须在 2000 年至 2100 年之间。"))
        return on

    def day(self) -> datetime.date:
        """The valid date, or today when the form is invalid (its errors are shown beside)."""
        return self.cleaned_data["on"] if self.is_valid() else timezone.localdate()


class RecordsForm(DateForm):
    """Which figure's records: numerator or denominator, and a breakdown cell."""

    part = forms.ChoiceField(label=_("明细类型"), choices=Part.choices, required=False,
                             error_messages={"invalid_choice": _("未知的明细类型：%(value)s。")})
    breakdown = forms.ChoiceField(label=_("分组维度"), choices=[("", "")] + Breakdown.choices, required=False,
                                  error_messages={"invalid_choice": _("未知的分组维度：%(value)s。")})
    key = forms.CharField(label=_("分组"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        data["part"] = data.get("part") or Part.NUMERATOR
        data["breakdown"] = data.get("breakdown") or None
        data["key"] = data.get("key") or None
        if data["breakdown"] and not data["key"]:
            self.add_error("key", _("按分组查看明细时须指明分组。"))
        return data


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    breakdowns = forms.MultipleChoiceField(label=_("分组维度"), choices=Breakdown.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    class Meta:
        model = Indicator
        fields = ["name", "name_en", "clause", "description", "description_en", "baseline_value", "baseline_date",
                  "target_value", "target_date", "target_per_district", "direction", "department", "breakdowns",
                  "is_active"]
        widgets = {
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")


class TargetForm(forms.Form):
    """The next period's target of an indicator (the rules are the service's: ``services.add_target``)."""

    value = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2,
                               error_messages={"required": _("请填写目标值。"), "invalid": _("目标值须为数字。"),
                                               "max_decimal_places": _("数值最多保留两位小数。"),
                                               "max_digits": _("目标值过大。"), "max_whole_digits": _("目标值过大。")})
    due_on = forms.DateField(label=_("目标日期"), widget=forms.DateInput(attrs={"type": "date"}),
                             error_messages={"required": _("请填写目标日期。"),
                                             "invalid": _("日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。")})
    note = forms.CharField(label=_("依据"), max_length=200, required=False,
                           help_text=_("例如 市委文件文号"))
