"""Field encryption and keyed lookup hashes for sensitive personal data (PIPL).

Values are encrypted with AES-256-GCM under keys derived from ``FIELD_ENCRYPTION_KEYS``; the first key
encrypts, every key decrypts, so keys can be rotated. Tokens written before AES-GCM (Fernet: AES-128-CBC
+ HMAC-SHA256) are still read; re-saving a row rewrites them. Exact lookup uses an HMAC-SHA256 of the
normalised value under ``LOOKUP_HASH_KEY``, stored beside the ciphertext. See
docs/decisions/0003-field-encryption.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

AEAD_VERSION = b"\x02"  # first byte of an AES-GCM token; Fernet tokens start with 0x80
NONCE_BYTES = 12
SHA256_BLOCK = 64  # bytes: HMAC pads (or first hashes) the key to this


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


@cache
def _aeads(keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    """One AES-256-GCM cipher per configured key; its key is derived, so it is never the Fernet key itself."""
    return tuple(AESGCM(HKDF(algorithm=SHA256(), length=32, salt=None, info=b"workforce field encryption v2")
                        .derive(base64.urlsafe_b64decode(key))) for key in keys)


def encrypt(plaintext: str) -> str:
    """Return the token of ``plaintext`` under the current key: version byte, random nonce, AES-GCM
    ciphertext and tag, in URL-safe base64. About five times cheaper than a Fernet token."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aeads(tuple(settings.FIELD_ENCRYPTION_KEYS))[0].encrypt(nonce, plaintext.encode(), AEAD_VERSION)
    return base64.urlsafe_b64encode(AEAD_VERSION + nonce + sealed).decode()


def encrypt_many(plaintexts: list[str]) -> list[str]:
    """``[encrypt(text) for text in plaintexts]`` for bulk loaders: the same tokens (each with its own
    random nonce), with the key looked up and the nonces drawn once per call."""
    seal = _aeads(tuple(settings.FIELD_ENCRYPTION_KEYS))[0].encrypt
    nonces = os.urandom(NONCE_BYTES * len(plaintexts))
    encode = base64.urlsafe_b64encode
    return [encode(AEAD_VERSION + nonce + seal(nonce, text.encode(), AEAD_VERSION)).decode()
            for nonce, text in zip(
                (nonces[start:start + NONCE_BYTES] for start in range(0, len(nonces), NONCE_BYTES)),
                plaintexts, strict=True)]


PAD = "\0"  # fills a padded plaintext to its block; never part of a stored text value


