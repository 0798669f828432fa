"""Workers, their employment spells, certificates, union rolls and attribute history."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workforce.core.encryption import EncryptedTextField
from workforce.core.models import VersionedModel
from workforce.registry.choices import (
    CertificateKind,
    ContractSource,
    ContractType,
    Education,
    Gender,
    HukouType,
    NewEmploymentGroup,
    PoliticalStatus,
    PostCategory,
    WorkerFactKind,
)
from workforce.registry.models.employers import DATES_IN_ORDER
from workforce.registry.querysets import (
    CertificateQuerySet,
    ContractQuerySet,
    SpellQuerySet,
    WorkerFactQuerySet,
    WorkerQuerySet,
)
from workforce.registry.union_roll import ROLL_BLOCK, empty_roll

# The codes of the sealed attributes (hukou, political status, every fact's value) fill one block of 16 bytes
# before encryption, so that their tokens all have one length: the longest code, ``cpc_probationary``, is 16
# bytes, and without the fill a token's length told ``masses`` from a party member (decision 0009).
CODE_BLOCK = 16


class Worker(VersionedModel):
    """An industrial worker, one per resident ID number (GB 11643).

    The ID number and phone are encrypted at rest; ``*_hash`` columns allow exact lookup and
    ``*_masked`` columns are what screens show. The hukou type and political status are encrypted too,
    with no lookup column (decision 0009): who needs them in bulk (the indicators, the unmasking list
    filters) decrypts them. The ``current_*`` columns summarise today's spells,
    certificates and membership for fast list filters; they are rewritten by
    ``services.refresh_current_facts`` whenever those change. Questions "as of" a date go to the
    spell tables, never to these columns.
    """

    # Not a column: what registering or updating noticed (an unknown division code), set by the services.
    warnings: list[str]

    id_number = EncryptedTextField(_("公民身份号码"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    division_code = models.CharField(_("证件行政区划代码"), max_length=6, editable=False)
    birth_date = models.DateField(_("出生日期"))
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("手机号码"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)  # indexed with is_active (Meta)
    phone_masked = models.CharField(_("手机号码"), max_length=20, blank=True, editable=False)
    hukou_type = EncryptedTextField(_("户口性质"), choices=HukouType.choices, pad_block=CODE_BLOCK)
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices, blank=True)
    # Blank: not stated (issue 15). No default: 群众 by default counted every unstated worker as known not to
    # be a party member; the indicators now count the unstated apart (decision 0009). Sealed when blank too,
    # so a dump does not tell who left it unstated.
    political_status = EncryptedTextField(_("政治面貌"), choices=PoliticalStatus.choices, blank=True,
                                          pad_block=CODE_BLOCK, seal_blank=True)
    new_employment_group = models.CharField(_("新就业形态群体"), max_length=20,
                                            choices=NewEmploymentGroup.choices, blank=True)
    # Where the worker works now (the district of the latest open spell): the district officers' scope.
    district = models.ForeignKey("reference.Division", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("所在区县"))
    is_active = models.BooleanField(_("有效"), default=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from", verbose_name=_("已合并至"))

    current_employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", editable=False, verbose_name=_("当前单位"))
    current_industry_section = models.CharField(max_length=1, blank=True, editable=False)
    current_occupation = models.ForeignKey("reference.Occupation", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+", editable=False,
                                           verbose_name=_("当前职业"))
    current_skill_level = models.PositiveSmallIntegerField(_("最高技能等级"), null=True, blank=True,
                                                           editable=False)
    # Every membership period of the worker, sealed and padded (``registry.union_roll``, decision 0009): the
    # record of union membership, written by the membership services alone (``save`` leaves it out).
    union_roll = EncryptedTextField(_("工会会籍"), blank=True, editable=False, pad_block=ROLL_BLOCK,
                                    default=empty_roll)
    has_signed_contract = models.BooleanField(_("已签劳动合同"), default=False, editable=False)
    # No migrant flag: it would say the hukou in plain (``services.facts.is_migrant`` computes it).

    objects = WorkerQuerySet.as_manager()

    CHANGELOG_FIELDS = ["name", "id_number_masked", "birth_date", "gender", "phone_masked", "hukou_type",
                        "education", "political_status", "new_employment_group", "is_active", "merged_into"]
    # Logged as changed, never with their values (decision 0009): ``core.changelog.change_entry`` masks them.
    CHANGELOG_MASKED = ("hukou_type", "political_status", "union_roll")

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Issue 15: the name-prefix search orders by (name, id) and counts the active matches; with
            # is_active in the index, a common surname's count and page need no table row (a random read
            # each) but the page's own. The duplicates page groups by (name, birth_date) and by phone the same way.
            models.Index(fields=["name", "id", "is_active"], name="worker_name_search"),
            models.Index(fields=["name", "birth_date", "is_active"], name="worker_name_birth_active"),
            models.Index(fields=["phone_hash", "is_active"], name="worker_phone_active"),
            models.Index(fields=["district", "is_active", "-id"], name="worker_district"),
            models.Index(fields=["current_employer", "is_active", "-id"], name="worker_employer"),
            models.Index(fields=["is_active", "-id"], name="worker_active"),
        ]
        permissions = [
            ("unmask_worker", _("查看完整身份证号和手机号")),
            ("merge_worker", _("合并重复职工")),
            ("export_worker", _("导出职工")),
            # Union membership has no table of its own (the roll, decision 0009): its permissions are the worker's.
            ("view_union_membership", _("查看工会会籍")),
            ("add_union_membership", _("登记入会")),
            ("change_union_membership", _("办理退会/转出")),
        ]
        verbose_name = _("职工")
        verbose_name_plural = _("职工")

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def get_absolute_url(self) -> str:
        return reverse("registry:worker_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        # The roll is the record of membership, rewritten under the worker's row lock by the membership services
        # alone (``union_roll.write_roll``): saving a worker read earlier must not put back the roll it read.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [field.attname for field in self._meta.concrete_fields
                                       if not field.primary_key and field.attname != "union_roll"
                                       and field.attname not in deferred]
        super().save(*args, **kwargs)


class WorkerFact(models.Model):
    """The value of one time-varying worker attribute (hukou, education…) over a period (inclusive).
    Values are encrypted at rest, of every kind (decision 0009): hukou and political status are
    sensitive, and one rule for every kind keeps the kind itself from telling which rows to read."""

    # No index of its own: workerfact_worker leads with it, and a worker's few rows need no order.
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="facts", db_index=False)
    kind = models.CharField(_("属性"), max_length=32, choices=WorkerFactKind.choices)
    # A blank value (not stated) is sealed too: a blank political-status fact would otherwise be told in a dump.
    value = EncryptedTextField(_("值"), blank=True, pad_block=CODE_BLOCK, seal_blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    objects = WorkerFactQuerySet.as_manager()

    class Meta:
        ordering = ["worker", "kind", "valid_from"]
        indexes = [models.Index(fields=["worker", "kind", "valid_from"], name="workerfact_worker")]
        constraints = [models.CheckConstraint(condition=DATES_IN_ORDER, name="workerfact_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}={self.value} {self.valid_from}–{self.valid_to or ''}"


class EmploymentSpell(VersionedModel):
    """A period of employment of a worker by an employer (dates inclusive; open while ``end_date`` is
    empty). Several open spells may coexist: a worker with two employers is shown, not rejected."""

    # No index of its own: spell_worker_current leads with it. (Employer, district and current-employer keep
    # theirs: a one-column index also yields rows in id order, which the paged lists need.)
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="spells", db_index=False)
    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="spells",
                                 verbose_name=_("用人单位"))
    occupation = models.ForeignKey("reference.Occupation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("职业"))
    start_date = models.DateField(_("入职日期"))
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    # The spell's latest labour contract, a copy kept by the contract services (``services.contracts``) for
    # today's lists, filters and exports: the record is ``LabourContract`` (decision 0020), and questions "as
    # of" a day go there. ``is_contract_signed``: the spell has any contract; the others are its latest's.
    is_contract_signed = models.BooleanField(_("已签劳动合同"), default=False, editable=False)
    contract_type = models.CharField(_("合同类型"), max_length=16, choices=ContractType.choices, blank=True,
                                     editable=False)
    contract_start = models.DateField(_("合同起始日期"), null=True, blank=True, editable=False)
    contract_end = models.DateField(_("合同终止日期"), null=True, blank=True, editable=False)
    is_dispatched = models.BooleanField(_("劳务派遣"), default=False)
    # The skill level (1-5) the employer's roster gives without a certificate: unverified until a
    # certificate backs it; indicators count certified levels, this one beside them (decision 0013).
    reported_skill_level = models.PositiveSmallIntegerField(_("单位填报技能等级"), null=True, blank=True)
    # 一线职工 / 专业技术人员 / 管理人员 on this spell; blank is unknown, never one of them (issue 16, decision 0006).
    post_category = models.CharField(_("岗位类别"), max_length=16, choices=PostCategory.choices, blank=True,
                                     default=PostCategory.UNKNOWN)

    objects = SpellQuerySet.as_manager()

    # Not the contract columns: a copy of the latest contract, whose own rows carry the log (decision 0020).
    CHANGELOG_FIELDS = ["employer", "occupation", "start_date", "end_date", "is_dispatched", "reported_skill_level",
                        "post_category"]

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["employer", "end_date"], name="spell_employer_end"),
            # A worker's spells covering a day, and at which employer, from the index alone: the district scope
            # (``querysets.in_district``) checks one per listed worker (issue 15).
            models.Index(fields=["worker", "end_date", "start_date", "employer"], name="spell_worker_current"),
            models.Index(fields=["start_date"], name="spell_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="spell_dates_in_order",
            )
        ]
        verbose_name = _("就业记录")
        verbose_name_plural = _("就业记录")

    def __str__(self) -> str:
        return f"{self.employer} {self.start_date}–{self.end_date or ''}"


class LabourContract(VersionedModel):
    """A labour contract of an employment spell (decision 0020): several per spell over time, a fixed-term
    contract, its renewals, a change to open-ended. Dates inclusive; an open-ended contract has no end.

    ``dates_known`` False: the contract is known to have been signed but not from when (a roster that says
    only "signed", or a spell recorded before contracts had dates): it has no start date, and the indicators
    count it apart as "dates unknown" on the days it may cover rather than guess. Written by
    ``services.contracts`` alone."""

    spell = models.ForeignKey(EmploymentSpell, on_delete=models.CASCADE, related_name="contracts",
                              verbose_name=_("就业记录"))
    kind = models.CharField(_("合同类型"), max_length=16, choices=ContractType.choices, blank=True)
    dates_known = models.BooleanField(_("合同日期已知"))
    start_date = models.DateField(_("合同起始日期"), null=True, blank=True)
    end_date = models.DateField(_("合同终止日期"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ContractSource.choices)
    # The roster import and its row a contract came from (``source`` import): plain numbers, so that the
    # registry does not depend on the importer's tables.
    source_import = models.PositiveIntegerField(_("导入批次"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("导入行号"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    CHANGELOG_FIELDS = ["kind", "dates_known", "start_date", "end_date", "signed_on", "source"]

    class Meta:
        ordering = ["spell", "dates_known", "start_date", "id"]  # unknown dates first
        indexes = [models.Index(fields=["spell", "start_date"], name="contract_spell_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="contract_dates_in_order"),
            # Dates unknown means no start date, never a guessed one (an end date may still be known).
            models.CheckConstraint(
                condition=models.Q(dates_known=True, start_date__isnull=False)
                | models.Q(dates_known=False, start_date__isnull=True),
                name="contract_start_known_or_none"),
        ]
        verbose_name = _("劳动合同")
        verbose_name_plural = _("劳动合同")

    def __str__(self) -> str:
        if not self.dates_known:
            return f"{self.get_kind_display() or _('劳动合同')}（{_('日期不详')}）"
        return f"{self.get_kind_display() or _('劳动合同')} {self.start_date}–{self.end_date or ''}"

    def covers(self, day) -> bool:
        """Whether the contract's known dates cover ``day`` (never one with unknown dates)."""
        return bool(self.dates_known and self.start_date <= day and (self.end_date is None or self.end_date >= day))


class Certificate(VersionedModel):
    """A skill certificate: vocational qualification, skill-level certificate or special ability."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书类型"), max_length=32, choices=CertificateKind.choices)
    occupation = models.ForeignKey("reference.Occupation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("职业（工种）"))
    level = models.ForeignKey("reference.SkillLevel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("等级"))
    number = models.CharField(_("证书编号"), max_length=50)
    issuer = models.CharField(_("发证机构"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    CHANGELOG_FIELDS = ["kind", "occupation", "level", "number", "issuer", "issued_on", "valid_until"]

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["level", "issued_on"], name="certificate_level_issued")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_unique_number"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("issued_on")),
                name="certificate_dates_in_order",
            ),
        ]
        verbose_name = _("技能证书")
        verbose_name_plural = _("技能证书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class MembershipSequence(models.Model):
    """The one-row counter that gives union memberships their ids (``union_roll.next_membership_ids``): a
    sequence, not a table of memberships, so it tells nobody whose they are (decision 0009)."""

    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_id)
