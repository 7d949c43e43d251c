"""Two sessions on one data file see each other's changes within 2 seconds (issue 12).

Each test runs two real apps on one database: A (王芳, a coordinator) changes something
through its own screens; B, who sits on the roster, the week grid, a shift, the dashboard, a
member's page, the sessions, the checklist, the change log or a form, must show it within 2 s
of the save, by the App's own stat watcher (no test calls it), without losing the cursor, the
search text, the filter or unsaved edits. And an app left alone writes nothing to its terminal.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.dashboard.board import Board
from screens.dashboard.lines import Target
from screens.dashboard.screen import DashboardScreen
from screens.manage.audit import AuditLog, AuditScreen
from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen
from screens.member.form import MemberFormScreen
from screens.patrols.assign import AssignDialog
from screens.patrols.shift import ShiftScreen
from screens.patrols.week import PatrolsScreen
from screens.roster.screen import RosterScreen
from screens.roster.view import STATUS_ALL, RosterFilter
from screens.shell.dialogs import ChoiceDialog
from screens.shell.messages import LoggedIn
from screens.training.checklist import ChecklistScreen
from screens.training.screen import TrainingScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.training import ops as training
from tests.screens.dashboard_data import ROOT, Community, community, fixed_clock
from tests.screens.helpers import (
    add_user,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.member_form_helpers import retype, save
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)
LIVE_SECONDS = 2.0


@pytest.fixture
def town(db_path: Path) -> Community:
    found = community(db_path)
    add_user(db_path, "wang", Role.COORDINATOR, display_name="王芳")
    return found


def apps(db_path: Path) -> tuple[ShequApp, ShequApp]:
    pair = make_app(db_path, lang="en"), make_app(db_path, lang="en")
    for app in pair:
        app.db.clock = fixed_clock()
    return pair


async def as_user(pilot: Pilot[Any], name: str, display: str, member_id: str | None = None) -> None:
    """Log in as a coordinator (A is wang, 王芳) and wait for the dashboard to load."""
    app = pilot.app
    actor = Actor(name, Role.COORDINATOR, user_id=f"id-{name}", member_id=member_id)
    app.post_message(LoggedIn(actor, display))
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    await wait_until(pilot, lambda: app.screen.loaded, "the dashboard to load")  # type: ignore[attr-defined]
    await settle(pilot)


async def push(pilot: Pilot[Any], screen: Any) -> Any:
    """Open ``screen`` from the app's own task, the way a key would, and wait for its data."""
    app = pilot.app
    app.call_next(app.push_screen, screen)
    await wait_until(pilot, lambda: app.screen is screen, type(screen).__name__)
    await wait_until(pilot, lambda: screen.loaded, "its data")
    await settle(pilot)
    return screen


async def soon(condition: Callable[[], bool], what: str) -> float:
    """Let both apps run until ``condition`` holds; how long it took (at most 2 s)."""
    began = time.monotonic()
    while not condition():
        waited = time.monotonic() - began
        assert waited <= LIVE_SECONDS, f"{what}: not shown within {LIVE_SECONDS} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - began


def text_of(app: ShequApp) -> str:
    return screen_text(app)


def words(app: ShequApp) -> str:
    """The screen's words in one line: a toast wraps its sentence inside a frame."""
    return " ".join(screen_text(app).replace("▌", " ").replace("▏", " ").split())


# -- a member added ------------------------------------------------------------------------------


async def test_a_member_added_shows_in_the_other_roster_keeping_search_filter_and_cursor(
    db_path: Path, town: Community
) -> None:
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        await b.press("2")
        await wait_until(b, lambda: isinstance(b_app.screen, RosterScreen), "B's roster")
        roster = b_app.screen
        assert isinstance(roster, RosterScreen)
        await wait_until(b, lambda: roster.loaded, "B's roster to load")
        roster.filter = RosterFilter(status=STATUS_ALL)  # as f would leave it
        roster.refill()
        await b.press("slash")
        await type_text(b, "zh")
        await b.press("enter", "down")  # to the list, on the second match
        await settle(b)
        names = [r.name for r in roster.list.rows]
        assert names == ["张三", "赵六"]  # zhang, zhao
        on = roster.list.current
        assert on is not None and on.name == "赵六"

        form = MemberFormScreen(a_app.session, "Roster", member_id=None)
        await push(a, form)
        await retype(a, form, "name", "张大")
        await save(a, form)
        assert form.saved_id is not None

        took = await soon(lambda: "张大" in text_of(b_app), "the new member in B's roster")
        assert [r.name for r in roster.list.rows] == ["张大", *names]
        assert roster.list.current is not None and roster.list.current.id == on.id
        assert roster.search.value == "zh"
        assert roster.filter == RosterFilter(status=STATUS_ALL)
        assert b_app.focused is roster.list
        assert took <= LIVE_SECONDS


