"""Registering and editing employers and their governance facts."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import diff, record_change, record_update, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.identifiers import IdentifierError, parse_uscc
from workforce.core.messages import shown
from workforce.registry.choices import (
    ROUND_KINDS,
    STORED_FALSE,
    STORED_TRUE,
    EmployerAttribute,
    EmployerFactKind,
    LegalPersonKind,
)
from workforce.registry.legal_person import derived_kind
from workforce.registry.models import Employer, EmployerAttributeFact, EmployerFact, EmploymentSpell, Worker
from workforce.registry.services.facts import refresh_current_facts_of, today
from workforce.registry.services.history import first_known, record_dated_changes

if TYPE_CHECKING:
    from workforce.accounts.models import User

EMPLOYER_FIELDS = {"uscc", "name", "district", "industry", "ownership", "is_above_scale", "address", "is_active"}
# Not a field of its own: a correction of the derived legal-person kind (a ``LegalPersonKind`` value, or "" to
# go back to the derivation), which ``update_employer`` takes beside the fields.
KIND_CORRECTION = "legal_person_kind"
ATTRIBUTE_FIELDS = {EmployerAttribute.DISTRICT: "district_id", EmployerAttribute.INDUSTRY: "industry_id",
                    EmployerAttribute.OWNERSHIP: "ownership", EmployerAttribute.ABOVE_SCALE: "is_above_scale"}


def _check_uscc(employer: Employer) -> None:
    try:
        employer.uscc = parse_uscc(employer.uscc)
    except IdentifierError as error:
        raise ValidationError({"uscc": shown(error.message)}) from None
    if Employer.objects.filter(uscc=employer.uscc).exclude(pk=employer.pk).exists():
        raise ValidationError({"uscc": _("该统一社会信用代码已登记。")})


def _check_district_scope(employer: Employer, acting_user: User | None) -> None:
    """A district officer registers employers of their own district only."""
    district_id = getattr(acting_user, "district_id", None)
    if getattr(acting_user, "scope_kind", None) == ScopeKind.DISTRICT and employer.district_id != district_id:
        raise ValidationError({"district": _("只能登记本区县的用人单位。")})


def _check_move(employer: Employer, old_district_id: str | None, acting_user: User | None) -> None:
    """Who may move an employer to another district (decision 0002): the district decides which officers see
    the employer and its staff, so only city-wide staff move it. Its own HR cannot (it would choose who
    supervises it), nor a district officer (moving out gives the employer away; moving in takes one they
    cannot see)."""
    if employer.district_id == old_district_id or acting_user is None:
        return
    if getattr(acting_user, "scope_kind", None) != ScopeKind.CITY:
        raise ValidationError({"district": _("用人单位迁往其他区县，须由市级主管部门变更所在区县。")})


def _set_legal_person_kind(employer: Employer, correction: str | None, acting_user: User | None) -> None:
    """Set the employer's legal-person kind (issue 16): the USCC's derivation (GB 32100,
    ``registry.legal_person``) unless corrected. ``correction`` None keeps what is there (a correction stays,
    a derivation follows a changed USCC); "" drops a correction; a kind corrects the derivation, which only
    city-wide staff do (the kind decides which enterprise figures count the employer). A correction equal to
    the derivation is no correction."""
    derived = derived_kind(employer.uscc)
    if correction is None:
        if not employer.legal_person_kind_corrected:
            employer.legal_person_kind = derived
        return
    if (correction and correction not in LegalPersonKind.values) or correction == LegalPersonKind.UNKNOWN:
        raise ValidationError({KIND_CORRECTION: _("请选择有效的法人类型。")})
    corrected = bool(correction) and correction != derived
    kind = correction if corrected else derived
    if (kind, corrected) == (employer.legal_person_kind, employer.legal_person_kind_corrected):
        return
    if acting_user is not None and getattr(acting_user, "scope_kind", None) != ScopeKind.CITY:
        raise ValidationError({KIND_CORRECTION: _("法人类型由统一社会信用代码得出，更正须由市级主管部门办理。")})
    employer.legal_person_kind, employer.legal_person_kind_corrected = kind, corrected


def _follow_move(employer: Employer) -> None:
    """After ``employer`` moved district, its workers' district (``Worker.district``) follows: those whose
    main spell is there, set-based; and those without a spell today whose last employer it was, recomputed."""
    Worker.objects.filter(current_employer=employer).update(district_id=employer.district_id)
    working_today = EmploymentSpell.objects.on(today()).values("worker_id")
    former = (EmploymentSpell.objects.filter(employer=employer).exclude(worker_id__in=working_today)
              .values_list("worker_id", flat=True).distinct())
    refresh_current_facts_of(list(former))


@transaction.atomic
def register_employer(data: dict[str, Any], *, acting_user: User | None, channel: Channel) -> Employer:
    """Register an employer after checking its USCC (GB 32100) and uniqueness."""
    unknown = set(data) - EMPLOYER_FIELDS
    assert not unknown, f"unexpected employer fields: {unknown}"
    employer = Employer(**data)
    _check_uscc(employer)
    _set_legal_person_kind(employer, None, acting_user)
    _check_district_scope(employer, acting_user)
    employer.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        raise ValidationError({"uscc": _("该统一社会信用代码已登记。")}) from None
    record_change(employer, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(employer))
    return employer


def _attributes(employer: Employer) -> dict[str, str]:
    """The employer's attributes kept over time, in their facts' stored form (``EmployerAttributeFact``)."""
    def stored(field: str) -> str:
        value = getattr(employer, field)
        return (STORED_TRUE if value else STORED_FALSE) if field == "is_above_scale" else value

    return {attribute: stored(field) for attribute, field in ATTRIBUTE_FIELDS.items()}


@transaction.atomic
def update_employer(employer: Employer, changes: dict[str, Any], *,
                    expected_version: int | None, acting_user: User | None,
                    channel: Channel, effective_on: datetime.date | None = None) -> Employer:
    """Edit an employer if nobody changed it since ``expected_version`` was read. A changed district,
    industry, ownership or above-scale flag holds from ``effective_on`` (default today): the days before
    keep the earlier value (``EmployerAttributeFact``), as the indicators read them for a past date.
    ``changes`` may also correct the legal-person kind (``KIND_CORRECTION``; city-wide staff only): a kind is
    one of the body, not of a period, so a correction holds on every day (``_set_legal_person_kind``)."""
    changes = dict(changes)
    correction = changes.pop(KIND_CORRECTION, None)
    unknown = set(changes) - EMPLOYER_FIELDS
    assert not unknown, f"unexpected employer fields: {unknown}"
    before, old_attributes = snapshot(employer), _attributes(employer)
    old_district_id = employer.district_id
    for key, value in changes.items():
        setattr(employer, key, value)
    _check_uscc(employer)
    _set_legal_person_kind(employer, correction, acting_user)
    _check_move(employer, old_district_id, acting_user)
    _check_district_scope(employer, acting_user)
    employer.full_clean(validate_unique=False)
    save_versioned(employer, expected_version=expected_version)
    new_attributes = _attributes(employer)
    record_dated_changes(EmployerAttributeFact, {"employer": employer}, "attribute",
                         {name: (old, new_attributes[name]) for name, old in old_attributes.items()},
                         effective_on or today(), lambda: first_known(employer.spells.all(), employer.created_at))
    record_update(employer, before, acting_user=acting_user, channel=channel)
    if employer.district_id != old_district_id:
        _follow_move(employer)
    return employer


@transaction.atomic
def set_employer_fact(employer: Employer, kind: EmployerFactKind, *, valid_from: datetime.date,
                      valid_to: datetime.date | None = None, is_independent: bool = False, note: str = "",
                      acting_user: User | None, channel: Channel) -> EmployerFact:
    """Record a governance fact (union, workers' congress…) for a period; an open fact of the same
    kind is closed the day before the new one starts. Overlapping periods are refused. A negotiation round
    (``ROUND_KINDS``) is an event of one day: its end is its day."""
    if kind in ROUND_KINDS:
        if valid_to and valid_to != valid_from:
            raise ValidationError({"valid_to": _("集体协商按次登记：终止日期应留空或与协商日期相同。")})
        valid_to = valid_from
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("终止日期不能早于起始日期。")})
    if kind != EmployerFactKind.UNION and is_independent:
        raise ValidationError({"is_independent": _("“单独建制”只适用于工会。")})
    facts = EmployerFact.objects.select_for_update().filter(employer=employer, kind=kind)
    open_fact = facts.filter(valid_to__isnull=True, valid_from__lt=valid_from).first()
    if open_fact:
        before = snapshot(open_fact)
        open_fact.valid_to = valid_from - datetime.timedelta(days=1)
        save_versioned(open_fact, expected_version=None)
        old, new = diff(before, snapshot(open_fact))
        record_change(open_fact, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old,
                      after=new, parent=employer)
    overlapping = facts.exclude(valid_to__lt=valid_from)
    if valid_to:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise ValidationError({"valid_from": _("与已登记的同类事项时间重叠。")})
    fact = EmployerFact(employer=employer, kind=kind, valid_from=valid_from, valid_to=valid_to,
                        is_independent=is_independent, note=note)
    fact.full_clean()
    fact.save()
    record_change(fact, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(fact),
                  parent=employer)
    return fact


@transaction.atomic
def end_employer_fact(employer: Employer, kind: EmployerFactKind, on: datetime.date, *,
                      acting_user: User | None, channel: Channel) -> EmployerFact | None:
    """Close the open fact of ``kind`` of ``employer`` with ``on`` as its last day (a union dissolved, an
    employer no longer covered by one: decision 0018); None when none is open. A fact that starts after ``on``
    is refused."""
    fact: EmployerFact | None = EmployerFact.objects.select_for_update().filter(
        employer=employer, kind=kind, valid_to__isnull=True).first()
    if fact is None:
        return None
    if on < fact.valid_from:
        raise ValidationError({"valid_to": _("终止日期不能早于起始日期。")})
    before = snapshot(fact)
    fact.valid_to = on
    save_versioned(fact, expected_version=None)
    old, new = diff(before, snapshot(fact))
    record_change(fact, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new,
                  parent=employer)
    return fact
