"""Checking and committing rosters through the services: preview, atomic commit, idempotence, sync."""

from __future__ import annotations

import csv
import datetime
import io
import os
import time

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.conftest import hire
from workforce.core.choices import Channel
from workforce.core.encryption import decrypt
from workforce.core.identifiers import id_check_digit
from workforce.core.models import ChangeLogEntry
from workforce.imports import services, spill
from workforce.imports.choices import ImportMode, ImportStatus
from workforce.imports.committing import NewWorkerRows
from workforce.imports.models import ImportProblem, RosterImport
from workforce.imports.parsing import CellProblem, ParsedRow
from workforce.imports.staging import NAMES
from workforce.registry import services as registry_services
from workforce.registry.memberships import is_member, memberships_of
from workforce.registry.models import Employer, EmploymentSpell, Worker
from workforce.registry.services import facts
from workforce.registry.services.facts import is_migrant_now

HEADER = ["姓名", "公民身份号码", "手机号码", "户口性质", "职业", "入职日期", "是否签订劳动合同", "劳动合同类型",
          "劳动合同起始日期", "劳动合同终止日期", "入会日期"]


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def roster(rows: list[list[str]], header=HEADER, encoding="utf-8-sig", name="roster.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


ROWS = [
    ["王五", id_number("51040219850315123"), "13912345678", "农村户口", "6-17-02-02", "2020-01-01", "是", "固定期限",
     "2020-01-01", "2025-12-31", "2020-02-01"],
    ["赵六", id_number("51040219900101234"), "", "城镇户口", "炼钢工", "2021/3/1", "是", "无固定期限", "2021年3月1日",
     "", ""],
]


def chinese_name(n: int) -> str:
    """工人七, 工人一四九: names stay names (no digits) however many rows a test needs."""
    return "工人" + "".join("零一二三四五六七八九"[int(digit)] for digit in str(n))


def check(upload, user, **options):
    return services.check_roster_import(services.create_roster_import(upload, user=user, **options))


def test_hr_previews_and_commits_a_roster_of_new_workers(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)

    assert roster_import.status == ImportStatus.PREVIEW
    assert roster_import.counts | {} == roster_import.counts
    assert (roster_import.counts["rows"], roster_import.counts["create"], roster_import.counts["errors"]) == (2, 2, 0)
    assert not Worker.objects.filter(name="王五").exists()  # a preview writes nothing

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    wang = Worker.objects.get(name="王五")
    assert roster_import.status == ImportStatus.COMMITTED
    assert (wang.current_employer, is_migrant_now(wang), is_member(wang), wang.has_signed_contract) == (
        personas.steel, True, True, True)
    assert wang.phone == "13912345678" and wang.current_occupation_id == "6-17-02-02"
    zhao = Worker.objects.get(name="赵六")
    assert zhao.spells.get().contract_start == datetime.date(2021, 3, 1)
    assert ChangeLogEntry.objects.filter(object_id=str(wang.pk), channel="import", action="create").exists()
    personas.steel.refresh_from_db()
    assert personas.steel.headcount == 3


def test_new_workers_are_written_with_the_summary_columns_the_registry_would_compute(personas):
    header = [*HEADER, "离职日期", "技能等级", "证书编号", "发证机构", "发证日期"]
    rows = [[*ROWS[0], "", "三级", "S-1", "攀枝花市人社局", "2021-05-01"],
            [*ROWS[1], "2022-06-30", "", "", "", ""],  # left: no employer now, the district stays
            ["张三", id_number("51040319950505121"), "", "农村户口", "", "2023-01-01", "否", "", "", "", "2099-01-01",
             "", "二级", "S-2", "攀枝花市人社局", "2099-01-01"]]  # joining and certified in the future: not yet
    roster_import = check(roster(rows, header=header), personas.steel_hr, roster_date=datetime.date(2099, 12, 31))
    assert roster_import.counts["create"] == 3, list(ImportProblem.objects.values_list("row", "column", "message"))

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    workers = Worker.objects.filter(name__in=["王五", "赵六", "张三"])
    written = {worker.pk: [getattr(worker, name) for name in facts.SUMMARY_FIELDS] for worker in workers}
    assert facts.refresh_current_facts_of(written) == 0
    assert written == {worker.pk: [getattr(worker, name) for name in facts.SUMMARY_FIELDS] for worker in workers}
    assert sorted(value[3] for value in written.values() if value[3]) == [3]  # the future certificate is not yet


def test_the_commit_writes_the_checked_plan_without_reading_the_file_again(personas, monkeypatch):
    roster_import = check(roster(ROWS), personas.steel_hr)
    assert spill.spill_path(roster_import).exists()
    monkeypatch.setattr(services, "open_roster", lambda *args: pytest.fail("the file was read again"))

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    assert roster_import.status == ImportStatus.COMMITTED
    assert Worker.objects.filter(name__in=["王五", "赵六"]).count() == 2
    assert not spill.spill_path(roster_import).exists()


def test_a_worker_registered_between_check_and_commit_is_updated_not_duplicated(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)
    registry_services.register_worker({"id_number": ROWS[1][1], "name": "赵六", "hukou_type": "urban"},
                                      acting_user=None, channel=Channel.SYSTEM)

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    assert roster_import.status == ImportStatus.COMMITTED
    assert Worker.objects.filter(name="赵六").count() == 1
    assert Worker.objects.get(name="赵六").current_employer == personas.steel
    assert Worker.objects.filter(name="王五").exists()


def test_an_altered_or_missing_plan_is_not_trusted_the_file_is_planned_again(personas):
    altered = check(roster(ROWS), personas.steel_hr)
    path = spill.spill_path(altered)
    path.write_bytes(path.read_bytes()[:-5] + b"xxxxx")

    services.commit_roster_import(altered, acting_user=personas.steel_hr)

    assert altered.status == ImportStatus.COMMITTED
    assert Worker.objects.filter(name__in=["王五", "赵六"]).count() == 2


def _counting_replans(monkeypatch) -> list[int]:
    """A list that gets the pk of every import whose commit plans the whole file again."""
    replans = []
    replan = services._write_replanned

    def counting(roster_import, acting_user):
        replans.append(roster_import.pk)
        return replan(roster_import, acting_user)

    monkeypatch.setattr(services, "_write_replanned", counting)
    return replans


def test_a_plan_checked_on_another_day_is_planned_again_for_the_day_of_the_commit(personas, monkeypatch,
                                                                                   time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 4, tzinfo=datetime.UTC))  # noon in Panzhihua
    roster_import = check(roster([[*ROWS[0], "2026-03-01"]], header=[*HEADER, "离职日期"]), personas.steel_hr)
    time_machine.move_to(datetime.datetime(2026, 3, 2, 4, tzinfo=datetime.UTC))  # the spell ended yesterday
    replans = _counting_replans(monkeypatch)

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    wang = Worker.objects.get(name="王五")
    assert replans == [roster_import.pk]
    assert (wang.current_employer_id, wang.district_id) == (None, personas.steel.district_id)


