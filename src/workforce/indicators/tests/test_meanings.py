"""The plan's own meanings (issue 16 points 4–9, decision 0006): each figure checked on a hand-built registry
as of days before, during and after its facts change, against its written 口径; the other reading shown
beside the one the target is compared with; the baselines; gaps in percentage points, in the pages, the API
and the .xlsx."""

from __future__ import annotations

import datetime
import importlib
import io
from decimal import Decimal

import numpy as np
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from workforce.conftest import hire
from workforce.indicators import figures, wording
from workforce.indicators.choices import Breakdown, Status
from workforce.indicators.definitions import DEFINITIONS, definition_base
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.models import Indicator
from workforce.indicators.seed import PLAN_DATE
from workforce.indicators.storage import forget_columns
from workforce.indicators.tests.support import D0, D1, SYSTEM, D, build_town, certificate, fact, id_number
from workforce.registry import services
from workforce.registry.choices import EmployerFactKind
from workforce.registry.models import EmployerFact, EmploymentSpell

BEFORE_MECHANISM, MECHANISM = D(2017, 5, 31), D(2017, 6, 1)


@pytest.fixture
def town(personas):
    """The shared town (tests/support.py) and:

    - 孙七 at 攀钢 from 2017-01-01 to 2020-06-30, holding a level-4 certificate (not high-skilled) from
      2016-01-01 (open): a registered skilled talent before, during and after his employment;
    - 钱八 at 攀钢 from 2019-03-01 (no certificate): one more worker at an employer with a union;
    - 攀钢's collective bargaining mechanism from 2017-06-01 and a negotiation round on 2017-11-15 (its
      contract, 2018-01-01 to 2020-12-31, is the shared town's); 米易白马铁矿's mechanism from 2021-01-01.
    """
    built = build_town(personas)
    people = built.people
    sun = hire(people.steel, id_number("510402", "19750505", 41), "孙七", start=D(2017, 1, 1))
    spell = EmploymentSpell.objects.get(worker=sun)
    services.end_employment(spell, D(2020, 6, 30), expected_version=spell.version, acting_user=None, channel=SYSTEM)
    certificate(sun, "C-SUN", 4, issued_on=D(2016, 1, 1))
    hire(people.steel, id_number("510402", "19880808", 62), "钱八")
    fact(people.steel, EmployerFactKind.COLLECTIVE_BARGAINING, MECHANISM)
    fact(people.steel, EmployerFactKind.BARGAINING_ROUND, D(2017, 11, 15))
    fact(people.miyi_mine, EmployerFactKind.COLLECTIVE_BARGAINING, D1)
    forget_columns()
    return built


def city(code: str, on: datetime.date) -> tuple[int | None, int | None, Decimal | None]:
    columns, measures = figures.day_measures(on)
    figure = figures.figures_by(columns, measures, code, None, on)[0]
    return figure.numerator, figure.denominator, figure.value


def districts(code: str, on: datetime.date) -> dict[str, tuple[int | None, int | None]]:
    columns, measures = figures.day_measures(on)
    return {f.key: (f.numerator, f.denominator) for f in figures.figures_by(columns, measures, code, "district", on)
            if f.denominator or f.numerator}


def orm(code: str, on: datetime.date, breakdown=None, key=None) -> tuple[int, int]:
    definition = DEFINITIONS[code]
    numerator, denominator = definition.records(definition_base(definition, on, breakdown, key), on)
    return numerator.count(), denominator.count()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ------------------------------------------------------------------------ 4. 技能人才总量: registered, employed


def test_the_registered_figure_counts_holders_with_or_without_a_job_on_the_day(town):
    # before 孙七 is hired (2017-01-01): his certificate counts in the registered figure only
    assert city("skilled_talents_registered", D(2016, 6, 1))[0] == 1
    assert city("skilled_talents", D(2016, 6, 1))[0] == 0
    # during: 孙七 and 王五 (valid to 2020-12-30) are employed holders: both figures 2
    assert city("skilled_talents_registered", D(2020, 6, 30))[0] == 2
    assert city("skilled_talents", D(2020, 6, 30))[0] == 2
    # after 孙七 left (2020-06-30): employed 张三 only (issued D0); registered 张三 and 孙七
    assert city("skilled_talents", D0)[0] == 1
    assert city("skilled_talents_registered", D0)[0] == 2
    # the districts hold the employed only: 张三 in 东区; 孙七 is in no district
    assert districts("skilled_talents_registered", D0) == districts("skilled_talents", D0) == {
        "510402": (1, 2), "510411": (0, 1), "510421": (0, 1)}


