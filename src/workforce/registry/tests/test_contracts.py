"""Issue 16 point 1: labour contracts are dated records of their own (decision 0020). A spell holds several over
time (renewals, a gap, a change to open-ended); a new one is added, never written over the one before; one whose
dates are not known says so; the old spell columns migrate into contracts and back; forms and the API add them in
the user's scope."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from workforce.conftest import hire
from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.indicators.tests.support import id_number
from workforce.registry import services
from workforce.registry.choices import ContractSource, ContractType
from workforce.registry.models import EmploymentSpell, LabourContract

D = datetime.date
SYSTEM = Channel.SYSTEM
FIXED, OPEN = ContractType.FIXED_TERM, ContractType.OPEN_ENDED
MIGRATION = importlib.import_module("workforce.registry.migrations.0017_labour_contracts")


def add(spell, kind, start, end=None, channel=SYSTEM, **extra):
    return services.add_contract(spell, {"kind": kind, "start_date": start, "end_date": end, **extra},
                                 acting_user=None, channel=channel)


def terms(spell) -> list[tuple]:
    return [(c.kind, c.start_date, c.end_date, c.dates_known) for c in LabourContract.objects.filter(spell=spell)]


@pytest.fixture
def spell(personas) -> EmploymentSpell:
    """张三's spell at 攀钢 from 2019-03-01, open, no contract yet."""
    return personas.steel_worker.spells.get()


def test_renewals_a_gap_and_a_change_to_open_ended_are_each_a_contract(spell):
    add(spell, FIXED, D(2019, 3, 1), D(2020, 2, 29))
    add(spell, FIXED, D(2020, 4, 1), D(2023, 3, 31))  # renewed a month late: unsigned in March 2020
    add(spell, OPEN, D(2022, 1, 1))  # a change while the renewal runs: the renewal ends the day before

    assert terms(spell) == [(FIXED, D(2019, 3, 1), D(2020, 2, 29), True), (FIXED, D(2020, 4, 1), D(2021, 12, 31), True),
                            (OPEN, D(2022, 1, 1), None, True)]
    spell.refresh_from_db()
    assert (spell.is_contract_signed, spell.contract_type, spell.contract_start, spell.contract_end) == (
        True, OPEN, D(2022, 1, 1), None)  # the copy of the latest
    logged = list(ChangeLogEntry.objects.filter(content_type__model="labourcontract").values_list("action", flat=True))
    assert logged.count(ChangeAction.CREATE) == 3 and logged.count(ChangeAction.UPDATE) == 1
    assert [c.covers(D(2020, 3, 15)) for c in spell.contracts.all()] == [False, False, False]
    assert [c.covers(D(2021, 12, 31)) for c in spell.contracts.all()] == [False, True, False]


def test_the_same_contract_again_changes_nothing_and_the_same_start_corrects_it(spell):
    first = add(spell, FIXED, D(2019, 3, 1), D(2022, 2, 28))
    count = ChangeLogEntry.objects.count()

    assert add(spell, FIXED, D(2019, 3, 1), D(2022, 2, 28)) == first
    assert ChangeLogEntry.objects.count() == count
    corrected = add(spell, FIXED, D(2019, 3, 1), D(2023, 2, 28))
    assert (corrected.pk, corrected.end_date, corrected.version) == (first.pk, D(2023, 2, 28), 2)
    assert LabourContract.objects.filter(spell=spell).count() == 1


@pytest.mark.parametrize(("data", "errors"), [
    ({"kind": FIXED, "start_date": D(2019, 3, 1)}, {"end_date": ["固定期限劳动合同须填写合同终止日期。"]}),
    ({"kind": OPEN, "start_date": D(2019, 3, 1), "end_date": D(2020, 1, 1)},
     {"end_date": ["无固定期限劳动合同不应填写合同终止日期。"]}),
    ({"kind": FIXED, "start_date": D(2020, 3, 1), "end_date": D(2020, 1, 1)},
     {"end_date": ["合同终止日期不能早于合同起始日期。"]}),
    ({"kind": FIXED, "start_date": D(2010, 1, 1), "end_date": D(2012, 12, 31)},
     {"end_date": ["合同终止日期早于该就业记录的入职日期（2019-03-01），合同须在就业期间内。"]}),
    ({"kind": FIXED}, {"start_date": ["请填写合同起始日期。"]}),
    ({"kind": FIXED, "start_date": D(2019, 1, 1), "end_date": D(2019, 12, 31)},
     {"start_date": ["与该就业记录已有的劳动合同（2019-06-01—2021-05-31）时间重叠：续订合同应在原合同终止后开始，"
                     "变更合同只能变更最近一份合同。"]}),
])
def test_bad_contracts_are_refused_in_chinese_and_change_nothing(spell, data, errors):
    add(spell, FIXED, D(2019, 6, 1), D(2021, 5, 31))
    before = (terms(spell), ChangeLogEntry.objects.count())

    with pytest.raises(ValidationError) as refused:
        services.add_contract(spell, data, acting_user=None, channel=Channel.PAGE)

    assert refused.value.message_dict == errors
    assert (terms(spell), ChangeLogEntry.objects.count()) == before


