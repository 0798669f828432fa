"""The registry's columns kept on the disk between processes: read back identical, never at another stamp."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from workforce.core.choices import Channel
from workforce.indicators import engine, figures
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.engine import RegistryColumns, current_columns, forget_columns, registry_stamp
from workforce.indicators.tests.support import D0, D1, D, build_town
from workforce.registry import services
from workforce.registry.models import EmploymentSpell


@pytest.fixture
def town(personas):
    return build_town(personas)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A folder for the columns also on SQLite's in-memory test database (which otherwise keeps none)."""
    monkeypatch.setattr(engine, "columns_dir", lambda: tmp_path)
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


def test_a_registry_change_loads_from_the_database_and_replaces_the_file(town, folder):
    before = current_columns()
    old_file = next(folder.iterdir())
    services.end_employment(EmploymentSpell.objects.get(worker=town.people.miyi_worker), D0,
                            expected_version=None, acting_user=None, channel=Channel.SYSTEM)
    forget_columns()
    after = current_columns()
    assert after.stamp == registry_stamp() != before.stamp
    assert_same_columns(after, RegistryColumns.load())
    assert [path.name for path in folder.iterdir()] != [old_file.name] and len(list(folder.iterdir())) == 1


def test_a_damaged_file_is_read_again_from_the_database(town, folder):
    stamp = registry_stamp()
    path = engine.columns_path(stamp, engine.high_skill_levels())
    path.write_bytes(b"not columns")
    assert_same_columns(current_columns(), RegistryColumns.load())
    assert RegistryColumns.read(path, stamp) is not None  # written again, whole


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
