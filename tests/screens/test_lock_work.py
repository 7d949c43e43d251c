"""Work that ends behind the lock: held for the same person, dropped for someone else.

A save, an export, an import preview or a conflict can still be under way when the screen
locks (Ctrl+L, or the idle minutes). Its result must reach the screen that started it without
touching the lock: no dialog over it, no pop of the lock, no toast; the same person's PIN shows
what happened, in order. Someone else logging in instead drops it all, and nothing answers in
the first person's name afterwards.

The work is held in flight the way it is in real life: another session holds the database's
lock (saves wait for it), or an injected delay holds a file being read or written.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from filelock import FileLock
from textual.pilot import Pilot
from textual.screen import Screen

from screens.dashboard.screen import DashboardScreen
from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen
from screens.member.form import MemberFormScreen
from screens.roster.screen import RosterScreen
from screens.shell.dialogs import ConfirmDialog, ConflictDialog
from screens.shell.lock import LockScreen
from screens.shell.login import LoginForm
from screens.transfer.exporting import ExportDialog
from screens.transfer.importing import ImportScreen
from store.actor import Actor, Role
from store.engine.audit import read as read_audit
from store.engine.database import Database
from store.members import ops as members
from store.users import ops as users
from tests.screens.helpers import (
    add_records,
    add_user,
    log_in,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
PHONE = "13800000001"
MINE = "13900000009"
OTHER = Actor("os:other", Role.ADMIN)


@pytest.fixture(autouse=True)
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def community(db_path: Path) -> Path:
    add_records(db_path, "settings", [{"community_name": "幸福里社区"}])
    add_records(db_path, "members", [{"name": "张三", "phone": PHONE, "category": "retired"}])
    add_user(db_path, "wang", display_name="王芳")
    add_user(db_path, "li", "coordinator", display_name="李明", pin="1357")
    return db_path


def the_member(db_path: Path) -> Mapping[str, Any]:
    [doc] = Database(db_path).snapshot().all("members")
    return doc


@contextlib.contextmanager
def database_held(db_path: Path) -> Iterator[None]:
    """Another session holds the database's lock: a save waits for it (up to 5 s)."""
    lock = FileLock(str(db_path) + ".lock", timeout=0)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


