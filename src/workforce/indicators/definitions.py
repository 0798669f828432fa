"""What each indicator counts, over what: one registered definition per indicator (§I.2, §3).

A definition states its rule twice, in two small functions that must agree:

- ``measure(day)`` on the in-memory columns (``engine.Day``): the numerator flags and the denominator
  flags (``None``: the whole base). Fast, for dashboards and series.
- ``records(base, on)`` on the ORM: the numerator and denominator querysets. Plain and obviously right,
  for drill-down lists ("which records are behind this figure"), the tests and the benchmark's
  straightforward figures.

The *base* is what an indicator is counted among on the day: for worker indicators the active workers
with a spell covering the day (each in the district, industry, ownership and size of their main
employer); for employer indicators the employers with staff on the day (``staff_on``).

A worker definition's ``measure`` reads only the worker's own rows and the employers' attributes on the
day (never ``headcount`` or ``has_fact``): a series is computed from the workers that change between months
(``figures.monthly_counts``), which is exact only then.

An employer's district, industry, ownership and above-scale flag are those of the day: a dated attribute
fact covering it, else the employer's own field (``_employer_attribute_on``; ``Day.employer_*``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from workforce.core.bulk import one_parameter
from workforce.indicators.choices import SIZE_BANDS, Breakdown, Subject
from workforce.indicators.engine import Day
from workforce.indicators.loading import AGRICULTURE_SECTION, NON_PUBLIC, PARTY_STATUSES
from workforce.reference.models import Industry, SkillLevel
from workforce.registry.choices import (
    STORED_TRUE,
    EmployerAttribute,
    EmployerFactKind,
    HukouType,
    LegalPersonKind,
    Ownership,
    PostCategory,
    WorkerFactKind,
)
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerAttributeFact,
    EmployerFact,
    EmploymentSpell,
    LabourContract,
    Worker,
    WorkerFact,
)

Flags = np.ndarray


@dataclass(frozen=True)
class Definition:
    """A registered rule: ``code`` (what ``Indicator.definition`` names), its subject, and its two forms."""

    code: str
    subject: Subject
    is_count: bool  # the figure is the numerator itself (a number of people), not a ratio
    measure: Callable[[Day], tuple[Flags, Flags | None]]
    records: Callable[[QuerySet, datetime.date], tuple[QuerySet, QuerySet]]
    doc: str
    # Its records say of each person that they hold a sensitive attribute (union or party membership,
    # rural hukou): opening them is unmasking (decision 0009).
    is_revealing: bool = False
    # A worker definition counting the workers whose main employer has this flag on the day (over employers,
    # e.g. a union: ``Day.has_fact``): a worker's count can change with no row of theirs changing, so a series
    # follows the workers' changes for the base only and applies each day's flag to it (``figures.monthly_counts``).
    employer_flag: Callable[[Day], Flags] | None = None
    # A count that also takes in people with no spell covering the day (the registered figure): their number on
    # the day (columns), and the ORM base of the city's figure that holds them. They belong to no employer,
    # so to no breakdown cell: the breakdowns add up to the employed part (``figures.figures_by``).
    unplaced: Callable[[Day], int] | None = None
    city_base: Callable[[datetime.date], QuerySet] | None = None
    # The base's members for whom what the numerator asks is not stated (issue 15: a blank political status),
    # flags on the day as ``measure``'s: never counted in the numerator, and shown as a count beside the figure
    # so that a reader knows how much of the base the figure could not tell. None: the records always say.
    unstated: Callable[[Day], Flags] | None = None
    # What ``unstated`` counts, as a label and a sentence (``%(count)s`` of ``%(base)s``) for pages, the API and
    # reports; blank: a value not stated ("未填报").
    unstated_label: str = ""
    unstated_sentence: str = ""

    def unstated_wording(self) -> tuple[str, str]:
        """(label, sentence) of the count ``unstated`` gives; the sentence takes ``count`` and ``base``."""
        return (str(self.unstated_label or _("未填报")),
                str(self.unstated_sentence or _("基数 %(base)s 人中 %(count)s 人未填报，不计入分子")))


DEFINITIONS: dict[str, Definition] = {}


def define(code: str, subject: Subject, doc: str, measure, records, *, is_count: bool = False,
           is_revealing: bool = False, employer_flag=None, unplaced=None, city_base=None,
           unstated: Callable[[Day], Flags] | None = None, unstated_label: str = "",
           unstated_sentence: str = "") -> None:
    """Register a definition under ``code`` (what ``Indicator.definition`` names)."""
    assert code not in DEFINITIONS, f"definition {code} registered twice"
    assert (unplaced is None) == (city_base is None), "a count of unplaced people needs its ORM base too"
    DEFINITIONS[code] = Definition(code, subject, is_count, measure, records, doc, is_revealing,
                                   employer_flag, unplaced, city_base, unstated, unstated_label, unstated_sentence)


def register(code: str, subject: Subject, *, is_count: bool = False, is_revealing: bool = False):
    """Register the class's ``measure`` and ``records`` under ``code``: for a rule of its own."""

    def decorate(cls):
        define(code, subject, (cls.__doc__ or "").strip(), cls.measure, cls.records, is_count=is_count,
               is_revealing=is_revealing, unplaced=getattr(cls, "unplaced", None),
               city_base=getattr(cls, "city_base", None))
        return cls

    return decorate


