"""Labour contracts of employment spells, each a dated record (issue 16, decision 0020).

A spell holds its contracts over time: the first, its fixed-term renewals, a change to open-ended. A new
contract is *added*, never written over the one before: a renewal starts after the one before ends; a change
(e.g. to open-ended) starting while the latest contract runs ends that one the day before (both logged). The
same start date as an existing contract is that contract (a roster read again, or its end corrected), not a
second one. A contract whose start is not known (a roster that says only "signed") has no dates
(``dates_known`` False), never a guessed date. The spell's contract columns are a copy of its latest contract
for today's lists (``refresh_spell_contract``); what held on a past day is read from the contracts alone.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import current_source, record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.registry.choices import ContractSource, ContractType
from workforce.registry.models import EmploymentSpell, LabourContract

if TYPE_CHECKING:
    from workforce.accounts.models import User

CONTRACT_FIELDS = {"kind", "start_date", "end_date", "signed_on"}
SOURCE_OF_CHANNEL = {Channel.PAGE: ContractSource.PAGE, Channel.API: ContractSource.API,
                     Channel.IMPORT: ContractSource.IMPORT, Channel.SYSTEM: ContractSource.SYSTEM}
ONE_DAY = datetime.timedelta(days=1)


def contract_term_errors(data: dict[str, Any], *, details_known: bool = True) -> dict[str, str]:
    """The rules of one contract's own facts, as {field: Chinese message}; pure. Without ``details_known`` (a
    roster, decision 0013) a contract may lack its kind and start date (its dates are then unknown)."""
    errors: dict[str, str] = {}
    kind, start, end = data.get("kind") or "", data.get("start_date"), data.get("end_date")
    if kind and kind not in ContractType.values:
        errors["kind"] = _("合同类型无效。")
    if not kind and details_known:
        errors["kind"] = _("请填写合同类型。")
    if not start and details_known:
        errors["start_date"] = _("请填写合同起始日期。")
    if kind == ContractType.FIXED_TERM and not end and start:
        errors["end_date"] = _("固定期限劳动合同须填写合同终止日期。")
    if kind == ContractType.OPEN_ENDED and end:
        errors["end_date"] = _("无固定期限劳动合同不应填写合同终止日期。")
    if start and end and end < start:
        errors["end_date"] = _("合同终止日期不能早于合同起始日期。")
    signed_on = data.get("signed_on")
    if signed_on and end and signed_on > end:
        errors["signed_on"] = _("签订日期不能晚于合同终止日期。")
    return errors


def _span(start: datetime.date | None, end: datetime.date | None) -> str:
    return f"{start.isoformat() if start else _('日期不详')}—{end.isoformat() if end else _('无固定期限')}"


def _same_terms(contract: LabourContract, data: dict[str, Any]) -> bool:
    return ((contract.kind or "") == (data.get("kind") or "") and contract.end_date == data.get("end_date")
            and (data.get("signed_on") is None or contract.signed_on == data.get("signed_on")))


def contract_placement(spell: EmploymentSpell, data: dict[str, Any], contracts: list[LabourContract]
               ) -> tuple[LabourContract | None, LabourContract | None]:
    """Where a new contract with ``data`` goes among the spell's ``contracts``: (the existing contract it is,
    when it has the same start; the one it changes, which then ends the day before it starts). Raises the
    Chinese reason when it cannot go there."""
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:  # dates unknown: at most one such contract on a spell, and it is this one
        unknown = next((contract for contract in contracts if not contract.dates_known), None)
        return unknown, None
    if spell.end_date and start > spell.end_date:
        raise ValidationError({"start_date": _("合同起始日期晚于该就业记录的离职日期（%(date)s）。")
                               % {"date": spell.end_date}})
    if end and end < spell.start_date:
        raise ValidationError({"end_date": _("合同终止日期早于该就业记录的入职日期（%(date)s），合同须在就业期间内。")
                               % {"date": spell.start_date}})
    known = [contract for contract in contracts if contract.dates_known]
    same = next((contract for contract in known if contract.start_date == start), None)
    if same is not None:
        others = [contract for contract in known if contract is not same]
        changed = None
    else:
        latest = max(known, key=lambda contract: (contract.start_date, contract.pk), default=None)
        changed = latest if latest is not None and latest.covers(start) and latest.start_date < start else None
        others = [contract for contract in known if contract is not changed]
    for other in others:
        assert other.start_date is not None  # known
        if other.start_date <= (end or datetime.date.max) and (other.end_date is None or other.end_date >= start):
            raise ValidationError({"start_date": _(
                "与该就业记录已有的劳动合同（%(span)s）时间重叠：续订合同应在原合同终止后开始，"
                "变更合同只能变更最近一份合同。") % {"span": _span(other.start_date, other.end_date)}})
    return same, changed


@transaction.atomic
def add_contract(spell: EmploymentSpell, data: dict[str, Any], *, acting_user: User | None, channel: Channel,
                 source: ContractSource | None = None, source_import: int | None = None,
                 source_row: int | None = None) -> LabourContract:
    """Add a labour contract to ``spell`` (a renewal, a change, or its first), or return the contract it already
    is (the same start date; its kind, end and signing date are then corrected, logged, if they differ).

    A contract starting while the spell's latest contract runs is a change: the latest ends the day before.
    ``data`` holds ``CONTRACT_FIELDS``; without a ``start_date`` the contract's dates are unknown (only a roster,
    ``channel`` import, may say so). The caller checks the spell is in the acting user's scope."""
    unknown_keys = set(data) - CONTRACT_FIELDS
    assert not unknown_keys, f"unexpected contract fields: {unknown_keys}"
    data = {**data, "kind": data.get("kind") or ""}
    errors = contract_term_errors(data, details_known=channel != Channel.IMPORT)
    if errors:
        raise ValidationError(errors)
    # The spell's row lock: contracts of one spell are added one after another (the placement reads them all).
    list(EmploymentSpell.objects.select_for_update().filter(pk=spell.pk).values_list("pk"))
    contracts = list(LabourContract.objects.filter(spell=spell))
    if data.get("start_date") is None and contracts:  # "signed", no dates: the spell already says so
        return latest_contract(contracts)  # type: ignore[return-value]
    same, changed = contract_placement(spell, data, contracts)
    if same is not None:
        if _same_terms(same, data):
            return same
        before = snapshot(same)
        same.kind, same.end_date = data["kind"] or same.kind, data.get("end_date")
        same.signed_on = data.get("signed_on") or same.signed_on
        same.version += 1
        same.full_clean(exclude=["spell"])
        same.save()
        record_update(same, before, acting_user=acting_user, channel=channel, parent=spell.worker)
        refresh_spell_contract(spell)
        return same
    if changed is not None:
        before = snapshot(changed)
        changed.end_date, changed.version = data["start_date"] - ONE_DAY, changed.version + 1
        changed.save(update_fields=["end_date", "version", "updated_at"])
        record_update(changed, before, acting_user=acting_user, channel=channel, parent=spell.worker)
    if source_import is None and (named := current_source()) is not None:  # a roster's row (``changes_from``)
        source_import, source_row = int(named[0].pk), named[1]
    contract = LabourContract(spell=spell, kind=data["kind"], dates_known=data.get("start_date") is not None,
                              start_date=data.get("start_date"), end_date=data.get("end_date"),
                              signed_on=data.get("signed_on"),
                              source=source or SOURCE_OF_CHANNEL.get(channel, ContractSource.SYSTEM),
                              source_import=source_import, source_row=source_row)
    contract.full_clean(exclude=["spell"])
    contract.save()
    record_change(contract, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(contract),
                  parent=spell.worker)
    refresh_spell_contract(spell)
    return contract


