"""Membership applications (入会、转会、退会), reviewed by the base union."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.encryption import EncryptedTextField
from workforce.core.models import VersionedModel
from workforce.unions.choices import ApplicationChannel, ApplicationKind, ApplicationStatus
from workforce.unions.querysets import ApplicationQuerySet

SEAL_BLOCK = 32  # the sealed worker and membership references are filled to one length (decision 0018)


class MembershipApplication(VersionedModel):
    """A worker's application to join a base union, transfer to another, or leave (decision 0018).

    Who applied is sealed: ``worker_ref`` holds the worker's id encrypted and filled to one length, and
    ``worker_key`` a keyed hash of it (to find a worker's applications and refuse duplicates), so a dump of
    this table does not say who joined a union (decision 0009). ``membership_ref`` (sealed) names the
    membership of the worker's roll the approval wrote or ended. Read them through ``selectors``."""

    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    organisation = models.ForeignKey("unions.Organisation", on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("受理工会"))
    from_organisation = models.ForeignKey("unions.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("转出工会"))
    worker_ref = EncryptedTextField(pad_block=SEAL_BLOCK, editable=False)
    worker_key = models.CharField(max_length=64, editable=False)
    membership_ref = EncryptedTextField(pad_block=SEAL_BLOCK, seal_blank=True, editable=False, blank=True)
    channel = models.CharField(_("办理渠道"), max_length=16, choices=ApplicationChannel.choices)
    applied_on = models.DateField(_("申请日期"))
    note = models.CharField(_("申请说明"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("提交人"))
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("审核人"))
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)

    objects = ApplicationQuerySet.as_manager()

    # Never the worker: the change log of an application says what happened to it, not whose it is.
    CHANGELOG_FIELDS = ["kind", "status", "organisation", "from_organisation", "channel", "applied_on",
                        "decided_on", "reason"]

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["worker_key", "status"], name="application_worker"),
                   models.Index(fields=["organisation", "status"], name="application_organisation")]
        permissions = [("review_membershipapplication", _("审核入会、转会、退会申请"))]
        verbose_name = _("会籍申请")
        verbose_name_plural = _("会籍申请")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("unions:application_detail", args=[self.pk])

    @property
    def worker_id(self) -> int:
        return int(self.worker_ref.strip())
