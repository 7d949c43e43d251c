"""Who is acting: every change is made by an actor, checked against its role and audited."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person may do; admins may do everything."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind an operation, as written in the audit log.

    ``user_id`` is the logged-in account (None for the CLI's operating-system user) and
    ``member_id`` the roster member that account belongs to, if linked: a volunteer may check
    in for, and see, only their own shifts, which needs the member, not the login.
    """

    name: str
    role: Role
    user_id: str | None = None
    member_id: str | None = None

    @classmethod
    def os_user(cls) -> Actor:
        """The operating-system user running a CLI command.

        CLI commands need write access to the database file anyway, so whoever runs them is
        trusted as an admin and audited under their login name, e.g. ``os:alice``.
        """
        import getpass  # only a CLI command asks; the TUI never does (nor loads it at start)

        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers) or no login name
            login = "unknown"
        return cls(name=f"os:{login}", role=Role.ADMIN)