def test_an_employer_moved_to_another_district_after_the_check_is_planned_again(personas, monkeypatch):
    roster_import = check(roster(ROWS), personas.steel_hr)
    Employer.objects.filter(pk=personas.steel.pk).update(district_id="510421")
    replans = _counting_replans(monkeypatch)

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    assert replans == [roster_import.pk]
    assert set(Worker.objects.filter(name__in=["王五", "赵六"]).values_list("district_id", flat=True)) == {"510421"}


def test_a_plan_sealed_before_a_key_rotation_is_planned_again_under_the_new_key(personas, monkeypatch, settings):
    roster_import = check(roster(ROWS), personas.steel_hr)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    replans = _counting_replans(monkeypatch)

    services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    assert replans == [roster_import.pk]
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key dropped: the new rows still read
    wang = Worker.objects.get(name="王五")
    assert (wang.id_number, wang.phone) == (ROWS[0][1], ROWS[0][2])


def test_a_checked_plan_keeps_id_numbers_and_phones_sealed(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)

    plan = spill.spill_path(roster_import).read_bytes()

    assert ROWS[0][1].encode() not in plan and ROWS[0][2].encode() not in plan and "王五".encode() not in plan
    _headers, frames = spill.read_spill(roster_import, facts.today())
    (staged, places, others), = frames
    assert [row[NAMES.index("name")] for row in staged] == ["王五", "赵六"] and others == []
    assert decrypt(staged[0][NAMES.index("id_number")]) == ROWS[0][1]
    assert decrypt(staged[0][NAMES.index("phone")]) == ROWS[0][2]
    assert places == {personas.steel.pk: (personas.steel.district_id, personas.steel.industry.section)}

