"""The registry's filters on masked attributes read the indicators' columns (decision 0009, issue 13): for
city-wide and district users, no decryption per listed worker once the columns are held; right at once after
a change; the Python path when the columns are not held, and always for an enterprise's HR.

The world: 李梅 (米易县 mine, non-farm) has a rural hukou, so she is a migrant worker; 张三 (steel, 东区) is
urban; 王五 has a rural hukou and works on a farm (not a migrant).
"""

from __future__ import annotations

import datetime

import pytest

from workforce.conftest import hire, make_employer
from workforce.core.choices import Channel
from workforce.indicators import storage
from workforce.indicators.flag_sets import ColumnFlagSets, flag_sets_now
from workforce.registry import filters, services
from workforce.registry.choices import HukouType, Ownership
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.services.facts import migrants_among, today
from workforce.registry.tests.api_support import client_as

API = "/api/registry/workers/"


@pytest.fixture
def farm_worker(personas):
    farm = make_employer("仁和区芒果种植专业合作社", "93510411MA62G1XW57", "510411", "01", Ownership.COLLECTIVE)
    return hire(farm, "510411198505053317", "王五", hukou_type="rural")


@pytest.fixture
def no_python_decryption(monkeypatch):
    """The Python path of the filters fails the test if taken."""

    def refuse(*args, **kwargs):
        raise AssertionError("decrypted the listed workers' hukou in Python")

    monkeypatch.setattr(filters, "_with_hukou", refuse)


def names(personas, user: str, query: dict) -> set[str]:
    response = client_as(personas, user).get(API, query)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def hold_columns():
    storage.current_columns()  # what the indicators' pages do


def test_the_flag_sets_agree_with_the_registry(personas, farm_worker):
    sets = ColumnFlagSets(storage.current_columns())
    rural = [pk for pk, value in Worker.objects.values_list("pk", "hukou_type") if value == HukouType.RURAL]

    assert sets.rural_hukou() == sorted(rural) == sorted([personas.miyi_worker.pk, farm_worker.pk])
    assert sets.migrants(today()) == sorted(migrants_among(rural)) == [personas.miyi_worker.pk]


def test_city_and_district_users_filter_from_the_held_columns(personas, farm_worker, no_python_decryption):
    hold_columns()

    assert names(personas, "city_admin", {"hukou": "rural"}) == {"李梅", "王五"}
    assert names(personas, "city_admin", {"hukou": "urban"}) == {"张三"}
    assert names(personas, "city_admin", {"migrant": "true"}) == {"李梅"}
    assert names(personas, "city_admin", {"migrant": "false"}) == {"张三", "王五"}
    assert names(personas, "miyi_officer", {"hukou": "rural"}) == {"李梅"}  # scope still applies
    assert names(personas, "dongqu_officer", {"migrant": "true"}) == set()


def test_the_filters_answer_right_at_once_after_a_change(personas, farm_worker, no_python_decryption):
    hold_columns()
    li_mei = Worker.objects.get(pk=personas.miyi_worker.pk)
    services.update_worker(li_mei, {"hukou_type": HukouType.URBAN}, expected_version=li_mei.version,
                           acting_user=None, channel=Channel.SYSTEM)
    zhang = Worker.objects.get(pk=personas.steel_worker.pk)
    services.update_worker(zhang, {"hukou_type": HukouType.RURAL}, expected_version=zhang.version,
                           acting_user=None, channel=Channel.SYSTEM)

    assert names(personas, "city_admin", {"hukou": "rural"}) == {"张三", "王五"}
    assert names(personas, "city_admin", {"migrant": "true"}) == {"张三"}

    spell = EmploymentSpell.objects.get(worker=zhang)
    services.end_employment(spell, datetime.date(2024, 1, 31), expected_version=spell.version, acting_user=None,
                            channel=Channel.SYSTEM)
    hire(personas.steel, "510402199505053315", "赵六", hukou_type="rural")

    assert names(personas, "city_admin", {"migrant": "true"}) == {"赵六"}
    assert names(personas, "city_admin", {"hukou": "rural"}) == {"张三", "王五", "赵六"}


