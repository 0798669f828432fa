"""Issue 15 point 13: a roster's blank political status registers the worker as not stated, never as 群众, and
the check says so (a blank cell on its row, a missing column once for the file)."""

from __future__ import annotations

from django.db import connection

from workforce.imports import services
from workforce.imports.choices import Severity
from workforce.imports.models import ImportProblem
from workforce.imports.tests.test_services import HEADER, ROWS, check, roster
from workforce.registry.choices import PoliticalStatus
from workforce.registry.models import Worker


def committed(upload, user):
    roster_import = check(upload, user)
    services.commit_roster_import(roster_import, acting_user=user)
    return roster_import


def notices(roster_import) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.column, str(problem.message)) for problem in
            ImportProblem.objects.filter(roster_import=roster_import, severity=Severity.NOTICE).order_by("row")]


def test_a_blank_political_status_cell_registers_the_worker_as_not_stated(personas):
    header = [*HEADER, "政治面貌"]
    rows = [[*ROWS[0], ""], [*ROWS[1], "中共党员"]]

    roster_import = committed(roster(rows, header=header), personas.steel_hr)

    wang, zhao = Worker.objects.get(name="王五"), Worker.objects.get(name="赵六")
    assert (wang.political_status, zhao.political_status) == ("", PoliticalStatus.CPC_MEMBER)
    [(row, column, message)] = notices(roster_import)  # the blank cell's row only, on its column
    assert (row, column) == (2, "政治面貌") and "未填报" in message and "不计为群众" in message
    assert roster_import.counts["notices"] == 1


def test_a_roster_without_the_column_says_so_once_and_registers_nobody_as_masses(personas):
    roster_import = committed(roster(ROWS), personas.steel_hr)

    assert set(Worker.objects.filter(name__in=["王五", "赵六"]).values_list("political_status", flat=True)) == {""}
    [(_row, column, message)] = notices(roster_import)
    assert column == "政治面貌" and "没有“政治面貌”列" in message and "2 名" in message


def test_a_not_stated_status_is_sealed_like_any_other(personas):
    """Blank is not left plain in the column: a dump must not tell who did not state theirs (decision 0009)."""
    committed(roster(ROWS), personas.steel_hr)

    with connection.cursor() as cursor:
        cursor.execute("SELECT political_status FROM registry_worker")
        tokens = [row[0] for row in cursor.fetchall()]
    assert tokens and all(len(token) >= 40 for token in tokens)
    stated = Worker.objects.exclude(name__in=["王五", "赵六"]).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT political_status FROM registry_worker WHERE id = %s", [stated.pk])
        assert len(cursor.fetchone()[0]) == len(tokens[0])  # one length for stated and not stated


def test_a_blank_cell_leaves_a_registered_workers_status_as_it_was(personas):
    """An empty cell says nothing about a worker already registered: it neither clears nor sets it."""
    header = [*HEADER, "政治面貌"]
    committed(roster([[*ROWS[0], "中共党员"]], header=header), personas.steel_hr)

    again = check(roster([[*ROWS[0], ""]], header=header), personas.steel_hr)

    assert again.counts["unchanged"] == 1 and again.is_unchanged  # nothing to import
    assert not notices(again)  # only a new worker's blank cell registers anyone as not stated
    assert Worker.objects.get(name="王五").political_status == PoliticalStatus.CPC_MEMBER
