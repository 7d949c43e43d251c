"""The member detail's volunteer service for the year: patrol hours and a theme day's service
hours, each part and the total, updated when a theme day is recorded in another session."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.member.detail import MemberScreen
from store.engine.database import Database
from store.training import ops
from store.training.service import yearly_service
from tests.screens.helpers import SIZE, TEST_ACTOR, add_records, screen_text, wait_until
from tests.screens.member_helpers import add_member, app_for, clock, open_member

LINES = {
    "en": {
        "patrols only": "Volunteer service in 2026: 2.5 h (patrols 2.5 h + theme days 0 h)",
        "both": "Volunteer service in 2026: 5.5 h (patrols 2.5 h + theme days 3 h)",
    },
    "zh_CN": {
        "patrols only": "2026 年志愿服务：2.5 小时（巡逻 2.5 小时 + 主题党日 0 小时）",
        "both": "2026 年志愿服务：5.5 小时（巡逻 2.5 小时 + 主题党日 3 小时）",
    },
}


def service_text(screen: MemberScreen) -> str:
    line = screen.query_one("#member-service")
    return str(line.render()) if line.display else ""


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_theme_day_adds_its_service_hours_to_the_patrol_hours(
    db_path: Path, lang: str
) -> None:
    member_id = add_member(db_path, {"name": "王芳"})
    other = add_member(db_path, {"name": "李四"})
    add_records(
        db_path,
        "shifts",
        [
            {
                "date": "2026-10-01",
                "start": "19:00",
                "end": "21:30",
                "assignments": [{"member_id": member_id, "status": "present"}],
            }
        ],
    )
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        words = LINES[lang]
        assert service_text(screen) == words["patrols only"]
        assert words["patrols only"] in screen_text(app)

        # Another session records a theme day: she was there, he was not.
        db = Database(db_path, clock=clock())
        doc = ops.add_session(
            db,
            TEST_ACTOR,
            {
                "title": "十一月主题党日",
                "kind": "theme_day",
                "date": "2026-11-05",
                "hours": "2",
                "service_hours": "3",
            },
        )
        marks = {member_id: "present", other: "absent"}
        ops.record_attendance(db, TEST_ACTOR, doc["id"], marks, doc["version"])
        app.check_for_changes()
        await wait_until(pilot, lambda: service_text(screen) == words["both"], "the new total")
        assert words["both"] in screen_text(app)  # whole, not cut, at 80 columns
        stored = yearly_service(db.snapshot(), TEST_ACTOR, member_id, 2026)
        assert (stored.patrol, stored.theme_days, stored.total) == (2.5, 3.0, 5.5)


async def test_nothing_given_shows_no_service_line(db_path: Path) -> None:
    member_id = add_member(db_path, {"name": "王芳"})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        assert service_text(screen) == ""
        assert "Volunteer service" not in screen_text(app)


async def test_a_volunteers_dashboard_says_their_service_with_the_theme_days(
    db_path: Path,
) -> None:
    from store.actor import Role
    from tests.screens.dashboard_helpers import app_for as dashboard_app
    from tests.screens.dashboard_helpers import board, open_dashboard

    me = add_member(db_path, {"name": "王芳"})
    other = add_member(db_path, {"name": "李四"})
    db = Database(db_path, clock=clock())
    for title, marks in (("十月主题党日", {me: "present"}), ("十一月主题党日", {other: "present"})):
        raw = {"title": title, "kind": "theme_day", "date": "2026-11-05", "hours": "2"}
        doc = ops.add_session(db, TEST_ACTOR, raw | {"service_hours": "3"})
        ops.record_attendance(db, TEST_ACTOR, doc["id"], marks, doc["version"])
    app = dashboard_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, Role.VOLUNTEER, me)
        lines = [line.text.strip() for line in board(app).lines]
        assert "Patrols: 0 h, 0 shifts present" in lines
        # Her theme day only (not the one he attended), beside her patrols.
        service = [line for line in lines if line.startswith("Volunteer service")]
        assert service == ["Volunteer service in 2026: 3 h (patrols 0 h + theme days 3 h)"]
