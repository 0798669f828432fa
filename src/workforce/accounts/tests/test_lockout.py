"""Sign-in throttling per username and address together, with exponential backoff, and the
administrator's unlock (issue 13, point 11)."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.test import Client

from workforce.conftest import PASSWORD
from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry, ChangeLogEntry

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
STRANGER = "203.0.113.9"


def locked(minutes: int) -> str:
    return f"登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试。"


def attempt(username: str, password: str, address: str = "127.0.0.1"):
    """One sign-in from ``address``; returns the page's errors, or None when signed in."""
    response = Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})
    return None if response.status_code == 302 else response.context["form"].non_field_errors()


def test_a_stranger_cannot_lock_the_administrator_out(personas):
    for _attempt in range(20):
        attempt("admin", "wrong-password", STRANGER)

    assert attempt("admin", PASSWORD, STRANGER) == [locked(15)]
    assert attempt("admin", PASSWORD) is None


def test_the_strangers_address_is_locked_even_with_the_right_password(personas):
    for _attempt in range(5):
        attempt("admin", "wrong-password", STRANGER)

    assert attempt("admin", PASSWORD, STRANGER) == [locked(15)]
    assert AccessLogEntry.objects.filter(event=AccessEvent.LOCKED_OUT, ip_address=STRANGER).count() == 1


def test_each_failure_after_a_lockout_doubles_it(personas):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        for _attempt in range(5):
            attempt("steel-hr", "wrong-password")
        traveller.shift(datetime.timedelta(minutes=16))
        assert attempt("steel-hr", "wrong-password") == ["用户名或密码不正确。"]  # the sixth failure: 30 minutes

        assert attempt("steel-hr", PASSWORD) == [locked(30)]
        traveller.shift(datetime.timedelta(minutes=30))
        assert attempt("steel-hr", PASSWORD) == [locked(1)]
        traveller.shift(datetime.timedelta(seconds=1))
        assert attempt("steel-hr", PASSWORD) is None


def test_the_backoff_stops_at_its_maximum(personas, settings):
    settings.LOGIN_LOCKOUT_MAX = datetime.timedelta(hours=1)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        for _attempt in range(5):
            attempt("steel-hr", "wrong-password")
        for wait in (16, 31, 61):  # each after the lockout before: 30, 60, then still 60 minutes
            traveller.shift(datetime.timedelta(minutes=wait))
            assert attempt("steel-hr", "wrong-password") == ["用户名或密码不正确。"]

        assert attempt("steel-hr", PASSWORD) == [locked(60)]


def test_one_address_failing_for_many_usernames_is_throttled(personas):
    for number in range(20):
        attempt(f"guess{number}", "wrong-password", STRANGER)

    assert attempt("union", PASSWORD, STRANGER) == [locked(15)]
    assert attempt("union", PASSWORD) is None


def test_the_administrator_sees_and_ends_a_lockout(personas, sign_in):
    hr = personas.steel_hr
    for _attempt in range(5):
        attempt("steel-hr", "wrong-password", STRANGER)
    client = sign_in(personas.city_admin)

    page = client.get(f"/users/{hr.pk}/edit/")
    assert [(lockout.ip_address, lockout.failures) for lockout in page.context["lockouts"]] == [(STRANGER, 5)]
    response = client.post(f"/users/{hr.pk}/unlock/")

    assert (response.status_code, response["Location"]) == (302, f"/users/{hr.pk}/edit/")
    assert client.get(f"/users/{hr.pk}/edit/").context["lockouts"] == []
    assert attempt("steel-hr", PASSWORD, STRANGER) is None
    entry = AccessLogEntry.objects.get(event=AccessEvent.UNLOCKED)
    assert (entry.user, entry.username, entry.target) == (personas.city_admin, "steel-hr", f"user:{hr.pk}")
    change = ChangeLogEntry.objects.get(object_id=str(hr.pk), note="解除登录锁定")
    assert change.user == personas.city_admin


def test_only_the_administrator_unlocks(personas, sign_in):
    for _attempt in range(5):
        attempt("steel-hr", "wrong-password")

    response = sign_in(personas.dongqu_officer).post(f"/users/{personas.steel_hr.pk}/unlock/")

    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(event=AccessEvent.UNLOCKED).exists()
    assert attempt("steel-hr", PASSWORD) == [locked(15)]
