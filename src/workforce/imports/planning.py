"""Planning a roster import: what each row would create, update or leave unchanged, and its problems.

The planner applies the registry's own rules (``registry.services``: identity, spell dates, contracts)
row by row, and looks the batch up in the registry with a handful of queries, so a million-row roster
is checked in minutes. The same plan is made again inside the commit's transaction, so what is written
always matches the registry as it is then.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from workforce.accounts.choices import ScopeKind
from workforce.core.bulk import one_parameter
from workforce.core.encryption import lookup_hasher
from workforce.core.identifiers import IdentifierError, IdNumberInfo, mask_id_number, parse_uscc
from workforce.core.messages import deferred as _  # stored with each problem, translated when shown
from workforce.imports.choices import RowAction, Severity
from workforce.imports.columns import COLUMNS_BY_KEY
from workforce.imports.models import RosterSynonym
from workforce.imports.parsing import CellProblem, ParsedRow
from workforce.reference.models import Occupation
from workforce.registry.choices import CertificateKind
from workforce.registry.memberships import seen_entries
from workforce.registry.models import Certificate, Employer, EmploymentSpell, LabourContract, Worker
from workforce.registry.querysets import sees_own_spells_only
from workforce.registry.services.contracts import contract_data_of, contract_placement, said_contract
from workforce.registry.services.employment import CONTRACT_KEYS, spell_date_errors
from workforce.registry.services.workers import check_identity
from workforce.registry.union_roll import rolls_by_id

WORKER_FACT_KEYS = ("hukou_type", "education", "political_status", "new_employment_group")
SPELL_KEYS = ("occupation_id", "end_date", "is_contract_signed", "contract_type", "contract_start", "contract_end",
              "is_dispatched", "reported_skill_level", "post_category")
EXAMPLE_ID, EXAMPLE_NAME = COLUMNS_BY_KEY["id_number"].example, COLUMNS_BY_KEY["name"].example
OCCUPATION_CODE = re.compile(r"^(\d-\d{2}-\d{2}-\d{2})")
WORKER_ID = EmploymentSpell._meta.get_field("worker")  # the type of the worker keys looked up in one parameter
WORKING_AGE, ADULT_AGE, RETIREMENT_AGE = 16, 18, 65  # Labour Law art. 15; decision 0013
# Art. 15: literary, art and sports units (industry section R) and special crafts (division 24, 工艺美术)
# may employ under-16s with approval: there a young age is a warning, not an error.
MINORS_MAY_WORK_IN = ("R", "24")
MSG_POLITICAL_UNSTATED = _("政治面貌未填：按“未填报”登记，不计为群众，也不计入党员比例。")
FUTURE_HIRE_DAYS = 366  # a hire date this far beyond the roster date is a typo, not a planned hire



@dataclass(slots=True)
class RowPlan:
    """What one roster row would do. ``worker`` is the existing (survivor) worker, if any."""

    number: int
    action: str = RowAction.UNCHANGED
    identity: IdNumberInfo | None = None
    id_hash: str = ""
    worker: Worker | None = None
    worker_values: dict[str, Any] = field(default_factory=dict)
    worker_changes: dict[str, Any] = field(default_factory=dict)
    employer: Employer | None = None
    spell_values: dict[str, Any] = field(default_factory=dict)
    spell_id: int | None = None
    spell_changes: dict[str, Any] = field(default_factory=dict)
    membership_from: datetime.date | None = None
    certificate: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == Severity.ERROR for problem in self.problems)


class RosterPlanner:
    """Plans rows batch by batch for one upload; remembers the ID numbers seen so far in the file."""

    def __init__(self, *, user, headers: dict[str, str], roster_date: datetime.date, flag_namesakes: bool = True):
        self.user = user
        self.headers = headers
        self.roster_date = roster_date
        self.seen: dict[str, int] = {}  # ID hash -> first row number
        self.seen_certificates: dict[str, int] = {}  # certificate number -> first row number
        self.employers_by_uscc: dict[str, Employer | None] = {}
        self.own_employer: Employer | None = user.employer if user.scope_kind == ScopeKind.EMPLOYER else None
        occupations = list(Occupation.objects.values_list("code", "name"))
        self.occupation_codes = {code for code, _name in occupations}
        self.occupation_names = {name: code for code, name in occupations} | dict(  # and the administrator's
            RosterSynonym.objects.filter(column="occupation").values_list("text", "value"))
        self.occupations_by_text: dict[str, str] = {}  # cell text -> code, for the texts found
        self.matched_worker_ids: set[int] = set()
        self.flag_namesakes = flag_namesakes  # a preview flags likely duplicates; the commit needs not
        self.today = datetime.date.today()  # the latest birth date an ID number may hold (parse_id_number)
        self.latest_hire = roster_date + datetime.timedelta(days=FUTURE_HIRE_DAYS)
        self.hash = lookup_hasher()
        self.repeated: dict[str, list[int]] = {}  # ID hash -> rows after the first that repeat it
        self.people: dict[tuple, int] = {}  # (name, birth date) -> first row
        self.error_names: set[str] = set()  # names on rows with errors: a full-roster sync ends none of them
        self.error_hashes: set[str] = set()  # ID numbers on rows with errors, likewise
        self.missing_employer = 0  # rows without an employer's code (said once if it is every row)
        self.minors_allowed: dict[int, bool] = {}  # employer id -> may employ under-16s (art. 15)

    # ---------------------------------------------------------------- row rules (no queries)

    def _problem(self, plan: RowPlan, key: str, message: str, value: object = "", severity=Severity.ERROR):
        plan.problems.append(CellProblem(plan.number, self.headers.get(key, ""), str(value or "")[:200], message,
                                         severity))

    def _employer(self, plan: RowPlan, values: dict[str, Any]) -> Employer | None:
        given = values.get("employer_uscc")
        if self.own_employer is not None:
            if given and given != self.own_employer.uscc:
                try:
                    parse_uscc(given)
                except IdentifierError as error:
                    self._problem(plan, "employer_uscc", error.message, given)
                    return None
                self._problem(plan, "employer_uscc", _("只能导入本单位（%(name)s）的职工。") % {
                    "name": self.own_employer.name}, given)
                return None
            return self.own_employer
        if not given:
            self.missing_employer += 1
            self._problem(plan, "employer_uscc", _("请填写用人单位统一社会信用代码。"))
            return None
        if given not in self.employers_by_uscc:
            try:
                uscc = parse_uscc(given)
            except IdentifierError as error:
                self._problem(plan, "employer_uscc", error.message, given)
                return None
            self.employers_by_uscc[given] = Employer.objects.visible_to(self.user).filter(uscc=uscc).first()
        employer = self.employers_by_uscc[given]
        if employer is None:
            self._problem(plan, "employer_uscc", _("该用人单位未登记，或不在您的管辖范围内。"), given)
        return employer

    def _occupation(self, plan: RowPlan, text: object) -> str | None:
        if not text:
            return None
        code = self.occupations_by_text.get(text)
        if code is not None:
            return code
        written = str(text).strip()
        match = OCCUPATION_CODE.match(written)
        code = match.group(1) if match else self.occupation_names.get(written)
        if code not in self.occupation_codes:
            self._problem(plan, "occupation", _("职业代码或名称在《职业分类大典》中找不到。"), written)
            return None
        if len(self.occupations_by_text) < 50_000:
            self.occupations_by_text[text] = code
        return code

    def check_row(self, row: ParsedRow) -> RowPlan:
        """Apply the rules that need no database: identity, phone, employer, codes, dates, contract."""
        plan = RowPlan(number=row.number, problems=list(row.problems))
        values = row.values
        if values.get("id_number") == EXAMPLE_ID and values.get("name") == EXAMPLE_NAME:
            self._problem(plan, "id_number", _("这是模板中的示例行，请删除后重新上传。"), EXAMPLE_ID)
            return plan
        if values.get("id_number"):
            info, errors = check_identity(values["id_number"], values.get("birth_date"), values.get("gender"),
                                          today=self.today)
            for key, message in errors.items():
                self._problem(plan, key if key in self.headers else "id_number", message,
                              row.raw.get(key) or row.raw.get("id_number"))
            if info is not None:
                plan.identity = info
                plan.id_hash = self.hash(info.number)
                for warning in info.warnings:
                    self._problem(plan, "id_number", warning, info.number[:6], Severity.WARNING)
                if info.was_upgraded:
                    self._problem(plan, "id_number", _("15 位身份证号码已按国家标准升级为 18 位后登记：%(number)s。")
                                  % {"number": mask_id_number(info.number)}, "", Severity.NOTICE)
                first = self.seen.setdefault(plan.id_hash, row.number)
                if first != row.number:  # every row of the group is flagged: the first one at the end (flag_repeats)
                    self.repeated.setdefault(plan.id_hash, []).append(row.number)
                    self._problem(plan, "id_number", _("与第 %(row)d 行的身份证号码重复，请核实保留哪一行。") % {
                        "row": first}, "")
                elif self.flag_namesakes and values.get("name"):
                    person = (values["name"], info.birth_date)
                    earlier = self.people.setdefault(person, row.number)
                    if earlier != row.number:
                        self._problem(plan, "name", _(
                            "与第 %(row)d 行姓名、出生日期相同而身份证号码不同，疑似重复，请核实。") % {
                            "row": earlier}, values["name"], Severity.WARNING)
        phone = values.get("phone")  # already normalize_phone's, or refused, by parsing.normalize_phone_cell
        plan.worker_values = {"name": values.get("name"), "phone": phone or ""} | {
            key: values[key] for key in WORKER_FACT_KEYS if key in values and values[key] is not None}
        plan.employer = self._employer(plan, values)
        # An empty cell says nothing: it neither clears nor sets what the registry holds.
        plan.spell_values = {key: values[key] for key in ("start_date", "end_date", "is_contract_signed",
                                                          "contract_type", "contract_start", "contract_end",
                                                          "is_dispatched", "post_category")
                             if values.get(key) is not None}
        if values.get("occupation"):
            plan.spell_values["occupation_id"] = self._occupation(plan, values["occupation"])
        for key, message in spell_date_errors(plan.spell_values, details_known=False).items():
            self._problem(plan, key, message, row.raw.get(key))
        spell = plan.spell_values
        if spell.get("is_contract_signed") and not (spell.get("contract_type") and spell.get("contract_start")):
            unknown = [self.headers.get(key) or COLUMNS_BY_KEY[key].header
                       for key in ("contract_type", "contract_start") if not plan.spell_values.get(key)]
            if unknown:
                self._problem(plan, "is_contract_signed", _(
                    "已签劳动合同，未填写%(columns)s：按已签订登记，合同详情待补充。") % {
                    "columns": "、".join(unknown)}, "", Severity.WARNING)
        start = values.get("start_date")
        if start is not None and not (  # most rows: an adult under retirement age, hired by the roster's day
                plan.identity is not None and start <= self.roster_date
                and 19 <= start.year - plan.identity.birth_date.year <= 64):
            self._hire_date(plan, start)
        joined = values.get("union_joined_on")
        member = values.get("is_union_member")
        if joined:
            if member is False:
                self._problem(plan, "is_union_member", _("填写了入会日期，但“是否工会会员”为“否”，请核对。"),
                              row.raw.get("is_union_member"))
            elif joined > self.roster_date:
                self._problem(plan, "union_joined_on", _("入会日期不能晚于花名册日期。"),
                              row.raw.get("union_joined_on"))
            else:
                plan.membership_from = joined
        elif member:
            # A member on the roster's day, joined on a day the roster does not say (decision 0013).
            plan.membership_from = self.roster_date
        self._certificate(plan, row)
        if plan.problems and plan.has_errors:
            if plan.id_hash:
                self.error_hashes.add(plan.id_hash)
            if values.get("name"):
                self.error_names.add(values["name"])
        return plan

    def _hire_date(self, plan: RowPlan, start: datetime.date) -> None:
        """Hire dates that cannot be true are errors (before the legal working age, or far beyond the
        roster's day); unusual ones are warnings (a minor, past retirement age, a hire still to come).
        The caller skips the usual adult hired by the roster's day."""
        info = plan.identity
        if start > self.latest_hire:
            self._problem(plan, "start_date", _("入职日期比花名册日期晚一年以上，请核对。"), start)
            return
        if start > self.roster_date:
            self._problem(plan, "start_date", _("入职日期晚于花名册日期（尚未入职）。"), start, Severity.WARNING)
        if info is None:
            return
        birth = info.birth_date
        age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
        if age < WORKING_AGE:
            if age < 0 or not (plan.employer is not None and self._minors_allowed(plan.employer)):
                self._problem(plan, "start_date", _(
                    "入职时未满 16 周岁（%(age)d 岁）：不得招用未满 16 周岁的未成年人，请核对入职日期。") % {
                    "age": max(age, 0)}, start)
            else:
                self._problem(plan, "start_date", _(
                    "入职时未满 16 周岁：文艺、体育和特种工艺单位须经批准方可招用，请核实。"), start, Severity.WARNING)
        elif age < ADULT_AGE:
            self._problem(plan, "start_date", _("入职时未满 18 周岁（未成年工），请核实并落实特殊保护。"), start,
                          Severity.WARNING)
        elif age >= RETIREMENT_AGE:
            self._problem(plan, "start_date", _("入职时已满 %(age)d 周岁，请核对入职日期。") % {"age": age}, start,
                          Severity.WARNING)

    def _minors_allowed(self, employer: Employer) -> bool:
        if employer.pk not in self.minors_allowed:
            section, code = Employer.objects.filter(pk=employer.pk).values_list(
                "industry__section", "industry__code").get()
            self.minors_allowed[employer.pk] = section in MINORS_MAY_WORK_IN or str(code).startswith("24")
        return self.minors_allowed[employer.pk]

    def repeat_problems(self) -> list[CellProblem]:
        """The first row of every group of rows sharing an ID number, flagged once the whole file is read:
        which row is right is the uploader's call, so none of them is imported."""
        header = self.headers.get("id_number", "")
        return [CellProblem(self.seen[id_hash], header, "", (_(
            "第 %(rows)s 等行的身份证号码与本行重复，请核实保留哪一行。") if len(rows) > 10 else _(
            "第 %(rows)s 行的身份证号码与本行重复，请核实保留哪一行。")) % {"rows": "、".join(map(str, rows[:10]))})
            for id_hash, rows in self.repeated.items()]

    def _certificate(self, plan: RowPlan, row: ParsedRow) -> None:
        values = row.values
        keys = ("skill_level", "certificate_number", "certificate_issuer", "certificate_issued_on")
        if not (values.get("skill_level") or values.get("certificate_number") or values.get("certificate_issuer")
                or values.get("certificate_issued_on")):
            return
        if values.get("skill_level") and not any(values.get(key) for key in keys[1:]):
            # A level the employer reports, without a certificate: kept on the spell, unverified (0013).
            plan.spell_values["reported_skill_level"] = values["skill_level"]
            return
        missing = [key for key in keys if not values.get(key)]
        for key in missing:
            if row.raw.get(key):
                continue  # written, but with an error of its own (already reported)
            self._problem(plan, key, _("登记技能证书须同时填写技能等级、证书编号、发证机构和发证日期。"))
        if not missing:
            number = str(values["certificate_number"])
            first = self.seen_certificates.setdefault(number, row.number)
            if first != row.number:  # two people cannot hold one certificate
                self._problem(plan, "certificate_number", _("与第 %(row)d 行的证书编号重复。") % {"row": first},
                              row.raw.get("certificate_number"))
                return
            plan.certificate = {"kind": CertificateKind.SKILL_LEVEL, "level_id": values["skill_level"],
                                "number": str(values["certificate_number"]),
                                "issuer": str(values["certificate_issuer"]),
                                "issued_on": values["certificate_issued_on"],
                                "occupation_id": plan.spell_values.get("occupation_id")}

    # ---------------------------------------------------------------- batch against the registry

    def plan(self, rows: list[ParsedRow]) -> list[RowPlan]:
        """Plan a batch: rules first, then a few queries to compare the valid rows with the registry."""
        plans = [self.check_row(row) for row in rows]
        ready = [plan for plan in plans if plan.identity is not None and not (plan.problems and plan.has_errors)]
        existing = self._existing_workers({plan.id_hash for plan in ready})
        worker_ids = [worker.pk for worker in existing.values()]
        spells: dict[int, list[dict]] = {}
        for spell in EmploymentSpell.objects.filter(worker_id__in=one_parameter(WORKER_ID, worker_ids)).values(
                "id", "worker_id", "employer_id", "start_date", *SPELL_KEYS):
            spells.setdefault(spell["worker_id"], []).append(spell)
        memberships: dict[int, list[tuple]] = {}
        # Only the memberships the uploader may see (HR: their own enterprise's union) decide whether a row's
        # membership is new: one elsewhere must neither block it nor, by the row's action, reveal itself.
        # The rolls are sealed (decision 0009): the batch's, read in one query and decrypted in bulk.
        for worker_id, roll in rolls_by_id(worker_ids).items():
            memberships[worker_id] = [(entry.valid_from, entry.valid_to) for entry in seen_entries(roll, self.user)]
        numbers = [plan.certificate["number"] for plan in ready if plan.certificate]
        certificates = dict(Certificate.objects.filter(
            kind=CertificateKind.SKILL_LEVEL, number__in=one_parameter(Certificate._meta.get_field("number"), numbers))
            .values_list("number", "worker_id"))
        new = [plan for plan in ready if plan.id_hash not in existing]
        namesakes = self._namesakes(new) if self.flag_namesakes else set()
        for plan in ready:
            worker = existing.get(plan.id_hash)
            if worker is None:
                self._plan_new(plan, namesakes, certificates)
            else:
                self._plan_existing(plan, worker, spells.get(worker.pk, []), memberships.get(worker.pk, []),
                                    certificates)
        for plan in plans:
            if plan.problems and plan.has_errors:
                plan.action = RowAction.ERROR
        return plans

    def _namesakes(self, plans: list[RowPlan]) -> set[tuple]:
        """(name, birth date) pairs of registered workers that new rows share: likely duplicates."""
        wanted = {(plan.worker_values["name"], plan.identity.birth_date) for plan in plans}
        names = {name for name, _birth in wanted}  # the name index answers; birth dates are compared here
        # Within the uploader's scope: a namesake elsewhere is not theirs to learn of (issue 13).
        found = set(Worker.objects.visible_to(self.user).filter(
            name__in=one_parameter(Worker._meta.get_field("name"), names)).values_list("name", "birth_date"))
        return found & wanted

    def _existing_workers(self, hashes: set[str]) -> dict[str, Worker]:
        workers = {worker.id_number_hash: worker for worker in Worker.objects.filter(
            id_number_hash__in=one_parameter(Worker._meta.get_field("id_number_hash"), hashes))
            .defer("id_number", "phone", "union_roll")}
        for id_hash, worker in list(workers.items()):
            while not worker.is_active and worker.merged_into_id:  # a merged record answers for its survivor
                worker = Worker.objects.defer("id_number", "phone", "union_roll").get(pk=worker.merged_into_id)
            workers[id_hash] = worker
        return workers

    def _plan_new(self, plan: RowPlan, namesakes: set, certificates: dict) -> None:
        plan.action = RowAction.CREATE
        if "political_status" in self.headers and not plan.worker_values.get("political_status"):
            # Registered as not stated, never as 群众 (issue 15); a missing column is said once for the file.
            self._problem(plan, "political_status", MSG_POLITICAL_UNSTATED, "", Severity.NOTICE)
        if (plan.worker_values["name"], plan.identity.birth_date) in namesakes:
            plan.notes.append(_("登记库中已有同名且出生日期相同的职工（身份证号码不同），导入后请在“疑似重复”中核实。"))
        if plan.certificate and plan.certificate["number"] in certificates:
            self._problem(plan, "certificate_number", _("该证书编号已登记在其他职工名下。"), plan.certificate["number"])
            plan.action = RowAction.ERROR

    def _contract_fits(self, plan: RowPlan, spell: dict) -> bool:
        """What the row says of an existing spell's contract, as the contract services would take it (decision
        0020): a contract is added (a renewal, a change) or corrected, never cleared. "Not signed" on a spell with
        contracts changes nothing, with a warning; a contract that would overlap an earlier one is the row's
        error. Reads the spell's contracts for the rows that change them only (few on an everyday roster)."""
        changes = plan.spell_changes
        if not any(key in changes for key in CONTRACT_KEYS):
            return True
        if changes.get("is_contract_signed") is False and spell.get("is_contract_signed"):
            for key in CONTRACT_KEYS:
                changes.pop(key, None)
            self._problem(plan, "is_contract_signed", _(
                "花名册填写未签劳动合同，但该就业记录已登记劳动合同：合同记录只增不改，未作更改。"), "",
                Severity.WARNING)
            return True
        said = said_contract(spell, changes)
        data = contract_data_of(said)
        if data is None or data["start_date"] is None:
            return True
        spell_row = EmploymentSpell(pk=spell["id"], start_date=spell["start_date"], end_date=changes.get(
            "end_date", spell["end_date"]))
        try:
            contract_placement(spell_row, data, list(LabourContract.objects.filter(spell_id=spell["id"])))
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self._problem(plan, "contract_start" if key == "start_date" else "contract_end", " ".join(messages),
                              data.get(key))
            return False
        return True

    def _plan_existing(self, plan: RowPlan, worker: Worker, spells: list[dict], memberships: list[tuple],
                       certificates: dict) -> None:
        plan.worker = worker
        self.matched_worker_ids.add(worker.pk)
        if plan.worker_values["name"] != worker.name:
            self._problem(plan, "name", _("姓名与身份证号码不符，请核对居民身份证。"),
                          plan.worker_values["name"])
            return
        for key in WORKER_FACT_KEYS:
            if key in plan.worker_values and plan.worker_values[key] != getattr(worker, key):
                plan.worker_changes[key] = plan.worker_values[key]
        phone = plan.worker_values["phone"]
        if phone and self.hash(phone) != worker.phone_hash:
            plan.worker_changes["phone"] = phone
        here = [spell for spell in spells if spell["employer_id"] == plan.employer.pk]
        start = plan.spell_values.get("start_date")
        same = next((spell for spell in here if spell["start_date"] == start), None) or next(
            (spell for spell in here if spell["end_date"] is None), None)
        if same is None:
            end = plan.spell_values.get("end_date") or datetime.date.max
            if any(spell["start_date"] <= end and (spell["end_date"] is None or spell["end_date"] >= start)
                   for spell in here):
                self._problem(plan, "start_date", _("该职工在本单位已有时间重叠的就业记录。"), start)
                return
            plan.spell_id = None
        else:
            plan.spell_id = same["id"]
            plan.spell_changes = {key: value for key, value in plan.spell_values.items()
                                  if key != "start_date" and same.get(key) != value}
            if plan.spell_changes.get("contract_type") == "" and not same.get("contract_type"):
                plan.spell_changes.pop("contract_type")
            if not self._contract_fits(plan, same):
                return
        elsewhere = {spell["employer_id"] for spell in spells if spell["end_date"] is None
                     and spell["employer_id"] != plan.employer.pk}
        if elsewhere and not sees_own_spells_only(self.user):  # HR never learns of jobs elsewhere (decision 0002)
            plan.notes.append(_("该职工同时在其他 %(n)d 家单位有在职记录。") % {"n": len(elsewhere)})
        joined = plan.membership_from
        if joined and any(end is None or begin <= joined <= end for begin, end in memberships):
            plan.membership_from = None  # a member on that day already, or still a member
        if plan.certificate:
            owner = certificates.get(plan.certificate["number"])
            if owner is not None and owner != worker.pk:
                self._problem(plan, "certificate_number", _("该证书编号已登记在其他职工名下。"),
                              plan.certificate["number"])
                return
            if owner == worker.pk:
                plan.certificate = None
        changed = (plan.worker_changes or plan.spell_id is None or plan.spell_changes or plan.membership_from
                   or plan.certificate)
        plan.action = RowAction.UPDATE if changed else RowAction.UNCHANGED
