"""Who sees and who may confirm a self-registration; what confirming does (decision 0019)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.core.changelog import history_for
from workforce.portal.choices import CodePurpose, RegistrationStatus
from workforce.portal.models import PortalProfile, SelfRegistration
from workforce.portal.services.registrations import confirm_self_registration, refuse_self_registration
from workforce.portal.services.signup import SelfRegistrationData, SignUp, request_code, submit_self_registration
from workforce.portal.tests.conftest import last_code
from workforce.registry.models import Worker

PASSWORD = "Bright-Kettle-Ridge-48"
ID_NUMBER = "510402199001011234"


@pytest.fixture
def registration(personas, sms_outbox) -> SelfRegistration:
    """赵六 registered themself naming the steel company (东区) by its credit code."""
    request_code("13922223333", CodePurpose.SIGN_UP, ip_address=None)
    return submit_self_registration(SelfRegistrationData(
        sign_up=SignUp(id_number=ID_NUMBER, name="赵六", phone="13922223333",
                       code=last_code(sms_outbox, "13922223333"), username="zhaoliu", password=PASSWORD),
        hukou_type="rural", district_code="510402", employer_name="攀钢集团有限公司",
        employer_uscc="915104002043502888"))


@pytest.mark.parametrize(("who", "sees"), [
    ("city_admin", True), ("union_officer", True), ("dongqu_officer", True), ("steel_hr", True),
    ("miyi_officer", False), ("small_firm_hr", False), ("training_school", False), ("leader", False),
    ("worker_user", False),
])
def test_who_sees_a_self_registration(personas, registration, who, sees):
    user = getattr(personas, who)
    assert SelfRegistration.objects.visible_to(user).filter(pk=registration.pk).exists() == sees


def test_the_hrss_officer_sees_none_though_a_department_officer(personas, registration):
    from workforce.accounts.models import Department
    from workforce.accounts.services import create_user

    hrss = create_user("hrss", PASSWORD, role_code=RoleCode.DEPARTMENT_OFFICER,
                       department=Department.objects.get(code="hrss"))
    assert not SelfRegistration.objects.visible_to(hrss).exists()


def test_confirming_registers_the_worker_and_opens_their_login(personas, registration):
    confirm_self_registration(registration, acting_user=personas.steel_hr, note="已核验身份证原件")
    registration.refresh_from_db()
    worker = Worker.objects.get(id_number_hash=registration.id_number_hash)
    user = User.objects.get(username="zhaoliu")
    assert (registration.status, registration.user, registration.decided_by) == (
        RegistrationStatus.CONFIRMED, user, personas.steel_hr)
    assert (user.role.code, user.worker, worker.name, worker.phone, worker.hukou_type) == (
        RoleCode.WORKER, worker, "赵六", "13922223333", "rural")
    assert user.check_password(PASSWORD)
    assert PortalProfile.objects.get(user=user).phone == "13922223333"
    assert [entry.action for entry in history_for(registration)] == ["update", "create"]
    assert history_for(worker).filter(action="create", user=personas.steel_hr).exists()
    # The applicant sees their registration once they can sign in.
    assert list(SelfRegistration.objects.visible_to(user)) == [registration]


@pytest.mark.parametrize("who", ["miyi_officer", "small_firm_hr", "leader", "worker_user"])
def test_out_of_scope_cannot_confirm_and_nothing_changes(personas, registration, who):
    with pytest.raises(PermissionDenied):
        confirm_self_registration(registration, acting_user=getattr(personas, who))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert not Worker.objects.filter(id_number_hash=registration.id_number_hash).exists()
    assert not User.objects.filter(username="zhaoliu").exists()


def test_refusing_needs_a_reason_and_frees_the_username(personas, registration):
    with pytest.raises(ValidationError, match="请填写不予确认的原因"):
        refuse_self_registration(registration, acting_user=personas.union_officer, reason=" ")
    refuse_self_registration(registration, acting_user=personas.union_officer, reason="本单位无此职工")
    registration.refresh_from_db()
    assert (registration.status, registration.decision_note) == (RegistrationStatus.REFUSED, "本单位无此职工")
    assert not SelfRegistration.objects.filter(username="zhaoliu", status=RegistrationStatus.PENDING).exists()
    with pytest.raises(ValidationError, match="已处理"):
        confirm_self_registration(registration, acting_user=personas.union_officer)


def test_pages_list_and_decide_in_scope(personas, registration, sign_in):
    client = sign_in(personas.dongqu_officer)
    page = client.get("/portal/registrations/")
    assert page.status_code == 200 and "赵六" in page.content.decode() and ID_NUMBER not in page.content.decode()
    response = client.post(f"/portal/registrations/{registration.pk}/decide/", {"decision": "confirm", "note": ""})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_pages_out_of_scope_are_404_and_change_nothing(personas, registration, client, sign_in):
    client = sign_in(personas.miyi_officer)
    assert client.get(f"/portal/registrations/{registration.pk}/").status_code == 404
    assert client.post(f"/portal/registrations/{registration.pk}/decide/", {"decision": "confirm"}).status_code == 404
    assert "赵六" not in client.get("/portal/registrations/").content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