def test_the_plan_target_of_skilled_talents_is_compared_with_the_registered_figure(town):
    skilled = Indicator.objects.get(code="skilled_talents")
    employed = Indicator.objects.get(code="skilled_talents_employed")
    assert (skilled.definition, skilled.target_value) == ("skilled_talents_registered", Decimal("120000.00"))
    assert (employed.definition, employed.targets) == ("skilled_talents", [])
    assert "12万人" in skilled.description and "全市总量" in skilled.description


def test_the_unplaced_holders_are_said_on_the_page(town, sign_in):
    body = sign_in(town.people.city_admin).get(reverse("indicators:detail", args=["skilled_talents"]),
                                               {"on": D0.isoformat()}).content.decode()
    assert 'id="unplaced">1 人当日无就业记录' in body
    assert "攀委发〔2018〕21号 一（二），目标日期 2020-12-31：120,000人" in body


def test_a_merged_holder_without_a_job_is_not_registered(town):
    twin = hire(town.people.small_firm, id_number("510411", "19750505", 43), "孙七")
    certificate(twin, "C-SUN-2", 3, issued_on=D(2016, 1, 1))
    spell = EmploymentSpell.objects.get(worker=twin)
    services.end_employment(spell, D(2019, 12, 31), expected_version=spell.version, acting_user=None,
                            channel=SYSTEM)
    forget_columns()
    assert city("skilled_talents_registered", D0)[0] == 3
    sun = EmploymentSpell.objects.get(employer=town.people.steel, end_date=D(2020, 6, 30)).worker
    services.merge_workers(sun, twin, acting_user=None, channel=SYSTEM)
    forget_columns()
    assert city("skilled_talents_registered", D0)[0] == 2


# ------------------------------------------------------------------------- 5. 工会组织覆盖率: by workers


def test_union_coverage_by_workers_counts_the_workers_of_employers_with_a_union(town):
    # 2020-05-31, before the small firm's union (2020-06-01): 张三, 孙七, 钱八 at 攀钢 of five workers;
    # by employers 攀钢 of three
    assert city("union_organisation_coverage_workers", D(2020, 5, 31)) == (3, 5, Decimal("60.00"))
    assert city("union_organisation_coverage", D(2020, 5, 31)) == (1, 3, Decimal("33.33"))
    # on its first day 王五 counts too
    assert city("union_organisation_coverage_workers", D(2020, 6, 1)) == (4, 5, Decimal("80.00"))
    # D0: 孙七 gone; 张三, 钱八 (攀钢), 王五 (small firm) of four: 75%; by employers two of three
    assert city("union_organisation_coverage_workers", D0) == (3, 4, Decimal("75.00"))
    assert city("union_organisation_coverage", D0) == (2, 3, Decimal("66.67"))
    assert districts("union_organisation_coverage_workers", D0) == {
        "510402": (2, 2), "510411": (1, 1), "510421": (0, 1)}


def test_the_union_target_follows_the_national_statistics_by_workers(db):
    coverage = Indicator.objects.get(code="union_organisation_coverage")
    by_employers = Indicator.objects.get(code="union_organisation_coverage_employers")
    assert (coverage.definition, coverage.target_value) == ("union_organisation_coverage_workers", Decimal("80.00"))
    assert (by_employers.definition, by_employers.targets) == ("union_organisation_coverage", [])
    assert "全国总工会" in coverage.description and "已建工会组织的基层单位职工人数" in coverage.description


# ------------------------------------------------------------------------------- 6. 集体协商机制


def test_the_bargaining_rate_counts_the_mechanism_and_the_contracts_are_counted_beside_it(town):
    # state/above-scale operating employers: 攀钢 from 2017 (孙七), 米易白马铁矿 from 2019-03-01
    assert city("collective_bargaining_rate", BEFORE_MECHANISM) == (0, 1, Decimal("0.00"))
    assert city("collective_bargaining_rate", MECHANISM) == (1, 1, Decimal("100.00"))
    assert city("collective_contract_rate", MECHANISM) == (0, 1, Decimal("0.00"))  # the contract from 2018
    assert city("collective_bargaining_rate", D0) == (1, 2, Decimal("50.00"))
    assert city("collective_contract_rate", D0) == (1, 2, Decimal("50.00"))
    # D1: 攀钢's contract ended on D0, its mechanism goes on; 米易白马铁矿's mechanism starts
    assert city("collective_bargaining_rate", D1) == (2, 2, Decimal("100.00"))
    assert city("collective_contract_rate", D1) == (0, 2, Decimal("0.00"))


