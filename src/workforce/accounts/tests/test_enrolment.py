"""TOTP enrolment needs a one-time code the administrator issues (issue 13, point 10): signing in with
the password alone no longer lets anyone bind a device to a staff account."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.models import EnrolmentCode, User
from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry, ChangeLogEntry

ENROL_URL = "/accounts/two-factor/enrol/"
REFUSED = "绑定码不正确或已失效，请联系管理员重新签发。"
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def issue_code(client, user) -> str:
    """The administrator (signed in on ``client``) issues a code for ``user``; returns it."""
    response = client.post(f"/users/{user.pk}/enrolment-code/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    found = CODE.search(response.content.decode())
    assert found is not None, "no code on the page"
    return found.group()


def enrol(client, code: str):
    """Give the code, then the first TOTP code of the device the page made; returns the last answer."""
    client.post(ENROL_URL, {"code": code})
    device = TOTPDevice.objects.filter(confirmed=False).last()
    return client.post(f"{ENROL_URL}?next=/registry/workers/", {"token": f"{totp(device.bin_key):06d}"})


def test_without_a_code_signing_in_with_the_password_binds_no_device(personas, client):
    client.force_login(personas.steel_hr)

    response = client.get(ENROL_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" not in content and 'name="code"' in content
    response = client.post(ENROL_URL, {"code": "ABCD-EFGH-JKMN"})
    assert response.context["form"].errors == {"code": [REFUSED]}
    assert not TOTPDevice.objects.filter(user=personas.steel_hr).exists()
    assert AccessLogEntry.objects.filter(event=AccessEvent.ENROLMENT_CODE_FAILED, user=personas.steel_hr).count() == 1
    assert client.get("/registry/workers/").status_code == 302


def test_the_administrator_issues_a_code_kept_only_hashed(personas, sign_in):
    code = issue_code(sign_in(personas.city_admin), personas.steel_hr)

    enrolment = EnrolmentCode.objects.get(user=personas.steel_hr)
    assert code.replace("-", "") not in enrolment.code_hash
    assert enrolment.issued_by == personas.city_admin
    entry = ChangeLogEntry.objects.get(object_id=str(personas.steel_hr.pk), note__startswith="签发动态口令绑定码")
    assert entry.user == personas.city_admin


def test_with_the_code_the_user_enrols_once(personas, sign_in, client):
    code = issue_code(sign_in(personas.city_admin), personas.steel_hr)
    client.force_login(personas.steel_hr)

    response = enrol(client, code.lower().replace("-", " "))

    assert (response.status_code, response["Location"]) == (302, "/registry/workers/")
    assert client.get("/registry/workers/").status_code == 200
    assert list(TOTPDevice.objects.filter(user=personas.steel_hr).values_list("confirmed", flat=True)) == [True]
    assert EnrolmentCode.objects.get().used_at is not None
    assert AccessLogEntry.objects.filter(event=AccessEvent.TWO_FACTOR_ENROLLED, user=personas.steel_hr).count() == 1
    client.logout()
    client.force_login(personas.steel_hr)
    assert client.post(ENROL_URL, {"code": code}).context["form"].errors == {"code": [REFUSED]}


def test_a_new_phone_replaces_the_old_device(personas, sign_in, client):
    old = TOTPDevice.objects.create(user=personas.steel_hr, name="old phone", confirmed=True)
    code = issue_code(sign_in(personas.city_admin), personas.steel_hr)
    client.force_login(personas.steel_hr)

    enrol(client, code)

    devices = list(TOTPDevice.objects.filter(user=personas.steel_hr))
    assert len(devices) == 1 and devices[0].pk != old.pk and devices[0].confirmed


def test_an_expired_code_is_refused(personas, sign_in, client, settings):
    assert datetime.timedelta(hours=72) == settings.TOTP_ENROLMENT_CODE_LIFETIME
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=72, seconds=1)):
        code = issue_code(sign_in(personas.city_admin), personas.steel_hr)
    client.force_login(personas.steel_hr)

    response = client.post(ENROL_URL, {"code": code})

    assert response.context["form"].errors == {"code": [REFUSED]}
    assert not TOTPDevice.objects.filter(user=personas.steel_hr).exists()


def test_a_new_code_voids_the_one_before(personas, sign_in, client):
    admin = sign_in(personas.city_admin)
    first = issue_code(admin, personas.steel_hr)
    issue_code(admin, personas.steel_hr)
    admin.logout()
    client.force_login(personas.steel_hr)

    assert client.post(ENROL_URL, {"code": first}).context["form"].errors == {"code": [REFUSED]}


def test_five_wrong_codes_void_the_right_one(personas, sign_in, client):
    code = issue_code(sign_in(personas.city_admin), personas.steel_hr)
    client.force_login(personas.steel_hr)
    for _attempt in range(5):
        client.post(ENROL_URL, {"code": "ABCD-EFGH-JKMN"})

    response = client.post(ENROL_URL, {"code": code})

    assert response.context["form"].errors == {"code": [REFUSED]}


def test_only_the_administrator_issues_codes(personas, sign_in):
    response = sign_in(personas.dongqu_officer).post(f"/users/{personas.steel_hr.pk}/enrolment-code/")

    assert response.status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_the_first_administrator_gets_a_code_from_the_command_line(personas, client):
    out = StringIO()

    call_command("enrolment_code", "admin", stdout=out)

    code = CODE.search(out.getvalue()).group()
    client.force_login(personas.city_admin)
    assert enrol(client, code).status_code == 302
    assert TOTPDevice.objects.get(user=personas.city_admin).confirmed


def test_enrolling_leaves_a_change_log_row_for_the_new_device_and_its_binding(personas, sign_in, client):
    code = issue_code(sign_in(personas.city_admin), personas.steel_hr)
    client.force_login(personas.steel_hr)

    enrol(client, code)

    rows = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User),
                                         object_id=str(personas.steel_hr.pk), user=personas.steel_hr)
    notes = list(rows.order_by("pk").values_list("note", flat=True))
    assert notes == ["生成待绑定的动态口令设备", "绑定动态口令设备"]


def test_the_two_factor_page_verifies_through_the_service_and_logs_both_answers(personas, client):
    device = TOTPDevice.objects.create(user=personas.steel_hr, name="phone", confirmed=True)
    client.force_login(personas.steel_hr)

    wrong = client.post("/accounts/two-factor/", {"token": f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the service let django-otp record the failure
    device.throttle_reset()
    right = client.post("/accounts/two-factor/?next=/registry/workers/", {"token": f"{totp(device.bin_key):06d}"})

    assert wrong.status_code == 200 and right["Location"] == "/registry/workers/"
    events = list(AccessLogEntry.objects.filter(user=personas.steel_hr).order_by("pk").values_list("event", flat=True))
    assert events[-2:] == [AccessEvent.TWO_FACTOR_FAILED, AccessEvent.TWO_FACTOR_VERIFIED]
