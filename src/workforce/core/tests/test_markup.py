"""Markup rules that keep pages usable by keyboard and screen reader, checked without a browser (issue 15,
Accessibility); test_accessibility.py runs axe-core over the rendered pages."""

from pathlib import Path


def test_each_form_on_a_worker_page_has_its_own_ids(client, sign_in, personas):
    """The employment and the certificate form both have an occupation field; their ids must differ."""
    sign_in(personas.city_admin)
    html = client.get(f"/registry/workers/{personas.steel_worker.pk}/").content.decode()
    assert html.count('id="id_employment_occupation"') == 1 and html.count('id="id_certificate_occupation"') == 1
    assert 'id="id_occupation"' not in html


def test_every_table_scroll_region_is_focusable_and_labelled():
    """A table that scrolls sideways on a phone must be reachable by keyboard (WCAG 2.1.1): every
    .table-wrap of every template is a focusable region with a name."""
    root = Path(__file__).resolve().parents[2]
    missing = []
    for template in root.rglob("templates/**/*.html"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if 'class="table-wrap"' in line and not all(
                    part in line for part in ('tabindex="0"', 'role="region"', 'aria-label="')):
                missing.append(f"{template.relative_to(root)}:{number}")
    assert missing == []


def test_an_occupation_code_is_kept_on_one_line(db):
    from django.template import Context, Template

    from workforce.reference.models import Occupation

    occupation = Occupation(code="4-09-08-01", name="保洁员")
    html = Template("{% load workforce %}{{ occupation|occupation }}|{{ none|occupation }}").render(
        Context({"occupation": occupation, "none": None}))
    assert html == '<span class="nowrap">4-09-08-01</span> 保洁员|—'
