"""Forms of the sign-in, two-factor and token pages, and of the user-management pages (city administrator)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.accounts.models import Department, Role
from workforce.reference.models import Division
from workforce.reference.services import PANZHIHUA_CODE


class SignInForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    token = forms.RegexField(label=_("动态口令"), regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": _("请输入 6 位数字动态口令。")},
                             widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(label=_("绑定码"), max_length=30, help_text=_("由管理员签发，形如 ABCD-EFGH-JKMN"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("令牌用途"), max_length=100, required=False,
                           help_text=_("例如：人事系统同步。令牌只显示一次，请立即妥善保存。"))


class UserForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), regex=r"^[\w.@+-]+$", max_length=150,
                                error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_。")})
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ModelChoiceField(label=_("角色"), queryset=Role.objects.all())
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all(), required=False)
    district = forms.ModelChoiceField(label=_("区县"), queryset=Division.objects.filter(parent_id=PANZHIHUA_CODE),
                                      required=False)
    employer_uscc = forms.CharField(label=_("单位统一社会信用代码"), max_length=40, required=False,
                                    help_text=_("企业人力资源角色填写"))
    worker_id_number = forms.CharField(label=_("职工身份证号码"), max_length=40, required=False,
                                       help_text=_("职工角色填写"))
    organisation_name = forms.CharField(label=_("机构名称"), max_length=200, required=False,
                                        help_text=_("培训机构角色填写"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    password = forms.CharField(label=_("初始密码"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("至少 12 位，含大小写字母、数字、符号中的三类"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True
            self.fields["password"].label = _("新密码（不修改请留空）")
        else:
            self.fields["password"].required = True
