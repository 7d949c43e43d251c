"""Shared fixtures for the store tests: a temp database, an actor and a clock the test controls."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database


class FakeClock:
    """A clock that stands still until the test moves it, so backups and stamps are predictable."""

    def __init__(self, start: datetime | None = None) -> None:
        # 09:00 on 8 January where the tests run: backups are named and dated in local time, so
        # the tests' days are local days whatever the time zone (and no DST change for weeks).
        self.now = start or datetime(2024, 1, 8, 9, 0, 0).astimezone().astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def actor() -> Actor:
    return Actor("alice", Role.COORDINATOR, user_id="u-alice")


@pytest.fixture
def admin() -> Actor:
    """Restores and account changes are an admin's."""
    return Actor("root", Role.ADMIN, user_id="u-root")


@pytest.fixture
def other_actor() -> Actor:
    return Actor("bob", Role.VOLUNTEER, user_id="u-bob")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "s.json"


@pytest.fixture
def db(db_path: Path, clock: FakeClock) -> Database:
    return Database(db_path, clock=clock)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """Run with umask 0, so only the store's explicit modes stand between data and others."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)
