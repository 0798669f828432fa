"""Reference data: loaded from the bundled CSV files, safe to load again, edited only with a trail."""

from __future__ import annotations

import pytest

from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.reference.models import Division, Industry, Occupation, SkillLevel
from workforce.reference.services import load_reference_data, update_reference_record


def test_loading_reference_data_again_changes_nothing(db):
    before = load_reference_data()
    steelmaker_version = Occupation.objects.get(code="6-17-02-02").version

    after = load_reference_data()

    assert after == before == {"divisions": 76, "occupations": 299, "skill_levels": 5, "industries": 1970}
    assert Occupation.objects.get(code="6-17-02-02").version == steelmaker_version


def test_panzhihua_has_five_districts(db):
    districts = Division.objects.filter(parent_id="510400").order_by("code")

    assert [(district.code, district.name, district.level) for district in districts] == [
        ("510402", "东区", "county"), ("510403", "西区", "county"), ("510411", "仁和区", "county"),
        ("510421", "米易县", "county"), ("510422", "盐边县", "county")]
    assert Division.objects.get(code="510400").parent_id == "510000"


def test_there_are_five_skill_levels_and_levels_one_to_three_are_high_skilled(db):
    levels = SkillLevel.objects.order_by("level")

    assert [(level.level, level.label, level.is_high_skilled) for level in levels] == [
        (1, "一级/高级技师", True), (2, "二级/技师", True), (3, "三级/高级工", True),
        (4, "四级/中级工", False), (5, "五级/初级工", False)]


def test_occupations_include_the_steelmaker(db):
    steelmaker = Occupation.objects.get(code="6-17-02-02")

    assert (steelmaker.name, steelmaker.major_group, steelmaker.edition) == ("炼钢工", 6, "2022")


def test_industries_have_twenty_sections_and_every_row_knows_its_section(db):
    sections = Industry.objects.filter(level="section").order_by("code")

    assert "".join(sections.values_list("code", flat=True)) == "ABCDEFGHIJKLMNOPQRST"
    assert Industry.objects.get(code="31").section == "C"  # 黑色金属冶炼和压延加工业: manufacturing
    assert Industry.objects.get(code="08").section == "B"  # 黑色金属矿采选业: mining
    assert not Industry.objects.filter(section="").exists()


def test_editing_a_reference_record_writes_the_change_log(personas):
    occupation = Occupation.objects.get(code="6-17-02-02")
    version = occupation.version

    update_reference_record(occupation, {"name": "炼钢工（转炉）"}, expected_version=version,
                            acting_user=personas.city_admin, channel=Channel.PAGE)

    stored = Occupation.objects.get(code="6-17-02-02")
    assert (stored.name, stored.version) == ("炼钢工（转炉）", version + 1)
    entry = ChangeLogEntry.objects.get(content_type__model="occupation")
    assert list(history_for(stored)) == [entry]
    assert (entry.action, entry.object_id, entry.user, entry.before, entry.after) == (
        ChangeAction.UPDATE, "6-17-02-02", personas.city_admin, {"name": "炼钢工"}, {"name": "炼钢工（转炉）"})


def test_a_stale_edit_of_a_reference_record_is_refused(personas):
    first = SkillLevel.objects.get(level=3)
    second = SkillLevel.objects.get(level=3)
    update_reference_record(first, {"name_en": "Level 3 / Advanced Worker"}, expected_version=first.version,
                            acting_user=personas.city_admin)

    with pytest.raises(StaleRecordError):
        update_reference_record(second, {"name_en": "Level 3"}, expected_version=second.version,
                                acting_user=personas.city_admin)

    assert SkillLevel.objects.get(level=3).name_en == "Level 3 / Advanced Worker"
    assert ChangeLogEntry.objects.filter(content_type__model="skilllevel").count() == 1


def test_the_city_administrator_edits_an_occupation_through_its_page(personas, sign_in):
    client = sign_in(personas.city_admin)
    version = Occupation.objects.get(code="6-17-02-02").version

    response = client.post("/reference/occupations/6-17-02-02/edit/", {"name": "炼钢工（转炉）", "is_active": "on",
                                                                        "version": version})

    assert (response.status_code, response["Location"]) == (302, "/reference/occupations/")
    assert Occupation.objects.get(code="6-17-02-02").name == "炼钢工（转炉）"
    page = client.get("/reference/occupations/6-17-02-02/edit/")
    assert [entry.after for entry in page.context["history"]] == [{"name": "炼钢工（转炉）"}]


def test_a_district_officer_cannot_edit_reference_data(personas, sign_in):
    response = sign_in(personas.dongqu_officer).post("/reference/divisions/510402/edit/", {"name": "东城区",
                                                                                            "version": 1})

    assert response.status_code == 403
    assert Division.objects.get(code="510402").name == "东区"


def test_running_setup_again_keeps_the_administrators_edits(db):
    from workforce.reference.models import Occupation
    from workforce.reference.services import load_reference_data

    Occupation.objects.filter(code="6-17-02-02").update(name="炼钢工（已修订）")

    load_reference_data()

    assert Occupation.objects.get(code="6-17-02-02").name == "炼钢工（已修订）"
