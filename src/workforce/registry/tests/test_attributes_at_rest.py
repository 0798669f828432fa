"""Decision 0009, at rest (issue 13 point 7): the hukou type, the political status and the dated worker facts
are encrypted in the database, the change log says they changed but never to what, and the migration
encrypts what was stored plain."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from workforce.core.changelog import MASKED_VALUE
from workforce.core.choices import Channel
from workforce.core.encryption import decrypt
from workforce.core.models import ChangeLogEntry
from workforce.imports.tests.test_audit import commit
from workforce.imports.tests.test_services import ROWS
from workforce.registry import services
from workforce.registry.choices import HukouType, PoliticalStatus, WorkerFactKind
from workforce.registry.models import Worker, WorkerFact

MIGRATION = importlib.import_module("workforce.registry.migrations.0006_sensitive_attributes_encrypted")
PLAIN_CODES = {choice.value for choice in HukouType} | {choice.value for choice in PoliticalStatus}


def stored(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def plain_values_in_the_database() -> list:
    """Every stored hukou, political status and fact value that is not sealed."""
    values = [value for row in stored("SELECT hukou_type, political_status FROM registry_worker") for value in row]
    values += [row[0] for row in stored("SELECT value FROM registry_workerfact")]
    return [value for value in values if value in PLAIN_CODES or (value and len(value) < 40)]


def make_party_member(worker: Worker) -> None:
    services.update_worker(worker, {"political_status": PoliticalStatus.CPC_MEMBER, "hukou_type": HukouType.URBAN},
                           expected_version=worker.version, effective_on=datetime.date(2024, 7, 1), acting_user=None,
                           channel=Channel.SYSTEM)


def test_hukou_political_status_and_facts_are_stored_sealed_and_read_back_plain(personas):
    li_mei = personas.miyi_worker
    make_party_member(li_mei)

    [(hukou, political)] = stored("SELECT hukou_type, political_status FROM registry_worker WHERE id = %s",
                                  [li_mei.pk])
    assert (decrypt(hukou), decrypt(political)) == ("urban", "cpc_member")
    assert plain_values_in_the_database() == []
    li_mei.refresh_from_db()
    assert (li_mei.hukou_type, li_mei.political_status) == ("urban", "cpc_member")
    facts = WorkerFact.objects.filter(worker=li_mei, kind__in=[WorkerFactKind.HUKOU, WorkerFactKind.POLITICAL_STATUS])
    assert sorted(facts.values_list("kind", "value", "valid_to"), key=str) == [
        ("hukou_type", "rural", datetime.date(2024, 6, 30)), ("hukou_type", "urban", None),
        ("political_status", "cpc_member", None), ("political_status", "masses", datetime.date(2024, 6, 30))]


def test_the_change_log_says_the_attributes_changed_but_never_to_what(personas):
    li_mei = personas.miyi_worker
    make_party_member(li_mei)

    entries = ChangeLogEntry.objects.filter(content_type__model="worker", object_id=li_mei.pk).order_by("id")
    assert [(entry.action, entry.before, entry.after) for entry in entries][-1] == (
        "update", {"hukou_type": MASKED_VALUE, "political_status": MASKED_VALUE},
        {"hukou_type": MASKED_VALUE, "political_status": MASKED_VALUE})
    logged = " ".join(str(entry.before) + str(entry.after) for entry in ChangeLogEntry.objects.all())
    assert not any(f"'{code}'" in logged for code in PLAIN_CODES)


def test_a_roster_import_writes_the_attributes_sealed(personas):
    commit(ROWS, personas.steel_hr)
    assert Worker.objects.filter(name="王五").get().hukou_type == "rural"
    assert plain_values_in_the_database() == []


def test_the_migration_encrypts_plain_values_masks_old_snapshots_and_can_run_twice(personas):
    li_mei = personas.miyi_worker
    make_party_member(li_mei)
    # As the registry stood before: plain codes in the columns and the facts, and in a logged snapshot.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_worker SET hukou_type = %s, political_status = %s WHERE id = %s",
                       ["rural", "cpc_member", li_mei.pk])
        cursor.execute("UPDATE registry_workerfact SET value = %s WHERE worker_id = %s AND kind = %s",
                       ["rural", li_mei.pk, WorkerFactKind.HUKOU])
    entry = ChangeLogEntry.objects.filter(content_type__model="worker", object_id=li_mei.pk).order_by("id").first()
    ChangeLogEntry.objects.filter(pk=entry.pk).update(after={**entry.after, "hukou_type": "rural",
                                                             "political_status": ""})
    assert plain_values_in_the_database() != []

    editor = SimpleNamespace(connection=connection)  # what the migration's functions use of a schema editor
    MIGRATION.encrypt_values(apps, editor)
    once = stored("SELECT hukou_type, political_status FROM registry_worker ORDER BY id")
    MIGRATION.encrypt_values(apps, editor)  # a rerun leaves sealed values as they are

    assert stored("SELECT hukou_type, political_status FROM registry_worker ORDER BY id") == once
    assert plain_values_in_the_database() == []
    li_mei.refresh_from_db()
    assert (li_mei.hukou_type, li_mei.political_status) == ("rural", "cpc_member")
    assert set(WorkerFact.objects.filter(worker=li_mei, kind=WorkerFactKind.HUKOU).values_list("value", flat=True)) \
        == {"rural"}
    entry.refresh_from_db()
    assert (entry.after["hukou_type"], entry.after["political_status"], entry.after["name"]) == (
        MASKED_VALUE, "", "李梅")

    MIGRATION.decrypt_values(apps, editor)
    assert stored("SELECT hukou_type, political_status FROM registry_worker WHERE id = %s", [li_mei.pk]) == [
        ("rural", "cpc_member")]


# ------------------------------------------------------------------ one token length (the codes filled)

FILLED = importlib.import_module("workforce.registry.migrations.0008_sealed_codes_same_length")


def token_lengths() -> set[int]:
    """The lengths of every stored hukou, political status and fact token."""
    tokens = [value for row in stored("SELECT hukou_type, political_status FROM registry_worker") for value in row]
    tokens += [row[0] for row in stored("SELECT value FROM registry_workerfact")]
    return {len(token) for token in tokens if token}


def test_every_sealed_code_has_one_token_length_so_its_length_tells_nothing(personas):
    """AES-GCM keeps the plaintext's length: unfilled, ``masses`` (6 bytes), ``cpc_member`` (10) and
    ``cpc_probationary`` (16) gave tokens of three lengths, a party member told by the length alone."""
    for worker, status in ((personas.miyi_worker, PoliticalStatus.CPC_PROBATIONARY),
                           (personas.steel_worker, PoliticalStatus.OTHER_PARTY)):
        services.update_worker(worker, {"political_status": status, "education": "postgraduate"},
                               expected_version=worker.version, effective_on=datetime.date(2024, 7, 1),
                               acting_user=None, channel=Channel.SYSTEM)
    commit(ROWS, personas.steel_hr)  # the importer's bulk writer seals its own values

    statuses = set(Worker.objects.values_list("political_status", flat=True))
    # The roster has no political-status column: its workers are not stated (blank), sealed to the same length.
    assert {"", PoliticalStatus.CPC_PROBATIONARY, PoliticalStatus.OTHER_PARTY} <= statuses
    assert len(token_lengths()) == 1


def test_the_migration_fills_the_stored_tokens_and_can_run_twice_and_back(personas):
    from workforce.core.encryption import encrypt

    li_mei = personas.miyi_worker
    make_party_member(li_mei)
    with connection.cursor() as cursor:  # as stored before: tokens of the bare codes
        cursor.execute("UPDATE registry_worker SET hukou_type = %s, political_status = %s WHERE id = %s",
                       [encrypt("rural"), encrypt("cpc_member"), li_mei.pk])
        cursor.execute("UPDATE registry_workerfact SET value = %s WHERE worker_id = %s AND kind = %s",
                       [encrypt("masses"), li_mei.pk, WorkerFactKind.POLITICAL_STATUS])
    assert len(token_lengths()) > 1

    editor = SimpleNamespace(connection=connection)
    FILLED.fill_tokens(apps, editor)
    once = stored("SELECT hukou_type, political_status FROM registry_worker ORDER BY id")
    FILLED.fill_tokens(apps, editor)

    assert stored("SELECT hukou_type, political_status FROM registry_worker ORDER BY id") == once
    assert len(token_lengths()) == 1
    li_mei.refresh_from_db()
    assert (li_mei.hukou_type, li_mei.political_status) == ("rural", "cpc_member")
    assert set(WorkerFact.objects.filter(worker=li_mei, kind=WorkerFactKind.POLITICAL_STATUS).values_list(
        "value", flat=True)) == {"masses"}

    FILLED.unfill_tokens(apps, editor)
    [(hukou, political)] = stored("SELECT hukou_type, political_status FROM registry_worker WHERE id = %s",
                                  [li_mei.pk])
    assert (decrypt(hukou), decrypt(political)) == ("rural", "cpc_member")
    assert len(token_lengths()) > 1


def test_a_dump_does_not_tell_who_is_a_union_member(personas):
    """What a database dump tells of 李梅's membership: nothing (decision 0009's roll): no table of memberships,
    no summary column, no change-log row about a membership or naming one in plain, and her roll's token as long
    as everyone's."""
    li_mei = personas.miyi_worker
    services.start_union_membership(li_mei, datetime.date(2020, 5, 1), employer=personas.miyi_mine,
                                    acting_user=None, channel=Channel.SYSTEM)
    columns = {column.name for column in connection.introspection.get_table_description(
        connection.cursor(), "registry_worker")}
    tables = connection.introspection.table_names()
    told = []
    if "is_union_member" in columns:
        told += stored("SELECT id FROM registry_worker WHERE is_union_member = %s AND id = %s", [True, li_mei.pk])
    if "registry_unionmembership" in tables:
        told += stored("SELECT id FROM registry_unionmembership WHERE worker_id = %s", [li_mei.pk])
    told += ChangeLogEntry.objects.filter(content_type__model="unionmembership",
                                         parent_object_id=str(li_mei.pk)).values_list("id")
    logged = str(list(ChangeLogEntry.objects.filter(content_type__model="worker", object_id=str(li_mei.pk))
                      .values_list("before", "after", "note")))

    assert told == []
    assert "2020-05-01" not in logged and personas.miyi_mine.name not in logged
    assert len({len(token) for (token,) in stored("SELECT union_roll FROM registry_worker")}) == 1
