"""No download is kept by a browser or proxy cache (issue 13 point 6): every door that hands out a file
answers ``Cache-Control: no-store`` and ``Pragma: no-cache``, set in one place
(``core.middleware.SecurityHeadersMiddleware`` through ``core.exports.forbid_caching``)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from workforce.core.exports import export_response
from workforce.imports import reports
from workforce.imports.models import RosterImport
from workforce.imports.tests.test_services import ROWS, check, roster
from workforce.registry.tests.api_support import client_as


@pytest.fixture
def sync_import(personas) -> RosterImport:
    """A full-roster sync with a problem (a wrong phone) and leavers (the steel worker is not listed)."""
    rows = [ROWS[0], [*ROWS[1][:2], "12345", *ROWS[1][3:]]]
    roster_import = check(roster(rows), personas.steel_hr, mode="sync")
    reports.write_error_report(roster_import)  # as the check job does: a request never builds it (issue 14)
    return roster_import


PAGE_DOORS = [
    ("city_admin", "/registry/workers/export.csv?unmasked=1"),
    ("city_admin", "/registry/workers/export.xlsx?unmasked=1"),
    ("city_admin", "/registry/workers/export.csv"),
    ("city_admin", "/registry/employers/export.xlsx"),
    ("steel_hr", "/imports/export.csv"),
    ("steel_hr", "/imports/{pk}/problems.xlsx"),
    ("steel_hr", "/imports/{pk}/problems.csv"),
    ("steel_hr", "/imports/{pk}/leavers.xlsx"),
    ("steel_hr", "/imports/{pk}/report.xlsx"),
    ("steel_hr", "/imports/{pk}/file"),
    ("steel_hr", "/imports/template.xlsx"),
]


@pytest.mark.parametrize(("who", "url"), PAGE_DOORS)
def test_every_download_page_forbids_caching(personas, sign_in, sync_import, who, url):
    response = sign_in(getattr(personas, who)).get(url.format(pk=sync_import.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")


def test_the_indicators_report_forbids_caching(personas, sign_in):
    response = sign_in(personas.leader).get(reverse("indicators:report", args=["xlsx"]))

    assert response.status_code == 200
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")


def test_the_api_problem_report_forbids_caching(personas, sync_import):
    response = client_as(personas, "steel_hr").get(f"/api/imports/{sync_import.pk}/report/")

    assert response.status_code == 200
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")


def test_pages_that_are_not_downloads_keep_their_caching_rules(personas, sign_in):
    response = sign_in(personas.steel_hr).get("/imports/")

    assert response.status_code == 200 and "Pragma" not in response


def test_every_export_is_named_after_its_stem_and_the_china_time_minute():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 17, 26, tzinfo=datetime.UTC), tick=False):
        response = export_response("csv", "workers", ["姓名"], [["张三"]])

    assert response["Content-Disposition"].endswith("workers-20261208-0126.csv")
    assert export_response("pdf", "workers", [], []) is None
