from workforce.accounts.models import Role, User
from workforce.core.models import ChangeLogEntry
from workforce.reference.models import Occupation


def test_city_admin_creates_a_district_officer(personas, sign_in):
    client = sign_in(personas.city_admin)

    response = client.post("/users/new/", {
        "username": "renhe", "display_name": "仁和区专员", "role": Role.objects.get(code="district_officer").pk,
        "district": "510411", "password": "Officer!Spring2026", "is_active": "on",
    })

    assert response.status_code == 302
    user = User.objects.get(username="renhe")
    assert (user.district_id, user.scope_kind) == ("510411", "district")
    assert user.check_password("Officer!Spring2026")
    assert ChangeLogEntry.objects.filter(object_id=str(user.pk), action="create", channel="page").exists()


def test_a_district_officer_without_a_district_is_refused(personas, sign_in):
    client = sign_in(personas.city_admin)

    response = client.post("/users/new/", {
        "username": "nobody", "role": Role.objects.get(code="district_officer").pk, "password": "Officer!Spring2026",
    })

    assert response.status_code == 200
    assert "该角色须指定区县。" in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()


def test_a_weak_password_is_refused_with_a_chinese_message(personas, sign_in):
    client = sign_in(personas.city_admin)

    response = client.post("/users/new/", {
        "username": "weak", "role": Role.objects.get(code="leader").pk, "password": "abcdefghijklm",
    })

    assert "密码须至少包含小写字母、大写字母、数字、符号中的三类。" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_hr_user_is_bound_to_an_employer_by_its_uscc(personas, sign_in):
    client = sign_in(personas.city_admin)

    client.post("/users/new/", {
        "username": "steel-hr-2", "role": Role.objects.get(code="enterprise_hr").pk,
        "employer_uscc": personas.steel.uscc.lower(), "password": "Tiger!HrPass2026", "is_active": "on",
    })

    assert User.objects.get(username="steel-hr-2").employer == personas.steel


def test_editing_a_user_changes_role_scope_and_is_logged(personas, sign_in):
    client = sign_in(personas.city_admin)
    officer = personas.dongqu_officer

    response = client.post(f"/users/{officer.pk}/edit/", {
        "username": officer.username, "role": officer.role.pk, "district": "510403", "is_active": "on",
    })

    officer.refresh_from_db()
    assert response.status_code == 302
    assert officer.district_id == "510403"
    entry = ChangeLogEntry.objects.get(object_id=str(officer.pk), action="update")
    assert entry.before == {"district": "东区"} and entry.after == {"district": "西区"}


def test_only_the_city_admin_manages_users(personas, sign_in):
    assert sign_in(personas.dongqu_officer).get("/users/").status_code == 403


def test_reference_data_is_editable_by_the_city_admin_with_history(personas, sign_in):
    client = sign_in(personas.city_admin)

    occupation = Occupation.objects.get(code="6-17-02-02")
    response = client.post("/reference/occupations/6-17-02-02/edit/", {
        "name": "炼钢工（转炉）", "is_active": "on", "version": occupation.version})

    occupation.refresh_from_db()
    assert response.status_code == 302
    assert occupation.name == "炼钢工（转炉）"
    page = client.get("/reference/occupations/6-17-02-02/edit/").content.decode()
    assert "炼钢工（转炉）" in page and "炼钢工" in page


def test_reference_data_is_read_only_for_other_roles(personas, sign_in):
    client = sign_in(personas.dongqu_officer)

    assert client.get("/reference/occupations/?q=6-17").status_code == 200
    assert client.post("/reference/occupations/6-17-02-02/edit/", {"name": "x", "version": 1}).status_code == 403
