"""What kind of body an employer is (issue 16 point 2): derived from the USCC's first two characters per
GB 32100 (``registry.legal_person``), corrected by city-wide staff only, the correction winning and shown as
such, with its change-log row; and the post category of a spell (point 3) through every door."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from workforce.conftest import make_employer
from workforce.core.choices import Channel
from workforce.core.identifiers import uscc_check_char
from workforce.core.models import ChangeLogEntry
from workforce.registry import services
from workforce.registry.choices import LegalPersonKind, Ownership, PostCategory
from workforce.registry.legal_person import AUTHORITIES, KINDS, derive_legal_person_kind
from workforce.registry.models import Employer, EmploymentSpell
from workforce.registry.tests.api_support import client_as
from workforce.registry.tests.test_scoping import read_csv

Kind = LegalPersonKind


def code(first_two: str, district: str = "510402", body: str = "MA6ABCDE1") -> str:
    """A valid USCC (right check character) beginning with ``first_two``."""
    first17 = first_two + district + body
    return first17 + uscc_check_char(first17)


# ------------------------------------------------------------------------------------ the derivation table


@pytest.mark.parametrize(("first_two", "kind", "category"), [
    ("91", Kind.ENTERPRISE, "企业"),
    ("92", Kind.INDIVIDUAL_BUSINESS, "个体工商户"),
    ("93", Kind.FARMERS_COOPERATIVE, "农民专业合作社"),
    ("11", Kind.ORGAN, "机关"),
    ("12", Kind.INSTITUTION, "事业单位"),
    ("13", Kind.SOCIAL_ORGANISATION, "中央编办直接管理机构编制的群众团体"),
    ("19", Kind.OTHER, "其他"),
    ("51", Kind.SOCIAL_ORGANISATION, "社会团体"),
    ("52", Kind.SOCIAL_ORGANISATION, "民办非企业单位（社会服务机构）"),
    ("53", Kind.SOCIAL_ORGANISATION, "基金会"),
    ("71", Kind.OTHER, "宗教活动场所"),
    ("81", Kind.SOCIAL_ORGANISATION, "基层工会"),
    ("31", Kind.OTHER, "律师执业机构"),
    ("A1", Kind.INSTITUTION, "军队事业单位"),
    ("N2", Kind.RURAL_COLLECTIVE, "村级集体经济组织"),
    ("Y1", Kind.OTHER, "其他（不再划分机构类别）"),
])
def test_the_first_two_characters_give_the_kind_of_gb_32100s_table(first_two, kind, category):
    derived = derive_legal_person_kind(code(first_two))

    assert (derived.kind, derived.category) == (kind, category)


def test_the_registration_authority_is_named_with_the_category():
    assert derive_legal_person_kind(code("12")).authority == "机构编制"
    assert derive_legal_person_kind(code("52")).authority == "民政"
    assert derive_legal_person_kind(code("91")).authority == "工商（市场监管）"


@pytest.mark.parametrize("uscc", [
    code("94"),  # 工商 has no category 4
    code("Y2"),  # 其他 is always 1
    code("15"),  # 机构编制 has no category 5
    code("91")[:-1] + ("0" if code("91")[-1] != "0" else "1"),  # wrong check character
    "91510402MA6ABCDE1",  # 17 characters
    "",
    "B1510402MA6ABCDE1X",  # B is no registration authority
])
def test_an_invalid_or_odd_code_gives_unknown_and_no_category(uscc):
    derived = derive_legal_person_kind(uscc)

    assert (derived.kind, derived.category) == (Kind.UNKNOWN, "")


def test_a_code_written_as_rosters_write_it_is_read(db):
    assert derive_legal_person_kind(" " + code("12").lower() + " ").kind == Kind.INSTITUTION


def test_every_pair_of_the_table_has_a_named_authority_and_no_pair_says_unknown():
    assert {first for first, _second in KINDS} == set(AUTHORITIES)
    assert all(kind != Kind.UNKNOWN for _category, kind in KINDS.values())
    # Every authority has its categories; 工商 and 其他 have no "9 其他".
    assert {second for first, second in KINDS if first == "9"} == {"1", "2", "3"}
    assert {second for first, second in KINDS if first == "Y"} == {"1"}


# --------------------------------------------------------------------------------------- on the employer


def test_registering_derives_the_kind_from_the_code(personas):
    hospital = make_employer("攀枝花市中心医院", code("12"), "510402", "84", Ownership.STATE_OWNED)

    assert (hospital.legal_person_kind, hospital.legal_person_kind_corrected) == (Kind.INSTITUTION, False)
    assert (personas.steel.legal_person_kind, personas.small_firm.legal_person_kind) == (
        Kind.ENTERPRISE, Kind.INDIVIDUAL_BUSINESS)
    assert personas.steel.is_enterprise and not hospital.is_enterprise


def test_a_corrected_code_is_derived_again(personas):
    services.update_employer(personas.small_firm, {"uscc": code("91", "510411")}, expected_version=None,
                             acting_user=personas.city_admin, channel=Channel.PAGE)

    assert personas.small_firm.legal_person_kind == Kind.ENTERPRISE


def correct(employer: Employer, kind: str, user) -> Employer:
    return services.update_employer(employer, {services.KIND_CORRECTION: kind}, expected_version=None,
                                    acting_user=user, channel=Channel.PAGE)


def test_city_staff_correct_the_kind_and_the_correction_wins_with_its_change_log_row(personas):
    home = make_employer("攀枝花市社会福利院", code("91", "510411"), "510411", "85", Ownership.STATE_OWNED)

    correct(home, Kind.INSTITUTION, personas.city_admin)
    home.refresh_from_db()
    assert (home.legal_person_kind, home.legal_person_kind_corrected) == (Kind.INSTITUTION, True)
    entry = ChangeLogEntry.objects.filter(content_type__model="employer", object_id=home.pk).latest("id")
    assert (entry.before, entry.after) == (
        {"legal_person_kind": "enterprise", "legal_person_kind_corrected": False},
        {"legal_person_kind": "institution", "legal_person_kind_corrected": True})
    assert entry.user_name == personas.city_admin.username

    # A later change of the code keeps the correction: it wins over the derivation.
    services.update_employer(home, {"uscc": code("92", "510411")}, expected_version=None,
                             acting_user=personas.city_admin, channel=Channel.PAGE)
    assert (home.legal_person_kind, home.legal_person_kind_corrected) == (Kind.INSTITUTION, True)

    correct(home, "", personas.city_admin)  # back to the derivation
    assert (home.legal_person_kind, home.legal_person_kind_corrected) == (Kind.INDIVIDUAL_BUSINESS, False)


def test_a_correction_equal_to_the_derivation_is_no_correction(personas):
    correct(personas.steel, Kind.ENTERPRISE, personas.city_admin)

    assert (personas.steel.legal_person_kind, personas.steel.legal_person_kind_corrected) == (Kind.ENTERPRISE, False)


@pytest.mark.parametrize("who", ["dongqu_officer", "steel_hr"])
def test_only_city_staff_correct_the_kind_and_a_refusal_changes_nothing(personas, who):
    before = ChangeLogEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        correct(personas.steel, Kind.INSTITUTION, getattr(personas, who))

    assert refused.value.message_dict == {
        "legal_person_kind": ["法人类型由统一社会信用代码得出，更正须由市级主管部门办理。"]}
    personas.steel.refresh_from_db()
    assert (personas.steel.legal_person_kind, personas.steel.legal_person_kind_corrected) == (Kind.ENTERPRISE, False)
    assert ChangeLogEntry.objects.count() == before


def test_unknown_is_no_correction(personas):
    with pytest.raises(ValidationError) as refused:
        correct(personas.steel, Kind.UNKNOWN, personas.city_admin)

    assert refused.value.message_dict == {"legal_person_kind": ["请选择有效的法人类型。"]}


def test_the_migration_derives_the_kind_of_existing_employers(personas):
    Employer.objects.update(legal_person_kind=Kind.UNKNOWN)
    migration = import_module("workforce.registry.migrations.0012_employer_legal_person_kind_spell_post_category")

    migration.derive_kinds(django_apps, None)

    assert dict(Employer.objects.values_list("name", "legal_person_kind")) == {
        "攀钢集团有限公司": Kind.ENTERPRISE, "攀枝花市仁和区小微机修店": Kind.INDIVIDUAL_BUSINESS,
        "米易县白马铁矿": Kind.ENTERPRISE}


# ------------------------------------------------------------------------------------------ pages and API


def test_the_employer_page_shows_a_correction_as_such_beside_the_derivation(personas, sign_in):
    correct(personas.miyi_mine, Kind.OTHER, personas.city_admin)
    client = sign_in(personas.city_admin)

    page = client.get(personas.miyi_mine.get_absolute_url()).content.decode()
    assert "已人工更正" in page and "按统一社会信用代码推导为：企业" in page
    page = client.get(personas.steel.get_absolute_url()).content.decode()
    assert "由统一社会信用代码推导（工商（市场监管）·企业）" in page


def test_city_staff_correct_the_kind_on_the_edit_page_and_district_staff_are_not_offered_it(personas, sign_in):
    steel = personas.steel
    form = {"uscc": steel.uscc, "name": steel.name, "district": steel.district_id, "industry": steel.industry_id,
            "ownership": steel.ownership, "is_above_scale": "on", "address": "", "version": steel.version,
            "legal_person_kind": Kind.INSTITUTION}
    officer_page = sign_in(personas.dongqu_officer).get(reverse("registry:employer_edit", args=[steel.pk]))
    assert 'name="legal_person_kind"' not in officer_page.content.decode()

    client = sign_in(personas.city_admin)
    page = client.get(reverse("registry:employer_edit", args=[steel.pk])).content.decode()
    assert "按统一社会信用代码推导（企业）" in page
    response = client.post(reverse("registry:employer_edit", args=[steel.pk]), form)

    assert response.status_code == 302
    steel.refresh_from_db()
    assert (steel.legal_person_kind, steel.legal_person_kind_corrected) == (Kind.INSTITUTION, True)


def test_the_employer_list_filters_by_kind(personas, sign_in):
    page = sign_in(personas.city_admin).get(reverse("registry:employer_list"),
                                            {"legal_person_kind": Kind.INDIVIDUAL_BUSINESS}).content.decode()

    assert personas.small_firm.name in page and personas.steel.name not in page


def test_the_api_gives_the_kind_filters_by_it_and_takes_a_correction(personas):
    client = client_as(personas, "city_admin")

    rows = client.get("/api/registry/employers/", {"legal_person_kind": "enterprise"}).json()["results"]
    assert {row["name"] for row in rows} == {"攀钢集团有限公司", "米易县白马铁矿"}
    assert {(row["legal_person_kind"], row["legal_person_kind_corrected"]) for row in rows} == {("enterprise", False)}

    url = f"/api/registry/employers/{personas.miyi_mine.pk}/"
    response = client.patch(url, {"legal_person_kind": "institution", "version": personas.miyi_mine.version},
                            format="json")
    assert (response.status_code, response.json()["legal_person_kind"],
            response.json()["legal_person_kind_corrected"]) == (200, "institution", True)
    refused = client_as(personas, "miyi_officer").patch(
        url, {"legal_person_kind": "", "version": response.json()["version"]}, format="json")
    assert (refused.status_code, refused.json()["legal_person_kind"]) == (
        400, ["法人类型由统一社会信用代码得出，更正须由市级主管部门办理。"])


# ------------------------------------------------------------------------------------------ post category


def test_a_spell_takes_its_post_category_from_the_form_and_the_api_and_shows_it(personas, sign_in):
    worker = personas.steel_worker
    spell = worker.spells.get()
    assert spell.post_category == PostCategory.UNKNOWN  # nobody reported it: unknown, not front line

    client = sign_in(personas.city_admin)
    client.post(reverse("registry:employment_add", args=[worker.pk]), {
        "employer": personas.small_firm.pk, "start_date": "2024-01-01", "post_category": "management"})
    added = worker.spells.get(employer=personas.small_firm)
    assert added.post_category == PostCategory.MANAGEMENT
    page = client.get(worker.get_absolute_url()).content.decode()
    assert "管理人员" in page and "未填报" in page

    api = client_as(personas, "city_admin")
    response = api.patch(f"/api/registry/spells/{spell.pk}/", {"post_category": "front_line",
                                                               "version": spell.version}, format="json")
    assert (response.status_code, response.json()["post_category"]) == (200, "front_line")
    bad = api.patch(f"/api/registry/spells/{spell.pk}/", {"post_category": "worker",
                                                          "version": response.json()["version"]}, format="json")
    assert (bad.status_code, bad.json()["post_category"]) == (400, ["“worker” 不是有效的选项。"])
    assert EmploymentSpell.objects.get(pk=spell.pk).post_category == PostCategory.FRONT_LINE
    entry = ChangeLogEntry.objects.filter(content_type__model="employmentspell", object_id=spell.pk).latest("id")
    assert entry.after == {"post_category": "front_line"}


def test_the_post_category_is_asked_without_a_preselected_value(personas, sign_in):
    page = sign_in(personas.city_admin).get(personas.steel_worker.get_absolute_url()).content.decode()

    select = page.split('name="post_category"')[1].split("</select>")[0]
    assert 'value="" selected' in select and "一线职工" in select


def test_the_employer_export_has_the_kind(personas, sign_in):
    response = sign_in(personas.city_admin).get("/registry/employers/export.csv", {"legal_person_kind": "enterprise"})
    rows = read_csv(response)

    assert rows[0][5] == "法人类型"
    assert sorted((row[1], row[5]) for row in rows[1:]) == [("攀钢集团有限公司", "企业"), ("米易县白马铁矿", "企业")]
