"""Submitted text with a NUL character is refused by the API's parsers, for every field and view (0012)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workforce.core.api.parsers import holds_nul
from workforce.core.identifiers import uscc_check_char
from workforce.registry.models import Employer
from workforce.registry.tests.api_support import registry_state

REFUSED = {"non_field_errors": ["请求内容不能包含空字符（\\u0000）。"]}
USCC = "91510402MA6CU5QX1" + uscc_check_char("91510402MA6CU5QX1")
EMPLOYER = {"uscc": USCC, "name": "攀枝花市新材料有限公司", "district": "510402", "industry": "31",
            "ownership": "private"}


@pytest.fixture
def admin_client(personas) -> APIClient:
    client = APIClient()
    client.force_authenticate(personas.city_admin)
    return client


@pytest.mark.parametrize("data_format", ["json", "multipart"])
@pytest.mark.parametrize(("field", "value"), [("industry", "3\x001"), ("district", "\x00"), ("name", "攀\x00钢")])
def test_a_nul_in_a_field_is_refused_and_changes_nothing(admin_client, data_format, field, value):
    # The code of a related field reached PostgreSQL, which cannot compare text with NUL: a 500.
    before = registry_state()

    answer = admin_client.post("/api/registry/employers/", {**EMPLOYER, field: value}, format=data_format)

    assert (answer.status_code, answer.json()) == (400, REFUSED)
    assert registry_state() == before


def test_a_nul_in_a_key_or_a_nested_value_is_refused(admin_client, personas):
    answer = admin_client.patch(f"/api/registry/employers/{personas.steel.pk}/",
                                {"version": 1, "name": "新名称", "x\x00": [{"y": ["\x00"]}]}, format="json")

    assert (answer.status_code, answer.json()) == (400, REFUSED)
    assert Employer.objects.get(pk=personas.steel.pk).name == "攀钢集团有限公司"


def test_text_without_nul_is_accepted(admin_client):
    answer = admin_client.post("/api/registry/employers/", EMPLOYER, format="json")

    assert answer.status_code == 201, answer.content


@pytest.mark.parametrize(("data", "expected"), [
    ("a\x00", True), ("a", False), ({"a": ["b", {"c": "\x00"}]}, True), ({"\x00": 1}, True), ([1, 2.5, None], False),
])
def test_holds_nul(data, expected):
    assert holds_nul(data) is expected
