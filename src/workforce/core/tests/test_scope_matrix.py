"""The scope matrix, generated from the URL configuration (issue 13): every route, asked by every role that
must not see a world outside its scope (a 米易县 mine, its worker, her membership and certificate, and a
roster the 米易县 officer uploaded), with every id of that world put into the route's parameters. No answer
may be a server error or hold a value of that world: names, the employer, ID or phone numbers, in full or
masked. Routes added later are covered by construction; a route that needs a value the generator cannot
make up must be named in ``PARAMETER_VALUES``."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from workforce.core.choices import Channel
from workforce.imports.tests.test_services import check, roster
from workforce.registry import services
from workforce.registry.choices import CertificateKind
from workforce.registry.models import EmploymentSpell, MembershipSequence

ELSEWHERE_ID, ELSEWHERE_PHONE = "510421199002023340", "13912345678"
IMPORTED_ID = "510421198807070017"
# What each role must never be shown: the people of the 米易县 world always, its employer unless the role
# reads employers city-wide (leaders do).
PERSON_MARKERS = ["李梅", ELSEWHERE_ID, "510421********3340", ELSEWHERE_PHONE, "139****5678", "赵六", IMPORTED_ID,
                  "510421********0017", "13987654321", "139****4321"]
EMPLOYER_MARKERS = ["米易县白马铁矿", "91510421MA6AR8KJ07"]
OUTSIDERS = {
    "dongqu_officer": PERSON_MARKERS + EMPLOYER_MARKERS,
    "steel_hr": PERSON_MARKERS + EMPLOYER_MARKERS,
    "small_firm_hr": PERSON_MARKERS + EMPLOYER_MARKERS,
    "worker_user": PERSON_MARKERS + EMPLOYER_MARKERS,
    "training_school": PERSON_MARKERS + EMPLOYER_MARKERS,
    "leader": PERSON_MARKERS,
}
# Values for parameters that are not record ids; every int parameter takes each id of the 米易县 world.
PARAMETER_VALUES = {"fmt": ["csv", "xlsx"], "table": ["occupations"], "code": ["x"]}
SKIPPED = {"accounts/logout/", "i18n/setlang/"}  # they end the session or answer only POST
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def routes() -> list[str]:
    """Every route of the URL configuration as a path pattern (``registry/workers/<int:pk>/``)."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)
    return [route for route in walk(get_resolver().url_patterns) if route not in SKIPPED]


def urls(route: str, ids: list[int]) -> list[str]:
    """``route`` with each value its parameters can take (the same id for every int parameter of a route)."""
    names = CONVERTER.findall(route)
    if not names:
        return ["/" + route]
    choices: list[list[str]] = [[]]
    for value in ids:
        url = route
        for converter, name in names:
            first = PARAMETER_VALUES.get(name, ["x"])[0] if converter != "int" else str(value)
            url = url.replace(f"<{converter}:{name}>" if converter else f"<{name}>", first, 1)
        choices[0].append("/" + url)
    for name, options in PARAMETER_VALUES.items():  # the other values of a named parameter, once each
        for option in options[1:]:
            choices[0] += [url.replace(str(PARAMETER_VALUES[name][0]), option) for url in choices[0]
                           if any(found == name for _, found in names)]
    return sorted(set(choices[0]))


@pytest.fixture
def elsewhere(personas):
    """The 米易县 world: 李梅 (with a phone, a union membership and a certificate) at the 米易县 mine, and a
    roster of the mine uploaded by the 米易县 officer with a new person and a row with a wrong ID number."""
    li_mei = personas.miyi_worker
    services.update_worker(li_mei, {"phone": ELSEWHERE_PHONE}, expected_version=li_mei.version, acting_user=None,
                           channel=Channel.SYSTEM)
    membership = services.start_union_membership(li_mei, datetime.date(2020, 1, 1), employer=personas.miyi_mine,
                                                 acting_user=None, channel=Channel.SYSTEM)
    certificate = services.add_certificate(li_mei, {"kind": CertificateKind.SPECIAL_ABILITY, "number": "MY-0001",
                                                    "issuer": "米易县人社局", "issued_on": datetime.date(2021, 5, 1)},
                                           acting_user=None, channel=Channel.SYSTEM)
    header = ["姓名", "公民身份号码", "手机号码", "户口性质", "入职日期", "用人单位统一社会信用代码"]
    uploaded = check(roster([["赵六", IMPORTED_ID, "13987654321", "城镇户口", "2022-03-01", personas.miyi_mine.uscc],
                             ["李梅", ELSEWHERE_ID[:-1] + "1", ELSEWHERE_PHONE, "农村户口", "2022-03-01",
                              personas.miyi_mine.uscc]], header=header), personas.miyi_officer)
    spell = EmploymentSpell.objects.get(worker=li_mei)
    return sorted({li_mei.pk, personas.miyi_mine.pk, spell.pk, membership.pk, certificate.pk, uploaded.pk,
                   MembershipSequence.objects.get().last_id})


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_no_route_shows_a_role_anything_of_a_world_outside_its_scope(personas, sign_in, elsewhere, role):
    client = sign_in(getattr(personas, role))
    markers = OUTSIDERS[role]
    asked, leaks = 0, []
    filters = f"?employer={personas.miyi_mine.pk}&as_of=2023-01-01&district=510421"
    for route in routes():
        for url in urls(route, elsewhere):
            for query in ("", filters) if "<" not in route else ("",):  # lists: also filtered to that world
                response = client.get(url + query)
                asked += 1
                assert response.status_code < 500, (url + query, response.status_code)
                body = body_of(response)
                leaks += [(url + query, marker) for marker in markers if marker in body]
    assert leaks == []
    assert asked > 300  # the generator reached the routes (127 when written)


def test_the_matrix_finds_that_world_where_it_is_in_scope(personas, sign_in, elsewhere):
    """The control: asked by the 米易县 officer, the same generator and markers find that world."""
    client = sign_in(personas.miyi_officer)
    bodies = [body_of(client.get(url)) for route in ("registry/workers/<int:pk>/", "api/registry/workers/")
              for url in urls(route, elsewhere)]
    found = {marker for body in bodies for marker in OUTSIDERS["steel_hr"] if marker in body}

    assert {"李梅", "510421********3340", "139****5678", "米易县白马铁矿"} <= found
