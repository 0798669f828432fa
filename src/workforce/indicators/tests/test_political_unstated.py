"""Issue 15 point 13: a political status not stated (blank) is neither a party member nor one of the masses.
The party-member figure leaves it out of its numerator and says how many of its base it could not tell, on
the page and in the API; the columns carry it through a whole load and an update alike."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from workforce.conftest import hire
from workforce.core.choices import Channel
from workforce.indicators import figures
from workforce.indicators.definitions import DEFINITIONS, _attribute_on, base_records
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.loading import high_skill_levels, registry_stamp
from workforce.indicators.storage import current_columns
from workforce.indicators.tests.support import D1, D, build_town, id_number
from workforce.indicators.tests.test_engine import (
    assert_same_columns,
    folder,  # noqa: F401  (a fixture)
)
from workforce.registry import services
from workforce.registry.choices import WorkerFactKind

CODE = "worker_party_members"


@pytest.fixture
def town(personas):
    return build_town(personas)


def not_stated(town) -> None:
    """李梅 states 群众 until 2020-06-30 and nothing from 2020-07-01; 钱七 (hired on D1) never stated it."""
    li = town.people.miyi_worker
    services.update_worker(li, {"political_status": ""}, expected_version=li.version, acting_user=None,
                           channel=Channel.SYSTEM, effective_on=D(2020, 7, 1))
    hire(town.people.small_firm, id_number("510411", "19920202", 73), "钱七", start=D1, political_status="")


def orm_unstated(on) -> int:
    """The straightforward answer: employed workers whose status on the day is blank."""
    return base_records("workers", on).filter(_attribute_on(on, WorkerFactKind.POLITICAL_STATUS, [""],
                                                             "political_status")).count()


def test_not_stated_is_counted_apart_and_never_in_the_numerator(town, folder):  # noqa: F811
    held = current_columns()
    not_stated(town)

    updated = held.updated(registry_stamp(), high_skill_levels())
    assert updated is not None
    whole = RegistryColumns.load()
    assert_same_columns(dataclasses.replace(updated, provisional=False), whole)
    for on, members, unstated in ((D(2020, 6, 30), 1, 0), (D1, 1, 2)):
        day = whole.day(on)
        numerator, _denominator = DEFINITIONS[CODE].measure(day)
        assert (int(numerator.sum()), int(day.is_party_unstated.sum())) == (members, unstated)
        assert not (numerator & day.is_party_unstated).any()
        assert orm_unstated(on) == unstated
        _columns, measures = figures.day_measures(on, whole)
        assert figures.unstated_count(measures, CODE) == unstated
    assert figures.unstated_count(figures.day_measures(D1, whole)[1], "union_membership_coverage") is None


def test_the_figures_page_and_the_api_say_how_many_are_not_stated(town, sign_in, folder):  # noqa: F811
    not_stated(town)

    page = sign_in(town.people.city_admin).get(reverse("indicators:detail", args=[CODE]),
                                               {"on": D1.isoformat()}).content.decode()
    other = sign_in(town.people.city_admin).get(reverse("indicators:detail", args=["union_membership_coverage"]),
                                                {"on": D1.isoformat()}).content.decode()

    assert 'id="indicator-unstated"' in page and "基数 4 人中 2 人未填报，不计入分子" in page
    assert 'id="indicator-unstated"' not in other
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(town.people.city_admin)
    assert client.get(f"/api/indicators/{CODE}/", {"on": D1.isoformat()}).json()["unstated"] == 2
