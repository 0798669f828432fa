"""Field encryption and keyed lookup hashes for sensitive personal data (PIPL).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under ``FIELD_ENCRYPTION_KEYS``; the first
key encrypts, every key decrypts, so keys can be rotated. Exact lookup uses an HMAC-SHA256 of the
normalised value under ``LOOKUP_HASH_KEY``, stored beside the ciphertext. See
docs/decisions/0003-field-encryption.md.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    """Return the Fernet token of ``plaintext`` under the current key."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Return the plaintext of a token made by :func:`encrypt` under any configured key."""
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key is an operator error, never silently empty data
        raise ValueError("cannot decrypt a field: FIELD_ENCRYPTION_KEYS does not hold its key") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a blob (e.g. a spill file's frame) under the current key; authenticated, like fields."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """The blob of a token made by :func:`encrypt_bytes`; raises ``ValueError`` if it was altered."""
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: altered, or FIELD_ENCRYPTION_KEYS does not hold its key") from exc


def lookup_hash(value: str) -> str:
    """Return the keyed hash used to find a record by an exact (normalised) sensitive value."""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plaintext.

    Encrypted values cannot be filtered or ordered on: pair the field with a hash column for lookups.
    """

    def from_db_value(self, value, expression, connection):
        # An empty value stays empty (not None), so that saving a loaded record writes it back as it was.
        return value if value in (None, "") else decrypt(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value in (None, ""):
            return value
        return encrypt(str(value))
