"""The registry's columns: kept on the disk between processes (read back identical, never at another stamp),
brought up to date after a change by reading the changed workers only, equal to those read whole."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from cryptography.fernet import Fernet

from workforce.conftest import hire, make_employer
from workforce.core.changelog import record_change
from workforce.core.choices import ChangeAction, Channel
from workforce.indicators import engine, figures, storage
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.loading import high_skill_levels, registry_stamp
from workforce.indicators.storage import current_columns, forget_columns
from workforce.indicators.tests.support import D0, D1, D, build_town, certificate, fact, id_number
from workforce.registry import services
from workforce.registry.choices import EmployerFactKind, HukouType, Ownership, PoliticalStatus
from workforce.registry.models import Certificate, EmploymentSpell


@pytest.fixture
def town(personas):
    return build_town(personas)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A folder for the columns also on SQLite's in-memory test database (which otherwise keeps none)."""
    monkeypatch.setattr(storage, "columns_dir", lambda: tmp_path)
    return tmp_path


def assert_same_columns(first: RegistryColumns, second: RegistryColumns) -> None:
    for field in dataclasses.fields(RegistryColumns):
        one, other = getattr(first, field.name), getattr(second, field.name)
        if isinstance(one, np.ndarray):
            assert one.dtype == other.dtype and np.array_equal(one, other), field.name
        else:
            assert one == other, field.name


def test_columns_written_to_the_disk_are_read_back_identical(town, tmp_path):
    loaded = RegistryColumns.load()
    loaded.save(tmp_path / "columns.npz")
    assert_same_columns(RegistryColumns.read(tmp_path / "columns.npz", loaded.stamp), loaded)
    assert len(loaded.spell_worker) == 4 and loaded.employer_district == ["510402", "510411", "510421"]


def test_the_columns_file_is_sealed_with_the_field_key(town, tmp_path, settings):
    """Its flags say who is of rural hukou, a party or a union member (decision 0009): no plain .npz."""
    loaded = RegistryColumns.load()
    assert loaded.is_rural_default.sum() == 2 and loaded.is_party_default.sum() == 1  # 李梅 and 王五; 张三
    loaded.save(tmp_path / "columns.npz")
    content = (tmp_path / "columns.npz").read_bytes()
    assert content[:2] != b"PK" and b"is_rural_default" not in content and b"hukou" not in content
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the key is gone: loaded again
    assert RegistryColumns.read(tmp_path / "columns.npz", loaded.stamp) is None


def test_columns_of_another_stamp_are_not_read(town, tmp_path):
    loaded = RegistryColumns.load()
    loaded.save(tmp_path / "columns.npz")
    later = (loaded.stamp[0] + 1, *loaded.stamp[1:])
    assert RegistryColumns.read(tmp_path / "columns.npz", later) is None


def test_a_new_process_reads_the_columns_from_the_disk(town, folder, monkeypatch):
    first = current_columns()
    assert [path.suffix for path in folder.iterdir()] == [".npz"]
    forget_columns()  # as a process after a restart

    def no_database(*args):
        raise AssertionError("read from the database")

    monkeypatch.setattr(RegistryColumns, "load", no_database)
    assert_same_columns(current_columns(), first)


def _no_database(*args):
    raise AssertionError("read whole from the database")


def assert_up_to_date(columns: RegistryColumns, whole_load) -> None:
    """``columns`` (brought up to date) equal the registry read whole (``whole_load``), but for being
    provisional."""
    assert columns.provisional and columns.stamp == registry_stamp()
    assert_same_columns(dataclasses.replace(columns, provisional=False), whole_load())


