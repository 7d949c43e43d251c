"""Fixtures for the Pilot tests: a real database in tmp_path and English by default."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import i18n


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives (no file until something is written)."""
    return tmp_path / "shequ.json"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Tests start the app in Chinese too; put the process back to English after each."""
    yield
    i18n.use(gettext.NullTranslations())
