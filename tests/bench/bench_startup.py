"""Cold start, quit and peak memory of the real app in a real pseudo-terminal, beside bare Textual.

Each run is a fresh interpreter (``sys.executable tests/bench/_child.py``) on the slave side of
an 80x24 pty, with the pty as its controlling terminal, exactly where a volunteer's SSH session
would put it. We read what it writes, as a terminal would, and time from just before the process
is spawned to:

* first screen: the chunk of output that completes the first full frame. Textual paints a whole
  frame by moving the cursor to each of the 24 rows (``ESC [ row ; col H``) and writing it; once
  all 24 rows have been addressed the first screen is on the glass.
* usable roster (``roster`` runs of the shequ command: signed in at once, then ``2`` typed, which
  waits for the dashboard's data as a volunteer's does, see _child.py): the chunk
  that puts the roster's "显示 N 名" (showing N) line on screen, which is painted in the same
  frame as the rows. Measured beside the bare app's first frame (the target's baseline) and
  beside ``bare_rows``, a bare app that shows the same members the plain Textual way (its own
  "显示 N 名" line once its DataTable has them): what the roster costs over the obvious way to
  show it, rather than over showing nothing.
* settled: the last output before 0.3 s of silence (after the roster, for ``roster`` runs). An
  app may paint a first frame and then keep loading; this is when it stopped drawing (the silence
  itself is not counted).
* quit: after it settles we type Ctrl+Q (0x11) and time until the process has exited (``wait4``
  returns), i.e. until the volunteer has a shell prompt back.

Peak memory is the child's own VmHWM, written after ``App.run`` returns (``ru_maxrss`` would
include the parent's pages copied before ``exec``): with the roster open for ``roster`` runs.
Bytes are everything written to the terminal until it settled: what the start costs on a slow
link. The growth rows repeat the roster run at 1,000 to 50,000 members, so the curve of memory
and start time against the roster's size shows (it should be a line with a small slope).

No replies are sent to the terminal queries Textual makes (synchronized output, in-band resize),
like PuTTY or an older xterm. Bare and shequ runs alternate, after one uncounted warm-up run each
(bytecode compiled, files in the page cache), so this is a warm-cache cold start.
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.bench.members import make_members, write_database
from tests.bench.report import Row, Target, median

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().parent / "_child.py"
ROWS, COLUMNS = 24, 80
QUIET_S = 0.3
FIRST_FRAME_TIMEOUT_S = 30.0
READY_TIMEOUT_S = 120.0
SETTLE_TIMEOUT_S = 10.0
QUIT_TIMEOUT_S = 10.0
# DESIGN.md, Budgets.
START_RATIO_TARGET = 1.3
QUIT_TARGET_MS = 150.0
MEMORY_TARGET_MIB = {5_000: 45.0, 20_000: 60.0}
GROWTH_SIZES = (1_000, 5_000, 20_000, 50_000)
# The roster's "Showing N" line in Chinese (the runs use LANG=zh_CN): painted with the rows.
ROSTER_READY = re.compile("显示 [0-9]+ 名".encode())

_CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")

Mode = Literal["bare", "bare_rows", "shequ", "roster"]


class AppRunFailed(Exception):
    """The app did not paint, settle or quit as expected; the message carries its output."""


@dataclass(slots=True)
class AppRun:
    """Timings of one cold start (ms from spawn), its quit, memory and bytes on the wire."""

    first_screen_ms: float
    ready_ms: float
    settled_ms: float
    quit_ms: float
    peak_mib: float | None
    bytes_settled: int


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
    if db_path is not None:
        env["SHEQU_DB"] = str(db_path)
    return env


def _tail(output: bytes, lines: int = 8) -> str:
    """The last readable lines a run printed (a traceback, usually), escapes removed."""
    text = _ESCAPES.sub(b"", output).decode("utf-8", "replace").replace("\r", "")
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "(no output)"


def run_app(mode: Mode, work: Path, db_path: Path | None = None) -> AppRun:
    """Start one app in an 80x24 pty, wait for its first frame and for quiet, then Ctrl+Q it."""
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
    marked: float | None = None  # when the marker was seen
    searched = 0  # how much of the output was searched for it
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
                raise AppRunFailed(f"no roster after {READY_TIMEOUT_S:.0f} s")
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
            if marker is not None and marked is None:
                # Searched as it comes, whether or not every row has been drawn yet: the
                # roster's line can arrive in an earlier chunk than the last row of the frame.
                if marker.search(output, max(0, searched - 64)):
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
    )


def make_demo_db(path: Path, members: int) -> str:
    """A demo database: ``shequ demo`` if it works yet, else members seeded directly.

    Returns a note saying which, for the report.
    """
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "demo", "--members", str(members), "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    if done.returncode == 0 and path.exists():
        return f"database from `shequ demo --members {members}`"
    reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    write_database(path, make_members(members, seed=members))
    return f"`shequ demo` failed ({reason}); members seeded directly"


def _row(
    name: str,
    unit: str,
    ours: list[AppRun],
    bare: list[AppRun],
    pick: str,
    *,
    bare_pick: str | None = None,
    scale: float = 1.0,
    target: Target | None = None,
    note: str = "",
) -> Row:
    """One figure: the median of ``pick`` over our runs beside the bare app's ``bare_pick``."""
    mine = [getattr(r, pick) * scale for r in ours if getattr(r, pick) is not None]
    base = [
        getattr(r, bare_pick or pick) * scale
        for r in bare
        if getattr(r, bare_pick or pick) is not None
    ]
    return Row(
        name=name,
        unit=unit,
        ours=median(mine),
        baseline=median(base),
        baseline_name="bare Textual",
        target=target,
        note=note,
        samples={"ours": mine, "baseline": base},
    )


