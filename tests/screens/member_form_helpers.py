"""The ways the member form tests fill the form: open it as the roster does, retype a field,
save; and the members the file holds, written and read back as another session would."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.member.form import MemberFormScreen
from screens.widgets.form import FormField, LabelledField
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import enter_as, settle, type_text, wait_until
from tui.app import ShequApp

COORDINATOR = Actor("li", Role.COORDINATOR, user_id="id-li")
"""The other session's user (who writes members meanwhile)."""


def stored(db_path: Path) -> list[Mapping[str, Any]]:
    """The members as the file holds them now (read back from disk)."""
    return Database(db_path).snapshot().all(members.TABLE)


def add_member(db_path: Path, **fields: object) -> Mapping[str, Any]:
    """A member written through the store, as another session would."""
    return members.add(Database(db_path), COORDINATOR, fields)


async def open_form(
    pilot: Pilot[None], member_id: str | None = None, role: Role = Role.ADMIN, *, login: bool = True
) -> MemberFormScreen:
    """Log in and open the form the way the roster does (push it, read ``saved_id`` after)."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    if login:
        await enter_as(pilot, role)
        await settle(pilot)
    form = MemberFormScreen(app.session, "Roster", member_id)
    app.call_next(app.push_screen, form)
    await wait_until(pilot, lambda: app.screen is form, "the form")
    await wait_until(pilot, lambda: form.filled, "the member")
    await settle(pilot)
    return form


def field(form: MemberFormScreen, name: str) -> LabelledField:
    """The form's field for ``name`` (a text field or a choice)."""
    return form.field(name)


async def retype(pilot: Pilot[None], form: MemberFormScreen, name: str, text: str) -> None:
    """Move to a text field, clear it and type ``text`` key by key."""
    target = field(form, name)
    assert isinstance(target, FormField)
    target.input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert target.value == text


async def save(pilot: Pilot[None], form: MemberFormScreen) -> None:
    """Ctrl+S and wait for the worker's answer to be handled."""
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not form.saving, "the save")
    await settle(pilot)
