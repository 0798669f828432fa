"""Writing a planned roster into the registry, inside the caller's transaction.

New workers (most rows of a first upload) are written set-based (``staging``) with the same values the
registry's services would store, and one change-log row each naming the import and the file's row
(decision 0008); every other change goes through the registry's services one row at a time, so it obeys the
same rules and leaves the same trail, each of its rows also naming the import and row.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from workforce.core.bulk import reserve_ids
from workforce.core.changelog import changes_from
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import encrypt_many, lookup_hasher
from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.imports.choices import RowAction
from workforce.imports.models import RosterImport
from workforce.imports.planning import RowPlan
from workforce.imports.spill import StalePlan
from workforce.imports.staging import (
    DATE_POSITIONS,
    EMPLOYER,
    MEMBERSHIP_FROM,
    ROLL,
    SUMMARY_COLUMNS,
    NewWorkerStage,
)
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind
from workforce.registry.models import Employer, EmploymentSpell, Worker
from workforce.registry.services.facts import summarise, today
from workforce.registry.union_roll import RollEntry, empty_roll, encode_roll, next_membership_ids, seal_rolls

CHANNEL = Channel.IMPORT


class NewWorkerRows:
    """The staging rows of planned new workers (lists in ``staging.NAMES`` order, the id left for the
    commit to reserve): the ID number and phone sealed, their keyed hashes and masks, dates as
    ISO text, the hukou type and political status sealed too (decision 0009), and the
    summary columns as ``refresh_current_facts`` would compute them on
    ``day`` (decision 0008). The check makes them once and the spill keeps them, so the commit writes
    them as they are; a re-planned commit makes them again. ``places`` holds each employer's district
    and industry section, which the summary columns depend on."""

    def __init__(self, day: datetime.date | None = None):
        self.day = day or today()
        self.places: dict[int, tuple[str | None, str]] = {}
        self.summaries: dict[tuple, tuple] = {}  # see _summary

    def _summary(self, facts: tuple, place: tuple[str | None, str]) -> tuple:
        """The summary columns (in ``staging.NAMES`` order) of a new worker with these facts, from
        ``facts.summarise``; remembered, since a roster repeats few combinations."""
        employer_id, occupation_id, signed, is_open, level = facts
        district, section = place
        summary = summarise(
            [{"employer_id": employer_id, "occupation_id": occupation_id, "is_contract_signed": signed,
              "employer__district_id": district, "employer__industry__section": section}] if is_open else [],
            level, None if is_open else district)  # without an open spell: their last employer's
        values = tuple(summary[name] for name in SUMMARY_COLUMNS)
        if len(self.summaries) < 10_000:
            self.summaries[facts] = values
        return values

    def places_of(self, employer_ids: set[int]) -> dict[int, tuple[str | None, str]]:
        """(district, industry section) of each employer, as the registry has them now."""
        unknown = employer_ids - self.places.keys()
        if unknown:
            self.places |= {pk: (district, section or "") for pk, district, section in Employer.objects.filter(
                pk__in=unknown).values_list("id", "district_id", "industry__section")}
        return {pk: self.places[pk] for pk in employer_ids if pk in self.places}

    def rows(self, plans: list[RowPlan]) -> list[list]:
        """One staging row per plan (each a planned new worker)."""
        places = self.places_of({plan.employer.pk for plan in plans})
        day, hashed = self.day, lookup_hasher()
        phones = [plan.worker_values.get("phone") or "" for plan in plans]
        count = len(plans)
        # The fields' own plaintexts (filled to one block, as the fields write them); a blank political status is
        # "not stated" (issue 15), sealed like the others.
        hukou_plain = Worker._meta.get_field("hukou_type").plaintext_of
        political_plain = Worker._meta.get_field("political_status").plaintext_of
        sealed = encrypt_many([plan.identity.number for plan in plans]
                              + [hukou_plain(plan.worker_values["hukou_type"]) for plan in plans]
                              + [political_plain(plan.worker_values.get("political_status") or "")
                                 for plan in plans]
                              + [phone for phone in phones if phone])
        sealed_numbers, sealed_hukou = sealed[:count], sealed[count:2 * count]
        sealed_political, sealed_phones = sealed[2 * count:3 * count], iter(sealed[3 * count:])
        rows = []
        for plan, phone, sealed_number, hukou, political in zip(plans, phones, sealed_numbers, sealed_hukou,
                                                                sealed_political, strict=True):
            info, values, spell = plan.identity, plan.worker_values, plan.spell_values
            employer_id, start, end = plan.employer.pk, spell["start_date"], spell.get("end_date")
            occupation_id, signed = spell.get("occupation_id"), bool(spell.get("is_contract_signed"))
            is_open = start <= day and (end is None or end >= day)
            certificate = plan.certificate or {}
            level = certificate.get("level_id") if certificate and certificate["issued_on"] <= day else None
            facts = (employer_id, occupation_id, signed, is_open, level)
            summary = self.summaries.get(facts) or self._summary(facts, places[employer_id])
            rows.append([  # staging.NAMES
                None, sealed_number, plan.id_hash, mask_id_number(info.number), info.division_code,
                info.birth_date, info.gender, values["name"], next(sealed_phones) if phone else "",
                hashed(phone) if phone else "", mask_phone(phone) if phone else "", hukou,
                values.get("education") or "", political,
                values.get("new_employment_group") or "", *summary, None,  # the roll: sealed at the commit
                employer_id, occupation_id, start, end, signed, spell.get("contract_type") or "",
                spell.get("contract_start"), spell.get("contract_end"), bool(spell.get("is_dispatched")),
                spell.get("reported_skill_level"), spell.get("post_category") or "",
                plan.number, plan.membership_from, certificate.get("level_id"),
                certificate.get("number"), certificate.get("issuer"), certificate.get("issued_on"),
                certificate.get("occupation_id"),
            ])
        # Dates as ISO text on both databases: SQLite keeps them so, PostgreSQL's COPY reads the text; and the
        # spill pickles text four times faster than date objects (decision 0008).
        for row in rows:
            for position in DATE_POSITIONS:
                if row[position] is not None:
                    row[position] = row[position].isoformat()
        return rows


class RosterWriter:
    """Applies row plans for one import and remembers which workers and employers it touched."""

    def __init__(self, *, roster_import, acting_user):
        self.roster_import = roster_import
        self.acting_user = acting_user
        self.employer_ids: set[int] = set()
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.occupations = {occupation.pk: occupation for occupation in Occupation.objects.all()}
        self.levels = {level.pk: level for level in SkillLevel.objects.all()}
        self.content_types = {model: ContentType.objects.get_for_model(model) for model in (Worker, RosterImport)}
        self.stage = NewWorkerStage(
            log={"content_type_id": self.content_types[Worker].pk, "action": ChangeAction.CREATE, "channel": CHANNEL,
                 "user_id": acting_user.pk, "user_name": acting_user.get_username(),
                 "source_content_type_id": self.content_types[RosterImport].pk,
                 "source_object_id": str(roster_import.pk)},
            note=(f"花名册导入 #{roster_import.pk} 第 ", " 行"), certificate_kind=CertificateKind.SKILL_LEVEL)
        self.new_rows = NewWorkerRows()

    def apply(self, plans: list[RowPlan], *, must_be_new: bool = False) -> None:
        """Write a batch of plans; rows with errors must have been refused before (the caller checks).
        With ``must_be_new``, raise ``StalePlan`` if a planned new worker or certificate has been
        registered since the plan was made."""
        assert not any(plan.action == RowAction.ERROR for plan in plans), "a plan with errors cannot be written"
        self.write_new(self.new_rows.rows([plan for plan in plans if plan.action == RowAction.CREATE]),
                       must_be_new=must_be_new)
        for plan in plans:
            if plan.action == RowAction.UPDATE:
                with changes_from(self.roster_import, plan.number):
                    self._update(plan)
            elif plan.action == RowAction.UNCHANGED:
                self.counts["unchanged"] += 1

    # ------------------------------------------------------------------ new workers, set-based

    def write_new(self, rows: list[list], places: dict[int, tuple] | None = None, *, must_be_new: bool = False) -> None:
        """Let the database write the workers, spells, memberships, certificates and change-log rows of
        these staging rows (``NewWorkerRows``, ``staging``). The change log gets one row per worker
        naming the import and the file's row, which is kept: that row stands for everything the row
        created (decision 0008). No dated facts are written: the record's values hold until a change.

        Rows the check made (``must_be_new``, with the ``places`` of their employers then): raise
        ``StalePlan`` if one of the workers or certificates has been registered since, or an employer
        has gone or moved to another district or industry (their summary columns would differ)."""
        if not rows:
            return
        if places is not None and self.new_rows.places_of(set(places)) != places:
            raise StalePlan
        for row, pk in zip(rows, reserve_ids(Worker, len(rows)), strict=True):
            row[0] = pk
        self._seal_rolls(rows)
        self.employer_ids |= {row[EMPLOYER] for row in rows}
        self.counts["created"] += self.stage.write(rows, must_be_new=must_be_new)

    @staticmethod
    def _seal_rolls(rows: list[list]) -> None:
        """Every new worker's union roll (decision 0009), sealed in its staging row, an empty one too: the row's
        membership from its date through the row's employer's union, with an id from the counter (the ids are
        drawn at the commit, in the commit's transaction, like the workers')."""
        ids = iter(next_membership_ids(sum(row[MEMBERSHIP_FROM] is not None for row in rows)))

        def roll(joined: str | datetime.date | None, employer_id: int) -> str:
            if joined is None:
                return empty_roll()
            start = datetime.date.fromisoformat(joined) if isinstance(joined, str) else joined
            return encode_roll([RollEntry(next(ids), employer_id, start, None)])

        plaintexts = [roll(row[MEMBERSHIP_FROM], row[EMPLOYER]) for row in rows]
        for row, token in zip(rows, seal_rolls(plaintexts), strict=True):
            row[ROLL] = token

    # ------------------------------------------------------------------ existing workers, through the services

    def _spell_data(self, values: dict) -> dict:
        data = {key: value for key, value in values.items() if key != "occupation_id"}
        if "occupation_id" in values:
            data["occupation"] = self.occupations.get(values["occupation_id"])
        if "contract_type" in data:
            data["contract_type"] = data["contract_type"] or ""
        return data

    def _update(self, plan: RowPlan) -> None:
        worker, user = plan.worker, self.acting_user
        date = self.roster_import.roster_date
        if plan.worker_changes:
            services.update_worker(worker, plan.worker_changes, expected_version=None, acting_user=user,
                                   channel=CHANNEL, effective_on=date)
        if plan.spell_id is None:
            services.add_employment(worker, {"employer": plan.employer, **self._spell_data(plan.spell_values)},
                                    acting_user=user, channel=CHANNEL)
        elif plan.spell_changes:
            spell = EmploymentSpell.objects.get(pk=plan.spell_id)
            services.update_employment(spell, self._spell_data(plan.spell_changes), expected_version=None,
                                       acting_user=user, channel=CHANNEL)
        if plan.membership_from:
            services.start_union_membership(worker, plan.membership_from, employer=plan.employer, acting_user=user,
                                            channel=CHANNEL)
        if plan.certificate:
            certificate = dict(plan.certificate)
            certificate["occupation"] = self.occupations.get(certificate.pop("occupation_id"))
            certificate["level"] = self.levels[certificate.pop("level_id")]
            services.add_certificate(worker, certificate, acting_user=user, channel=CHANNEL)
        self.employer_ids.add(plan.employer.pk)
        self.counts["updated"] += 1