class Delay:
    """Holds a function of a screen's module until the test lets it go (an injected delay)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
        self.started = threading.Event()
        self.go = threading.Event()
        original: Callable[..., Any] = getattr(module, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            self.started.set()
            self.go.wait(10)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, held)

    async def wait_started(self) -> None:
        for _ in range(500):
            if self.started.is_set():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the work never started")


def notes(app: ShequApp) -> list[str]:
    return [n.message for n in app._notifications]


def every_screen(app: ShequApp) -> list[Screen[Any]]:
    return [screen for stack in app._screen_stacks.values() for screen in stack]


async def on_screen(pilot: Pilot[Any], kind: type[Screen[Any]]) -> Any:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, kind), kind.__name__)
    await settle(pilot)
    return app.screen


async def logged_in(pilot: Pilot[Any], username: str = "wang", pin: str = "2468") -> None:
    await settle(pilot)
    await log_in(pilot, username, pin)
    await on_screen(pilot, DashboardScreen)


async def roster(pilot: Pilot[Any]) -> RosterScreen:
    await pilot.press("2")
    screen = await on_screen(pilot, RosterScreen)
    await wait_until(pilot, lambda: screen.loaded, "the roster")
    await settle(pilot)
    assert isinstance(screen, RosterScreen)
    return screen


async def member(pilot: Pilot[Any]) -> MemberScreen:
    await roster(pilot)
    await pilot.press("enter")
    screen = await on_screen(pilot, MemberScreen)
    await wait_until(pilot, lambda: screen.loaded, "the member")
    assert isinstance(screen, MemberScreen)
    return screen


async def soon(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` without waiting for the workers (the one in flight is held)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def log_in_now(pilot: Pilot[Any], username: str, pin: str) -> None:
    """:func:`log_in` at the lock while the work in flight stays in flight."""
    form = pilot.app.screen.query_one(LoginForm)
    answers = form.answers
    form.field("username").value = ""
    form.field("pin").value = ""
    form.field("username").input.focus()
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await soon(pilot, lambda: form.answers > answers, "the login check")


async def lock(pilot: Pilot[Any]) -> LockScreen:
    """Ctrl+L, while the work in flight stays in flight."""
    await pilot.press("ctrl+l")
    app = pilot.app
    await soon(pilot, lambda: isinstance(app.screen, LockScreen), "the lock")
    assert isinstance(app.screen, LockScreen)
    return app.screen


def lock_untouched(app: ShequApp, screen: LockScreen) -> None:
    """The lock is on top, alone in its mode, its PIN field has the keys, and no toast shows."""
    assert app.screen is screen
    assert app.screen_stack == [screen]
    assert app.focused is screen.query_one(LoginForm).field("pin").input
    assert not notes(app)
    assert "张三" not in screen_text(app)


async def contact_form_saving(pilot: Pilot[Any], note: str) -> ContactForm:
    """c on the member, a note, Ctrl+S: returns the form, saving (or about to)."""
    await pilot.press("c")
    form = await on_screen(pilot, ContactForm)
    await pilot.press("enter", "enter")  # today, by phone
    await type_text(pilot, note)
    await pilot.press("ctrl+s")
    assert isinstance(form, ContactForm) and form.saving
    return form


async def edit_meeting_a_conflict(pilot: Pilot[Any], db_path: Path) -> MemberFormScreen:
    """e on the member, a new phone; another session saves the member meanwhile."""
    await pilot.press("e")
    form = await on_screen(pilot, MemberFormScreen)
    assert isinstance(form, MemberFormScreen)
    await wait_until(pilot, lambda: form.filled, "the form")
    form.field("phone").input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, MINE)
    doc = the_member(db_path)
    members.update(Database(db_path), OTHER, doc["id"], {"grid": "二网格"}, doc["version"])
    return form


# -- the same person comes back -------------------------------------------------------------------


async def test_an_export_that_ends_behind_the_lock(
    community: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.transfer.exporting as module

    delay = Delay(monkeypatch, module, "export_members")
    out = tmp_path / "roster.csv"
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        list_screen = await roster(pilot)
        await pilot.press("x")
        dialog = await on_screen(pilot, ExportDialog)
        await pilot.press("enter", "end", "ctrl+u")
        await type_text(pilot, str(out))
        await pilot.press("ctrl+s")
        await delay.wait_started()
        locked = await lock(pilot)
        delay.go.set()
        await wait_until(pilot, lambda: not dialog.writing, "the export to end")
        await settle(pilot)

        lock_untouched(app, locked)
        assert out.exists()
        assert not dialog.is_attached  # it closed itself, under the lock
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: app.screen is list_screen, "the roster again")
        assert notes(app) == [f"Exported 1 member to {out}"]


async def test_a_contact_saved_behind_the_lock(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        detail = await member(pilot)
        with database_held(community):
            form = await contact_form_saving(pilot, "上门 新住址 9栋3单元801")
            locked = await lock(pilot)
        await wait_until(pilot, lambda: not form.saving, "the save to end")
        await settle(pilot)

        lock_untouched(app, locked)
        [contact] = Database(community).snapshot().all("contacts")
        assert (contact["note"], contact["by"]) == (
            "上门 新住址 9栋3单元801",
            "王芳",
        )  # by the name people know
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: app.screen is detail, "the member again")
        await settle(pilot)
        assert notes(app) == ["Contact saved."]
        assert "9栋3单元801" in screen_text(app)


async def test_a_conflict_met_behind_the_lock_waits_for_the_same_person(community: Path) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        await member(pilot)
        form = await edit_meeting_a_conflict(pilot, community)
        with database_held(community):
            await pilot.press("ctrl+s")
            locked = await lock(pilot)
        await wait_until(pilot, lambda: not form.saving, "the save to end")
        await settle(pilot)

        lock_untouched(app, locked)
        await pilot.press("o")  # at the lock a letter of the PIN, never "Overwrite"
        await settle(pilot)
        assert locked.query_one(LoginForm).field("pin").value == "o"
        assert (the_member(community)["phone"], the_member(community)["version"]) == (PHONE, 2)

        await log_in(pilot, "wang")
        dialog = await on_screen(pilot, ConflictDialog)
        assert "Someone else saved this member" in screen_text(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: not dialog.is_attached and not form.saving, "overwrite")
        await settle(pilot)
    doc = the_member(community)
    assert (doc["phone"], doc["grid"], doc["version"]) == (MINE, "二网格", 3)


async def test_an_import_read_behind_the_lock(
    community: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.transfer.importing as module

    sheet = tmp_path / "花名册.csv"
    sheet.write_text("姓名,联系电话\n李四,13800000002\n王五,13800000003\n", encoding="utf-8")
    delay = Delay(monkeypatch, module, "plan_import")
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        await roster(pilot)
        await pilot.press("i")
        screen = await on_screen(pilot, ImportScreen)
        await type_text(pilot, str(sheet))
        await pilot.press("enter")
        await delay.wait_started()
        locked = await lock(pilot)
        delay.go.set()
        await wait_until(pilot, lambda: screen.phase == "preview", "the preview")
        await settle(pilot)

        lock_untouched(app, locked)
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: app.screen is screen, "the preview again")
        assert "2 to add" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.phase == "done", "the import")
    assert len(Database(community).snapshot().all("members")) == 3


async def test_a_result_while_someone_else_is_being_warned(
    community: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save ends while the takeover question is on the lock: the question stays."""
    import store.contacts.ops as module

    delay = Delay(monkeypatch, module, "add_contact")
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        detail = await member(pilot)
        form = await contact_form_saving(pilot, "电话 一切安好")
        await delay.wait_started()
        await lock(pilot)
        await log_in_now(pilot, "li", "1357")
        await soon(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning")
        question = app.screen
        delay.go.set()
        await wait_until(pilot, lambda: not form.saving, "the save to end")
        await settle(pilot)
        assert app.screen is question
        assert "王芳 has not logged out" in screen_text(app)
        await pilot.press("n")  # stay locked for 王芳
        await on_screen(pilot, LockScreen)
        assert not notes(app)
        await log_in(pilot, "wang")
        await wait_until(pilot, lambda: app.screen is detail, "the member again")
        assert notes(app) == ["Contact saved."]


async def test_a_section_key_during_a_save_waits_for_its_answer(community: Path) -> None:
    """F2 while a save waits for a busy database: held until the save's answer is in (keys
    typed after Ctrl+S go to what follows the save, in order). Here that is the question
    "someone else saved meanwhile", which is answered first, as any dialog (F2 does not
    leave a dialog): the person is never taken away from a question they have not seen."""
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        await member(pilot)
        form = await edit_meeting_a_conflict(pilot, community)
        with database_held(community):
            await pilot.press("ctrl+s", "f2")
            await soon(pilot, lambda: form.saving, "the save")
            await pilot.pause(0.3)
            assert app.screen is form and form.saving  # F2 waits with the save
        await wait_until(pilot, lambda: not form.saving, "the save to end")
        await on_screen(pilot, ConflictDialog)
        assert app.current_mode == "roster" and not notes(app)
        await pilot.press("c", "f2")  # answered (keep editing): now F2 leaves
        await on_screen(pilot, DashboardScreen)


# -- someone else logs in instead ------------------------------------------------------------------


async def test_someone_else_at_the_lock_never_answers_the_first_persons_conflict(
    community: Path,
) -> None:
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        await member(pilot)
        form = await edit_meeting_a_conflict(pilot, community)
        with database_held(community):
            await pilot.press("ctrl+s")
            locked = await lock(pilot)
        await wait_until(pilot, lambda: not form.saving, "the save to end")
        await settle(pilot)
        lock_untouched(app, locked)

        await log_in(pilot, "li", "1357")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await on_screen(pilot, DashboardScreen)
        assert not any(isinstance(s, ConflictDialog | MemberFormScreen) for s in every_screen(app))
        assert not notes(app)
        await pilot.press("2", "o", "enter", "o")
        await settle(pilot)
    doc = the_member(community)
    assert (doc["phone"], doc["version"]) == (PHONE, 2)
    changes = read_audit(Database(community).audit_path)
    assert not [e for e in changes if e.get("who") == "wang" and e.get("table") == "members"]


@pytest.mark.parametrize("ends", ["before the takeover", "after the takeover"])
async def test_someone_else_at_the_lock_is_not_told_of_the_first_persons_export(
    community: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ends: str
) -> None:
    import screens.transfer.exporting as module

    delay = Delay(monkeypatch, module, "export_members")
    out = tmp_path / "roster.csv"
    app = make_app(community, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await logged_in(pilot)
        await roster(pilot)
        await pilot.press("x")
        dialog = await on_screen(pilot, ExportDialog)
        await pilot.press("enter", "end", "ctrl+u")
        await type_text(pilot, str(out))
        await pilot.press("ctrl+s")
        await delay.wait_started()
        locked = await lock(pilot)
        if ends == "before the takeover":
            delay.go.set()
            await wait_until(pilot, lambda: not dialog.writing, "the export to end")
            await settle(pilot)
            lock_untouched(app, locked)
        await log_in_now(pilot, "li", "1357")
        await soon(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning")
        await pilot.press("y")
        await soon(pilot, lambda: isinstance(app.screen, DashboardScreen), "li's dashboard")
        delay.go.set()
        await wait_until(pilot, lambda: not dialog.is_attached, "the dialog to go")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.session.actor is not None and app.session.actor.name == "li"
        assert not notes(app)
        assert out.exists()  # what 王芳 asked for before the lock was done
