"""One-time SMS codes, the phone a worker's login is bound to, and self-registrations (decision 0019)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workforce.core.clock import local_text
from workforce.core.encryption import EncryptedTextField
from workforce.portal.choices import CodePurpose, RegistrationStatus
from workforce.portal.querysets import SelfRegistrationQuerySet


class SmsCode(models.Model):
    """A one-time code sent by SMS (短信验证码). Kept hashed like a password, with its phone as a keyed hash only;
    it expires after ``PORTAL_SMS_CODE_MINUTES``, serves once, and after ``PORTAL_SMS_CODE_ATTEMPTS`` wrong entries
    locks its phone out for ``PORTAL_SMS_LOCKOUT_MINUTES`` (``locked_until``). The rows are also the counters of the
    rate limits per phone and per address (``services.codes``)."""

    phone_hash = models.CharField(max_length=64)
    purpose = models.CharField(_("用途"), max_length=20, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="smscode_phone"),
            models.Index(fields=["ip_address", "created_at"], name="smscode_address"),
        ]
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {local_text(self.created_at)}"


class PortalProfile(models.Model):
    """The mobile number a worker's login was verified with by SMS (at sign-up or a password reset): the key of
    a password reset. Encrypted, with a keyed hash for lookup and a masked copy for the screen."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_profile",
                                verbose_name=_("用户"))
    phone = EncryptedTextField(_("手机号码"))
    phone_hash = models.CharField(max_length=64, unique=True)
    phone_masked = models.CharField(_("手机号码"), max_length=20)
    verified_at = models.DateTimeField(_("验证时间"))

    CHANGELOG_FIELDS = ["phone_masked", "verified_at"]

    class Meta:
        verbose_name = _("职工门户账号")
        verbose_name_plural = _("职工门户账号")

    def __str__(self) -> str:
        return f"{self.user} {self.phone_masked}"


class SelfRegistration(models.Model):
    """A worker not yet in the registry who registered themself on the portal (自助登记): pending until an
    employer's HR, the district or the union confirms it (``services.registrations``), which registers the
    worker and opens their login with the password they chose. Personal data sealed as in the registry."""

    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING)
    id_number = EncryptedTextField(_("公民身份号码"))
    id_number_hash = models.CharField(max_length=64)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50)
    hukou_type = EncryptedTextField(_("户口性质"))
    phone = EncryptedTextField(_("手机号码"))
    phone_hash = models.CharField(max_length=64)
    phone_masked = models.CharField(_("手机号码"), max_length=20)
    username = models.CharField(_("用户名"), max_length=150)
    password_hash = models.CharField(max_length=128)
    district = models.ForeignKey("reference.Division", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("工作所在区县"))
    # The employer the worker names, found by its credit code; only its HR (besides the district and the union)
    # sees the registration.
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("用人单位"))
    employer_name = models.CharField(_("单位名称"), max_length=200)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("处理人"))
    decision_note = models.CharField(_("说明"), max_length=500, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="self_registration", verbose_name=_("开通的账号"))

    objects = SelfRegistrationQuerySet.as_manager()

    CHANGELOG_FIELDS = ["status", "name", "id_number_masked", "phone_masked", "username", "district", "employer",
                        "employer_name", "decided_at", "decided_by", "decision_note", "user"]

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "district"], name="selfreg_district"),
                   models.Index(fields=["id_number_hash"], name="selfreg_id_number")]
        permissions = [("review_selfregistration", _("确认职工自助登记"))]
        verbose_name = _("职工自助登记")
        verbose_name_plural = _("职工自助登记")

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"