# -- a shift assigned ----------------------------------------------------------------------------


async def assign_on_grid(pilot: Pilot[Any], shift_id: str, initials: str) -> None:
    """A's way: the grid, the cell of ``shift_id``, a, search ``initials``, Enter, Enter, and
    Esc once the store has the place."""
    app = pilot.app
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(app.screen, PatrolsScreen), "A's grid")
    grid = app.screen
    assert isinstance(grid, PatrolsScreen)
    await wait_until(pilot, lambda: grid.view is not None, "A's week")
    grid.keep = shift_id
    grid.reload()
    await settle(pilot)
    assert grid.grid.current is not None and grid.grid.current.shift_id == shift_id
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), "the assign dialog")
    dialog = app.screen
    assert isinstance(dialog, AssignDialog)
    await wait_until(pilot, lambda: dialog.index is not None, "the candidates")
    await pilot.press("slash")
    await type_text(pilot, initials)
    await settle(pilot)
    before = len(assigned(app.db.path, shift_id))
    await pilot.press("enter", "enter")
    await wait_until(pilot, lambda: len(assigned(app.db.path, shift_id)) > before, "the place")
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, AssignDialog), "the grid again")
    await settle(pilot)


def assigned(db_path: Path, shift_id: str) -> set[str]:
    doc = Database(db_path).snapshot().get("shifts", shift_id)
    assert doc is not None
    return {a["member_id"] for a in doc["assignments"]}


async def test_a_shift_assigned_shows_in_the_other_dashboard_grid_and_shift(
    db_path: Path, town: Community
) -> None:
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        # B's dashboard, the cursor on Friday's second shift (a clash).
        board = b_app.screen.query_one(Board)
        await b.press("home")
        while board.current is None or board.current.target != Target("shift", town.clash[1]):
            await b.press("down")
        assert "Thursday 12-03" in text_of(b_app)

        # A puts 赵六 on Thursday's shift, which was one short.
        await assign_on_grid(a, town.short, "zl")
        assert assigned(db_path, town.short) == {town.people["王五"], town.people["赵六"]}
        await soon(lambda: "Thursday 12-03" not in text_of(b_app), "B's dashboard")
        assert "shift short" not in text_of(b_app)
        assert board.current is not None and board.current.target == Target("shift", town.clash[1])

        # B on the grid, on Friday's 19:00 shift; A puts 王五 on it too.
        await b.press("3")
        await wait_until(b, lambda: isinstance(b_app.screen, PatrolsScreen), "B's grid")
        grid = b_app.screen
        assert isinstance(grid, PatrolsScreen)
        await wait_until(b, lambda: grid.view is not None, "B's week")
        grid.keep = town.clash[0]
        grid.reload()
        await settle(b)
        assert grid.grid.current is not None and grid.grid.current.staffed == 1
        await assign_on_grid(a, town.clash[0], "ww")
        await soon(
            lambda: (
                grid.grid.current is not None
                and grid.grid.current.staffed == 2
                and "2 of 1-3 people" in text_of(b_app)
            ),
            "B's grid",
        )
        assert grid.grid.current is not None and grid.grid.current.shift_id == town.clash[0]

        # B opens that shift; A puts 李四 on it: B's list of people grows, B's line stays.
        await b.press("enter")
        await wait_until(b, lambda: isinstance(b_app.screen, ShiftScreen), "B's shift")
        shift = b_app.screen
        assert isinstance(shift, ShiftScreen)
        await wait_until(b, lambda: shift.loaded, "the shift")
        await settle(b)
        await b.press("down")
        highlighted = shift.people.current
        assert highlighted is not None
        await assign_on_grid(a, town.clash[0], "ls")
        await soon(lambda: "李四" in text_of(b_app), "B's shift")
        assert shift.people.current == highlighted


# -- attendance recorded -------------------------------------------------------------------------


