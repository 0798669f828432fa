"""The appraisal pass rate per year: on the targets dashboard and on the supervision page of measure §10."""

from __future__ import annotations

import datetime

from workforce.core.choices import Channel
from workforce.skills import selectors, services
from workforce.skills.choices import Ground
from workforce.skills.tests.conftest import make_session

SYSTEM = Channel.SYSTEM


def published_session(personas, appraisal, theory_scores, published_on, date):
    session = make_session(appraisal, None, date=date)
    workers = [personas.steel_worker, personas.miyi_worker]
    for worker in workers[:len(theory_scores)]:
        services.register_candidate(session, worker, ground=Ground.SPECIAL_ABILITY, acting_user=None, channel=SYSTEM)
    session = services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    for candidate, score in zip(session.candidates.order_by("pk"), theory_scores, strict=True):
        values = {"absent": True} if score is None else {"theory_score": score, "practical_score": 80}
        services.enter_scores(candidate, values, expected_version=None, acting_user=None, channel=SYSTEM)
    return services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM,
                                    on=published_on)


def test_pass_rate_per_year_leaves_out_the_absent(personas, appraisal):
    published_session(personas, appraisal, [90, 40], datetime.date(2025, 7, 1), datetime.date(2025, 6, 1))
    published_session(personas, appraisal, [75, None], datetime.date(2026, 3, 1), datetime.date(2026, 2, 1))
    rates = selectors.pass_rates_by_year()
    assert [(r.year, r.assessed, r.passed, r.rate) for r in rates] == [(2025, 2, 1, 50.0), (2026, 1, 1, 100.0)]
    assert [r.year for r in selectors.pass_rates_by_year(datetime.date(2025, 12, 31))] == [2025]


def test_dashboard_and_measure_ten_show_the_pass_rate(client, sign_in, personas, appraisal):
    from workforce.supervision.models import Measure
    from workforce.supervision.services.plans import ensure_seed_plan

    published_session(personas, appraisal, [90, 40], datetime.date(2025, 7, 1), datetime.date(2025, 6, 1))
    sign_in(personas.city_admin)
    page = client.get("/indicators/").content.decode()
    assert "职业技能等级认定合格率" in page and "50.0%" in page
    ensure_seed_plan()
    measure = Measure.objects.get(number=10)
    page = client.get(f"/supervision/measures/{measure.pk}/").content.decode()
    assert "职业技能等级认定合格率" in page and "50.0%" in page
    other = Measure.objects.get(number=11)
    assert "职业技能等级认定合格率" not in client.get(f"/supervision/measures/{other.pk}/").content.decode()