def test_a_negotiation_round_is_a_fact_of_one_day(town):
    steel = town.people.steel
    round_ = EmployerFact.objects.get(employer=steel, kind=EmployerFactKind.BARGAINING_ROUND)
    assert round_.valid_from == round_.valid_to == D(2017, 11, 15)
    with pytest.raises(ValidationError) as refused:
        fact(steel, EmployerFactKind.BARGAINING_ROUND, D(2020, 11, 1), D(2020, 11, 30))
    assert refused.value.message_dict["valid_to"] == ["集体协商按次登记：终止日期应留空或与协商日期相同。"]
    fact(steel, EmployerFactKind.BARGAINING_ROUND, D(2020, 11, 1))  # a later round: no overlap with the first
    assert sorted(EmployerFact.objects.filter(employer=steel, kind=EmployerFactKind.BARGAINING_ROUND)
                  .values_list("valid_from", flat=True)) == [D(2017, 11, 15), D(2020, 11, 1)]


def test_the_mechanism_and_a_round_are_recorded_through_the_api(town):
    client = api(town.people.city_admin)
    url = f"/api/registry/employers/{town.people.small_firm.pk}/facts/"
    response = client.post(url, {"kind": "collective_bargaining", "valid_from": "2021-03-01"}, format="json")
    assert response.status_code == 201, response.content
    response = client.post(url, {"kind": "bargaining_round", "valid_from": "2021-03-01"}, format="json")
    assert (response.status_code, response.json()["valid_to"]) == (201, "2021-03-01")
    response = client.post(url, {"kind": "bargaining_round", "valid_from": "2021-04-01", "valid_to": "2021-05-01"},
                           format="json")
    assert response.status_code == 400
    assert "集体协商按次登记" in response.content.decode()


def test_the_migration_derives_a_mechanism_over_the_days_of_the_recorded_contracts(personas):
    migration = importlib.import_module("workforce.registry.migrations.0014_collective_bargaining_mechanism")
    steel, miyi = personas.steel, personas.miyi_mine
    for employer, start, end in ((steel, D(2015, 1, 1), D(2017, 12, 31)), (steel, D(2018, 1, 1), D(2020, 12, 31)),
                                 (steel, D(2022, 1, 1), None), (miyi, D(2019, 6, 1), D(2019, 12, 31))):
        EmployerFact.objects.create(employer=employer, kind=EmployerFactKind.COLLECTIVE_CONTRACT, valid_from=start,
                                    valid_to=end)
    migration.derive_mechanisms(apps, None)
    derived = sorted(EmployerFact.objects.filter(kind=EmployerFactKind.COLLECTIVE_BARGAINING)
                     .values_list("employer__name", "valid_from", "valid_to", "note"))
    note = migration.DERIVED_NOTE
    assert derived == sorted([(steel.name, D(2015, 1, 1), D(2020, 12, 31), note),
                              (steel.name, D(2022, 1, 1), None, note),
                              (miyi.name, D(2019, 6, 1), D(2019, 12, 31), note)])
    assert EmployerFact.objects.filter(kind=EmployerFactKind.COLLECTIVE_CONTRACT).count() == 4  # kept
    forget_columns()
    for on in (D(2014, 12, 31), D(2016, 6, 1), D(2019, 6, 1), D(2021, 6, 1), D(2022, 1, 1)):  # as before
        assert city("collective_bargaining_rate", on) == city("collective_contract_rate", on), on


# ---------------------------------------------------------------------------------- 7. party members


def test_the_party_figure_is_named_exactly_and_the_other_reading_is_marked_as_not_held(db):
    party = Indicator.objects.get(code="worker_party_members")
    assert (party.name, party.name_en) == ("在职职工中党员比例", "Party members among employed workers")
    assert "发展党员" in party.description and "本平台不登记，无法计算" in party.description
    assert party.targets == []


# ---------------------------------------------------------------------------------------- 8. baselines