def share_of_base(code: str, subject: Subject, doc: str, *, flags: Callable[[Day], Flags],
                  condition: Callable[[datetime.date], Q], is_count: bool = False,
                  is_revealing: bool = False, unstated: Callable[[Day], Flags] | None = None,
                  unstated_label: str = "", unstated_sentence: str = "") -> None:
    """Register a definition counting the part of the whole base with ``flags`` (columns) or ``condition``
    (ORM) on the day, over the whole base (for a count, the part itself)."""
    define(code, subject, doc, lambda day: (flags(day), None),
           lambda base, on: (base.filter(condition(on)), base), is_count=is_count, is_revealing=is_revealing,
           unstated=unstated, unstated_label=unstated_label, unstated_sentence=unstated_sentence)


# The plan's 企业 figures count enterprises only (issue 16): legal-person kind 企业 (GB 32100 code 91…, or as
# corrected), not the public hospitals, schools or welfare homes that are state-owned 事业单位.
ENTERPRISES = Q(legal_person_kind=LegalPersonKind.ENTERPRISE)


def state_employers_with(code: str, kind: str, doc: str) -> None:
    """Register a definition counting the state-owned and state-controlled enterprises (legal-person kind 企业)
    with a governance fact of ``kind`` on the day, over those enterprises."""

    def measure(day):
        state = day.employer_is_state & day.employer_is_enterprise
        return state & day.has_fact(kind), state

    def records(base, on):
        state = base.filter(_ownership_on(on, Ownership.state()), ENTERPRISES)
        return state.filter(_fact_on(on, kind)), state

    define(code, Subject.EMPLOYERS, doc, measure, records)


# ------------------------------------------------------------------------------ ORM building blocks


def _on(prefix: str, on: datetime.date, start: str, end: str) -> Q:
    return Q(**{f"{prefix}{start}__lte": on}) & (Q(**{f"{prefix}{end}__isnull": True})
                                                 | Q(**{f"{prefix}{end}__gte": on}))


def staff_on(on: datetime.date) -> Coalesce:
    """The number of distinct active workers with a spell at the employer covering ``on``."""
    spells = (EmploymentSpell.objects.on(on).filter(employer=OuterRef("pk"), worker__is_active=True)
              .order_by().values("employer").annotate(n=Count("worker", distinct=True)).values("n"))
    return Coalesce(Subquery(spells, output_field=IntegerField()), Value(0))


def operating_employers(on: datetime.date) -> QuerySet:
    """Employers with staff on ``on``, annotated with ``staff_on``."""
    return Employer.objects.annotate(staff_on=staff_on(on)).filter(staff_on__gt=0)


def main_employer(on: datetime.date) -> Subquery:
    """The employer of the worker's main spell on ``on``: the covering spell that started last."""
    return Subquery(EmploymentSpell.objects.on(on).filter(worker=OuterRef("pk"))
                    .order_by("-start_date", "-id").values("employer_id")[:1])


def employed_workers(on: datetime.date) -> QuerySet:
    """Active workers with a spell covering ``on``, annotated with ``main_employer_id``."""
    return Worker.objects.active().employed_on(on).annotate(main_employer_id=main_employer(on))


