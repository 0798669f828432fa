"""Codes of the indicators (TextChoices, never inline strings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PERCENT = "percent", _("百分比")
    PERSONS = "persons", _("人")


class Direction(models.TextChoices):
    """Which way is better: the target is a floor (at least) or a ceiling (at most)."""

    AT_LEAST = "at_least", _("不低于目标")
    AT_MOST = "at_most", _("不高于目标")


class Subject(models.TextChoices):
    """What an indicator counts: workers (职工) or employers (用人单位)."""

    WORKERS = "workers", _("职工")
    EMPLOYERS = "employers", _("用人单位")


class Breakdown(models.TextChoices):
    """The dimensions every figure can be broken down by, all read as of the figure's date."""

    DISTRICT = "district", _("区县")
    INDUSTRY = "industry", _("行业门类")
    OWNERSHIP = "ownership", _("经济类型")
    SIZE = "size", _("单位规模")


class Status(models.TextChoices):
    """Where an indicator stands against its target in force (``figures.assess``): before the target's
    date a progress status, from its date on whether it was reached as of that date."""

    MET = "met", _("已达标")  # reached ahead of the target's date
    ON_TRACK = "on_track", _("进度正常")
    BEHIND = "behind", _("进度滞后")
    ACHIEVED = "achieved", _("达成")  # the target's date has come: reached on that date
    MISSED = "missed", _("未达成")  # the target's date has come: not reached on that date
    MONITORED = "monitored", _("监测指标")
    NO_DATA = "no_data", _("无数据")


class Part(models.TextChoices):
    """The two halves of a ratio, for drill-down: the records counted and the records counted over."""

    NUMERATOR = "numerator", _("分子")
    DENOMINATOR = "denominator", _("分母")


# Employer size by staff on the day (distinct workers with a spell covering it). The plan's threshold
# "百人以上" (§I.2, independent unions) is the start of the third band.
SIZE_BANDS: list[tuple[str, int, int | None, str]] = [
    ("lt20", 1, 19, _("20人以下")),
    ("20_99", 20, 99, _("20–99人")),
    ("100_299", 100, 299, _("100–299人")),
    ("300_999", 300, 999, _("300–999人")),
    ("1000", 1000, None, _("1000人及以上")),
]
