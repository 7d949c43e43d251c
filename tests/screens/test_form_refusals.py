"""A save the store refuses, answered one way (screens/shell/refused.py) on the forms that
had their own copies: the session form meeting someone else's save, and the session and
member forms whose record another session deleted while they were being edited.

Two sessions on one data file: the app with the form open, and another session saving or
deleting through the store. For "deleted meanwhile" the app's change watcher is stopped, so
it is the save that meets the record gone (not the watcher's refresh, which says it in other
words): what the form says then is the save's answer, checked on screen and in the file.
And a volunteer, who may not change either, is told why and the form closes, its record unread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.member.form import MemberFormScreen
from screens.shell.dialogs import ConflictDialog
from screens.shell.form_screen import RecordForm
from screens.training.form import SessionFormScreen
from screens.widgets.form import FormField
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.training import ops as training
from tests.screens.helpers import add_user, enter_as, screen_text, settle, type_text, wait_until
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
WANG = Actor("wang", Role.COORDINATOR, user_id="u-wang")
ADMIN = Actor("zhou", Role.ADMIN, user_id="u-zhou")


@pytest.fixture
def no_watcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app does not look for other sessions' saves: only a save meets them."""
    monkeypatch.setattr(ShequApp, "check_for_changes", lambda self: None)


def a_session(db_path: Path) -> dict[str, Any]:
    return training.add_session(
        Database(db_path), WANG, {"title": "消防安全培训", "date": "2026-03-05", "hours": "2"}
    )


def stored_session(db_path: Path, session_id: str) -> dict[str, Any] | None:
    return Database(db_path).snapshot().get("trainings", session_id)


async def open_form(pilot: Pilot[Any], form: RecordForm) -> None:
    app = pilot.app
    await enter_as(pilot, Role.COORDINATOR, name="li")
    await settle(pilot)
    app.call_next(app.push_screen, form)
    await wait_until(pilot, lambda: app.screen is form and form.filled, "the form")
    await settle(pilot)


async def retype(pilot: Pilot[Any], form: RecordForm, name: str, text: str) -> None:
    target = form.field(name)
    assert isinstance(target, FormField)
    target.input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert target.value == text


async def save(pilot: Pilot[Any], form: RecordForm) -> None:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not form.saving, "the save")
    await settle(pilot)


def line(app: Any) -> str:
    return " ".join(screen_text(app).split())


async def test_a_session_saved_meanwhile_reload_then_overwrite(db_path: Path) -> None:
    add_user(db_path, "wang", Role.COORDINATOR, display_name="王芳")
    doc = a_session(db_path)
    other = Database(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = SessionFormScreen(app.session, "Training", str(doc["id"]))
        await open_form(pilot, form)

        # They set the trainer and save first; my place meets their version.
        await retype(pilot, form, "place", "会议室")
        training.update_session(other, WANG, doc["id"], {"trainer": "张老师"}, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await settle(pilot)
        said = line(app)
        assert "Someone else saved this session while you were editing." in said
        assert "Saved by 王芳." in said and "Their changes: Trainer." in said
        await pilot.press("r")  # reload theirs
        await settle(pilot)
        assert app.screen is form and not form.saving
        assert (form.field("trainer").value, form.field("place").value) == ("张老师", "")
        assert not form.has_unsaved_edits() and form.version == 2

        # Again, and overwrite: only my field goes over their save; their trainer stays.
        await retype(pilot, form, "place", "会议室")
        training.update_session(other, WANG, doc["id"], {"trainer": "李老师"}, 2)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("o")
        await wait_until(pilot, lambda: app.screen is not form, "the overwrite")
        assert form.saved_id == doc["id"]
    now = stored_session(db_path, str(doc["id"]))
    assert now is not None
    assert (now["version"], now["place"], now["trainer"]) == (4, "会议室", "李老师")


async def test_a_session_deleted_meanwhile_is_said_and_nothing_saved(
    db_path: Path, no_watcher: None
) -> None:
    doc = a_session(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = SessionFormScreen(app.session, "Training", str(doc["id"]))
        await open_form(pilot, form)
        await retype(pilot, form, "place", "会议室")
        training.delete_session(Database(db_path), WANG, doc["id"], 1)
        await save(pilot, form)
        assert app.screen is form
        assert "This session is no longer there; nothing can be saved." in line(app)
        assert form.field("place").value == "会议室"  # the edit is still there to read
    assert stored_session(db_path, str(doc["id"])) is None
    assert Database(db_path).snapshot().all("trainings") == []


async def test_a_member_deleted_meanwhile_is_said_by_the_save_and_esc_just_leaves(
    db_path: Path, no_watcher: None
) -> None:
    doc = members.add(Database(db_path), WANG, {"name": "张三"})
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = MemberFormScreen(app.session, "Roster", str(doc["id"]))
        await open_form(pilot, form)
        await retype(pilot, form, "grid", "二网格")
        members.delete(Database(db_path), ADMIN, doc["id"], 1)
        await save(pilot, form)
        said = line(app)
        assert app.screen is form and form.gone
        assert "This member is no longer on the roster; nothing can be saved." in said
        assert "someone may have deleted them" not in said  # the save's answer, not a refresh
        await pilot.press("ctrl+s")  # nothing to save any more: said again, nothing written
        await settle(pilot)
        assert not form.saving and "nothing can be saved" in line(app)
        await pilot.press("escape")  # no unsaved edits left to ask about
        await settle(pilot)
        assert app.screen is not form
    assert Database(db_path).snapshot().all("members") == []


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            lambda app, ids: MemberFormScreen(app.session, "Roster", ids["member"]),
            "Only coordinators and admins can change the roster.",
        ),
        (
            lambda app, ids: SessionFormScreen(app.session, "Training", ids["session"]),
            "Only coordinators and admins can change training records.",
        ),
    ],
    ids=["member", "session"],
)
async def test_a_volunteer_is_told_why_and_the_form_closes_unread(
    db_path: Path, make: Any, said: str
) -> None:
    ids = {
        "member": str(members.add(Database(db_path), WANG, {"name": "张三"})["id"]),
        "session": str(a_session(db_path)["id"]),
    }
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        form = make(app, ids)
        app.call_next(app.push_screen, form)
        await wait_until(pilot, lambda: form.refused and app.screen is not form, "the refusal")
        await settle(pilot)
        assert not form.filled and not form.loaded  # the record was never read
        assert said in [n.message for n in app._notifications]
