"""Registering, editing and merging workers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workforce.core.changelog import change_entry, diff, record_change, record_update, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import (
    IdentifierError,
    IdNumberInfo,
    mask_id_number,
    mask_phone,
    normalize_phone,
    parse_id_number,
)
from workforce.core.messages import Message, shown
from workforce.registry.choices import WorkerFactKind
from workforce.registry.models import Certificate, EmploymentSpell, Worker, WorkerFact
from workforce.registry.services.facts import refresh_current_facts, refresh_employer_headcount, today
from workforce.registry.services.history import first_known, record_dated_changes
from workforce.registry.union_roll import RollEntry

if TYPE_CHECKING:
    from workforce.accounts.models import User

WORKER_FIELDS = {"id_number", "name", "birth_date", "gender", "phone", "hukou_type", "education",
                 "political_status", "new_employment_group"}
FACT_FIELDS = [kind.value for kind in WorkerFactKind]


def find_worker_by_id_number(raw: str) -> Worker | None:
    """The worker registered under this ID number (any format GB 11643 allows), or ``None``.

    Unscoped: callers filter the result through ``visible_to`` before showing anything.
    """
    try:
        number = parse_id_number(raw).number
    except IdentifierError:
        return None
    return Worker.objects.filter(id_number_hash=lookup_hash(number)).first()


def check_identity(raw_id: str, birth_date: datetime.date | None = None, gender: str | None = None, *,
                   today: datetime.date | None = None) -> tuple[IdNumberInfo | None, dict[str, str]]:
    """Parse an ID number (GB 11643) and check a given birth date and gender against it; pure.
    ``today`` (default: the current date) bounds the birth date, as in ``parse_id_number``.

    Returns the parsed number (``None`` when it is invalid) and {field: message} of problems, each a
    ``core.messages.Message`` (an importer stores it to be shown translated; a page shows it with ``shown``).
    """
    try:
        info = parse_id_number(raw_id, today=today)
    except IdentifierError as error:
        return None, {"id_number": error.message}
    errors: dict[str, str] = {}
    if birth_date and birth_date != info.birth_date:
        errors["birth_date"] = Message(gettext_noop("出生日期 %(given)s 与身份证号码中的 %(derived)s 不一致。"),
                                       given=birth_date.isoformat(), derived=info.birth_date.isoformat())
    if gender and gender != info.gender:
        errors["gender"] = Message(gettext_noop("性别与身份证号码不一致（身份证号码第 17 位表示%(derived)s）。"),
                                   derived=Message(gettext_noop("男") if info.gender == "M" else gettext_noop("女")))
    return info, errors


def _apply_identity(worker: Worker, data: dict[str, Any]) -> list[str]:
    """Validate and set the ID number (with birth date and gender derived from it) and the phone.

    Returns warnings (an unknown division code); raises ``ValidationError`` keyed by field.
    """
    errors: dict[str, str] = {}
    warnings: list[str] = []
    if "id_number" in data:
        info, errors = check_identity(data["id_number"], data.get("birth_date"), data.get("gender"))
        if info is None:
            raise ValidationError({key: shown(message) for key, message in errors.items()})
        warnings.extend(shown(warning) for warning in info.warnings)
        worker.id_number = info.number
        worker.id_number_hash = lookup_hash(info.number)
        worker.id_number_masked = mask_id_number(info.number)
        worker.division_code = info.division_code
        worker.birth_date = info.birth_date
        worker.gender = info.gender
        duplicate = Worker.objects.filter(id_number_hash=worker.id_number_hash).exclude(pk=worker.pk).exists()
        if duplicate:
            errors["id_number"] = _("该身份证号码已登记，一个身份证号码只能登记一名职工。")
    if "phone" in data:
        phone = (data["phone"] or "").strip()
        if phone:
            try:
                phone = normalize_phone(phone)
            except IdentifierError as error:
                errors["phone"] = shown(error.message)
        worker.phone = phone
        worker.phone_hash = lookup_hash(phone) if phone else ""
        worker.phone_masked = mask_phone(phone) if phone else ""
    if errors:  # check_identity's messages are made to be stored (the importer's): shown here at once
        raise ValidationError({key: shown(message) for key, message in errors.items()})
    return warnings


@transaction.atomic
def register_worker(data: dict[str, Any], *, acting_user: User | None, channel: Channel,
                    facts_from: datetime.date | None = None) -> Worker:
    """Register a new worker from ``data`` (``id_number``, ``name``, ``hukou_type`` required; ``birth_date``
    and ``gender``, if given, must agree with the ID number). Facts start on ``facts_from`` (default
    today). The returned worker carries ``warnings`` (e.g. an unknown division code)."""
    unknown = set(data) - WORKER_FIELDS
    assert not unknown, f"unexpected worker fields: {unknown}"
    worker = Worker(**{key: value for key, value in data.items() if key not in ("id_number", "phone",
                                                                                "birth_date", "gender")})
    warnings = _apply_identity(worker, {**data, "phone": data.get("phone", "")})
    worker.education = worker.education or ""
    worker.new_employment_group = worker.new_employment_group or ""
    worker.full_clean(exclude=["id_number_hash", "phone_hash"])
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:  # a concurrent registration of the same ID number won the race
        raise ValidationError({"id_number": _("该身份证号码已登记，一个身份证号码只能登记一名职工。")}) from None
    record_dated_changes(WorkerFact, {"worker": worker}, "kind",
                         {kind: (None, getattr(worker, kind) or "") for kind in FACT_FIELDS}, facts_from or today(),
                         today)
    record_change(worker, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(worker))
    worker.warnings = warnings
    return worker


@transaction.atomic
def update_worker(worker: Worker, changes: dict[str, Any], *, expected_version: int | None, acting_user: User | None,
                  channel: Channel, effective_on: datetime.date | None = None) -> Worker:
    """Apply ``changes`` to ``worker`` if nobody changed it since ``expected_version`` was read.

    Changed time-varying facts (hukou, education…) are closed and reopened as of ``effective_on``.
    """
    unknown = set(changes) - WORKER_FIELDS
    assert not unknown, f"unexpected worker fields: {unknown}"
    before = snapshot(worker)
    old_facts = {kind: getattr(worker, kind) or "" for kind in FACT_FIELDS}
    identity = {key: changes[key] for key in ("id_number", "phone", "birth_date", "gender") if key in changes}
    if "id_number" not in identity:
        for key in ("birth_date", "gender"):  # derived from the ID number, compared against it
            if key in identity and identity[key] != getattr(worker, key):
                raise ValidationError({key: _("出生日期和性别由身份证号码确定，如有错误请更正身份证号码。")})
        identity.pop("birth_date", None), identity.pop("gender", None)
    warnings = _apply_identity(worker, identity)
    for key, value in changes.items():
        if key not in ("id_number", "phone", "birth_date", "gender"):
            setattr(worker, key, value if value is not None else "")
    worker.full_clean(exclude=["id_number_hash", "phone_hash"])
    save_versioned(worker, expected_version=expected_version)
    record_dated_changes(WorkerFact, {"worker": worker}, "kind",
                         {kind: (old, getattr(worker, kind) or "") for kind, old in old_facts.items()},
                         effective_on or today(), lambda: first_known(worker.spells.all(), worker.created_at))
    record_update(worker, before, acting_user=acting_user, channel=channel)
    refresh_current_facts(worker)
    worker.warnings = warnings
    return worker


@transaction.atomic
def merge_workers(survivor: Worker, duplicate: Worker, *,
                  acting_user: User | None, channel: Channel, note: str = "") -> Worker:
    """Merge ``duplicate`` into ``survivor``: spells, certificates and memberships move over; the
    duplicate is kept, inactive, pointing at the survivor, so its history stays readable."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("不能将职工与其自身合并。"))
    locked = list(Worker.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk]).order_by("pk"))
    assert len(locked) == 2
    for worker in (survivor, duplicate):  # work on what is stored now, not on what the caller read earlier
        worker.refresh_from_db()
    if not survivor.is_active or not duplicate.is_active:
        raise ValidationError(_("已合并的职工记录不能再次合并。"))
    moved = {
        "spells": EmploymentSpell.objects.filter(worker=duplicate).update(worker=survivor),
        "certificates": Certificate.objects.filter(worker=duplicate).update(worker=survivor),
    }
    # The two records may both say the person worked at one employer, or was a union member, at the
    # same time: such overlapping periods become one, as the services would have recorded them.
    for employer_id in set(EmploymentSpell.objects.filter(worker=survivor).values_list("employer_id", flat=True)):
        _coalesce(EmploymentSpell.objects.filter(worker=survivor, employer_id=employer_id), "start_date", "end_date",
                  acting_user=acting_user, channel=channel, parent=survivor)
    _merge_rolls(survivor, duplicate, acting_user=acting_user, channel=channel)
    before = snapshot(duplicate)
    duplicate.is_active = False
    duplicate.merged_into = survivor
    save_versioned(duplicate, expected_version=None)
    # No count of memberships: the note is plain, and a count would say the duplicate was a member (decision 0009).
    summary = _("合并：转入就业记录 %(spells)d 条、证书 %(certificates)d 本。") % moved
    old, new = diff(before, snapshot(duplicate))
    record_change(duplicate, ChangeAction.MERGE, acting_user=acting_user, channel=channel, before=old, after=new,
                  note=f"{summary} {note}".strip())
    record_change(survivor, ChangeAction.MERGE, acting_user=acting_user, channel=channel,
                  after={"merged_from": str(duplicate)}, note=f"{summary} {note}".strip())
    save_versioned(survivor, expected_version=None)
    refresh_current_facts(survivor)
    refresh_current_facts(duplicate)
    for employer in {spell.employer for spell in EmploymentSpell.objects.filter(worker=survivor)
                     .select_related("employer")}:
        refresh_employer_headcount(employer)
    return survivor


