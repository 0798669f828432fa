"""Files kept at rest, encrypted with the field keys (decision 0011).

Every file the platform keeps that may hold personal data (uploaded rosters, their marked problem
reports, supervision evidence) is stored in this format::

    MAGIC (6 bytes) | file id (16 random bytes) | chunk 0 | chunk 1 | … | last chunk

Each chunk is a 4-byte big-endian length and ``encryption.seal_chunk`` of at most ``CHUNK`` bytes of
the file: AES-256-GCM under the first key of ``FIELD_ENCRYPTION_KEYS``, authenticating the file id,
the chunk's index and whether it is the last one, so a chunk cannot be reordered, dropped, truncated
or moved to another file unnoticed. Every chunk but the last holds exactly ``CHUNK`` bytes, so a
reader seeks without reading what comes before, and a 100 MB roster is written and read a megabyte
at a time. Files are created 0600 in directories 0700.

Readers that need a path (the roster parsers open the file by name) get a decrypted copy that has no
name on disk (:func:`decrypted_copy`), which disappears with the process even if it is killed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import struct
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from workforce.core.encryption import open_chunk, seal_chunk

MAGIC = b"WFENC\x01"
FILE_ID_BYTES = 16
HEADER_BYTES = len(MAGIC) + FILE_ID_BYTES
CHUNK = 1024 * 1024
LENGTH = struct.Struct(">I")
OVERHEAD = LENGTH.size + 12 + 16  # length, nonce, tag
STRIDE = CHUNK + OVERHEAD
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def _label(file_id: bytes, index: int, last: bool) -> bytes:
    return MAGIC + file_id + struct.pack(">Q?", index, last)


# ---------------------------------------------------------------------------------------------- private paths


def private_directory(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by the platform's user only; returns it."""
    old = os.umask(0o077)
    try:
        path.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)
    return path


def private_open(path: Path, mode: str = "wb") -> IO[Any]:
    """Open ``path`` for writing, created 0600 (its directory 0700) whatever the process's umask."""
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.chmod(path, FILE_MODE)  # an existing file keeps its mode through O_CREAT
    return os.fdopen(descriptor, mode)


