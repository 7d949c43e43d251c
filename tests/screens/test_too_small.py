"""Below 80x24 a clear notice replaces the layout, on every screen, modal or not."""

from __future__ import annotations

from pathlib import Path

from screens.shell.help import HelpScreen
from screens.shell.too_small import TooSmallScreen
from tests.screens.helpers import enter_as, screen_text
from tui.factory import make_app


async def test_starts_too_small(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(60, 20)) as pilot:
        await enter_as(pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "Terminal too small: need 80x24, have 60x20." in text
        assert "members on the roster" not in text
        assert "F1" not in text
        # Section keys, help and the palette wait until the terminal is big enough.
        await pilot.press("f3", "2", "f1", "ctrl+p")
        assert app.current_mode == "dashboard"
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        assert "members on the roster" in screen_text(app)


async def test_shrinking_and_growing(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot)
        await pilot.press("f1")  # a modal is showing
        await pilot.resize_terminal(79, 24)
        await pilot.pause()
        assert "have 79x24" in screen_text(app)
        assert "Keys" not in screen_text(app)
        await pilot.resize_terminal(100, 23)
        await pilot.pause()
        assert "have 100x23" in screen_text(app)
        assert len([s for s in app.screen_stack if isinstance(s, TooSmallScreen)]) == 1
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # back where the user was


async def test_ctrl_q_still_quits(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(40, 10)) as pilot:
        await enter_as(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_screen_pushed_while_too_small_is_covered(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(60, 20)) as pilot:
        await enter_as(pilot)
        await pilot.pause()
        app.push_screen(HelpScreen([]))  # e.g. a dialog a worker opens
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        assert "members on the roster" in screen_text(app)
