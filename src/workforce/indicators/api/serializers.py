"""Serializers of the indicators API: read-only figures and series (aggregates, no personal data)."""

from __future__ import annotations

from rest_framework import serializers

from workforce.indicators.choices import Breakdown, Status
from workforce.indicators.models import Indicator


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="breakdown cell: district code, industry section, ownership or size band")
    label = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                     help_text="percent for ratios, the count for count indicators")


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
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
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
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    district = serializers.CharField(allow_blank=True)
    points = SeriesPointSerializer(many=True)
