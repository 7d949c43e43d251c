"""Real apps beside the headless sessions (issue 23): a terminal's CPU and bytes per change.

The sessions area (tests/bench/bench_sessions.py) measures headless sessions: the store and the
roster's rows without Textual. Here ``APPS`` real ``shequ`` processes, each in an 80x24
pseudo-terminal (tests/e2e/terminal.py), log in as the demo coordinator and open the roster
beside the same headless sessions, while 10 CLI adds run: each app's CPU per change (its
process's CPU clock, every thread, to the nanosecond, less its own idle CPU over as long) and
the bytes it wrote to its terminal per change.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.bench.bench_sessions import ADDS, APPS, CPU_TARGET_MS, Session, cli_add
from tests.bench.report import Row, Target


def _proc_cpu(pid: int) -> float:
    """A process's CPU seconds so far, every thread's (ended ones too), to the nanosecond.

    Linux's CPU clock of another process (its id made from the pid, as glibc's
    clock_getcpuclockid does: the scheduler's on-CPU time, /proc/PID/schedstat's first field
    summed over the threads). /proc/PID/stat counts 10 ms ticks, too coarse for a few ms per
    change; it is the fallback where the clock cannot be read.
    """
    try:
        return time.clock_gettime(((~pid) << 3) | 2)  # MAKE_PROCESS_CPUCLOCK(pid, SCHED)
    except OSError:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _showing(terminal: Any) -> int | None:
    import re

    found = re.search(r"Showing(\d+)", terminal.text().replace(" ", "").replace(",", ""))
    return int(found.group(1)) if found else None


def apps_run(db_path: Path, count: int, first: int) -> dict[str, Any]:
    """``count`` real apps on the roster while 10 adds run: CPU and bytes per change."""
    from tests.e2e.terminal import Terminal

    terminals = []
    try:
        for _ in range(count):
            terminal = Terminal.shequ("--db", str(db_path), "--lang", "en")
            terminals.append(terminal)
            terminal.wait_for("Whoisatthekeyboard?", timeout=120)
            terminal.send(b"coordinator\r2345\r")
            terminal.wait_for("幸福里社区", timeout=120)
            terminal.send(b"2")
            terminal.wait_for("Showing", timeout=120)
            terminal.settle(quiet=1.0, timeout=60)
        before = [_showing(t) or 0 for t in terminals]
        idle = [_proc_cpu(t.pid) for t in terminals]
        began = time.perf_counter()
        while time.perf_counter() - began < 5.0:
            for terminal in terminals:
                terminal.pump(0.05)
        idle = [(_proc_cpu(t.pid) - c) / 5.0 for t, c in zip(terminals, idle, strict=True)]
        cpu = [_proc_cpu(t.pid) for t in terminals]
        written = [t.bytes_read for t in terminals]
        began = time.perf_counter()
        for i in range(ADDS):
            cli_add(db_path, first + i)
            for terminal in terminals:
                terminal.pump(0.01)
        deadline = time.monotonic() + 60
        for terminal, shown in zip(terminals, before, strict=True):
            while (_showing(terminal) or 0) < shown + ADDS and time.monotonic() < deadline:
                terminal.pump(0.05)
        for terminal in terminals:
            terminal.settle(quiet=1.5, timeout=10)
        took = time.perf_counter() - began
        spent = [
            (_proc_cpu(t.pid) - c - rate * took) / ADDS * 1000
            for t, c, rate in zip(terminals, cpu, idle, strict=True)
        ]
        sent = [(t.bytes_read - b) / ADDS / 1024 for t, b in zip(terminals, written, strict=True)]
        missing = [
            shown
            for t, shown in zip(terminals, before, strict=True)
            if (_showing(t) or 0) < shown + ADDS
        ]
        if missing:
            raise RuntimeError("an app never showed all the new members")
        return {"cpu": spent, "kb": sent, "idle": idle}
    finally:
        for terminal in terminals:
            terminal.close()


def app_rows(path: Path, size: int, headless: int) -> list[Row]:
    """The real apps' figures, with ``headless`` headless sessions open beside them."""
    label = f"{APPS} real apps at 80x24 beside {headless} headless, {size:,} members"
    sessions = [Session(path, "follow") for _ in range(headless)]
    try:
        for session in sessions:
            session.line()
        found = apps_run(path, APPS, 50_000 + size)
    except (RuntimeError, OSError, AssertionError, subprocess.SubprocessError) as error:
        return [Row(label, "ms", None, None, "", error=str(error))]
    finally:
        for session in sessions:
            session.close()
    return [
        Row(
            f"CPU per app per change, {label}",
            "ms",
            statistics.median(found["cpu"]),
            CPU_TARGET_MS,
            "the target",
            Target(CPU_TARGET_MS),
            "the app's CPU (its process's CPU clock, every thread) over the adds, less its idle "
            f"CPU over as long ({statistics.median(found['idle']) * 1000:.1f} ms/s idle)",
            samples={"ours": found["cpu"]},
        ),
        Row(
            f"bytes written per app per change, {label}",
            "KB",
            statistics.median(found["kb"]),
            1.92,
            "one 80x24 screen of text",
            None,
            "the roster open, the new members added below the lines in view",
        ),
    ]
