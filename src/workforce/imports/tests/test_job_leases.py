"""A commit killed mid-way (``kill -9`` of the huey worker) is found dead through its lease, marked
failed with a clear message, its leftovers removed, and may be committed again; a check killed mid-way
is refused, to be uploaded again (decision 0011)."""

from __future__ import annotations

import os
import time

import pytest

from workforce.core.models import ChangeLogEntry
from workforce.imports import leases, services, spill, tasks
from workforce.imports.choices import ImportStatus
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.tests.test_services import ROWS, check, roster
from workforce.registry.models import Worker
from workforce.registry.tests.api_support import client_as

DEAD = ("导入任务已中断（超过 120 秒没有响应，后台进程可能已停止），登记库未做任何修改；可以重新确认导入。")
NAMES = ["王五", "赵六"]


class Killed(BaseException):
    """``kill -9``: the process stops where it is and none of its handlers run."""


def kill_midway(roster_import: RosterImport, user, monkeypatch) -> None:
    """Run the commit job until every row is written in its transaction, then kill it. A killed process
    runs none of its handlers, so the job's own ending (recording the failure, removing its plan and its
    lease) is switched off; the database drops its open transaction (rolled back here as the server does
    for a dead connection); its heartbeat stops, and the lease is left as old as the last beat."""
    def killed(*args):
        assert Worker.objects.filter(name__in=NAMES).count() == 2  # written, not committed
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(services, "refresh_headcounts_of", killed)
        patch.setattr(services, "_finish", lambda *args: False)
        patch.setattr(services, "remove_spill", lambda *args: None)
        patch.setattr(leases.JobLease, "__exit__", lambda lease, *exc: lease.stopped.set())
        services.request_commit(roster_import)
        with pytest.raises(Killed):
            services.commit_roster_import(roster_import, acting_user=user)
    last_beat = time.time() - leases.lease_seconds() - 1
    os.utime(leases.lease_path(roster_import), (last_beat, last_beat))


def test_a_commit_killed_midway_is_marked_failed_when_its_page_is_looked_at_and_is_committed_again(
        personas, sign_in, monkeypatch):
    roster_import = check(roster(ROWS), personas.steel_hr)
    kill_midway(roster_import, personas.steel_hr, monkeypatch)
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.COMMITTING and spill.spill_path(roster_import).exists()
    client = sign_in(personas.steel_hr)

    page = client.get(f"/imports/{roster_import.pk}/").content.decode()

    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.message) == (ImportStatus.FAILED, DEAD)
    assert DEAD in page and "重新确认导入" in page
    assert not Worker.objects.filter(name__in=NAMES).exists()  # the dead commit left nothing
    assert not ChangeLogEntry.objects.filter(channel="import").exists()
    assert not spill.spill_path(roster_import).exists() and not leases.lease_path(roster_import).exists()

    client.post(f"/imports/{roster_import.pk}/commit/")

    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.message, roster_import.commit_attempt) == (
        ImportStatus.COMMITTED, "", 2)
    assert Worker.objects.filter(name__in=NAMES).count() == 2


def test_committing_a_dead_commit_again_through_the_api_answers_202_not_409(personas, monkeypatch):
    roster_import = check(roster(ROWS), personas.steel_hr)
    kill_midway(roster_import, personas.steel_hr, monkeypatch)

    response = client_as(personas, "steel_hr").post(f"/api/imports/{roster_import.pk}/commit/", {}, format="json")

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "committed"
    assert Worker.objects.filter(name__in=NAMES).count() == 2


def test_the_periodic_job_marks_dead_commits_failed(personas, monkeypatch):
    dead = check(roster(ROWS), personas.steel_hr)
    kill_midway(dead, personas.steel_hr, monkeypatch)
    queued = check(roster(ROWS, name="second.csv"), personas.steel_hr)
    services.request_commit(queued)  # claimed, its job not started yet: no lease, waiting, not dead

    tasks.expire_dead_jobs_task.call_local()

    assert list(RosterImport.objects.order_by("pk").values_list("status", flat=True)) == [
        ImportStatus.FAILED, ImportStatus.COMMITTING]


def test_a_commit_whose_job_still_beats_is_left_running(personas, settings):
    roster_import = check(roster(ROWS), personas.steel_hr)
    services.request_commit(roster_import)

    with leases.JobLease(roster_import):
        assert services.expire_dead_job(roster_import) is False
        assert leases.lease_age(roster_import) < 1

    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.COMMITTING


def test_the_heartbeat_renews_the_lease_while_the_job_runs(personas, settings):
    settings.IMPORT_JOB_LEASE_SECONDS = 2  # a beat every half second
    roster_import = check(roster(ROWS), personas.steel_hr)

    with leases.JobLease(roster_import) as lease:
        old = time.time() - 60
        os.utime(lease.path, (old, old))
        time.sleep(0.8)
        assert leases.lease_age(roster_import) < 1
    assert not lease.path.exists()


