"""The import screen and the data changing under it: a preview is worked out again when another
session saves, and Esc during the import stops it before its commit, writing nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.members.importing import ImportPlan, apply_import, plan_import
from tests.screens.helpers import SIZE, notes, screen_text, settle, wait_until
from tests.screens.import_helpers import HOSTILE, open_import, read, status, stored_names
from tui.factory import make_app

OTHER = Actor("other-session", Role.ADMIN)


async def test_a_preview_is_worked_out_again_when_the_data_changes(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, HOSTILE)
        assert "5 to add · 0 to update · 0 unchanged" in screen_text(app)

        # Another session imports the same file meanwhile: the five are in the roster now.
        other = Database(db_path)
        apply_import(other, OTHER, plan_import(other, HOSTILE))
        app.check_for_changes()  # what the app's timer does once a second
        await wait_until(
            pilot, lambda: "0 to add · 0 to update · 5 unchanged" in screen_text(app), "a new plan"
        )
        assert screen.phase == "preview"
        assert "The data changed meanwhile: the preview was worked out again." in notes(app)
        assert "Nothing to add or update" in status(screen)
        await pilot.press("ctrl+s")  # nothing to import now: the old promise is gone
        await settle(pilot)
        assert screen.phase == "preview"
    assert len(stored_names(db_path)) == 5


async def test_esc_while_importing_stops_it_and_nothing_is_written(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long import (made long here by waiting before the real one) stops at Esc."""
    entered = threading.Event()

    def long_import(db: Database, actor: Actor, plan: ImportPlan, stop: Any = None) -> Any:
        entered.set()
        for _ in range(500):  # the rows of a long file, each asking whether to stop
            if stop is not None and stop():
                break
            time.sleep(0.01)
        return apply_import(db, actor, plan, stop)

    monkeypatch.setattr("screens.transfer.importing.apply_import", long_import)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, HOSTILE)
        before = db_path.read_bytes() if db_path.exists() else None
        await pilot.press("ctrl+s")
        assert entered.wait(5)
        assert "Esc stops" in status(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.phase == "preview", "the import to stop")
        assert "Stopped: nothing was imported." in status(screen)
        assert app.screen is screen
        assert (db_path.read_bytes() if db_path.exists() else None) == before
        assert stored_names(db_path) == []
        await pilot.press("ctrl+s")  # then imported after all, when wanted
        await wait_until(pilot, lambda: screen.phase == "done", "the import")
    assert len(stored_names(db_path)) == 5
