import datetime

from workforce.core.choices import Channel
from workforce.registry import services
from workforce.registry.models import Worker
from workforce.registry.tasks import refresh_facts_changed_by_calendar


def test_nightly_refresh_drops_an_ended_spell_from_the_current_columns(personas):
    spell = personas.steel_worker.spells.get()
    services.update_employment(spell, {"end_date": datetime.date(2030, 6, 30)}, expected_version=spell.version,
                               acting_user=None, channel=Channel.SYSTEM)
    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    assert worker.current_employer == personas.steel  # still employed today

    refreshed = refresh_facts_changed_by_calendar(datetime.date(2030, 7, 1))

    worker.refresh_from_db()
    personas.steel.refresh_from_db()
    assert refreshed == 1
    assert worker.current_employer is None
    assert worker.has_signed_contract is False
    assert worker.district_id == "510402"  # the last employer's district keeps seeing them
    assert personas.steel.headcount == 0


def test_nightly_refresh_ignores_days_without_calendar_changes(personas):
    assert refresh_facts_changed_by_calendar(datetime.date(2031, 1, 15)) == 0
