"""Two shequ sessions in real terminals follow saves made by another process (issue 23).

Each session has the roster open, one of them with a search typed; ``shequ members add`` runs
in a third process. Both sessions show the new member within seconds (the watcher looks once a
second, then the session follows the change log: tests/store/test_follow.py checks that no
whole read happens), and the search stays as typed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.terminal import ROOT, Terminal, start_as_admin


def shequ(db: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "--lang", "en", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.mark.slow
def test_two_sessions_show_a_member_added_by_another_process(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    browsing = start_as_admin(terminals, demo_db)
    browsing.send(b"2")
    browsing.wait_for("Showing60")
    searching = start_as_admin(terminals, demo_db)
    searching.send(b"2")
    searching.wait_for("Showing60")
    searching.send(b"/xinchengyuan")
    searching.wait_for("Showing0")

    shequ(demo_db, "members", "add", "--name", "新成员", "--phone", "13912345678")

    browsing.wait_for("Showing61", timeout=15)
    searching.wait_for("Showing1·", timeout=15)  # the search kept, the new member found
    assert "新成员" in searching.text()
    assert "xinchengyuan" in searching.text()
    for terminal in terminals:
        terminal.send(b"\x11")  # Ctrl+Q
        assert terminal.wait_exit(timeout=10) is not None
