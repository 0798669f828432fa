"""Who sees which workers and employers (MISSION.md "Users and what each may see";
docs/decisions/0002): one table per role, checked through ``visible_to``, the list page, the export,
search and detail pages, plus a guard that no view bypasses ``visible_to``."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest

from workforce.core.choices import AccessEvent, Channel
from workforce.core.models import AccessLogEntry
from workforce.registry import selectors, services
from workforce.registry.models import Employer, EmploymentSpell, Worker

ROLES = ["city_admin", "union_officer", "dongqu_officer", "miyi_officer", "steel_hr", "small_firm_hr",
         "training_school", "leader", "worker_user"]

# Workers: 张三 works at the steel company (东区), 李梅 at the 米易县 mine. Employers: steel (东区),
# small_firm (仁和区, nobody employed), miyi_mine (米易县).
VISIBLE_WORKERS = {
    "city_admin": {"张三", "李梅"},
    "union_officer": {"张三", "李梅"},  # a department officer reads the registry city-wide
    "dongqu_officer": {"张三"},
    "miyi_officer": {"李梅"},
    "steel_hr": {"张三"},
    "small_firm_hr": set(),
    "training_school": set(),
    "leader": set(),  # leaders read aggregates, not people
    "worker_user": {"张三"},  # 张三 himself
}
VISIBLE_EMPLOYERS = {
    "city_admin": {"steel", "small_firm", "miyi_mine"},
    "union_officer": {"steel", "small_firm", "miyi_mine"},
    "dongqu_officer": {"steel"},
    "miyi_officer": {"miyi_mine"},
    "steel_hr": {"steel"},
    "small_firm_hr": {"small_firm"},
    "training_school": set(),
    "leader": {"steel", "small_firm", "miyi_mine"},
    "worker_user": {"steel"},  # the employers he has worked for
}
CAN_VIEW_WORKERS = {"city_admin", "union_officer", "dongqu_officer", "miyi_officer", "steel_hr", "small_firm_hr",
                    "worker_user"}
CAN_EXPORT = {"city_admin", "union_officer", "dongqu_officer", "miyi_officer", "steel_hr", "small_firm_hr"}
CAN_UNMASK = {"city_admin", "dongqu_officer", "miyi_officer", "steel_hr", "small_firm_hr", "worker_user"}
FULL_IDS = {"张三": "51040219800101123X", "李梅": "510421199002023340"}
MASKED_IDS = {"张三": "510402********123X", "李梅": "510421********3340"}


def employer_keys(personas, queryset) -> set[str]:
    names = {personas.steel.pk: "steel", personas.small_firm.pk: "small_firm", personas.miyi_mine.pk: "miyi_mine"}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# ------------------------------------------------------------------------------------------ visible_to


@pytest.mark.parametrize("role", ROLES)
def test_visible_workers_by_role(personas, role):
    user = getattr(personas, role)

    assert set(Worker.objects.visible_to(user).values_list("name", flat=True)) == VISIBLE_WORKERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_employers_by_role(personas, role):
    user = getattr(personas, role)

    assert employer_keys(personas, Employer.objects.visible_to(user)) == VISIBLE_EMPLOYERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_spells_follow_the_visible_workers(personas, role):
    user = getattr(personas, role)

    assert set(EmploymentSpell.objects.visible_to(user).values_list("worker__name", flat=True)) == \
        VISIBLE_WORKERS[role]


@pytest.mark.parametrize("role", ["dongqu_officer", "steel_hr", "worker_user"])
def test_a_workers_own_rows_are_scoped_by_that_worker_alone(personas, role):
    """One worker's spells, certificates and memberships are checked against that worker, not against a
    list of every worker the user sees (which SQLite built in full for one worker's page, bench/load)."""
    user = getattr(personas, role)
    worker = personas.steel_worker

    sql = str(EmploymentSpell.objects.visible_to(user).filter(worker=worker).query)

    # No list of workers; a district's list of its employers (``in_district``) is small and meant.
    assert "EXISTS" in sql and not re.search(r'(worker_id"|"id") IN \(SELECT', sql)
    assert list(EmploymentSpell.objects.visible_to(user).filter(worker=worker)) == list(
        EmploymentSpell.objects.filter(worker=worker, **({"employer": personas.steel} if role == "steel_hr" else {})))
    assert not EmploymentSpell.objects.visible_to(user).filter(worker=personas.miyi_worker).exists()


def test_anonymous_sees_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert (Worker.objects.visible_to(AnonymousUser()).count(), Employer.objects.visible_to(None).count()) == (0, 0)


def test_a_deactivated_user_sees_nothing(personas):
    personas.city_admin.is_active = False

    assert (Worker.objects.visible_to(personas.city_admin).count(),
            Employer.objects.visible_to(personas.city_admin).count()) == (0, 0)


def test_a_district_officer_keeps_seeing_a_worker_who_left_for_no_new_employer(personas):
    spell = EmploymentSpell.objects.get(worker=personas.steel_worker)
    services.end_employment(spell, datetime.date(2024, 6, 30), expected_version=1, acting_user=None,
                            channel=Channel.SYSTEM)

    assert set(Worker.objects.visible_to(personas.dongqu_officer).values_list("name", flat=True)) == {"张三"}
    assert set(Worker.objects.visible_to(personas.steel_hr).values_list("name", flat=True)) == {"张三"}


# ------------------------------------------------------------------------------------------- list page


@pytest.mark.parametrize("role", ROLES)
def test_worker_list_shows_exactly_the_visible_workers(personas, sign_in, role):
    client = sign_in(getattr(personas, role))

    response = client.get("/registry/workers/")

    if role not in CAN_VIEW_WORKERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert {worker.name for worker in response.context["page"].rows} == VISIBLE_WORKERS[role]
    assert "51040219800101123X" not in response.content.decode()


def test_worker_list_requires_sign_in(personas, client):
    response = client.get("/registry/workers/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/registry/workers/")


# ---------------------------------------------------------------------------------------------- export


@pytest.mark.parametrize("role", ROLES)
def test_worker_export_holds_exactly_the_visible_workers_masked_and_is_logged(personas, sign_in, role):
    user = getattr(personas, role)
    client = sign_in(user)

    response = client.get("/registry/workers/export.csv")

    if role not in CAN_EXPORT:
        assert response.status_code == 403
        assert not AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).exists()
        return
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0][:2] == ["姓名", "公民身份号码"]
    assert {(row[0], row[1]) for row in rows[1:]} == {(name, MASKED_IDS[name]) for name in VISIBLE_WORKERS[role]}
    assert list(AccessLogEntry.objects.values_list("event", "user", "target")) == [
        (AccessEvent.EXPORT, user.pk, "workers.csv")]