async def test_attendance_recorded_shows_in_the_other_checklist_keeping_unsaved_marks(
    db_path: Path, town: Community
) -> None:
    a_app, b_app = apps(db_path)
    async with (
        a_app.run_test(size=SIZE, notifications=True) as a,
        b_app.run_test(size=SIZE, notifications=True) as b,
    ):
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        b_list = await push(b, ChecklistScreen(b_app.session, "Dashboard", town.session))
        a_list = await push(a, ChecklistScreen(a_app.session, "Dashboard", town.session))
        # Pinyin order: 李四 王五 张三 赵六. B marks 李四 present and moves on (unsaved).
        await b.press("space")
        assert b_list.has_unsaved_edits() and b_list.lines.cursor == 1
        # A marks 张三 absent and saves.
        await a.press("down", "down", "x", "ctrl+s")
        await wait_until(a, lambda: not a_list.has_unsaved_edits(), "A's save")
        await soon(lambda: "✗ Absent" in text_of(b_app), "A's mark in B's checklist")
        assert b_list.has_unsaved_edits() and b_list.lines.cursor == 1
        assert "*" in text_of(b_app)  # B's own mark, still unsaved
        await soon(lambda: "Changed by 王芳 meanwhile" in words(b_app), "who changed it")
        # Saving meets the conflict notice first, then saves over theirs: both marks kept.
        await b.press("ctrl+s")
        await wait_until(b, lambda: not b_list.saving, "B's save")
        await settle(b)
        assert "Someone else saved attendance meanwhile" in words(b_app)
        await b.press("ctrl+s")
        await wait_until(b, lambda: not b_list.has_unsaved_edits(), "B's second save")
    doc = Database(db_path).snapshot().get("trainings", town.session)
    assert doc is not None
    marks = {row["member_id"]: row["status"] for row in doc["attendance"]}
    assert marks == {town.people["李四"]: "present", town.people["张三"]: "absent"}


async def test_attendance_recorded_moves_the_meter_on_the_other_member_page(
    db_path: Path, town: Community
) -> None:
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        detail = await push(b, MemberScreen(b_app.session, "Dashboard", town.people["王五"]))
        assert "4/32 h" in text_of(b_app)
        a_list = await push(a, ChecklistScreen(a_app.session, "Dashboard", town.session))
        await a.press("down", "space", "ctrl+s")  # 王五 present: 2 more hours
        await wait_until(a, lambda: not a_list.has_unsaved_edits(), "A's save")
        await soon(lambda: "6/32 h" in text_of(b_app), "the meter on B's page")
        assert b_app.screen is detail


# -- the member page, the sessions and the change log -------------------------------------------


async def test_a_contact_logged_shows_on_the_other_member_page_in_place(
    db_path: Path, town: Community
) -> None:
    zhang = town.people["张三"]
    db = Database(db_path, clock=fixed_clock())
    with db.transaction(ROOT) as tx:
        tx.insert("contacts", {"member_id": zhang, "method": "visit", "date": "2026-09-01"})
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        detail = await push(b, MemberScreen(b_app.session, "Dashboard", zhang))
        contacts = detail.query_one("#member-contacts")
        contacts.focus()
        await b.press("down")
        kept = contacts.highlighted_option.id  # type: ignore[attr-defined]
        await push(a, MemberScreen(a_app.session, "Dashboard", zhang))
        await a.press("c")
        await wait_until(a, lambda: isinstance(a_app.screen, ContactForm), "A's contact form")
        await settle(a)
        await a.press("enter", "enter")
        await type_text(a, "上门看望")
        await a.press("enter")
        await wait_until(a, lambda: isinstance(a_app.screen, MemberScreen), "A's save")
        await soon(lambda: "上门看望" in text_of(b_app), "the contact on B's page")
        assert contacts.highlighted_option.id == kept  # type: ignore[attr-defined]
        assert "Contact log: 3 contacts" in text_of(b_app)


async def test_the_sessions_list_and_the_change_log_keep_their_place(
    db_path: Path, town: Community
) -> None:
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        await b.press("4")
        await wait_until(b, lambda: isinstance(b_app.screen, TrainingScreen), "B's sessions")
        sessions = b_app.screen
        assert isinstance(sessions, TrainingScreen)
        await wait_until(b, lambda: sessions.loaded, "B's sessions to load")
        await b.press("down")  # the older session, 党章学习
        kept = sessions.lines.current
        assert kept is not None and kept.title == "党章学习"
        actor = a_app.session.acting
        training.add_session(
            a_app.db, actor, {"title": "急救培训", "date": "2026-12-01", "hours": "3"}
        )
        await soon(lambda: "急救培训" in text_of(b_app), "the new session in B's list")
        assert sessions.lines.current is not None and sessions.lines.current.id == kept.id

        # The change log, read from the fifth line down: newer changes come in above it.
        await b.press("5")
        await wait_until(b, lambda: b_app.current_mode == "manage", "Manage")
        audit = await push(b, AuditScreen(b_app.session, "Manage"))
        log = audit.query_one(AuditLog)
        await b.press("down", "down", "down", "down")
        top = screen_text(b_app).splitlines()[3]
        training.add_session(
            a_app.db, actor, {"title": "理论学习", "date": "2026-12-02", "hours": "2"}
        )
        await soon(
            lambda: (
                "理论学习"
                in "".join(
                    audit.query_one(AuditLog).view.line(i).text  # type: ignore[union-attr]
                    for i in range(6)
                )
            ),
            "the change in B's log",
        )
        await settle(b)
        assert log.scroll_offset.y > 4
        assert screen_text(b_app).splitlines()[3] == top


