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


class IndicatorSerializer(serializers.ModelSerializer):
    department = serializers.StringRelatedField()

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "clause", "definition", "description", "description_en", "unit",
                  "direction", "baseline_value", "baseline_date", "target_value", "target_date", "department",
                  "breakdowns"]


class IndicatorValueSerializer(serializers.Serializer):
    indicator = IndicatorSerializer()
    on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text=SUPPRESSED)
    minimum_cell = serializers.IntegerField(allow_null=True, help_text=MINIMUM_CELL)
    gap = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    expected = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    # A plain string: an enum named "status" would collide with the imports API's in the schema.
    status = serializers.CharField(help_text="one of: " + ", ".join(Status.values))
    districts = FigureSerializer(many=True)


class IndicatorDetailSerializer(IndicatorValueSerializer):
    breakdowns = serializers.DictField(child=FigureSerializer(many=True),
                                       help_text=f"figures by {', '.join(Breakdown.values)}")


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