def _measure(
    mode: Mode, work: Path, db_path: Path | None, runs: int, errors: dict[str, str]
) -> list[AppRun]:
    """``runs`` runs after an uncounted warm-up; the first failure ends them and is kept."""
    results: list[AppRun] = []
    try:
        run_app(mode, work, db_path)
        for _ in range(runs):
            results.append(run_app(mode, work, db_path))
    except AppRunFailed as error:
        errors[mode] = str(error)
    return results


def run(
    members: int,
    runs: int,
    work: Path,
    *,
    growth: Sequence[int] = (),
    growth_runs: int = 1,
) -> list[Row]:
    """Start-up, quit and memory at ``members`` beside bare Textual; then the growth curve.

    Bare, login-screen and roster runs alternate so a busy moment on the machine falls on all
    three. ``growth`` lists roster sizes for the curve (``growth_runs`` roster runs each).
    """
    missing = app_missing()
    db_path = work / f"demo-{members}.json"
    note = f"shequ not measured: {missing}" if missing else make_demo_db(db_path, members)
    modes: dict[Mode, Path | None] = {"bare": None}
    if not missing:
        modes |= {"bare_rows": db_path, "shequ": db_path, "roster": db_path}
    errors: dict[str, str] = {}
    results: dict[Mode, list[AppRun]] = {"bare": [], "bare_rows": [], "shequ": [], "roster": []}
    for mode, path in modes.items():
        with contextlib.suppress(AppRunFailed):  # warm-up; a real problem shows in the runs
            run_app(mode, work, path)
    for _ in range(runs):
        for mode, path in modes.items():
            if mode in errors:
                continue
            try:
                results[mode].append(run_app(mode, work, path))
            except AppRunFailed as error:
                errors[mode] = str(error)
    bare, login, roster = results["bare"], results["shequ"], results["roster"]
    label = f"{members:,} members"
    rows = [
        _row(
            f"cold start to first screen, the login ({label})",
            "ms",
            login,
            bare,
            "first_screen_ms",
            target=Target(START_RATIO_TARGET, "ratio"),
            note=note,
        ),
        _row(
            f"cold start to a usable roster ({label})",
            "ms",
            roster,
            bare,
            "ready_ms",
            bare_pick="first_screen_ms",
            target=Target(START_RATIO_TARGET, "ratio"),
            note=(
                "signed in at once (no PIN check), 2 typed: dashboard, then the roster's rows; "
                "baseline: a bare app's first frame with its empty DataTable"
            ),
        ),
        _beside_bare_rows(
            _row(
                f"cold start to a usable roster, beside plain Textual showing them ({label})",
                "ms",
                roster,
                results["bare_rows"],
                "ready_ms",
                note=(
                    "baseline: a bare app that reads the same file with json and shows its "
                    "members in a DataTable sorted by name (no login, no dashboard, no pinyin)"
                ),
            ),
            errors.get("bare_rows"),
        ),
        _row(f"cold start until the roster settles ({label})", "ms", roster, bare, "settled_ms"),
        _row(
            f"quit from the roster: Ctrl+Q to process exit ({label})",
            "ms",
            roster,
            bare,
            "quit_ms",
            target=Target(QUIT_TARGET_MS),
            note="until wait4() returns: the shell prompt is back",
        ),
        _row(
            f"quit from the login screen ({label})",
            "ms",
            login,
            bare,
            "quit_ms",
            target=Target(QUIT_TARGET_MS),
        ),
        _row(
            f"bytes written until the roster settled ({label})",
            "KB",
            roster,
            bare,
            "bytes_settled",
            scale=1 / 1024,
        ),
        _row(
            f"peak RSS, login screen ({label})",
            "MiB",
            login,
            bare,
            "peak_mib",
        ),
        _row(
            f"peak RSS, roster open ({label})",
            "MiB",
            roster,
            bare,
            "peak_mib",
            target=_memory_target(members),
        ),
    ]
    _mark_failures(rows, errors.get("bare"), errors.get("shequ") or errors.get("roster"))
    if growth and not missing and "roster" not in errors:
        rows += growth_rows(growth, growth_runs, work, bare, errors.get("bare"))
    return rows


