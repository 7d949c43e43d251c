"""What the training screens look like at 80x24, in English and Chinese: the sessions list,
the attendance checklist and the study-hour meters (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store.engine.database import Database
from store.members import ops as members
from store.training import ops as training
from tests.screens.helpers import TEST_ACTOR, add_records, enter_as, settle, wait_until
from tui.factory import make_app

SnapCompare = Callable[..., bool]
NOW = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)
LANGS = ["en", "zh_CN"]


def community(db_path: Path) -> Path:
    db = Database(db_path, clock=lambda: NOW)
    add_records(db_path, "settings", [{"community_name": "幸福里社区"}])
    people = [
        ("张三", "retired", False),
        ("李四", "in_service", False),
        ("王五", "retired", True),
        ("欧阳娜娜", "mobile_out", False),
        ("赵六", "retired", False),
    ]
    ids = [
        members.add(
            db,
            TEST_ACTOR,
            {"name": name, "category": cat, "branch": "第1党支部", "exempt_hours": exempt}
            | ({"exempt_reason": "elderly"} if exempt else {}),
        )["id"]
        for name, cat, exempt in people
    ]
    sessions = [
        ("党的二十大精神专题学习", "theory", "2026-03-10", "full_day"),
        ("消防安全知识培训", "safety", "2026-05-10", "half_day"),
        ("主题党日：走访困难群众", "theme_day", "2026-06-10", "half_day"),
    ]
    made = [
        training.add_session(
            db, TEST_ACTOR, {"title": t, "kind": k, "date": d, "rule": r, "place": "党群服务中心"}
        )
        for t, k, d, r in sessions
    ]
    training.record_attendance(
        db, TEST_ACTOR, made[0]["id"], {ids[0]: "present", ids[1]: "present", ids[4]: "present"}, 1
    )
    training.record_attendance(
        db,
        TEST_ACTOR,
        made[1]["id"],
        {ids[0]: "present", ids[1]: "present", ids[3]: "absent", ids[4]: "excused"},
        1,
    )
    training.record_attendance(db, TEST_ACTOR, made[2]["id"], {ids[0]: "present"}, 1)
    training.record_makeup(
        db, TEST_ACTOR, made[2]["id"], ids[1], {"date": "2026-06-20", "hours": 2}, 2
    )
    return db_path


def app_for(db_path: Path, lang: str) -> Any:
    app = make_app(community(db_path), lang=lang)
    app.db.clock = lambda: NOW
    return app


async def sessions_shown(pilot: Pilot[Any]) -> None:
    await enter_as(pilot, name="wang", display_name="王芳")
    await pilot.press("4")
    await settle(pilot)


async def checklist_shown(pilot: Pilot[Any]) -> None:
    from screens.training.checklist import ChecklistScreen

    await sessions_shown(pilot)
    await pilot.press("down", "enter")  # the safety session
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChecklistScreen), "it")
    await settle(pilot)
    await pilot.press("down", "down", "down", "x")  # an unsaved mark shows * and bold
    await settle(pilot)


async def meters_shown(pilot: Pilot[Any]) -> None:
    from screens.training.hours import HoursScreen

    await sessions_shown(pilot)
    await pilot.press("h")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HoursScreen), "it")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    await pilot.press("enter", "enter", "enter", "end", "enter")  # show: everyone
    await settle(pilot)


@pytest.mark.parametrize("lang", LANGS)
def test_sessions_list(snap_compare: SnapCompare, db_path: Path, lang: str) -> None:
    assert snap_compare(app_for(db_path, lang), terminal_size=(80, 24), run_before=sessions_shown)


@pytest.mark.parametrize("lang", LANGS)
def test_checklist(snap_compare: SnapCompare, db_path: Path, lang: str) -> None:
    assert snap_compare(app_for(db_path, lang), terminal_size=(80, 24), run_before=checklist_shown)


@pytest.mark.parametrize("lang", LANGS)
def test_meters(snap_compare: SnapCompare, db_path: Path, lang: str) -> None:
    assert snap_compare(app_for(db_path, lang), terminal_size=(80, 24), run_before=meters_shown)