def test_a_roster_may_say_only_signed_and_the_dates_stay_unknown(spell):
    unknown = services.add_contract(spell, {}, acting_user=None, channel=Channel.IMPORT)

    assert (unknown.dates_known, unknown.start_date, unknown.source) == (False, None, ContractSource.IMPORT)
    assert services.add_contract(spell, {}, acting_user=None, channel=Channel.IMPORT) == unknown
    dated = add(spell, FIXED, D(2021, 1, 1), D(2023, 12, 31))  # later known dates: a contract of its own
    assert terms(spell) == [("", None, None, False), (FIXED, D(2021, 1, 1), D(2023, 12, 31), True)]
    assert not unknown.covers(D(2020, 1, 1)) and dated.covers(D(2022, 1, 1))


def test_a_spell_whose_contract_dates_are_unknown_can_still_be_ended(spell):
    services.add_contract(spell, {}, acting_user=None, channel=Channel.IMPORT)

    services.end_employment(spell, D(2024, 6, 30), expected_version=None, acting_user=None, channel=Channel.PAGE)

    spell.refresh_from_db()
    assert (spell.end_date, spell.is_contract_signed, spell.contracts.get().dates_known) == (D(2024, 6, 30), True,
                                                                                              False)


def test_a_form_or_roster_saying_unsigned_cannot_clear_a_contract(spell):
    add(spell, FIXED, D(2019, 3, 1), D(2022, 2, 28))

    with pytest.raises(ValidationError) as refused:
        services.update_employment(spell, {"is_contract_signed": False}, expected_version=None, acting_user=None,
                                   channel=SYSTEM)
    assert "合同记录只增不改" in refused.value.message_dict["is_contract_signed"][0]
    assert spell.contracts.count() == 1


def test_a_spell_update_with_new_contract_dates_adds_a_renewal(spell):
    services.update_employment(spell, {"is_contract_signed": True, "contract_type": FIXED,
                                       "contract_start": D(2019, 3, 1), "contract_end": D(2022, 2, 28)},
                               expected_version=None, acting_user=None, channel=SYSTEM)
    services.update_employment(spell, {"contract_start": D(2022, 3, 1), "contract_end": D(2025, 2, 28)},
                               expected_version=None, acting_user=None, channel=SYSTEM)

    assert terms(spell) == [(FIXED, D(2019, 3, 1), D(2022, 2, 28), True), (FIXED, D(2022, 3, 1), D(2025, 2, 28), True)]


# ---------------------------------------------------------------------------------------------- migration