def latest_contract(contracts: list[LabourContract]) -> LabourContract | None:
    """The spell's latest contract: the known one that started last, else the one with unknown dates."""
    return max(contracts, key=lambda contract: (contract.dates_known, contract.start_date or datetime.date.min,
                                                contract.pk), default=None)


def refresh_spell_contract(spell: EmploymentSpell) -> None:
    """Copy the spell's latest contract into its contract columns (unsigned and empty with none); the spell's
    version is left alone: the copy is derived, and its contracts carry their own change log."""
    latest = latest_contract(list(LabourContract.objects.filter(spell=spell)))
    values = {"is_contract_signed": latest is not None, "contract_type": latest.kind if latest else "",
              "contract_start": latest.start_date if latest else None,
              "contract_end": latest.end_date if latest else None}
    EmploymentSpell.objects.filter(pk=spell.pk).update(**values)
    for name, value in values.items():
        setattr(spell, name, value)


def said_contract(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The contract fields a change says of a spell (``is_contract_signed``, ``contract_type``, ``contract_start``,
    ``contract_end``), those it leaves out taken from ``current`` (the spell's copy of its latest contract) — but
    a new start date is a new contract, which does not inherit the latest's end (an empty roster cell says
    nothing, and an open-ended change has none)."""
    said = {key: changes.get(key, current.get(key)) for key in ("is_contract_signed", "contract_type",
                                                                "contract_start", "contract_end")}
    if "contract_start" in changes and changes["contract_start"] != current.get("contract_start"):
        said["contract_end"] = changes.get("contract_end")
    return said


def contract_data_of(values: dict[str, Any]) -> dict[str, Any] | None:
    """A contract's ``data`` from a spell's contract fields as forms, rosters and the API give them
    (``is_contract_signed``, ``contract_type``, ``contract_start``, ``contract_end``); None when they say none
    was signed."""
    if not values.get("is_contract_signed"):
        return None
    return {"kind": values.get("contract_type") or "", "start_date": values.get("contract_start"),
            "end_date": values.get("contract_end")}