def employers_in(on: datetime.date, breakdown: str | None, key: str | None) -> QuerySet:
    """Operating employers in one cell of a breakdown (all of them without one)."""
    employers = operating_employers(on)
    if not breakdown:
        return employers
    if breakdown == Breakdown.DISTRICT:
        return employers.filter(_employer_attribute_on(on, EmployerAttribute.DISTRICT, [key], Q(district_id=key)))
    if breakdown == Breakdown.INDUSTRY:
        return employers.filter(_section_on(on, key))
    if breakdown == Breakdown.OWNERSHIP:
        return employers.filter(_ownership_on(on, [key]))
    for band, low, high, _label in SIZE_BANDS:
        if band == key:
            employers = employers.filter(staff_on__gte=low)
            return employers.filter(staff_on__lte=high) if high is not None else employers
    return employers.none()


def definition_base(definition: Definition, on: datetime.date, breakdown: str | None = None,
                    key: str | None = None) -> QuerySet:
    """The base a definition's ``records`` count in: the city's own base for a count that takes in people
    outside any employer (``Definition.city_base``), else ``base_records``."""
    if definition.city_base is not None and not breakdown:
        return definition.city_base(on)
    return base_records(definition.subject, on, breakdown, key)


def base_records(subject: str, on: datetime.date, breakdown: str | None = None, key: str | None = None) -> QuerySet:
    """The base of a figure: employed workers or operating employers, in one breakdown cell."""
    employers = employers_in(on, breakdown, key)
    if subject == Subject.EMPLOYERS:
        return employers
    workers = employed_workers(on)
    if breakdown:
        workers = workers.filter(main_employer_id__in=employers.values("pk"))
    return workers


def _spell_exists(on, **filters) -> Exists:
    return Exists(EmploymentSpell.objects.on(on).filter(worker=OuterRef("pk"), **filters))


def _main_post_in(base: QuerySet, on, categories) -> QuerySet:
    """The workers of ``base`` whose main spell on ``on`` (as ``main_employer``) has a post category in
    ``categories``."""
    post = Subquery(EmploymentSpell.objects.on(on).filter(worker=OuterRef("pk")).order_by("-start_date", "-id")
                    .values("post_category")[:1])
    return base.annotate(main_post=post).filter(main_post__in=categories)


def _certificate_exists(on, **filters) -> Exists:
    return Exists(Certificate.objects.on(on).filter(worker=OuterRef("pk"), level__isnull=False, **filters))


def _member_on(on) -> Q:
    """A union member on ``on`` (any union): the rolls are sealed (decision 0009), so no SQL can ask them; the
    provider's set when one holds it (the columns), else every roll read and decrypted here, and the workers found
    given to the query as one parameter."""
    from workforce.registry.flag_sources import current_flag_sets
    from workforce.registry.memberships import members_of

    flags = current_flag_sets()
    members = flags.union_members(on) if flags is not None else members_of(Worker.objects.all(), None, on)
    return Q(pk__in=one_parameter(Worker._meta.pk, members))


def _dated_on(facts: QuerySet, values, own: Q) -> Q:
    """A dated attribute is in ``values`` on the day ``facts`` (the record's facts of the attribute covering
    it) are of: the covering fact says so, or none covers the day and the record's own field does (``own``)."""
    return Exists(facts.filter(value__in=values)) | (~Exists(facts) & own)


def _attribute_on(on, kind: str, values, field: str) -> Q:
    """The worker's attribute on ``on`` is in ``values``: a covering fact says so, or none covers the day and
    the record's own field does. The values are encrypted (decision 0009), so no SQL can compare them: the
    facts covering the day and the records are read and decrypted here (every worker's: seconds at a
    million), and the workers found are given to the query as one parameter."""
    covered: dict[int, bool] = {}
    for worker_id, value in WorkerFact.objects.on(on).filter(kind=kind).values_list("worker_id", "value"):
        covered[worker_id] = covered.get(worker_id, False) or value in values
    holders = [pk for pk, own in Worker.objects.order_by().values_list("pk", field)
               if covered.get(pk, own in values)]
    return Q(pk__in=one_parameter(Worker._meta.pk, holders))