def test_two_uploads_of_one_file_checked_before_either_commits_import_it_once(personas):
    first, second = check(roster(ROWS), personas.steel_hr), check(roster(ROWS), personas.steel_hr)

    services.commit_roster_import(first, acting_user=personas.steel_hr)
    services.commit_roster_import(second, acting_user=personas.steel_hr)

    assert (first.counts["committed"]["created"], second.counts["committed"]["created"]) == (2, 0)
    assert second.counts["committed"]["unchanged"] == 2
    assert Worker.objects.filter(name__in=["王五", "赵六"]).count() == 2


def test_plans_of_previews_left_for_days_are_removed_and_a_late_commit_still_works(personas):
    waiting, fresh = check(roster(ROWS[:1]), personas.steel_hr), check(roster(ROWS[1:]), personas.steel_hr)
    old = time.time() - spill.KEPT_FOR.total_seconds() - 60
    os.utime(spill.spill_path(waiting), (old, old))

    assert spill.remove_stale_spills() == 1

    assert not spill.spill_path(waiting).exists() and spill.spill_path(fresh).exists()
    services.commit_roster_import(waiting, acting_user=personas.steel_hr)
    assert waiting.status == ImportStatus.COMMITTED and Worker.objects.filter(name="王五").exists()


def test_a_roster_with_errors_keeps_the_plan_of_its_good_rows_only(personas, monkeypatch):
    planned = []
    rows = NewWorkerRows.rows
    monkeypatch.setattr(NewWorkerRows, "rows", lambda self, plans: planned.extend(p.number for p in plans) or rows(
        self, plans))
    bad = [["王五", "51040219850315123X", "", "农村户口", "6-17-02-02", "2020-01-01", "", "", "", "", ""], ROWS[1]]
    roster_import = check(roster(bad), personas.steel_hr)

    assert (roster_import.counts["errors"], roster_import.counts["create"]) == (1, 1)
    assert planned == [3] and spill.spill_path(roster_import).exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(personas):
    first = check(roster(ROWS), personas.steel_hr)
    services.commit_roster_import(first, acting_user=personas.steel_hr)
    log_rows = ChangeLogEntry.objects.count()

    second = check(roster(ROWS), personas.steel_hr)
    with pytest.raises(ValidationError) as refused:  # nothing to import: no 确认导入 (issue 15 point 1)
        services.commit_roster_import(second, acting_user=personas.steel_hr)

    assert refused.value.code == "unchanged"
    assert (second.counts["unchanged"], second.counts["create"], second.counts["update"]) == (2, 0, 0)
    assert second.status == "preview" and not second.can_commit
    assert ChangeLogEntry.objects.count() == log_rows
    assert Worker.objects.filter(name__in=["王五", "赵六"]).count() == 2


def test_a_large_roster_imported_again_is_matched_row_by_row_in_one_query_each(personas):
    header = [*HEADER, "技能等级", "证书编号", "发证机构", "发证日期"]  # past 100 rows the look-ups take one parameter
    rows = [[chinese_name(n), id_number(f"51040219850315{n:03d}"), f"139{n:08d}", "农村户口", "6-17-02-02",
             "2020-01-01",
             "是", "固定期限", "2020-01-01", "2025-12-31", "2020-02-01", "三级", f"C-{n}", "攀枝花市人社局",
             "2021-05-01"] for n in range(150)]
    namesake = ["张三", id_number("51040219800101555"), *rows[0][2:11], "", "", "", ""]  # 张三's birth date
    first = check(roster([*rows, namesake], header=header), personas.steel_hr)
    services.commit_roster_import(first, acting_user=personas.steel_hr)
    rows[7][3] = "城镇户口"

    second = check(roster([*rows, namesake], header=header), personas.steel_hr)

    assert (first.counts["create"], first.counts["flagged"]) == (151, 1)
    assert (second.counts["unchanged"], second.counts["update"], second.counts["create"]) == (150, 1, 0)
    services.commit_roster_import(second, acting_user=personas.steel_hr)
    assert Worker.objects.get(name="工人七").hukou_type == "urban"
    assert Worker.objects.filter(name__startswith="工人").count() == 150

