"""The electronic membership card (电子会员卡): a signed, expiring token in a QR code that a union officer's phone
opens to see whether the card is valid (decision 0019)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from workforce.accounts.choices import ScopeKind
from workforce.accounts.models import User
from workforce.registry.memberships import Membership, memberships_of
from workforce.registry.models import Worker

SALT = "workforce.portal.membership-card"
VERIFY_PERMISSION = "registry.view_union_membership"


def mask_name(name: str) -> str:
    """The surname kept, the rest starred (张*, 欧阳**): enough for an officer to compare with the person."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def current_membership(worker: Worker, on: datetime.date | None = None) -> Membership | None:
    """The worker's membership in force on ``on`` (default today), the latest begun if several."""
    day = on or timezone.localdate()
    for membership in memberships_of(worker):
        if membership.valid_from <= day and (membership.valid_to is None or membership.valid_to >= day):
            return membership
    return None


@dataclass(frozen=True)
class Card:
    """What the worker's card shows: their name, the union (its enterprise), since when, and the QR code."""

    name: str
    union_name: str
    member_since: datetime.date
    number: str
    url: str
    qr_svg: str
    expires_at: datetime.datetime


def card_number(membership: Membership) -> str:
    return f"PZH{membership.id:08d}"


def card_for(user: User, *, absolute_root: str) -> Card | None:
    """The card of ``user``'s own worker record if they are a union member today, else None."""
    if user.worker_id is None:
        return None
    worker = Worker.objects.visible_to(user).filter(pk=user.worker_id).first()
    membership = current_membership(worker) if worker is not None else None
    if worker is None or membership is None:
        return None
    token = signing.dumps({"w": worker.pk, "m": membership.id}, salt=SALT)
    url = absolute_root.rstrip("/") + reverse("portal:card_check", args=[token])
    return Card(name=worker.name, union_name=membership.employer.name if membership.employer else "",
                member_since=membership.valid_from, number=card_number(membership), url=url,
                qr_svg=segno.make(url, error="m").svg_inline(scale=4, dark="#1b1b1b", light="#ffffff"),
                expires_at=timezone.now() + datetime.timedelta(minutes=settings.PORTAL_CARD_TOKEN_MINUTES))


class CardState:
    VALID = "valid"
    EXPIRED = "expired"  # the QR code is too old: the worker's page makes a new one
    INVALID = "invalid"  # not a token this platform signed
    ENDED = "ended"  # a genuine card whose membership is no longer in force


@dataclass(frozen=True)
class CardCheck:
    """What an officer learns from a card: its state, and for a genuine one the masked name, union and number."""

    state: str
    name_masked: str = ""
    union_name: str = ""
    number: str = ""


def may_check_cards(user: User) -> bool:
    """Union officers and staff who may view memberships; a worker checks no one's card but their own."""
    return user.is_authenticated and user.has_perm(VERIFY_PERMISSION)


def check_card(token: str, *, viewer: User) -> CardCheck:
    """Whether the card of ``token`` is valid now: signed by this platform, younger than
    ``PORTAL_CARD_TOKEN_MINUTES``, and its membership still in force. A worker may check only their own card."""
    try:
        payload = signing.loads(token, salt=SALT,
                                max_age=datetime.timedelta(minutes=settings.PORTAL_CARD_TOKEN_MINUTES))
    except signing.SignatureExpired:
        return CardCheck(CardState.EXPIRED)
    except signing.BadSignature:
        return CardCheck(CardState.INVALID)
    if not isinstance(payload, dict) or not isinstance(payload.get("w"), int):
        return CardCheck(CardState.INVALID)
    if viewer.scope_kind == ScopeKind.SELF and viewer.worker_id != payload["w"]:
        return CardCheck(CardState.INVALID)
    worker = Worker.objects.filter(pk=payload["w"], is_active=True).first()
    membership = current_membership(worker) if worker is not None else None
    if worker is None or membership is None or membership.id != payload.get("m"):
        return CardCheck(CardState.ENDED, name_masked=mask_name(worker.name) if worker else "")
    return CardCheck(CardState.VALID, name_masked=mask_name(worker.name),
                     union_name=membership.employer.name if membership.employer else "",
                     number=card_number(membership))
