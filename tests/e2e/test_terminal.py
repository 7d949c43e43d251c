"""shequ in a real pseudo-terminal: it starts, quits, and dies cleanly when the link drops."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from filelock import FileLock

from tests.e2e.terminal import Terminal, start_as_admin


def assert_lock_free_and_file_whole(db: Path) -> None:
    lock = FileLock(str(db) + ".lock", timeout=0)
    lock.acquire()
    lock.release()
    json.loads(db.read_bytes())


@pytest.mark.slow
def test_starts_on_the_dashboard_and_quits_with_ctrl_q(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    terminal = start_as_admin(terminals, demo_db)
    assert "Dashboard" in terminal.text()
    terminal.send(b"\x11")  # Ctrl+Q
    status = terminal.wait_exit(timeout=10)
    assert status is not None and os.waitstatus_to_exitcode(status) == 0
    written = terminal.raw.decode(errors="replace")
    assert "\x1b[?1000h" not in written, "mouse must stay off"
    # The terminal is given back (tui/driver.py no longer waits for the input thread): the
    # alternate screen is left and the cursor shown again, after the last frame.
    left = written.rfind("\x1b[?1049l")
    assert left > written.rfind("\x1b[?1049h") and "\x1b[?25h" in written[left:]


@pytest.mark.slow
def test_dropped_connection_exits_within_5_seconds(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    terminal = start_as_admin(terminals, demo_db)
    terminal.hang_up()  # the SSH client vanished: the kernel sends SIGHUP
    status = terminal.wait_exit(timeout=5)
    assert status is not None, "shequ kept running after its terminal hung up"
    assert_lock_free_and_file_whole(demo_db)


@pytest.mark.slow
def test_sighup_exits_within_5_seconds(demo_db: Path, terminals: list[Terminal]) -> None:
    terminal = start_as_admin(terminals, demo_db)
    os.kill(terminal.pid, signal.SIGHUP)
    status = terminal.wait_exit(timeout=5)
    assert status is not None, "shequ ignored SIGHUP"
    assert_lock_free_and_file_whole(demo_db)


@pytest.mark.slow
def test_a_correction_typed_ahead_applies_in_order(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    """Backspace arriving in one burst with the letters around it (a slow link, a fast typist)."""
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en")
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    terminal.send(b"adx\x7fmin\r1234\r")
    terminal.wait_for("幸福里社区")


@pytest.mark.slow
def test_the_roster_finds_a_member_by_pinyin_and_opens_them(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    """Section 2 in a real terminal: type a full pinyin in one burst, Enter, Enter."""
    members = json.loads(demo_db.read_bytes())["members"].values()
    counts: dict[str, int] = {}
    for doc in members:
        counts[doc["search_keys"][1]] = counts.get(doc["search_keys"][1], 0) + 1
    member = next(doc for doc in members if counts[doc["search_keys"][1]] == 1)
    terminal = start_as_admin(terminals, demo_db)
    terminal.send(b"2")
    terminal.wait_for("Showing60")
    terminal.send(("/" + member["search_keys"][1]).encode())
    terminal.wait_for("Showing1·")
    assert member["name"] in terminal.text()
    terminal.send(b"\r\r")  # to the list, then open
    terminal.wait_for("Contactlog")
    assert member["name"] in terminal.text()
    terminal.send(b"\x11")  # Ctrl+Q
    assert terminal.wait_exit(timeout=10) is not None


@pytest.mark.slow
def test_the_login_screen_comes_as_one_whole_frame(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en")
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    terminal.settle(0.5)
    # Each frame Textual sends starts at the first row it changes. Once: the first frame was
    # the whole screen (title row and all) and nothing was painted twice; twice would be a
    # part of the screen first and the whole of it a tick later (tui/switching.py).
    assert terminal.raw.count(b"\x1b[1;1H") == 1, terminal.raw.decode(errors="replace")
    assert "Who is at the keyboard?" in terminal.text()