def test_every_problem_is_reported_with_row_column_value_and_message_and_blocks_the_commit(personas):
    bad = [["王五", "51040219850315123X", "", "农村户口", "6-17-02-02", "2020-01-01", "", "", "", "", ""],
           ["", id_number("51040219900101234"), "12345", "火星户口", "不存在的工种", "2021-13-01", "", "", "", "", ""]]
    roster_import = check(roster(bad), personas.steel_hr)

    problems = {(p.row, p.column): p.message for p in ImportProblem.objects.filter(roster_import=roster_import,
                                                                                   severity="error")}
    assert roster_import.counts["errors"] == 2
    assert problems[(2, "公民身份号码")].startswith("身份证号码校验码错误")
    assert (3, "姓名") in problems and (3, "手机号码") in problems and (3, "户口性质") in problems
    assert (3, "职业") in problems and (3, "入职日期") in problems
    with pytest.raises(ValidationError):
        services.commit_roster_import(roster_import, acting_user=personas.steel_hr)
    assert not Worker.objects.filter(name="王五").exists()


def test_hr_cannot_import_staff_of_another_employer(personas):
    header = [*HEADER, "用人单位统一社会信用代码"]
    row = [*ROWS[0], personas.small_firm.uscc]

    roster_import = check(roster([row], header=header), personas.steel_hr)

    assert roster_import.counts["errors"] == 1
    assert "只能导入本单位" in ImportProblem.objects.get(roster_import=roster_import, severity="error").message


def test_a_commit_interrupted_midway_leaves_nothing(personas, monkeypatch):
    roster_import = check(roster(ROWS), personas.steel_hr)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr("workforce.imports.services.refresh_headcounts_of", crash)  # the last step
    with pytest.raises(RuntimeError):
        services.commit_roster_import(roster_import, acting_user=personas.steel_hr)

    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.FAILED
    assert not Worker.objects.filter(name__in=["王五", "赵六"]).exists()
    assert not ChangeLogEntry.objects.filter(channel="import").exists()


def test_full_roster_sync_ends_the_spells_of_employees_missing_from_the_roster(personas):
    roster_import = check(roster(ROWS), personas.steel_hr, mode=ImportMode.SYNC,
                          roster_date=datetime.date(2026, 10, 31))

    assert roster_import.counts["end"] == 1  # 张三 is at steel and not on the roster
    with pytest.raises(ValidationError):
        services.commit_roster_import(roster_import, acting_user=personas.steel_hr)
    services.commit_roster_import(roster_import, acting_user=personas.steel_hr, confirm_sync=True)

    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)
    assert spell.end_date == datetime.date(2026, 10, 31)


def test_full_roster_sync_leaves_employments_that_start_after_the_roster_date(personas):
    starter = hire(personas.steel, "510402198506061216", "钱七", start=datetime.date(2026, 11, 15))

    roster_import = check(roster(ROWS), personas.steel_hr, mode=ImportMode.SYNC,
                          roster_date=datetime.date(2026, 10, 31))
    services.commit_roster_import(roster_import, acting_user=personas.steel_hr, confirm_sync=True)

    assert roster_import.counts["end"] == 1  # 张三 only: 钱七 starts after the roster's day
    assert starter.spells.get().end_date is None


def test_a_worker_employed_elsewhere_gets_a_second_spell_and_hr_is_not_told_of_the_first(personas):
    row = ["张三", "51040219800101123X", "", "城镇户口", "", "2024-06-01", "", "", "", "", ""]

    roster_import = check(roster([row]), personas.small_firm_hr)
    flags = ImportProblem.objects.filter(roster_import=roster_import, severity="warning")
    services.commit_roster_import(roster_import, acting_user=personas.small_firm_hr)

    assert (roster_import.status, roster_import.message) == (ImportStatus.COMMITTED, "")
    assert roster_import.counts["update"] == 1
    assert not any("其他 1 家单位" in flag.message for flag in flags)  # decision 0002: not the HR's to know
    assert EmploymentSpell.objects.filter(worker=personas.steel_worker, end_date__isnull=True).count() == 2
    assert memberships_of(personas.steel_worker) == []


def test_a_file_that_is_not_a_roster_is_refused_with_a_clear_message(personas):
    upload = SimpleUploadedFile("roster.xlsx", b"just some text, not a workbook")

    roster_import = check(upload, personas.steel_hr)

    assert roster_import.status == ImportStatus.REFUSED
    assert roster_import.message


