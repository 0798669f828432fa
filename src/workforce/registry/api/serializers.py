"""Registry API serializers: they check the shape of the input (types, choices, references that exist
within the user's scope) and render records; every rule about the registry stays in ``services``.

Read serializers never carry the plaintext ID number or phone, only their masked twins, nor the hukou,
political status, migrant flag or their dated facts, nor (unless the viewer is shown memberships) union
membership; these leave the server through the logged ``unmask`` action alone (decisions 0003, 0009).
"""

from __future__ import annotations

import copy

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workforce.core.models import ChangeLogEntry
from workforce.reference.models import Division, Industry, Occupation, SkillLevel
from workforce.reference.services import PANZHIHUA_CODE
from workforce.registry import selectors
from workforce.registry.choices import (
    CORRECTABLE_LEGAL_PERSON_KINDS,
    CertificateKind,
    ContractType,
    Education,
    EmployerFactKind,
    Gender,
    HukouType,
    NewEmploymentGroup,
    Ownership,
    PoliticalStatus,
    PostCategory,
)
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerFact,
    EmploymentSpell,
    LabourContract,
    Worker,
    WorkerFact,
)

# ---------------------------------------------------------------------------------------------- helpers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a registry record the requesting user may see. Any other id "does not exist":
    answering 403 would tell the user that the record is there."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)


# A reference outside the user's scope reads exactly like a missing one.
RELATED_ERRORS = {
    "does_not_exist": _("编号（代码）“{pk_value}” 不存在。"),
    "incorrect_type": _("应填写编号（代码），而不是 {data_type}。"),
}


def _date(**kwargs) -> serializers.DateField:
    return serializers.DateField(
        error_messages={"invalid": _("日期格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。")}, **kwargs)


# Issue 15: blank is "not stated", never taken for 群众 (masses); the party-member figure counts it apart.
POLITICAL_STATUS_HELP = _("政治面貌；空字符串（输入时也可为 null 或不填）表示未填报，不计为群众，也不计入党员比例。")


def _choice(choices, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices, error_messages={"invalid_choice": _("“{input}” 不是有效的选项。")}, **kwargs)


class VersionField(serializers.IntegerField):
    """The ``version`` of the record the client read; the write is refused (409) if it changed since."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, help_text=_("必填：读取记录时得到的版本号（乐观锁）。"), **kwargs)


class PatchSerializer(serializers.Serializer):
    """A PATCH body: every field optional, and an absent field is left unchanged (no defaults are
    filled in), except ``version``, which is always required."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


# ---------------------------------------------------------------------------------------------- output


class ChangeLogEntrySerializer(serializers.ModelSerializer):
    """One row of a record's change log; sensitive values appear masked, as they were written."""

    object_type = serializers.CharField(source="content_type.model", read_only=True)
    source_type = serializers.CharField(source="source_content_type.model", read_only=True, allow_null=True,
                                        default=None)

    class Meta:
        model = ChangeLogEntry
        fields = ["id", "time", "action", "channel", "user_name", "object_type", "object_id", "object_repr",
                  "before", "after", "note", "source_type", "source_object_id", "source_row"]
        read_only_fields = fields


class LabourContractSerializer(serializers.ModelSerializer):
    """A labour contract of a spell (decision 0020); ``dates_known`` false: signed, start date unknown."""

    class Meta:
        model = LabourContract
        fields = ["id", "spell", "kind", "dates_known", "start_date", "end_date", "signed_on", "source",
                  "source_import", "source_row", "version"]
        read_only_fields = fields


