"""The API as a door: token sign-in (with TOTP for staff), sessions, the schema and its docs page, and the
rules every registry endpoint shares (Chinese errors, scoping only through ``visible_to``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from workforce.accounts.models import ApiToken
from workforce.accounts.services import hash_token_key
from workforce.conftest import PASSWORD
from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry
from workforce.registry.tests.api_support import client_as

TOKEN_URL = "/api/auth/token/"
WORKERS_URL = "/api/registry/workers/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The sign-in throttle counts requests per address in the cache; each test starts afresh."""
    cache.clear()


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# ---------------------------------------------------------------------------------------------- tokens


def test_worker_gets_a_token_and_reads_their_own_record_with_it(personas):
    response = APIClient().post(TOKEN_URL, {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 200
    token = response.json()["token"]
    assert hash_token_key(token) == ApiToken.objects.get(user=personas.worker_user).key_hash
    listing = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(WORKERS_URL)
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [personas.steel_worker.pk]


def test_wrong_password_is_refused_in_chinese_and_logged(personas):
    response = APIClient().post(TOKEN_URL, {"username": "zhangsan", "password": "wrong-password"})

    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码不正确。"}
    assert not ApiToken.objects.exists()
    assert list(AccessLogEntry.objects.values_list("event", "username")) == [
        (AccessEvent.SIGN_IN_FAILED, "zhangsan")]


def test_staff_without_a_totp_code_gets_no_token(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True

    response = APIClient().post(TOKEN_URL, {"username": "steel-hr", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"detail": "请提供正确的动态口令（otp）。"}
    assert not ApiToken.objects.exists()
    assert AccessLogEntry.objects.filter(event=AccessEvent.TWO_FACTOR_FAILED, user=personas.steel_hr).count() == 1


def test_staff_with_a_wrong_totp_code_gets_no_token(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = APIClient().post(TOKEN_URL, {"username": "steel-hr", "password": PASSWORD, "otp": wrong})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_staff_with_a_totp_code_gets_a_token(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)

    response = APIClient().post(TOKEN_URL, {"username": "steel-hr", "password": PASSWORD,
                                            "otp": totp_code(device)})

    assert response.status_code == 200
    assert hash_token_key(response.json()["token"]) == ApiToken.objects.get(user=personas.steel_hr).key_hash


def test_staff_needs_no_totp_code_when_two_factor_is_switched_off(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = False

    response = APIClient().post(TOKEN_URL, {"username": "steel-hr", "password": PASSWORD})

    assert response.status_code == 200


def test_an_unknown_token_is_refused(personas):
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token").get(WORKERS_URL)

    assert response.status_code == 401


# ---------------------------------------------------------------------------------------------- sessions


def test_staff_session_without_two_factor_cannot_use_the_api(personas, client, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    client.force_login(personas.steel_hr)  # password only, no TOTP verification

    response = client.get(WORKERS_URL)

    assert response.status_code == 403
    assert response.json() == {"detail": "请先在网页上完成双因素认证（动态口令），或使用 API 令牌访问。"}


def test_staff_session_with_two_factor_can_use_the_api(personas, sign_in, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True

    response = sign_in(personas.steel_hr).get(WORKERS_URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_worker_session_needs_no_two_factor(personas, client, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    client.force_login(personas.worker_user)

    assert client.get(WORKERS_URL).status_code == 200


# ---------------------------------------------------------------------------------------------- shared rules


def test_anonymous_is_asked_to_authenticate_in_chinese(personas):
    response = APIClient().get(WORKERS_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_missing_record_answers_404_in_chinese(personas):
    response = client_as(personas, "city_admin").get(f"{WORKERS_URL}999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录（记录不存在，或不在您的数据范围内）。"}


def test_out_of_scope_record_answers_exactly_like_a_missing_one(personas):
    missing = client_as(personas, "miyi_officer").get(f"{WORKERS_URL}999999/")
    out_of_scope = client_as(personas, "miyi_officer").get(f"{WORKERS_URL}{personas.steel_worker.pk}/")

    assert (out_of_scope.status_code, out_of_scope.json()) == (missing.status_code, missing.json())


@pytest.mark.parametrize("path", ["abc/", "99999999999999999999999/"])
def test_ids_that_are_not_numbers_or_too_large_are_not_found(personas, path):
    assert client_as(personas, "city_admin").get(f"{WORKERS_URL}{path}").status_code == 404


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ("{not json", "application/json", {"detail": "请求内容无法解析，请发送有效的 JSON。"}),
    ("[1, 2]", "application/json", {"non_field_errors": ["无效数据。期待为字典类型，得到的是 list 。"]}),
])
def test_malformed_bodies_are_refused_in_chinese(personas, body, content_type, expected):
    response = client_as(personas, "city_admin").post(WORKERS_URL, body, content_type=content_type)

    assert response.status_code == 400
    assert response.json() == expected


def test_put_and_delete_are_not_offered(personas):
    client = client_as(personas, "city_admin")
    url = f"{WORKERS_URL}{personas.steel_worker.pk}/"

    assert client.put(url, {}, format="json").status_code == 405
    assert client.delete(url).status_code == 405


def test_api_views_read_rows_only_through_visible_to():
    """STYLE.md: scoping lives in one place; a view module never reaches a model's rows another way."""
    source = (Path(__file__).resolve().parents[1] / "api" / "views.py").read_text(encoding="utf-8")

    unscoped = re.findall(r"\.objects\.(?!visible_to\()\w+", source)

    assert unscoped == []


# ---------------------------------------------------------------------------------------------- schema and docs


def test_schema_describes_the_registry(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert "/api/registry/workers/" in response.content.decode()
    assert "/api/registry/workers/lookup/" in response.content.decode()


def test_docs_page_is_served_without_any_external_host(db):
    response = APIClient().get("/api/docs/")
    script = APIClient().get("/api/docs/?script=")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    for text in (html, script.content.decode()):
        for host in ("cdn.", "jsdelivr", "unpkg", "https://", "http://"):
            assert host not in text
