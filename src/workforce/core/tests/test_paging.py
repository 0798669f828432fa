"""Paging of every list page and paginated API endpoint, found from the URL configuration and the OpenAPI
schema (decision 0012): a page that does not exist is a 404, never a 500 from the database."""

from __future__ import annotations

import datetime
import inspect

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from workforce.core.paging import Page, capped_count
from workforce.imports.tests.test_services import ROWS, check, roster

HUGE = "10000000000000000000"
# Values of ``page`` that name no page: 0, negative, not a number, other digits, and beyond 64 bits.
NO_SUCH_PAGE = ["0", "-1", "abc", "", "1_0", "١", "2.5", " 2", HUGE, "9" * 5000, "9223372036854775807"]
ON = datetime.date(2024, 6, 30).isoformat()


def _routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """``(name, route)`` of every named pattern of the URL configuration, with its view function."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern.callback


def _is_paged_page(callback) -> bool:
    """A page view (not the API) that lists through ``core.paging.paginate``."""
    view = inspect.unwrap(callback)
    return not hasattr(callback, "cls") and "paginate(" in inspect.getsource(view)


PAGED_PAGES = sorted((name, route) for name, route, callback in _routes() if _is_paged_page(callback))


def _paginated_api_paths() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(path for path, operations in schema["paths"].items()
                  if any(parameter["name"] == "page" for parameter in operations.get("get", {}).get("parameters", [])))


PAGED_API_PATHS = _paginated_api_paths()


@pytest.fixture
def samples(personas):
    """A record for each path parameter of a paged list, and the query a list needs besides the page."""
    from workforce.accounts.models import Department
    from workforce.indicators.models import Indicator
    from workforce.indicators.seed import ensure_indicators

    ensure_indicators(Indicator, Department)
    roster_import = check(roster(ROWS), personas.city_admin)
    return {
        "imports:detail": ({"pk": roster_import.pk}, {}),
        "indicators:records": ({"code": "soe_workers_congress"}, {"on": ON}),
        "reference:list": ({"table": "divisions"}, {}),
        "/api/imports/{id}/leavers/": {"id": roster_import.pk},
        "/api/imports/{id}/problems/": {"id": roster_import.pk},
        "/api/registry/employers/{id}/history/": {"id": personas.steel.pk},
        "/api/registry/workers/{id}/history/": {"id": personas.steel_worker.pk},
    }


def _page_url(name: str, route: str, samples) -> tuple[str, dict]:
    kwargs, query = samples.get(name, ({}, {})) if "<" in route else ({}, {})
    assert "<" not in route or kwargs, f"add a sample record for the paged page {name} ({route})"
    from django.urls import reverse

    return reverse(name, kwargs=kwargs), query


def test_the_url_configuration_has_paged_pages_and_endpoints():
    # The discovery finds (at least) the lists of today; a new one is found and tested by construction.
    assert {name for name, _route in PAGED_PAGES} >= {
        "access_log", "users:list", "reference:list", "imports:list", "imports:detail", "indicators:records",
        "registry:worker_list", "registry:employer_list"}
    assert len(PAGED_API_PATHS) >= 14
    assert {"/api/registry/workers/", "/api/imports/{id}/problems/", "/api/supervision/tasks/"} <= set(PAGED_API_PATHS)


@pytest.mark.parametrize(("name", "route"), PAGED_PAGES)
def test_paged_page_answers_404_for_a_page_that_does_not_exist(name, route, personas, samples, sign_in):
    client = sign_in(personas.city_admin)
    url, query = _page_url(name, route, samples)

    first = client.get(url, query)
    assert first.status_code == 200
    assert isinstance(first.context["page"], Page)
    assert client.get(url, {**query, "page": "1"}).status_code == 200
    past_the_end = (first.context["page"].last_number or 1) + 1
    assert client.get(url, {**query, "page": str(past_the_end)}).status_code == 404
    for value in NO_SUCH_PAGE:
        assert client.get(url, {**query, "page": value}).status_code == 404, value


@pytest.mark.parametrize(("name", "route"), PAGED_PAGES)
def test_paged_page_searched_for_a_nul_character_answers(name, route, personas, samples, sign_in):
    client = sign_in(personas.city_admin)
    url, query = _page_url(name, route, samples)

    # PostgreSQL text cannot hold NUL: the search must not reach the database with one (it was a 500).
    assert client.get(url, {**query, "q": "a\x00b"}).status_code == 200


@pytest.mark.parametrize("path", PAGED_API_PATHS)
def test_paged_endpoint_answers_404_for_a_page_that_does_not_exist(path, personas, samples):
    client = APIClient()
    client.force_authenticate(personas.city_admin)
    url = path.format(**samples.get(path, {}))
    assert "{" not in url, f"add a sample record for the paged endpoint {path}"

    first = client.get(url)
    assert first.status_code == 200, first.content
    assert client.get(url, {"page": "1"}).status_code == 200
    assert first.json()["next"] is None  # the samples fit on one page
    for value in ["2", *NO_SUCH_PAGE]:
        answer = client.get(url, {"page": value})
        assert answer.status_code == 404, value
        assert answer.json() == {"detail": "没有这一页（页码须为正整数，且不超过最后一页）。"}


@pytest.mark.parametrize("path", PAGED_API_PATHS)
def test_paged_endpoint_refuses_a_page_size_out_of_range(path, personas, samples):
    client = APIClient()
    client.force_authenticate(personas.city_admin)
    url = path.format(**samples.get(path, {}))

    for value in ["null", "0", "-5", "abc", "", "501", HUGE]:
        answer = client.get(url, {"page_size": value})
        assert answer.status_code == 400, value
        assert answer.json() == {"page_size": ["每页条数须为 1 到 500 之间的整数。"]}
    assert client.get(url, {"page_size": "500"}).status_code == 200
    assert client.get(url, {"page_size": "1"}).status_code == 200


def test_a_page_in_range_lists_its_rows(personas, sign_in):
    client = APIClient()
    client.force_authenticate(personas.city_admin)

    second = client.get("/api/registry/employers/", {"page_size": "1", "page": "2"})

    assert second.status_code == 200
    body = second.json()
    assert (body["count"], len(body["results"])) == (3, 1)
    assert body["previous"].endswith("page=1&page_size=1")
    assert body["next"].endswith("page=3&page_size=1")
    assert client.get("/api/registry/employers/", {"page_size": "1", "page": "4"}).status_code == 404


def test_the_count_cap_is_the_setting_read_at_each_count(db, settings):
    settings.LIST_COUNT_CAP = 3
    assert ContentType.objects.count() > 3
    assert capped_count(ContentType.objects.all()) == (3, False)
    settings.LIST_COUNT_CAP = 1000
    assert capped_count(ContentType.objects.all()) == (ContentType.objects.count(), True)


@pytest.mark.django_db
def test_a_list_beyond_the_count_cap_gets_a_labelled_estimate_of_its_total():
    """Issue 15: beyond the cap the total is estimated from evenly spaced id windows, close to the truth."""
    from workforce.core.models import AccessLogEntry
    from workforce.core.paging import estimated_count

    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(event="login", target="even" if index % 2 == 0 else "odd") for index in range(40_000)])
    evens = AccessLogEntry.objects.filter(target="even")

    assert 18_000 <= estimated_count(evens, floor=2_000) <= 22_000
    assert estimated_count(evens.filter(pk__lt=0), floor=2_000) == 2_001  # never below what is known
    page = Page(evens.order_by("-pk"), 1, 50, estimate=True)
    assert not page.count_is_exact and page.estimate == estimated_count(evens, floor=2_000)
    assert Page(evens.order_by("-pk"), 1, 50).estimate is None  # only where the list asks for it
