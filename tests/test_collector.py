"""The ``shequ`` command holds Python's cycle collector while the TUI starts (tui/collector.py):
held from its first line to the first frame, frozen objects handed back and collected a moment
later, and never left held by a command that is not the TUI, even one refused. Real processes:
the collector is process-wide, and the test runner's must not be touched."""

from __future__ import annotations

from pathlib import Path

from tests.fresh import run_fresh

TUI = r"""
import asyncio, gc, os, sys
os.environ["XDG_CACHE_HOME"] = sys.argv[2]  # its parsed CSS: tui/css_cache.py
from tui.cli import main as cli

seen = {}


def run(app):
    # What the terminal would show, headless: the same App the command built.
    seen["held while starting"] = not gc.isenabled()

    async def go():
        async with app.run_test(size=(80, 24)) as pilot:  # returns once it has painted
            seen["running after the first frame"] = gc.isenabled()
            seen["start's objects frozen"] = gc.get_freeze_count() > 10_000
            await pilot.pause(0.3)
            seen["handed back"] = gc.get_freeze_count() == 0

    asyncio.run(go())
    print(sorted(key for key, value in seen.items() if value))
    raise SystemExit(0)


cli.run_and_exit = run
cli.main(["--db", sys.argv[1], "--lang", "en"])
"""


def test_the_tui_starts_with_the_collector_held_until_its_first_frame(tmp_path: Path) -> None:
    shown = run_fresh(TUI, str(tmp_path / "shequ.json"), str(tmp_path / "cache"), timeout=120)
    assert shown == str(
        sorted(
            [
                "held while starting",
                "running after the first frame",
                "start's objects frozen",
                "handed back",
            ]
        )
    )


COMMANDS = r"""
import gc, sys
from tui.cli import main as cli

after = []
for argv in (["demo", "--db", sys.argv[1]], ["check", "--db", sys.argv[1]], ["--no-such-option"]):
    try:
        cli.main(argv)
    except SystemExit:  # the refused line: argparse's usage error
        pass
    after.append(gc.isenabled() and gc.get_freeze_count() == 0)
print(after)
"""


def test_a_command_runs_with_the_collector_and_leaves_it_running(tmp_path: Path) -> None:
    shown = run_fresh(COMMANDS, str(tmp_path / "shequ.json"), timeout=120)
    assert shown.splitlines()[-1] == "[True, True, True]"
