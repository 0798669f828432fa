"""Users, roles (as data) and the plan's departments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.accounts.querysets import ApiTokenQuerySet
from workforce.core.clock import local_text


class Department(models.Model):
    """A department of the city that leads or is responsible for measures of the plan (e.g. 市总工会)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)  # the official name today
    # Names older documents use (the 2018 plan): accounts/departments.py lists them.
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role: what its users may do (permissions) and which records they see (scope)."""

    code = models.CharField(_("代码"), max_length=32, unique=True, choices=RoleCode.choices)
    name = models.CharField(_("名称"), max_length=50)
    scope_kind = models.CharField(_("数据范围"), max_length=16, choices=ScopeKind.choices)
    permissions = models.ManyToManyField(Permission, blank=True, related_name="roles")
    requires_two_factor = models.BooleanField(_("需要双因素认证"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        # The role's label in the reader's language; ``name`` is the stored (Chinese) copy.
        return str(RoleCode(self.code).label) if self.code in RoleCode.values else self.name


class User(AbstractUser):
    """A person signing in. Their role decides permissions; the scope fields say *which* district,
    employer, department or worker record the role's scope refers to."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                             verbose_name=_("角色"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="officers", verbose_name=_("部门"))
    district = models.ForeignKey("reference.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("区县"))
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="staff_users", verbose_name=_("单位"))
    worker = models.OneToOneField("registry.Worker", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="user", verbose_name=_("职工档案"))
    organisation_name = models.CharField(_("机构名称"), max_length=200, blank=True)

    CHANGELOG_FIELDS = ["username", "display_name", "role", "department", "district", "employer", "worker",
                        "organisation_name", "is_active"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def scope_kind(self) -> str:
        """The scope of the user's role; a superuser sees the whole city."""
        if self.is_superuser:
            return ScopeKind.CITY
        return self.role.scope_kind if self.role is not None else ScopeKind.NONE

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or bool(self.role is not None and self.role.requires_two_factor)


class ApiToken(models.Model):
    """An API token (接口令牌), decision 0010. Only the SHA-256 of its key is kept: the key is shown once,
    when issued. It expires after ``API_TOKEN_LIFETIME``, is revoked when its user's password, role,
    scope or active flag changes, and, for a staff role, opens the API only if it was issued after a
    TOTP verification."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)  # the key's first characters, to recognise it by
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    is_two_factor_verified = models.BooleanField(_("经动态口令验证签发"), default=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("吊销原因"), max_length=100, blank=True)

    CHANGELOG_FIELDS = ["name", "prefix", "expires_at", "revoked_at", "revoke_reason"]

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class EnrolmentCode(models.Model):
    """A one-time code (动态口令绑定码) the administrator issues so that its user may enrol a TOTP device;
    without one, signing in with the password does not let anyone bind a new device (decision 0010).
    Kept hashed like a password; single use; expires after ``TOTP_ENROLMENT_CODE_LIFETIME``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes",
                             verbose_name=_("用户"))
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("签发人"))
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("动态口令绑定码")
        verbose_name_plural = _("动态口令绑定码")

    def __str__(self) -> str:
        return f"{self.user} {local_text(self.issued_at)}"