def test_the_trajectory_starts_from_the_registrys_own_value_on_the_plans_date(town):
    indicator = Indicator.objects.get(code="high_skilled_share")
    baselines = figures.baselines_of(indicator)
    # on 2018-12-13 孙七 is the one employed holder, at level 4: 0 of 1
    assert (baselines.day, baselines.published, baselines.registry.value) == (PLAN_DATE, Decimal("28.90"),
                                                                               Decimal("0.00"))
    assert baselines.trajectory == Decimal("0.00") and baselines.trajectory_is_registry
    on_plan_day = figures.assessment_of(indicator, figures.city_figure(indicator, PLAN_DATE), PLAN_DATE)
    assert (on_plan_day.status, on_plan_day.expected) == (Status.ON_TRACK, Decimal("0.00"))  # not 滞后
    # the published baseline would have read 滞后 on the very day it describes
    assert figures.assess(indicator, on_plan_day.figure, PLAN_DATE, Decimal("28.90")).status == Status.BEHIND
    # 2019-02-28, 77 of the 749 days to the target: the line from 0.00 is at 31.6 × 77 / 749 = 3.25; 0% is behind
    early = D(2019, 2, 28)
    assessment = figures.assessment_of(indicator, figures.city_figure(indicator, early), early)
    assert (assessment.expected, assessment.status) == (Decimal("3.25"), Status.BEHIND)
    # from 2019-03-01 王五 (level 2, high-skilled) is employed too: 50%, the target reached ahead of its date
    later = D(2019, 3, 1)
    assert figures.assessment_of(indicator, figures.city_figure(indicator, later), later).status == Status.MET


def test_without_registry_figures_on_the_baseline_day_the_published_baseline_is_the_start(personas):
    indicator = Indicator.objects.get(code="high_skilled_share")  # nobody holds a certificate on 2018-12-13
    baselines = figures.baselines_of(indicator)
    assert baselines.registry.value is None and baselines.trajectory == Decimal("28.90")
    assert not baselines.trajectory_is_registry


def test_the_page_shows_both_baselines(town, sign_in):
    body = sign_in(town.people.city_admin).get(reverse("indicators:detail", args=["high_skilled_share"]),
                                               {"on": PLAN_DATE.isoformat()}).content.decode()
    assert 'id="baseline-published">28.90%（2018-12-13）' in body
    assert 'id="baseline-registry">0.00%（2018-12-13）' in body
    assert "进度滞后" not in body.split('id="indicator-value"')[1].split("</article>")[0]


# ----------------------------------------------------------------------------- 9. gaps and "—"


@pytest.mark.parametrize(("gap", "unit", "amount", "sentence", "shown"), [
    (Decimal("2.94"), "percent", "2.94 个百分点", "差距 2.94 个百分点", Decimal("2.94")),
    (Decimal("1234"), "persons", "1,234人", "差距 1,234人", Decimal("1234")),
    (Decimal("-5.00"), "percent", "已达到", "已达到", Decimal("0.00")),  # met: no negative gap
    (Decimal("0.00"), "percent", "已达到", "已达到", Decimal("0.00")),
    (None, "percent", "—", "—", None),  # no target
])
def test_a_gap_reads_in_percentage_points_or_persons_never_negative(gap, unit, amount, sentence, shown):
    indicator = Indicator(unit=unit)
    assert wording.gap_amount(gap, indicator) == amount
    assert wording.gap_text(gap, indicator) == sentence
    assert wording.gap_value(gap) == shown


def test_the_api_gives_gaps_in_points_zero_once_met_and_null_without_a_target(town):
    body = {row["indicator"]["code"]: row for row in
            api(town.people.city_admin).get("/api/indicators/", {"on": MECHANISM.isoformat()}).json()}
    met = body["soe_workers_congress"]  # 攀钢, the one state enterprise operating: 100%
    assert (met["status"], met["gap"], met["gap_text"], met["gap_unit"]) == (
        Status.MET, "0.00", "已达到", "percentage_points")
    behind = body["high_skilled_share"]  # 孙七 at level 4: 0% against 31.6%
    assert (behind["gap"], behind["gap_text"]) == ("31.60", "差距 31.60 个百分点")
    monitored = body["worker_party_members"]  # monitored: no target
    assert (monitored["status"], monitored["gap"], monitored["gap_text"], monitored["target"]) == (
        Status.MONITORED, None, "—", None)
    assert body["skilled_talents"]["gap_unit"] == "persons"
    assert behind["baseline"] == {"on": "2018-12-13", "published": "28.90", "registry": "0.00",
                                  "registry_suppressed": False, "trajectory_from": "registry"}
    assert monitored["baseline"] is None


def test_the_pages_say_gaps_in_points_and_a_dash_without_a_target(town, sign_in):
    client = sign_in(town.people.city_admin)
    on = {"on": MECHANISM.isoformat()}
    page = client.get(reverse("indicators:detail", args=["high_skilled_share"]), on).content.decode()
    assert 'id="indicator-gap">31.60 个百分点<' in page
    met = client.get(reverse("indicators:detail", args=["soe_workers_congress"]), on).content.decode()
    assert 'id="indicator-gap">已达到<' in met and "-0.00" not in met
    monitored = client.get(reverse("indicators:detail", args=["migrant_union_membership"]), on).content.decode()
    assert 'id="indicator-gap">—<' in monitored and 'id="indicator-target">—' in monitored
    assert 'id="target-source">—' in monitored
    dashboard = client.get(reverse("indicators:dashboard"), on).content.decode()
    assert "差距 31.60 个百分点" in dashboard and "31.60%" not in dashboard.split("差距")[1][:40]


