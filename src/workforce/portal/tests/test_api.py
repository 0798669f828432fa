"""The sign-up steps through the API, as a phone app takes them (decision 0019)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workforce.accounts.models import ApiToken, User
from workforce.portal.tests.conftest import last_code

PASSWORD = "Bright-Kettle-Ridge-48"


@pytest.fixture
def api():
    return APIClient()


def test_a_phone_app_signs_up_and_gets_a_token(personas, api, sms_outbox):
    personas.worker_user.delete()
    sent = api.post("/api/portal/codes/", {"phone": "13800001234", "purpose": "sign_up"}, format="json")
    assert sent.status_code == 202 and sent.json() == {"detail": "验证码已发送，10分钟内有效。"}
    answer = api.post("/api/portal/sign-up/", {
        "id_number": "51040219800101123X", "name": "张三", "phone": "13800001234",
        "code": last_code(sms_outbox, "13800001234"), "username": "zhangsan-app", "password": PASSWORD},
        format="json")
    assert answer.status_code == 201 and answer.json()["username"] == "zhangsan-app"
    user = User.objects.get(username="zhangsan-app")
    assert ApiToken.objects.filter(user=user).count() == 1
    from workforce.core.changelog import history_for

    assert set(history_for(user).values_list("channel", flat=True)) == {"api"}
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    me = api.get(f"/api/registry/workers/{personas.steel_worker.pk}/")
    assert me.status_code == 200


def test_refusals_are_400_with_the_field_and_change_nothing(personas, api, sms_outbox):
    too_soon = [api.post("/api/portal/codes/", {"phone": "13800001234", "purpose": "sign_up"}, format="json")
                for _attempt in range(2)][1]
    assert too_soon.status_code == 400 and too_soon.json()["field"] == "phone"
    assert "验证码发送过于频繁" in too_soon.json()["detail"]
    wrong = api.post("/api/portal/sign-up/", {
        "id_number": "51040219800101123X", "name": "张三", "phone": "13800001234", "code": "abcdef",
        "username": "zhangsan-app", "password": PASSWORD}, format="json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "code"
    assert not User.objects.filter(username="zhangsan-app").exists()


def test_a_reset_through_the_api(personas, api, sms_outbox):
    from workforce.portal.models import PortalProfile

    PortalProfile.objects.create(user=personas.worker_user, phone="13800001234", phone_hash=_hash("13800001234"),
                                 phone_masked="138****1234", verified_at="2026-01-01T00:00:00Z")
    api.post("/api/portal/codes/", {"phone": "13800001234", "purpose": "password_reset"}, format="json")
    answer = api.post("/api/portal/password-reset/", {
        "phone": "13800001234", "code": last_code(sms_outbox, "13800001234"), "password": PASSWORD}, format="json")
    assert answer.status_code == 200 and answer.json()["username"] == "zhangsan"
    personas.worker_user.refresh_from_db()
    assert personas.worker_user.check_password(PASSWORD)


def _hash(value: str) -> str:
    from workforce.core.encryption import lookup_hash

    return lookup_hash(value)
