"""The indicators report in official form (issue 16 points 10 and 13), opened with openpyxl and a PDF
reader: A4 with the standard's margins, the title, the issuing office and date, page numbers, numbers
stored as numbers with their units in the format, charts that never draw a city-wide count target over a
district's bar, and a Chinese file name."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from workforce.core import official
from workforce.indicators.tests.support import D0, build_town

ON = {"on": D0.isoformat()}
TITLE = "攀枝花市产业工人队伍建设改革目标指标报告（截至 2020年12月31日）"


@pytest.fixture
def town(personas):
    return build_town(personas)


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _text(page) -> str:
    """A page's text; pypdf gives a CID font's characters with NULs between them."""
    return page.extract_text().replace("\x00", "").replace("\n", "")


def test_the_workbook_has_a_title_the_office_and_a4_print_setup_and_stores_numbers(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["xlsx"]), ON)
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''" + quote("产业工人队伍建设改革目标指标报告（截至2020年12月31日）.xlsx"))
    book = load_workbook(io.BytesIO(_content(response)))
    summary, by_district = book.worksheets[0], book.worksheets[1]
    for sheet in (summary, by_district):
        assert sheet["A1"].value == TITLE and "A1" in str(sheet.merged_cells)
        last = [cell.value for cell in sheet[2] if cell.value]
        assert last[-1].startswith(str(official.DEFAULT_ISSUER)) and last[-1].endswith("日")
        assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$3:$3"
        assert sheet.oddFooter.center.text == "— &P —"
        assert round(sheet.page_margins.top * 25.4) == 37 and round(sheet.page_margins.left * 25.4) == 28
    rows = {row[0].value: row for row in summary.iter_rows(min_row=4)}
    contracts, skilled = rows["劳动合同签订率"], rows["技能人才总量"]
    assert contracts[3].value == 66.67 and contracts[3].number_format == '0.00"%"'
    assert contracts[7].value == 23.33 and contracts[7].number_format == '0.00" 个百分点"'
    assert skilled[4].value == 120000 and skilled[4].number_format == '#,##0"人"'
    for row in rows.values():  # value, target, gap: numbers, the suppression mark, or "—" for none
        for cell in (row[3], row[4], row[7]):
            assert cell.data_type == "n" or cell.value in ("—", "*", "已达到"), cell.value


def test_the_pdf_is_a4_with_the_office_page_numbers_and_charts_against_the_right_target(town, sign_in):
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["pdf"]), ON)
    content = _content(response)
    assert b"/MediaBox [0 0 595.28 841.89]" in content and b"NotoSerifCJKSC" in content
    import pypdf
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [_text(page) for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"— {number} —" in text
    assert TITLE.replace(" ", "") in pages[0].replace(" ", "") and str(official.DEFAULT_ISSUER) in pages[0]
    charts = "".join(pages[2:])
    # The plan's targets are the city's: stated under the chart's title, never drawn over the districts.
    assert "全市目标 ≥120,000人（2020年），为全市合计，不与各县（区）比较" in charts
    assert charts.count("目标 ≥120,000人") == charts.count("全市目标 ≥120,000人")  # no legend of a drawn line
    assert "全市目标 ≥90.00%（2020年），只与全市数值比较，不与各县（区）比较" in charts
    assert charts.count("目标 ≥90.00%") == charts.count("全市目标 ≥90.00%")


def test_the_pdf_draws_a_rate_target_with_its_legend_where_the_plan_applies_it_to_each_district(town, sign_in):
    from workforce.core.choices import Channel
    from workforce.indicators import services
    from workforce.indicators.models import Indicator

    rate = Indicator.objects.get(code="labor_contract_rate")
    services.update_indicator(rate, {"target_per_district": True}, expected_version=rate.version,
                              acting_user=town.people.city_admin, channel=Channel.PAGE)
    response = sign_in(town.people.leader).get(reverse("indicators:report", args=["pdf"]), ON)
    import pypdf
    pages = [_text(page) for page in pypdf.PdfReader(io.BytesIO(_content(response))).pages]
    charts = "".join(pages[2:])
    # One legend for the drawn line, and no note: the rate's other indicators keep theirs.
    assert charts.count("目标 ≥90.00%（2020年）") == charts.count("全市目标 ≥90.00%（2020年）") + 1
    assert "全市目标 ≥120,000人（2020年），为全市合计" in charts