def test_the_workbook_stores_a_gap_as_a_number_in_points_and_a_dash_without_a_target(town, sign_in):
    response = sign_in(town.people.city_admin).get(reverse("indicators:report", args=["xlsx"]),
                                                   {"on": MECHANISM.isoformat()})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    behind = rows["高技能人才占技能人才比例"][7]
    assert behind.value == 31.6 and "个百分点" in behind.number_format
    assert rows["国有及国有控股企业职工代表大会建制率"][7].value == "已达到"
    assert rows["农民工入会率"][7].value == "—"
    assert rows["农民工入会率"][4].value == "—"  # no target: "—", never 0


# ------------------------------------------------------------------------- both forms, series, scoping


@pytest.mark.parametrize("on", [D(2016, 6, 1), BEFORE_MECHANISM, D(2020, 6, 30), D0, D1])
def test_every_new_figure_equals_the_straightforward_orm_query(town, on):
    columns = RegistryColumns.load()
    codes = ["skilled_talents_registered", "union_organisation_coverage_workers", "collective_bargaining_rate",
             "collective_contract_rate"]
    measures = figures.measures_of(columns, on, codes)
    for code in codes:
        for breakdown in [None, *Breakdown.values]:
            for figure in figures.figures_by(columns, measures, code, breakdown, on):
                assert (figure.numerator, figure.denominator) == orm(code, on, breakdown, figure.key or None), (
                    code, breakdown, figure.key)


@pytest.mark.parametrize("code", ["skilled_talents_registered", "union_organisation_coverage_workers"])
def test_a_series_of_the_new_worker_figures_equals_each_month_computed_whole(town, code):
    columns = RegistryColumns.load()
    days = figures.month_ends(D(2015, 12, 31), D(2021, 3, 31))
    whole = [figures.measures_of(columns, day, [code], with_staff=False)[code] for day in days]
    for counts, expected in zip(figures.monthly_counts(columns, days, code), whole, strict=True):
        assert np.array_equal(counts, expected)
    series = figures.series(Indicator.objects.get(definition=code), until=D(2021, 1, 15))
    by_day = dict(zip(series.days, series.city, strict=True))
    assert by_day[D0].numerator == city(code, D0)[0]


def test_the_records_behind_the_registered_figure_include_the_holder_without_a_job(town, sign_in):
    client = sign_in(town.people.city_admin)
    url = reverse("indicators:records", args=["skilled_talents"])
    city_list = client.get(url, {"on": D0.isoformat(), "part": "numerator"}).content.decode()
    assert "孙七" in city_list and "张三" in city_list
    district = client.get(url, {"on": D0.isoformat(), "part": "numerator", "breakdown": "district",
                                "key": "510402"}).content.decode()
    assert "张三" in district and "孙七" not in district
    # a district officer sees only their own district's workers behind the city's figure
    miyi = sign_in(town.people.miyi_officer).get(url, {"on": D0.isoformat(), "part": "numerator"})
    assert "孙七" not in miyi.content.decode() and "张三" not in miyi.content.decode()


def test_the_employer_page_says_the_mechanism_the_last_round_and_the_contract_in_force(town, sign_in):
    client = sign_in(town.people.city_admin)
    page = client.get(reverse("registry:employer_detail", args=[town.people.steel.pk])).content.decode()
    summary = page.split('id="bargaining"')[1].split("</dl>")[0]
    assert "已建立（2017-06-01 起）" in summary and "2017-11-15" in summary
    assert "<dd>无</dd>" in summary  # the contract ended on 2020-12-31
    fact(town.people.steel, EmployerFactKind.COLLECTIVE_CONTRACT, D(2021, 1, 1))
    page = client.get(reverse("registry:employer_detail", args=[town.people.steel.pk])).content.decode()
    assert "<dd>2021-01-01 起</dd>" in page.split('id="bargaining"')[1].split("</dl>")[0]
    small = client.get(reverse("registry:employer_detail", args=[town.people.small_firm.pk])).content.decode()
    assert "未登记" in small.split('id="bargaining"')[1].split("</dl>")[0]
