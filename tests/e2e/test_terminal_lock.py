"""The lock in a real terminal at 80x24: an export that ends behind it changes nothing on screen.

Ctrl+S, then Ctrl+L as soon as "Exporting…" shows, locks the screen while the file is still
being written. When the export ends, the lock must stay as it is and the app must keep
running; the same PIN then shows the roster and the toast of what was written.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import ROOT, Terminal

MEMBERS = 6000  # an XLSX of this many takes about a second to write
RIGHT, END, CTRL_U, CTRL_S, CTRL_L, CTRL_Q = "\x1b[C", "\x1b[F", "\x15", "\x13", "\x0c", "\x11"


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    db = tmp_path / "shequ.json"
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "demo", "--members", str(MEMBERS), "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db


def wait_for_file(terminal: Terminal, path: Path, timeout: float = 30) -> None:
    """Keep reading the screen until ``path`` exists (the export was written)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} was never written:\n{terminal.text()}"
        assert terminal.pump(0.05), f"shequ ended:\n{terminal.text()}"


@pytest.mark.slow
def test_an_export_ending_behind_the_lock(
    big_db: Path, tmp_path: Path, terminals: list[Terminal]
) -> None:
    out = tmp_path / "roster.xlsx"
    terminal = Terminal.shequ("--db", str(big_db), "--lang", "en")
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    terminal.send("admin\r1234\r")
    terminal.wait_for("幸福里社区")
    terminal.send("2")
    terminal.wait_for(f"Showing{MEMBERS}")
    terminal.send("x")
    terminal.wait_for("Exporttherostertoaspreadsheet")
    terminal.send(RIGHT + "\r" + END + CTRL_U + str(out))  # Excel XLSX, then the path
    terminal.wait_for(out.name)
    terminal.send(CTRL_S)
    terminal.wait_for("Exporting…")
    terminal.send(CTRL_L)
    terminal.wait_for("Thescreenislocked.")
    assert not out.exists(), "the export ended before the lock: this test proves nothing"

    wait_for_file(terminal, out)
    terminal.settle(quiet=1.0)
    assert terminal.wait_exit(timeout=0.5) is None, f"shequ ended:\n{terminal.text()}"
    screen = terminal.text()
    assert "The screen is locked." in screen
    assert "Exported" not in screen and "Export the roster" not in screen

    terminal.send("1234\r")  # the PIN field has the caret; the user name is filled in
    terminal.wait_for(f"Exported{MEMBERS}members")
    # The toast and the lock's going may reach the terminal in separate frames: wait for both.
    deadline = time.monotonic() + 10
    while "Thescreenislocked." in terminal.text().replace(" ", ""):
        assert time.monotonic() < deadline, f"the lock stayed:\n{terminal.text()}"
        assert terminal.pump(0.05), f"shequ ended:\n{terminal.text()}"
    screen = terminal.text()
    assert "The screen is locked." not in screen and "Export the roster" not in screen
    assert f"Showing {MEMBERS}" in screen  # the roster, as it was before the export
    terminal.send(CTRL_Q)
    status = terminal.wait_exit(timeout=10)
    assert status is not None and os.waitstatus_to_exitcode(status) == 0
