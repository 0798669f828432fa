"""Issue 16 point 1 (decision 0020): a roster adds a labour contract rather than overwrite one. A new worker's
contract is written with the spell (its dates unknown when the roster says only "signed"); the same roster again
changes nothing; new contract dates for the same spell add a renewal or a change; a contract that would overlap
an earlier one is the row's error at the preview, and "not signed" for a spell with contracts changes nothing."""

from __future__ import annotations

import datetime

from workforce.imports import services
from workforce.imports.choices import ImportStatus
from workforce.imports.tests.test_services import check, id_number, roster
from workforce.registry.choices import ContractSource, ContractType
from workforce.registry.models import LabourContract, Worker

D = datetime.date
NUMBER = id_number("51040219850315123")


def row(signed="是", kind="固定期限", start="2020-01-01", end="2022-12-31") -> list[str]:
    return ["王五", NUMBER, "", "农村户口", "6-17-02-02", "2020-01-01", signed, kind, start, end, ""]


def commit(rows, personas):
    roster_import = check(roster(rows), personas.steel_hr)
    counts = roster_import.counts
    if roster_import.status == ImportStatus.PREVIEW and not counts["errors"] and counts["create"] + counts["update"]:
        services.commit_roster_import(roster_import, acting_user=personas.steel_hr)
    return roster_import


def contracts() -> list[tuple]:
    return list(LabourContract.objects.filter(spell__worker__name="王五").order_by("dates_known", "start_date")
                .values_list("kind", "start_date", "end_date", "dates_known"))


def test_a_roster_adds_renewals_and_a_change_and_is_idempotent(personas):
    first = commit([row()], personas)
    contract = LabourContract.objects.get(spell__worker__name="王五")
    assert (contract.source, contract.source_import, contract.source_row) == (ContractSource.IMPORT, first.pk, 2)

    again = check(roster([row()]), personas.steel_hr)
    assert again.counts["unchanged"] == 1  # the same contract again: nothing to write
    commit([row(start="2023-01-01", end="2025-12-31")], personas)  # renewed
    assert commit([row(start="2023-01-01", end="2025-12-31")], personas).counts["unchanged"] == 1  # nothing new
    commit([row(kind="无固定期限", start="2024-07-01", end="")], personas)  # changed to open-ended mid-term

    assert contracts() == [
        (ContractType.FIXED_TERM, D(2020, 1, 1), D(2022, 12, 31), True),
        (ContractType.FIXED_TERM, D(2023, 1, 1), D(2024, 6, 30), True),
        (ContractType.OPEN_ENDED, D(2024, 7, 1), None, True)]
    spell = Worker.objects.get(name="王五").spells.get()
    assert (spell.contract_type, spell.contract_start) == (ContractType.OPEN_ENDED, D(2024, 7, 1))


def test_an_overlap_is_the_rows_error_and_unsigned_changes_nothing(personas):
    commit([row()], personas)
    commit([row(start="2023-01-01", end="2025-12-31")], personas)

    overlapping = commit([row(start="2021-06-01", end="2021-12-31")], personas)
    assert overlapping.counts["errors"] == 1
    assert any("时间重叠" in problem.message for problem in overlapping.problems.all())
    unsigned = commit([row(signed="否", kind="", start="", end="")], personas)
    assert any("合同记录只增不改" in problem.message for problem in unsigned.problems.all())
    assert len(contracts()) == 2


def test_a_roster_saying_only_signed_records_a_contract_whose_dates_are_unknown(personas):
    commit([row(kind="", start="", end="")], personas)

    assert contracts() == [("", None, None, False)]
    commit([row()], personas)  # the dates given later: a contract of its own, the unknown one kept
    assert contracts() == [("", None, None, False), (ContractType.FIXED_TERM, D(2020, 1, 1), D(2022, 12, 31), True)]
