"""Roster imports in two steps: check (a preview of what would change, and every problem), then commit.

The commit runs in one transaction: killed at any moment, the registry holds either nothing of the
import or all of it. It writes what the check planned (kept in a spill file, see ``spill``) after
making sure the plan still fits the registry as it is at that moment: rows about registered workers
are planned again, and if a new worker has been registered meanwhile the whole file is. So the same
file imported twice changes nothing the second time.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workforce.accounts.choices import ScopeKind
from workforce.core.bulk import fewer_collections, one_parameter
from workforce.core.changelog import record_change
from workforce.core.choices import ChangeAction, Channel
from workforce.core.files import decrypted_copy, private_open
from workforce.core.messages import Message, source_of
from workforce.imports import leases
from workforce.imports.choices import CLOSABLE, LEASED, ImportMode, ImportStatus, RowAction, Severity
from workforce.imports.columns import COLUMNS_BY_KEY
from workforce.imports.committing import NewWorkerRows, RosterWriter
from workforce.imports.masking import masked_message, masked_problem_value
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.parsing import ParsedRow, RosterFileError, read_roster
from workforce.imports.planning import WORKER_ID, RosterPlanner, RowPlan
from workforce.imports.spill import SpillWriter, StalePlan, read_spill, remove_spill
from workforce.imports.staging import NAMES
from workforce.imports.synonyms import synonyms_for_import
from workforce.registry import services as registry_services
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.services.facts import headcounts_deferred, refresh_headcounts_of

if TYPE_CHECKING:
    from workforce.accounts.models import User

BATCH = 5000
PROBLEMS_KEPT = 100_000  # problems stored for the report page; the counts always cover all of them


def can_import(user: User) -> bool:
    """HR imports their own employer's roster; district and city staff import any employer in scope."""
    return user.has_perm("imports.import_roster") and user.scope_kind in (
        ScopeKind.EMPLOYER, ScopeKind.DISTRICT, ScopeKind.CITY)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def create_roster_import(upload, *, user: User, mode: str = ImportMode.UPSERT,
                         roster_date: datetime.date | None = None) -> RosterImport:
    """Keep an uploaded roster file and its record, ready to be checked; the file is not read yet."""
    if not can_import(user):
        raise PermissionDenied
    if upload.size == 0:
        raise ValidationError({"file": _("文件是空的，请选择填写好的花名册文件后重新上传。")})
    if upload.size > settings.IMPORT_MAX_BYTES:  # read at each upload: the operator's setting (settings.py)
        raise ValidationError({"file": _("文件超过 %(mb)s MB 的上限，请拆分后分批上传。") % {
            "mb": f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):.3g}"}})
    roster_import = RosterImport(
        uploaded_by=user, mode=mode, roster_date=roster_date or timezone.localdate(),
        employer=user.employer if user.scope_kind == ScopeKind.EMPLOYER else None,
        district=user.district if user.scope_kind == ScopeKind.DISTRICT else None,
        original_name=Path(upload.name).name[:255], size=upload.size, sha256=_sha256(upload),
        created_at=timezone.now(),
    )
    roster_import.file.save(roster_import.original_name, File(upload), save=False)
    roster_import.save()
    return roster_import


# ---------------------------------------------------------------------------- progress

def progress_path(roster_import: RosterImport) -> Path:
    """A small file beside the uploads: readable by the page while a job's transaction is still open."""
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{roster_import.pk}.json"


def write_progress(roster_import: RosterImport, rows: int, phase: str) -> None:
    path = progress_path(roster_import)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with private_open(temporary, "w") as handle:
        handle.write(json.dumps({"rows": rows, "phase": phase}))
    temporary.replace(path)


def read_progress(roster_import: RosterImport) -> dict:
    try:
        return json.loads(progress_path(roster_import).read_text())
    except (FileNotFoundError, ValueError):
        return {"rows": 0, "phase": ""}


# ---------------------------------------------------------------------------- check

def _batches(rows: Iterator[ParsedRow]) -> Iterator[list[ParsedRow]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def open_roster(roster_import: RosterImport) -> tuple:
    """``read_roster`` of the import's file: its header and a lazy iterator of its rows. The parsers
    open files by name, so they read a decrypted copy that has no name on disk (``core.files``); it is
    dropped once the rows are read (or the iterator is). Raises ``RosterFileError`` if the file has been
    deleted at the end of its retention period."""
    if roster_import.file_purged_at is not None or not roster_import.file:
        raise RosterFileError(Message(gettext_noop("原文件已按保存期限删除，请重新上传。")))
    files = contextlib.ExitStack()
    try:
        sealed = files.enter_context(roster_import.file.storage.open(roster_import.file.name))
        path = files.enter_context(decrypted_copy(sealed))
        header, rows = read_roster(path, roster_import.original_name, max_rows=settings.IMPORT_MAX_ROWS,
                                   max_bytes=settings.IMPORT_MAX_BYTES,
                                   synonyms=synonyms_for_import())
    except BaseException:
        files.close()
        raise

    def rows_then_close() -> Iterator[ParsedRow]:
        with files:
            yield from rows

    return header, rows_then_close()


ROW_NUMBER = NAMES.index("row_number")
ACTION_CODES = {RowAction.CREATE: 1, RowAction.UPDATE: 2, RowAction.UNCHANGED: 3, RowAction.ERROR: 4}
ACTIONS = {code: action for action, code in ACTION_CODES.items()}


def _missing_employer_column(roster_import: RosterImport) -> RosterFileError:
    """Said once for the whole file, not on each of its rows."""
    column = COLUMNS_BY_KEY["employer_uscc"]
    return RosterFileError(Message(gettext_noop(
        "本文件没有填写用人单位：区县和市级工作人员上传花名册时，须用“%(header)s”列"
        "（或“所属企业统一社会信用代码”“单位代码”等列名）写明每位职工所在单位的统一社会信用代码。"),
        header=column.header))


MSG_UNKNOWN_COLUMN = Message(gettext_noop("未识别的列，已忽略。"))
# Issue 15: a roster without the column registers its new workers as not stated, never as 群众.
MSG_NO_POLITICAL_COLUMN = Message(gettext_noop(
    "本文件没有“政治面貌”列：新登记的 %(count)d 名职工的政治面貌按“未填报”登记，不计为群众，也不计入党员比例。"))


def problem_row(roster_import: RosterImport, row: int, column: str, value: str, message: str,
                severity: str) -> ImportProblem:
    """An unsaved problem row: the value as already masked by the caller, the message masked here (it may
    quote the file) and kept with its source, so the page shows it in the reader's language."""
    message = masked_message(message)
    return ImportProblem(roster_import=roster_import, row=row, column=column[:100], value=value[:200],
                         message=str(message)[:500], message_source=source_of(message), severity=severity)


def check_roster_import(roster_import: RosterImport) -> RosterImport:
    """Read and plan the whole file without writing to the registry: counts, problems, flags, and for
    full-roster sync the active employees the roster no longer lists."""
    with leases.JobLease(roster_import), fewer_collections():
        return _check(roster_import)


def _check(roster_import: RosterImport) -> RosterImport:
    roster_import.status = ImportStatus.CHECKING
    roster_import.save(update_fields=["status"])
    ImportProblem.objects.filter(roster_import=roster_import).delete()
    spill = None
    try:
        header, rows = open_roster(roster_import)
        planner = RosterPlanner(user=roster_import.uploaded_by, headers=header.headers,
                                roster_date=roster_import.roster_date)
        key_of = {title: key for key, title in header.headers.items()}
        if planner.own_employer is None and "employer_uscc" not in header.headers:
            raise _missing_employer_column(roster_import)
        actions = bytearray()  # by row number: the action of every row, to flag the first of repeated ones
        new_rows = NewWorkerRows()
        spill = SpillWriter(roster_import, header.headers, new_rows.day)
        counts: Counter = Counter()
        employers: set[int] = set()
        problems: list[ImportProblem] = [
            problem_row(roster_import, header.row, text, "", MSG_UNKNOWN_COLUMN, Severity.WARNING)
            for text in header.unknown + header.duplicates]
        stored = 0
        for batch in _batches(rows):
            plans = planner.plan(batch)
            counts["rows"] += len(plans)
            counts.update([plan.action for plan in plans])
            employers |= {plan.employer.pk for plan in plans if plan.employer is not None}
            actions.extend(bytes(plans[-1].number + 1 - len(actions)))
            for plan in plans:
                actions[plan.number] = ACTION_CODES[plan.action]
                if not (plan.problems or plan.notes):
                    continue  # most rows: nothing to count or report
                counts["warnings"] += sum(problem.severity == Severity.WARNING for problem in plan.problems)
                counts["notices"] += sum(problem.severity == Severity.NOTICE for problem in plan.problems)
                counts["problems"] += sum(problem.severity == Severity.ERROR for problem in plan.problems)
                counts["flagged"] += bool(plan.notes)
                # Messages may quote the file (a field too many, an unclosed quote): numbers masked there too.
                problems += [_stored_problem(roster_import, problem, key_of) for problem in plan.problems]
                problems += [problem_row(roster_import, plan.number, "", "", note, Severity.WARNING)
                             for note in plan.notes]
            # The rows without errors are kept: the uploader may commit them alone (issue 14).
            creates = [plan for plan in plans if plan.action == RowAction.CREATE]
            spill.add(new_rows.rows(creates), new_rows.places_of({plan.employer.pk for plan in creates}),
                      [row for row, plan in zip(batch, plans, strict=True)
                       if plan.action in (RowAction.UPDATE, RowAction.UNCHANGED)])
            keep = max(0, PROBLEMS_KEPT - stored)
            ImportProblem.objects.bulk_create(problems[:keep], batch_size=2000)
            stored += min(keep, len(problems))
            problems = []
            write_progress(roster_import, counts["rows"], "checking")
        if counts["rows"] and planner.missing_employer == counts["rows"]:
            raise _missing_employer_column(roster_import)
        held = _flag_repeats(roster_import, planner, actions, counts)
        ImportProblem.objects.bulk_create(
            [problem_row(roster_import, row, "", "", message, Severity.NOTICE) for row, message in header.notices],
            batch_size=2000)
        counts["notices"] += len(header.notices)
        if counts[RowAction.CREATE] and "political_status" not in header.headers:
            ImportProblem.objects.bulk_create([problem_row(
                roster_import, header.row, COLUMNS_BY_KEY["political_status"].header, "",
                MSG_NO_POLITICAL_COLUMN % {"count": counts[RowAction.CREATE]},
                Severity.NOTICE)])
            counts["notices"] += 1
    except BaseException as error:
        if spill is not None:
            spill.discard()
        if not isinstance(error, RosterFileError):
            # An unexpected error (a bug, a file that cannot be decrypted) must not leave it 正在检查 forever.
            _refuse_dead_check(roster_import, Message(gettext_noop(
                "文件检查未完成（系统错误），请重新上传；如仍不成功，请联系系统管理员。")))
            raise
        ImportProblem.objects.filter(roster_import=roster_import).delete()
        roster_import.status = ImportStatus.REFUSED
        roster_import.set_message(error.message)
        roster_import.checked_at = timezone.now()
        roster_import.save(update_fields=["status", "message", "message_source", "checked_at"])
        return roster_import
    if roster_import.employer_id is None and len(employers) == 1:
        roster_import.employer_id = next(iter(employers))
    roster_import.spells_to_end = []
    message = ""
    if roster_import.mode == ImportMode.SYNC:
        if roster_import.employer_id is None:
            message = Message(gettext_noop("全员同步须针对一家用人单位：本文件包含多家单位或没有有效行。"))
            counts["problems"] += 1
        else:
            # Employments that start after the roster's day are not expected on it: they stay. The matched
            # workers go as one parameter: a large roster has more than SQLite's limit of placeholders.
            matched = one_parameter(WORKER_ID, planner.matched_worker_ids)
            leavers = (EmploymentSpell.objects.filter(employer_id=roster_import.employer_id, end_date__isnull=True,
                                                      start_date__lte=roster_import.roster_date)
                       .exclude(worker_id__in=matched))
            # Nobody is ended because their row had an error: a row with an error keeps the worker its ID
            # number (or, if that is unreadable, its name) names at this employer (issue 14).
            if planner.error_hashes or planner.error_names:
                leavers = leavers.exclude(worker__id_number_hash__in=one_parameter(
                    Worker._meta.get_field("id_number_hash"), planner.error_hashes)).exclude(
                    worker__name__in=one_parameter(Worker._meta.get_field("name"), planner.error_names))
            roster_import.spells_to_end = list(leavers.values_list("pk", flat=True))
    roster_import.counts = {
        "rows": counts["rows"], "create": counts[RowAction.CREATE], "update": counts[RowAction.UPDATE],
        "unchanged": counts[RowAction.UNCHANGED], "errors": counts[RowAction.ERROR] + (1 if message else 0),
        "error_cells": counts["problems"], "warnings": counts["warnings"], "flagged": counts["flagged"],
        "notices": counts["notices"], "end": len(roster_import.spells_to_end), "file_errors": 1 if message else 0,
        "held_rows": held,
    }
    if not RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.CHECKING).exists():
        spill.discard()  # taken for dead meanwhile (``leases``): its refusal stands
        roster_import.refresh_from_db()
        return roster_import
    if message or not (counts[RowAction.CREATE] or counts[RowAction.UPDATE] or counts[RowAction.UNCHANGED]):
        spill.discard()  # nothing of it can be committed
    else:
        spill.close()
    roster_import.status = ImportStatus.PREVIEW
    roster_import.set_message(message)
    roster_import.checked_at = timezone.now()
    roster_import.save()
    return roster_import


def _stored_problem(roster_import: RosterImport, problem, key_of: dict[str, str],
                    at_commit: bool = False) -> ImportProblem:
    """A row's problem as the report keeps it; ``at_commit``: found only by the commit, said so."""
    message = problem.message
    if at_commit:
        message = Message(gettext_noop("确认导入时发现（检查之后登记库已有变化），本行未导入：%(message)s"),
                          message=message)
    return problem_row(roster_import, problem.row, problem.column,
                       masked_problem_value(key_of.get(problem.column), problem.value), message, problem.severity)


def _flag_repeats(roster_import: RosterImport, planner: RosterPlanner, actions: bytearray,
                  counts: Counter) -> list[int]:
    """Flag the first row of every group of rows sharing an ID number (the later ones were flagged as
    they were read) and count it as a row with an error; returns the rows the check had planned to
    write and the commit must now hold back."""
    held = []
    repeats = planner.repeat_problems()
    for problem in repeats:
        action = ACTIONS.get(actions[problem.row]) if problem.row < len(actions) else None
        if action is not None and action != RowAction.ERROR:
            counts[action] -= 1
            counts[RowAction.ERROR] += 1
            held.append(problem.row)
    counts["problems"] += len(repeats)
    ImportProblem.objects.bulk_create(
        [problem_row(roster_import, p.row, p.column, "", p.message, Severity.ERROR) for p in repeats],
        batch_size=2000)
    return held


# ---------------------------------------------------------------------------- commit

def request_commit(roster_import: RosterImport, *, confirm_sync: bool = False, valid_rows_only: bool = False) -> None:
    """Claim an import for committing: refused unless its preview is ready and error-free — or, with
    ``valid_rows_only``, has rows without errors to import while the rows with errors stay in the problem
    report — (or an earlier commit failed, which wrote nothing), and, for a full-roster sync that ends
    employments, unless the uploader confirmed the list of them. The claim is atomic, so a double click
    cannot import twice; it numbers the attempt (``commit_attempt``), so a job taken for dead can never
    write after a retry."""
    expire_dead_job(roster_import)
    if roster_import.status in (ImportStatus.COMMITTING, ImportStatus.COMMITTED):
        raise ValidationError(_("该导入正在进行或已经完成。"), code="done")
    if roster_import.file_purged_at is not None:
        raise ValidationError(_("原文件已按保存期限删除，不能导入；请重新上传。"), code="purged")
    if roster_import.is_unchanged:  # an identical re-import: committing would change nothing
        raise ValidationError(_("花名册与登记库中的信息完全一致，没有需要导入的内容。"), code="unchanged")
    partial = valid_rows_only and roster_import.can_commit_valid_rows
    if not (roster_import.can_commit or partial):
        if roster_import.can_commit_valid_rows:
            raise ValidationError(_(
                "部分行存在错误：可以只导入没有错误的行（有错误的行留在问题报告中，修改后重新上传），"
                "或修改后重新上传整个文件。"), code="has_errors")
        raise ValidationError(_("该导入尚未检查完成或存在错误，不能导入；请修改后重新上传。"), code="not_ready")
    if roster_import.mode == ImportMode.SYNC and roster_import.spells_to_end and not confirm_sync:
        raise ValidationError(_("全员同步会为花名册中没有的在职职工办理离职，请先确认名单。"), code="confirm")
    leases.release(roster_import)  # a lease left by an earlier attempt is not this one's
    counts = roster_import.counts | {"valid_rows_only": bool(partial)}
    claimed = RosterImport.objects.filter(
        pk=roster_import.pk, status__in=(ImportStatus.PREVIEW, ImportStatus.FAILED)).update(
        status=ImportStatus.COMMITTING, commit_attempt=F("commit_attempt") + 1, counts=counts)
    if not claimed:
        raise ValidationError(_("该导入正在进行或已经完成。"))
    roster_import.refresh_from_db(fields=["status", "commit_attempt", "counts"])


def close_roster_import(roster_import: RosterImport, *, acting_user, channel: str = Channel.PAGE) -> None:
    """Close an import unimported (status 已关闭): one checked with nothing to import (an identical
    re-import), refused, failed or with errors the uploader will correct in a new upload. Refused while a
    job runs and once committed; its problems stay, its kept plan is dropped; a change-log row says who."""
    if not can_import(acting_user):
        raise PermissionDenied
    expire_dead_job(roster_import)
    before = roster_import.status
    with transaction.atomic():
        closed = RosterImport.objects.filter(pk=roster_import.pk, status__in=CLOSABLE).update(
            status=ImportStatus.CANCELLED)
        if not closed:
            raise ValidationError(_("该导入正在进行或已经完成，不能关闭。"), code="not_closable")
        roster_import.status = ImportStatus.CANCELLED
        record_change(roster_import, ChangeAction.UPDATE, acting_user=acting_user, channel=channel,
                      before={"status": before}, after={"status": ImportStatus.CANCELLED})
    remove_spill(roster_import)


def expire_dead_job(roster_import: RosterImport) -> bool:
    """Take a check or commit whose job has stopped beating (``leases``) for dead; returns whether it
    did. A dead commit is marked failed and may be committed again: its transaction died with the job,
    so the registry holds nothing of it. A dead check is refused (its partial problems dropped), to be
    uploaded again. What the job left on disk (plan, lease) is removed. Called when the page or the
    API looks at the import, and by a periodic job."""
    if roster_import.status not in LEASED or not leases.is_expired(
            roster_import):
        return False
    seconds = {"seconds": leases.lease_seconds()}
    try:
        if roster_import.status == ImportStatus.COMMITTING:
            ended = _finish(roster_import, ImportStatus.FAILED, Message(gettext_noop(
                "导入任务已中断（超过 %(seconds)d 秒没有响应，后台进程可能已停止），登记库未做任何修改；"
                "可以重新确认导入。"), **seconds))
        else:
            ended = _refuse_dead_check(roster_import, Message(gettext_noop(
                "文件检查已中断（超过 %(seconds)d 秒没有响应，后台进程可能已停止），请重新上传；"
                "文件很大时可另存为 CSV 后上传。"), **seconds))
    except OperationalError:  # SQLite busy: the job is writing after all
        return False
    if ended:
        remove_spill(roster_import)
        leases.release(roster_import)
    return ended


def _refuse_dead_check(roster_import: RosterImport, message: str) -> bool:
    """Refuse an import whose check will not finish (its job dead or failed), dropping the problems it
    stored so far; returns whether it was still being checked."""
    with transaction.atomic():
        ended = RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.REFUSED, message=str(message)[:500], message_source=source_of(message), counts={},
            checked_at=timezone.now())
        if ended:
            ImportProblem.objects.filter(roster_import=roster_import).delete()
    if ended:
        roster_import.refresh_from_db()
    return bool(ended)


