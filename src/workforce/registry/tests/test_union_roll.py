"""Decision 0009, union membership at rest: every worker's membership periods sealed in one padded roll in
their own row (``Worker.union_roll``), written by the services, the importer and the migration."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection

from workforce.core.choices import Channel
from workforce.core.encryption import decrypt
from workforce.imports.tests.test_audit import commit
from workforce.imports.tests.test_services import ROWS
from workforce.registry import services
from workforce.registry.models import UnionMembership, Worker
from workforce.registry.union_roll import ROLL_BLOCK, RollEntry, decode_roll, encode_roll

MIGRATION = importlib.import_module("workforce.registry.migrations.0010_fill_union_rolls")
SYSTEM = Channel.SYSTEM
D = datetime.date


def stored_rolls() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, union_roll FROM registry_worker")
        return dict(cursor.fetchall())


def roll_of(worker: Worker) -> list[RollEntry]:
    return decode_roll(decrypt(stored_rolls()[worker.pk]))


def rows_of(worker: Worker) -> list[RollEntry]:
    return sorted((RollEntry(*row) for row in UnionMembership.objects.filter(worker=worker).values_list(
        "id", "employer_id", "valid_from", "valid_to")), key=lambda entry: (entry.valid_from, entry.id))


def test_a_roll_reads_back_what_was_written():
    entries = [RollEntry(7, None, D(2018, 1, 1), D(2019, 12, 31)), RollEntry(12, 3, D(2020, 5, 1), None)]

    assert decode_roll(encode_roll(reversed(entries))) == entries
    assert decode_roll(encode_roll([])) == []
    assert decode_roll("") == []
    with pytest.raises(ValueError, match="not a union roll"):
        decode_roll("7,,2018-01-01,")


def test_the_services_keep_the_roll_to_the_memberships(personas):
    li_mei = personas.miyi_worker
    membership = services.start_union_membership(li_mei, D(2020, 5, 1), employer=personas.miyi_mine,
                                                 acting_user=None, channel=SYSTEM)
    assert roll_of(li_mei) == [RollEntry(membership.pk, personas.miyi_mine.pk, D(2020, 5, 1), None)]

    services.end_union_membership(membership, D(2022, 4, 30), acting_user=None, channel=SYSTEM)

    assert roll_of(li_mei) == [RollEntry(membership.pk, personas.miyi_mine.pk, D(2020, 5, 1), D(2022, 4, 30))]
    li_mei.refresh_from_db()
    assert decode_roll(li_mei.union_roll) == roll_of(li_mei)


def test_a_merge_moves_the_duplicates_periods_into_the_survivors_roll(personas):
    survivor, duplicate = personas.steel_worker, personas.miyi_worker
    services.start_union_membership(duplicate, D(2020, 5, 1), acting_user=None, channel=SYSTEM)

    services.merge_workers(survivor, duplicate, acting_user=None, channel=SYSTEM)

    assert roll_of(survivor) == rows_of(survivor) != []
    assert roll_of(duplicate) == []


def test_every_worker_has_one_token_of_one_length_member_or_not(personas):
    services.start_union_membership(personas.miyi_worker, D(2020, 5, 1), employer=personas.miyi_mine,
                                    acting_user=None, channel=SYSTEM)
    commit(ROWS, personas.steel_hr)  # the importer's set-based writer too

    rolls = stored_rolls()
    assert len(rolls) > 3 and all(rolls.values())
    assert len({len(token) for token in rolls.values()}) == 1
    assert all(len(decrypt(token)) < ROLL_BLOCK for token in rolls.values())  # the fill is dropped on reading
    assert all(roll_of(worker) == rows_of(worker) for worker in Worker.objects.all())


def test_the_migration_writes_every_roll_and_can_run_again(personas):
    services.start_union_membership(personas.miyi_worker, D(2020, 5, 1), acting_user=None, channel=SYSTEM)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_worker SET union_roll = ''")

    for _run in range(2):
        MIGRATION.fill_rolls(apps, connection.schema_editor())
        assert all(roll_of(worker) == rows_of(worker) for worker in Worker.objects.all())
    assert len({len(token) for token in stored_rolls().values()}) == 1

    MIGRATION.empty_rolls(apps, connection.schema_editor())
    assert set(stored_rolls().values()) == {""}