def _each_kind_of_change(town):
    """Every kind of registry write the indicators read, one at a time, through the services (and one bulk
    insert that writes no change-log row, as an import's staging does)."""
    people = town.people
    spell = EmploymentSpell.objects.get(worker=people.miyi_worker)
    yield "a spell ended", lambda: services.end_employment(spell, D0, expected_version=None, acting_user=None,
                                                           channel=Channel.SYSTEM)
    yield "a reported skill level", lambda: services.update_employment(
        EmploymentSpell.objects.get(worker=people.steel_worker), {"reported_skill_level": 1}, expected_version=None,
        acting_user=None, channel=Channel.SYSTEM)
    yield "a certificate", lambda: certificate(town.zhao, "C-ZHAO", 3, issued_on=D(2021, 2, 1))
    yield "hukou changed (dated facts)", lambda: services.update_worker(
        town.wang, {"hukou_type": HukouType.URBAN, "political_status": PoliticalStatus.CPC_MEMBER},
        expected_version=None, acting_user=None, channel=Channel.SYSTEM, effective_on=D(2020, 7, 1))
    yield "a membership", lambda: services.start_union_membership(town.zhao, D1, employer=people.small_firm,
                                                                  acting_user=None, channel=Channel.SYSTEM)
    yield "a new worker", lambda: hire(people.miyi_mine, id_number("510421", "19950101", 77), "钱七",
                                       start=D(2020, 1, 1), hukou_type="rural")
    yield "an employer fact", lambda: fact(people.small_firm, EmployerFactKind.COLLECTIVE_CONTRACT, D(2020, 1, 1))
    yield "a new employer and its staff", lambda: hire(
        make_employer("攀枝花市盐边县新材料有限公司", "91510422MA6C8Q4X14", "510422", "31", Ownership.PRIVATE),
        id_number("510422", "19880808", 15), "孙八", start=D(2018, 5, 1))
    yield "an employer's ownership", lambda: services.update_employer(
        people.miyi_mine, {"ownership": Ownership.PRIVATE}, expected_version=None, acting_user=None,
        channel=Channel.SYSTEM)
    yield "two records merged", lambda: services.merge_workers(town.wang, town.zhao, acting_user=None,
                                                               channel=Channel.SYSTEM)
    yield "a bulk insert without a log row", lambda: EmploymentSpell.objects.create(
        worker=people.steel_worker, employer=people.small_firm, start_date=D(2021, 3, 1))


def test_a_registry_change_brings_the_held_columns_up_to_date(town):
    """After each change the process reads only the changed workers' rows (and the employers when one
    changed): the columns equal those read whole."""
    current_columns()
    for what, change in _each_kind_of_change(town):
        change()
        columns = current_columns()
        assert columns.provisional, f"{what}: read whole from the database"
        assert_up_to_date(columns, RegistryColumns.load)