def expire_dead_jobs() -> int:
    """:func:`expire_dead_job` for every import being checked or committed; returns how many were dead."""
    return sum(expire_dead_job(roster_import) for roster_import in RosterImport.objects.filter(
        status__in=LEASED))


def _finish(roster_import: RosterImport, status: str, message: str) -> bool:
    """End the current commit attempt with ``status``, unless it is no longer the current one (taken for
    dead and tried again meanwhile); returns whether it did."""
    ended = RosterImport.objects.filter(
        pk=roster_import.pk, status=ImportStatus.COMMITTING, commit_attempt=roster_import.commit_attempt,
    ).update(status=status, message=str(message)[:500], message_source=source_of(message))
    if ended:
        roster_import.status = status
        roster_import.set_message(message)
    return bool(ended)


class Superseded(Exception):
    """This commit attempt was taken for dead and is no longer the current one: it must write nothing."""


def commit_roster_import(roster_import: RosterImport, *, acting_user: User | None, confirm_sync: bool = False,
                         valid_rows_only: bool = False) -> RosterImport:
    """Write the roster (or, with ``valid_rows_only``, its rows without errors) into the registry in one
    transaction, or nothing at all (see :func:`request_commit` for when it is refused; the background
    job runs an already claimed one). The job holds a lease while it runs (``leases``); it writes only
    while its attempt is current."""
    if roster_import.status != ImportStatus.COMMITTING:
        request_commit(roster_import, confirm_sync=confirm_sync, valid_rows_only=valid_rows_only)
    try:
        with leases.JobLease(roster_import), fewer_collections(), transaction.atomic():
            writer = _write(roster_import, acting_user)
            _mark_committed(roster_import, acting_user, writer)
    except Superseded:
        return roster_import
    except (RosterFileError, ValidationError) as error:
        message = getattr(error, "message", None) or "；".join(getattr(error, "messages", [str(error)]))
        if isinstance(error, ValidationError) and getattr(error, "params", None):
            message = str(message) % error.params
        _finish(roster_import, ImportStatus.FAILED, Message(gettext_noop(
            "导入未完成，登记库未做任何修改：%(reason)s"), reason=message))
        return roster_import
    except BaseException:
        _finish(roster_import, ImportStatus.FAILED, Message(gettext_noop("导入未完成，登记库未做任何修改。")))
        raise
    finally:
        remove_spill(roster_import)
    write_progress(roster_import, roster_import.counts.get("rows", 0), "done")
    if roster_import.counts.get("committed", {}).get("skipped_at_commit"):
        from workforce.imports.reports import forget_report

        forget_report(roster_import, checked_only=True)  # its report is built again with the new problems
    return roster_import


