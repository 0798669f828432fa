from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.imports.choices import ImportMode


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("花名册文件"), help_text=_("支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}))
    mode = forms.ChoiceField(label=_("导入方式"), choices=ImportMode.choices, initial=ImportMode.UPSERT,
                             widget=forms.RadioSelect,
                             help_text=_("全员同步：花名册中没有的在职职工将按花名册日期办理离职（提交前须确认名单）"))
    roster_date = forms.DateField(label=_("花名册日期"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}), help_text=_("默认今天"))


class CommitForm(forms.Form):
    confirm_sync = forms.BooleanField(label=_("我已核对离职名单，确认为上述职工办理离职"), required=False)


class CommitInputForm(CommitForm):
    """What the commit button posts: the sync confirmation and, from the button that imports only the
    rows without errors, ``valid_rows_only``."""

    valid_rows_only = forms.BooleanField(required=False)


class RosterSynonymForm(forms.Form):
    """Another way of writing a coded roster value (``imports.synonyms.add_roster_synonym`` checks it)."""

    column = forms.ChoiceField(label=_("列"))
    text = forms.CharField(label=_("写法"), max_length=100)
    value = forms.CharField(
        label=_("对应的值"), max_length=100,
        help_text=_("该列的标准写法（如 城镇户口、中专/技工学校），职业填职业代码（如 6-17-02-02）"))

    def __init__(self, *args, **kwargs):
        from workforce.imports.columns import COLUMNS_BY_KEY
        from workforce.imports.synonyms import SYNONYM_COLUMNS

        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(key, COLUMNS_BY_KEY[key].header) for key in SYNONYM_COLUMNS]
