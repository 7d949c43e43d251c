"""Who is acting: every change is made by an actor, checked against its role and audited."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person may do; admins may do everything."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind an operation, as written in the audit log."""

    name: str
    role: Role
    user_id: str | None = None

    @classmethod
    def os_user(cls) -> Actor:
        """The operating-system user running a CLI command.

        CLI commands need write access to the database file anyway, so whoever runs them is
        trusted as an admin and audited under their login name, e.g. ``os:alice``.
        """
        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers) or no login name
            login = "unknown"
        return cls(name=f"os:{login}", role=Role.ADMIN)
