"""What the tests of dialogs that follow other sessions share (test_live_dialogs.py,
test_live_dialog_tables.py, test_place_form_live.py, test_member_picker_ids.py,
test_team_members_live.py): another admin, what a picker says of a member deleted meanwhile,
the app on a fixed clock, waiting for the watcher, a dialog opened from the test, its reads
counted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.manage.account_forms import AddAccountForm
from screens.patrols.assign import AssignDialog
from screens.widgets.member_picker import MemberPicker
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import (
    enter_as,
    screen_lines,
    settle,
    type_text,
    wait_until,
    widget_text,
)
from tests.screens.patrol_helpers import fixed_clock
from tui.app import ShequApp
from tui.factory import make_app

LIVE_SECONDS = 2.0

OTHER = Actor("zhou", Role.ADMIN, user_id="u-zhou")
"""Another admin's session on the same file."""

GONE = {
    "en": "This member is no longer on the roster; type a name to choose another.",
    "zh": "这名党员已不在花名册上；请输入姓名另选一人。",
}
"""What a member picker says of a chosen member deleted meanwhile, in each language."""


def delete_elsewhere(db_path: Path, member_id: str) -> None:
    """Another admin's session deletes the member, at the version stored now."""
    db = Database(db_path)
    doc = db.snapshot().get("members", member_id)
    assert doc is not None
    members.delete(db, OTHER, member_id, int(doc["version"]))


def says_gone(picker: MemberPicker, lang: str) -> bool:
    """Whether the picker says, at its field, that its chosen member is gone."""
    return squeezed(GONE[lang]) in squeezed(widget_text(picker.app, picker))


async def until_said_gone(pilot: Pilot[Any], picker: MemberPicker, lang: str) -> None:
    """Waits for the picker to say its member is gone (the watcher looks every second)."""
    await wait_until(pilot, lambda: says_gone(picker, lang), "the message at the field")


def squeezed(text: str) -> str:
    """``text`` without any space: a message wrapped on screen compares whole."""
    return "".join(text.split())


def app_for(db_path: Path) -> ShequApp:
    app = make_app(db_path, lang="en")
    app.db.clock = fixed_clock()
    return app


async def soon(condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds, at most 2 s (the watcher looks every 1 s)."""
    began = time.monotonic()
    while not condition():
        assert time.monotonic() - began <= LIVE_SECONDS, f"{what}: not shown within 2 s"
        await asyncio.sleep(0.02)


def line_of(app: ShequApp, name: str) -> str:
    return next((line for line in screen_lines(app) if name in line), "")


async def open_dialog(pilot: Pilot[Any], dialog: Any) -> None:
    app = pilot.app
    app.call_next(app.push_screen, dialog)
    await wait_until(pilot, lambda: app.screen is dialog, type(dialog).__name__)
    await settle(pilot)


async def open_assign(pilot: Pilot[Any], shift_id: str) -> AssignDialog:
    """Sign in as a coordinator, go to the patrols and open the assign dialog on the shift
    ``shift_id``, its candidates read."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    await enter_as(pilot, Role.COORDINATOR)
    await type_text(pilot, "3")
    await settle(pilot)
    dialog = AssignDialog(app.session, shift_id)
    await open_dialog(pilot, dialog)
    await wait_until(pilot, lambda: dialog.index is not None, "the candidates")
    return dialog


async def pick_member(pilot: Pilot[Any], typed: str) -> tuple[AddAccountForm, MemberPicker]:
    """Sign in as an admin, open the add-account form and type ``typed`` into its member
    picker (what the picker matches is the test's to wait for)."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    await enter_as(pilot, Role.ADMIN)
    await settle(pilot)
    form = AddAccountForm(app.session)
    await open_dialog(pilot, form)
    picker = form.query_one(MemberPicker)
    picker.input.focus()
    await type_text(pilot, typed)
    return form, picker


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Wrap ``owner.name`` so that each call appends to the list returned."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def current(app: ShequApp, token: object) -> bool:
    """Whether ``token`` (what a dialog shows) is of the file as it is now."""
    return token is not None and not app.session.db.changed_since(token)  # type: ignore[arg-type]
