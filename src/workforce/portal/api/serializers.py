"""Serializers of the portal's API: they only parse (``services.signup`` decides)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workforce.portal.choices import CodePurpose


class CodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号码"), max_length=20)
    purpose = serializers.ChoiceField(label=_("用途"), choices=CodePurpose.choices)


class SignUpSerializer(serializers.Serializer):
    id_number = serializers.CharField(label=_("身份证号码"), max_length=30)
    name = serializers.CharField(label=_("姓名"), max_length=50)
    phone = serializers.CharField(label=_("手机号码"), max_length=20)
    code = serializers.CharField(label=_("短信验证码"), max_length=8)
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("设置密码"), max_length=128, trim_whitespace=False,
                                     style={"input_type": "password"})


class PasswordResetSerializer(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号码"), max_length=20)
    code = serializers.CharField(label=_("短信验证码"), max_length=8)
    password = serializers.CharField(label=_("设置密码"), max_length=128, trim_whitespace=False,
                                     style={"input_type": "password"})


class TokenAnswerSerializer(serializers.Serializer):
    username = serializers.CharField()
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