def test_the_templates_example_row_left_in_the_file_is_refused(personas):
    from workforce.imports.columns import COLUMNS_BY_KEY

    example = [COLUMNS_BY_KEY["name"].example, COLUMNS_BY_KEY["id_number"].example, "", "农村户口", "", "2019-03-01",
               "", "", "", "", ""]

    roster_import = check(roster([example, ROWS[0]]), personas.steel_hr)

    problem = ImportProblem.objects.get(roster_import=roster_import, severity="error")
    assert (problem.row, problem.message) == (2, "这是模板中的示例行，请删除后重新上传。")


def test_one_certificate_number_on_two_rows_of_a_file_is_reported_not_left_to_the_database(personas):
    header = [*HEADER, "技能等级", "证书编号", "发证机构", "发证日期"]
    certificate = ["三级", "S2020-0001", "攀枝花市职业技能鉴定中心", "2020-06-01"]
    roster_import = check(roster([[*ROWS[0], *certificate], [*ROWS[1], *certificate]], header=header),
                          personas.steel_hr)
    problem = ImportProblem.objects.get(roster_import=roster_import, severity="error")
    assert (problem.row, problem.column, problem.value, problem.message) == (
        3, "证书编号", "S2020-0001", "与第 2 行的证书编号重复。")
    with pytest.raises(ValidationError):
        services.commit_roster_import(roster_import, acting_user=personas.steel_hr)
    assert not Worker.objects.filter(name__in=["王五", "赵六"]).exists()


def test_rows_about_registered_workers_come_back_from_the_plan_as_they_were_parsed(personas):
    roster_import = check(roster(ROWS), personas.steel_hr)
    row = ParsedRow(7, {"name": "张三", "start_date": datetime.date(2024, 6, 1)},
                    {"name": "张三", "start_date": "2024/6/1"}, [CellProblem(7, "职业", "焊工?", "请核实", "warning")])
    writer = spill.SpillWriter(roster_import, {"name": "姓名"}, facts.today())
    writer.add([], {}, [row])
    writer.close()

    headers, frames = spill.read_spill(roster_import, facts.today())

    assert (headers, list(frames)) == ({"name": "姓名"}, [([], {}, [row])])


# Issue 13: a preview tells an enterprise's HR nothing of the people's jobs or namesakes outside their scope.
def test_hr_preview_does_not_tell_of_a_job_elsewhere(personas):
    row = ["李梅", "510421199002023340", "", "农村户口", "6-17-02-02", "2024-01-01", "", "", "", "", ""]

    roster_import = check(roster([row]), personas.small_firm_hr)

    texts = list(ImportProblem.objects.filter(roster_import=roster_import).values_list("message", flat=True))
    assert (roster_import.counts["errors"], roster_import.counts["update"]) == (0, 1)
    assert [text for text in texts if "其他" in text] == []  # was: 该职工同时在其他 1 家单位有在职记录。


def test_hr_preview_does_not_flag_a_namesake_outside_their_scope(personas):
    namesake = ["张三", id_number("51040219800101555"), "", "城镇户口", "6-17-02-02", "2024-01-01", "", "", "", "",
                ""]  # 张三 of the steel works, born the same day, another ID number

    assert check(roster([namesake]), personas.small_firm_hr).counts["flagged"] == 0
    assert check(roster([namesake]), personas.steel_hr).counts["flagged"] == 1


def test_the_upload_limit_is_the_setting_read_at_each_upload(personas, settings):
    settings.IMPORT_MAX_BYTES = 1536 * 1024
    big = SimpleUploadedFile("roster.csv", b"x" * (2 * 1024 * 1024), content_type="text/csv")

    with pytest.raises(ValidationError) as refused:
        services.create_roster_import(big, user=personas.steel_hr)

    assert refused.value.message_dict == {"file": ["文件超过 1.5 MB 的上限，请拆分后分批上传。"]}
    assert not RosterImport.objects.exists()


def test_the_row_limit_is_the_setting_read_at_each_check(personas, settings):
    settings.IMPORT_MAX_ROWS = 1

    roster_import = check(roster(ROWS), personas.steel_hr)

    assert roster_import.status == ImportStatus.REFUSED
    assert roster_import.message == "数据行超过上限 1 行；请拆分为多个文件后分批上传"
