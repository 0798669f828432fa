"""Pluggable SMS gateways for the portal's one-time codes (decision 0019), chosen by ``PORTAL_SMS_BACKEND`` as
Django chooses its e-mail backend.

A real provider is a class with the method of :class:`SmsBackend`; it is made once per code sent, without
arguments (its own settings from the environment), and raises :class:`SmsNotSent` when the provider refused the
message, so the code is not kept and the worker may ask again at once.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class SmsNotSent(Exception):
    """The gateway did not accept the message."""


class SmsBackend(ABC):
    """The interface of a gateway (a real provider subclasses it): send ``code`` to the mainland mobile ``phone``
    (11 digits) for ``purpose`` (a ``choices.CodePurpose`` value), saying it is valid ``minutes``."""

    @abstractmethod
    def send_code(self, phone: str, code: str, purpose: str, minutes: int) -> None:
        """Hand the message to the provider; raise :class:`SmsNotSent` when it refuses."""


def message_text(code: str, purpose: str, minutes: int) -> str:
    """The message a worker receives (in Chinese: an SMS template is registered with the provider as such)."""
    from workforce.portal.choices import CodePurpose

    return _("【攀枝花产业工人平台】您的%(purpose)s验证码是%(code)s，%(minutes)d分钟内有效。请勿告诉他人。") % {
        "purpose": CodePurpose(purpose).label, "code": code, "minutes": minutes}


class FileBackend(SmsBackend):
    """Appends each message to ``PORTAL_SMS_FILE`` (one line: time, phone, code, message): the demo's and the
    tests' gateway. It holds phone numbers and live codes, so it is for demo installations only."""

    _lock = threading.Lock()

    def send_code(self, phone: str, code: str, purpose: str, minutes: int) -> None:
        path = settings.PORTAL_SMS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        line = (f"{timezone.localtime():%Y-%m-%d %H:%M:%S}\t{phone}\t{code}\t"
                f"{message_text(code, purpose, minutes)}\n")
        with self._lock, path.open("a", encoding="utf-8") as outbox:
            outbox.write(line)


class MemoryBackend(SmsBackend):
    """Keeps the messages in ``MemoryBackend.outbox`` as (phone, code, purpose): for tests."""

    outbox: list[tuple[str, str, str]] = []

    def send_code(self, phone: str, code: str, purpose: str, minutes: int) -> None:
        MemoryBackend.outbox.append((phone, code, purpose))


def gateway() -> SmsBackend:
    """A gateway of the configured class."""
    backend: SmsBackend = import_string(settings.PORTAL_SMS_BACKEND)()
    return backend


def last_code_in_file(phone: str) -> str | None:
    """The last code the file backend wrote for ``phone`` (the demo's README and the browser test read it)."""
    path = settings.PORTAL_SMS_FILE
    if not path.exists():
        return None
    found = None
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[1] == phone:
            found = fields[2]
    return found
