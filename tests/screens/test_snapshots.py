"""Login, lock, dashboard and help at 80x24 in English (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from store.actor import Role
from tests.screens.helpers import add_records, enter_as, settle
from tui.factory import make_app

SnapCompare = Callable[..., bool]


def community(db_path: Path) -> Path:
    add_records(db_path, "settings", [{"community_name": "幸福里社区 Happiness Lane"}])
    add_records(
        db_path,
        "members",
        [
            {"name": "张三", "category": "retired"},
            {"name": "李四", "category": "mobile_in"},
            {"name": "王五", "category": "in_service"},
        ],
    )
    return db_path


async def loaded(pilot: Pilot[Any]) -> None:
    await enter_as(pilot, Role.ADMIN, name="wang", display_name="王芳")
    await settle(pilot)


async def login_shown(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def locked(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)


async def help_open(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.press("f1")
    await pilot.pause()


def test_dashboard(snap_compare: SnapCompare, db_path: Path) -> None:
    app = make_app(community(db_path), lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_help(snap_compare: SnapCompare, db_path: Path) -> None:
    app = make_app(community(db_path), lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=help_open)


def test_login(snap_compare: SnapCompare, db_path: Path) -> None:
    add_records(db_path, "users", [{"username": "wang", "role": "admin"}])  # not a first run
    app = make_app(community(db_path), lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=login_shown)


def test_first_run(snap_compare: SnapCompare, db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=login_shown)


def test_lock(snap_compare: SnapCompare, db_path: Path) -> None:
    app = make_app(community(db_path), lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=locked)
