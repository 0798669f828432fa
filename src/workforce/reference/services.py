"""Loading and editing reference data."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from workforce.core.changelog import record_update, save_versioned, snapshot
from workforce.core.choices import Channel
from workforce.reference.models import Division, Industry, Occupation, SkillLevel

if TYPE_CHECKING:
    from workforce.accounts.models import User

DATA_DIR = Path(__file__).resolve().parent / "data"

# Panzhihua's five county-level divisions, the districts every scope and breakdown uses.
PANZHIHUA_CODE = "510400"
PANZHIHUA_DISTRICTS = {
    "510402": "东区",
    "510403": "西区",
    "510411": "仁和区",
    "510421": "米易县",
    "510422": "盐边县",
}


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Insert the rows of the bundled CSV files that are missing; idempotent.

    Rows already present are left alone, so running ``workforce setup`` again never undoes the city
    administrator's edits. Returns the number of rows in each table afterwards.
    """
    divisions = list(_rows("admin_divisions.csv")) + list(_rows("panzhihua_townships.csv"))
    for row in divisions:  # parents come before children in both files
        Division.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent_code"] or None},
        )
    Occupation.objects.bulk_create(
        [
            Occupation(code=row["code"], name=row["name"], major_group=int(row["major_group"]),
                       edition=row["edition"])
            for row in _rows("occupations.csv")
        ],
        ignore_conflicts=True,
    )
    for row in _rows("skill_levels.csv"):
        SkillLevel.objects.get_or_create(
            level=int(row["level"]),
            defaults={
                "label": row["label_cn"], "grade": row["grade_cn"], "title": row["title_cn"],
                "name_en": row["name_en"], "is_high_skilled": row["is_high_skilled"] == "true",
            },
        )
    section = ""
    industries = []
    for row in _rows("industries_full.csv"):
        if row["level"] == "section":
            section = row["code"]
        industries.append(Industry(code=row["code"], name=row["name"], level=row["level"],
                                   parent_id=row["parent"] or None, section=section))
    Industry.objects.bulk_create(industries, ignore_conflicts=True)
    return {
        "divisions": Division.objects.count(), "occupations": Occupation.objects.count(),
        "skill_levels": SkillLevel.objects.count(), "industries": Industry.objects.count(),
    }


@transaction.atomic
def update_reference_record(record: models.Model, changes: dict[str, Any], *,
                            expected_version: int, acting_user: User | None,
                            channel: Channel = Channel.PAGE) -> models.Model:
    """Edit a reference row (city administrator only; checked by the caller's permission), logged."""
    before = snapshot(record)
    for field, value in changes.items():
        setattr(record, field, value)
    record.full_clean()
    save_versioned(record, expected_version=expected_version)
    record_update(record, before, acting_user=acting_user, channel=channel)
    return record
