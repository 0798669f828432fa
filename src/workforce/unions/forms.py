"""Forms of the union pages: the review of an application and the walk-in application."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.unions.choices import ApplicationKind
from workforce.unions.models import Organisation


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("批准")), ("refuse", _("不予批准"))])
    reason = forms.CharField(label=_("审核意见"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予批准时必须填写理由，申请人可以看到。"))


class WalkInForm(forms.Form):
    """An application made at the union's desk for a worker who came in (现场办理)."""

    id_number = forms.CharField(label=_("公民身份号码"), max_length=18)
    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices)
    organisation = forms.ModelChoiceField(label=_("受理工会"), queryset=Organisation.objects.none(), required=False,
                                          help_text=_("退会时可不选，由会员所在工会受理。"))
    note = forms.CharField(label=_("申请说明"), max_length=500, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations


class MemberFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("基层工会"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