def _employer_attribute_on(on, attribute: str, values, own: Q) -> Q:
    """The employer's ``attribute`` on ``on`` is in ``values`` (``own``: the same of its own field)."""
    facts = EmployerAttributeFact.objects.on(on).filter(employer=OuterRef("pk"), attribute=attribute)
    return _dated_on(facts, values, own)


def _ownership_on(on, ownerships) -> Q:
    return _employer_attribute_on(on, EmployerAttribute.OWNERSHIP, ownerships, Q(ownership__in=ownerships))


def _section_on(on, section: str) -> Q:
    """The employer's industry on ``on`` is in GB/T 4754 section ``section``."""
    codes = Industry.objects.filter(section=section).values("code")
    return _employer_attribute_on(on, EmployerAttribute.INDUSTRY, codes, Q(industry__section=section))


def _fact_on(on, kind: str, **filters) -> Exists:
    return Exists(EmployerFact.objects.on(on).filter(employer=OuterRef("pk"), kind=kind, **filters))


def migrant_on(on) -> Q:
    """Rural hukou on the day and a spell covering it outside agriculture (农民工)."""
    farms = Employer.objects.filter(_section_on(on, AGRICULTURE_SECTION))
    non_farm = Exists(EmploymentSpell.objects.on(on).filter(worker=OuterRef("pk")).exclude(employer__in=farms))
    return _attribute_on(on, WorkerFactKind.HUKOU, [HukouType.RURAL], "hukou_type") & non_farm


# ------------------------------------------------------------------------------------ definitions


share_of_base(
    "skilled_talents", Subject.WORKERS,
    "技能人才总量: employed workers holding on the day a certificate with a skill level (any of 1–5).",
    flags=lambda day: day.is_skilled, condition=_certificate_exists, is_count=True)


@register("skilled_talents_registered", Subject.WORKERS, is_count=True)
class SkilledTalentsRegistered:
    """技能人才总量（全市登记）: active (not merged) workers of the registry holding on the day a certificate with a
    skill level, whether or not a spell covers the day. Those with a spell count at their main employer (the
    breakdowns); those without one only in the city's figure (``unplaced``)."""

    @staticmethod
    def measure(day):
        return day.is_skilled, None

    @staticmethod
    def unplaced(day) -> int:
        return day.skilled_without_spell

    @staticmethod
    def city_base(on):
        return Worker.objects.active().filter(Q(pk__in=employed_workers(on).values("pk")) | _certificate_exists(on))

    @staticmethod
    def records(base, on):
        return base.filter(_certificate_exists(on)), base


@register("high_skilled_share", Subject.WORKERS)
class HighSkilledShare:
    """高技能人才占技能人才比例: skilled talents holding a level-3-or-above certificate, over skilled talents."""

    @staticmethod
    def measure(day):
        return day.is_high_skilled, day.is_skilled

    @staticmethod
    def records(base, on):
        skilled = base.filter(_certificate_exists(on))
        return skilled.filter(_certificate_exists(on, level__is_high_skilled=True)), skilled


# The same two figures counting the levels employers report on their rosters without a certificate
# (``EmploymentSpell.reported_skill_level``, unverified, decision 0013): the certified level where a certificate
# is valid on the day, else the highest level reported on a spell covering the day. The plan's targets stay
# with the certified figures above.


def _reported_on(on, levels=None) -> Exists:
    """A spell covering ``on`` reports a skill level (one of ``levels``: a queryset of level numbers)."""
    if levels is None:
        return _spell_exists(on, reported_skill_level__isnull=False)
    return _spell_exists(on, reported_skill_level__in=levels)


def _skilled_counting_reported(on) -> Q:
    return _certificate_exists(on) | _reported_on(on)


share_of_base(
    "skilled_talents_with_reported", Subject.WORKERS,
    "Skilled talents, reported levels included: employed workers holding on the day a certificate with a skill "
    "level, or without one, with a skill level their employer reported (unverified) on a spell covering the day.",
    flags=lambda day: day.is_skilled_counting_reported, condition=_skilled_counting_reported, is_count=True)


