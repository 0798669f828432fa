"""Decision 0009, union membership at rest: every worker's membership periods sealed in one padded roll in
their own row (``Worker.union_roll``), written by the services, the importer and the migration."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from workforce.core.choices import Channel
from workforce.core.encryption import decrypt
from workforce.imports.tests.test_audit import commit
from workforce.imports.tests.test_services import ROWS
from workforce.registry import services
from workforce.registry.models import Worker
from workforce.registry.union_roll import ROLL_BLOCK, RollEntry, decode_roll, encode_roll

SYSTEM = Channel.SYSTEM
D = datetime.date


def stored_rolls() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, union_roll FROM registry_worker")
        return dict(cursor.fetchall())


def roll_of(worker: Worker) -> list[RollEntry]:
    return decode_roll(decrypt(stored_rolls()[worker.pk]))


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


def test_saving_a_worker_read_before_a_membership_change_keeps_the_roll(personas):
    stale = Worker.objects.get(pk=personas.miyi_worker.pk)
    membership = services.start_union_membership(personas.miyi_worker, D(2020, 5, 1), acting_user=None,
                                                 channel=SYSTEM)
    stale.name = "李梅梅"
    stale.save()

    assert roll_of(stale) == [RollEntry(membership.pk, None, D(2020, 5, 1), None)]
    assert Worker.objects.get(pk=stale.pk).name == "李梅梅"


def test_a_merge_moves_the_duplicates_periods_into_the_survivors_roll(personas):
    survivor, duplicate = personas.steel_worker, personas.miyi_worker
    kept = services.start_union_membership(survivor, D(2019, 1, 1), acting_user=None, channel=SYSTEM)
    services.end_union_membership(kept, D(2019, 12, 31), acting_user=None, channel=SYSTEM)
    moved = services.start_union_membership(duplicate, D(2020, 5, 1), acting_user=None, channel=SYSTEM)

    services.merge_workers(survivor, duplicate, acting_user=None, channel=SYSTEM)

    assert roll_of(survivor) == [RollEntry(kept.pk, None, D(2019, 1, 1), D(2019, 12, 31)),
                                 RollEntry(moved.pk, None, D(2020, 5, 1), None)]
    assert roll_of(duplicate) == []


def test_a_merge_joins_overlapping_periods_into_the_earliest(personas):
    survivor, duplicate = personas.steel_worker, personas.miyi_worker
    first = services.start_union_membership(survivor, D(2019, 1, 1), acting_user=None, channel=SYSTEM)
    services.end_union_membership(first, D(2020, 12, 31), acting_user=None, channel=SYSTEM)
    services.start_union_membership(duplicate, D(2020, 5, 1), acting_user=None, channel=SYSTEM)

    services.merge_workers(survivor, duplicate, acting_user=None, channel=SYSTEM)

    assert roll_of(survivor) == [RollEntry(first.pk, None, D(2019, 1, 1), None)]


def test_every_worker_has_one_token_of_one_length_member_or_not(personas):
    services.start_union_membership(personas.miyi_worker, D(2020, 5, 1), employer=personas.miyi_mine,
                                    acting_user=None, channel=SYSTEM)
    commit(ROWS, personas.steel_hr)  # the importer's set-based writer too

    rolls = stored_rolls()
    assert len(rolls) > 3 and all(rolls.values())
    assert len({len(token) for token in rolls.values()}) == 1
    assert all(len(decrypt(token)) < ROLL_BLOCK for token in rolls.values())  # the fill is dropped on reading
    imported = [entry for worker in Worker.objects.all() for entry in roll_of(worker)
                if entry.employer_id == personas.steel_hr.employer_id]
    assert imported and all(entry.valid_to is None for entry in imported)


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_the_rows_into_the_rolls_and_back(reference_data, personas):
    """Registry migration 0012 run backwards (the rows recreated from the rolls, with their ids) and forwards
    again (the rolls written from the rows, the change log re-parented and masked, the permissions renamed with
    their grants): the same memberships, ids and grants on either side."""
    from django.contrib.auth.models import Permission
    from django.db.migrations.executor import MigrationExecutor

    from workforce.accounts.models import Role
    from workforce.core.models import ChangeLogEntry
    from workforce.registry.memberships import memberships_of

    li_mei, zhang = personas.miyi_worker, personas.steel_worker
    ended = services.start_union_membership(li_mei, D(2019, 1, 1), employer=personas.miyi_mine, acting_user=None,
                                            channel=SYSTEM)
    services.end_union_membership(ended, D(2019, 12, 31), acting_user=None, channel=SYSTEM)
    current = services.start_union_membership(li_mei, D(2020, 5, 1), acting_user=None, channel=SYSTEM)
    before = {worker.pk: roll_of(worker) for worker in (li_mei, zhang)}
    hr = Role.objects.get(code="enterprise_hr")
    granted = set(hr.permissions.values_list("codename", flat=True))
    assert {"view_union_membership", "add_union_membership", "change_union_membership"} <= granted
    last = ("registry", "0011_worker_name_indexes_cover_is_active")
    latest = ("registry", "0013_union_rolls_are_the_record")

    try:
        executor = MigrationExecutor(connection)
        executor.migrate([last])
        old = executor.loader.project_state([last]).apps
        rows = old.get_model("registry", "UnionMembership").objects.order_by("valid_from")
        assert [(row.pk, row.worker_id, row.employer_id, row.valid_from, row.valid_to) for row in rows] == [
            (ended.pk, li_mei.pk, personas.miyi_mine.pk, D(2019, 1, 1), D(2019, 12, 31)),
            (current.pk, li_mei.pk, None, D(2020, 5, 1), None)]
        assert list(old.get_model("registry", "Worker").objects.filter(is_union_member=True).values_list(
            "pk", flat=True)) == [li_mei.pk]
        logged = ChangeLogEntry.objects.filter(content_type__model="unionmembership")
        assert sorted(set(logged.values_list("object_id", "parent_object_id"))) == [
            (str(ended.pk), str(li_mei.pk)), (str(current.pk), str(li_mei.pk))]
        assert {"view_unionmembership", "add_unionmembership", "change_unionmembership"} <= set(
            hr.permissions.values_list("codename", flat=True))

        executor = MigrationExecutor(connection)
        executor.migrate([latest])
        assert {worker.pk: roll_of(worker) for worker in (li_mei, zhang)} == before
        assert [membership.pk for membership in memberships_of(li_mei)] == [current.pk, ended.pk]
        assert not ChangeLogEntry.objects.filter(content_type__model="unionmembership").exists()
        assert ChangeLogEntry.objects.filter(content_type__model="worker", object_id=str(li_mei.pk),
                                             after__has_key="union_roll").count() == 3
        assert set(hr.permissions.values_list("codename", flat=True)) == granted
        assert not Permission.objects.filter(codename__endswith="_unionmembership").exists()
        newer = services.start_union_membership(zhang, D(2021, 1, 1), acting_user=None, channel=SYSTEM)
    finally:  # every app back at its latest migration: going back to 0011 unapplied what depends on it
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert newer.pk > current.pk  # the counter starts after the rows' ids
