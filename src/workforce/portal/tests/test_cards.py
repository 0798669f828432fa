"""The electronic membership card's QR token: valid, expired, tampered, ended (decision 0019)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from workforce.core.choices import Channel
from workforce.portal.services.cards import CardState, card_for, check_card, mask_name
from workforce.registry.services import end_union_membership, start_union_membership

ROOT = "https://gh.pzh.example/"


@pytest.fixture
def member(personas):
    """The steel worker, a member of the steel company's union since 2020."""
    start_union_membership(personas.steel_worker, datetime.date(2020, 5, 1), employer=personas.steel,
                           acting_user=None, channel=Channel.SYSTEM)
    return personas.worker_user


def token_of(card) -> str:
    found = re.search(r"/portal/card/([^/]+)/$", card.url)
    assert found is not None
    return found.group(1)


def test_a_member_gets_a_card_with_a_qr_code(member):
    card = card_for(member, absolute_root=ROOT)
    assert (card.name, card.union_name, card.member_since) == ("张三", "攀钢集团有限公司", datetime.date(2020, 5, 1))
    assert card.url.startswith(ROOT + "portal/card/") and card.qr_svg.startswith("<svg")
    assert "51040219800101123X" not in card.url


def test_a_worker_who_is_no_member_gets_no_card(personas):
    assert card_for(personas.worker_user, absolute_root=ROOT) is None


def test_an_officer_sees_a_valid_card_with_the_name_masked(personas, member):
    result = check_card(token_of(card_for(member, absolute_root=ROOT)), viewer=personas.union_officer)
    assert (result.state, result.name_masked, result.union_name) == (CardState.VALID, "张*", "攀钢集团有限公司")


def test_an_expired_card_is_refused(settings, personas, member):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        token = token_of(card_for(member, absolute_root=ROOT))
    with time_machine.travel(now + datetime.timedelta(minutes=settings.PORTAL_CARD_TOKEN_MINUTES, seconds=2)):
        assert check_card(token, viewer=personas.union_officer).state == CardState.EXPIRED


def test_a_tampered_card_is_refused(personas, member):
    token = token_of(card_for(member, absolute_root=ROOT))
    data, _, rest = token.partition(":")
    forged = data[:-2] + ("A" if data[-2] != "A" else "B") + data[-1] + ":" + rest
    assert check_card(forged, viewer=personas.union_officer).state == CardState.INVALID
    assert check_card("not-a-token", viewer=personas.union_officer).state == CardState.INVALID


def test_a_card_whose_membership_ended_is_refused(personas, member):
    token = token_of(card_for(member, absolute_root=ROOT))
    from workforce.registry.memberships import memberships_of

    membership = memberships_of(personas.steel_worker)[0]
    end_union_membership(membership, timezone.localdate() - datetime.timedelta(days=1), acting_user=None,
                         channel=Channel.SYSTEM)
    result = check_card(token, viewer=personas.union_officer)
    assert (result.state, result.name_masked, result.union_name) == (CardState.ENDED, "张*", "")


def test_names_are_masked_but_the_surname():
    assert [mask_name(name) for name in ("张三", "欧阳娜娜", "李")] == ["张*", "欧***", "李*"]


def test_the_check_page_needs_the_membership_permission(personas, member, client, sign_in):
    url = card_for(member, absolute_root=ROOT).url.removeprefix(ROOT.rstrip("/"))
    assert client.get(url).status_code == 302  # to sign in
    assert sign_in(personas.leader).get(url).status_code == 403
    page = sign_in(personas.union_officer).get(url)
    assert page.status_code == 200 and "有效：持卡人是在册工会会员。" in page.content.decode()
    assert "张*" in page.content.decode() and "张三" not in page.content.decode()