def _mark_committed(roster_import: RosterImport, acting_user: User | None, writer: RosterWriter) -> None:
    """Record the import committed, in the commit's own transaction, once sure its attempt is still the
    current one (the row is locked, so it cannot be taken for dead in between)."""
    current = RosterImport.objects.select_for_update().filter(
        pk=roster_import.pk, status=ImportStatus.COMMITTING, commit_attempt=roster_import.commit_attempt).exists()
    if not current:
        raise Superseded
    roster_import.status = ImportStatus.COMMITTED
    roster_import.committed_at, roster_import.committed_by = timezone.now(), acting_user
    roster_import.counts = roster_import.counts | {"committed": writer.counts}
    roster_import.set_message("")
    roster_import.save()


def _write(roster_import: RosterImport, acting_user: User | None) -> RosterWriter:
    with headcounts_deferred():  # each employer recounted once, not at every service call
        try:
            with transaction.atomic():  # a savepoint: a plan found stale halfway leaves nothing behind
                writer = _write_checked_plan(roster_import, acting_user)
        except StalePlan:
            writer = _write_replanned(roster_import, acting_user)
        if roster_import.mode == ImportMode.SYNC:
            writer.counts["ended"] = registry_services.end_employments(
                roster_import.spells_to_end, roster_import.roster_date, acting_user=acting_user, channel=Channel.IMPORT)
    refresh_headcounts_of(writer.employer_ids)  # the new workers' employers, written set-based
    return writer


