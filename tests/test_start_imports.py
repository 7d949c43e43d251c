"""The TUI's process runs without Python's TLS support (tui.env.skip_tls): every module of the
app, and every library it uses, imports without it, and the app starts, signs in and opens each
section. What waits until it is used (help, the palette, the sections' screens, the heavy
libraries) is not imported at start. Real processes: the test process has all of it loaded."""

from __future__ import annotations

from pathlib import Path

from tests.fresh import run_fresh

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
    "pypinyin",
    "openpyxl",
    "argon2",
    "msgspec",  # the compact records: first read by the login's worker, after its first frame
    # the settings model: the low-bandwidth pre-read reads the raw value (store/settings/early.py)
    "store.settings.ops",
    "store.settings.model",
    "store.settings.validation",
)


def test_what_waits_until_it_is_used_is_not_imported_at_start() -> None:
    code = (
        "import sys\n"
        "from tui.env import skip_tls\n"
        "skip_tls()\n"
        "import tui.factory, tui.cli.main\n"
        f"print(' '.join(name for name in {LATER!r} + ('ssl',) if sys.modules.get(name)))\n"
    )
    assert run_fresh(code).split() == []
