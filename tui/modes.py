"""A new mode's screen, without Textual re-parsing every stylesheet of the app for it."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def styled(app: App[Any], screen: ScreenT) -> ScreenT:
    """Mark ``screen``, made for a new mode, as styled by the app's current stylesheet.

    Textual re-parses every stylesheet of the app (each widget's DEFAULT_CSS too) and restyles
    every node when a new mode's screen is first shown, because a new screen's count of CSS
    updates (-1) never equals the app's; yet nothing about the CSS changed, and the screen is
    styled as it mounts anyway. Each re-parse cost 50-100 ms of a login on a slow machine (three
    between the PIN and the roster). A screen with CSS of its own still has it loaded and parsed
    by Textual (``App._load_screen_css``), and a theme change still restyles every screen. Not
    for the app's first screen (the login): its re-parse is the one that applies the theme's
    variables at start.
    Private Textual state, pinned below 9 (pyproject.toml); tests/screens/test_styles_once.py
    fails if the re-parses come back.
    """
    screen._css_update_count = app._css_update_count
    return screen
