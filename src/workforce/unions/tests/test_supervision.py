"""The union figures on the supervision pages of §3 and §17 (aggregates only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workforce.supervision.models import Measure
from workforce.supervision.services.plans import ensure_seed_plan
from workforce.unions import services

pytestmark = pytest.mark.django_db


def test_measure_17_shows_union_figures_and_no_person(tree, personas, sign_in):
    ensure_seed_plan()
    services.apply_to_join(personas.steel_worker, tree.steel_union, personas.worker_user)
    measure = Measure.objects.get(number=17)
    url = reverse("supervision:measure_detail", args=[measure.pk])
    html = sign_in(personas.union_officer).get(url).content.decode()
    section = html[html.index('id="union-figures"'):]
    section = section[:section.index("</section>")]
    assert "<dt>企业工会</dt><dd>1</dd>" in section and "<dt>新就业形态工会</dt><dd>1</dd>" in section
    assert "<dt>基层工会覆盖单位</dt><dd>3</dd>" in section
    assert "待审核 1" in section and "张三" not in html


def test_other_measures_do_not_show_them(tree, personas, sign_in):
    ensure_seed_plan()
    measure = Measure.objects.get(number=18)
    url = reverse("supervision:measure_detail", args=[measure.pk])
    html = sign_in(personas.union_officer).get(url).content.decode()
    assert 'id="union-figures"' not in html
