"""Every time people read is China time (issue 15 point 2): pages, exports, change-log values and the
labels of the documents a change came from, whatever zone the server runs in."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from workforce.accounts.models import EnrolmentCode, User
from workforce.core.changelog import snapshot
from workforce.core.exports import neutralise
from workforce.core.models import AccessLogEntry, ChangeLogEntry
from workforce.core.templatetags.workforce import changes
from workforce.imports.models import RosterImport

SOURCE = Path(__file__).resolve().parents[2]
UTC_EVENING = datetime.datetime(2026, 12, 7, 17, 26, tzinfo=datetime.UTC)  # 2026-12-08 01:26 in Panzhihua


def test_an_import_is_named_by_its_china_time():
    roster = RosterImport(original_name="roster_v2.xlsx", created_at=UTC_EVENING)

    assert str(roster) == "roster_v2.xlsx（2026-12-08 01:26）"


def test_access_log_and_enrolment_codes_read_china_time():
    entry = AccessLogEntry(time=UTC_EVENING, username="alice", event="login")
    code = EnrolmentCode(user=User(username="bob"), issued_at=UTC_EVENING)

    assert str(entry).startswith("2026-12-08 01:26 alice")
    assert str(code) == "bob 2026-12-08 01:26"


def test_exports_write_times_in_china_time():
    assert neutralise(UTC_EVENING) == "2026-12-08 01:26"
    assert neutralise(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 7)
    assert neutralise(datetime.datetime(2019, 3, 1, 8, 30)) == datetime.datetime(2019, 3, 1, 8, 30)  # a cell's


def test_change_log_keeps_times_with_the_china_offset():
    from workforce.supervision.models import ProgressReport

    report = ProgressReport(status="submitted", body="", due_date=datetime.date(2026, 12, 31),
                            submitted_at=UTC_EVENING)
    report.CHANGELOG_FIELDS = ["due_date", "submitted_at"]

    assert snapshot(report) == {"due_date": "2026-12-31", "submitted_at": "2026-12-08T01:26:00+08:00"}


@pytest.mark.django_db
def test_history_shows_times_stored_in_utc_as_china_time():
    from django.contrib.contenttypes.models import ContentType

    from workforce.accounts.models import ApiToken

    entry = ChangeLogEntry(content_type=ContentType.objects.get_for_model(ApiToken), action="update",
                           before={"revoked_at": None}, after={"revoked_at": "2026-12-07T17:26:00+00:00"})

    assert [(str(label), new) for label, _old, new in changes(entry)] == [("吊销时间", "2026-12-08 01:26")]


@pytest.mark.django_db
def test_history_timeline_reads_china_time_for_the_entry_and_its_source():
    roster = RosterImport(pk=2, original_name="roster_v2.xlsx", created_at=UTC_EVENING)
    entry = ChangeLogEntry(time=UTC_EVENING, action="update", channel="import", source_row=2)
    entry.source = roster
    roster.get_absolute_url = lambda: "/imports/2/"

    html = render_to_string("registry/_history.html", {"history": [entry]})

    assert ">2026-12-08 01:26</time>" in html
    assert "roster_v2.xlsx（2026-12-08 01:26）" in html
    assert "17:26" not in html


def _time_formats(tree: ast.AST):
    """Places that format a time of day (``%H``) or write a ``*_at``/``time`` attribute as ISO text
    without going through China time."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.FormattedValue) and node.format_spec is not None
                and "%H" in ast.unparse(node.format_spec) and "localtime" not in ast.unparse(node.value)):
            yield node.lineno, ast.unparse(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            if node.func.attr == "strftime" and "%H" in ast.unparse(node) and "localtime" not in receiver:
                yield node.lineno, ast.unparse(node)
            if node.func.attr == "isoformat" and receiver.split(".")[-1].endswith(("_at", "time")):
                yield node.lineno, ast.unparse(node)


def test_no_code_formats_a_time_outside_china_time():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "clock.py":
            continue
        found += [f"{path.relative_to(SOURCE)}:{line}: {text}" for line, text in _time_formats(ast.parse(
            path.read_text(encoding="utf-8")))]

    assert found == []


def test_the_api_writes_times_in_iso_8601_with_the_china_offset():
    from rest_framework import serializers

    assert serializers.DateTimeField().to_representation(UTC_EVENING) == "2026-12-08T01:26:00+08:00"
