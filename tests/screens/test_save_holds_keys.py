"""Keys typed while a form saves wait for the save, then land in order on the screen after it.

On a slow disk or a loaded machine a save takes a moment, and a volunteer types on: Ctrl+S
and then what they mean for the next screen, in one burst. Each test makes every save slow
(a sleep before the store's transaction, as a slow disk would), types Ctrl+S and the next keys
together with ``type_text`` (no waiting), and checks that the keys reached the screen that
follows the save, in order, and that nothing they typed was taken for part of the save.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen
from screens.member.form import MemberFormScreen
from screens.patrols.assign import AssignDialog
from screens.patrols.shift_form import ShiftForm
from screens.patrols.template_form import TemplateForm
from screens.patrols.templates import TemplatesScreen
from screens.patrols.week import PatrolsScreen
from screens.training.certificate_form import CertificateForm
from screens.training.certificates import CertificatesScreen
from screens.training.form import SessionFormScreen
from screens.training.screen import TrainingScreen
from screens.widgets.form import FormField
from store.actor import Actor, Role
from store.engine.database import Database, Transaction
from store.members import ops as members
from store.settings import ops as settings
from store.training import ops as training
from tests.screens.helpers import add_records, enter_as, settle, type_text, wait_until
from tests.screens.patrol_helpers import ROOT, fixed_clock, patrol_week
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
SLOW = 0.4
"""How long each save takes: far longer than the app needs to route the keys behind Ctrl+S."""


def slow_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction from here on waits ``SLOW`` seconds before it starts (a slow disk)."""
    original = Database.transaction

    @contextlib.contextmanager
    def slow(self: Database, actor: Actor) -> Iterator[Transaction]:
        time.sleep(SLOW)
        with original(self, actor) as tx:
            yield tx

    monkeypatch.setattr(Database, "transaction", slow)


def app_for(db_path: Path) -> ShequApp:
    app = make_app(db_path, lang="en")
    app.db.clock = fixed_clock()
    return app


def value(screen: Any, name: str) -> str:
    return str(next(f for f in screen.query(FormField) if f.field == name).value)


async def on_top(pilot: Pilot[Any], kind: type, what: str) -> Any:
    """Wait for a screen of ``kind`` on top, its data on screen; return it."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, kind), what)
    screen = app.screen
    await wait_until(pilot, getattr(screen, "accepts_keys", lambda: True), what)
    await settle(pilot)
    return screen


async def test_member_form_then_a_contact(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the member: e, a new phone, Ctrl+S, then c and a date at once: the contact dialog
    opened on the member gets the date; the phone saved is the one typed before Ctrl+S."""
    add_records(db_path, "members", [{"name": "张三", "search_keys": ["张三", "zhangsan", "zs"]}])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await type_text(pilot, "2\r")
        await on_top(pilot, MemberScreen, "the member")
        await type_text(pilot, "e")
        form = await on_top(pilot, MemberFormScreen, "the form")
        form.field("phone").input.focus()
        slow_saves(monkeypatch)
        await type_text(pilot, "13800138000\x13c2026-01-05")
        dialog = await on_top(pilot, ContactForm, "the contact dialog")
        assert value(dialog, "date") == "2026-01-05"
        assert isinstance(app.screen_stack[-2], MemberScreen)
    [member] = Database(db_path).snapshot().all(members.TABLE)
    assert member["phone"] == "13800138000"


