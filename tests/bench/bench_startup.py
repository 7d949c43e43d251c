"""Cold start, quit and peak memory of the real app in a real pseudo-terminal, beside bare Textual.

How one run is timed (first screen, ready, settled, quit, peak memory, bytes) is in
tests/bench/pty_app.py. The rows here:

* cold start to the login's first screen, beside a bare Textual app's first frame.
* usable roster (``roster`` runs of the shequ command: signed in at once, then ``2`` typed, which
  waits for the dashboard's data as a volunteer's does, see _child.py): the chunk
  that puts the roster's "显示 N 名" (showing N) line on screen, which is painted in the same
  frame as the rows. Measured beside the bare app's first frame (the target's baseline) and
  beside ``bare_rows``, a bare app that shows the same members the plain Textual way (its own
  "显示 N 名" line once its DataTable has them): what the roster costs over the obvious way to
  show it, rather than over showing nothing.
* Enter on the PIN to the dashboard (``pin`` runs: the shequ command on the login, its demo
  admin's name, Enter and PIN typed once the login is quiet, a person's pause, then Enter):
  until the dashboard's members line is on screen, beside the PIN check alone
  (``store.users.ops.authenticate`` on a copy of the file, in the bench process, between the
  runs): what showing the dashboard adds to the check itself.
* settled, quit, bytes and peak memory (with the roster open for ``roster`` runs). The growth
  rows repeat the roster run at 1,000 to 50,000 members, so the curve of memory and start time
  against the roster's size shows (it should be a line with a small slope).

Bare and shequ runs alternate, after one uncounted warm-up run each (bytecode compiled, files in
the page cache), so this is a warm-cache cold start.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.bench.members import make_members, write_database
from tests.bench.pty_app import ROOT, AppRun, AppRunFailed, Mode, Typing, app_missing, run_app
from tests.bench.report import Row, Target, median

# DESIGN.md, Budgets.
START_RATIO_TARGET = 1.3
QUIT_TARGET_MS = 150.0
MEMORY_TARGET_MIB = {5_000: 45.0, 20_000: 60.0}
GROWTH_SIZES = (1_000, 5_000, 20_000, 50_000)
# The dashboard's "{count} members on the roster, ..." line in Chinese (the runs use LANG=zh_CN).
DASHBOARD_READY = re.compile("名党员在册".encode())
# `shequ demo`'s admin (store/demo.py DEMO_USERS).
PIN_USER, PIN = "admin", "1234"
PIN_TYPING = Typing(f"{PIN_USER}\r{PIN}".encode(), b"\r", DASHBOARD_READY)


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

    Bare, login-screen, roster and PIN runs (with one PIN check in this process each round)
    alternate so a busy moment on the machine falls on all of them. ``growth`` lists roster
    sizes for the curve (``growth_runs`` roster runs each).
    """
    missing = app_missing()
    db_path = work / f"demo-{members}.json"
    note = f"shequ not measured: {missing}" if missing else make_demo_db(db_path, members)
    kinds: dict[str, tuple[Mode, Path | None, Typing | None]] = {"bare": ("bare", None, None)}
    if not missing:
        kinds |= {name: (name, db_path, None) for name in ("bare_rows", "shequ", "roster")}
    errors: dict[str, str] = {}
    checks: list[float] = []  # the PIN check alone, ms
    check = None if missing else _pin_checker(db_path, work, errors)
    if check is not None:
        kinds["pin"] = ("shequ", db_path, PIN_TYPING)
    results: dict[str, list[AppRun]] = {kind: [] for kind in (*kinds, "bare_rows", "pin")}
    for mode, path, typing in kinds.values():
        with contextlib.suppress(AppRunFailed):  # warm-up; a real problem shows in the runs
            run_app(mode, work, path, typing)
    for _ in range(runs):
        for kind, (mode, path, typing) in kinds.items():
            if kind in errors:
                continue
            try:
                results[kind].append(run_app(mode, work, path, typing))
            except AppRunFailed as error:
                errors[kind] = str(error)
        if check is not None:
            checks.append(check())
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
    if not missing:
        rows += _pin_rows(label, results["pin"], checks, bare, errors)
    if growth and not missing and "roster" not in errors:
        rows += growth_rows(growth, growth_runs, work, bare, errors.get("bare"))
    return rows


def _pin_checker(db_path: Path, work: Path, errors: dict[str, str]) -> Callable[[], float] | None:
    """The PIN check alone, as the login's worker makes it: ms per call, on a copy of the file.

    ``store.users.ops.authenticate`` with the demo admin's PIN: argon2 and the save of
    ``last_login``. Called once here (argon2 imported, the file read); None, with the reason in
    ``errors["pin"]``, if it fails (a file seeded without ``shequ demo`` has no accounts).
    """
    from store.engine.database import Database
    from store.errors import StoreError
    from store.users import ops as users

    copy = work / f"pin-check-{db_path.name}"
    shutil.copyfile(db_path, copy)
    db = Database(copy)
    try:
        users.authenticate(db, PIN_USER, PIN)
    except StoreError as error:
        errors["pin"] = f"the PIN check failed: {error}"
        return None

    def check() -> float:
        start = time.perf_counter()
        users.authenticate(db, PIN_USER, PIN)
        return (time.perf_counter() - start) * 1000

    return check


def _pin_rows(
    label: str, pin: list[AppRun], checks: list[float], bare: list[AppRun], errors: dict[str, str]
) -> list[Row]:
    """Enter on the PIN to the dashboard beside the check alone; memory signed in."""
    typed = [run.typed_ms for run in pin if run.typed_ms is not None]
    rows = [
        Row(
            name=f"Enter on the PIN to the dashboard with its data ({label})",
            unit="ms",
            ours=median(typed),
            baseline=median(checks),
            baseline_name="the PIN check alone",
            note=(
                f"`{PIN_USER}`, Enter, the PIN typed once the login is quiet, "
                f"{PIN_TYPING.pause_s:g} s, Enter: until the dashboard's members line is on "
                "screen; baseline: store.users.ops.authenticate on a copy of the file in the "
                "bench process (argon2 and the save of last_login)"
            ),
            samples={"ours": typed, "baseline": checks},
        ),
        _row(
            f"peak RSS, signed in to the dashboard ({label})",
            "MiB",
            pin,
            bare,
            "peak_mib",
            note="the PIN runs: includes argon2's 19 MiB (store/users/passwords.py MEMORY_COST)",
        ),
    ]
    _mark_failures(rows[:1], None, errors.get("pin"))  # its baseline is not the bare app
    _mark_failures(rows[1:], errors.get("bare"), errors.get("pin"))
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
