"""An account: who may log in, with what role, and the lockout state (see store/records.py for
the conventions every model follows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from store.enums import (
    UserRole,
)
from store.records import (
    Record,
    datetime_or_none,
    enum_or,
    plain,
    text,
    whole,
)


@dataclass(slots=True, kw_only=True)
class User(Record):
    """A login. ``pin_hash`` is opaque here (store/users.py owns hashing)."""

    username: str = ""
    display_name: str = ""
    role: UserRole = UserRole.VOLUNTEER
    pin_hash: str = ""
    failed_attempts: int = 0
    locked_until: dt.datetime | None = None
    member_id: str = ""
    disabled: bool = False
    last_login: dt.datetime | None = None

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        return cls(
            username=text(doc, "username"),
            display_name=text(doc, "display_name"),
            role=enum_or(UserRole, doc, "role", UserRole.VOLUNTEER),
            pin_hash=text(doc, "pin_hash"),
            failed_attempts=whole(doc, "failed_attempts", 0),
            locked_until=datetime_or_none(doc, "locked_until"),
            member_id=text(doc, "member_id"),
            disabled=doc.get("disabled") is True,
            last_login=datetime_or_none(doc, "last_login"),
        )._load_meta(doc)

    def to_doc(self) -> dict[str, Any]:
        return self._meta() | {
            "username": self.username,
            "display_name": self.display_name,
            "role": plain(self.role),
            "pin_hash": self.pin_hash,
            "failed_attempts": self.failed_attempts,
            "locked_until": plain(self.locked_until),
            "member_id": self.member_id,
            "disabled": self.disabled,
            "last_login": plain(self.last_login),
        }
