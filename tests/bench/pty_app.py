"""One run of an app in a real 80x24 pseudo-terminal, timed as a terminal sees it.

Each run is a fresh interpreter (``sys.executable tests/bench/_child.py``) on the slave side of
an 80x24 pty, with the pty as its controlling terminal, exactly where a volunteer's SSH session
would put it. We read what it writes, as a terminal would, and time from just before the process
is spawned to:

* first screen: the chunk of output that completes the first full frame. Textual paints a whole
  frame by moving the cursor to each of the 24 rows (``ESC [ row ; col H``) and writing it; once
  all 24 rows have been addressed the first screen is on the glass.
* ready: the first screen, or for ``roster`` and ``bare_rows`` runs the chunk that puts the
  roster's "显示 N 名" (showing N) line on screen, painted in the same frame as the rows.
* settled: the last output before 0.3 s of silence (after ready). An app may paint a first frame
  and then keep loading; this is when it stopped drawing (the silence itself is not counted).
* typed (runs given a :class:`Typing`): once the first screen is up and quiet, the keys are
  typed (a name, Enter, a PIN), then after a pause standing for a person typing, the final key
  (Enter); ``typed_ms`` is from writing that key to the chunk that puts the given pattern on
  screen, and the run is ready then. Searched only in what came after the key: what the screen
  showed before it does not count.
* quit: after it settles we type Ctrl+Q (0x11) and time until the process has exited (``wait4``
  returns), i.e. until the volunteer has a shell prompt back.

Peak memory is the child's own VmHWM, written after ``App.run`` returns (``ru_maxrss`` would
include the parent's pages copied before ``exec``). Bytes are everything written to the terminal
until it settled: what the start costs on a slow link.

No replies are sent to the terminal queries Textual makes (synchronized output, in-band resize),
like PuTTY or an older xterm.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import selectors
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().parent / "_child.py"
ROWS, COLUMNS = 24, 80
QUIET_S = 0.3
FIRST_FRAME_TIMEOUT_S = 30.0
READY_TIMEOUT_S = 120.0
# A person's pause between the last key of a PIN and Enter on it: what the login has meanwhile
# to build the first section's data (tui/sections.py warm_first_section).
TYPING_PAUSE_S = 1.0
SETTLE_TIMEOUT_S = 10.0
QUIT_TIMEOUT_S = 10.0
# The roster's "Showing N" line in Chinese (the runs use LANG=zh_CN): painted with the rows.
ROSTER_READY = re.compile("显示 [0-9]+ 名".encode())

_CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")

Mode = Literal["bare", "bare_rows", "shequ", "roster"]


class AppRunFailed(Exception):
    """The app did not paint, settle or quit as expected; the message carries its output."""


@dataclass(slots=True)
class Typing:
    """Keys typed into the app once its first screen is up and quiet, as a person would.

    ``keys`` go first (in one write: the app's typed-key queue keeps them in order, see
    tui/typeahead.py), then after ``pause_s`` the ``final`` key, timed to ``ready`` on screen.
    """

    keys: bytes
    final: bytes
    ready: re.Pattern[bytes]
    pause_s: float = TYPING_PAUSE_S


@dataclass(slots=True)
class AppRun:
    """Timings of one cold start (ms from spawn), its quit, memory and bytes on the wire.

    ``typed_ms`` (runs given a :class:`Typing`): from the final key to its answer on screen.
    """

    first_screen_ms: float
    ready_ms: float
    settled_ms: float
    quit_ms: float
    peak_mib: float | None
    bytes_settled: int
    typed_ms: float | None = None


def app_missing() -> str | None:
    """Why shequ's app cannot be started yet (it is being written in parallel), else None."""
    factory = ROOT / "tui" / "factory.py"
    if not factory.exists():
        return "tui/factory.py does not exist yet"
    if "def make_app" not in factory.read_text(encoding="utf-8"):
        return "tui/factory.py has no make_app() yet"
    return None