def _beside_bare_rows(row: Row, error: str | None) -> Row:
    """``row`` against the bare app that shows the members (see _child.py), not an empty one."""
    row.baseline_name = "bare Textual with the rows"
    if error:
        row.note = f"{row.note}; that baseline failed: {error}"
    return row


def _memory_target(members: int) -> Target | None:
    limit = MEMORY_TARGET_MIB.get(members)
    return Target(limit) if limit is not None else None


def growth_rows(
    sizes: Sequence[int], runs: int, work: Path, bare: list[AppRun], bare_error: str | None
) -> list[Row]:
    """Peak RSS and time to a usable roster at each of ``sizes``: the curve against size."""
    rows: list[Row] = []
    for size in sorted(sizes):
        path = work / f"demo-{size}.json"
        note = make_demo_db(path, size) if not path.exists() else "same file as above"
        errors: dict[str, str] = {}
        ours = _measure("roster", work, path, runs, errors)
        label = f"growth: {size:,} members"
        found = [
            _row(
                f"{label}, usable roster",
                "ms",
                ours,
                bare,
                "ready_ms",
                bare_pick="first_screen_ms",
                note=note,
            ),
            _row(
                f"{label}, peak RSS",
                "MiB",
                ours,
                bare,
                "peak_mib",
                target=_memory_target(size),
            ),
        ]
        _mark_failures(found, bare_error, errors.get("roster"))
        rows += found
    return rows


def _mark_failures(rows: list[Row], bare_error: str | None, ours_error: str | None) -> None:
    """A row without a figure fails with the reason; one with a figure keeps it as a note."""
    for row in rows:
        if bare_error:
            row.error = f"bare app: {bare_error}"
        elif ours_error and row.ours is None:
            row.error = f"shequ: {ours_error}"
        elif ours_error:
            row.note = f"{row.note}; a later run failed: {ours_error}"