# -- an unsaved form -----------------------------------------------------------------------------


async def test_an_unsaved_form_survives_and_says_who_saved_the_member_meanwhile(
    db_path: Path, town: Community
) -> None:
    zhang = town.people["张三"]
    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        b_form = await push(b, MemberFormScreen(b_app.session, "Roster", member_id=zhang))
        await wait_until(b, lambda: b_form.filled, "B's form")
        await retype(b, b_form, "phone", "13811112222")
        a_form = await push(a, MemberFormScreen(a_app.session, "Roster", member_id=zhang))
        await wait_until(a, lambda: a_form.filled, "A's form")
        await retype(a, a_form, "name", "张三丰")
        await save(a, a_form)
        await soon(lambda: "Changed by 王芳 meanwhile." in text_of(b_app), "who changed it")
        assert b_form.field("phone").value == "13811112222"  # the edit survives
        assert b_form.field("name").value == "张三"  # and is not refilled under the person
        assert "saving asks which to keep" in text_of(b_app)
        await save(b, b_form)
        assert isinstance(b_app.screen, ChoiceDialog)
        assert "Someone else saved this member" in text_of(b_app)


# -- an idle app ---------------------------------------------------------------------------------


async def test_an_idle_app_writes_nothing_for_10_seconds(db_path: Path, town: Community) -> None:
    """Logged in, on the dashboard (the stat watcher and the idle-lock check running), a
    second app on the roster with the search box focused: 10 s, not one byte."""
    from tests.bench.meter import Meter

    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")
        await as_user(b, "li", "李明")
        await b.press("2")
        await wait_until(b, lambda: isinstance(b_app.screen, RosterScreen), "the roster")
        await wait_until(b, lambda: b_app.screen.loaded, "the roster to load")  # type: ignore[attr-defined]
        await b.press("slash")
        await settle(a)
        await settle(b)
        meters = Meter.attach(a_app), Meter.attach(b_app)
        await asyncio.sleep(0.5)  # what the last key asked for is painted
        for meter in meters:
            meter.reset()
        await asyncio.sleep(10)
        assert [meter.written for meter in meters] == [0, 0]
        # Not because nothing could be written: a change is painted at once.
        training.add_session(
            a_app.db, ROOT, {"title": "急救培训", "date": "2026-12-01", "hours": "3"}
        )
        await soon(lambda: meters[0].written > 0, "the change painted")


async def test_any_form_says_who_saved_its_record_and_an_unedited_one_follows(
    db_path: Path, town: Community
) -> None:
    """The session form, through the same shared base: edited, it keeps the edit and names
    who saved; not edited, it simply shows what was saved."""
    from screens.training.form import SessionFormScreen

    a_app, b_app = apps(db_path)
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        await as_user(a, "wang", "王芳")  # A saves through its own session's store calls
        await as_user(b, "li", "李明")
        form = await push(b, SessionFormScreen(b_app.session, "Training", town.session))
        await wait_until(b, lambda: form.filled, "B's form")
        version = form.version
        training.update_session(
            a_app.db, a_app.session.acting, town.session, {"place": "活动室"}, 1
        )
        await soon(lambda: form.field("place").value == "活动室", "the unedited form following")
        assert form.version == version + 1 and "meanwhile" not in text_of(b_app)
        form.field("trainer").input.focus()
        await type_text(b, "李老师")
        training.update_session(
            a_app.db, a_app.session.acting, town.session, {"place": "会议室"}, version + 1
        )
        await soon(lambda: "Changed by 王芳 meanwhile." in words(b_app), "who changed it")
        assert form.field("trainer").value.endswith("李老师")
        assert form.field("place").value == "活动室"  # not refilled under the person
