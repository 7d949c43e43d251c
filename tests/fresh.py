"""A few lines of Python run in a fresh interpreter, as the app would start: what gets imported
(pypinyin, ssl) shows only in a process that has not imported it already, as the test runner
has."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT


def run_fresh(script: str, *args: str, timeout: float = 60) -> str:
    """What ``script`` prints, run with ``args`` from the repository in a new interpreter (no
    Textual or shequ settings from the test's environment); it must exit cleanly."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "SHEQU"))}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()
