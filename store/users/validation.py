"""An account as typed (username, role, display name), made into a clean document."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from store.enums import (
    UserRole,
)
from store.errors import ValidationError
from store.fields import NAME_MAX, Fields, tidy_line
from store.i18n import _
from store.users.model import User

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


def validate_username(value: object) -> str:
    """A login name: 2-32 of a-z 0-9 . _ - starting with a letter or digit (input lowercased)."""
    text = tidy_line(unicodedata.normalize("NFKC", value)).lower() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({"username": _("Enter a user name.")})
    if not _USERNAME.fullmatch(text):
        raise ValidationError(
            {
                "username": _(
                    "Use 2 to 32 lowercase letters, digits, dots, dashes or underscores, "
                    "starting with a letter or digit."
                )
            }
        )
    return text


def validate_user(raw: Mapping[str, object]) -> dict[str, Any]:
    """The editable fields of a login (PIN hash, attempts and lock are the users module's)."""
    f = Fields(raw)
    username = ""
    try:
        username = validate_username(raw.get("username"))
    except ValidationError as error:
        f.errors.update(error.errors)
    user = User(
        username=username,
        display_name=f.line("display_name", max_len=NAME_MAX) or username,
        role=f.choice(UserRole, "role", required=_("Choose a role.")) or UserRole.VOLUNTEER,
        member_id=f.ref("member_id"),
        disabled=f.flag("disabled"),
    )
    f.check()
    doc = user.to_doc()
    return {key: doc[key] for key in ("username", "display_name", "role", "member_id", "disabled")}
