"""Help (F1 or ?): every key of the screen underneath and the global keys; Esc, F1 or ? close it."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.shell.help import HelpScreen, KeyGroup, KeyHelp
from tests.screens.helpers import enter_as, screen_text
from tui.factory import make_app

SIZE = (80, 24)


@pytest.mark.parametrize("open_key", ["f1", "question_mark"])
@pytest.mark.parametrize("close_key", ["escape", "f1", "question_mark"])
async def test_open_and_close(db_path: Path, open_key: str, close_key: str) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        dashboard = app.screen
        await pilot.press(open_key)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(close_key)
        assert app.screen is dashboard


@pytest.mark.parametrize("section_key", ["f2", "f3", "f5"])
async def test_lists_every_key_of_the_screen_underneath(db_path: Path, section_key: str) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 60)) as pilot:  # tall enough to show the whole list
        await enter_as(pilot)
        await pilot.press(section_key)
        underneath = app.screen
        expected = {
            active.binding.description
            for active in underneath.active_bindings.values()
            if active.binding.description and not active.binding.system
        }
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for description in expected:
            assert description in text
        for line in ("F1, ?", "Help", "1, F2", "Dashboard", "4, F5", "Training", "Ctrl+P", "5, F6"):
            assert line in text
        assert "Ctrl+Q" in text
        assert "Ctrl+L" in text
        assert "Copy selected text" not in text  # no mouse, no selection: not offered


async def test_a_section_key_closes_help_and_switches(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await pilot.press("f1", "f4")
        assert app.current_mode == "patrols"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        assert app.current_mode == "dashboard"
        assert not isinstance(app.screen, HelpScreen)  # help was closed, not left behind


async def test_a_long_list_scrolls_with_keys(db_path: Path) -> None:
    many = KeyGroup("Many", tuple(KeyHelp((f"F{i}",), f"thing {i}") for i in range(40)))
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await app.push_screen(HelpScreen([many]))
        await pilot.pause()
        scroller = app.screen.query_one("#help-keys")
        assert scroller.has_focus
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y
        assert "thing 39" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert scroller.scroll_y == 0
        await pilot.press("j")
        await pilot.pause()
        assert scroller.scroll_y == 1


@pytest.mark.parametrize(("lang", "words"), [("en", "data format version"), ("zh", "数据格式版本")])
async def test_shows_the_version_even_with_a_long_list(
    db_path: Path, lang: str, words: str
) -> None:
    """A helper on the phone asks "which version?" first; F1 answers it at 80x24."""
    from importlib.metadata import version

    from store.engine.migrations import SCHEMA_VERSION

    many = KeyGroup("Many", tuple(KeyHelp((f"F{i}",), f"thing {i}") for i in range(40)))
    app = make_app(db_path, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await app.push_screen(HelpScreen([many]))
        await pilot.pause()
        lines = screen_text(app).splitlines()
        expected = f"shequ {version('shequ')} · {words} {SCHEMA_VERSION}"
        shown = [line for line in lines if expected in line]
        assert shown, "\n".join(lines)
        assert lines.index(shown[0]) < len(lines) - 1  # above the footer, not cut off


async def test_help_over_a_text_field_is_all_in_chinese(db_path: Path) -> None:
    """F1 on the lock (the focus in its PIN field, a Textual Input) listed the field's own keys
    in English ("Move cursor left", "Go to start"...) in the Chinese UI."""
    from textual.widgets import Input

    from screens.shell.lock import LockScreen
    from tests.screens.helpers import add_user, log_in, on_top, settle

    add_user(db_path, "volunteer", "volunteer", display_name="张三")
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=(80, 60)) as pilot:  # tall enough to show the whole list
        await log_in(pilot, "volunteer")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await on_top(pilot, LockScreen)
        assert isinstance(app.focused, Input)
        await pilot.press("f1")
        await on_top(pilot, HelpScreen)
        text = screen_text(app)
        assert "光标左移" in text and "移到开头" in text
        for binding in Input.BINDINGS:
            assert binding.description not in text  # type: ignore[union-attr]


async def test_a_members_page_lists_no_sideways_scrolling(db_path: Path) -> None:
    """The page scrolls only up and down; Textual's Scroll Left/Right keys would be dead."""
    from tests.screens.member_helpers import TODAY, log_contact, open_member
    from tests.screens.roster_helpers import add_people

    ids = add_people(db_path)
    log_contact(db_path, ids["李四"], TODAY)  # the contact log is focused, inside the page
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 40)) as pilot:
        await open_member(pilot, ids["李四"])
        await pilot.press("f1")
        text = screen_text(app)
        assert "Page down" in text and "Back" in text
        assert "Scroll Left" not in text and "Page Right" not in text
