"""Fixtures of the portal's tests: the in-memory SMS gateway, and a worker phone registered with the registry."""

from __future__ import annotations

import pytest

from workforce.portal.sms import MemoryBackend


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> list[tuple[str, str, str]]:
    """The messages sent during the test, as (phone, code, purpose)."""
    settings.PORTAL_SMS_BACKEND = "workforce.portal.sms.MemoryBackend"
    MemoryBackend.outbox = []
    return MemoryBackend.outbox


def last_code(outbox, phone: str) -> str:
    return [code for to, code, _purpose in outbox if to == phone][-1]
