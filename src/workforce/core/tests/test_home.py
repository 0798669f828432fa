"""The home page by role: each role's real tasks first, with the counts of the pages they open (issue 15
point 5), for every demo role (README's table)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from workforce.accounts.choices import RoleCode
from workforce.accounts.services import create_user
from workforce.conftest import PASSWORD
from workforce.imports.models import RosterImport
from workforce.imports.tests.test_services import ROWS, roster

CARDS = ("my-record-card", "supervision-card", "imports-card", "targets-card", "organisation-card")


def cards(content: str) -> list[str]:
    """The task cards of a home page, in order."""
    return [card for _position, card in sorted((content.index(f'id="{card}"'), card)
                                               for card in CARDS if f'id="{card}"' in content)]


@pytest.fixture
def ducha(db):
    return create_user("ducha", PASSWORD, role_code=RoleCode.SUPERVISION_OFFICE)


@pytest.mark.parametrize(("role", "expected"), [
    ("city_admin", ["supervision-card", "imports-card", "targets-card"]),
    ("union_officer", ["supervision-card", "targets-card"]),
    ("dongqu_officer", ["imports-card", "targets-card"]),
    ("miyi_officer", ["imports-card", "targets-card"]),
    ("steel_hr", ["imports-card"]),
    ("small_firm_hr", ["imports-card"]),
    ("leader", ["supervision-card", "targets-card"]),
    ("worker_user", ["my-record-card"]),
    ("training_school", ["organisation-card"]),
])
def test_each_role_sees_its_tasks_first(personas, sign_in, role, expected):
    # A worker's home is the portal's (decision 0019): followed there.
    content = sign_in(getattr(personas, role)).get(reverse("home"), follow=True).content.decode()

    assert cards(content) == expected
    body = content.split('<div class="cards">')[1]
    first_task = body.index(f'id="{expected[0]}"')
    assert all(body.index(f"<h2>{section}</h2>") > first_task for section in ("基础代码", "用人单位", "职工")
               if f"<h2>{section}</h2>" in body)


def test_the_supervision_office_sees_supervision_and_targets(personas, ducha, sign_in):
    content = sign_in(ducha).get(reverse("home")).content.decode()

    assert cards(content) == ["supervision-card", "targets-card"]


def test_the_targets_card_counts_the_dashboards_rows_by_status(personas, sign_in):
    from django.utils import timezone

    from workforce.indicators import disclosure, figures

    client = sign_in(personas.leader)
    rows = disclosure.protect_rows(figures.dashboard(timezone.localdate()), personas.leader)
    content = client.get(reverse("home")).content.decode()
    card = content.split('id="targets-card"')[1].split("</div>")[0]

    assert f"方案目标 {len(rows)} 项" in card
    shown = {label: int(count) for label, count in re.findall(r'>(\S+) (\d+)</a></li>', card)}
    assert sum(shown.values()) == len(rows) > 0
    for label, count in shown.items():
        assert count == sum(str(row.city.status.label) == label for row in rows)


def test_the_import_card_counts_what_the_list_lists(personas, sign_in):
    """待确认导入 and 检查未通过 on the home page are the rows of the import list's two filters."""
    client = sign_in(personas.steel_hr)
    client.post("/imports/upload/", {"file": roster(ROWS), "mode": "upsert"})  # ready to confirm
    bad = [[*ROWS[0][:1], "51040219850315123X", *ROWS[0][2:]]]
    client.post("/imports/upload/", {"file": roster(bad), "mode": "upsert"})  # a failed check
    client.post("/imports/upload/", {"file": roster(bad), "mode": "upsert"})
    closed = RosterImport.objects.latest("pk")
    client.post(f"/imports/{closed.pk}/close/")  # closed by the uploader: no longer a task

    card = client.get(reverse("home")).content.decode().split('id="imports-card"')[1].split("</div>")[0]
    awaiting = client.get("/imports/?state=awaiting").context["page"].rows
    failed = client.get("/imports/?state=failed").context["page"].rows

    assert "待确认导入 1" in card and "检查未通过 1" in card
    assert [item.status_text for item in awaiting] == ["检查完成，待确认导入"]
    assert [item.status_text for item in failed] == ["检查完成，存在错误，不能导入"]
    assert len(client.get("/imports/").context["page"].rows) == 3
    # Outside the uploader's scope nobody counts them.
    other = sign_in(personas.miyi_officer).get(reverse("home")).content.decode()
    assert "待确认导入 0" in other and "检查未通过 0" in other


def test_the_worker_sees_their_own_record_and_not_the_staff_tools(personas, sign_in):
    content = sign_in(personas.worker_user).get(reverse("home"), follow=True).content.decode()
    card = content.split('id="my-record-card"')[1].split("</div>")[0]

    assert "攀钢集团有限公司" in card
    assert "技能证书 0 本" in card
    assert "尚未加入工会" in card
    body = content.split('<div class="cards">')[1]
    assert "接口文档" not in body and "基础代码" not in body


def test_the_training_school_sees_its_organisation_and_the_occupations(personas, sign_in):
    content = sign_in(personas.training_school).get(reverse("home")).content.decode()
    card = content.split('id="organisation-card"')[1].split("</div>")[0]

    assert "攀枝花技师学院" in card
    assert reverse("accounts:tokens") in card
    assert reverse("reference:list", args=["occupations"]) in card
