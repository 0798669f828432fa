"""``workforce demo-users``: one login per role, linked to the demo data, and safe to run again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from workforce.accounts.choices import RoleCode
from workforce.accounts.models import User
from workforce.core.choices import ChangeAction, Channel
from workforce.core.models import ChangeLogEntry
from workforce.demo.parts import DEMO_PASSWORD
from workforce.registry.choices import Ownership
from workforce.registry.models import Employer

USERNAMES = ["admin", "union", "hrss", "dongqu", "miyi", "pangang-hr", "smallfirm-hr", "school", "worker", "leader",
             "ducha", "union-dongqu", "union-base", "appraisal"]


def demo_users(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo_users", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def demo_data(db):
    call_command("demo_data", "--workers", "400", "--seed", "2018", stdout=StringIO())


def test_demo_users_creates_one_login_per_role_linked_to_the_demo_data(demo_data):
    output, _ = demo_users()
    assert "14 created" in output and DEMO_PASSWORD in output
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    assert sorted(users) == sorted(USERNAMES)
    assert {user.role.code for user in users.values()} == set(RoleCode)
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert users["union"].department.code == "city-union"
    assert users["hrss"].department.code == "hrss"
    assert (users["dongqu"].district_id, users["miyi"].district_id) == ("510402", "510421")
    pangang = Employer.objects.filter(name__startswith="攀钢集团").order_by("-headcount").first()
    assert users["pangang-hr"].employer == pangang
    small = users["smallfirm-hr"].employer
    assert small.ownership == Ownership.PRIVATE and not small.is_above_scale and 0 < small.headcount < pangang.headcount
    assert users["school"].organisation_name == "攀枝花技师学院"
    assert users["worker"].worker.current_employer == pangang
    assert users["worker"].display_name == users["worker"].worker.name


def test_demo_users_is_idempotent(demo_data):
    demo_users()
    first = {user.username: (user.pk, user.role_id, user.employer_id, user.worker_id)
             for user in User.objects.filter(username__in=USERNAMES)}
    User.objects.filter(username="admin").update(role=None)
    output, _ = demo_users()
    assert "0 created, 14 refreshed" in output
    again = {user.username: (user.pk, user.role_id, user.employer_id, user.worker_id)
             for user in User.objects.filter(username__in=USERNAMES)}
    assert again == first
    assert User.objects.filter(username__in=USERNAMES).count() == 14


def test_demo_users_without_demo_data_skips_the_logins_that_need_it(db):
    output, errors = demo_users()
    assert "11 created" in output
    assert "pangang-hr: skipped" in errors and "worker: skipped" in errors
    assert not User.objects.filter(username__in=["pangang-hr", "smallfirm-hr", "worker"]).exists()


def test_list_prints_every_login_with_its_scope_and_password(demo_data):
    assert "No demo logins" in demo_users("--list")[0]
    demo_users()
    count = User.objects.count()
    listing, _ = demo_users("--list")
    lines = listing.splitlines()
    assert len(lines) == 15
    for username, line in zip(USERNAMES, lines[1:], strict=True):
        assert line.startswith(username + " ") and line.endswith(DEMO_PASSWORD)
    assert "市总工会" in listing and "攀枝花技师学院" in listing and "米易县" in listing
    assert User.objects.count() == count  # --list changes nothing


def test_refreshing_a_demo_login_goes_through_the_services_and_leaves_a_trail(demo_data):
    demo_users()
    admin = User.objects.get(username="admin")
    User.objects.filter(pk=admin.pk).update(display_name="改过的名字")
    admin.refresh_from_db()
    admin.set_password("Another@2018pzh")
    admin.save()

    demo_users()

    admin.refresh_from_db()
    admin_rows = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User),
                                               object_id=str(admin.pk))
    assert admin.display_name == "市平台管理员" and admin.check_password(DEMO_PASSWORD)
    notes = list(admin_rows.filter(channel=Channel.SYSTEM)
                 .order_by("pk").values_list("action", "note"))
    assert notes == [(ChangeAction.CREATE, ""), (ChangeAction.UPDATE, ""), (ChangeAction.UPDATE, "重设密码")]
    demo_users()  # nothing to change: no further row
    assert admin_rows.count() == 3
