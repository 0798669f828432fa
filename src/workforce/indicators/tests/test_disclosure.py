"""Small cells of union membership, party membership and migrant figures are suppressed for users who may not
unmask, in every door: dashboard, detail page, charts, API, reports (decision 0009, issue 13 point 8)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from workforce.indicators import disclosure, reports
from workforce.indicators.figures import Figure
from workforce.indicators.tests.support import D0, build_town

ON = {"on": D0.isoformat()}
LEGEND = ("*：为保护个人信息，涉及人数少于 5 人（含几乎全部人员都具有该属性）的分组不予显示；"
          "可由合计推算出这类分组的另一分组也不予显示。")


def cell(key: str, numerator: int, denominator: int) -> Figure:
    return Figure(key, key, numerator, denominator, is_count=False)


@pytest.fixture
def town(personas):
    return build_town(personas)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("numerator", "denominator", "sensitive"), [
    (0, 0, False),  # an empty group says nothing
    (0, 40, False),  # no holder among many: shown
    (1, 40, True), (4, 40, True), (5, 40, False),  # few holders
    (0, 4, True), (2, 3, True),  # a small group, whatever it holds
    (36, 40, True), (35, 40, False),  # few non-holders: nearly everyone holds it
    (40, 40, True),  # everyone holds it
])
def test_a_cell_is_sensitive_when_few_people_hold_or_lack_the_attribute_or_the_group_is_small(
        numerator, denominator, sensitive):
    assert disclosure.is_sensitive(cell("x", numerator, denominator), 5) is sensitive


def test_a_lone_suppressed_cell_takes_a_complement_so_the_total_cannot_give_it_away():
    total = cell("", 63, 300)
    cells = [cell("a", 3, 50), cell("b", 30, 100), cell("c", 20, 90), cell("d", 10, 60), cell("e", 0, 0)]
    shown_total, shown = disclosure.protect(total, cells, 5)
    assert shown_total == total
    # "a" is sensitive; "d" is the smallest cell whose holders and non-holders are each at least 5
    assert [figure.is_suppressed for figure in shown] == [True, False, False, True, False]
    assert (shown[0].numerator, shown[0].denominator, shown[0].value) == (None, None, None)
    assert shown[1] == cells[1]


def test_two_suppressed_cells_need_no_complement_and_a_sensitive_total_is_suppressed_alone():
    cells = [cell("a", 3, 50), cell("b", 2, 40), cell("c", 20, 90)]
    _total, shown = disclosure.protect(cell("", 25, 180), cells, 5)
    assert [figure.is_suppressed for figure in shown] == [True, True, False]
    total, shown = disclosure.protect(cell("", 3, 3), [cell("a", 3, 3), cell("b", 0, 0)], 5)
    assert total.is_suppressed and [figure.is_suppressed for figure in shown] == [True, False]


def test_without_a_minimum_nothing_is_suppressed():
    cells = [cell("a", 1, 2)]
    assert disclosure.protect(cell("", 1, 2), cells, None) == (cell("", 1, 2), cells)


def test_the_dashboard_suppresses_small_party_and_union_cells_for_a_reader_who_may_not_unmask(town, sign_in):
    response = sign_in(town.people.union_officer).get(reverse("indicators:dashboard"), ON)
    rows = {row.indicator.definition: row for row in response.context["rows"]}
    party = rows["worker_party_members"]
    assert party.city.figure.is_suppressed and party.city.gap is None
    # one worker in each of 东区, 仁和区 and 米易县: every group is under 5; the empty districts are shown
    assert [f.key for f in party.districts if f.is_suppressed] == ["510402", "510411", "510421"]
    assert rows["union_membership_coverage"].city.figure.is_suppressed
    contracts = rows["labor_contract_rate"]  # reveals nothing of a person: shown whole
    assert not contracts.city.figure.is_suppressed and contracts.city.figure.numerator == 2
    content = response.content.decode()
    assert LEGEND in content
    chart = response.context["charts"][party.indicator.code]
    withheld = [bar for bar in chart["series"][0]["data"] if bar["label"]["formatter"] == "*"]
    assert withheld and all(bar["value"] is None for bar in withheld)
    assert "33.33" not in str(chart)


def test_a_reader_who_may_unmask_sees_every_cell_and_no_legend(town, sign_in):
    response = sign_in(town.people.city_admin).get(reverse("indicators:dashboard"), ON)
    party = next(row for row in response.context["rows"] if row.indicator.definition == "worker_party_members")
    assert (party.city.figure.numerator, party.city.figure.denominator) == (1, 3)
    assert not any(f.is_suppressed for f in party.districts)
    assert LEGEND not in response.content.decode()


def test_the_setting_sets_the_minimum(town, sign_in, settings):
    settings.INDICATOR_MINIMUM_CELL = 1
    response = sign_in(town.people.union_officer).get(reverse("indicators:dashboard"), ON)
    assert not any(row.city.figure.is_suppressed for row in response.context["rows"])


def test_the_detail_page_suppresses_breakdowns_and_the_trend(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:detail", args=["worker_party_members"]), ON)
    assert response.context["assessment"].figure.is_suppressed
    ownership = next(rows for _label, name, rows in response.context["breakdowns"] if name == "ownership")
    assert all(figure.is_suppressed for figure in ownership if figure.denominator != 0)
    trend = response.context["charts"]["trend"]["series"][0]["data"]
    assert trend[-1] is None  # the city on D0: 1 of 3
    content = response.content.decode()
    assert LEGEND in content and "33.33%" not in content


def test_the_api_withholds_small_cells_and_says_so(town):
    body = api(town.people.union_officer).get("/api/indicators/worker_party_members/", ON).json()
    assert (body["value"], body["numerator"], body["denominator"], body["suppressed"], body["gap"]) == (
        None, None, None, True, None)
    assert body["minimum_cell"] == 5
    dongqu = next(f for f in body["districts"] if f["key"] == "510402")
    assert dongqu == {"key": "510402", "label": "东区", "numerator": None, "denominator": None, "value": None,
                      "suppressed": True}
    assert all(f["suppressed"] for f in body["breakdowns"]["ownership"] if f["denominator"] != 0)
    listed = api(town.people.union_officer).get("/api/indicators/", ON).json()
    assert next(item for item in listed if item["indicator"]["code"] == body["indicator"]["code"])["suppressed"]
    series = api(town.people.union_officer).get("/api/indicators/worker_party_members/series/",
                                                {"until": D0.isoformat(), "district": "510402"}).json()
    assert series["minimum_cell"] == 5
    assert series["points"][-1] == {"on": D0.isoformat(), "value": None, "numerator": None, "denominator": None,
                                    "suppressed": True}


def test_the_api_shows_every_cell_to_a_reader_who_may_unmask(town):
    body = api(town.people.city_admin).get("/api/indicators/worker_party_members/", ON).json()
    assert (body["numerator"], body["denominator"], body["suppressed"], body["minimum_cell"]) == (1, 3, False, None)


def test_the_xlsx_report_marks_suppressed_cells_with_the_legend(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["xlsx"]), ON)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary, by_district = book.worksheets[0], book.worksheets[1]
    assert summary.cell(2, 1).value == LEGEND and by_district.cell(2, 1).value == LEGEND
    party = next(row for row in summary.iter_rows(min_row=4, values_only=True) if row[0] == "在职职工中党员比例")
    assert (party[3], party[7], party[9], party[10]) == ("*", "*", "*", "*")  # value, gap, numerator, denominator
    districts = [cell.value for cell in by_district[3]]
    party = next(row for row in by_district.iter_rows(min_row=4, values_only=True) if row[0] == "在职职工中党员比例")
    assert party[1] == "*" and party[districts.index("东区")] == "*"


def test_the_pdf_report_is_drawn_from_the_suppressed_figures_with_the_legend(town, sign_in, monkeypatch):
    drawn = {}
    real = reports.pdf_bytes

    def spy(on, rows, districts, legend=""):
        drawn.update(rows=rows, legend=legend)
        return real(on, rows, districts, legend)

    monkeypatch.setattr(reports, "pdf_bytes", spy)
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["pdf"]), ON)
    assert response.status_code == 200
    party = next(row for row in drawn["rows"] if row.indicator.definition == "worker_party_members")
    assert party.city.figure.is_suppressed and drawn["legend"] == LEGEND
    assert reports._figure_text(party.city.figure, party.indicator) == "*"
