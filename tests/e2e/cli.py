"""The ``shequ`` command run as a real process, the way the CLI tests run it: from the checkout,
in English unless told otherwise, with no database from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

SHEQU = [sys.executable, "-m", "tui.cli"]
"""The command line that starts the CLI with the interpreter running the tests."""


def shequ(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in English (unless told otherwise) and return what it printed."""
    full_env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": "", **(env or {})}
    command = [*SHEQU, *args] + (["--db", str(db)] if db else [])
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """A refusal is a message, never a Python traceback on stderr."""
    assert "Traceback" not in result.stderr, result.stderr
