"""Set-based writing of a roster's new workers (decision 0008): one row per new worker goes into a
temporary staging table, and the database builds the workers (with their sealed union rolls, the record of
membership, decision 0009), their spells, certificates and change-log rows from it with ``INSERT … SELECT``.

Python only prepares each staging row (the sealed ID number and phone, the summary columns), once, in
the check (``committing.NewWorkerRows``; the spill keeps the rows); on PostgreSQL they arrive through
``COPY``. Every statement runs in the caller's transaction, so a commit killed at any moment leaves
nothing behind; the staging table is emptied after every batch.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

from workforce.core.models import ChangeLogEntry
from workforce.imports.spill import StalePlan
from workforce.registry.choices import ContractSource
from workforce.registry.models import Certificate, EmploymentSpell, LabourContract, Worker
from workforce.registry.services.facts import SUMMARY_FIELDS

STAGE = "import_stage"
WORKER_COLUMNS = ("id", "id_number", "id_number_hash", "id_number_masked", "division_code", "birth_date", "gender",
                  "name", "phone", "phone_hash", "phone_masked", "hukou_type", "education", "political_status",
                  "new_employment_group", "district_id", "current_employer_id", "current_industry_section",
                  "current_occupation_id", "current_skill_level", "has_signed_contract", "union_roll")
SUMMARY_COLUMNS = tuple(name for name in WORKER_COLUMNS if name in SUMMARY_FIELDS)  # in the stage's order
SPELL_COLUMNS = ("employer_id", "occupation_id", "start_date", "end_date", "is_contract_signed", "contract_type",
                 "contract_start", "contract_end", "is_dispatched", "reported_skill_level", "post_category")
OTHER_COLUMNS = (("row_number", ChangeLogEntry, "source_row"), ("membership_from", EmploymentSpell, "start_date"),
                 ("certificate_level_id", Certificate, "level_id"), ("certificate_number", Certificate, "number"),
                 ("certificate_issuer", Certificate, "issuer"), ("certificate_issued_on", Certificate, "issued_on"),
                 ("certificate_occupation_id", Certificate, "occupation_id"))


def _attribute(model: type[models.Model], attname: str) -> models.Field:
    return next(field for field in model._meta.concrete_fields if field.attname == attname)


# Each staging column with the model field whose column type it takes.
COLUMNS: tuple[tuple[str, models.Field], ...] = (
    *((name, _attribute(Worker, name)) for name in WORKER_COLUMNS),
    *((name, _attribute(EmploymentSpell, name)) for name in SPELL_COLUMNS),
    *((name, _attribute(model, attname)) for name, model, attname in OTHER_COLUMNS),
)
NAMES = tuple(name for name, _field in COLUMNS)
DATE_POSITIONS = tuple(position for position, (_name, field) in enumerate(COLUMNS) if type(field) is models.DateField)


def _column_type(field: models.Field) -> str:
    # A key's own type without its identity or autoincrement; a foreign key's is its target's.
    return field.rel_db_type(connection) if field.primary_key else field.db_type(connection)


EMPLOYER = NAMES.index("employer_id")
ROLL, MEMBERSHIP_FROM = NAMES.index("union_roll"), NAMES.index("membership_from")


class NewWorkerStage:
    """Writes batches of new workers for one import: ``write`` takes their staging rows (lists in
    ``NAMES`` order, as ``committing.NewWorkerRows`` makes them: fields sealed, dates as ISO
    text, ids reserved). ``log`` holds the change-log values shared by every row (user, channel,
    source import…), ``note`` the text around the row number."""

    def __init__(self, *, log: dict[str, object], note: tuple[str, str], certificate_kind: str):
        self.vendor = connection.vendor
        self.quote = connection.ops.quote_name
        self.log, self.note, self.certificate_kind = log, note, certificate_kind
        self.created = False

    def write(self, rows: list[list], *, must_be_new: bool) -> int:
        """Insert the staged rows into the registry; returns how many workers. With ``must_be_new``,
        raise ``StalePlan`` (writing nothing) if one of their ID numbers or certificate numbers has been
        registered since the batch was planned."""
        if not rows:
            return 0
        quoted = ", ".join(self.quote(name) for name in NAMES)
        with connection.cursor() as cursor:
            self._prepare_stage(cursor)
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {STAGE} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(NAMES))
                cursor.executemany(f"INSERT INTO {STAGE} ({quoted}) VALUES ({placeholders})", rows)  # noqa: S608
            if must_be_new and self._taken(cursor):
                raise StalePlan
            for sql, params in self._statements():
                cursor.execute(sql, params)
            cursor.execute(f"DELETE FROM {STAGE}")  # noqa: S608 - a constant name; sealed rows are not kept
        return len(rows)

    def _taken(self, cursor) -> bool:
        workers, certificates = (self.quote(model._meta.db_table) for model in (Worker, Certificate))
        cursor.execute(  # both lookups use the unique indexes
            f"SELECT 1 FROM {STAGE} s WHERE EXISTS (SELECT 1 FROM {workers} w "  # noqa: S608 - model names
            f"WHERE w.id_number_hash = s.id_number_hash) OR (s.certificate_number IS NOT NULL AND EXISTS "
            f"(SELECT 1 FROM {certificates} c WHERE c.kind = %s AND c.number = s.certificate_number)) LIMIT 1",
            [self.certificate_kind])
        return cursor.fetchone() is not None

    # ------------------------------------------------------------------ SQL

    def _prepare_stage(self, cursor) -> None:
        if self.created:
            return
        columns = ", ".join(f"{self.quote(name)} {_column_type(field)}" for name, field in COLUMNS)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        ending = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}){ending}")
        self.created = True

    def _insert_select(self, model: type[models.Model], sources: dict[str, tuple[str, list]],
                       where: str = "") -> tuple[str, list]:
        """``INSERT INTO`` the model's table ``SELECT`` from the stage: for each column the expression in
        ``sources`` (SQL and its parameters), else its default as a parameter; the id only if given."""
        now = timezone.now()
        columns, expressions, params = [], [], []
        for field in model._meta.concrete_fields:
            if field.primary_key and field.attname not in sources:
                continue
            columns.append(self.quote(field.column))
            if field.attname in sources:
                expression, values = sources[field.attname]
            else:
                auto = isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
                expression, values = "%s", [field.get_db_prep_save(now if auto else field.get_default(), connection)]
            expressions.append(expression)
            params += values
        sql = (f"INSERT INTO {self.quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - model names
               f"SELECT {', '.join(expressions)} FROM {STAGE} s {where} ORDER BY s.id")
        return sql, params

    def _statements(self) -> list[tuple[str, list]]:
        def staged(*names: str) -> dict[str, tuple[str, list]]:
            return {name: (f"s.{name}", []) for name in names}

        owner = {"worker_id": ("s.id", [])}
        certificate = owner | {"kind": ("%s", [self.certificate_kind]), "level_id": ("s.certificate_level_id", []),
                               "number": ("s.certificate_number", []), "issuer": ("s.certificate_issuer", []),
                               "issued_on": ("s.certificate_issued_on", []),
                               "occupation_id": ("s.certificate_occupation_id", [])}
        log = {name: ("%s", [value]) for name, value in self.log.items()} | {
            "object_id": ("CAST(s.id AS TEXT)", []),
            "object_repr": ("s.name || %s || s.id_number_masked || %s", ["（", "）"]),
            "note": ("%s || CAST(s.row_number AS TEXT) || %s", list(self.note)),
            "source_row": ("s.row_number", []),
        }
        return [
            self._insert_select(Worker, staged(*WORKER_COLUMNS)),
            self._insert_select(EmploymentSpell, owner | staged(*SPELL_COLUMNS)),
            # Each signed spell's contract, a record of its own (decision 0020): dates unknown when the row gave
            # no start date, never guessed.
            self._insert_select(LabourContract, {
                "spell_id": ("sp.id", []), "kind": ("s.contract_type", []),
                "dates_known": ("s.contract_start IS NOT NULL", []), "start_date": ("s.contract_start", []),
                "end_date": ("s.contract_end", []), "source": ("%s", [ContractSource.IMPORT]),
                "source_import": ("%s", [int(str(self.log["source_object_id"]))]),
                "source_row": ("s.row_number", [])},
                f"JOIN {self.quote(EmploymentSpell._meta.db_table)} sp ON sp.worker_id = s.id "
                "WHERE s.is_contract_signed"),
            self._insert_select(Certificate, certificate, "WHERE s.certificate_number IS NOT NULL"),
            self._insert_select(ChangeLogEntry, log),
        ]
