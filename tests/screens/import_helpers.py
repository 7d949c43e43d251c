"""The import screen tests' sample rosters and the ways they drive the screen: open it, read a
file into its preview, and what the preview and the file then say."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from screens.transfer.importing import ImportScreen
from screens.widgets.text import SafeLabel
from store.actor import Role
from store.engine.database import Database
from tests.paths import FIXTURES
from tests.screens.helpers import enter_as, settle, type_text, wait_until
from tui.app import ShequApp

BOM = FIXTURES / "roster-utf8-bom.csv"
"""A clean roster in UTF-8 with a byte-order mark (as Excel saves "CSV UTF-8")."""
GBK = FIXTURES / "roster-gbk.csv"
"""A roster in GBK (as older Excel saves CSV on Chinese Windows)."""
HOSTILE = FIXTURES / "roster-hostile.csv"
"""A roster with markup, control characters, bad dates and refused rows in its cells."""


def stored_names(db_path: Path) -> list[str]:
    """The members' names the file holds now, sorted."""
    return sorted(str(doc["name"]) for doc in Database(db_path).snapshot().all("members"))


def status(screen: ImportScreen) -> str:
    """The preview's last line (on screen it wraps, and a toast may cover its end)."""
    return str(screen.query_one("#import-status", SafeLabel).content)


def listed(screen: ImportScreen) -> str:
    """The preview's scrolling list of rows (refused, left empty, to update), whole."""
    return str(screen.query_one("#import-details", SafeLabel).content)


async def open_import(pilot: Pilot[None], role: Role = Role.ADMIN) -> ImportScreen:
    """Log in as ``role`` and open the import screen, as the menu does."""
    await enter_as(pilot, role)
    app = pilot.app
    assert isinstance(app, ShequApp)
    screen = ImportScreen(app.session, "Import members")
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def read(pilot: Pilot[None], screen: ImportScreen, path: Path | str) -> None:
    """Type ``path`` into the (cleared) field and press Enter; wait until the screen answers."""
    field = screen.path_field
    assert screen.focused is field.input
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.phase in ("ask", "preview"), "the file to be read")
    await settle(pilot)
