"""A look at the first page of the documents the platform issues (issue 16's tests): the annual supervision
report's PDF and the indicators report's PDF drawn by pdf.js in headless Chromium, as a browser's PDF viewer
draws them, saved as PNG images beside the test's files, and checked for what a reader would notice at a
glance (GB/T 9704): an A4 page, ink inside the standard's margins, a title centred at the top, the page
number "— 1 —", and Chinese drawn from fonts the file embeds rather than boxes for missing glyphs.

pdf.js comes from the npm development dependency ``pdfjs-dist`` and is served to the page from node_modules
by the test itself: it is never part of the platform's static files."""

from __future__ import annotations

import base64
import datetime
import io
import mimetypes
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from workforce.core import official
from workforce.indicators.tests.support import D0, build_town
from workforce.supervision.tests.conftest import officers, plan  # noqa: F401 (fixtures)
from workforce.supervision.tests.test_official_form import year_of_work  # noqa: F401 (a fixture)
from workforce.supervision.tests.test_pages import work  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

ORIGIN = "http://look.test"
HERE = Path(__file__).parent / "look"
PDFJS = Path(settings.BASE_DIR).parent.parent / "node_modules" / "pdfjs-dist"
SCALE = 2  # 144 dpi: a page of 1191 × 1684 pixels
MM = 72 / 25.4 * SCALE  # pixels per millimetre
INK = 200  # a pixel darker than this (of 255, in grey) is ink
A4 = 297 / 210


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def viewer(browser):
    """A page that draws PDFs with pdf.js: ``viewer.show(name, content)`` returns what was seen."""
    if not (PDFJS / "build" / "pdf.mjs").exists():
        pytest.fail("pdf.js is missing: run `npm ci` (pdfjs-dist is a development dependency)")
    documents: dict[str, bytes] = {}

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/pdfjs/"):
            file = PDFJS / path.removeprefix("/pdfjs/")
        elif path.startswith("/documents/"):
            return route.fulfill(status=200, body=documents[path], content_type="application/pdf")
        else:
            file = HERE / path.lstrip("/")
        if not file.is_file():
            return route.fulfill(status=404, body="")
        content_type = "text/javascript" if file.suffix == ".mjs" else mimetypes.guess_type(file.name)[0]
        return route.fulfill(status=200, body=file.read_bytes(),
                             content_type=content_type or "application/octet-stream")

    context = browser.new_context(viewport={"width": 1300, "height": 1800})
    context.set_default_timeout(60_000)
    context.route(ORIGIN + "/**", serve)
    page = context.new_page()
    page.goto(ORIGIN + "/index.html")
    page.wait_for_function("window.ready === true")

    def show(name: str, content: bytes, folder: Path) -> SimpleNamespace:
        documents[f"/documents/{name}.pdf"] = content
        seen = page.evaluate("([url, scale]) => window.renderFirstPage(url, scale)",
                             [f"/documents/{name}.pdf", SCALE])
        png = base64.b64decode(seen["png"].split(",", 1)[1])
        (folder / f"{name}-page-1.png").write_bytes(png)
        return SimpleNamespace(**seen, image=Image.open(io.BytesIO(png)).convert("L"),
                               path=folder / f"{name}-page-1.png")

    yield show
    context.close()


def _ink_box(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink within ``box`` (in the page's pixels), or None when it is blank."""
    region = image.crop(box).point(lambda grey: 255 if grey < INK else 0)
    found = region.getbbox()
    if found is None:
        return None
    return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])