async def test_settings_keys_after_ctrl_s_are_new_edits(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings stay open after a save: what is typed after Ctrl+S is a new, unsaved edit
    (not taken as saved, then wiped by the reload), and saving it meets no conflict."""
    add_records(db_path, "settings", [{"community_name": "幸福里"}])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await type_text(pilot, "5j\r")
        screen = await on_top(pilot, type(app.screen), "the settings")
        assert value(screen, "community_name") == "幸福里"
        slow_saves(monkeypatch)
        await type_text(pilot, "\x05社区\x13东区")  # End, more, save; more again
        await wait_until(pilot, lambda: not screen.saving, "the save")
        await settle(pilot)
        assert value(screen, "community_name") == "幸福里社区东区"
        assert screen.has_unsaved_edits()
        assert settings.current(Database(db_path).snapshot()).community_name == "幸福里社区"
        await type_text(pilot, "\x13")
        await wait_until(pilot, lambda: not screen.saving, "the second save")
        await settle(pilot)
        assert app.screen is screen  # no conflict question with its own first save
    assert settings.current(Database(db_path).snapshot()).community_name == "幸福里社区东区"


async def test_shift_form_then_assign_and_search(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await type_text(pilot, "3")
        await on_top(pilot, PatrolsScreen, "the week")
        await type_text(pilot, "e")  # the cursor starts on today's first shift
        form = await on_top(pilot, ShiftForm, "the shift form")
        shift_id = form.shift_id
        assert shift_id is not None
        next(f for f in form.fields() if f.field == "note").input.focus()
        slow_saves(monkeypatch)
        await type_text(pilot, "带手电\x13a/zs")
        dialog = await on_top(pilot, AssignDialog, "the assign dialog")
        assert dialog.shift_id == shift_id
        await wait_until(pilot, lambda: dialog.search.value == "zs", "the search")
    shift = Database(db_path).snapshot().get("shifts", shift_id)
    assert shift is not None and shift["note"] == "带手电"
    assert world["shifts"]


async def test_template_form_then_a_new_one(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patrol_week(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await type_text(pilot, "3")
        await on_top(pilot, PatrolsScreen, "the week")
        await type_text(pilot, "g")
        await on_top(pilot, TemplatesScreen, "the templates")
        slow_saves(monkeypatch)
        # A new template typed, saved, and at once another begun: its name gets the keys.
        await type_text(pilot, "n晨巡\r周二\r7:00\r8:30\x13n夜巡")
        form = await on_top(pilot, TemplateForm, "the second form")
        assert form.saved_id is None  # the new one, not the one saved
        await wait_until(pilot, lambda: value(form, "name") == "夜巡", "the second name")
        assert isinstance(app.screen_stack[-2], TemplatesScreen)
    names = [t["name"] for t in Database(db_path).snapshot().all("shift_templates")]
    assert names == ["晨巡"]


async def test_session_form_then_a_search(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(db_path, clock=fixed_clock())
    training.add_session(
        db, ROOT, {"title": "消防知识", "kind": "safety", "date": "2026-11-20", "hours": "2"}
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await type_text(pilot, "4")
        sessions = await on_top(pilot, TrainingScreen, "the sessions")
        await type_text(pilot, "e")
        form = await on_top(pilot, SessionFormScreen, "the session form")
        form.field("place").input.focus()
        slow_saves(monkeypatch)
        await type_text(pilot, "活动室\x13/消防")
        await wait_until(pilot, lambda: app.screen is sessions, "back to the sessions")
        await settle(pilot)
        assert sessions.search.value == "消防"
    [stored] = Database(db_path).snapshot().all("trainings")
    assert stored["place"] == "活动室"


async def test_certificate_form_then_a_new_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_path, clock=fixed_clock())
    member = members.add(db, ROOT, {"name": "张三", "category": "retired"})
    training.add_certificate(
        db,
        ROOT,
        {
            "member_id": member["id"],
            "kind": "first_aid",
            "name": "急救证",
            "issued": date(2025, 5, 1).isoformat(),
        },
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await type_text(pilot, "4c")
        await on_top(pilot, CertificatesScreen, "the certificates")
        await type_text(pilot, "e")
        form = await on_top(pilot, CertificateForm, "the certificate form")
        next(f for f in form.query(FormField) if f.field == "issuer").input.focus()
        slow_saves(monkeypatch)
        await type_text(pilot, "红十字会\x13n李")
        new = await on_top(pilot, CertificateForm, "a new certificate form")
        assert new is not form and new.certificate is None
        assert value(new, "member") == "李"
    [stored] = Database(db_path).snapshot().all("certificates")
    assert stored["issuer"] == "红十字会"


async def test_contact_form_then_the_member_form(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter on the note saves the contact; e and a name typed at once reach the member form
    opened on the member behind it."""
    add_records(db_path, "members", [{"name": "张三", "search_keys": ["张三", "zhangsan", "zs"]}])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await type_text(pilot, "2\r")
        await on_top(pilot, MemberScreen, "the member")
        await type_text(pilot, "c")
        await on_top(pilot, ContactForm, "the contact dialog")
        slow_saves(monkeypatch)
        await type_text(pilot, "\r\r上门\re\x05丰")  # date, method, note and Enter: saved
        form = await on_top(pilot, MemberFormScreen, "the member form")
        await wait_until(pilot, lambda: value(form, "name") == "张三丰", "the name")
    [contact] = Database(db_path).snapshot().all("contacts")
    assert contact["note"] == "上门"