def test_without_held_columns_the_filters_decrypt_and_load_nothing_whole(personas, farm_worker, monkeypatch):
    def no_whole_load(*args, **kwargs):
        raise AssertionError("a list filter loaded the registry whole")

    monkeypatch.setattr(storage.RegistryColumns, "load", no_whole_load)

    assert flag_sets_now() is None
    assert names(personas, "city_admin", {"hukou": "rural"}) == {"李梅", "王五"}
    assert names(personas, "city_admin", {"migrant": "true"}) == {"李梅"}


def test_columns_on_the_disk_are_read_instead_of_decrypting(personas, farm_worker, no_python_decryption, settings,
                                                           tmp_path, monkeypatch):
    """A process that holds no columns reads the background job's file (file databases and PostgreSQL)."""
    monkeypatch.setattr(storage, "columns_dir", lambda: tmp_path / "columns")
    assert storage.store_current_columns()
    storage.forget_columns()

    assert names(personas, "city_admin", {"migrant": "true"}) == {"李梅"}


def test_hr_keeps_the_python_path_by_their_own_employers_spells(personas, monkeypatch):
    hold_columns()
    calls = []
    decrypt = filters._with_hukou
    monkeypatch.setattr(filters, "_with_hukou", lambda *args: calls.append(args) or decrypt(*args))
    zhang = Worker.objects.get(pk=personas.steel_worker.pk)
    services.update_worker(zhang, {"hukou_type": HukouType.RURAL}, expected_version=zhang.version,
                           acting_user=None, channel=Channel.SYSTEM)

    assert names(personas, "steel_hr", {"migrant": "true"}) == {"张三"}
    assert len(calls) == 1


def test_when_an_update_cannot_be_made_the_filters_decrypt_and_do_not_retry_at_the_same_stamp(personas, monkeypatch):
    hold_columns()
    attempts = []
    monkeypatch.setattr(storage.RegistryColumns, "updated", lambda self, *args: attempts.append(args))  # None
    zhang = Worker.objects.get(pk=personas.steel_worker.pk)
    services.update_worker(zhang, {"hukou_type": HukouType.RURAL}, expected_version=zhang.version,
                           acting_user=None, channel=Channel.SYSTEM)

    assert names(personas, "city_admin", {"hukou": "rural"}) == {"张三", "李梅"}  # the Python path, right
    assert names(personas, "city_admin", {"migrant": "true"}) == {"张三", "李梅"}
    assert len(attempts) == 1


def test_union_members_come_from_the_held_rolls_and_follow_a_change_at_once(personas, monkeypatch):
    """Decision 0009: the rolls are sealed, so ``union`` and ``union_member_on`` read the members from the
    indicators' columns for city-wide and district users, without decrypting the rolls themselves."""
    li_mei = personas.miyi_worker
    membership = services.start_union_membership(li_mei, datetime.date(2020, 5, 1), employer=personas.miyi_mine,
                                                 acting_user=None, channel=Channel.SYSTEM)
    services.end_union_membership(membership, datetime.date(2022, 4, 30), acting_user=None, channel=Channel.SYSTEM)
    hold_columns()
    assert ColumnFlagSets(storage.current_columns()).union_members(datetime.date(2021, 1, 1)) == [li_mei.pk]

    def refuse(*args, **kwargs):
        raise AssertionError("decrypted the listed workers' rolls")

    monkeypatch.setattr(filters, "members_of", refuse)
    assert names(personas, "city_admin", {"union_member_on": "2021-01-01"}) == {"李梅"}
    assert names(personas, "city_admin", {"union_member_on": "2023-01-01"}) == set()
    assert names(personas, "city_admin", {"union": "false"}) == {"张三", "李梅"}

    services.start_union_membership(personas.steel_worker, datetime.date(2024, 1, 1), acting_user=None,
                                    channel=Channel.SYSTEM)

    assert names(personas, "city_admin", {"union": "true"}) == {"张三"}
    assert names(personas, "miyi_officer", {"union": "false"}) == {"李梅"}  # scope still applies