def _looks_official(seen: SimpleNamespace, title: str) -> None:
    image = seen.image
    width, height = image.size
    # A4, drawn whole.
    assert abs(height / width - A4) < 0.01, (width, height)
    assert [round(float(v)) for v in seen.size] == [0, 0, 595, 842]
    # Not blank: ink covers a reasonable share of the page (text, not one stray line).
    dark = image.point(lambda grey: 1 if grey < INK else 0).histogram()[1]
    assert 0.01 < dark / (width * height) < 0.5, dark / (width * height)
    # Everything is inside the type area's left and right margins (28 mm and 26 mm), and nothing is
    # printed above the top margin (37 mm); the page number sits below the type area, above the edge.
    whole = _ink_box(image, (0, 0, width, height))
    assert whole is not None
    assert whole[0] >= (official.LEFT - 0.5) * MM and whole[2] <= width - (official.RIGHT - 0.5) * MM, whole
    assert whole[1] >= (official.TOP - 1) * MM, whole
    assert whole[3] <= height - 7 * MM, whole
    # The title: the first ink under the top margin, centred between the margins, larger than the body.
    band = _ink_box(image, (0, round(official.TOP * MM) - 2, width, round((official.TOP + 30) * MM)))
    assert band is not None, "no title at the top of the page"
    middle = (official.LEFT * MM + width - official.RIGHT * MM) / 2
    assert abs((band[0] + band[2]) / 2 - middle) < 3 * MM, (band, middle)
    assert band[1] < (official.TOP + 3) * MM
    # The page's text, as a reader's copy-and-paste gets it.
    lines = [line["text"] for line in seen.lines]
    text = "".join(lines).replace(" ", "")
    assert title.replace(" ", "") in text
    assert official.page_number(1) in lines
    # Lines broken as Chinese is set: no line starts with closing punctuation, none ends with an opening one.
    for line in lines:
        if line != official.page_number(1):
            assert line[0] not in official.NO_LINE_START and line[-1] not in official.NO_LINE_END, line
    title_line = next(line for line in seen.lines if line["text"].strip() and line["text"][0] == title[0])
    body_line = next(line for line in seen.lines if line["height"] and line["height"] < title_line["height"])
    assert title_line["height"] == pytest.approx(official.TITLE_PT, abs=0.5)
    assert body_line["height"] <= official.BODY_PT + 0.5
    # Chinese drawn from fonts the PDF embeds (a missing font shows boxes or another machine's face):
    # each font of the page's text has its file in the PDF, and the title is in the serif CJK face.
    assert seen.fonts
    for font in seen.fonts.values():
        assert not font["missingFile"] and font["bytes"] > 1000, font
    assert "NotoSerifCJK" in seen.fonts[title_line["font"]]["name"]
    # The title's glyphs have ink of their own: each character's cell of the title's first line is inked
    # (a box for a missing glyph would be too, so the embedded fonts above are the real check).
    assert band[3] - band[1] > official.TITLE_PT * 0.7 * SCALE


@pytest.fixture
def town(personas):
    return build_town(personas)


def test_the_first_pages_of_both_reports_look_like_an_official_document(viewer, year_of_work, town,  # noqa: F811
                                                                        personas, sign_in, tmp_path):
    client = sign_in(personas.leader)
    annual_pdf = _content(client.get("/supervision/annual/?year=2020&format=pdf"))
    indicators_pdf = _content(client.get(reverse("indicators:report", args=["pdf"]), {"on": D0.isoformat()}))

    annual = viewer("annual-report-2020", annual_pdf, tmp_path)
    assert annual.pages >= 2 and annual.path.stat().st_size > 10_000
    _looks_official(annual, "2020年度产业工人队伍建设改革推进情况报告")
    assert "一、总体情况" in "".join(line["text"] for line in annual.lines)

    indicators = viewer("indicators-2020-12-31", indicators_pdf, tmp_path)
    _looks_official(indicators, "攀枝花市产业工人队伍建设改革目标指标报告")
    text = "".join(line["text"] for line in indicators.lines)
    assert str(official.DEFAULT_ISSUER) in text
    # The office two characters in from the right, the date under it two characters further right.
    issuer = next(line for line in indicators.lines if line["text"] == str(official.DEFAULT_ISSUER))
    date = next(line for line in indicators.lines if line["text"] == official.chinese_date(datetime.date.today()))
    right = 595.28 - official.RIGHT * 72 / 25.4
    assert issuer["x"] + issuer["width"] == pytest.approx(right - 2 * official.BODY_PT, abs=1)
    assert date["x"] - issuer["x"] == pytest.approx(2 * official.BODY_PT, abs=1) and date["y"] < issuer["y"]
