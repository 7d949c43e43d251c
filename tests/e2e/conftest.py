"""Fixtures shared by the real-terminal tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import ROOT, Terminal


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Terminals a test opened; whatever still runs in them is killed afterwards."""
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A demo community of 60 members made by ``shequ demo`` (its admin: admin, PIN 1234)."""
    db = tmp_path / "shequ.json"
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "demo", "--members", "60", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db
