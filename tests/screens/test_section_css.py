"""The patrols, training, member and import/export stylesheets are read when their first screen
is shown (tui/section_css.py), and style it as when every file was read at start."""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet

from screens.member.detail import MemberScreen
from screens.patrols.week import PatrolsScreen
from screens.roster.screen import RosterScreen
from screens.transfer.exporting import ExportDialog
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import enter_as, settle, wait_until
from tui.factory import make_app
from tui.section_css import BY_PACKAGE, STYLES

ADMIN = Actor("root", Role.ADMIN, user_id="u-root")
LATER = {name for names in BY_PACKAGE.values() for name in names}


def read(stylesheet: Stylesheet) -> set[str]:
    """The files of tui/styles in the stylesheet."""
    return {Path(path).name for path, _where in stylesheet.source if Path(path).parent == STYLES}


async def test_a_section_s_stylesheet_is_read_with_its_first_screen(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert read(app.stylesheet) == {"app.tcss", "roster.tcss"}
        await enter_as(pilot)
        await settle(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        assert not read(app.stylesheet) & LATER
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolsScreen), "the patrols")
        await settle(pilot)
        assert "patrols.tcss" in read(app.stylesheet)
        heading = app.screen.query_one("#patrols-heading")
        assert heading.styles.padding.left == 1  # patrols.tcss: #patrols-heading


async def test_a_dialog_read_later_is_styled_by_its_own_rules_as_it_is_pushed(
    db_path: Path,
) -> None:
    """The dialog is styled as it is registered, before its file is read; the app styles it
    again with that file at once. Checked before the dialog handles a message: Textual styles
    it again anyway when it resumes (ScreenResume) and when focus moves into it, either of
    which would hide a missing restyle (tui/app.py ``_load_screen_css``)."""
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        assert "transfer.tcss" not in read(app.stylesheet)
        app.session.routes.export_members(app, include_archived=False)  # push_screen, no await
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert not dialog.is_mounted and dialog.focused is None  # no message handled yet
        assert "transfer.tcss" in read(app.stylesheet)
        assert dialog.styles.align_horizontal == "center"  # only transfer.tcss: ExportDialog
        assert dialog.styles.align_vertical == "middle"
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.styles.align_horizontal == "center"  # and it stays centred
        assert dialog.query_one("#export-dialog").outer_size.width == 76  # transfer.tcss


async def test_the_member_page_before_any_patrol_screen_has_its_patrols_heading_rule(
    db_path: Path,
) -> None:
    member_id = members.add(Database(db_path), ADMIN, {"name": "王芳"})["id"]
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the roster")
        app.session.routes.open_member(app, member_id, "Roster")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        await settle(pilot)
        assert {"member.tcss", "patrols.tcss"} <= read(app.stylesheet)
        assert app.screen.query_one("#member-name").styles.text_style.bold  # member.tcss
        assert app.screen.query_one("#patrols-heading").styles.padding.left == 1