# ---------------------------------------------------------------------------------------------- writing


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals what is written into ``target`` (a binary file object), a chunk
    at a time; :meth:`close` writes the last chunk (so a writer never closed leaves an unreadable
    file, never a shortened one). Closing does not close ``target``."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self.target = target
        self.file_id = os.urandom(FILE_ID_BYTES)
        self.index = 0
        self.buffer = bytearray()
        target.write(MAGIC + self.file_id)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # the last chunk may be full: it is written by close()
            self._chunk(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _chunk(self, data: bytes, *, last: bool) -> None:
        sealed = seal_chunk(data, _label(self.file_id, self.index, last))
        self.target.write(LENGTH.pack(len(sealed)) + sealed)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._chunk(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


def write_encrypted(path: Path, source: IO[bytes]) -> None:
    """Store the binary stream ``source`` sealed at ``path``, replacing it atomically (a reader never
    sees half a file). The partial file is the writer's own, so two writers of one path (a problem
    report's build by the check job and by a queued job) never write into the same one."""
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        with private_open(partial) as target:
            writer = EncryptingWriter(target)
            shutil.copyfileobj(source, writer, CHUNK)
            writer.close()
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------- reading


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class DecryptingReader(io.RawIOBase):
    """A seekable read-only stream of the plaintext of a sealed file (``raw``: a binary file object,
    closed with this one). Raises ``ValueError`` when a chunk was altered, or the file cut short."""

    def __init__(self, raw: IO[bytes], *, current_key_only: bool = False) -> None:
        super().__init__()
        self.raw = raw
        header = raw.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or header[:len(MAGIC)] != MAGIC:
            raw.close()
            raise ValueError("not a sealed file")
        self.file_id = header[len(MAGIC):]
        body = raw.seek(0, io.SEEK_END) - HEADER_BYTES
        self.chunks = max(1, -(-body // STRIDE))  # every chunk has its overhead, so the count is exact
        self.size = body - self.chunks * OVERHEAD
        if self.size < 0:
            raw.close()
            raise ValueError("a sealed file cut short")
        self.current_key_only = current_key_only
        self.position = 0
        self.cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def chunk(self, index: int) -> bytes:
        """The plaintext of chunk ``index``, checked."""
        if self.cached is not None and self.cached[0] == index:
            return self.cached[1]
        self.raw.seek(HEADER_BYTES + index * STRIDE)
        prefix = self.raw.read(LENGTH.size)
        sealed = self.raw.read(LENGTH.unpack(prefix)[0]) if len(prefix) == LENGTH.size else b""
        last = index == self.chunks - 1
        data = open_chunk(sealed, _label(self.file_id, index, last), current_key_only=self.current_key_only)
        if not last and len(data) != CHUNK:
            raise ValueError("a sealed file with a short chunk")
        self.cached = (index, data)
        return data

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size:
            return 0
        index, start = divmod(self.position, CHUNK)
        data = self.chunk(index)[start:start + len(buffer)]
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


def open_encrypted(path: Path) -> io.BufferedReader:
    """The plaintext of the sealed file at ``path``, as a seekable binary file object."""
    return io.BufferedReader(DecryptingReader(open(path, "rb")), buffer_size=CHUNK)


@contextlib.contextmanager
def decrypted_copy(source: IO[bytes]) -> Iterator[Path]:
    """A path to the plaintext of ``source`` (a readable binary stream) for readers that open a file by
    name. The copy is an unnamed temporary file (Linux ``O_TMPFILE``, reached as ``/proc/self/fd/N``):
    it never appears in a directory and is gone when closed or when the process dies. Elsewhere it is a
    0600 named temporary file removed on exit."""
    with tempfile.TemporaryFile() as handle:
        shutil.copyfileobj(source, handle, CHUNK)
        handle.flush()
        by_descriptor = Path(f"/proc/self/fd/{handle.fileno()}")
        if by_descriptor.exists():
            yield by_descriptor
            return
    with tempfile.NamedTemporaryFile() as handle:  # pragma: no cover - not Linux
        source.seek(0)
        shutil.copyfileobj(source, handle, CHUNK)
        handle.flush()
        yield Path(handle.name)


def reencrypt(path: Path) -> bool:
    """Seal ``path`` under the current key if it is plaintext or sealed under an older key; returns
    whether it was rewritten. Used when a key is rotated and when old plaintext files are migrated."""
    if not is_encrypted(path):
        with open(path, "rb") as source:
            write_encrypted(path, source)
        return True
    try:
        with DecryptingReader(open(path, "rb"), current_key_only=True) as current:
            current.chunk(0)
        os.chmod(path, FILE_MODE)
        return False
    except ValueError:
        pass
    with open_encrypted(path) as source:
        write_encrypted(path, source)
    return True


# ---------------------------------------------------------------------------------------------- storage


class _Sealing(File):  # type: ignore[type-arg]  # File[...] fails at runtime
    """An upload whose chunks are sealed as the storage writes them. It has no
    ``temporary_file_path``, so the storage never moves a plaintext temporary upload into place."""

    def __init__(self, content: Any) -> None:
        super().__init__(content, getattr(content, "name", None))
        self.content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        sealed = io.BytesIO()
        writer = EncryptingWriter(sealed)
        if hasattr(self.content, "seek"):
            self.content.seek(0)
        for piece in iter(lambda: self.content.read(CHUNK), b""):
            writer.write(piece)
            yield sealed.getvalue()
            sealed.seek(0)
            sealed.truncate()
        writer.close()
        yield sealed.getvalue()


@deconstructible(path="workforce.core.files.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """``MEDIA_ROOT`` storage whose files are sealed at rest (see the module) and read back as
    plaintext: ``FieldFile.open()`` and ``read()`` see the file as uploaded. Files 0600, folders 0700."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", DIRECTORY_MODE)
        super().__init__(**kwargs)

    def _save(self, name: str, content: Any) -> str:
        saved: str = super()._save(name, _Sealing(content))  # type: ignore[misc]  # the stubs lack Storage._save
        return saved

    def _open(self, name: str, mode: str = "rb") -> File[bytes]:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("sealed files are written through save()")
        return File(open_encrypted(Path(self.path(name))), name)


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The storage of every ``FileField`` holding personal data (a callable, so the migrations name it
    rather than a location); it follows ``MEDIA_ROOT``."""
    return EncryptedFileSystemStorage()