def _child_env(work: Path, db_path: Path | None) -> dict[str, str]:
    """The environment of an SSH session: xterm-256color, Chinese UI, nothing Textual-specific."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "SHEQU", "LC_", "PYTEST"))
        and k not in {"NO_COLOR", "COLORTERM", "LANGUAGE", "TERM_PROGRAM", "COLUMNS", "LINES"}
    }
    # zh_CN picks the Chinese interface; C.UTF-8 is the UTF-8 locale every system has.
    env.update(TERM="xterm-256color", LANG="zh_CN.UTF-8", LC_CTYPE="C.UTF-8")
    # Bytecode is cached as on an installed system (pip compiles a wheel's modules; an editable
    # install writes __pycache__ on first run), but in the work folder, not the source tree, and
    # whatever PYTHONDONTWRITEBYTECODE this shell has: without it every start recompiles shequ.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    # Likewise the parsed CSS the command keeps (tui/css_cache.py): written by the warm-up run.
    env["XDG_CACHE_HOME"] = str(work / "cache")
    if db_path is not None:
        env["SHEQU_DB"] = str(db_path)
    return env


def _tail(output: bytes, lines: int = 8) -> str:
    """The last readable lines a run printed (a traceback, usually), escapes removed."""
    text = _ESCAPES.sub(b"", output).decode("utf-8", "replace").replace("\r", "")
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "(no output)"


def run_app(
    mode: Mode, work: Path, db_path: Path | None = None, typing: Typing | None = None
) -> AppRun:
    """Start one app in an 80x24 pty, wait for its first frame and for quiet, then Ctrl+Q it.

    With ``typing``, its keys are typed once the first screen is quiet, and the run is ready
    when ``typing.ready`` appears after the final key.
    """
    out_file = work / f"peak-{mode}-{time.monotonic_ns()}.txt"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    args = [sys.executable, str(CHILD), mode, str(out_file)]
    if db_path is not None:
        args.append(str(db_path))
    exited = threading.Event()
    exit_at: list[float] = []
    statuses: list[int] = []

    start = time.perf_counter()
    proc = subprocess.Popen(
        args,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=work,
        env=_child_env(work, db_path),
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)

    def wait_for_exit() -> None:
        _pid, status, _usage = os.wait4(proc.pid, 0)
        exit_at.append(time.perf_counter())
        statuses.append(status)
        exited.set()

    waiter = threading.Thread(target=wait_for_exit, name="bench-wait4", daemon=True)
    waiter.start()
    selector = selectors.DefaultSelector()
    selector.register(master, selectors.EVENT_READ)
    output = bytearray()
    rows_seen: set[int] = set()
    scanned = 0
    first_screen: float | None = None
    ready: float | None = None
    marker = ROSTER_READY if mode in ("roster", "bare_rows") else None
    if typing is not None:
        marker = typing.ready
    marked: float | None = None  # when the marker was seen
    searched = 0  # how much of the output was searched for it
    floor = 0  # where the search may start (typed runs: after the final key)
    keys_at: float | None = None  # when typing.keys were written
    final_at: float | None = None  # when typing.final was
    last_output = start
    settled: float | None = None
    quit_sent: float | None = None
    bytes_settled = 0
    try:
        while True:
            now = time.perf_counter()
            if first_screen is None and now - start > FIRST_FRAME_TIMEOUT_S:
                raise AppRunFailed(f"no first screen after {FIRST_FRAME_TIMEOUT_S:.0f} s")
            if first_screen is not None and ready is None and now - start > READY_TIMEOUT_S:
                raise AppRunFailed(f"not ready (no {marker!r}) after {READY_TIMEOUT_S:.0f} s")
            if typing is not None and first_screen is not None and final_at is None:
                if keys_at is None and now - last_output >= QUIET_S:
                    os.write(master, typing.keys)
                    keys_at = time.perf_counter()
                elif keys_at is not None and now - keys_at >= typing.pause_s:
                    floor = searched = len(output)  # only what answers the final key counts
                    final_at = time.perf_counter()
                    os.write(master, typing.final)
            if ready is not None and quit_sent is None:
                quiet_for = now - last_output
                if quiet_for >= QUIET_S or now - ready > SETTLE_TIMEOUT_S:
                    settled = last_output
                    bytes_settled = len(output)
                    quit_sent = time.perf_counter()
                    os.write(master, b"\x11")  # Ctrl+Q
            if quit_sent is not None and not exited.is_set() and now - quit_sent > QUIT_TIMEOUT_S:
                raise AppRunFailed(f"still running {QUIT_TIMEOUT_S:.0f} s after Ctrl+Q")
            if exited.is_set() and (first_screen is None or quit_sent is None):
                # It ended on its own: drain what it said, then report it.
                with contextlib.suppress(OSError):
                    while selector.select(0.05):
                        chunk = os.read(master, 65536)
                        if not chunk:
                            break
                        output += chunk
                raise AppRunFailed(f"exited by itself: {_tail(bytes(output))}")
            if not selector.select(0.01):
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every holder of the slave side is gone
                chunk = b""
            if not chunk:
                if quit_sent is not None:
                    break
                exited.wait(1.0)
                continue
            stamp = time.perf_counter()
            output += chunk
            last_output = stamp
            if first_screen is None:
                for match in _CURSOR_MOVE.finditer(output, max(0, scanned - 16)):
                    rows_seen.add(int(match.group(1)))
                scanned = len(output)
                if rows_seen.issuperset(range(1, ROWS + 1)):
                    first_screen = stamp
            if marker is not None and marked is None and (typing is None or final_at is not None):
                # Searched as it comes, whether or not every row has been drawn yet: the
                # roster's line can arrive in an earlier chunk than the last row of the frame.
                if marker.search(output, max(floor, searched - 64)):
                    marked = stamp
                searched = len(output)
            if first_screen is not None and ready is None:
                if marker is None:
                    ready = first_screen
                elif marked is not None:
                    ready = max(first_screen, marked)
        if not exited.wait(QUIT_TIMEOUT_S):
            raise AppRunFailed(f"still running {QUIT_TIMEOUT_S:.0f} s after Ctrl+Q")
    except BaseException:
        with contextlib.suppress(OSError):  # already gone
            os.killpg(proc.pid, signal.SIGKILL)
        exited.wait(5.0)
        raise
    finally:
        selector.close()
        os.close(master)
        waiter.join(5.0)
        if statuses:
            proc.returncode = os.waitstatus_to_exitcode(statuses[0])

    if proc.returncode != 0:
        raise AppRunFailed(f"exit status {proc.returncode}: {_tail(bytes(output))}")
    assert first_screen is not None and ready is not None
    assert settled is not None and quit_sent is not None
    peak: float | None = None
    with contextlib.suppress(OSError, ValueError):
        peak = float(out_file.read_text(encoding="ascii"))
        out_file.unlink()
    return AppRun(
        first_screen_ms=(first_screen - start) * 1000,
        ready_ms=(ready - start) * 1000,
        settled_ms=(settled - start) * 1000,
        quit_ms=(exit_at[0] - quit_sent) * 1000,
        peak_mib=peak,
        bytes_settled=bytes_settled,
        typed_ms=None if final_at is None else (ready - final_at) * 1000,
    )