def _write_checked_plan(roster_import: RosterImport, acting_user: User | None) -> RosterWriter:
    """Write the plan the check kept: new workers from their staging rows as the check made them, once
    none of them has been registered since; rows about registered workers planned again."""
    writer = RosterWriter(roster_import=roster_import, acting_user=acting_user)
    headers, frames = read_spill(roster_import, writer.new_rows.day)
    planner, done = None, 0
    held = set(roster_import.counts.get("held_rows", ()))
    if roster_import.counts.get("valid_rows_only"):  # the spill holds no row with errors: the check's count
        writer.counts["skipped"] = roster_import.counts.get("errors", 0)
    for staged, places, others in frames:
        if held:  # the first of rows repeating an ID number: which is right is the uploader's call
            staged = [row for row in staged if row[ROW_NUMBER] not in held]
            others = [row for row in others if row.number not in held]
        writer.write_new(staged, places, must_be_new=True)
        if others:
            planner = planner or RosterPlanner(user=roster_import.uploaded_by, headers=headers,
                                               roster_date=roster_import.roster_date, flag_namesakes=False)
            plans = planner.plan(others)
            if roster_import.counts.get("valid_rows_only"):  # all were valid at the check: an error now is new
                plans = _skip_rows_with_errors(roster_import, writer, plans, headers, checked_errors=set())
            writer.apply(_without_errors(plans), must_be_new=True)
        done += len(staged) + len(others)
        write_progress(roster_import, done, "committing")
    return writer