def padded(plaintext: str, block: int) -> str:
    """``plaintext`` filled with ``PAD`` to a whole number of ``block`` bytes (at least one block): AES-GCM
    keeps the plaintext's length, so a code of a few known values (political status: ``masses`` is 6 bytes,
    ``cpc_probationary`` 16) would otherwise be told by its token's length. Decryption drops the fill."""
    size = len(plaintext.encode())
    return plaintext + PAD * (max(block, -(-size // block) * block) - size)


def decrypt(token: str) -> str:
    """Return the plaintext of a token made by :func:`encrypt` (or an older Fernet token) under any
    configured key."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    try:
        raw = base64.urlsafe_b64decode(token)
    except (binascii.Error, ValueError):
        raw = b""
    if raw[:1] == AEAD_VERSION:
        nonce, sealed = raw[1:1 + NONCE_BYTES], raw[1 + NONCE_BYTES:]
        for aead in _aeads(keys):
            try:
                return aead.decrypt(nonce, sealed, AEAD_VERSION).decode().rstrip(PAD)
            except InvalidTag:
                continue
    else:
        try:
            return _fernet(keys).decrypt(token.encode()).decode().rstrip(PAD)
        except InvalidToken:
            pass
    # A wrong key is an operator error, never silently empty data.
    raise ValueError("cannot decrypt a field: FIELD_ENCRYPTION_KEYS does not hold its key")


def decrypt_many(tokens: list[str]) -> list[str]:
    """``[decrypt(token) for token in tokens]`` for bulk readers (the indicators' columns), with the cipher
    looked up once; an empty token stays empty. Tokens not under the current key (before a rotation, or
    Fernet) take :func:`decrypt`."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    current = _aeads(keys)[0].decrypt
    decode = base64.urlsafe_b64decode
    head = 1 + NONCE_BYTES
    plaintexts: list[str] = []
    for token in tokens:
        if not token:
            plaintexts.append(token)
            continue
        raw = decode(token)
        try:
            plaintexts.append(current(raw[1:head], raw[head:], AEAD_VERSION).decode().rstrip(PAD))
        except InvalidTag:
            plaintexts.append(decrypt(token))
    return plaintexts


def looks_sealed(value: str) -> bool:
    """Whether ``value`` is a token of :func:`encrypt` rather than a short plain code (data migrations that
    encrypt plain columns in place use it to be safe to run twice)."""
    return len(value) >= 40 and value[:1] == "A"  # base64 of the 0x02 version byte: "A" + 2 bits


BLOB_LABEL = AEAD_VERSION + b"blob"  # authenticated with each blob, so a field token is never a blob


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a blob (e.g. a spill file's frame) under the current key; authenticated, like fields.
    AES-256-GCM on raw bytes (version byte, nonce, ciphertext and tag): several times cheaper than the
    Fernet tokens written before, which :func:`decrypt_bytes` still reads."""
    nonce = os.urandom(NONCE_BYTES)
    return AEAD_VERSION + nonce + _aeads(tuple(settings.FIELD_ENCRYPTION_KEYS))[0].encrypt(nonce, data, BLOB_LABEL)


def decrypt_bytes(token: bytes) -> bytes:
    """The blob of a token made by :func:`encrypt_bytes`; raises ``ValueError`` if it was altered."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if token[:1] == AEAD_VERSION:
        nonce, sealed = token[1:1 + NONCE_BYTES], token[1 + NONCE_BYTES:]
        for aead in _aeads(keys):
            try:
                return aead.decrypt(nonce, sealed, BLOB_LABEL)
            except InvalidTag:
                continue
        raise ValueError("cannot decrypt: altered, or FIELD_ENCRYPTION_KEYS does not hold its key")
    try:
        return _fernet(keys).decrypt(token)
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: altered, or FIELD_ENCRYPTION_KEYS does not hold its key") from exc


def seal_chunk(data: bytes, label: bytes) -> bytes:
    """One chunk of a stored file (``core.files``) under the current key: nonce, AES-256-GCM ciphertext
    and tag, with ``label`` (the file's id, the chunk's index and whether it is the last) authenticated,
    so chunks cannot be reordered, dropped or moved to another file."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _aeads(tuple(settings.FIELD_ENCRYPTION_KEYS))[0].encrypt(nonce, data, label)


def open_chunk(sealed: bytes, label: bytes, *, current_key_only: bool = False) -> bytes:
    """The data of a chunk made by :func:`seal_chunk` under any configured key (or only the current
    one); raises ``ValueError`` if it was altered or no key opens it."""
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    aeads = _aeads(tuple(settings.FIELD_ENCRYPTION_KEYS))
    for aead in aeads[:1] if current_key_only else aeads:
        try:
            return aead.decrypt(nonce, body, label)
        except InvalidTag:
            continue
    raise ValueError("cannot decrypt a stored file: altered, or FIELD_ENCRYPTION_KEYS does not hold its key")


def lookup_hash(value: str) -> str:
    """Return the keyed hash used to find a record by an exact (normalised) sensitive value."""
    # The one-shot digest: the same HMAC-SHA256 as hmac.new(...).hexdigest(), a third cheaper per value.
    return hmac.digest(settings.LOOKUP_HASH_KEY.encode(), value.encode(), "sha256").hex()


def lookup_hasher() -> Callable[[str], str]:
    """:func:`lookup_hash` for loaders that hash every row of a file: the same HMAC-SHA256, with the
    key's inner and outer hash states (RFC 2104) prepared once and copied per value, which halves the
    cost of each."""
    key = settings.LOOKUP_HASH_KEY.encode()
    if len(key) > SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def hashed(value: str) -> str:
        state = inner.copy()
        state.update(value.encode())
        result = outer.copy()
        result.update(state.digest())
        return result.hexdigest()

    return hashed


def keys_fingerprint() -> str:
    """Names the current encryption and lookup-hash keys without revealing them: values sealed or
    hashed under other keys (e.g. before a rotation) are told apart by a different fingerprint."""
    material = "\n".join([settings.FIELD_ENCRYPTION_KEYS[0], settings.LOOKUP_HASH_KEY]).encode()
    return hmac.digest(material, b"workforce keys fingerprint", "sha256").hex()[:32]


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # Field[...] fails at runtime
    """A text column holding an AES-GCM token (older rows: Fernet); Python code sees the plaintext.

    Encrypted values cannot be filtered or ordered on: pair the field with a hash column for lookups.
    With ``pad_block``, values are padded to whole blocks before encryption (``padded``), so that the
    tokens of a short code all have the same length (decision 0009). With ``seal_blank`` (padded fields
    only), an empty value is sealed too, as a block of fill: where "not stated" is one of the values (the
    political status), an empty column would tell who left it unstated.
    """

    def __init__(self, *args: Any, pad_block: int | None = None, seal_blank: bool = False, **kwargs: Any) -> None:
        assert pad_block or not seal_blank, "seal_blank needs pad_block: an empty plaintext would seal to a short token"
        self.pad_block = pad_block
        self.seal_blank = seal_blank
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.pad_block:
            kwargs["pad_block"] = self.pad_block
        if self.seal_blank:
            kwargs["seal_blank"] = True
        return name, path, args, kwargs

    def plaintext_of(self, value: str) -> str:
        """The plaintext this field encrypts for ``value`` (padded when the field pads); bulk writers that
        call ``encrypt_many`` themselves pass their values through it."""
        return padded(value, self.pad_block) if self.pad_block else value

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        # An empty value stays empty (not None), so that saving a loaded record writes it back as it was.
        return value if value is None or value == "" else decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or (value == "" and not self.seal_blank):
            return value
        return encrypt(self.plaintext_of(str(value)))
