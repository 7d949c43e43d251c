"""The TUI's process runs without Python's TLS support (tui.env.skip_tls): every module of the
app, and every library it uses, imports without it, and the app starts, signs in and opens each
section. What waits until it is used (help, the palette, the sections' screens, the heavy
libraries) is not imported at start. Real processes: the test process has all of it loaded."""

from __future__ import annotations

from pathlib import Path

from tests.fresh import run_fresh
from tests.screens.helpers import add_user

SCRIPT = r"""
from tui.env import apply_terminal_defaults, skip_tls

assert skip_tls(), "ssl or asyncio was loaded before the TUI started"
import asyncio, importlib, pkgutil, sys
from pathlib import Path

apply_terminal_defaults({})
for package in ("store", "screens", "tui"):
    root = importlib.import_module(package)
    for found in pkgutil.walk_packages(root.__path__, package + "."):
        if not found.name.endswith("__main__"):  # those run a command
            importlib.import_module(found.name)
for library in ("openpyxl", "argon2", "pypinyin", "icalendar", "msgspec", "orjson"):
    importlib.import_module(library)

from store.actor import Actor, Role
from tui.factory import make_app


async def sections() -> list[str]:
    app = make_app(Path(sys.argv[1]), lang="en")
    shown = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.sign_in(Actor("root", Role.ADMIN, user_id="u-root"))
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
            shown.append(type(app.screen).__name__)
    return shown


print(*asyncio.run(sections()))
assert sys.modules["ssl"] is None
"""


def test_the_app_runs_without_tls(tmp_path: Path) -> None:
    shown = run_fresh(SCRIPT, str(tmp_path / "shequ.json"), timeout=120)
    assert shown.split() == [
        "DashboardScreen",
        "RosterScreen",
        "PatrolsScreen",
        "TrainingScreen",
        "ManageScreen",
    ]


LATER = (
    "screens.shell.help",  # F1
    "screens.shell.palette",  # Ctrl+P
    "screens.dashboard.screen",  # after the login
    "screens.roster.screen",
    "screens.shell.first_admin",  # only on a database that holds nothing yet
    "encodings.cp437",  # the Linux console's font: the tests' set of its glyphs
    "calendar",  # a typed date's days in its month
    "getpass",  # the CLI's operating-system user
    "pypinyin",
    "openpyxl",
    "argon2",
    "msgspec",  # the compact records: first read by the login's worker, after its first frame
    # the settings model: the low-bandwidth pre-read reads the raw value (store/settings/early.py)
    "store.settings.ops",
    "store.settings.model",
    "store.settings.validation",
)


def test_what_waits_until_it_is_used_is_not_imported_at_start(tmp_path: Path) -> None:
    """What the ``shequ`` command imports up to the login's first frame: its own module and the
    factory's, then what it does before Textual runs (open the file, read its settings, build
    the app), on a file with an account; the app is built but not run."""
    db_path = tmp_path / "shequ.json"
    add_user(db_path, "root")
    code = (
        "import os, sys\n"
        "import tui.cli.main as cli\n"
        "def report(app):\n"
        f"    print(' '.join(name for name in {LATER!r} + ('ssl',) if sys.modules.get(name)))\n"
        "    sys.stdout.flush()\n"
        "    os._exit(0)\n"
        "cli.run_and_exit = report\n"
        "cli.main(['--db', sys.argv[1]])\n"
        "raise SystemExit('the TUI was not started')\n"
    )
    assert run_fresh(code, str(db_path)).split() == []
