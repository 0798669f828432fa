"""Forms of the portal: they only parse; the services decide (``services.signup``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workforce.reference.models import Division
from workforce.reference.services import PANZHIHUA_CODE
from workforce.registry.choices import HukouType


def _text(label, *, autocomplete: str, inputmode: str = "text", max_length: int = 50, required: bool = True,
          help_text=""):
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text,
                           widget=forms.TextInput(attrs={"autocomplete": autocomplete, "inputmode": inputmode}))


class PhoneForm(forms.Form):
    """The phone a code is sent to."""

    phone = _text(_("手机号码"), autocomplete="tel", inputmode="tel", max_length=20)


class CodeForm(PhoneForm):
    code = _text(_("短信验证码"), autocomplete="one-time-code", inputmode="numeric", max_length=8,
                 help_text=_("点击“获取验证码”后，6位数字验证码将发送到上面的手机。"))


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(label=_("设置密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("至少12位，含字母和数字，不能是常见密码。"))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class SignUpForm(CodeForm, NewPasswordMixin):
    """Sign-up: who the worker is (checked against the registry), the phone and its code, and the login."""

    id_number = _text(_("身份证号码"), autocomplete="off", max_length=30,
                      help_text=_("居民身份证、港澳台居民居住证或外国人永久居留身份证号码。"))
    name = _text(_("姓名"), autocomplete="name")
    username = _text(_("用户名"), autocomplete="username", max_length=150,
                     help_text=_("登录时使用，可用字母、数字和 @ . + - _。"))

    field_order = ["phone", "code", "id_number", "name", "username", "password1", "password2"]


class SelfRegistrationForm(forms.Form):
    """What a worker not yet in the registry adds: hukou and where they work, for who confirms it."""

    hukou_type = forms.ChoiceField(label=_("户口性质"), choices=[("", "—"), *HukouType.choices])
    district = forms.ModelChoiceField(label=_("工作所在区县"), to_field_name="code",
                                      queryset=Division.objects.filter(parent_id=PANZHIHUA_CODE).order_by("code"))
    employer_name = _text(_("用人单位名称"), autocomplete="organization", max_length=200)
    employer_uscc = _text(_("用人单位统一社会信用代码"), autocomplete="off", max_length=30, required=False,
                          help_text=_("选填。填写后由该单位人事部门确认；不填则由所在区县或工会确认。"))


class ResetForm(CodeForm, NewPasswordMixin):
    field_order = ["phone", "code", "password1", "password2"]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("不予确认时必填，申请人会看到。"))