@register("high_skilled_share_with_reported", Subject.WORKERS)
class HighSkilledShareWithReported:
    """高技能人才占技能人才比例（含单位填报等级）: as ``high_skilled_share``, a level reported on a covering
    spell standing in where no certificate with a level is valid on the day (a report never raises a
    certified level)."""

    @staticmethod
    def measure(day):
        return day.is_high_skilled_counting_reported, day.is_skilled_counting_reported

    @staticmethod
    def records(base, on):
        skilled = base.filter(_skilled_counting_reported(on))
        high_levels = SkillLevel.objects.filter(is_high_skilled=True).values("level")
        high = _certificate_exists(on, level__is_high_skilled=True) | (
            ~_certificate_exists(on) & _reported_on(on, high_levels))
        return skilled.filter(high), skilled


def _contract_on(on) -> Exists:
    """A labour contract with known dates covering ``on`` on a spell of the worker covering it (decision 0020)."""
    return Exists(LabourContract.objects.on(on).filter(
        Q(spell__end_date__isnull=True) | Q(spell__end_date__gte=on), spell__worker=OuterRef("pk"),
        spell__start_date__lte=on))


share_of_base(
    "labor_contract_rate", Subject.WORKERS,
    "劳动合同签订率: employed workers with a labour contract covering the day (its start and end dates, both "
    "inclusive) on a spell covering the day, over employed workers. A contract whose dates are not known "
    "(signed, but not known from when: a roster that said only \"signed\", or a spell recorded before contracts "
    "had dates) is not counted in the numerator; how many workers have only such a contract on the day is "
    "shown beside the figure (decision 0020).",
    flags=lambda day: day.has_signed_contract, condition=_contract_on,
    unstated=lambda day: day.is_contract_dates_unknown, unstated_label=_("合同日期不详"),
    unstated_sentence=_("基数 %(base)s 人中 %(count)s 人已签劳动合同但合同日期不详，不计入分子"))

share_of_base(
    "union_membership_coverage", Subject.WORKERS,
    "工会会员覆盖率: employed workers who are union members on the day, over employed workers.",
    flags=lambda day: day.is_union_member, condition=_member_on, is_revealing=True)


@register("migrant_union_membership", Subject.WORKERS, is_revealing=True)
class MigrantUnionMembership:
    """农民工入会率: migrant workers (rural hukou, non-farm work) who are union members, over migrant workers."""

    @staticmethod
    def measure(day):
        return day.is_migrant & day.is_union_member, day.is_migrant

    @staticmethod
    def records(base, on):
        migrants = base.filter(migrant_on(on))
        return migrants.filter(_member_on(on)), migrants


share_of_base(
    "worker_party_members", Subject.WORKERS,
    "在职职工中党员比例: employed workers who are members or probationary members of the CPC on the day, over "
    "employed workers. Not the share of workers among newly admitted members (§1 发展党员), which needs admission "
    "records the registry does not hold. A worker whose political status is not stated (blank) is not "
    "counted as a member; how many there are is shown beside the figure (issue 15).",
    flags=lambda day: day.is_party_member,
    condition=lambda on: _attribute_on(on, WorkerFactKind.POLITICAL_STATUS, list(PARTY_STATUSES),
                                       "political_status"),
    is_revealing=True, unstated=lambda day: day.is_party_unstated)

def _party_on(on) -> Q:
    return _attribute_on(on, WorkerFactKind.POLITICAL_STATUS, list(PARTY_STATUSES), "political_status")


@register("frontline_party_members", Subject.WORKERS, is_revealing=True)
class FrontLinePartyMembers:
    """一线职工党员比例 (§1 工人党员): employed workers whose main spell on the day is in a front-line post (一线职工)
    who are members or probationary members of the CPC, over employed front-line workers. A worker whose post
    category is unknown counts in neither (issue 16)."""

    @staticmethod
    def measure(day):
        front = day.is_front_line
        return front & day.is_party_member, front

    @staticmethod
    def records(base, on):
        front = _main_post_in(base, on, [PostCategory.FRONT_LINE])
        return front.filter(_party_on(on)), front


share_of_base(
    "post_category_reported", Subject.WORKERS,
    "岗位类别填报率: employed workers whose main spell on the day has a post category (一线职工, 专业技术人员 or "
    "管理人员), over employed workers: how far the front-line figures reach.",
    flags=lambda day: day.has_post_category,
    condition=lambda on: Q(pk__in=_main_post_in(Worker.objects.all(), on, PostCategory.values[1:]).values("pk")))

