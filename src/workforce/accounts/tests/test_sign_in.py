"""Signing in: the access log, lockout after repeated failures, password rules, TOTP for staff roles,
session lifetime and security headers."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.conftest import PASSWORD
from workforce.core.choices import AccessEvent
from workforce.core.middleware import SecurityHeadersMiddleware
from workforce.core.models import AccessLogEntry

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LOCKED = "登录失败次数过多，账号已临时锁定，请 15 分钟后再试。"


def post_sign_in(client, username: str, password: str, next_url: str = ""):
    return client.post(f"/accounts/login/{'?next=' + next_url if next_url else ''}",
                       {"username": username, "password": password})


def events() -> list[tuple[str, str]]:
    return list(AccessLogEntry.objects.order_by("id").values_list("event", "username"))


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


# ------------------------------------------------------------------------------------- sign-in page


def test_signing_in_with_the_right_password_is_logged(personas, client):
    response = post_sign_in(client, "steel-hr", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_id(client) == str(personas.steel_hr.pk)
    entry = AccessLogEntry.objects.get()
    assert (entry.event, entry.user, entry.username, entry.ip_address) == (
        AccessEvent.SIGN_IN, personas.steel_hr, "steel-hr", "127.0.0.1")


def test_signing_in_goes_to_the_next_page_on_this_site_only(personas, client):
    assert post_sign_in(client, "steel-hr", PASSWORD, "/registry/workers/")["Location"] == "/registry/workers/"
    client.logout()
    assert post_sign_in(client, "steel-hr", PASSWORD, "https://evil.example/")["Location"] == "/"


def test_a_wrong_password_is_refused_and_logged(personas, client):
    response = post_sign_in(client, "steel-hr", "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["用户名或密码不正确。"]
    assert "用户名或密码不正确。" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert events() == [(AccessEvent.SIGN_IN_FAILED, "steel-hr")]


def test_an_unknown_username_gets_the_same_answer(personas, client):
    response = post_sign_in(client, "nobody", "wrong-password")

    assert response.context["form"].non_field_errors() == ["用户名或密码不正确。"]
    assert events() == [(AccessEvent.SIGN_IN_FAILED, "nobody")]


def test_after_too_many_failures_even_the_right_password_is_refused(personas, client, settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    for _attempt in range(5):
        post_sign_in(client, "steel-hr", "wrong-password")

    response = post_sign_in(client, "steel-hr", PASSWORD)

    assert response.context["form"].non_field_errors() == [LOCKED]
    assert LOCKED in response.content.decode()
    assert signed_in_user_id(client) is None
    assert events() == [(AccessEvent.SIGN_IN_FAILED, "steel-hr")] * 5 + [(AccessEvent.LOCKED_OUT, "steel-hr")]


def test_four_failures_do_not_lock(personas, client):
    for _attempt in range(4):
        post_sign_in(client, "steel-hr", "wrong-password")

    post_sign_in(client, "steel-hr", PASSWORD)

    assert signed_in_user_id(client) == str(personas.steel_hr.pk)


def test_the_lockout_ends_after_the_lockout_period(personas, client, settings):
    assert datetime.timedelta(minutes=15) == settings.LOGIN_LOCKOUT
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        for _attempt in range(5):
            post_sign_in(client, "steel-hr", "wrong-password")

        traveller.shift(datetime.timedelta(minutes=15))
        post_sign_in(client, "steel-hr", PASSWORD)
        assert signed_in_user_id(client) is None

        traveller.shift(datetime.timedelta(seconds=1))
        response = post_sign_in(client, "steel-hr", PASSWORD)
        assert (response.status_code, signed_in_user_id(client)) == (302, str(personas.steel_hr.pk))

    assert events()[-2:] == [(AccessEvent.LOCKED_OUT, "steel-hr"), (AccessEvent.SIGN_IN, "steel-hr")]


def test_a_lockout_of_one_user_does_not_lock_another(personas, client):
    for _attempt in range(5):
        post_sign_in(client, "steel-hr", "wrong-password")

    post_sign_in(client, "small-hr", PASSWORD)

    assert signed_in_user_id(client) == str(personas.small_firm_hr.pk)


# -------------------------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(("password", "messages"), [
    ("password1234", ["这个密码太常见了。", "密码须至少包含小写字母、大写字母、数字、符号中的三类。"]),
    ("Abcdefghijkl", ["密码须至少包含小写字母、大写字母、数字、符号中的三类。",
                      "密码不能主要由键盘上相邻的按键或连续的字母、数字组成（如 qwer、1qaz、1234、abcd）。"]),
    ("Sh0rt!pw", ["密码长度太短，至少需要 12 个字符。"]),
])
def test_weak_passwords_are_refused_in_chinese(password, messages):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert refused.value.messages == messages


def test_a_strong_password_is_accepted():
    assert validate_password(PASSWORD) is None


# ----------------------------------------------------------------------------------------- two factors


def test_a_staff_user_without_verification_is_sent_to_two_factor(personas, client):
    client.force_login(personas.steel_hr)

    response = client.get("/registry/workers/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/?next=/registry/workers/")


def test_a_staff_user_without_a_device_is_sent_to_enrol_one(personas, client):
    client.force_login(personas.steel_hr)

    response = client.get("/accounts/two-factor/?next=/registry/workers/")

    assert (response.status_code, response["Location"]) == (
        302, "/accounts/two-factor/enrol/?next=%2Fregistry%2Fworkers%2F")
    assert not TOTPDevice.objects.filter(user=personas.steel_hr).exists()


def test_a_right_token_lets_the_user_through(personas, client):
    client.force_login(personas.steel_hr)
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)

    response = client.post("/accounts/two-factor/?next=/registry/workers/", {"token": f"{totp(device.bin_key):06d}"})

    assert (response.status_code, response["Location"]) == (302, "/registry/workers/")
    assert events() == [(AccessEvent.TWO_FACTOR_VERIFIED, "steel-hr")]
    assert client.get("/registry/workers/").status_code == 200


def test_a_wrong_token_is_refused_and_logged(personas, client):
    client.force_login(personas.steel_hr)
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/two-factor/", {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors == {"token": ["动态口令不正确或已过期，请重新输入。"]}
    assert events() == [(AccessEvent.TWO_FACTOR_FAILED, "steel-hr")]
    assert client.get("/registry/workers/").status_code == 302


def test_a_worker_is_not_forced_to_two_factor(personas, client):
    client.force_login(personas.worker_user)

    response = client.get(f"/registry/workers/{personas.steel_worker.pk}/")

    assert response.status_code == 200


def test_a_signed_out_visitor_is_sent_to_sign_in_not_two_factor(personas, client):
    response = client.get("/registry/workers/")

    assert response["Location"] == "/accounts/login/?next=/registry/workers/"


# ------------------------------------------------------------------------------ sessions and headers


def test_sessions_end_with_the_browser_and_after_eight_idle_hours(personas, client, settings):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
            settings.SESSION_REFRESH_SECONDS) == (8 * 3600, True, 60)

    post_sign_in(client, "steel-hr", PASSWORD)

    cookie = client.cookies["sessionid"]
    assert (cookie["max-age"], cookie["expires"], cookie["httponly"], cookie["samesite"]) == ("", "", True, "Lax")


def session_expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_a_session_in_use_is_written_once_a_minute_and_ends_eight_idle_hours_after_the_last_request(
        personas, client):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False) as clock:
        post_sign_in(client, "zhangsan", PASSWORD)
        signed_in_until = session_expiry(client)
        assert signed_in_until == start + datetime.timedelta(hours=8)

        clock.shift(30)  # pages read within the minute do not write the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/").status_code == 200
        assert not [query for query in queries if "django_session" in query["sql"]
                    and not query["sql"].lstrip().upper().startswith("SELECT")]
        assert session_expiry(client) == signed_in_until

        clock.shift(60)  # the first request after a minute keeps it alive from now
        assert client.get("/portal/").status_code == 200
        assert session_expiry(client) == start + datetime.timedelta(seconds=90, hours=8)
        clock.shift(10)
        assert client.get("/portal/").status_code == 200
        assert session_expiry(client) == start + datetime.timedelta(seconds=90, hours=8)

        clock.shift(8 * 3600 - 9)  # idle for eight hours since the last write: signed out
        response = client.get("/registry/workers/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_visitor_who_is_not_signed_in_gets_no_session(db, client):
    assert client.get("/accounts/login/").status_code == 200
    client.cookies["sessionid"] = "no-such-session"
    assert client.get("/accounts/login/").status_code == 200

    assert not Session.objects.exists()


def test_responses_carry_the_security_headers(db):
    response = Client().get("/accounts/login/")

    assert response.headers["Content-Security-Policy"] == SecurityHeadersMiddleware.POLICY
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_signing_out_needs_a_post(personas, client):
    post_sign_in(client, "steel-hr", PASSWORD)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert signed_in_user_id(client) == str(personas.steel_hr.pk)
    assert events() == [(AccessEvent.SIGN_IN, "steel-hr")]


def test_signing_out_is_logged(personas, client):
    post_sign_in(client, "steel-hr", PASSWORD)

    response = client.post("/accounts/logout/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert signed_in_user_id(client) is None
    assert events() == [(AccessEvent.SIGN_IN, "steel-hr"), (AccessEvent.SIGN_OUT, "steel-hr")]
