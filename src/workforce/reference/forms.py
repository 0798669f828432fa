from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.core.forms import VersionForm


class ReferenceRecordForm(VersionForm):
    """The editable part of a reference row: its name, and whether it may still be chosen."""

    name = forms.CharField(label=_("名称"), max_length=100)
    is_active = forms.BooleanField(label=_("有效（可在表单中选用）"), required=False)
