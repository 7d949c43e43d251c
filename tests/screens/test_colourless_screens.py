"""Every screen, with NO_COLOR and with 16 colours, still shows where the cursor or the focus
is: moving it changes what a person sees there without colour (reverse, bold, underline or a
mark), only greys (NO_COLOR) or the 16 basic colours are asked of the terminal, and in 16
colours the words of a list drawn alike are drawn in one colour (no state told by colour).

The roster (tests/screens/test_roster.py) and the member page (tests/e2e/test_terminal_kinds.py)
are checked where they are tested; these are the other screens. See tests/screens/colourless.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from screens.manage.users import AccountActions
from screens.patrols.day import DayScreen
from screens.patrols.week import PatrolsScreen
from screens.shell.dialogs import ConfirmDialog, ConflictDialog
from screens.transfer.importing import ImportScreen
from store.actor import Role
from store.training import ops as training_ops
from tests.screens import account_helpers as accounts
from tests.screens import member_helpers as member_page
from tests.screens import patrol_helpers as patrols
from tests.screens import training_helpers as training
from tests.screens.colourless import (
    KINDS,
    NO_COLOR,
    check_colours,
    check_cursor_reversed,
    check_focus_shows,
    check_the_move,
    look,
    terminal_kind,
    within,
)
from tests.screens.helpers import (
    SIZE,
    TEST_ACTOR,
    enter_as,
    on_top,
    screen_text,
    settle,
    wait_until,
)
from tests.screens.live_helpers import open_assign, open_dialog
from tests.screens.member_form_helpers import open_form

pytestmark = pytest.mark.parametrize("kind", KINDS)


async def test_the_patrol_week_grid_day_and_shift(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    week = patrols.patrol_week(db_path)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await patrols.open_patrols(pilot)
        await check_the_move(pilot, kind, ("right",), "the week grid's cursor cell")
        await check_the_move(pilot, kind, ("down",), "the week grid's cursor cell")
        screen.open_shift(week["shifts"][patrols.TODAY.isoformat()])
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "the shift's people")
        check_cursor_reversed(app, kind, "the shift's people")
        await pilot.press("escape")
        await on_top(pilot, PatrolsScreen)
        await pilot.press("d")
        await on_top(pilot, DayScreen)
        await check_the_move(pilot, kind, ("down",), "the day's shifts")
        check_cursor_reversed(app, kind, "the day's shifts")


async def test_check_in(db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal_kind(monkeypatch, kind)
    week = patrols.patrol_week(db_path)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await patrols.open_check_in(pilot, week["shifts"][patrols.TODAY.isoformat()])
        await check_the_move(pilot, kind, ("down",), "the check-in list")
        check_cursor_reversed(app, kind, "the check-in list")


async def test_the_assign_list(db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal_kind(monkeypatch, kind)
    week = patrols.patrol_week(db_path)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_assign(pilot, week["shifts"][patrols.MONDAY.isoformat()])
        await check_the_move(pilot, kind, ("down",), "from the search to the candidates")
        await check_the_move(pilot, kind, ("down",), "the candidates")
        check_cursor_reversed(app, kind, "the candidates")


async def test_training_checklist_hours_and_certificates(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    ids = training.big_roster(db_path)
    db = training.database(db_path)
    training_ops.add_session(
        db, TEST_ACTOR, {"title": "消防安全", "date": "2026-06-01", "hours": 1}
    )
    aid = {"name": "救护员证", "kind": "急救", "issued": "2023-07-01"}
    for name, expires in (("张三", "2026-06-01"), ("赵四", "2027-12-20")):  # expired, valid
        training_ops.add_certificate(
            db, TEST_ACTOR, aid | {"member_id": ids[name], "expires": expires}
        )
    app = training.app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await training.to_training(pilot)
        await check_the_move(pilot, kind, ("down",), "the sessions")
        await pilot.press("up", "enter")
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "from the search to the checklist")
        await check_the_move(pilot, kind, ("down",), "the checklist")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "the study hours")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "the certificates")


async def test_manage_settings_and_change_log(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await pilot.press("5")
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "the manage menu")
        check_cursor_reversed(app, kind, "the manage menu")
        await pilot.press("home", "enter")
        await settle(pilot)
        check_colours(app, kind, "the change log")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("home", "down", "enter")
        await settle(pilot)
        await check_the_move(pilot, kind, ("tab",), "the settings form")
        await check_the_move(pilot, kind, ("tab",), "the settings form")


async def test_dialogs(db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal_kind(monkeypatch, kind)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        await open_dialog(pilot, ConfirmDialog("Delete it?"))
        await check_the_move(pilot, kind, ("tab",), "the confirm dialog's buttons")
        await pilot.press("escape")
        await settle(pilot)
        await open_dialog(pilot, ConflictDialog("Someone saved first."))
        await check_the_move(pilot, kind, ("tab",), "the conflict question's buttons")


async def test_the_dashboard_help_and_lock(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    patrols.patrol_week(db_path)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        await check_the_move(pilot, kind, ("down",), "the dashboard's groups")
        await pilot.press("f1")
        await settle(pilot)
        check_colours(app, kind, "the help screen")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: app.current_mode == "gate", "the lock")
        await settle(pilot)
        check_focus_shows(app, kind, "the lock screen's PIN")


async def test_every_kind_of_form_field(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The member form has text fields, choices and a member picker: the focus shows on each
    (the shared form widget: every form has it)."""
    terminal_kind(monkeypatch, kind)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        seen = set()
        for _ in range(8):
            seen.add(type(app.focused).__name__)
            await check_the_move(pilot, kind, ("tab",), f"the member form from {seen}")
        assert {"FieldInput", "ChoiceValue"} <= seen, seen
        assert app.screen is form


async def test_a_problem_toast_differs_from_a_note_without_colour(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual tells a warning or an error toast from a note by its colour only."""
    terminal_kind(monkeypatch, kind)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        seen = {}
        for severity in ("information", "warning", "error"):
            app.clear_notifications()
            app.notify("Same words", severity=severity)  # type: ignore[arg-type]
            await settle(pilot)
            toast = app.screen.query_one(Toast)
            seen[severity] = within(look(app, NO_COLOR), toast.region)
            check_colours(app, kind, f"a toast ({severity})")
        assert seen["information"] != seen["warning"]
        assert seen["information"] != seen["error"]


async def test_the_accounts(db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The accounts list (one disabled: in words, not in grey) and an account's actions."""
    terminal_kind(monkeypatch, kind)
    accounts.community(db_path)
    app = patrols.app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await accounts.open_users(pilot)
        await check_the_move(pilot, kind, ("down",), "the accounts")
        await check_the_move(pilot, kind, ("end",), "the accounts")
        assert "disabled" in screen_text(app)  # the state in words
        await pilot.press("enter")
        await on_top(pilot, AccountActions)
        await check_the_move(pilot, kind, ("down",), "an account's actions")
        check_cursor_reversed(app, kind, "an account's actions")


async def test_the_member_page_and_the_import_screen(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    member = member_page.add_member(db_path, {"name": "张三", "phone": "13800138000"})
    for day in (member_page.TODAY, member_page.TODAY.replace(day=1)):
        member_page.log_contact(db_path, member, day, note="上门")
    app = member_page.app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await member_page.open_member(pilot, member)
        await check_the_move(pilot, kind, ("down",), "the member page's contacts")
        check_cursor_reversed(app, kind, "the member page's contacts")
        await pilot.press("escape")
        await settle(pilot)
        screen = ImportScreen(app.session, "Import members")
        await open_dialog(pilot, screen)
        check_colours(app, kind, "the import screen")