@pytest.mark.parametrize("role", ["city_admin", "dongqu_officer", "steel_hr"])
def test_unmasked_export_with_permission_shows_full_ids_and_logs_the_unmasking(personas, sign_in, role):
    user = getattr(personas, role)

    response = sign_in(user).get("/registry/workers/export.csv?unmasked=1")

    rows = read_csv(response)
    assert {(row[0], row[1], row[4]) for row in rows[1:] if row[0] == "张三"} == {
        ("张三", "51040219800101123X", "13800001234")}
    assert {row[1] for row in rows[1:]} == {FULL_IDS[name] for name in VISIBLE_WORKERS[role]}
    assert sorted(AccessLogEntry.objects.values_list("event", "user", "target")) == [
        (AccessEvent.EXPORT, user.pk, "workers.csv"), (AccessEvent.UNMASK, user.pk, "workers.csv")]


def test_unmasked_export_without_permission_stays_masked_and_logs_no_unmasking(personas, sign_in):
    assert not personas.union_officer.has_perm("registry.unmask_worker")

    response = sign_in(personas.union_officer).get("/registry/workers/export.csv?unmasked=1")

    rows = read_csv(response)
    assert {(row[0], row[1], row[4]) for row in rows[1:]} == {("张三", "510402********123X", "138****1234"),
                                                             ("李梅", "510421********3340", "")}
    assert list(AccessLogEntry.objects.values_list("event", flat=True)) == [AccessEvent.EXPORT]


def test_export_of_another_format_is_not_found(personas, sign_in):
    response = sign_in(personas.city_admin).get("/registry/workers/export.pdf")

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_employer_export_holds_exactly_the_visible_employers(personas, sign_in, role):
    response = sign_in(getattr(personas, role)).get("/registry/employers/export.csv")

    if role not in CAN_EXPORT:
        assert response.status_code == 403
        return
    uscc = {personas.steel.uscc: "steel", personas.small_firm.uscc: "small_firm", personas.miyi_mine.uscc: "miyi_mine"}
    assert {uscc[row[0]] for row in read_csv(response)[1:]} == VISIBLE_EMPLOYERS[role]


# ---------------------------------------------------------------------------------------------- search


def test_searching_the_full_id_of_an_out_of_scope_worker_finds_nothing(personas):
    visible = Worker.objects.visible_to(personas.dongqu_officer)

    assert list(selectors.search_workers(visible, "510421199002023340")) == []
    assert list(selectors.search_workers(visible, "51040219800101123X")) == [personas.steel_worker]


def test_searching_an_out_of_scope_phone_finds_nothing(personas):
    visible = Worker.objects.visible_to(personas.miyi_officer)

    assert list(selectors.search_workers(visible, "13800001234")) == []


def test_exporting_a_search_for_an_out_of_scope_id_is_empty(personas, sign_in):
    response = sign_in(personas.dongqu_officer).get("/registry/workers/export.csv?q=510421199002023340", follow=True)

    assert read_csv(response)[1:] == []


