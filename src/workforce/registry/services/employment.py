"""Employment spells, certificates and union membership: the facts of a worker that have dates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import change_entry, record_change, record_update, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import decrypt_many
from workforce.core.models import ChangeLogEntry
from workforce.registry.choices import CertificateKind, ContractType
from workforce.registry.memberships import Membership, unions_seen_by
from workforce.registry.models import Certificate, Employer, EmploymentSpell, Worker
from workforce.registry.services.contracts import add_contract, contract_data_of, said_contract
from workforce.registry.services.facts import (
    BATCH,
    refresh_current_facts,
    refresh_current_facts_of,
    refresh_employer_headcount,
)
from workforce.registry.services.workers import find_worker_by_id_number, register_worker
from workforce.registry.union_roll import (
    RollEntry,
    decode_roll,
    next_membership_ids,
    raw_tokens,
    seal_reference,
    write_roll,
)

if TYPE_CHECKING:
    from workforce.accounts.models import User

SPELL_FIELDS = {"employer", "occupation", "start_date", "end_date", "is_contract_signed", "contract_type",
                "contract_start", "contract_end", "is_dispatched", "reported_skill_level", "post_category"}
# What a form, roster or API client says of a spell's contract: not written on the spell, but added as a
# contract of its own (``services.contracts``, decision 0020).
CONTRACT_KEYS = ("is_contract_signed", "contract_type", "contract_start", "contract_end")


def check_employer_in_scope(employer: Employer, acting_user: User | None) -> None:
    """Refuse to write facts about an employer the acting user may not see (HR: only their own)."""
    if acting_user is not None and not Employer.objects.visible_to(acting_user).filter(pk=employer.pk).exists():
        raise ValidationError({"employer": _("只能为本单位（本人管辖范围内的单位）登记就业信息。")})


def spell_date_errors(values: dict[str, Any], *, details_known: bool = True) -> dict[str, str]:
    """The rules a spell's own dates and contract facts must obey, as {field: Chinese message}; pure,
    so that the importer checks a million rows without a query each. ``values`` holds the
    ``SPELL_FIELDS`` (missing keys count as empty). Without ``details_known`` (a roster says only that
    a contract was signed, decision 0013) a signed contract may lack its type and start date."""
    errors: dict[str, str] = {}
    start, end = values.get("start_date"), values.get("end_date")
    contract_type = values.get("contract_type") or ""
    contract_start, contract_end = values.get("contract_start"), values.get("contract_end")
    if start and end and end < start:
        errors["end_date"] = _("离职日期不能早于入职日期。")
    if values.get("is_contract_signed"):
        if not contract_type and details_known:
            errors["contract_type"] = _("已签劳动合同时须填写合同类型。")
        if not contract_start and details_known:
            errors["contract_start"] = _("已签劳动合同时须填写合同起始日期。")
        if contract_type == ContractType.FIXED_TERM and not contract_end:
            errors["contract_end"] = _("固定期限劳动合同须填写合同终止日期。")
        if contract_type == ContractType.OPEN_ENDED and contract_end:
            errors["contract_end"] = _("无固定期限劳动合同不应填写合同终止日期。")
    elif contract_type or contract_start or contract_end:
        errors["is_contract_signed"] = _("填写了合同信息，请勾选“已签劳动合同”。")
    if contract_start and contract_end and contract_end < contract_start:
        errors["contract_end"] = _("合同终止日期不能早于合同起始日期。")
    return errors


def validate_spell(spell: EmploymentSpell, channel: Channel | None = None, *, contract_said: bool = True) -> None:
    """Dates in order, contract facts consistent, no overlapping spell at the same employer. A roster
    (``channel`` import) may say a contract was signed without its type and start date (0013). A change that
    does not say the contract (``contract_said`` False) is not checked against the spell's copy of its latest
    contract: the contract was checked when it was added, and one with unknown dates stays so (decision 0020)."""
    errors = spell_date_errors({field: getattr(spell, field) for field in SPELL_FIELDS if field != "employer"},
                               details_known=channel != Channel.IMPORT)
    if not contract_said:  # the contracts were checked when they were added (``services.contracts``)
        errors = {key: message for key, message in errors.items() if key not in CONTRACT_KEYS}
    overlapping = EmploymentSpell.objects.filter(worker=spell.worker, employer=spell.employer).exclude(pk=spell.pk)
    overlapping = overlapping.filter(start_date__lte=spell.end_date or datetime.date.max).exclude(
        end_date__lt=spell.start_date)
    if overlapping.exists():
        errors["start_date"] = _("该职工在本单位已有时间重叠的就业记录。")
    if errors:
        raise ValidationError(errors)


def _validate_with_contract(spell: EmploymentSpell, said: dict[str, Any], channel: Channel | None,
                            contract_said: bool = True) -> None:
    """``validate_spell`` with the contract facts as said (not as the spell's copy of its latest contract)."""
    copy = {key: getattr(spell, key) for key in CONTRACT_KEYS}
    for key, value in said.items():
        setattr(spell, key, value if key != "contract_type" else value or "")
    try:
        validate_spell(spell, channel, contract_said=contract_said)
    finally:
        for key, value in copy.items():
            setattr(spell, key, value)


@transaction.atomic
def add_employment(worker: Worker, data: dict[str, Any], *,
                   acting_user: User | None, channel: Channel) -> EmploymentSpell:
    """Record that ``worker`` works (or worked) for ``data['employer']`` from ``start_date``.

    Another open spell elsewhere is allowed: a worker with two employers is shown, not rejected.
    """
    unknown = set(data) - SPELL_FIELDS
    assert not unknown, f"unexpected spell fields: {unknown}"
    said = {key: data.get(key) for key in CONTRACT_KEYS}
    spell = EmploymentSpell(worker=worker, **{key: value for key, value in data.items() if key not in CONTRACT_KEYS})
    check_employer_in_scope(spell.employer, acting_user)
    _validate_with_contract(spell, said, channel)
    spell.full_clean(exclude=["worker"])
    spell.save()
    record_change(spell, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(spell),
                  parent=worker)
    contract = contract_data_of(said)
    if contract is not None:
        add_contract(spell, contract, acting_user=acting_user, channel=channel)
    refresh_current_facts(worker)
    refresh_employer_headcount(spell.employer)
    return spell


@transaction.atomic
def update_employment(spell: EmploymentSpell, changes: dict[str, Any], *, expected_version: int | None,
                      acting_user: User | None, channel: Channel) -> EmploymentSpell:
    """Edit a spell (e.g. its contract) if nobody changed it since ``expected_version``."""
    unknown = set(changes) - SPELL_FIELDS
    assert not unknown, f"unexpected spell fields: {unknown}"
    before = snapshot(spell)
    old_employer = spell.employer
    said = said_contract({key: getattr(spell, key) for key in CONTRACT_KEYS}, changes)
    contract_said = any(key in changes for key in CONTRACT_KEYS)
    for key, value in changes.items():
        if key not in CONTRACT_KEYS:
            setattr(spell, key, value)
    check_employer_in_scope(spell.employer, acting_user)
    if contract_said and not said["is_contract_signed"] and spell.contracts.exists():
        raise ValidationError({"is_contract_signed": _(
            "该就业记录已登记劳动合同，不能改为未签：合同记录只增不改。合同已到期的，到期日即合同终止日期；"
            "签订新合同请“新增劳动合同”。")})
    _validate_with_contract(spell, said, channel, contract_said)
    spell.full_clean(exclude=["worker"])
    save_versioned(spell, expected_version=expected_version)
    record_update(spell, before, acting_user=acting_user, channel=channel, parent=spell.worker)
    contract = contract_data_of(said) if contract_said else None
    if contract is not None:
        add_contract(spell, contract, acting_user=acting_user, channel=channel)
    refresh_current_facts(spell.worker)
    refresh_employer_headcount(spell.employer)
    if old_employer.pk != spell.employer_id:
        refresh_employer_headcount(old_employer)
    return spell


def end_employment(spell: EmploymentSpell, on: datetime.date, *, expected_version: int | None, acting_user: User | None,
                   channel: Channel) -> EmploymentSpell:
    """End a spell with ``on`` as its last day of work."""
    if spell.end_date is not None:
        raise ValidationError({"end_date": _("该就业记录已于 %(date)s 结束。") % {"date": spell.end_date}})
    return update_employment(spell, {"end_date": on}, expected_version=expected_version, acting_user=acting_user,
                             channel=channel)


@transaction.atomic
def end_employments(spell_ids: Iterable[int], on: datetime.date, *, acting_user: User | None, channel: Channel) -> int:
    """End many open spells at once, as a full-roster sync does: each on ``on``, or on its first day if it
    started later. What ``end_employment`` does for one spell, in bulk: the spells are locked and ended in
    batches (those ended meanwhile are left alone), each gets its change-log row, and their workers'
    summary columns and employers' headcounts are refreshed once. Ending only shortens a spell, so no
    date, contract or overlap rule can newly fail; the employers must be in the acting user's scope.
    Returns how many spells were ended. (One service call per spell took ~25 ms at a million workers.)"""
    ids = sorted(set(spell_ids))
    now, employers, worker_ids, ended = timezone.now(), {}, set(), 0
    for start in range(0, len(ids), BATCH):
        batch = list(EmploymentSpell.objects.select_for_update().select_related("employer").filter(
            pk__in=ids[start:start + BATCH], end_date__isnull=True).order_by("pk"))
        for spell in batch:
            if spell.employer_id not in employers:
                check_employer_in_scope(spell.employer, acting_user)
                employers[spell.employer_id] = spell.employer
        entries = []
        for spell in batch:
            spell.end_date, spell.version, spell.updated_at = max(on, spell.start_date), spell.version + 1, now
            entries.append(change_entry(spell, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                                        before={"end_date": None}, after={"end_date": spell.end_date.isoformat()},
                                        parent=Worker(pk=spell.worker_id)))
        EmploymentSpell.objects.filter(pk__in=[spell.pk for spell in batch]).update(
            end_date=Greatest(F("start_date"), Value(on)), version=F("version") + 1, updated_at=now)
        ChangeLogEntry.objects.bulk_create(entries)
        worker_ids |= {spell.worker_id for spell in batch}
        ended += len(batch)
    refresh_current_facts_of(worker_ids)
    for employer in employers.values():
        refresh_employer_headcount(employer)
    return ended


@transaction.atomic
def hire_worker(worker_data: dict[str, Any], employment: dict[str, Any], *, acting_user: User | None,
                channel: Channel) -> tuple[Worker, bool]:
    """Register a worker with their first employment, or add the employment to the worker already
    registered under the same ID number. Returns ``(worker, created)``.

    The existing worker's other facts are left as they are: an employer may not overwrite what
    another employer or the worker reported.
    """
    existing = find_worker_by_id_number(worker_data.get("id_number", ""))
    if existing is None:
        worker = register_worker(worker_data, acting_user=acting_user, channel=channel,
                                 facts_from=employment.get("start_date"))
        add_employment(worker, employment, acting_user=acting_user, channel=channel)
        return worker, True
    while not existing.is_active and existing.merged_into is not None:  # a survivor may itself have been merged since
        existing = existing.merged_into
    if existing.name != worker_data.get("name", existing.name):
        # Decision 0002: hiring someone registered needs their number and name as on the card, and a mismatch
        # is told without the registered name or anything else about the person.
        raise ValidationError({"name": _("姓名与身份证号码不符，请核对居民身份证。")})
    add_employment(existing, employment, acting_user=acting_user, channel=channel)
    existing.warnings = []
    return existing, False


@transaction.atomic
def register_or_hire_worker(worker_data: dict[str, Any], employment: dict[str, Any] | None, *, acting_user: User | None,
                            channel: Channel) -> tuple[Worker, bool]:
    """Register a worker, with their employment when given (:func:`hire_worker`). Returns ``(worker,
    created)``. Only city-wide staff (or the system) may register someone without an employment: a worker
    with no spell belongs to no employer or district, so anyone else would lose sight of them at once."""
    if employment is not None:
        return hire_worker(worker_data, employment, acting_user=acting_user, channel=channel)
    if acting_user is not None and acting_user.scope_kind != ScopeKind.CITY:
        raise ValidationError({"employment": _(
            "请填写就业信息（employment）：未在本单位或本区县就业的职工，登记后您将无法查看。")})
    return register_worker(worker_data, acting_user=acting_user, channel=channel), True


CERTIFICATE_FIELDS = {"kind", "occupation", "level", "number", "issuer", "issued_on", "valid_until"}


@transaction.atomic
def add_certificate(worker: Worker, data: dict[str, Any], *, acting_user: User | None, channel: Channel) -> Certificate:
    """Record a skill certificate; graded kinds need a level, special vocational ability has none."""
    unknown = set(data) - CERTIFICATE_FIELDS
    assert not unknown, f"unexpected certificate fields: {unknown}"
    certificate = Certificate(worker=worker, **data)
    errors = {}
    graded = certificate.kind in (CertificateKind.VOCATIONAL_QUALIFICATION, CertificateKind.SKILL_LEVEL)
    if graded and certificate.level_id is None:
        errors["level"] = _("职业资格证书和职业技能等级证书须填写等级。")
    if certificate.kind == CertificateKind.SPECIAL_ABILITY and certificate.level_id is not None:
        errors["level"] = _("专项职业能力证书不分等级。")
    if certificate.valid_until and certificate.valid_until < certificate.issued_on:
        errors["valid_until"] = _("有效期不能早于发证日期。")
    if Certificate.objects.filter(kind=certificate.kind, number=certificate.number).exists():
        errors["number"] = _("该证书编号已登记。")
    if errors:
        raise ValidationError(errors)
    certificate.full_clean(exclude=["worker"], validate_unique=False)
    certificate.save()
    record_change(certificate, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                  after=snapshot(certificate), parent=worker)
    refresh_current_facts(worker)
    return certificate


def _locked_roll(worker: Worker) -> list[RollEntry]:
    """The periods of ``worker``'s roll as stored, read under the worker's row lock (held to the end of the
    caller's transaction: membership changes of one worker are made one after another)."""
    token = raw_tokens(Worker.objects.select_for_update().filter(pk=worker.pk)).get()[1]
    return decode_roll(decrypt_many([token or ""])[0])


def _log_roll_change(worker: Worker, old: RollEntry | None, new: RollEntry, *, action: ChangeAction,
                     acting_user: User | None, channel: Channel) -> None:
    """A change-log row of ``worker`` saying that its roll changed, never to what: the value is masked, and
    what stands in for it is the sealed reference to the membership changed (``union_roll.seal_reference``),
    by which the history shows the row only to those who may know of that membership (decision 0009). No
    note: a note would say what happened."""
    entry = change_entry(worker, action, acting_user=acting_user, channel=channel,
                         before={"union_roll": "*"} if old else None, after={"union_roll": "*"})
    reference = seal_reference(new)
    if old is not None:
        entry.before["union_roll"] = reference
    entry.after["union_roll"] = reference
    entry.save(force_insert=True)


def _store_roll(worker: Worker, entries: list[RollEntry]) -> None:
    worker.union_roll = write_roll(worker.pk, entries)


@transaction.atomic
def start_union_membership(worker: Worker, on: datetime.date, *,
                           employer: Employer | None = None, acting_user: User | None,
                           channel: Channel) -> Membership:
    """Record in ``worker``'s roll that they joined the union on ``on``; refused while a membership the acting
    user may see is open. One held through another enterprise's union, which an enterprise's HR may not see
    (decision 0009), does not refuse it: the refusal would tell them of it (issue 13), and each union keeps its
    own roll."""
    entries = _locked_roll(worker)
    unions = unions_seen_by(acting_user)
    if any(entry.valid_to is None or entry.valid_to >= on for entry in entries
           if unions is None or entry.employer_id in unions):
        raise ValidationError({"valid_from": _("该职工在该日期已是工会会员。")})
    [pk] = next_membership_ids(1)
    new = RollEntry(pk, employer.pk if employer is not None else None, on, None)
    _store_roll(worker, [*entries, new])
    _log_roll_change(worker, None, new, action=ChangeAction.UPDATE, acting_user=acting_user, channel=channel)
    refresh_current_facts(worker)
    return Membership(pk, worker, new.employer_id, on, None, employer=employer)


@transaction.atomic
def end_union_membership(membership: Membership, on: datetime.date, *, acting_user: User | None,
                         channel: Channel) -> Membership:
    """Close a membership with ``on`` as its last day (in its worker's roll)."""
    entries = _locked_roll(membership.worker)
    stored = next((entry for entry in entries if entry.id == membership.id), None)
    if stored is None:  # merged away or changed since it was read
        raise ValidationError({"valid_to": _("该会籍已不存在，请刷新后重试。")})
    if stored.valid_to is not None:
        raise ValidationError({"valid_to": _("该会籍已结束。")})
    if on < stored.valid_from:
        raise ValidationError({"valid_to": _("退会日期不能早于入会日期。")})
    ended = stored._replace(valid_to=on)
    _store_roll(membership.worker, [ended if entry.id == stored.id else entry for entry in entries])
    _log_roll_change(membership.worker, stored, ended, action=ChangeAction.UPDATE, acting_user=acting_user,
                     channel=channel)
    membership.valid_from, membership.valid_to = stored.valid_from, on
    refresh_current_facts(membership.worker)
    return membership
