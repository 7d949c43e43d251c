"""The training hours screen's yearly report at 80x24 (``x``): the written file carries each
member's volunteer service (patrols, theme days, total) beside their study hours, the same
figures the member detail shows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from screens.member.detail import MemberScreen
from screens.training.exporting import ExportDialog
from screens.training.hours import HoursScreen
from store.training import ops as training
from tests.screens.helpers import SIZE, TEST_ACTOR, on_top, screen_text, settle, wait_until
from tests.screens.training_helpers import app_for, database, roster, to_training


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_report_has_the_service_the_member_detail_shows(
    db_path: Path, tmp_path: Path, lang: str
) -> None:
    ids = roster(db_path, ("张三",))
    db = database(db_path)
    theme = training.add_session(
        db,
        TEST_ACTOR,
        {
            "title": "主题党日",
            "kind": "theme_day",
            "date": "2026-03-01",
            "hours": "2",
            "service_hours": "3",
        },
    )
    training.record_attendance(db, TEST_ACTOR, theme["id"], {ids[0]: "present"}, 1)
    with db.transaction(TEST_ACTOR) as tx:
        tx.insert(
            "shifts",
            {
                "date": "2026-04-01",
                "start": "19:00",
                "end": "21:30",
                "assignments": [{"member_id": ids[0], "status": "present"}],
            },
        )
    out = tmp_path / "report.csv"
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await to_training(pilot)
        await pilot.press("h")
        await on_top(pilot, HoursScreen, lambda hours: hours.loaded)
        await pilot.press("x")
        dialog = await on_top(pilot, ExportDialog)
        dialog.path_field.value = str(out)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog), "written")
        await wait_until(pilot, out.exists, "the file")
        await settle(pilot)
        await pilot.press("enter")  # 张三, behind on study: the member detail
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")
        service = (
            "Volunteer service in 2026: 5.5 h (patrols 2.5 h + theme days 3 h)"
            if lang == "en"
            else "2026 年志愿服务：5.5 小时（巡逻 2.5 小时 + 主题党日 3 小时）"
        )
        await wait_until(pilot, lambda: service in screen_text(app), "service line")
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    words = (
        ["Patrol hours", "Theme-day hours", "Service hours total"]
        if lang == "en"
        else ["巡逻时长", "主题党日服务时长", "志愿服务总时长"]
    )
    assert rows[0][-3:] == words
    assert [row[-3:] for row in rows[1:] if row[0] == "张三"] == [["2.5", "3", "5.5"]]
