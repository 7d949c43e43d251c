"""The errors the store raises, each carrying one clear, translated sentence for the user.

The UI and the CLI show ``str(error)`` as it is; nothing here is a traceback for a volunteer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


class StoreError(Exception):
    """Base of every error the store reports to a person."""


class DatabaseBusy(StoreError):
    """Another session held the lock longer than we are willing to wait."""


class DatabaseUnreadable(StoreError):
    """The data file is corrupt, truncated or unreadable; it is left untouched."""

    def __init__(self, message: str, path: Path, backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


class SchemaTooNew(StoreError):
    """The file was written by a newer shequ than this one."""


class WriteFailed(StoreError):
    """Saving failed (disk full, folder not writable...); the old file is intact."""


class NotFound(StoreError):
    """The record asked for does not exist (any more)."""


class Stopped(StoreError):
    """The person stopped a long write before it was committed: nothing was written."""


class Conflict(StoreError):
    """Someone else saved the record after this edit started from it."""

    def __init__(self, message: str, table: str, record_id: str, current: Mapping[str, object]):
        super().__init__(message)
        self.table = table
        self.record_id = record_id
        self.current = dict(current)


class PermissionDenied(StoreError):
    """The acting user's role may not do this."""


class ValidationError(StoreError):
    """One or more fields are invalid: ``errors`` maps field name to a translated message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))


class LoginFailed(StoreError):
    """Any failed login: one sentence whatever the cause, so it never tells who has an account."""


class FirstAdminExists(PermissionDenied):
    """The first admin was already created (perhaps by another session a moment ago)."""


class FirstAdminNotHere(PermissionDenied):
    """The database holds data but no account: its first admin is added on the server."""


class DatabaseUnsafe(StoreError):
    """Every user of the computer could change the data file: refused until it is fixed."""
