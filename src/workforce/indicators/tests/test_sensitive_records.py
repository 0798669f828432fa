"""Lists of union members, migrant workers or party members disclose who holds a sensitive attribute:
opening them is unmasking (decision 0009), for those who may unmask only, and each opening is logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry
from workforce.indicators.tests.support import D0, build_town

ON = {"on": D0.isoformat()}
REVEALING = ["union_membership_coverage", "migrant_union_membership", "worker_party_members", "frontline_party_members"]


@pytest.fixture
def town(personas):
    return build_town(personas)


@pytest.mark.parametrize("code", REVEALING)
def test_readers_who_may_not_unmask_cannot_open_the_people_behind_a_sensitive_figure(town, sign_in, code):
    client = sign_in(town.people.union_officer)
    assert client.get(reverse("indicators:records", args=[code]), ON).status_code == 403
    assert f'href="{reverse("indicators:records", args=[code])}' not in client.get(
        reverse("indicators:detail", args=[code]), ON).content.decode()
    assert not AccessLogEntry.objects.filter(event=AccessEvent.UNMASK).exists()


def test_opening_the_party_members_behind_a_figure_is_logged_once(town, sign_in):
    client = sign_in(town.people.city_admin)
    detail = client.get(reverse("indicators:detail", args=["worker_party_members"]), ON).content.decode()
    assert f'href="{reverse("indicators:records", args=["worker_party_members"])}' in detail
    assert not AccessLogEntry.objects.filter(event=AccessEvent.UNMASK).exists()  # the figure itself is not
    response = client.get(reverse("indicators:records", args=["worker_party_members"]), ON)
    assert response.status_code == 200
    content = response.content.decode()
    assert "张三" in content and "王五" not in content
    entry = AccessLogEntry.objects.get(event=AccessEvent.UNMASK)
    assert (entry.user, entry.target, entry.detail) == (
        town.people.city_admin, "indicator:worker_party_members", f"numerator {D0.isoformat()}")


def test_the_district_officer_sees_only_their_districts_union_members_and_is_logged(town, sign_in):
    response = sign_in(town.people.dongqu_officer).get(
        reverse("indicators:records", args=["union_membership_coverage"]), ON)
    content = response.content.decode()
    assert "张三" in content and "王五" not in content  # 王五 is a member in 仁和区
    assert AccessLogEntry.objects.filter(event=AccessEvent.UNMASK, user=town.people.dongqu_officer).count() == 1


def test_figures_that_disclose_nothing_about_a_person_are_not_logged(town, sign_in):
    client = sign_in(town.people.city_admin)
    assert client.get(reverse("indicators:records", args=["labor_contract_rate"]), ON).status_code == 200
    assert not AccessLogEntry.objects.filter(event=AccessEvent.UNMASK).exists()


def test_exactly_the_definitions_that_name_holders_of_a_sensitive_attribute_are_revealing():
    from workforce.indicators.definitions import DEFINITIONS

    assert sorted(code for code, definition in DEFINITIONS.items() if definition.is_revealing) == sorted(REVEALING)
