"""Users, roles (as data) and the plan's departments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from workforce.accounts.choices import RoleCode, ScopeKind


class Department(models.Model):
    """A department of the city that leads or is responsible for measures of the plan (e.g. 市总工会)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)

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
        return self.name


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
        return self.role.scope_kind if self.role_id else ScopeKind.NONE

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or bool(self.role_id and self.role.requires_two_factor)
