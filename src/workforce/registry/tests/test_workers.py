"""Registering, editing, locking and merging workers (MISSION.md capability 1: validated identity,
deduplication, dynamic management with full history)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.conftest import hire
from workforce.core.changelog import StaleRecordError
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.models import ChangeLogEntry
from workforce.reference.models import SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind, WorkerFactKind
from workforce.registry.memberships import is_member, memberships_of
from workforce.registry.models import Certificate, EmploymentSpell, Worker, WorkerFact
from workforce.registry.services.facts import is_migrant_now

SYSTEM = Channel.SYSTEM
# 510402 东区, born 1985-03-15, sequence 201 (odd: male), check digit 6.
WANG_ID = "510402198503152016"
# 519999 is not in the historical division table; born 1985-03-15, male.
UNKNOWN_DIVISION_ID = "519999198503152010"
# The legacy 15-digit card of the steel worker 张三 (51040219800101123X).
ZHANG_LEGACY_ID = "510402800101123"


def register(**data) -> Worker:
    return services.register_worker({"name": "王五", "hukou_type": "urban", **data}, acting_user=None,
                                    channel=SYSTEM)


def worker_changes(worker: Worker) -> list[tuple[str, dict, dict]]:
    return [(entry.action, entry.before, entry.after) for entry in
            ChangeLogEntry.objects.filter(object_id=worker.pk, content_type__model="worker").order_by("id")]


# ---------------------------------------------------------------------------------------------- register


def test_register_derives_birth_date_and_gender_from_the_id_number(db):
    worker = register(id_number=WANG_ID, phone="138-0000-5678")

    worker.refresh_from_db()
    assert (worker.birth_date, worker.gender, worker.division_code) == (datetime.date(1985, 3, 15), "M", "510402")
    assert (worker.id_number, worker.id_number_masked) == (WANG_ID, "510402********2016")
    assert worker.id_number_hash == lookup_hash(WANG_ID)
    assert (worker.phone, worker.phone_masked) == ("13800005678", "138****5678")
    assert worker_changes(worker) == [(ChangeAction.CREATE, {}, {
        "name": "王五", "id_number_masked": "510402********2016", "birth_date": "1985-03-15", "gender": "M",
        "phone_masked": "138****5678", "hukou_type": "***", "education": "", "political_status": "***",
        "new_employment_group": "", "is_active": True, "merged_into": None,
    })]  # decision 0009: the log says hukou and political status were set, never to what


def test_register_accepts_a_matching_birth_date_and_gender(db):
    worker = register(id_number=WANG_ID, birth_date=datetime.date(1985, 3, 15), gender="M")

    assert (worker.birth_date, worker.gender, worker.warnings) == (datetime.date(1985, 3, 15), "M", [])


def test_register_refuses_a_birth_date_that_contradicts_the_id_number(db):
    with pytest.raises(ValidationError) as refused:
        register(id_number=WANG_ID, birth_date=datetime.date(1985, 3, 16))

    assert refused.value.message_dict == {"birth_date": ["出生日期 1985-03-16 与身份证号码中的 1985-03-15 不一致。"]}
    assert Worker.objects.count() == 0


def test_register_refuses_a_gender_that_contradicts_the_id_number(db):
    with pytest.raises(ValidationError) as refused:
        register(id_number=WANG_ID, gender="F")

    assert refused.value.message_dict == {"gender": ["性别与身份证号码不一致（身份证号码第 17 位表示男）。"]}
    assert Worker.objects.count() == 0


def test_register_refuses_a_wrong_check_digit(db):
    with pytest.raises(ValidationError) as refused:
        register(id_number="510402198503152017")

    assert list(refused.value.message_dict) == ["id_number"]
    assert Worker.objects.count() == 0


def test_register_upgrades_a_fifteen_digit_id_number(db):
    worker = register(id_number=ZHANG_LEGACY_ID, name="张三")

    worker.refresh_from_db()
    assert (worker.id_number, worker.birth_date, worker.gender) == ("51040219800101123X", datetime.date(1980, 1, 1),
                                                                      "M")
    assert worker.id_number_hash == lookup_hash("51040219800101123X")


def test_register_saves_an_unknown_division_code_with_a_warning(db):
    worker = register(id_number=UNKNOWN_DIVISION_ID)

    assert worker.warnings == ["行政区划代码 519999 未在已知代码表中，请核实"]
    assert Worker.objects.get().division_code == "519999"


def test_register_refuses_a_second_worker_with_the_same_id_number(personas):
    with pytest.raises(ValidationError) as refused:
        register(id_number="51040219800101123X", name="张三")

    assert refused.value.message_dict == {"id_number": ["该身份证号码已登记，一个身份证号码只能登记一名职工。"]}
    assert Worker.objects.count() == 2


def test_register_refuses_the_same_person_entered_with_their_legacy_fifteen_digit_number(personas):
    with pytest.raises(ValidationError) as refused:
        register(id_number=ZHANG_LEGACY_ID, name="张三")

    assert refused.value.message_dict == {"id_number": ["该身份证号码已登记，一个身份证号码只能登记一名职工。"]}
    assert Worker.objects.count() == 2


def test_register_refuses_a_bad_phone_number(db):
    with pytest.raises(ValidationError) as refused:
        register(id_number=WANG_ID, phone="1380000123")

    assert refused.value.message_dict == {
        "phone": ["手机号码格式不正确：应为11位手机号码，或带区号的固定电话（如0812-3334455）"]}
    assert Worker.objects.count() == 0


def test_register_opens_one_fact_per_time_varying_attribute(db):
    worker = services.register_worker({"id_number": WANG_ID, "name": "王五", "hukou_type": "rural",
                                       "education": "senior"}, acting_user=None, channel=SYSTEM,
                                      facts_from=datetime.date(2020, 1, 1))

    facts = WorkerFact.objects.filter(worker=worker).order_by("kind")
    assert [(fact.kind, fact.value, fact.valid_from, fact.valid_to) for fact in facts] == [
        ("education", "senior", datetime.date(2020, 1, 1), None),
        ("hukou_type", "rural", datetime.date(2020, 1, 1), None),
        ("new_employment_group", "", datetime.date(2020, 1, 1), None),
        ("political_status", "", datetime.date(2020, 1, 1), None),  # not stated: no 群众 default (issue 15)
    ]


# ------------------------------------------------------------------------------------------------ update


def test_changing_hukou_closes_the_old_fact_the_day_before_and_opens_a_new_one(personas):
    worker = personas.steel_worker
    assert is_migrant_now(worker) is False

    services.update_worker(worker, {"hukou_type": "rural"}, expected_version=1, acting_user=personas.dongqu_officer,
                           channel=Channel.PAGE, effective_on=datetime.date(2024, 5, 1))

    hukou = WorkerFact.objects.filter(worker=worker, kind=WorkerFactKind.HUKOU).order_by("valid_from")
    assert [(fact.value, fact.valid_from, fact.valid_to) for fact in hukou] == [
        ("urban", datetime.date(2019, 3, 1), datetime.date(2024, 4, 30)),
        ("rural", datetime.date(2024, 5, 1), None),
    ]
    assert list(WorkerFact.objects.on(datetime.date(2024, 4, 30)).filter(worker=worker, kind="hukou_type")
                .values_list("value", flat=True)) == ["urban"]
    assert list(WorkerFact.objects.on(datetime.date(2024, 5, 1)).filter(worker=worker, kind="hukou_type")
                .values_list("value", flat=True)) == ["rural"]
    worker.refresh_from_db()  # rural hukou at a steel mill: a migrant
    assert (worker.hukou_type, is_migrant_now(worker), worker.version) == ("rural", True, 2)
    # The change is logged, masked (decision 0009): the dated facts hold the values, encrypted.
    assert worker_changes(worker)[-1] == (ChangeAction.UPDATE, {"hukou_type": "***"}, {"hukou_type": "***"})


def test_changing_hukou_back_to_urban_clears_the_migrant_flag(personas):
    worker = personas.miyi_worker
    assert is_migrant_now(worker) is True

    services.update_worker(worker, {"hukou_type": "urban"}, expected_version=1, acting_user=None, channel=SYSTEM,
                           effective_on=datetime.date(2024, 5, 1))

    worker.refresh_from_db()
    assert is_migrant_now(worker) is False


def test_correcting_a_fact_on_the_day_it_began_rewrites_it(personas):
    worker = personas.steel_worker

    services.update_worker(worker, {"education": "college"}, expected_version=1, acting_user=None, channel=SYSTEM,
                           effective_on=datetime.date(2019, 3, 1))

    education = WorkerFact.objects.filter(worker=worker, kind=WorkerFactKind.EDUCATION)
    assert [(fact.value, fact.valid_from, fact.valid_to) for fact in education] == [
        ("college", datetime.date(2019, 3, 1), None)]


def test_update_refuses_a_birth_date_without_changing_the_id_number(personas):
    worker = personas.steel_worker

    with pytest.raises(ValidationError) as refused:
        services.update_worker(worker, {"birth_date": datetime.date(1981, 1, 1)}, expected_version=1,
                               acting_user=None, channel=SYSTEM)

    assert refused.value.message_dict == {"birth_date": ["出生日期和性别由身份证号码确定，如有错误请更正身份证号码。"]}
    worker = Worker.objects.get(pk=worker.pk)
    assert (worker.birth_date, worker.version) == (datetime.date(1980, 1, 1), 1)


def test_update_refuses_the_id_number_of_another_worker(personas):
    worker = personas.steel_worker

    with pytest.raises(ValidationError) as refused:
        services.update_worker(worker, {"id_number": "510421199002023340"}, expected_version=1, acting_user=None,
                               channel=SYSTEM)

    assert refused.value.message_dict == {"id_number": ["该身份证号码已登记，一个身份证号码只能登记一名职工。"]}
    assert Worker.objects.get(pk=worker.pk).id_number == "51040219800101123X"


# ------------------------------------------------------------------------------------ optimistic locking


def test_the_second_of_two_editors_is_refused_and_the_first_edit_stays(personas):
    first_editor = Worker.objects.get(pk=personas.steel_worker.pk)
    second_editor = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (first_editor.version, second_editor.version) == (1, 1)

    services.update_worker(first_editor, {"education": "college"}, expected_version=1,
                           acting_user=personas.steel_hr, channel=Channel.PAGE)
    with pytest.raises(StaleRecordError) as refused:
        services.update_worker(second_editor, {"education": "bachelor"}, expected_version=1,
                               acting_user=personas.dongqu_officer, channel=Channel.PAGE)

    assert refused.value.message == "该记录已被他人修改，请刷新后基于最新内容重新编辑。"
    stored = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (stored.education, stored.version) == ("college", 2)
    assert [fact.value for fact in WorkerFact.objects.filter(worker=stored, kind="education", valid_to__isnull=True)] \
        == ["college"]
    assert worker_changes(stored)[1:] == [(ChangeAction.UPDATE, {"education": ""}, {"education": "college"})]


# --------------------------------------------------------------------------------------------------- merge


@pytest.fixture
def duplicate(personas) -> Worker:
    """张三 entered a second time by the small firm, under a mistyped ID number, with a certificate and a
    union membership."""
    worker = hire(personas.small_firm, WANG_ID, "张三", start=datetime.date(2022, 1, 1))
    services.add_certificate(worker, {"kind": CertificateKind.SKILL_LEVEL, "level": SkillLevel.objects.get(level=3),
                                      "number": "S000001", "issuer": "攀枝花市职业技能鉴定中心",
                                      "issued_on": datetime.date(2022, 6, 1)}, acting_user=None, channel=SYSTEM)
    services.start_union_membership(worker, datetime.date(2022, 2, 1), acting_user=None, channel=SYSTEM)
    return worker


def test_merge_moves_spells_certificates_and_memberships_to_the_survivor(personas, duplicate):
    survivor = personas.steel_worker

    services.merge_workers(survivor, duplicate, acting_user=personas.city_admin, channel=Channel.PAGE,
                           note="同一人")

    assert sorted(EmploymentSpell.objects.filter(worker=survivor).values_list("employer__name", flat=True)) == [
        "攀枝花市仁和区小微机修店", "攀钢集团有限公司"]
    assert list(Certificate.objects.filter(worker=survivor).values_list("number", flat=True)) == ["S000001"]
    assert len(memberships_of(survivor)) == 1 and memberships_of(duplicate) == []
    assert EmploymentSpell.objects.filter(worker=duplicate).count() == 0
    duplicate.refresh_from_db()
    assert (duplicate.is_active, duplicate.merged_into) == (False, survivor)
    survivor.refresh_from_db()
    assert (survivor.current_skill_level, is_member(survivor), survivor.current_employer) == (
        3, True, personas.small_firm)
    personas.small_firm.refresh_from_db()
    assert personas.small_firm.headcount == 1


def test_merge_writes_a_merge_row_on_both_records(personas, duplicate):
    survivor = personas.steel_worker

    services.merge_workers(survivor, duplicate, acting_user=personas.city_admin, channel=Channel.PAGE,
                           note="同一人")

    note = "合并：转入就业记录 1 条、证书 1 本。 同一人"  # no count of memberships (decision 0009)
    merges = ChangeLogEntry.objects.filter(action=ChangeAction.MERGE).order_by("id")
    assert [(entry.object_id, entry.user, entry.channel, entry.note, entry.before, entry.after)
            for entry in merges] == [
        (str(duplicate.pk), personas.city_admin, Channel.PAGE, note, {"is_active": True, "merged_into": None},
         {"is_active": False, "merged_into": "张三（510402********123X）"}),
        (str(survivor.pk), personas.city_admin, Channel.PAGE, note, {}, {"merged_from": "张三（510402********2016）"}),
    ]


def test_merging_an_already_merged_worker_again_is_refused(personas, duplicate):
    services.merge_workers(personas.steel_worker, duplicate, acting_user=None, channel=SYSTEM)
    third = hire(personas.miyi_mine, UNKNOWN_DIVISION_ID, "张三")
    changes_before = ChangeLogEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.merge_workers(third, duplicate, acting_user=None, channel=SYSTEM)

    assert refused.value.messages == ["已合并的职工记录不能再次合并。"]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == personas.steel_worker
    assert EmploymentSpell.objects.filter(worker=third).count() == 1
    assert ChangeLogEntry.objects.count() == changes_before


def test_merging_a_worker_with_itself_is_refused(personas):
    worker = personas.steel_worker

    with pytest.raises(ValidationError) as refused:
        services.merge_workers(worker, worker, acting_user=None, channel=SYSTEM)

    assert refused.value.messages == ["不能将职工与其自身合并。"]
    worker.refresh_from_db()
    assert (worker.is_active, worker.merged_into, worker.version) == (True, None, 1)
    assert not ChangeLogEntry.objects.filter(action=ChangeAction.MERGE).exists()


# ------------------------------------------------------------------------------------------------ hiring


def test_hiring_a_registered_id_number_adds_a_spell_and_no_worker(personas):
    worker, created = services.hire_worker(
        {"id_number": "51040219800101123X", "name": "张三", "hukou_type": "urban"},
        {"employer": personas.small_firm, "start_date": datetime.date(2024, 7, 1)},
        acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    assert (worker, created) == (personas.steel_worker, False)
    assert Worker.objects.count() == 2
    assert sorted(EmploymentSpell.objects.filter(worker=worker).values_list("employer__name", "start_date")) == [
        ("攀枝花市仁和区小微机修店", datetime.date(2024, 7, 1)), ("攀钢集团有限公司", datetime.date(2019, 3, 1))]


def test_hiring_by_the_legacy_number_finds_the_registered_worker(personas):
    worker, created = services.hire_worker(
        {"id_number": ZHANG_LEGACY_ID, "name": "张三", "hukou_type": "urban"},
        {"employer": personas.small_firm, "start_date": datetime.date(2024, 7, 1)}, acting_user=None,
        channel=SYSTEM)

    assert (worker, created) == (personas.steel_worker, False)


def test_hiring_does_not_overwrite_what_others_reported(personas):
    services.hire_worker({"id_number": "51040219800101123X", "name": "张三", "hukou_type": "rural",
                          "phone": "13900009999"},
                         {"employer": personas.small_firm, "start_date": datetime.date(2024, 7, 1)},
                         acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    worker = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (worker.hukou_type, worker.phone, worker.version) == ("urban", "13800001234", 1)


def test_hiring_a_registered_id_number_under_another_name_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        services.hire_worker({"id_number": "51040219800101123X", "name": "张山", "hukou_type": "urban"},
                             {"employer": personas.small_firm, "start_date": datetime.date(2024, 7, 1)},
                             acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    assert refused.value.message_dict == {"name": ["姓名与身份证号码不符，请核对居民身份证。"]}
    assert EmploymentSpell.objects.filter(worker=personas.steel_worker).count() == 1
    assert Worker.objects.count() == 2


def test_hiring_a_merged_duplicate_adds_the_spell_to_the_survivor(personas, duplicate):
    services.merge_workers(personas.steel_worker, duplicate, acting_user=None, channel=SYSTEM)

    worker, created = services.hire_worker(
        {"id_number": WANG_ID, "name": "张三", "hukou_type": "urban"},
        {"employer": personas.miyi_mine, "start_date": datetime.date(2024, 7, 1)}, acting_user=None,
        channel=SYSTEM)

    assert (worker, created) == (personas.steel_worker, False)
    assert EmploymentSpell.objects.filter(worker=duplicate).count() == 0


def test_hiring_a_duplicate_merged_twice_adds_the_spell_to_the_final_survivor(personas, duplicate):
    services.merge_workers(personas.steel_worker, duplicate, acting_user=None, channel=SYSTEM)
    final = hire(personas.miyi_mine, UNKNOWN_DIVISION_ID, "张三")
    services.merge_workers(final, personas.steel_worker, acting_user=None, channel=SYSTEM)

    worker, created = services.hire_worker(
        {"id_number": WANG_ID, "name": "张三", "hukou_type": "urban"},
        {"employer": personas.small_firm, "start_date": datetime.date(2020, 1, 1),
         "end_date": datetime.date(2020, 12, 31)}, acting_user=None, channel=SYSTEM)

    assert (worker, created) == (final, False)
    assert EmploymentSpell.objects.filter(worker__is_active=False).count() == 0


def test_merge_does_not_undo_an_edit_made_after_the_records_were_read(personas, duplicate):
    survivor_as_read = Worker.objects.get(pk=personas.steel_worker.pk)
    duplicate_as_read = Worker.objects.get(pk=duplicate.pk)
    services.update_worker(personas.steel_worker, {"education": "college"}, expected_version=1, acting_user=None,
                           channel=SYSTEM)
    services.update_worker(duplicate, {"phone": "13900001111"}, expected_version=1, acting_user=None,
                           channel=SYSTEM)

    services.merge_workers(survivor_as_read, duplicate_as_read, acting_user=None, channel=SYSTEM)

    survivor = Worker.objects.get(pk=personas.steel_worker.pk)
    assert (survivor.education, survivor.version) == ("college", 3)
    merged = Worker.objects.get(pk=duplicate.pk)
    assert (merged.phone, merged.is_active, merged.version) == ("13900001111", False, 3)


def test_a_worker_without_a_phone_can_be_edited_after_being_read_back(personas):
    worker = Worker.objects.get(pk=personas.miyi_worker.pk)
    assert worker.phone == ""

    services.update_worker(worker, {"education": "junior"}, expected_version=1, acting_user=None, channel=SYSTEM)

    stored = Worker.objects.get(pk=worker.pk)
    assert (stored.education, stored.phone, stored.phone_hash, stored.version) == ("junior", "", "", 2)


def test_merge_joins_overlapping_spells_and_memberships_into_one(personas):
    survivor = personas.steel_worker  # at steel since 2019-03-01
    duplicate = hire(personas.steel, "510402198001011213", "张三", start=datetime.date(2020, 1, 1))
    services.end_employment(duplicate.spells.get(), datetime.date(2021, 5, 31), expected_version=None,
                            acting_user=None, channel=Channel.SYSTEM)
    services.start_union_membership(survivor, datetime.date(2019, 4, 1), acting_user=None, channel=Channel.SYSTEM)
    services.start_union_membership(duplicate, datetime.date(2018, 1, 1), acting_user=None, channel=Channel.SYSTEM)

    services.merge_workers(survivor, duplicate, acting_user=personas.city_admin, channel=Channel.PAGE)

    spells = list(survivor.spells.values_list("start_date", "end_date"))
    memberships = [(membership.valid_from, membership.valid_to) for membership in memberships_of(survivor)]
    assert spells == [(datetime.date(2019, 3, 1), None)]
    assert memberships == [(datetime.date(2018, 1, 1), None)]
    personas.steel.refresh_from_db()
    assert personas.steel.headcount == 1


def _trail_of(spell: EmploymentSpell) -> list[tuple]:
    return list(ChangeLogEntry.objects.filter(object_id=str(spell.pk), action=ChangeAction.UPDATE).values_list(
        "object_repr", "before", "after", "channel", "user_name", "parent_object_id"))


def test_ending_spells_in_bulk_does_what_ending_them_one_by_one_does(personas):
    one_by_one = hire(personas.steel, "510402198506061216", "王五", start=datetime.date(2021, 2, 1))
    in_bulk = hire(personas.steel, "510402198506061232", "赵六", start=datetime.date(2021, 2, 1))
    late = hire(personas.steel, "510402198506061259", "钱七", start=datetime.date(2025, 8, 1))
    already_ended = personas.steel_worker.spells.get()
    services.end_employment(already_ended, datetime.date(2024, 1, 31), expected_version=None, acting_user=None,
                            channel=Channel.SYSTEM)
    on = datetime.date(2025, 6, 30)

    services.end_employment(one_by_one.spells.get(), on, expected_version=None, acting_user=personas.steel_hr,
                            channel=Channel.IMPORT)
    ended = services.end_employments([in_bulk.spells.get().pk, late.spells.get().pk, already_ended.pk], on,
                                     acting_user=personas.steel_hr, channel=Channel.IMPORT)

    assert ended == 2
    reference, bulk, started_later = (worker.spells.get() for worker in (one_by_one, in_bulk, late))
    assert (bulk.end_date, bulk.version) == (reference.end_date, reference.version) == (on, 2)
    assert started_later.end_date == datetime.date(2025, 8, 1)  # never before its first day
    [(repr_, before, after, channel, user, parent)] = _trail_of(bulk)
    [(_repr, *expected)] = _trail_of(reference)
    assert [before, after, channel, user] == expected[:4] and parent == str(in_bulk.pk)
    assert repr_ == str(bulk)
    assert _trail_of(already_ended)[0][2] == {"end_date": "2024-01-31"}  # left as it was
    summary = ("current_employer_id", "district_id", "has_signed_contract")
    summaries = Worker.objects.filter(pk__in=[one_by_one.pk, in_bulk.pk]).values_list(*summary)
    assert summaries[0] == summaries[1] and summaries[0][0] is None
    personas.steel.refresh_from_db()
    assert personas.steel.headcount == 0


def test_ending_spells_in_bulk_refuses_an_employer_out_of_scope_and_ends_none(personas):
    own = hire(personas.steel, "510402198506061216", "王五").spells.get()
    other = personas.miyi_worker.spells.get()
    with pytest.raises(ValidationError):
        services.end_employments([own.pk, other.pk], datetime.date(2025, 6, 30), acting_user=personas.steel_hr,
                                 channel=Channel.IMPORT)
    assert EmploymentSpell.objects.filter(pk__in=[own.pk, other.pk], end_date__isnull=True).count() == 2


@pytest.mark.parametrize("persona", ["steel_hr", "dongqu_officer"])
def test_only_city_wide_staff_may_register_a_worker_without_an_employment(personas, persona):
    data = {"name": "王五", "id_number": WANG_ID, "hukou_type": "urban"}

    with pytest.raises(ValidationError) as refused:
        services.register_or_hire_worker(data, None, acting_user=getattr(personas, persona), channel=SYSTEM)

    assert list(refused.value.message_dict) == ["employment"]
    assert not Worker.objects.filter(id_number_hash=lookup_hash(WANG_ID)).exists()
    worker, created = services.register_or_hire_worker(data, None, acting_user=personas.city_admin, channel=SYSTEM)
    assert created and worker.name == "王五" and not worker.spells.exists()
