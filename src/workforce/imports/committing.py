"""Writing a planned roster into the registry, inside the caller's transaction.

New workers (most rows of a first upload) are written set-based (``staging``) with the same values the
registry's services would store, and one change-log row each naming the import and the file's row
(decision 0008); every other change goes through the registry's services one row at a time, so it obeys the
same rules and leaves the same trail, each of its rows also naming the import and row.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from workforce.core.bulk import reserve_ids
from workforce.core.changelog import changes_from
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.imports.choices import RowAction
from workforce.imports.models import RosterImport
from workforce.imports.planning import RowPlan
from workforce.imports.staging import NewWorkerStage
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind, PoliticalStatus
from workforce.registry.models import Employer, EmploymentSpell, Worker
from workforce.registry.services.facts import summarise, today

CHANNEL = Channel.IMPORT


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
        self.employer_places: dict[int, dict] = {}  # pk -> district and industry section, for summary columns
        self.today = today()

    def apply(self, plans: list[RowPlan], *, must_be_new: bool = False) -> None:
        """Write a batch of plans; rows with errors must have been refused before (the caller checks).
        With ``must_be_new``, raise ``StalePlan`` if a planned new worker or certificate has been
        registered since the plan was made."""
        assert not any(plan.action == RowAction.ERROR for plan in plans), "a plan with errors cannot be written"
        unknown = {plan.employer.pk for plan in plans if plan.employer is not None} - self.employer_places.keys()
        self.employer_places |= {row["id"]: row for row in Employer.objects.filter(pk__in=unknown).values(
            "id", "district_id", "industry__section")}
        self._create_workers([plan for plan in plans if plan.action == RowAction.CREATE], must_be_new=must_be_new)
        for plan in plans:
            if plan.action == RowAction.UPDATE:
                with changes_from(self.roster_import, plan.number):
                    self._update(plan)
            elif plan.action == RowAction.UNCHANGED:
                self.counts["unchanged"] += 1

    # ------------------------------------------------------------------ new workers, set-based

    def _create_workers(self, plans: list[RowPlan], *, must_be_new: bool) -> None:
        """Stage one row per new worker and let the database write the workers, spells, memberships,
        certificates and change-log rows from it (``staging``). The change log gets one row per worker
        naming the import and the file's row, which is kept: that row stands for everything the row
        created (decision 0008). No dated facts are written: the record's values hold until a change.
        With ``must_be_new``, raise ``StalePlan`` if one of them has been registered meanwhile."""
        if not plans:
            return
        for plan, pk in zip(plans, reserve_ids(Worker, len(plans)), strict=True):
            info, values, spell = plan.identity, plan.worker_values, plan.spell_values
            phone, certificate = values.get("phone") or "", plan.certificate or {}
            row = {
                "id": pk, "id_number": info.number, "id_number_hash": plan.id_hash,
                "id_number_masked": mask_id_number(info.number), "division_code": info.division_code,
                "birth_date": info.birth_date, "gender": info.gender, "name": values["name"], "phone": phone,
                "phone_hash": lookup_hash(phone) if phone else "", "phone_masked": mask_phone(phone) if phone else "",
                "hukou_type": values["hukou_type"], "education": values.get("education") or "",
                "political_status": values.get("political_status") or PoliticalStatus.MASSES,
                "new_employment_group": values.get("new_employment_group") or "",
                "employer_id": plan.employer.pk, "start_date": spell["start_date"],
                "occupation_id": spell.get("occupation_id"), "end_date": spell.get("end_date"),
                "is_contract_signed": bool(spell.get("is_contract_signed")),
                "contract_type": spell.get("contract_type") or "", "contract_start": spell.get("contract_start"),
                "contract_end": spell.get("contract_end"), "is_dispatched": bool(spell.get("is_dispatched")),
                "row_number": plan.number, "membership_from": plan.membership_from,
                "certificate_level_id": certificate.get("level_id"), "certificate_number": certificate.get("number"),
                "certificate_issuer": certificate.get("issuer"), "certificate_issued_on": certificate.get("issued_on"),
                "certificate_occupation_id": certificate.get("occupation_id"),
            }
            row |= self._summary(row["hukou_type"], row, plan)
            self.stage.add(row)
            self.employer_ids.add(plan.employer.pk)
        self.counts["created"] += self.stage.write(must_be_new=must_be_new)

    def _summary(self, hukou_type: str, spell: dict, plan: RowPlan) -> dict:
        """The summary columns of a new worker, as ``refresh_current_facts`` would compute them today."""
        day, place = self.today, self.employer_places[spell["employer_id"]]
        is_open = spell["start_date"] <= day and (spell["end_date"] is None or spell["end_date"] >= day)
        open_spells = [{"employer_id": spell["employer_id"], "occupation_id": spell["occupation_id"],
                        "is_contract_signed": spell["is_contract_signed"],
                        "employer__district_id": place["district_id"],
                        "employer__industry__section": place["industry__section"] or ""}] if is_open else []
        certificate = plan.certificate
        level = certificate["level_id"] if certificate and certificate["issued_on"] <= day else None
        fallback = None if is_open else place["district_id"]  # the district of their last employer
        return summarise(hukou_type, open_spells, level, bool(plan.membership_from and plan.membership_from <= day),
                         fallback)

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
