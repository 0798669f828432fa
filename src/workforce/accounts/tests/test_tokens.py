"""API tokens (issue 13, point 9): hashed at rest, expiring, revoked when the password, role, scope or
active flag changes, issued to staff only after TOTP, and listed and revoked by their user and the
administrator."""

from __future__ import annotations

import datetime
import hashlib
import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from workforce.accounts import services
from workforce.accounts.models import ApiToken
from workforce.conftest import PASSWORD
from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry, ChangeLogEntry

WORKERS_URL = "/api/registry/workers/"
TOKENS_URL = "/api/auth/tokens/"


def issue(user, *, verified: bool = True, name: str = "") -> tuple[ApiToken, str]:
    return services.issue_api_token(user, name=name, is_two_factor_verified=verified)


def api(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def totp_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


# --------------------------------------------------------------------------------------- issuing


def test_a_token_is_kept_only_as_its_hash(personas):
    response = APIClient().post("/api/auth/token/", {"username": "zhangsan", "password": PASSWORD, "name": "同步"})

    key = response.json()["token"]
    token = ApiToken.objects.get(user=personas.worker_user)
    assert (token.key_hash, token.prefix, token.name) == (hashlib.sha256(key.encode()).hexdigest(), key[:8], "同步")
    assert key not in str(list(ApiToken.objects.values_list()))
    assert response.json()["expires_at"] == timezone.localtime(token.expires_at).isoformat()
    assert AccessLogEntry.objects.filter(event=AccessEvent.TOKEN_ISSUED, user=personas.worker_user).count() == 1


def test_a_token_expires_after_its_lifetime(personas, settings):
    assert datetime.timedelta(days=30) == settings.API_TOKEN_LIFETIME
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        _token, key = issue(personas.worker_user)
        traveller.shift(datetime.timedelta(days=30, seconds=-1))
        assert api(key).get(WORKERS_URL).status_code == 200

        traveller.shift(datetime.timedelta(seconds=1))
        response = api(key).get(WORKERS_URL)

    assert (response.status_code, response.json()) == (401, {"detail": "令牌已过期，请重新申请。"})


def test_using_a_token_notes_when(personas):
    token, key = issue(personas.worker_user)

    api(key).get(WORKERS_URL)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_issuing_beyond_the_limit_revokes_the_oldest(personas, settings):
    settings.API_TOKENS_PER_USER = 2
    first, _ = issue(personas.worker_user)
    second, _ = issue(personas.worker_user)

    third, _ = issue(personas.worker_user)

    assert list(personas.worker_user.api_tokens.active().order_by("id")) == [second, third]
    first.refresh_from_db()
    assert first.revoke_reason == "超出令牌数量上限"


# ------------------------------------------------------------------------------- two factors


def test_a_token_issued_without_totp_stops_working_once_two_factors_are_required(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = False
    key = APIClient().post("/api/auth/token/", {"username": "steel-hr", "password": PASSWORD}).json()["token"]
    assert api(key).get(WORKERS_URL).status_code == 200

    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    response = api(key).get(WORKERS_URL)

    assert (response.status_code, response.json()) == (
        401, {"detail": "该令牌签发时未经动态口令验证，请提供动态口令重新申请令牌。"})


def test_a_token_issued_after_totp_keeps_working(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)
    key = APIClient().post("/api/auth/token/", {"username": "steel-hr", "password": PASSWORD,
                                                "otp": totp_code(device)}).json()["token"]

    assert ApiToken.objects.get().is_two_factor_verified is True
    assert api(key).get(WORKERS_URL).status_code == 200


def test_a_worker_token_needs_no_totp(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    _token, key = issue(personas.worker_user, verified=False)

    assert api(key).get(WORKERS_URL).status_code == 200


# ------------------------------------------------------------------------------------- revocation


def revoked_note(count: int, reason: str) -> str:
    return f"吊销全部接口令牌（{count} 个）：{reason}"


def test_a_password_reset_revokes_the_tokens(personas):
    token, key = issue(personas.steel_hr)

    services.set_user_password(personas.steel_hr, "Kingfisher#Lake42", acting_user=personas.city_admin)

    response = api(key).get(WORKERS_URL)
    assert (response.status_code, response.json()) == (401, {"detail": "令牌无效。"})
    token.refresh_from_db()
    assert token.revoke_reason == "重设密码"
    entry = ChangeLogEntry.objects.get(object_id=str(personas.steel_hr.pk), note=revoked_note(1, "重设密码"))
    assert entry.user == personas.city_admin


@pytest.mark.parametrize(("changes", "reason"), [
    ({"district_id": "510403"}, "角色或数据范围变更"),
    ({"role_code": "leader"}, "角色或数据范围变更"),
    ({"is_active": False}, "停用账号"),
])
def test_a_change_of_role_scope_or_active_flag_revokes_the_tokens(personas, changes, reason):
    from workforce.accounts.models import Role

    officer = personas.dongqu_officer
    _token, key = issue(officer)
    if "role_code" in changes:
        changes = {"role": Role.objects.get(code=changes["role_code"])}

    services.update_user(officer, changes, acting_user=personas.city_admin)

    assert api(key).get(WORKERS_URL).status_code == 401
    assert ApiToken.objects.get().revoke_reason == reason
    assert ChangeLogEntry.objects.filter(object_id=str(officer.pk), note=revoked_note(1, reason)).count() == 1


def test_a_change_of_name_keeps_the_tokens(personas):
    _token, key = issue(personas.dongqu_officer)

    services.update_user(personas.dongqu_officer, {"display_name": "东区专员"}, acting_user=personas.city_admin)

    assert api(key).get(WORKERS_URL).status_code == 200


# ------------------------------------------------------------------------------- listing (API)


def test_a_user_lists_only_their_own_tokens_without_keys(personas):
    mine, key = issue(personas.worker_user, name="手机")
    issue(personas.steel_hr)

    response = api(key).get(TOKENS_URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["id"], row["username"], row["name"], row["is_active"]) for row in rows] == [
        (mine.pk, "zhangsan", "手机", True)]
    assert key not in response.content.decode() and "key_hash" not in rows[0]


def test_a_user_revokes_their_own_token_through_the_api(personas):
    token, key = issue(personas.worker_user)

    response = api(key).delete(f"{TOKENS_URL}{token.pk}/")

    assert response.status_code == 204
    assert api(key).get(WORKERS_URL).status_code == 401
    entry = ChangeLogEntry.objects.get(object_id=str(token.pk), note="吊销接口令牌")
    assert (entry.channel, entry.user, entry.after["revoke_reason"]) == ("api", personas.worker_user, "本人吊销")


def test_another_users_token_is_not_found(personas):
    theirs, their_key = issue(personas.steel_hr)
    _mine, key = issue(personas.worker_user)

    assert api(key).get(f"{TOKENS_URL}{theirs.pk}/").status_code == 404
    assert api(key).delete(f"{TOKENS_URL}{theirs.pk}/").status_code == 404
    assert api(their_key).get(WORKERS_URL).status_code == 200


def test_the_administrator_lists_and_revokes_any_users_tokens(personas):
    theirs, their_key = issue(personas.steel_hr)
    issue(personas.worker_user)
    _admin_token, key = issue(personas.city_admin)

    listing = api(key).get(TOKENS_URL, {"user": personas.steel_hr.pk}).json()["results"]
    response = api(key).delete(f"{TOKENS_URL}{theirs.pk}/")

    assert [row["id"] for row in listing] == [theirs.pk]
    assert response.status_code == 204
    assert api(their_key).get(WORKERS_URL).status_code == 401
    theirs.refresh_from_db()
    assert theirs.revoke_reason == "管理员吊销"


def test_a_staff_session_without_totp_cannot_list_tokens(personas, client, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    client.force_login(personas.steel_hr)

    assert client.get(TOKENS_URL).status_code == 403


# --------------------------------------------------------------------------------------- pages


def test_a_user_issues_and_revokes_a_token_on_their_page(personas, sign_in):
    client = sign_in(personas.steel_hr)

    response = client.post("/accounts/tokens/", {"name": "人事系统同步"})

    key = response.context["key"]
    assert key in response.content.decode() and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=personas.steel_hr)
    assert (token.name, token.is_two_factor_verified) == ("人事系统同步", True)
    assert api(key).get(WORKERS_URL).status_code == 200
    assert key not in client.get("/accounts/tokens/").content.decode()

    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api(key).get(WORKERS_URL).status_code == 401


def test_the_token_page_needs_totp_for_staff(personas, client, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    client.force_login(personas.steel_hr)

    response = client.post("/accounts/tokens/", {"name": "x"})

    assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/?next=%2Faccounts%2Ftokens%2F")
    assert not ApiToken.objects.exists()


def test_a_user_cannot_revoke_another_users_token_on_the_page(personas, sign_in):
    theirs, _key = issue(personas.steel_hr)

    response = sign_in(personas.dongqu_officer).post(f"/accounts/tokens/{theirs.pk}/revoke/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_administrator_revokes_tokens_on_the_user_page(personas, sign_in):
    first, _ = issue(personas.steel_hr)
    second, _ = issue(personas.steel_hr)
    client = sign_in(personas.city_admin)

    page = client.get(f"/users/{personas.steel_hr.pk}/edit/")
    assert list(page.context["tokens"]) == [second, first]
    client.post(f"/users/{personas.steel_hr.pk}/tokens/{first.pk}/revoke/")
    client.post(f"/users/{personas.steel_hr.pk}/tokens/revoke-all/")

    assert list(ApiToken.objects.order_by("id").values_list("revoke_reason", flat=True)) == ["管理员吊销"] * 2
    assert ChangeLogEntry.objects.filter(note=revoked_note(1, "管理员吊销")).count() == 1


def test_only_the_administrator_revokes_on_the_user_page(personas, sign_in):
    theirs, _ = issue(personas.steel_hr)

    client = sign_in(personas.dongqu_officer)

    assert client.post(f"/users/{personas.steel_hr.pk}/tokens/{theirs.pk}/revoke/").status_code == 403
    assert client.post(f"/users/{personas.steel_hr.pk}/tokens/revoke-all/").status_code == 403
    assert ApiToken.objects.active().count() == 1


# ----------------------------------------------------------------------------------- migration


def test_drf_tokens_are_carried_over_hashed_and_their_table_emptied(personas):
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [key, timezone.now(), personas.worker_user.pk])
    migration = importlib.import_module("workforce.accounts.migrations.0003_api_tokens_and_enrolment_codes")

    migration.move_drf_tokens(apps, connection.schema_editor())

    token = ApiToken.objects.get()
    assert (token.user, token.prefix, token.is_two_factor_verified) == (personas.worker_user, key[:8], False)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get(WORKERS_URL).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
        cursor.execute("DROP TABLE authtoken_token")


def test_a_user_filter_that_is_no_id_lists_nothing(personas):
    issue(personas.steel_hr)
    _admin_token, key = issue(personas.city_admin)

    for value in ("abc", "99999999999999999999999"):
        response = api(key).get(TOKENS_URL, {"user": value})
        assert (response.status_code, response.json()["results"]) == (200, [])


def test_the_api_checks_the_totp_code_through_the_service_and_logs_it(personas, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)
    credentials = {"username": "steel-hr", "password": PASSWORD}

    missing = APIClient().post("/api/auth/token/", credentials)
    right = APIClient().post("/api/auth/token/", credentials | {"otp": totp_code(device)})

    assert (missing.status_code, right.status_code) == (400, 200)
    events = list(AccessLogEntry.objects.filter(user=personas.steel_hr, event__startswith="two_factor")
                  .order_by("pk").values_list("event", flat=True))
    assert events == [AccessEvent.TWO_FACTOR_FAILED, AccessEvent.TWO_FACTOR_VERIFIED]
