"""Alerts (预警): overdue reports, milestones and rectification items, in the responsible department's inbox."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workforce.supervision.choices import AlertKind
from workforce.supervision.querysets import AlertQuerySet


class Alert(models.Model):
    """One overdue item, raised by the daily job and resolved when the item is done. ``subject`` names
    the item (``report:12``); at most one open alert per item."""

    kind = models.CharField(_("类型"), max_length=32, choices=AlertKind.choices)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="supervision_alerts")
    subject = models.CharField(max_length=40)
    title = models.CharField(_("事项"), max_length=300)
    url = models.CharField(max_length=200)
    due_date = models.DateField(_("截止日期"))
    raised_on = models.DateField(_("预警日期"))
    resolved_on = models.DateField(_("解除日期"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject"], condition=Q(resolved_on__isnull=True),
                                    name="supervision_one_open_alert"),
        ]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"