def test_a_new_process_after_a_change_brings_the_newest_file_up_to_date(town, folder, monkeypatch):
    whole_load = RegistryColumns.load
    current_columns()
    old_file = next(folder.iterdir())
    forget_columns()  # a process started after the change
    services.end_employment(EmploymentSpell.objects.get(worker=town.people.miyi_worker), D0,
                            expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    monkeypatch.setattr(RegistryColumns, "load", _no_database)
    assert_up_to_date(current_columns(), whole_load)
    assert list(folder.iterdir()) == [old_file]  # the background job writes the whole load


def test_columns_brought_up_to_date_give_way_to_the_jobs_whole_load(town, folder):
    from workforce.indicators.tasks import store_columns_after_changes

    current_columns()
    services.end_employment(EmploymentSpell.objects.get(worker=town.people.miyi_worker), D0,
                            expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    assert current_columns().provisional
    assert store_columns_after_changes.call_local() is True
    replaced = current_columns()
    assert not replaced.provisional and replaced.stamp == registry_stamp()
    assert_same_columns(replaced, RegistryColumns.load())
    assert len(list(folder.iterdir())) == 1


@pytest.mark.parametrize("what", ["a deleted row the log does not place", "the newest row deleted unlogged",
                                  "too many workers changed",
                                  "high-skilled levels changed"])
def test_a_change_that_cannot_be_followed_loads_whole(town, monkeypatch, what):
    from workforce.reference.models import SkillLevel

    held = current_columns()
    if what == "a deleted row the log does not place":
        gone = Certificate.objects.get(number="C-WANG")
        record_change(gone, ChangeAction.DELETE, acting_user=None, channel=Channel.SYSTEM)  # no parent: whose?
        gone.delete()
    elif what == "the newest row deleted unlogged":
        EmploymentSpell.objects.order_by("pk").last().delete()
    elif what == "too many workers changed":
        monkeypatch.setattr(engine, "MIN_UPDATE_LIMIT", 1)
        monkeypatch.setattr(engine, "MAX_UPDATE_SHARE", 0)
        certificate(town.zhao, "C-ZHAO", 3, issued_on=D1)
        certificate(town.wang, "C-WANG-2", 3, issued_on=D1)
    else:
        SkillLevel.objects.filter(level=4).update(is_high_skilled=True)
        certificate(town.zhao, "C-ZHAO", 3, issued_on=D1)
    assert held.updated(registry_stamp(), high_skill_levels()) is None
    after = current_columns()
    assert not after.provisional
    assert_same_columns(after, RegistryColumns.load())


def test_a_damaged_file_is_read_again_from_the_database(town, folder):
    stamp = registry_stamp()
    path = storage.columns_path(stamp, high_skill_levels())
    path.write_bytes(b"not columns")
    assert_same_columns(current_columns(), RegistryColumns.load())
    assert RegistryColumns.read(path, stamp) is not None  # written again, whole


def test_a_file_of_an_older_layout_is_not_brought_up_to_date_but_loaded_whole(town, folder):
    """After a deployment that changed the columns, the file on disk (another layout) is not read."""
    columns = current_columns()
    older = {field.name: getattr(columns, field.name) for field in dataclasses.fields(RegistryColumns)
             if isinstance(getattr(columns, field.name), np.ndarray) and not field.name.startswith("history_")}
    path = next(folder.iterdir())
    np.savez(path, **older, _meta=np.array(json.dumps({"stamp": list(columns.stamp), "worker_count": 5,
                                                       "employer_district": columns.employer_district})))
    forget_columns()
    certificate(town.zhao, "C-ZHAO", 3, issued_on=D1)
    assert RegistryColumns.read(path, None) is None
    after = current_columns()
    assert not after.provisional
    assert_same_columns(after, RegistryColumns.load())


def test_forgetting_the_stored_columns_deletes_the_files(town, folder):
    current_columns()
    forget_columns(stored=True)
    assert list(folder.iterdir()) == []


def test_only_an_in_memory_database_keeps_no_columns_on_the_disk(town, settings, tmp_path):
    """SQLite's in-memory test database cannot be opened by another process, so its columns stay in
    memory; a file database or a server keeps them in ``INDICATOR_COLUMNS_DIR``."""
    from django.db import connection

    settings.INDICATOR_COLUMNS_DIR = tmp_path / "indicator-columns"
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    current_columns()
    stored = sorted(path.suffix for path in settings.INDICATOR_COLUMNS_DIR.glob("*"))
    assert stored == ([] if in_memory else [".npz"])


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
def test_a_series_from_the_changes_between_months_equals_each_day_computed_whole(town, code):
    columns = current_columns()
    days = [*figures.month_ends(D(2015, 1, 1), D(2021, 2, 15)), D(2021, 2, 16), D(2021, 2, 17)]
    for boundary in ([D(2019, 3, 1), D(2020, 12, 30), D0, D1, D(2021, 1, 2)], days):
        expected = [figures.measures_of(columns, day, [code], with_staff=False)[code] for day in boundary]
        got = figures.monthly_counts(columns, boundary, code)
        assert [counts.tolist() for counts in got] == [counts.tolist() for counts in expected]


def test_only_the_workers_whose_rows_change_are_recounted(town):
    columns = current_columns()
    zhang, li, wang, zhao = town.people.steel_worker.pk, town.people.miyi_worker.pk, town.wang.pk, town.zhao.pk
    changing = columns.changing_workers([D(2020, 12, 30), D0, D1])
    # on D0: 张三's certificate issued, 李梅's membership and 王五's certificate ended the day before;
    # on D1: 李梅's certificate issued, 王五's spell ended the day before, 赵六 hired
    assert [sorted(set(ids.tolist())) for ids in changing] == [sorted([zhang, li, wang]), sorted([li, wang, zhao])]


def test_the_background_job_stores_the_columns_once_per_registry_change(town, folder, monkeypatch):
    from workforce.indicators.tasks import store_columns_after_changes

    assert store_columns_after_changes.call_local() is True
    assert store_columns_after_changes.call_local() is False  # nothing changed: no second load
    stored = list(folder.iterdir())
    services.end_employment(EmploymentSpell.objects.get(worker=town.people.miyi_worker), D0,
                            expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    assert store_columns_after_changes.call_local() is True
    assert list(folder.iterdir()) != stored and len(list(folder.iterdir())) == 1

    def no_database(*args):
        raise AssertionError("read from the database")

    forget_columns()
    monkeypatch.setattr(RegistryColumns, "load", no_database)  # the pages now read the job's file
    assert current_columns().stamp == registry_stamp()


def test_a_series_follows_only_the_tables_its_definition_reads(town):
    columns = current_columns()

    def read(code):
        return columns.tables_read(lambda day: figures.measures_of(day.columns, day.on, [code], with_staff=False))

    assert read("labor_contract_rate") == ("spell", "contract")
    assert read("union_membership_coverage") == ("spell", "member")
    assert read("high_skilled_share") == ("spell", "cert")
    assert read("high_skilled_share_with_reported") == ("spell", "cert")
    assert read("migrant_union_membership") == ("spell", "member", "hukou")
    assert read("worker_party_members") == ("spell", "party")
