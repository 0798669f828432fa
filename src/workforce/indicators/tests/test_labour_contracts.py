"""Issue 16 point 1: the labour-contract signing rate as of a day counts a contract covering that day (decision
0020), checked on a hand-built registry before, during and after its renewals, a gap and a change to open-ended;
a contract whose dates are unknown is counted apart, never as signed. The columns (a whole load and an update),
the ORM records, the page and the API agree."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from workforce.conftest import hire
from workforce.core.choices import Channel
from workforce.indicators import figures
from workforce.indicators.definitions import DEFINITIONS, base_records
from workforce.indicators.engine import RegistryColumns
from workforce.indicators.loading import high_skill_levels, registry_stamp
from workforce.indicators.storage import current_columns
from workforce.indicators.tests.support import D, id_number
from workforce.indicators.tests.test_engine import (
    assert_same_columns,
    folder,  # noqa: F401  (a fixture)
)
from workforce.registry import services
from workforce.registry.choices import ContractType

CODE = "labor_contract_rate"
SYSTEM = Channel.SYSTEM
FIXED, OPEN = ContractType.FIXED_TERM, ContractType.OPEN_ENDED


def contract(spell, kind, start, end=None) -> None:
    services.add_contract(spell, {"kind": kind, "start_date": start, "end_date": end}, acting_user=None,
                          channel=SYSTEM)


@pytest.fixture
def registry(personas):
    """Three workers hired on 2015-01-01 (张三 and 李梅 of the personas from 2019-03-01, never signed):

    - 甲 at 攀钢: fixed term 2015-02-01–2017-12-31 (signed a month after hiring), renewed late 2018-02-01–
      2021-01-31 (unsigned in January 2018), changed to open-ended from 2019-07-01 (the renewal ends 2019-06-30);
    - 乙 at the small firm: a roster said only "signed" (dates unknown);
    - 丙 at 米易白马铁矿, left on 2019-12-31: fixed term 2015-01-01–2022-12-31 (outlives the spell)."""
    start = D(2015, 1, 1)
    jia = hire(personas.steel, id_number("510402", "19850101", 11), "甲", start=start).spells.get()
    yi = hire(personas.small_firm, id_number("510411", "19860202", 22), "乙", start=start).spells.get()
    bing = hire(personas.miyi_mine, id_number("510421", "19870303", 33), "丙", start=start).spells.get()
    contract(jia, FIXED, D(2015, 2, 1), D(2017, 12, 31))
    contract(jia, FIXED, D(2018, 2, 1), D(2021, 1, 31))
    services.add_contract(yi, {}, acting_user=None, channel=Channel.IMPORT)
    contract(bing, FIXED, D(2015, 1, 1), D(2022, 12, 31))
    services.end_employment(bing, D(2019, 12, 31), expected_version=None, acting_user=None, channel=SYSTEM)
    return personas, jia


def change_to_open_ended(jia) -> None:
    contract(jia, OPEN, D(2019, 7, 1))


# (day, employed, signed, dates unknown): before, during and after the renewals, the gap and the change.
EXPECTED = [
    (D(2015, 1, 15), 3, 1, 1),  # 甲 not yet signed, 丙 signed, 乙 unknown
    (D(2016, 6, 1), 3, 2, 1),
    (D(2018, 1, 15), 3, 1, 1),  # 甲 between contracts
    (D(2019, 6, 30), 5, 2, 1),  # 甲 on the renewal's last day; 张三 and 李梅 employed, unsigned
    (D(2019, 7, 1), 5, 2, 1),  # 甲 open-ended
    (D(2020, 6, 1), 4, 1, 1),  # 丙 left: their contract's later days count nowhere
    (D(2021, 6, 1), 4, 1, 1),  # 甲's open-ended contract, after the cut renewal's planned end
]


def orm_counts(on) -> tuple[int, int]:
    numerator, denominator = DEFINITIONS[CODE].records(base_records("workers", on), on)
    return denominator.count(), numerator.count()


def test_the_signing_rate_counts_a_contract_covering_the_day(registry, folder):  # noqa: F811
    _personas, jia = registry
    held = current_columns()
    change_to_open_ended(jia)

    updated = held.updated(registry_stamp(), high_skill_levels())
    assert updated is not None
    whole = RegistryColumns.load()
    assert_same_columns(dataclasses.replace(updated, provisional=False), whole)
    for on, employed, signed, unknown in EXPECTED:
        day = whole.day(on)
        numerator, _denominator = DEFINITIONS[CODE].measure(day)
        assert (len(day.workers), int(numerator.sum()), int(day.is_contract_dates_unknown.sum())) == (
            employed, signed, unknown), on
        assert not (numerator & day.is_contract_dates_unknown).any()
        assert orm_counts(on) == (employed, signed), on
        _columns, measures = figures.day_measures(on, whole)
        assert figures.unstated_count(measures, CODE) == unknown


def test_before_the_change_the_renewal_still_counts_and_the_update_sees_the_change(registry, folder):  # noqa: F811
    _personas, jia = registry
    before = RegistryColumns.load()
    change_to_open_ended(jia)
    after = before.updated(registry_stamp(), high_skill_levels())

    # The renewal ran to 2021-01-31 before the change; after it, the open-ended contract covers the same days.
    for columns in (before, after):
        assert int(DEFINITIONS[CODE].measure(columns.day(D(2021, 1, 15)))[0].sum()) == 1
    assert int(DEFINITIONS[CODE].measure(after.day(D(2021, 6, 1)))[0].sum()) == 1
    assert int(DEFINITIONS[CODE].measure(before.day(D(2021, 6, 1)))[0].sum()) == 0


def test_the_page_and_the_api_say_how_many_have_contract_dates_unknown(registry, sign_in, folder):  # noqa: F811
    personas, jia = registry
    change_to_open_ended(jia)
    on = D(2020, 6, 1)

    page = sign_in(personas.city_admin).get(reverse("indicators:detail", args=[CODE]),
                                            {"on": on.isoformat()}).content.decode()

    assert 'id="indicator-unstated"' in page and "合同日期不详" in page
    assert "基数 4 人中 1 人已签劳动合同但合同日期不详，不计入分子" in page
    assert "合同起止日期均含当日" in page  # the 口径说明 says what is counted
    client = APIClient()
    client.force_authenticate(personas.city_admin)
    body = client.get(f"/api/indicators/{CODE}/", {"on": on.isoformat()}).json()
    assert (body["unstated"], body["unstated_label"]) == (1, "合同日期不详")
    assert (body["numerator"], body["denominator"]) == (1, 4)


def test_the_dashboard_the_report_and_the_drill_down_say_so_too(registry, sign_in, folder):  # noqa: F811
    personas, _jia = registry
    client = sign_in(personas.city_admin)
    on = {"on": "2020-06-01"}
    sentence = "劳动合同签订率：基数 4 人中 1 人已签劳动合同但合同日期不详，不计入分子"

    assert sentence in client.get(reverse("indicators:dashboard"), on).content.decode()
    report = client.get(reverse("indicators:report", args=["xlsx"]), on)
    content = b"".join(report.streaming_content) if report.streaming else report.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert any(sentence in str(cell.value or "") for row in sheet.iter_rows() for cell in row)
    records = client.get(reverse("indicators:records", args=[CODE]), {**on, "part": "denominator"})
    assert "“合同日期不详”的记录不计入分子" in records.content.decode()