class Editor:
    """What the migration's data functions use of a schema editor (inside the test's transaction, where SQLite's
    own schema editor may not be opened)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _spell_columns(spell_id) -> tuple:
    return EmploymentSpell.objects.filter(pk=spell_id).values_list(
        "is_contract_signed", "contract_type", "contract_start", "contract_end").get()


def test_the_migration_turns_each_signed_spell_into_a_contract_and_back(personas):
    dated = personas.steel_worker.spells.get()
    no_dates = personas.miyi_worker.spells.get()
    unsigned = hire(personas.small_firm, id_number("510411", "19920303", 56), "王五").spells.get()
    # The registry as it was before contracts had records: the flag and the dates on the spell alone.
    EmploymentSpell.objects.filter(pk=dated.pk).update(is_contract_signed=True, contract_type=FIXED,
                                                       contract_start=D(1987, 7, 1), contract_end=D(2026, 6, 30))
    EmploymentSpell.objects.filter(pk=no_dates.pk).update(is_contract_signed=True, contract_type="",
                                                          contract_start=None, contract_end=None)
    before = {pk: _spell_columns(pk) for pk in (dated.pk, no_dates.pk, unsigned.pk)}

    MIGRATION.contracts_from_spells(global_apps, Editor())

    assert terms(dated) == [(FIXED, D(1987, 7, 1), D(2026, 6, 30), True)]
    assert terms(no_dates) == [("", None, None, False)]  # signed, dates unknown: no date invented
    assert terms(unsigned) == []
    assert set(LabourContract.objects.values_list("source", flat=True)) == {ContractSource.MIGRATION}

    EmploymentSpell.objects.update(is_contract_signed=False, contract_type="", contract_start=None, contract_end=None)
    MIGRATION.spells_from_contracts(global_apps, Editor())
    assert {pk: _spell_columns(pk) for pk in before} == before


# ---------------------------------------------------------------------------------------------- page and API


def test_the_worker_page_shows_the_history_and_hr_adds_a_change_to_open_ended(personas, spell, sign_in):
    add(spell, FIXED, D(2019, 3, 1), D(2022, 2, 28))
    add(spell, FIXED, D(2022, 3, 1), D(2025, 2, 28))
    client = sign_in(personas.steel_hr)

    page = client.get(reverse("registry:worker_detail", args=[personas.steel_worker.pk])).content.decode()
    assert "2019-03-01 – 2022-02-28" in page and "2022-03-01 – 2025-02-28" in page
    assert reverse("registry:contract_add", args=[spell.pk]) in page
    refused = client.post(reverse("registry:contract_add", args=[spell.pk]),
                          {"kind": FIXED, "start_date": "2021-01-01", "end_date": "2021-06-30"})
    assert refused.status_code == 200 and "变更合同只能变更最近一份合同" in refused.content.decode()
    response = client.post(reverse("registry:contract_add", args=[spell.pk]),
                           {"kind": OPEN, "start_date": "2023-03-01"})
    assert response.status_code == 302
    assert terms(spell)[1:] == [(FIXED, D(2022, 3, 1), D(2023, 2, 28), True), (OPEN, D(2023, 3, 1), None, True)]
    assert spell.contracts.last().source == ContractSource.PAGE
    page = client.get(reverse("registry:worker_detail", args=[personas.steel_worker.pk])).content.decode()
    assert "2023-03-01 – 无固定期限" in page


def test_another_employers_hr_cannot_add_a_contract(personas, spell, sign_in):
    response = sign_in(personas.small_firm_hr).post(reverse("registry:contract_add", args=[spell.pk]),
                                                    {"kind": OPEN, "start_date": "2022-03-01"})
    assert response.status_code == 404 and not spell.contracts.exists()


def test_the_api_lists_and_adds_contracts_in_the_users_scope(personas, spell):
    add(spell, FIXED, D(2019, 3, 1), D(2022, 2, 28))
    client = APIClient()
    client.force_authenticate(personas.steel_hr)
    url = f"/api/registry/spells/{spell.pk}/contracts/"

    assert [row["start_date"] for row in client.get(url).json()] == ["2019-03-01"]
    created = client.post(url, {"kind": "fixed_term", "start_date": "2022-03-01", "end_date": "2025-02-28"},
                          format="json")
    assert created.status_code == 201 and created.json()["source"] == "api"
    overlapping = client.post(url, {"kind": "fixed_term", "start_date": "2020-01-01", "end_date": "2020-12-31"},
                              format="json")
    assert overlapping.status_code == 400 and "时间重叠" in overlapping.json()["start_date"][0]
    spell_body = client.get(f"/api/registry/spells/{spell.pk}/").json()
    assert [c["start_date"] for c in spell_body["contracts"]] == ["2019-03-01", "2022-03-01"]

    other = APIClient()
    other.force_authenticate(personas.small_firm_hr)
    assert other.get(url).status_code == 404
    assert other.post(url, {"kind": "open_ended", "start_date": "2026-01-01"}, format="json").status_code == 404
    assert LabourContract.objects.visible_to(personas.small_firm_hr).count() == 0
    assert LabourContract.objects.visible_to(personas.miyi_officer).count() == 0
    assert LabourContract.objects.visible_to(personas.dongqu_officer).count() == 2