def workers_at_employers_with(code: str, doc: str, *, flag: Callable[[Day], Flags],
                              condition: Callable[[datetime.date], Q]) -> None:
    """Register a definition counting the employed workers whose main employer has ``flag`` (columns, over
    employers) or ``condition`` (ORM, on the employers) on the day, over employed workers."""
    define(code, Subject.WORKERS, doc, lambda day: (flag(day)[day.worker_employer], None),
           lambda base, on: (base.filter(main_employer_id__in=Employer.objects.filter(condition(on)).values("pk")),
                             base), employer_flag=flag)


workers_at_employers_with(
    "union_organisation_coverage_workers",
    "Union organisation coverage by workers: employed workers whose main employer has a union on the day, over "
    "employed workers, as the national union statistics count it (the workers of the units with a union, "
    "decision 0006).",
    flag=lambda day: day.has_fact(EmployerFactKind.UNION), condition=lambda on: _fact_on(on, EmployerFactKind.UNION))


share_of_base(
    "union_organisation_coverage", Subject.EMPLOYERS,
    "工会组织覆盖率: operating employers with a union on the day, over operating employers.",
    flags=lambda day: day.has_fact(EmployerFactKind.UNION),
    condition=lambda on: _fact_on(on, EmployerFactKind.UNION))

state_employers_with(
    "soe_workers_congress", EmployerFactKind.WORKERS_CONGRESS,
    "国有及国有控股企业建立职工代表大会: state-owned and state-controlled employers with a workers' congress.")

state_employers_with(
    "soe_affairs_disclosure", EmployerFactKind.AFFAIRS_DISCLOSURE,
    "国有及国有控股企业实行厂务公开: state-owned and state-controlled employers with factory-affairs disclosure.")


@register("independent_union_rate", Subject.EMPLOYERS)
class IndependentUnionRate:
    """单独建制率: non-public enterprises (legal-person kind 企业) with 100 or more staff and a union on the day
    whose union is established independently (单独建制), over those enterprises."""

    @staticmethod
    def measure(day):
        base = (day.employer_is_non_public & day.employer_is_enterprise & (day.headcount >= 100)
                & day.has_fact(EmployerFactKind.UNION))
        return base & day.has_fact(EmployerFactKind.UNION, independent=True), base

    @staticmethod
    def records(base, on):
        unionised = base.filter(_ownership_on(on, NON_PUBLIC), ENTERPRISES, staff_on__gte=100).filter(
            _fact_on(on, EmployerFactKind.UNION))
        return unionised.filter(_fact_on(on, EmployerFactKind.UNION, is_independent=True)), unionised


def state_or_above_scale_with(code: str, kind: str, doc: str) -> None:
    """Register a definition counting the state-owned, state-controlled and above-scale enterprises with a
    governance fact of ``kind`` on the day, over those employers."""

    def measure(day):
        eligible = (day.employer_is_state | day.employer_is_above_scale) & day.employer_is_enterprise
        return eligible & day.has_fact(kind), eligible

    def records(base, on):
        above_scale = _employer_attribute_on(on, EmployerAttribute.ABOVE_SCALE, [STORED_TRUE], Q(is_above_scale=True))
        eligible = base.filter(_ownership_on(on, Ownership.state()) | above_scale).filter(ENTERPRISES)
        return eligible.filter(_fact_on(on, kind)), eligible

    define(code, Subject.EMPLOYERS, doc, measure, records)


state_or_above_scale_with(
    "collective_bargaining_rate", EmployerFactKind.COLLECTIVE_BARGAINING,
    "Collective bargaining mechanisms: state-owned, state-controlled and above-scale enterprises (legal-person "
    "kind 企业) with a collective bargaining mechanism established and not lapsed on the day (what the plan "
    "counts), over those enterprises.")

state_or_above_scale_with(
    "collective_contract_rate", EmployerFactKind.COLLECTIVE_CONTRACT,
    "Collective contracts: state-owned, state-controlled and above-scale enterprises (legal-person kind 企业) "
    "with a collective contract in force on the day, over those enterprises (beside the mechanism, monitored).")
