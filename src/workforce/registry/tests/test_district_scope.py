"""Issue 15: the district scope (``querysets.in_district``) is one subquery per worker and gives the answers of
the rule it implements (decision 0002), kept here as the reference: a spell covering today in the district, or
none today anywhere and the record's own district. Two-job workers, workers who left, hires still to come and
employers that moved district are all in the registry built below."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from workforce.conftest import hire, make_employer
from workforce.core.choices import Channel
from workforce.core.identifiers import uscc_check_char
from workforce.reference.models import Division
from workforce.registry import selectors, services
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.querysets import in_district
from workforce.registry.tests.api_support import id_number

DISTRICTS = ["510402", "510403", "510411", "510421", "510422"]


def reference(district_id) -> Q:
    """The rule as it was written before issue 15, with two subqueries per worker."""
    today = EmploymentSpell.objects.filter(worker=OuterRef("pk")).on(timezone.localdate())
    return (Q(Exists(today.filter(employer__district_id=district_id)))
            | Q(~Exists(today), district_id=district_id))


@pytest.fixture
def registry(personas):
    today = timezone.localdate()
    system = {"acting_user": None, "channel": Channel.SYSTEM}
    uscc = "91510403MA62G1XW3"
    xiqu = make_employer("攀枝花市西区格里坪机修厂", uscc + uscc_check_char(uscc), "510403", "43", "private")
    # Two jobs today in two districts: 东区 (攀钢) and 仁和区 (the small firm).
    two_jobs = hire(personas.steel, id_number("51040219880808123"), "两份工")
    services.add_employment(two_jobs, {"employer": personas.small_firm, "start_date": datetime.date(2022, 1, 1)},
                            **system)
    # Left 西区 last year, no job since: the record's district (西区) decides.
    left = hire(xiqu, id_number("51040319790303123"), "已离职")
    spell = EmploymentSpell.objects.get(worker=left)
    services.end_employment(spell, today - datetime.timedelta(days=400), expected_version=spell.version, **system)
    # Working in 米易 today, and hired in 西区 from next month: only 米易 today.
    future = hire(personas.miyi_mine, id_number("51042119850505123"), "将入职")
    services.add_employment(future, {"employer": xiqu, "start_date": today + datetime.timedelta(days=30)}, **system)
    # The small firm moves from 仁和区 to 盐边县: its staff move with it.
    firm = personas.small_firm
    services.update_employer(firm, {"district": Division.objects.get(code="510422")}, expected_version=firm.version,
                             **system)
    return personas


def test_the_one_subquery_scope_answers_as_the_rule_does(registry):
    assert Worker.objects.count() >= 5
    for district in DISTRICTS:
        expected = set(Worker.objects.filter(reference(district)).values_list("name", flat=True))
        assert set(Worker.objects.filter(in_district(district)).values_list("name", flat=True)) == expected, district


def test_two_jobs_left_and_future_hires_and_moved_employers(registry):
    def seen_by(district):
        return set(Worker.objects.filter(in_district(district)).values_list("name", flat=True))

    assert {"两份工", "张三"} <= seen_by("510402") and "两份工" in seen_by("510422")  # the moved firm's district
    assert "两份工" not in seen_by("510411")  # the firm left 仁和区
    assert "已离职" in seen_by("510403") and "将入职" not in seen_by("510403")
    assert "将入职" in seen_by("510421")


def test_the_scope_is_one_subquery_of_spells_per_worker(registry):
    sql = str(Worker.objects.filter(in_district("510402")).query)
    assert sql.count('FROM "registry_employmentspell"') == 1


def test_a_district_officers_name_search_and_the_city_list_by_district_agree_with_the_rule(registry):
    officer = registry.dongqu_officer
    searched = selectors.search_by_name_prefix(Worker.objects.visible_to(officer).active(), "两")
    assert list(searched.values_list("name", flat=True)) == ["两份工"]
    admin = registry.city_admin
    for district in DISTRICTS:
        listed = Worker.objects.visible_to(admin).active().where_summary(admin, "district_id", district)
        assert set(listed) == set(Worker.objects.active().filter(reference(district))), district
