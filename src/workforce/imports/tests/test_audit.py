"""The trail a roster import leaves (decision 0008): one change-log row per new worker naming the import
and the file's row, changes to registered workers naming them too, and dated facts only from a change."""

from __future__ import annotations

import datetime

from workforce.conftest import hire
from workforce.core.models import ChangeLogEntry
from workforce.imports import services
from workforce.imports.tests.test_services import ROWS, check, roster
from workforce.registry.memberships import memberships_of
from workforce.registry.models import EmploymentSpell, Worker, WorkerFact
from workforce.registry.tests.api_support import client_as


def commit(rows, user, **options):
    roster_import = check(roster(rows), user, **options)
    services.commit_roster_import(roster_import, acting_user=user)
    return roster_import


def test_each_new_worker_gets_one_change_log_row_naming_the_import_and_its_row(personas):
    roster_import = commit(ROWS, personas.steel_hr)

    wang, zhao = Worker.objects.get(name="王五"), Worker.objects.get(name="赵六")
    entries = ChangeLogEntry.objects.filter(channel="import").order_by("source_row")
    assert [(entry.content_type.model, entry.object_id, entry.object_repr, entry.action, entry.user_id,
             entry.user_name, entry.note, entry.source_content_type.model, entry.source_object_id,
             entry.source_row, entry.before, entry.after) for entry in entries] == [
        ("worker", str(wang.pk), f"王五（{wang.id_number_masked}）", "create", personas.steel_hr.pk,
         personas.steel_hr.username, f"花名册导入 #{roster_import.pk} 第 2 行", "rosterimport",
         str(roster_import.pk), 2, {}, {}),
        ("worker", str(zhao.pk), f"赵六（{zhao.id_number_masked}）", "create", personas.steel_hr.pk,
         personas.steel_hr.username, f"花名册导入 #{roster_import.pk} 第 3 行", "rosterimport",
         str(roster_import.pk), 3, {}, {}),
    ]
    # The row stands for the spell and membership it created; the import keeps the file.
    assert (EmploymentSpell.objects.filter(worker__in=[wang, zhao]).count(),
            len(memberships_of(wang))) == (2, 1)
    assert roster_import.file.read().decode("utf-8-sig").splitlines()[1].startswith("王五,")


def test_imported_workers_get_dated_facts_only_when_an_attribute_changes(personas):
    commit(ROWS, personas.steel_hr)
    wang = Worker.objects.get(name="王五")
    assert not WorkerFact.objects.filter(worker=wang).exists()  # the record's values hold on every day

    changed = [["王五", ROWS[0][1], "13912345678", "城镇户口", *ROWS[0][4:]]]
    second = commit(changed, personas.steel_hr, roster_date=datetime.date(2024, 5, 1))

    assert second.counts["committed"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert list(WorkerFact.objects.filter(worker=wang).order_by("valid_from").values_list(
        "kind", "value", "valid_from", "valid_to")) == [
        ("hukou_type", "rural", datetime.date(2020, 1, 1), datetime.date(2024, 4, 30)),
        ("hukou_type", "urban", datetime.date(2024, 5, 1), None),
    ]
    assert list(WorkerFact.objects.on(datetime.date(2023, 1, 1)).filter(worker=wang).values_list(
        "value", flat=True)) == ["rural"]
    update = ChangeLogEntry.objects.get(channel="import", action="update")
    assert (update.object_id, update.before, update.after, update.source_object_id, update.source_row) == (
        str(wang.pk), {"hukou_type": "***"}, {"hukou_type": "***"}, str(second.pk), 2)  # masked (decision 0009)


def test_the_history_links_the_import_file_only_for_those_who_may_open_it(personas, sign_in):
    roster_import = commit(ROWS, personas.steel_hr)
    wang = Worker.objects.get(name="王五")
    hire(personas.small_firm, ROWS[0][1], "王五", start=datetime.date(2023, 1, 1))
    link = f'href="/imports/{roster_import.pk}/"'

    own = sign_in(personas.steel_hr).get(f"/registry/workers/{wang.pk}/").content.decode()
    other = sign_in(personas.small_firm_hr).get(f"/registry/workers/{wang.pk}/").content.decode()
    rows = client_as(personas, "small_firm_hr").get(f"/api/registry/workers/{wang.pk}/history/").json()["results"]

    assert link in own and "第 2 行" in own
    assert link not in other and roster_import.original_name not in other
    assert personas.steel.name not in str(rows)
    assert [(row["object_type"], row["action"], row["source_type"], row["source_row"]) for row in rows] == [
        ("employmentspell", "create", None, None), ("worker", "create", "rosterimport", 2)]