def _without_errors(plans: list[RowPlan]) -> list[RowPlan]:
    failed = next((plan for plan in plans if plan.action == RowAction.ERROR), None)
    if failed is not None:  # the registry changed since the preview
        first = failed.problems[0] if failed.problems else None
        raise ValidationError(Message(gettext_noop("第 %(row)d 行：%(message)s"), row=failed.number,
                                      message=first.message if first else Message(gettext_noop("数据有误"))))
    return plans


def _write_replanned(roster_import: RosterImport, acting_user: User | None) -> RosterWriter:
    """Read and plan the whole file again against the registry as it is now, and write it."""
    header, rows = open_roster(roster_import)
    planner = RosterPlanner(user=roster_import.uploaded_by, headers=header.headers,
                            roster_date=roster_import.roster_date, flag_namesakes=False)
    writer = RosterWriter(roster_import=roster_import, acting_user=acting_user)
    done = 0
    held = set(roster_import.counts.get("held_rows", ()))
    valid_rows_only = roster_import.counts.get("valid_rows_only")
    if valid_rows_only:
        writer.counts["skipped"] = 0
    for batch in _batches(rows):
        plans = planner.plan(batch)
        if valid_rows_only:  # the rows with errors stay in the problem report
            failed = [plan.number for plan in plans if plan.action == RowAction.ERROR]
            checked_errors = set(held) | set(ImportProblem.objects.filter(
                roster_import=roster_import, severity=Severity.ERROR,
                row__in=one_parameter(ImportProblem._meta.get_field("row"), failed)).values_list("row", flat=True))
            plans = _skip_rows_with_errors(roster_import, writer, plans, header.headers, checked_errors)
        writer.apply(_without_errors(plans))
        done += len(batch)
        write_progress(roster_import, done, "committing")
    return writer


