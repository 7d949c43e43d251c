"""Signing in and opening every section parses the app's stylesheets once, at start.

Textual re-parses every stylesheet (each widget's DEFAULT_CSS too) when a new mode's screen is
first shown, unless the screen is marked as styled (tui/modes.py); on a slow machine each
re-parse cost 50-100 ms of the login. This fails if they come back (a Textual upgrade, a mode
added without ``styled``), and checks the sections still look as their stylesheet says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from tests.screens.helpers import enter_as, settle
from tui.factory import make_app
from tui.keymap import SECTIONS


async def test_no_section_reparses_the_stylesheets(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[str] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        parses.append(type(self).__name__)
        reparse(self)

    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "reparse", counted)
        await enter_as(pilot)
        await settle(pilot)
        for section in SECTIONS:
            await app.action_section(section.mode)
            await settle(pilot)
            # Styled all the same: the header's rule from app.tcss reached the new screen.
            header = app.screen.query_one("SectionHeader")
            assert header.styles.height.value == 1, section.mode
        await app.action_lock()
        await settle(pilot)
        assert app.locked
        monkeypatch.undo()
    assert parses == []