class EmploymentSpellSerializer(serializers.ModelSerializer):
    """A spell; ``is_contract_signed`` and ``contract_*`` are its latest contract's, ``contracts`` all of them in
    order (what held on a past day is read from these, decision 0020)."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True, allow_null=True)
    contracts = LabourContractSerializer(many=True, read_only=True)

    class Meta:
        model = EmploymentSpell
        fields = ["id", "worker", "employer", "employer_name", "occupation", "occupation_name", "start_date",
                  "end_date", "is_contract_signed", "contract_type", "contract_start", "contract_end", "contracts",
                  "is_dispatched", "reported_skill_level", "post_category", "version"]
        read_only_fields = fields
        # reported_skill_level: the level the employer's roster gave without a certificate, unverified (0013);
        # post_category: "" is unknown (issue 16)


class CertificateSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="level.label", read_only=True, allow_null=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True, allow_null=True)

    class Meta:
        model = Certificate
        fields = ["id", "worker", "kind", "occupation", "occupation_name", "level", "level_label", "number",
                  "issuer", "issued_on", "valid_until", "version"]
        read_only_fields = fields


class UnionMembershipSerializer(serializers.Serializer):
    """A period of a worker's union roll (``memberships.Membership``, decision 0009): no table holds them."""

    id = serializers.IntegerField(read_only=True)
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    employer = serializers.IntegerField(source="employer_id", read_only=True, allow_null=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True, allow_null=True)
    valid_from = serializers.DateField(read_only=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class WorkerFactSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkerFact
        fields = ["kind", "value", "valid_from", "valid_to"]
        read_only_fields = fields


class WorkerSerializer(serializers.ModelSerializer):
    """A worker as a list row: today's summary columns, the ID number and phone masked, the masked
    attributes left out. ``is_union_member`` is null unless ``context["shows_memberships"]``, and as the
    viewer may know it (``selectors.with_summaries``: HR, through their own enterprise's union only)."""

    # Where the worker works today as the viewer may know it (``selectors.Summary``: HR, at their own
    # employer only, decision 0002); the view sets ``summary`` with ``selectors.with_summaries``.
    district = serializers.CharField(source="summary.district.pk", read_only=True, allow_null=True)
    district_name = serializers.CharField(source="summary.district.name", read_only=True, allow_null=True)
    current_employer = serializers.IntegerField(source="summary.employer.pk", read_only=True, allow_null=True)
    current_employer_name = serializers.CharField(source="summary.employer.name", read_only=True,
                                                  allow_null=True)
    current_occupation = serializers.CharField(source="summary.occupation.pk", read_only=True, allow_null=True)
    current_occupation_name = serializers.CharField(source="summary.occupation.name", read_only=True,
                                                    allow_null=True)
    has_signed_contract = serializers.BooleanField(source="summary.has_signed_contract", read_only=True)
    is_union_member = serializers.SerializerMethodField(help_text=_("工会会员；无权查看会籍时为 null（已隐藏）"))

    class Meta:
        model = Worker
        fields = ["id", "name", "id_number_masked", "phone_masked", "gender", "birth_date", "education",
                  "new_employment_group", "district", "district_name", "current_employer", "current_employer_name",
                  "current_occupation", "current_occupation_name", "current_skill_level", "is_union_member",
                  "has_signed_contract", "is_active", "merged_into", "version"]
        read_only_fields = fields

    def get_fields(self):
        # A ModelSerializer builds its fields from the model on every instance: most of the time of a one-row
        # answer such as the lookup (issue 15). Built once per class, each instance gets a copy to bind.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

    def to_representation(self, instance):
        if not hasattr(instance, "summary"):  # a door that forgot it would show every employer's facts
            raise ImproperlyConfigured("WorkerSerializer needs workers read through selectors.with_summaries")
        return super().to_representation(instance)

    def get_is_union_member(self, worker) -> bool | None:
        if not self.context.get("shows_memberships"):
            return None
        detail = self.context.get("detail")  # a worker just written is not read with the annotation
        return detail["union_member_shown"] if detail else worker.union_member_shown


class WorkerDetailSerializer(WorkerSerializer):
    """A worker with the dated facts the viewer may see: spells (HR: at their employer only),
    certificates, union memberships (null when hidden) and the unmasked attributes' history. The view
    passes them in ``context["detail"]`` (from ``selectors.worker_detail``), already scoped."""

    spells = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()
    facts = serializers.SerializerMethodField()

    class Meta(WorkerSerializer.Meta):
        fields = WorkerSerializer.Meta.fields + ["spells", "certificates", "memberships", "facts"]
        read_only_fields = fields

    @extend_schema_field(EmploymentSpellSerializer(many=True))
    def get_spells(self, worker):
        return EmploymentSpellSerializer(self.context["detail"]["spells"], many=True).data

    @extend_schema_field(CertificateSerializer(many=True))
    def get_certificates(self, worker):
        return CertificateSerializer(self.context["detail"]["certificates"], many=True).data

    @extend_schema_field(UnionMembershipSerializer(many=True, allow_null=True))
    def get_memberships(self, worker):
        if not self.context["detail"]["shows_memberships"]:
            return None
        return UnionMembershipSerializer(self.context["detail"]["memberships"], many=True).data

    @extend_schema_field(WorkerFactSerializer(many=True))
    def get_facts(self, worker):
        return WorkerFactSerializer(self.context["detail"]["facts"], many=True).data


class WorkerSavedSerializer(WorkerDetailSerializer):
    """A worker just written, with the service's warnings (e.g. an unknown division code)."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(WorkerDetailSerializer.Meta):
        fields = WorkerDetailSerializer.Meta.fields + ["warnings"]
        read_only_fields = fields


class WorkerCreatedSerializer(WorkerSavedSerializer):
    """``created`` is false when the ID number was already registered and only the employment was added."""

    created = serializers.SerializerMethodField()

    class Meta(WorkerSavedSerializer.Meta):
        fields = WorkerSavedSerializer.Meta.fields + ["created"]
        read_only_fields = fields

    def get_created(self, worker) -> bool:
        return self.context["created"]


class WorkerUnmaskedSerializer(serializers.Serializer):
    """What the logged unmask reveals (``selectors.worker_unmasked``)."""

    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    hukou_type = serializers.ChoiceField(HukouType.choices, read_only=True)
    political_status = serializers.ChoiceField(PoliticalStatus.choices, read_only=True, allow_blank=True,
                                               help_text=POLITICAL_STATUS_HELP)
    is_migrant = serializers.BooleanField(read_only=True)
    facts = WorkerFactSerializer(many=True, read_only=True, help_text=_("户口性质、政治面貌的变化"))
    is_union_member = serializers.BooleanField(read_only=True)
    memberships = UnionMembershipSerializer(many=True, read_only=True)


class EmployerFactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerFact
        fields = ["id", "employer", "kind", "is_independent", "valid_from", "valid_to", "note", "version"]
        read_only_fields = fields


class EmployerSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "uscc", "name", "district", "district_name", "industry", "industry_name", "ownership",
                  "legal_person_kind", "legal_person_kind_corrected", "is_above_scale", "address", "is_active",
                  "headcount", "version"]
        read_only_fields = fields
        # legal_person_kind: derived from the USCC (GB 32100) unless legal_person_kind_corrected (issue 16)


class EmployerDetailSerializer(EmployerSerializer):
    """An employer with its governance facts (``context["facts"]``, already scoped by the view)."""

    facts = serializers.SerializerMethodField()

    class Meta(EmployerSerializer.Meta):
        fields = EmployerSerializer.Meta.fields + ["facts"]
        read_only_fields = fields

    @extend_schema_field(EmployerFactSerializer(many=True))
    def get_facts(self, employer):
        return EmployerFactSerializer(self.context["facts"], many=True).data


# ---------------------------------------------------------------------------------------------- input


class EmploymentInputSerializer(serializers.Serializer):
    """An employment spell as ``services.add_employment`` takes it; the employer must be one the user
    may see (HR: their own)."""

    employer = VisibleRelatedField(queryset=Employer.objects.filter(is_active=True),
                                   error_messages=RELATED_ERRORS)
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.filter(is_active=True),
                                                    required=False, allow_null=True,
                                                    error_messages=RELATED_ERRORS)
    start_date = _date()
    end_date = _date(required=False, allow_null=True)
    is_contract_signed = serializers.BooleanField(default=False)
    contract_type = _choice(ContractType.choices, required=False, allow_blank=True)
    contract_start = _date(required=False, allow_null=True)
    contract_end = _date(required=False, allow_null=True)
    is_dispatched = serializers.BooleanField(default=False)
    post_category = _choice(PostCategory.choices, required=False, allow_blank=True,
                            help_text=_("岗位类别：front_line 一线职工、technical 专业技术人员、"
                                        "management 管理人员；空为未填报"))


class EmploymentPatchSerializer(PatchSerializer, EmploymentInputSerializer):
    """Changes to a spell (``services.update_employment``). Contract fields add a contract (a new start date: a
    renewal or change; the latest's start: a correction of it), never overwrite one; ``is_contract_signed``
    false for a spell with contracts is refused (decision 0020). ``/spells/{id}/contracts/`` adds one directly."""


class ContractInputSerializer(serializers.Serializer):
    """A labour contract added to a spell (``services.add_contract``): a renewal starts after the latest ends; a
    change (e.g. to open-ended) starting while it runs ends it the day before; the same start date corrects that
    contract."""

    kind = _choice(ContractType.choices)
    start_date = _date(help_text=_("合同起始日期"))
    end_date = _date(required=False, allow_null=True, help_text=_("合同终止日期；无固定期限劳动合同不填"))
    signed_on = _date(required=False, allow_null=True, help_text=_("签订日期，不清楚可不填"))


class EndEmploymentSerializer(serializers.Serializer):
    end_date = _date(help_text=_("离职日期（最后工作日）"))
    version = VersionField()


class WorkerInputSerializer(serializers.Serializer):
    """A worker as ``services.register_worker`` takes it. Birth date and gender may be left out: they
    are derived from the ID number (and, if given, must agree with it)."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=40, help_text=_("18 位公民身份号码；15 位旧号码将自动升位"))
    birth_date = _date(required=False)
    gender = _choice(Gender.choices, required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    hukou_type = _choice(HukouType.choices)
    education = _choice(Education.choices, required=False, allow_blank=True)
    political_status = _choice(PoliticalStatus.choices, required=False, allow_blank=True, allow_null=True,
                               help_text=POLITICAL_STATUS_HELP)

    def validate_political_status(self, value: str | None) -> str:
        return value or ""  # null and blank alike: not stated
    new_employment_group = _choice(NewEmploymentGroup.choices, required=False, allow_blank=True)


class WorkerCreateSerializer(WorkerInputSerializer):
    employment = EmploymentInputSerializer(
        required=False,
        help_text=_("就业信息；企业人力资源和区县工作人员登记职工时必填，否则登记后将看不到该职工。"))


class WorkerPatchSerializer(PatchSerializer, WorkerInputSerializer):
    effective_on = _date(required=False, help_text=_("户口性质、文化程度等变化自哪天起生效，默认今天"))


class WorkerMergeSerializer(serializers.Serializer):
    duplicate = VisibleRelatedField(queryset=Worker.objects.filter(is_active=True),
                                    help_text=_("要并入本职工的重复记录的编号"),
                                    error_messages=RELATED_ERRORS)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WorkerLookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=40)


class WorkerSearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text=_("身份证号码、手机号码（精确）或姓名（开头）"))

    def validate_q(self, value: str) -> str:
        problem = selectors.worker_search_problem(value)  # part of a number finds nobody: say so (issue 15)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class CertificateInputSerializer(serializers.Serializer):
    kind = _choice(CertificateKind.choices)
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.all(), required=False,
                                                    allow_null=True, error_messages=RELATED_ERRORS)
    level = serializers.PrimaryKeyRelatedField(queryset=SkillLevel.objects.all(), required=False, allow_null=True,
                                               error_messages=RELATED_ERRORS)
    number = serializers.CharField(max_length=50)
    issuer = serializers.CharField(max_length=100)
    issued_on = _date()
    valid_until = _date(required=False, allow_null=True)