def _skip_rows_with_errors(roster_import: RosterImport, writer: RosterWriter, plans: list[RowPlan],
                           headers: dict[str, str], checked_errors: set[int]) -> list[RowPlan]:
    """The plans a commit of the rows without errors writes. The others are counted as skipped
    (``skipped``); those the check found no error in (not in ``checked_errors``, nor held back as the
    first of repeated ID numbers) erred because the registry changed since: they are reported, their
    problems stored for the problem report with a note saying so, and counted apart (``skipped_at_commit``)."""
    held = set(roster_import.counts.get("held_rows", ()))
    kept, new_errors = [], []
    for plan in plans:
        if plan.action != RowAction.ERROR and plan.number not in held:
            kept.append(plan)
        elif plan.action == RowAction.ERROR and plan.number not in checked_errors and plan.number not in held:
            new_errors.append(plan)
    writer.counts["skipped"] = writer.counts.get("skipped", 0) + len(plans) - len(kept)
    if new_errors:
        key_of = {title: key for key, title in headers.items()}
        ImportProblem.objects.bulk_create(
            [_stored_problem(roster_import, problem, key_of, at_commit=True) for plan in new_errors
             for problem in plan.problems if problem.severity == Severity.ERROR], batch_size=2000)
        writer.counts["skipped_at_commit"] = writer.counts.get("skipped_at_commit", 0) + len(new_errors)
    return kept
