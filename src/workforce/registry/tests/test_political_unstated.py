"""Issue 15 point 13: the political status has an explicit "not stated" (blank) state. Nothing defaults it to
群众 (masses): not the model, the services, the page's form or the API; it stays sealed when blank."""

from __future__ import annotations

import datetime

from django.db import connection
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from workforce.core.choices import Channel
from workforce.registry import services
from workforce.registry.choices import PoliticalStatus, WorkerFactKind
from workforce.registry.models import Worker
from workforce.registry.tests.api_support import client_as, id_number


def stored_status(worker: Worker) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT political_status FROM registry_worker WHERE id = %s", [worker.pk])
        return cursor.fetchone()[0]


def test_the_model_has_no_default_political_status():
    field = Worker._meta.get_field("political_status")
    assert not field.has_default() and field.blank and field.seal_blank


def test_a_worker_registered_without_a_political_status_is_not_stated_and_sealed(personas):
    worker = services.register_worker({"id_number": "510402198503152016", "name": "王五", "hukou_type": "urban"},
                                      acting_user=None, channel=Channel.SYSTEM)

    worker.refresh_from_db()
    assert worker.political_status == ""
    assert len(stored_status(worker)) == len(stored_status(personas.steel_worker))  # sealed, one length
    fact = worker.facts.get(kind=WorkerFactKind.POLITICAL_STATUS)
    assert fact.value == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM registry_workerfact WHERE id = %s", [fact.pk])
        assert len(cursor.fetchone()[0]) >= 40  # the blank fact is sealed too


def test_the_page_offers_not_stated_as_a_choice_and_stores_it_blank(personas, sign_in):
    client = sign_in(personas.small_firm_hr)
    form = client.get(reverse("registry:worker_create")).context["form"]
    assert form["political_status"].value() is None  # nothing preselected
    assert ("unstated", "未填报") in [(value, str(label)) for value, label in form.fields["political_status"].choices]

    response = client.post(reverse("registry:worker_create"), {
        "name": "王五", "id_number": "510402198503152016", "hukou_type": "rural", "political_status": "unstated",
        "employment-employer": personas.small_firm.pk, "employment-start_date": "2024-01-02"})

    assert response.status_code == 302
    assert Worker.objects.get(name="王五").political_status == ""


def test_the_edit_page_can_correct_a_status_to_not_stated(personas, sign_in):
    worker = personas.steel_worker
    response = sign_in(personas.city_admin).post(reverse("registry:worker_edit", args=[worker.pk]), {
        "version": worker.version, "name": worker.name, "hukou_type": "", "political_status": "unstated",
        "education": "", "new_employment_group": "", "effective_on": "2024-07-01"})

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.political_status == ""
    assert list(worker.facts.filter(kind=WorkerFactKind.POLITICAL_STATUS).values_list("value", "valid_to")) == [
        (PoliticalStatus.MASSES, datetime.date(2024, 6, 30)), ("", None)]


def test_the_api_takes_blank_or_null_as_not_stated(personas):
    client = client_as(personas, "city_admin")
    for number, value in (("510402198503152016", None), (id_number("51040219900101123"), "")):
        response = client.post("/api/registry/workers/", {
            "name": "王五", "id_number": number, "hukou_type": "urban", "political_status": value}, format="json")
        assert response.status_code == 201, response.json()
    assert set(Worker.objects.filter(name="王五").values_list("political_status", flat=True)) == {""}
    worker = Worker.objects.filter(name="王五").first()
    unmasked = client.post(f"/api/registry/workers/{worker.pk}/unmask/").json()
    assert unmasked["political_status"] == ""


def test_the_openapi_schema_documents_blank_and_null(personas):
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    given = schemas["WorkerCreateRequest"]["properties"]["political_status"]
    shown = schemas["WorkerUnmasked"]["properties"]["political_status"]
    assert "未填报" in given["description"] and "未填报" in shown["description"]
    assert given["nullable"] is True
    assert {"$ref": "#/components/schemas/BlankEnum"} in given["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in shown["oneOf"]
    assert schemas["BlankEnum"]["enum"] == [""]
