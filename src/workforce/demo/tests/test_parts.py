"""Each app contributes its demo through ``workforce.demo.parts`` (decision 0014): found for every
installed app that has one, run in dependency order, dated relative to today."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from workforce.accounts.models import User
from workforce.demo.parts import DemoOrderError, DemoPart, discover, in_dependency_order
from workforce.registry.models import Worker
from workforce.supervision.models import Task


def part(label: str, *after: str) -> DemoPart:
    return DemoPart(label, lambda context: label, after=after)


def test_every_apps_part_is_found_and_runs_after_what_it_needs():
    assert [(part.app_label, part.after) for part in discover()] == [
        ("registry", ()), ("accounts", ("registry",)), ("supervision", ("accounts",)),
        ("unions", ("registry", "accounts")), ("portal", ("accounts",)), ("skills", ("accounts",))]


def test_the_order_follows_the_dependencies_not_the_listing():
    ordered = in_dependency_order([part("supervision", "accounts"), part("accounts", "registry"), part("registry"),
                                   part("skills", "registry")])
    assert [item.app_label for item in ordered] == ["registry", "accounts", "supervision", "skills"]


@pytest.mark.parametrize(("parts", "message"), [
    ([part("accounts", "registry")], "The demo of accounts runs after ['registry'], which have none."),
    ([part("a", "b"), part("b", "a"), part("c")], "The demos of ['a', 'b'] wait for each other."),
])
def test_an_unknown_or_circular_dependency_is_refused(parts, message):
    with pytest.raises(DemoOrderError) as refused:
        in_dependency_order(parts)
    assert str(refused.value) == message


def test_workforce_demo_builds_every_part_dated_from_today_and_can_run_again(db):
    out = StringIO()
    with time_machine.travel(datetime.datetime(2027, 3, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("demo", "--workers", "300", "--seed", "7", stdout=out)
        workers, users, tasks = Worker.objects.count(), User.objects.count(), Task.objects.count()
        call_command("demo", "--workers", "300", "--seed", "7", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")][:5] == [
        "registry", "accounts", "supervision", "unions", "portal"]
    assert workers == 300 and User.objects.filter(username="worker", worker__isnull=False).exists()
    assert (Worker.objects.count(), User.objects.count(), Task.objects.count()) == (workers, users, tasks)
    assert "registry: kept the registry's" in out.getvalue()
    assert "Demo ready for 2027-03-15." in lines
    # Dated relative to the day: the finished task ended 30 days before it, another is due in 90 days.
    assert set(Task.objects.values_list("due_date", flat=True)) >= {
        datetime.date(2027, 2, 13), datetime.date(2027, 6, 13)}
    assert Worker.objects.filter(spells__start_date__gt=datetime.date(2027, 3, 15)).count() == 0


def test_only_and_list(db):
    out = StringIO()
    call_command("demo", "--list", stdout=out)
    assert out.getvalue().splitlines() == ["registry", "accounts (after registry)", "supervision (after accounts)",
                                           "unions (after registry, accounts)", "portal (after accounts)",
                                           "skills (after accounts)"]
    with pytest.raises(CommandError, match="No demo for reference"):
        call_command("demo", "--only", "reference,accounts", stdout=StringIO())
    call_command("demo", "--only", "accounts", stdout=out)
    assert User.objects.filter(username="admin").exists() and not Worker.objects.exists()


def test_the_portal_demo_binds_the_worker_phone_and_leaves_self_registrations_to_confirm(db):
    from workforce.portal.models import PortalProfile, SelfRegistration

    call_command("demo", "--workers", "300", "--seed", "7", stdout=StringIO())
    worker = User.objects.get(username="worker")
    assert PortalProfile.objects.get(user=worker).phone == worker.worker.phone
    assert sorted(SelfRegistration.objects.values_list("status", flat=True)) == [
        "pending", "pending", "pending", "refused"]
    pangang_hr = User.objects.get(username="pangang-hr")
    assert SelfRegistration.objects.visible_to(pangang_hr).count() == 1
    assert SelfRegistration.objects.visible_to(User.objects.get(username="union")).count() == 4
