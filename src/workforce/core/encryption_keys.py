"""Validation of ``FIELD_ENCRYPTION_KEYS`` without Django: the settings module refuses to start with a
malformed key, and the system check (core/checks.py) reports one set any other way.

Messages name the setting and the key's position, never the key itself: they end up in logs.
"""

from __future__ import annotations

import base64
import binascii

FIELD_KEY_BYTES = 32  # Fernet's format: URL-safe base64 of 32 random bytes


def field_key_problems(keys: list[str]) -> list[str]:
    """What is wrong with the configured field keys (empty when they are all usable)."""
    if not keys:
        return ["FIELD_ENCRYPTION_KEYS is empty: give at least one key"]
    problems = []
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raw = None
        if raw is None or base64.urlsafe_b64encode(raw).decode() != key:
            problems.append(f"FIELD_ENCRYPTION_KEYS key {position} of {len(keys)} is not URL-safe base64")
        elif len(raw) != FIELD_KEY_BYTES:
            problems.append(f"FIELD_ENCRYPTION_KEYS key {position} of {len(keys)} holds {len(raw)} bytes, "
                            f"not {FIELD_KEY_BYTES}")
    return problems


FIELD_KEY_HINT = ("each key must be URL-safe base64 of 32 random bytes, e.g. from "
                  "`python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`")