class MembershipInputSerializer(serializers.Serializer):
    valid_from = _date(help_text=_("入会日期"))
    employer = VisibleRelatedField(queryset=Employer.objects.all(), required=False, allow_null=True,
                                   help_text=_("所在单位工会；不填则为职工当前所在单位"),
                                   error_messages=RELATED_ERRORS)


class EndMembershipSerializer(serializers.Serializer):
    valid_to = _date(help_text=_("退会/转出日期"))


class EmployerInputSerializer(serializers.Serializer):
    """An employer as ``services.register_employer`` takes it; the USCC is checked there."""

    uscc = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    district = serializers.PrimaryKeyRelatedField(queryset=Division.objects.filter(parent_id=PANZHIHUA_CODE),
                                                  error_messages=RELATED_ERRORS)
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.filter(level="division"),
                                                  help_text=_("国民经济行业分类大类代码（两位数字）"),
                                                  error_messages=RELATED_ERRORS)
    ownership = _choice(Ownership.choices)
    is_above_scale = serializers.BooleanField(default=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EmployerPatchSerializer(PatchSerializer, EmployerInputSerializer):
    is_active = serializers.BooleanField()
    effective_on = _date(required=False, help_text=_("所在区县、行业、经济类型、规模以上的变化自哪天起生效，默认今天"))
    legal_person_kind = _choice(CORRECTABLE_LEGAL_PERSON_KINDS, allow_blank=True,
                                help_text=_("更正由统一社会信用代码推导的法人类型（仅市级主管部门）；空字符串恢复为推导值"))


class EmployerFactInputSerializer(serializers.Serializer):
    kind = _choice(EmployerFactKind.choices)
    is_independent = serializers.BooleanField(default=False, help_text=_("单独建制（仅工会）"))
    valid_from = _date(help_text=_("起始日期；集体协商（bargaining_round）为协商日期"))
    valid_to = _date(required=False, allow_null=True, help_text=_("终止日期；集体协商按次登记，留空或与协商日期相同"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