def _merge_rolls(survivor: Worker, duplicate: Worker, *, acting_user: User | None, channel: Channel) -> None:
    """Move the periods of ``duplicate``'s roll into ``survivor``'s (both rows locked by the caller) and join
    overlapping ones into the earliest (``coalesce_periods``); each change is logged on its worker with the roll
    masked, each row naming the membership it changed sealed (``union_roll.seal_reference``), as the services
    log them."""
    from workforce.core.encryption import decrypt_many
    from workforce.registry.union_roll import decode_roll, raw_tokens, seal_reference, write_roll

    tokens = dict(raw_tokens(Worker.objects.filter(pk__in=[survivor.pk, duplicate.pk])))
    kept, moved = (decode_roll(decrypt_many([tokens.get(worker.pk) or ""])[0]) for worker in (survivor, duplicate))
    if not moved:
        return
    periods, changes = coalesce_periods(kept + moved)
    survivor.union_roll = write_roll(survivor.pk, periods)
    duplicate.union_roll = write_roll(duplicate.pk, [])

    def log(worker: Worker, action: ChangeAction, old: RollEntry | None, new: RollEntry, note: str = "") -> None:
        entry = change_entry(worker, action, acting_user=acting_user, channel=channel,
                             before={"union_roll": "*"} if old else None, after={"union_roll": "*"}, note=note)
        if old is not None:
            entry.before["union_roll"] = seal_reference(old)
        entry.after["union_roll"] = seal_reference(new)
        entry.save(force_insert=True)

    for period in moved:
        log(duplicate, ChangeAction.UPDATE, period, period)
        log(survivor, ChangeAction.UPDATE, None, period)
    for old, new in changes:
        log(survivor, ChangeAction.MERGE, old, new, _("合并重复职工时与重叠记录合并") if old.id == new.id
            else _("合并重复职工时并入重叠记录"))