def test_a_job_taken_for_dead_writes_nothing_and_leaves_the_retry_alone(personas, monkeypatch):
    """A job taken for dead that was only slow: when it reaches its end, its attempt is no longer the
    current one (the import was failed and claimed again), so its transaction is rolled back."""
    roster_import = check(roster(ROWS), personas.steel_hr)
    services.request_commit(roster_import)
    real = services.refresh_headcounts_of

    def retried_meanwhile(*args):
        real(*args)
        RosterImport.objects.filter(pk=roster_import.pk).update(commit_attempt=2)  # another claim since

    monkeypatch.setattr(services, "refresh_headcounts_of", retried_meanwhile)
    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    assert not Worker.objects.filter(name__in=NAMES).exists()
    assert RosterImport.objects.filter(pk=roster_import.pk).values_list("status", "commit_attempt").get() == (
        ImportStatus.COMMITTING, 1)  # rolled back with it; the status of the other attempt untouched


def test_a_queued_job_of_an_attempt_no_longer_current_does_not_run(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)
    services.request_commit(roster_import)
    RosterImport.objects.filter(pk=roster_import.pk).update(status=ImportStatus.FAILED)  # taken for dead

    tasks.commit_roster_import_task.call_local(roster_import.pk, personas.steel_hr.pk, False, 1)

    assert not Worker.objects.filter(name__in=NAMES).exists()
    assert RosterImport.objects.get(pk=roster_import.pk).status == ImportStatus.FAILED


def test_a_check_killed_midway_is_refused_with_a_clear_message_when_looked_at(personas, sign_in, monkeypatch):
    upload = roster([ROWS[0], [*ROWS[1][:2], "12345", *ROWS[1][3:]]])  # a problem is stored as it goes
    roster_import = services.create_roster_import(upload, user=personas.steel_hr)

    def killed(*args):
        assert ImportProblem.objects.filter(roster_import=roster_import).exists()
        raise Killed

    with monkeypatch.context() as patch:  # as in kill_midway: none of the job's handlers runs
        patch.setattr(services, "write_progress", killed)
        patch.setattr(spill.SpillWriter, "discard", lambda writer: writer.file.close())
        patch.setattr(services, "_refuse_dead_check", lambda *args: False)
        patch.setattr(leases.JobLease, "__exit__", lambda lease, *exc: lease.stopped.set())
        with pytest.raises(Killed):
            services.check_roster_import(roster_import)
    last_beat = time.time() - leases.lease_seconds() - 1
    os.utime(leases.lease_path(roster_import), (last_beat, last_beat))
    assert RosterImport.objects.get(pk=roster_import.pk).status == ImportStatus.CHECKING

    page = sign_in(personas.steel_hr).get(f"/imports/{roster_import.pk}/").content.decode()

    roster_import.refresh_from_db()
    message = "文件检查已中断（超过 120 秒没有响应，后台进程可能已停止），请重新上传；文件很大时可另存为 CSV 后上传。"
    assert (roster_import.status, roster_import.message, roster_import.counts) == (ImportStatus.REFUSED, message, {})
    assert message in page
    assert not ImportProblem.objects.filter(roster_import=roster_import).exists()
    assert not spill.spill_path(roster_import).exists() and not leases.lease_path(roster_import).exists()


def test_a_check_taken_for_dead_that_ends_later_leaves_the_refusal_standing(personas, monkeypatch):
    roster_import = services.create_roster_import(roster(ROWS), user=personas.steel_hr)
    real = services.write_progress

    def refused_meanwhile(*args):
        real(*args)
        RosterImport.objects.filter(pk=roster_import.pk).update(status=ImportStatus.REFUSED, message="已中断")

    monkeypatch.setattr(services, "write_progress", refused_meanwhile)
    services.check_roster_import(roster_import)

    assert (roster_import.status, roster_import.message) == (ImportStatus.REFUSED, "已中断")
    assert not spill.spill_path(roster_import).exists()


def test_a_check_that_fails_unexpectedly_is_refused_not_left_checking(personas, monkeypatch):
    roster_import = services.create_roster_import(roster(ROWS), user=personas.steel_hr)

    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "write_progress", broken)
    with pytest.raises(RuntimeError):
        services.check_roster_import(roster_import)

    assert RosterImport.objects.filter(pk=roster_import.pk).values_list("status", "message").get() == (
        ImportStatus.REFUSED, "文件检查未完成（系统错误），请重新上传；如仍不成功，请联系系统管理员。")
    assert not spill.spill_path(roster_import).exists() and not leases.lease_path(roster_import).exists()