def test_the_list_search_for_an_out_of_scope_id_is_empty(personas, sign_in):
    response = sign_in(personas.dongqu_officer).get("/registry/workers/?q=510421199002023340", follow=True)

    assert response.status_code == 200
    assert list(response.context["page"].rows) == []


# ---------------------------------------------------------------------------------------------- detail


@pytest.mark.parametrize("role", sorted(CAN_VIEW_WORKERS))
def test_detail_of_an_out_of_scope_worker_is_not_found(personas, sign_in, role):
    client = sign_in(getattr(personas, role))

    for name, worker in (("张三", personas.steel_worker), ("李梅", personas.miyi_worker)):
        if name not in VISIBLE_WORKERS[role]:
            assert client.get(f"/registry/workers/{worker.pk}/").status_code == 404
            assert client.post(f"/registry/workers/{worker.pk}/unmask/").status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(event=AccessEvent.UNMASK).exists()


def test_detail_of_a_missing_worker_is_not_found_like_an_out_of_scope_one(personas, sign_in):
    assert sign_in(personas.city_admin).get("/registry/workers/999999/").status_code == 404


@pytest.mark.parametrize("role", sorted(CAN_VIEW_WORKERS))
def test_detail_of_an_in_scope_worker_is_shown(personas, sign_in, role):
    client = sign_in(getattr(personas, role))

    for worker in (personas.steel_worker, personas.miyi_worker):
        if worker.name in VISIBLE_WORKERS[role]:
            response = client.get(f"/registry/workers/{worker.pk}/")
            assert (response.status_code, response.context["worker"]) == (200, worker)


def test_detail_of_an_out_of_scope_employer_is_not_found(personas, sign_in):
    client = sign_in(personas.steel_hr)

    assert client.get(f"/registry/employers/{personas.small_firm.pk}/").status_code == 404


# --------------------------------------------------------------------------------- a worker of two firms


def test_hr_of_a_second_employer_sees_the_worker_but_not_the_first_employers_spell(personas):
    services.hire_worker({"id_number": "51040219800101123X", "name": "张三", "hukou_type": "urban"},
                         {"employer": personas.small_firm, "start_date": datetime.date(2024, 7, 1)},
                         acting_user=personas.small_firm_hr, channel=Channel.PAGE)

    assert list(Worker.objects.visible_to(personas.small_firm_hr)) == [personas.steel_worker]
    assert list(EmploymentSpell.objects.visible_to(personas.small_firm_hr).values_list("employer__name", flat=True)) \
        == ["攀枝花市仁和区小微机修店"]
    assert list(EmploymentSpell.objects.visible_to(personas.steel_hr).values_list("employer__name", flat=True)) == [
        "攀钢集团有限公司"]
    detail = selectors.worker_detail(personas.small_firm_hr, personas.steel_worker)
    assert [spell.employer.name for spell in detail["spells"]] == ["攀枝花市仁和区小微机修店"]
    history = selectors.worker_history(personas.small_firm_hr, personas.steel_worker)
    assert "攀钢集团有限公司" not in " ".join(entry.object_repr for entry in history)
    assert len(selectors.worker_history(personas.city_admin, personas.steel_worker)) == len(history) + 1
    assert list(Employer.objects.visible_to(personas.small_firm_hr)) == [personas.small_firm]


# ------------------------------------------------------------------------------------------------ guard

SCOPED_MODELS = ("Worker", "Employer", "EmploymentSpell", "Certificate", "EmployerFact")
UNSCOPED_QUERY = re.compile(r"\b(?:%s)\.objects\b(?!\.visible_to\()" % "|".join(SCOPED_MODELS))  # noqa: UP031
PACKAGE = Path(__file__).resolve().parents[2]


def view_modules() -> list[Path]:
    patterns = ["*/views*.py", "*/views/*.py", "*/api/views.py"]
    return sorted({path for pattern in patterns for path in PACKAGE.glob(pattern)})


def unscoped_queries(source: str) -> list[str]:
    return [match.group(0) for match in UNSCOPED_QUERY.finditer(source)]


def test_the_guard_recognises_unscoped_queries():
    assert unscoped_queries("Worker.objects.filter(pk=1)\nEmployer.objects.all()\nEmployerFact.objects") == [
        "Worker.objects", "Employer.objects", "EmployerFact.objects"]
    assert unscoped_queries("Worker.objects.visible_to(user)\nEmploymentSpell.objects.visible_to(u).on(d)") == []


def test_no_view_queries_a_scoped_model_without_visible_to():
    modules = view_modules()
    assert PACKAGE / "registry" / "views" / "workers.py" in modules
    assert PACKAGE / "registry" / "api" / "views.py" in modules

    offenders = {str(path.relative_to(PACKAGE)): found for path in modules
                 if (found := unscoped_queries(path.read_text(encoding="utf-8")))}

    assert offenders == {}
