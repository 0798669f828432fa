"""Serializers of the skills API: output shapes, and the input of registration and score entry."""

from __future__ import annotations

from rest_framework import serializers

from workforce.skills.choices import Ground
from workforce.skills.models import AccreditedScope, AppraisalBody, AppraisalSession, Candidate


class AccreditedScopeSerializer(serializers.ModelSerializer):
    occupation = serializers.CharField(source="occupation_id")
    level = serializers.IntegerField(source="level_id", allow_null=True)

    class Meta:
        model = AccreditedScope
        fields = ["occupation", "level"]


class AppraisalBodySerializer(serializers.ModelSerializer):
    scopes = AccreditedScopeSerializer(many=True, read_only=True)
    employer = serializers.IntegerField(source="employer_id", allow_null=True)

    class Meta:
        model = AppraisalBody
        fields = ["id", "name", "kind", "employer", "accredited_from", "accredited_until", "certificate_prefix",
                  "scopes"]


class AppraisalSessionSerializer(serializers.ModelSerializer):
    body = serializers.IntegerField(source="body_id")
    body_name = serializers.CharField(source="body.name")
    occupation = serializers.CharField(source="occupation_id")
    occupation_name = serializers.CharField(source="occupation.name")
    level = serializers.IntegerField(source="level_id", allow_null=True)

    class Meta:
        model = AppraisalSession
        fields = ["id", "body", "body_name", "occupation", "occupation_name", "level", "date", "venue", "quota",
                  "state", "published_on", "certificates_issued_at", "version"]


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate as the reader may see them: the name and the masked ID number, never the number itself."""

    session = serializers.IntegerField(source="session_id")
    worker = serializers.IntegerField(source="worker_id")
    worker_name = serializers.CharField(source="worker.name")
    id_number_masked = serializers.CharField(source="worker.id_number_masked")
    rule = serializers.CharField(source="rule.__str__")
    explanation = serializers.ListField(child=serializers.CharField())
    certificate_number = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["id", "session", "worker", "worker_name", "id_number_masked", "route", "ground", "ground_basis",
                  "rule", "explanation", "theory_score", "practical_score", "defence_score", "outcome",
                  "certificate_number", "version"]

    def get_certificate_number(self, candidate: Candidate) -> str | None:
        return candidate.certificate.number if candidate.certificate_id else None  # type: ignore[union-attr]


class RegistrationSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                      help_text="Staff: the worker's ID number. A worker registers themself: omit it.")
    ground = serializers.ChoiceField(choices=Ground.choices, default=Ground.STANDARD)
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ScoresSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    theory_score = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    practical_score = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    defence_score = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    absent = serializers.BooleanField(default=False)


class LadderStepSerializer(serializers.Serializer):
    issued_on = serializers.DateField(source="certificate.issued_on")
    kind = serializers.CharField(source="certificate.kind")
    occupation = serializers.CharField(source="certificate.occupation_id", allow_null=True)
    level = serializers.IntegerField(source="certificate.level_id", allow_null=True)
    number = serializers.CharField(source="certificate.number")
    issuer = serializers.CharField(source="certificate.issuer")
    session = serializers.IntegerField(source="session.pk", allow_null=True, default=None)
    is_valid_on = serializers.BooleanField()


class LadderSerializer(serializers.Serializer):
    on = serializers.DateField()
    highest_level = serializers.SerializerMethodField()
    steps = LadderStepSerializer(many=True)

    def get_highest_level(self, ladder) -> int | None:
        return ladder.highest.certificate.level_id if ladder.highest else None
