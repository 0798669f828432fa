from django import forms
from django.utils.translation import gettext_lazy as _


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