def coalesce_periods(entries: list[RollEntry]) -> tuple[list[RollEntry], list[tuple[RollEntry, RollEntry]]]:
    """Overlapping periods of a roll (inclusive ends, empty end open) joined into the earliest of them, as
    ``_coalesce`` joins rows; returns the periods kept and the changes as (before, after): a kept period whose
    end moved (before, after), an absorbed one (absorbed, the period it went into)."""
    kept: list[RollEntry] = []
    changes: list[tuple[RollEntry, RollEntry]] = []
    for period in sorted(entries, key=lambda entry: (entry.valid_from, entry.id)):
        last = kept[-1] if kept else None
        if last is None or (last.valid_to is not None and period.valid_from > last.valid_to):
            kept.append(period)
            continue
        joined = last._replace(valid_to=None if period.valid_to is None or last.valid_to is None
                               else max(last.valid_to, period.valid_to))
        kept[-1] = joined
        if joined != last:
            changes.append((last, joined))
        changes.append((period, joined))
    return kept, changes


def _coalesce(periods: QuerySet[Any], start: str, end: str, *,
              acting_user: User | None, channel: Channel, parent: Worker) -> None:
    """Join overlapping periods (inclusive ends, empty end open) into the earliest of them; the
    absorbed rows are deleted and the change log says so."""
    kept = None
    for period in periods.order_by(start, "pk"):
        kept_end = getattr(kept, end, None) if kept else None
        if kept is None or (kept_end is not None and getattr(period, start) > kept_end):
            kept = period
            continue
        before = snapshot(kept)
        period_end = getattr(period, end)
        setattr(kept, end, None if period_end is None or kept_end is None else max(kept_end, period_end))
        save_versioned(kept, expected_version=None)
        old, new = diff(before, snapshot(kept))
        record_change(kept, ChangeAction.MERGE, acting_user=acting_user, channel=channel, before=old, after=new,
                      parent=parent, note=_("合并重复职工时与重叠记录合并"))
        record_change(period, ChangeAction.DELETE, acting_user=acting_user, channel=channel,
                      before=snapshot(period), parent=parent, note=_("合并重复职工时并入重叠记录"))
        period.delete()
