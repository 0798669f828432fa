"""The OpenAPI schema says what the API answers: shared refusals, blank choices, paging bounds (0012)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def statuses(schema, path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_a_write_documents_every_refusal(schema):
    assert statuses(schema, "/api/registry/spells/{id}/", "patch") == {"200", "400", "401", "403", "404", "409", "429"}
    assert statuses(schema, "/api/registry/workers/", "post") == {"201", "400", "401", "403", "404", "409", "429"}


def test_a_read_documents_its_refusals(schema):
    assert statuses(schema, "/api/registry/workers/{id}/", "get") == {"200", "400", "401", "403", "404", "429"}
    assert statuses(schema, "/api/supervision/measures/", "get") == {"200", "400", "401", "403", "404", "429"}


def test_the_token_endpoint_documents_no_sign_in_refusal(schema):
    assert statuses(schema, "/api/auth/token/", "post") == {"200", "400", "429"}


def test_a_view_keeps_the_refusal_it_documents_itself(schema):
    conflict = schema["paths"]["/api/imports/{id}/commit/"]["post"]["responses"]["409"]
    assert "content" not in conflict  # the view's own description, not the shared Error body


def test_refusals_have_a_body_schema(schema):
    answer = schema["paths"]["/api/registry/workers/{id}/"]["get"]["responses"]["404"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    invalid = schema["paths"]["/api/registry/workers/"]["post"]["responses"]["400"]
    assert invalid["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}


def test_a_read_only_choice_that_may_be_blank_allows_the_empty_value(schema):
    contract_type = schema["components"]["schemas"]["EmploymentSpell"]["properties"]["contract_type"]
    assert contract_type["oneOf"] == [{"$ref": "#/components/schemas/ContractTypeEnum"},
                                      {"$ref": "#/components/schemas/BlankEnum"}]
    assert contract_type["readOnly"] is True


def test_paging_parameters_have_their_bounds(schema):
    parameters = {parameter["name"]: parameter["schema"]
                  for parameter in schema["paths"]["/api/registry/workers/"]["get"]["parameters"]}
    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}


@pytest.mark.parametrize("path", ["/api/supervision/findings/{id}/rectifications/",
                                  "/api/supervision/inspections/{id}/findings/",
                                  "/api/supervision/reports/{id}/attachments/"])
def test_an_action_that_creates_documents_201(schema, path):
    # They answer 201 Created; the schema said 200 (found by the fuzz run).
    assert statuses(schema, path, "post") & {"200", "201"} == {"201"}
