"""Running one measurement in a fresh interpreter: what every area's parent side shares.

An area's benchmark (roster, live, patrols, training) measures each figure in a child process
started as ``python -m tests.bench.bench_AREA MODE DB OUT ARGS...``, so that one measurement's
caches, imports and memory never colour the next. The child writes what it measured as JSON
to OUT; the parent reads it back here. Kept apart from the areas so that each imports only
this, not another area's module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 900


def child_env() -> dict[str, str]:
    """An SSH session's environment with shequ's own terminal defaults, for every child."""
    from tui.env import apply_terminal_defaults

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "SHEQU", "PYTEST"))
        and k not in {"NO_COLOR", "COLORTERM", "TERM_PROGRAM", "COLUMNS", "LINES"}
    }
    env.update(TERM="xterm-256color", LANG="zh_CN.UTF-8", LC_ALL="C.UTF-8")
    apply_terminal_defaults(env, low_bandwidth=False)
    return env


def measure_in_child(
    module: str, mode: str, db_path: Path, work: Path, *args: str
) -> dict[str, Any]:
    """Run ``python -m MODULE MODE DB OUT ARGS...`` and return the JSON it wrote to OUT.

    Raises RuntimeError with the child's last line of output when it failed or wrote nothing
    (and subprocess.TimeoutExpired past CHILD_TIMEOUT_S): the caller turns either into a row's
    error, so one broken measurement does not stop the others.
    """
    out = work / f"{module.rsplit('.', 1)[-1]}-{mode}-{time.monotonic_ns()}.json"
    done = subprocess.run(
        [sys.executable, "-m", module, mode, str(db_path), str(out), *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not out.exists():
        lines = (done.stderr or done.stdout or "no output").strip().splitlines()
        raise RuntimeError(f"{mode}: {lines[-1] if lines else 'failed'}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result
