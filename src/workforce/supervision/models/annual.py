"""The annual report's narrative (总体情况、主要做法和成效、存在的问题、下一步工作): drafted from the data by
``supervision.annual.draft_narrative``, edited by the supervision office before export, every change kept in
the change log (``services.annual.do_save_narrative``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualNarrative(models.Model):
    """The office's text of one year's report on one plan; without it the report uses the draft."""

    plan = models.ForeignKey("supervision.Plan", on_delete=models.CASCADE, related_name="narratives")
    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.CharField(_("发文单位"), max_length=100)
    overview = models.TextField(_("总体情况"))
    practices = models.TextField(_("主要做法和成效"))
    problems = models.TextField(_("存在的问题"))
    next_steps = models.TextField(_("下一步工作"))
    version = models.PositiveIntegerField(default=1, editable=False)

    CHANGELOG_FIELDS = ["year", "issuer", "overview", "practices", "problems", "next_steps"]
    SECTIONS = ("overview", "practices", "problems", "next_steps")

    class Meta:
        ordering = ["plan", "-year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="supervision_narrative_year")]
        verbose_name = _("年度报告正文")
        verbose_name_plural = _("年度报告正文")

    def __str__(self) -> str:
        return _("%(year)d年度报告正文") % {"year": self.year}
