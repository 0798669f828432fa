"""The roster's optional 岗位类别 column (issue 16 point 3): read under its usual headers and ways of writing,
refused with the row, column and a Chinese message when it says something else, and left unknown (never
front line) when the column or the cell is missing."""

from __future__ import annotations

import io

import openpyxl

from workforce.core.models import ChangeLogEntry
from workforce.imports import services
from workforce.imports.choices import ImportStatus, Severity
from workforce.imports.columns import ROSTER_COLUMNS
from workforce.imports.tests.test_everyday_rosters import HR_HEADER, check, csv_upload, person, problems
from workforce.imports.tests.test_workbooks import LETTER, validations_by_column
from workforce.imports.workbooks import build_roster_template
from workforce.registry.choices import PostCategory
from workforce.registry.models import EmploymentSpell, Worker

PEOPLE = (("王小明", "51040219850315123"), ("阿依古丽•买买提", "51040219900101234"), ("李䶮", "51040319950505121"))


def roster(header: str, values: list[str]):
    rows = [person(name, first17) + [value] for (name, first17), value in zip(PEOPLE, values, strict=True)]
    return csv_upload(rows, header=[*HR_HEADER, header])


def posts() -> dict[str, str]:
    """The post category of each roster person's spell (the personas' own workers left out)."""
    names = ["王小明", "阿依古丽·买买提", "李䶮"]
    return dict(EmploymentSpell.objects.filter(worker__name__in=names).values_list("worker__name", "post_category"))


def commit(upload, user):
    roster_import = check(upload, user)
    assert (roster_import.status, roster_import.counts["errors"]) == (ImportStatus.PREVIEW, 0), problems(roster_import)
    services.commit_roster_import(roster_import, acting_user=user)
    return roster_import


def test_the_labels_and_the_usual_ways_of_writing_them_are_read(personas):
    commit(roster("岗位类别", ["一线职工", "专业技术人员", "管理岗"]), personas.steel_hr)

    assert posts() == {"王小明": PostCategory.FRONT_LINE, "阿依古丽·买买提": PostCategory.TECHNICAL,
                       "李䶮": PostCategory.MANAGEMENT}


def test_the_column_is_found_under_its_other_headers(personas):
    commit(roster("人员类别", ["一线工人", "技术人员", "管理人员"]), personas.steel_hr)

    assert sorted(posts().values()) == sorted(PostCategory.values[1:])


def test_a_value_that_is_no_post_category_is_refused_on_its_row_and_column(personas):
    roster_import = check(roster("岗位类别", ["一线职工", "工段长", ""]), personas.steel_hr)

    found = problems(roster_import, Severity.ERROR)
    assert [(row, column) for row, column, _message in found] == [(3, "岗位类别")]
    assert found[0][2].startswith("“工段长”不是有效的岗位类别，可填：一线职工、专业技术人员、管理人员，也可写作 一线、")
    assert (roster_import.counts["errors"], roster_import.counts["create"]) == (1, 2)


def test_without_the_column_or_with_an_empty_cell_the_post_is_unknown_not_front_line(personas):
    commit(csv_upload([person(name, first17) for name, first17 in PEOPLE[:2]]), personas.steel_hr)
    commit(roster("岗位类别", ["", "", "一线职工"]), personas.steel_hr)

    assert posts() == {"王小明": "", "阿依古丽·买买提": "", "李䶮": PostCategory.FRONT_LINE}


def test_a_later_roster_without_the_post_keeps_it_and_one_with_it_changes_it_in_the_change_log(personas):
    commit(roster("岗位类别", ["一线职工", "一线职工", "一线职工"]), personas.steel_hr)
    # The same roster without the column says nothing of the posts: nothing to import.
    assert check(csv_upload([person(name, first17) for name, first17 in PEOPLE]), personas.steel_hr).is_unchanged

    commit(roster("岗位类别", ["管理人员", "", "一线职工"]), personas.steel_hr)

    assert posts() == {"王小明": PostCategory.MANAGEMENT, "阿依古丽·买买提": PostCategory.FRONT_LINE,
                       "李䶮": PostCategory.FRONT_LINE}
    assert spell_changes(Worker.objects.get(name="王小明").spells.get())[-1] == {"post_category": "management"}


def spell_changes(spell) -> list[dict]:
    return [entry.after for entry in ChangeLogEntry.objects.filter(
        content_type__model="employmentspell", object_id=spell.pk).order_by("id")]


def test_the_template_has_the_column_with_its_drop_down_and_example(db):
    output = io.BytesIO()
    build_roster_template(output, employer_name="攀钢集团有限公司")
    output.seek(0)
    sheet = openpyxl.load_workbook(output)["花名册"]

    column = next(column for column in ROSTER_COLUMNS if column.key == "post_category")
    assert sheet[f"{LETTER['post_category']}1"].value == "岗位类别"
    assert sheet[f"{LETTER['post_category']}2"].value == "一线职工"
    validation, _cells = validations_by_column(sheet)[LETTER["post_category"]]
    assert validation.formula1 == '"一线职工,专业技术人员,管理人员"'
    assert "不计入一线职工" in column.help
