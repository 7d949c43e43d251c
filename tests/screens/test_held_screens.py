"""A screen shown for the first time is not styled again as a whole (screens/shell/held.py):
every widget's styles are what a whole styling of the screen gives, at the login, in a
section's first screen and on the lock; a screen coming back is styled again as before."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.dom import DOMNode

from screens.shell.lock import LockScreen
from tests.screens.helpers import enter_as, settle
from tui.factory import make_app
from tui.keymap import SECTIONS


def styles_of(app: App[None]) -> dict[int, tuple[object, ...]]:
    """Each node's styles from the stylesheet, its own and its parts' (an Input's cursor...)."""
    nodes: list[DOMNode] = list(app.screen.walk_children(with_self=True))
    return {
        id(node): (
            sorted(node.styles.base.get_rules().items()),
            sorted(
                (part, sorted(styles.get_rules().items()))
                for part, styles in node._component_styles.items()
            ),
        )
        for node in nodes
    }


def assert_styled_as_whole(app: App[None]) -> None:
    shown = styles_of(app)
    app.stylesheet.update(app.screen)
    assert styles_of(app) == shown


async def test_a_screen_shown_first_has_the_styles_a_whole_styling_gives(db_path: Path) -> None:
    app = make_app(db_path, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert_styled_as_whole(app)  # the login
        await enter_as(pilot)
        await settle(pilot)
        for section in SECTIONS:
            await app.action_section(section.mode)
            await settle(pilot)
            assert_styled_as_whole(app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert_styled_as_whole(app)


async def test_only_the_first_showing_is_left_unstyled(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        dashboard = app.screen
        restyled: list[bool] = []
        original = dashboard.update_node_styles

        def update_node_styles(animate: bool = True) -> None:
            restyled.append(True)
            original(animate)

        dashboard.update_node_styles = update_node_styles  # type: ignore[method-assign]
        await app.action_section(SECTIONS[1].mode)
        await settle(pilot)
        await app.action_section(SECTIONS[0].mode)  # back to the dashboard: styled again
        await settle(pilot)
        assert app.screen is dashboard
        assert restyled
