"""The union tree, coverage of employers and the registry's "建立工会" fact that follows it (decision 0018)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from workforce.core.changelog import history_for
from workforce.registry.choices import EmployerFactKind
from workforce.registry.models import EmployerFact
from workforce.unions import services
from workforce.unions.choices import OrganisationKind
from workforce.unions.models import Organisation, OrganisationCoverage
from workforce.unions.tests.conftest import START, SYSTEM

pytestmark = pytest.mark.django_db


def test_paths_make_subtrees_one_prefix(tree):
    assert tree.steel_union.path == tree.federation.path + f"{tree.dongqu.pk:06d}/{tree.steel_union.pk:06d}/"
    assert tree.steel_union.depth == 2
    assert tree.steel_union.ancestor_ids == [tree.federation.pk, tree.dongqu.pk]
    assert set(Organisation.objects.subtree(tree.dongqu)) == {tree.dongqu, tree.steel_union}
    assert Organisation.objects.subtree(tree.federation).count() == 7


def test_second_federation_is_refused(tree):
    with pytest.raises(ValidationError, match="全市只有一个市总工会"):
        services.create_organisation(name="又一个", kind=OrganisationKind.FEDERATION, parent=None,
                                     established_on=START, **SYSTEM)


def test_kind_must_fit_under_parent(tree):
    with pytest.raises(ValidationError, match="上级工会的类型不符"):
        services.create_organisation(name="某企业工会", kind=OrganisationKind.ENTERPRISE, parent=tree.steel_union,
                                     established_on=START, **SYSTEM)
    assert Organisation.objects.count() == 7


def test_new_form_union_names_its_group(tree):
    with pytest.raises(ValidationError, match="新就业形态群体"):
        services.create_organisation(name="骑手工会", kind=OrganisationKind.NEW_FORM, parent=tree.renhe,
                                     established_on=START, **SYSTEM)


def test_creation_is_in_the_change_log(tree):
    assert [entry.action for entry in history_for(tree.couriers)] == ["create"]


def test_covering_an_employer_records_its_union_fact(tree, personas):
    fact = EmployerFact.objects.get(employer=personas.steel, kind=EmployerFactKind.UNION)
    assert (fact.valid_from, fact.valid_to, fact.is_independent) == (START, None, True)
    joint = EmployerFact.objects.get(employer=personas.small_firm, kind=EmployerFactKind.UNION)
    assert joint.is_independent is False  # a 联合工会 is not 单独建制


def test_ending_coverage_ends_the_union_fact(tree, personas):
    coverage = OrganisationCoverage.objects.get(employer=personas.small_firm)
    services.end_coverage(coverage, datetime.date(2024, 6, 30), **SYSTEM)
    fact = EmployerFact.objects.get(employer=personas.small_firm, kind=EmployerFactKind.UNION)
    assert fact.valid_to == datetime.date(2024, 6, 30)
    assert OrganisationCoverage.objects.get(pk=coverage.pk).valid_to == datetime.date(2024, 6, 30)


def test_an_employer_is_covered_by_one_union_at_a_time(tree, personas):
    with pytest.raises(ValidationError, match="该单位已由“攀钢集团工会”覆盖"):
        services.cover_employer(tree.miyi_joint, personas.steel, START, **SYSTEM)
    assert OrganisationCoverage.objects.filter(employer=personas.steel).count() == 1


def test_an_enterprise_union_covers_one_enterprise(tree, personas):
    services.end_coverage(OrganisationCoverage.objects.get(employer=personas.small_firm), START, **SYSTEM)
    with pytest.raises(ValidationError, match="企业工会只覆盖本企业"):
        services.cover_employer(tree.steel_union, personas.small_firm, datetime.date(2021, 1, 1), **SYSTEM)


def test_district_officer_cannot_found_under_another_district(tree):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.create_organisation(name="米易某工会", kind=OrganisationKind.JOINT, parent=tree.miyi,
                                     established_on=START, acting_user=tree.dongqu_union_officer,
                                     channel=SYSTEM["channel"])
    assert not Organisation.objects.filter(name="米易某工会").exists()
