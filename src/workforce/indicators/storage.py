"""The indicators' columns kept per process and on the disk between processes (docs/decisions/0006-indicators.md):
which columns are current, read from the file of the current stamp, brought up to date from older ones, or
loaded whole and written for the next process."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import fields
from pathlib import Path

from django.conf import settings
from django.db import connection

from workforce.indicators.engine import RegistryColumns
from workforce.indicators.loading import high_skill_levels, registry_stamp

logger = logging.getLogger(__name__)


# What the stored columns depend on besides the registry: the layout of ``RegistryColumns`` (a new field makes
# new files) and the reference data the load reads (which levels are high-skilled).
LAYOUT = ",".join(field.name for field in fields(RegistryColumns)) + ";tables by worker"


def _database_key() -> str:
    db = connection.settings_dict
    return hashlib.sha1(repr((connection.vendor, db["NAME"], db.get("HOST"), db.get("PORT"))).encode(),
                        usedforsecurity=False).hexdigest()[:12]


def columns_dir() -> Path | None:
    """Where the columns are kept on disk between processes (``settings.INDICATOR_COLUMNS_DIR``, default
    ``<var>/indicators``); None for an in-memory SQLite database, which no other process can open."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return None
    return Path(settings.INDICATOR_COLUMNS_DIR)


def columns_path(stamp: tuple, high_levels: list[int]) -> Path | None:
    """The file of the columns of this database at ``stamp``: ``columns-<database>-<stamp and layout>.npz``."""
    folder = columns_dir()
    if folder is None:
        return None
    version = hashlib.sha1(repr((stamp, high_levels, LAYOUT)).encode(), usedforsecurity=False).hexdigest()[:16]
    return folder / f"columns-{_database_key()}-{version}.npz"


def _prune(keep: Path) -> None:
    """Delete this database's other column files (older stamps) and temporary files left by a crash."""
    for path in keep.parent.glob(f"columns-{_database_key()}-*"):
        if path != keep and (path.suffix == ".npz" or path.stat().st_mtime < keep.stat().st_mtime - 3600):
            path.unlink(missing_ok=True)


def _newest_stored() -> RegistryColumns | None:
    """This database's columns on the disk at whatever stamp (the newest file), for ``updated``."""
    folder = columns_dir()
    files = sorted(folder.glob(f"columns-{_database_key()}-*.npz"), key=lambda path: path.stat().st_mtime) \
        if folder is not None and folder.is_dir() else []
    return RegistryColumns.read(files[-1], None) if files else None


def load_and_store(stamp: tuple, high_levels: list[int]) -> RegistryColumns:
    """The columns read whole from the database, then written to the disk for the next process."""
    columns = RegistryColumns.load(stamp, high_levels)
    path = columns_path(stamp, high_levels)
    if path is not None:
        try:
            columns.save(path)
            _prune(path)
        except OSError as error:  # a read-only or full disk costs the next process a load, nothing more
            logger.warning("indicator columns not written to %s: %s", path, error)
    return columns


def stored_or_loaded(stamp: tuple, held: RegistryColumns | None = None) -> RegistryColumns:
    """The columns at ``stamp``: from the disk when a file of that stamp is there (a new process after a
    restart); else ``held`` (this process's columns at an older stamp), or the newest file on the disk,
    brought up to date (``updated``: the cost of the change); else read whole from the database."""
    high_levels = high_skill_levels()
    path = columns_path(stamp, high_levels)
    if path is not None:
        columns = RegistryColumns.read(path, stamp)
        if columns is not None:
            return columns
    older = held if held is not None else _newest_stored()
    columns = older.updated(stamp, high_levels) if older is not None else None
    return columns if columns is not None else load_and_store(stamp, high_levels)


def store_current_columns() -> bool:
    """Read the registry as it is now whole from the database and write it to the disk, unless a file of
    this stamp is already there; True when it did. The background job calls it after changes, so that
    the pages' processes replace the columns they brought up to date (``provisional``) by a whole load,
    and a new process reads a current file (decision 0006)."""
    stamp, high_levels = registry_stamp(), high_skill_levels()
    path = columns_path(stamp, high_levels)
    if path is None or path.exists():
        return False
    load_and_store(stamp, high_levels)
    return True


_loaded: dict[str, RegistryColumns] = {}
_unavailable: dict[str, tuple] = {}  # the stamp at which ``columns_without_whole_load`` found none, by database
_lock = threading.Lock()


def _stale(columns: RegistryColumns | None, stamp: tuple) -> bool:
    """Whether ``columns`` are not those to use at ``stamp``: missing, older, or brought up to date while the
    whole load of that stamp is now on the disk (one file look-up while they are provisional)."""
    if columns is None or columns.stamp != stamp:
        return True
    if not columns.provisional:
        return False
    path = columns_path(stamp, list(columns.high_levels))
    return path is not None and path.exists()


def current_columns() -> RegistryColumns:
    """The columns of the registry as it is now. After a change, the columns held are brought up to date
    (``updated``); a process that holds none reads the file of this stamp, else the newest file brought up
    to date, else loads whole from the database. Columns brought up to date are replaced by the whole load
    of their stamp once the background job has written it: a whole load also picks up what an update
    cannot see (a change committed out of order, decision 0006)."""
    stamp = registry_stamp()
    key = connection.settings_dict["NAME"]
    columns = _loaded.get(key)
    if _stale(columns, stamp):
        with _lock:
            columns = _loaded.get(key)
            if _stale(columns, stamp):
                held = columns if columns is not None and columns.stamp != stamp else None
                _loaded[key] = columns = stored_or_loaded(stamp, held)
    return columns


def columns_without_whole_load() -> RegistryColumns | None:
    """The columns of the registry as it is now when they can be had without reading it whole: those held by
    this process, brought up to date after a change (``updated``: the cost of the change), else a file on the
    disk (of this stamp, or the newest brought up to date). None when only a whole load would do: callers
    that must answer at once (the registry's list filters) then take their own slower path. Columns found
    are held for the next call, as ``current_columns`` would hold them."""
    stamp = registry_stamp()
    key = connection.settings_dict["NAME"]
    columns = _loaded.get(key)
    if columns is not None and columns.stamp == stamp:
        return columns
    with _lock:
        columns = _loaded.get(key)
        if columns is not None and columns.stamp == stamp:
            return columns
        high_levels = high_skill_levels()
        path = columns_path(stamp, high_levels)
        found = RegistryColumns.read(path, stamp) if path is not None else None
        # An update that failed at this stamp (too much changed) is not tried again on every request.
        if found is None and _unavailable.get(key) != stamp:
            older = columns if columns is not None else _newest_stored()
            found = older.updated(stamp, high_levels) if older is not None else None
            if found is None:
                _unavailable[key] = stamp
        if found is not None:
            _loaded[key] = found
        return found


def forget_columns(*, stored: bool = False) -> None:
    """Drop the columns held by this process; with ``stored``, also those of this database on the disk
    (after bulk loads that bypass the change log, which would otherwise be read back after a restart)."""
    _loaded.clear()
    _unavailable.clear()
    folder = columns_dir() if stored else None
    if folder is not None:
        for path in folder.glob(f"columns-{_database_key()}-*"):
            path.unlink(missing_ok=True)

