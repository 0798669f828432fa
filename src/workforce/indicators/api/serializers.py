"""Serializers of the indicators API: read-only figures and series (aggregates, no personal data)."""

from __future__ import annotations

from rest_framework import serializers

from workforce.indicators.choices import Breakdown, Status
from workforce.indicators.models import Indicator

SUPPRESSED = ("the figure counts holders of a sensitive attribute in a group too small to show to a user who "
              "may not unmask workers: numerator, denominator and value are null (decision 0009)")
MINIMUM_CELL = ("the minimum cell size applied to this indicator's figures for the requesting user; null when "
                "figures are shown whole")


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="breakdown cell: district code, industry section, ownership or size band")
    label = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                     help_text="percent for ratios, the count for count indicators")
    suppressed = serializers.BooleanField(help_text=SUPPRESSED)


class TargetSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    due_on = serializers.DateField(help_text="the date the value is to be reached by")
    is_plan = serializers.BooleanField(help_text="the plan's own target (target_value by target_date); false for a "
                                                 "later period's")


class TargetInputSerializer(serializers.Serializer):
    """The next period's target: the same indicator, a new value by a date after the previous target's."""

    value = serializers.DecimalField(max_digits=12, decimal_places=2,
                                     help_text="percent (0–100) for ratios, people (a whole number) for counts")
    due_on = serializers.DateField(help_text="after the latest target's date, at the latest 2100-12-31")
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True,
                                 help_text="the basis, e.g. the document's number (kept in the change log)")


class CurrentTargetSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    due_on = serializers.DateField()
    settled_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text="the value on due_on once that date has come (status achieved or missed); null before it")
    settled_suppressed = serializers.BooleanField(help_text="the value on due_on is withheld: " + SUPPRESSED)


class BaselineSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="the baseline date (the plan's date by default)")
    published = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                         help_text="the baseline the plan published (e.g. 28.9%), if any")
    registry = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                        help_text="the registry's own value on the baseline date")
    registry_suppressed = serializers.BooleanField(help_text="the registry's value is withheld: " + SUPPRESSED)
    trajectory_from = serializers.ChoiceField(
        choices=["registry", "published"],
        help_text="where the line to the first target starts: the registry's value, the published one only when "
                  "the registry counts nobody that day (decision 0006)")


class IndicatorSerializer(serializers.ModelSerializer):
    department = serializers.StringRelatedField()
    targets = TargetSerializer(many=True, read_only=True,
                               help_text="every target by date: the plan's, then the later periods'")

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "clause", "definition", "description", "description_en", "unit",
                  "direction", "baseline_value", "baseline_date", "target_value", "target_date", "targets",
                  "target_per_district", "department", "breakdowns"]


class IndicatorValueSerializer(serializers.Serializer):
    indicator = IndicatorSerializer()
    on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text=SUPPRESSED)
    minimum_cell = serializers.IntegerField(allow_null=True, help_text=MINIMUM_CELL)
    gap = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text="how far the deciding value is from the target in force, in gap_unit (percentage points for a "
                  "share): 0 once reached (never negative); null without a target or when the value is withheld")
    gap_unit = serializers.ChoiceField(choices=["percentage_points", "persons"],
                                       help_text="the unit of gap: percentage points for a share, persons for a count")
    gap_text = serializers.CharField(help_text="the gap in words as the pages show it, in the language asked: the "
                                               "shortfall with its unit, reached, or a dash without a target")
    expected = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    # A plain string: an enum named "status" would collide with the imports API's in the schema.
    status = serializers.CharField(help_text=(
        "against the target in force (target): before its date met, on_track or behind on the day's value; "
        "from its date on achieved or missed on the value of that date; monitored without targets. One of: "
        + ", ".join(Status.values)))
    target = CurrentTargetSerializer(allow_null=True, help_text=(
        "the target in force on the day: the first not yet due and not yet reached, else the last not yet due, "
        "else the latest"))
    baseline = BaselineSerializer(allow_null=True, help_text="both baselines; null without targets")
    districts = FigureSerializer(many=True)


class IndicatorDetailSerializer(IndicatorValueSerializer):
    breakdowns = serializers.DictField(child=FigureSerializer(many=True),
                                       help_text=f"figures by {', '.join(Breakdown.values)}")
    unstated = serializers.IntegerField(
        allow_null=True, help_text="city-wide: how many of the denominator's workers have the attribute the numerator "
        "asks not stated (a blank political status) or not known on the day (a labour contract whose dates are "
        "unknown, decision 0020), never counted in the numerator; null for an indicator whose records always say, "
        "or a suppressed figure")
    unstated_label = serializers.CharField(help_text="what ``unstated`` counts, in the language asked (not stated; "
                                           "contract dates unknown); blank when it is null")


class SeriesPointSerializer(serializers.Serializer):
    on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text=SUPPRESSED)


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    district = serializers.CharField(allow_blank=True)
    minimum_cell = serializers.IntegerField(allow_null=True, help_text=MINIMUM_CELL)
    points = SeriesPointSerializer(many=True)
