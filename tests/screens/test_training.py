"""The training section at 80x24, in English and Chinese: a session made by keyboard, its
attendance taken with "all present" and two exceptions, the member's meter moving in the
member detail, a make-up, bad hours refused, the audience confirmation, the hours and
certificates screens, and what a volunteer may do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screens.member.detail import MemberScreen
from screens.shell.dialogs import ConfirmDialog
from screens.training.certificate_form import CertificateForm
from screens.training.certificates import CertificatesScreen
from screens.training.checklist import ChecklistScreen
from screens.training.form import SessionFormScreen
from screens.training.hours import HoursScreen
from screens.training.makeup import MakeupDialog
from screens.training.screen import TrainingScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.training import ops as training
from tests.screens.helpers import (
    SIZE,
    TEST_ACTOR,
    enter_as,
    footer_text,
    notes,
    on_top,
    screen_text,
    settle,
    type_text,
    unwrapped,
    wait_until,
)
from tests.screens.training_helpers import (
    app_for,
    database,
    open_checklist,
    open_member,
    roster,
    stored,
    to_training,
)

LANGS = ["en", "zh_CN"]
WORDS = {
    "en": {"present": "Present", "absent": "Absent", "excused": "Excused", "behind": "behind"},
    "zh_CN": {"present": "出勤", "absent": "缺勤", "excused": "请假", "behind": "落后"},
}


def marks(doc: dict[str, Any], ids: list[str]) -> list[tuple[str, float]]:
    rows = {a["member_id"]: a for a in doc["attendance"]}
    return [(rows[i]["status"], rows[i]["hours"]) if i in rows else ("", 0.0) for i in ids]


@pytest.mark.parametrize("lang", LANGS)
async def test_a_session_by_keyboard_attendance_meter_and_make_up(db_path: Path, lang: str) -> None:
    ids = roster(db_path)  # pinyin order: 李四 王五 张三 赵六
    li, wang, zhang, zhao = ids[1], ids[2], ids[0], ids[3]
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await to_training(pilot)
        await pilot.press("n")
        await on_top(pilot, SessionFormScreen, lambda form: form.filled)
        await type_text(pilot, "消防安全培训")
        await pilot.press("enter", "enter", "ctrl+u")  # title, kind (Other), date
        await type_text(pilot, "2026-06-30")
        await pilot.press("enter", "enter", "enter")  # start, rule (as given), on to the hours
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        checklist = await on_top(pilot, ChecklistScreen, lambda checklist: checklist.loaded)
        [doc] = stored(db_path)
        assert (doc["title"], doc["date"], doc["hours"], doc["attendance"]) == (
            "消防安全培训",
            "2026-06-30",
            3,
            [],
        )
        # All present, then the exceptions: 王五 absent, 张三 excused (x and u move on).
        await pilot.press("a", "down", "x", "u")
        text = screen_text(app)
        assert "4 listed · 2 present · 1 absent · 1 excused" in text or "4 人" in text
        assert stored(db_path)[0]["attendance"] == []  # nothing written before Ctrl+S
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(stored(db_path)[0]["attendance"]), "the save")
        assert marks(stored(db_path)[0], [li, wang, zhang, zhao]) == [
            ("present", 3),
            ("absent", 0),
            ("excused", 0),
            ("present", 3),
        ]
        await settle(pilot)
        words = WORDS[lang]
        assert words["absent"] in screen_text(app) and words["excused"] in screen_text(app)
        # A make-up for 王五 (the second line), on 1 July, 2 hours.
        await pilot.press("home", "down", "m")
        await wait_until(pilot, lambda: isinstance(app.screen, MakeupDialog), "the make-up")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-07-01")
        await pilot.press("enter", "ctrl+u")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is checklist, "the make-up to save")
        assert marks(stored(db_path)[0], [wang]) == [("make_up", 2)]
        assert stored(db_path)[0]["attendance"][1]["date"] == "2026-07-01"
        # The meter in the member detail: 王五 has 2 of 32 hours, behind the pace of 16.
        await open_member(pilot, wang, "Training")
        app.clear_notifications()
        await settle(pilot)
        text = screen_text(app)
        assert "2/32" in text and words["behind"] in text
        assert "█" in text and "░" in text


async def test_the_meter_changes_when_attendance_is_recorded(db_path: Path) -> None:
    [member_id] = roster(db_path, ("张三",))
    session = training.add_session(
        database(db_path), TEST_ACTOR, {"title": "党课", "date": "2026-03-01", "rule": "full_day"}
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        screen = await open_member(pilot, member_id, "Roster")
        assert "0/32 h · behind by 16 h" in screen_text(app)
        training.record_attendance(
            database(db_path), TEST_ACTOR, session["id"], {member_id: "present"}, 1
        )
        screen.reload()
        await wait_until(pilot, lambda: "8/32 h" in screen_text(app), "the new meter")
        assert "2026-03-01 Present 8 h 党课" in screen_text(app)


async def test_bad_hours_are_said_under_the_field_and_nothing_is_saved(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_training(pilot)
        await pilot.press("n")
        form = await on_top(pilot, SessionFormScreen, lambda form: form.filled)
        await type_text(pilot, "党课")
        form.field("hours").value = "25"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(form.field("hours").error), "the refusal")
        assert "! Enter hours from 0.5 to 24." in screen_text(app)
        assert stored(db_path) == []
        form.field("hours").value = "两"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "两" in form.field("hours").error, "the refusal")
        assert stored(db_path) == []


async def test_a_member_outside_the_audience_is_recorded_after_a_yes(db_path: Path) -> None:
    db = database(db_path)
    inside = members.add(db, TEST_ACTOR, {"name": "老王", "category": "retired"})["id"]
    outside = members.add(db, TEST_ACTOR, {"name": "小李", "category": "in_service"})["id"]
    training.add_session(
        db,
        TEST_ACTOR,
        {
            "title": "老党员学习",
            "date": "2026-06-01",
            "hours": 2,
            "audience": "category",
            "audience_value": "retired",
        },
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklist(pilot)
        assert "小李" not in screen_text(app)
        await pilot.press("o", "space", "down", "space", "ctrl+s")  # 老王, then 小李 (outside)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "Not in this session's audience: 小李" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert stored(db_path)[0]["attendance"] == []
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: len(stored(db_path)[0]["attendance"]) == 2, "the save")
        assert {a["member_id"] for a in stored(db_path)[0]["attendance"]} == {inside, outside}


async def test_delete_asks_first(db_path: Path) -> None:
    training.add_session(
        database(db_path), TEST_ACTOR, {"title": "党课", "date": "2026-06-01", "hours": 1}
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_training(pilot)
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")
        await settle(pilot)
        assert len(stored(db_path)) == 1
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: stored(db_path) == [], "the delete")


async def test_filter_and_search(db_path: Path) -> None:
    db = database(db_path)
    for title, kind, day in (
        ("消防安全", "safety", "2026-05-01"),
        ("党课", "theory", "2026-06-01"),
        ("去年的课", "theory", "2025-06-01"),
    ):
        training.add_session(
            db, TEST_ACTOR, {"title": title, "kind": kind, "date": day, "hours": 1}
        )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_training(pilot)
        assert [r.title for r in screen.lines.rows] == ["党课", "消防安全"]  # this year
        await pilot.press("slash")
        await type_text(pilot, "消防")
        assert [r.title for r in screen.lines.rows] == ["消防安全"]
        await pilot.press("escape", "f")
        await wait_until(pilot, lambda: app.screen is not screen, "the filter")
        await pilot.press("right", "enter", "end", "enter")  # kind: Theory; year: all years
        await wait_until(pilot, lambda: app.screen is screen, "the filter to close")
        await settle(pilot)
        assert [r.title for r in screen.lines.rows] == ["党课", "去年的课"]
        assert "all years" in screen_text(app)


async def test_hours_screen_lists_who_is_behind_and_opens_them(db_path: Path) -> None:
    ids = roster(db_path, ("张三", "李四"))
    db = database(db_path)
    session = training.add_session(
        db, TEST_ACTOR, {"title": "党课", "date": "2026-03-01", "rule": "full_day"}
    )
    training.record_attendance(db, TEST_ACTOR, session["id"], {ids[0]: "present"}, 1)
    for n in range(2):
        more = training.add_session(
            db, TEST_ACTOR, {"title": f"课{n}", "date": "2026-04-01", "rule": "full_day"}
        )
        training.record_attendance(db, TEST_ACTOR, more["id"], {ids[0]: "present"}, 1)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_training(pilot)
        await pilot.press("h")
        await on_top(pilot, HoursScreen, lambda hours: hours.loaded)
        text = screen_text(app)
        assert "1 member behind pace" in text
        assert "李四" in text and "张三" not in text and "0/32 h" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "the member")


async def test_certificates_new_and_expiring(db_path: Path) -> None:
    ids = roster(db_path, ("张三", "李四"))
    training.add_certificate(
        database(db_path),
        TEST_ACTOR,
        {
            "member_id": ids[1],
            "name": "救护员证",
            "kind": "first_aid",
            "issued": "2023-07-10",
            "expires": "2026-07-12",
        },
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_training(pilot)
        await pilot.press("c")
        screen = await on_top(pilot, CertificatesScreen, lambda screen: screen.loaded)
        assert "! in 10 days" in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CertificateForm), "the form")
        await type_text(pilot, "zs")
        await pilot.press("enter", "enter")
        await type_text(pilot, "消防证")
        await pilot.press("enter", "enter")
        await type_text(pilot, "2026-01-05")
        await pilot.press("enter")
        await type_text(pilot, "2025-01-01")
        await pilot.press("ctrl+s")
        form = app.screen
        await wait_until(pilot, lambda: "! The expiry date" in screen_text(app), "the refusal")
        assert isinstance(form, CertificateForm)
        await pilot.press("ctrl+u")
        await type_text(pilot, "2029-01-05")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, "the save")
    certs = Database(db_path).snapshot().all("certificates")
    assert {(c["member_id"], c["name"]) for c in certs} == {
        (ids[0], "消防证"),
        (ids[1], "救护员证"),
    }


async def test_a_volunteer_sees_sessions_with_their_own_mark_only(db_path: Path) -> None:
    mine, theirs = roster(db_path, ("张三", "李四"))
    db = database(db_path)
    session = training.add_session(
        db, TEST_ACTOR, {"title": "党课", "date": "2026-06-01", "hours": 2}
    )
    training.record_attendance(
        db, TEST_ACTOR, session["id"], {mine: "present", theirs: "absent"}, 1
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        app.session.actor = Actor("test", Role.VOLUNTEER, user_id="id-test", member_id=mine)
        await pilot.press("4")
        await on_top(pilot, TrainingScreen)
        footer = footer_text(app)
        assert "New" not in footer and "Delete" not in footer
        assert "Present" in screen_text(app) and "1/2" not in screen_text(app)
        await pilot.press("enter", "n", "delete")
        await settle(pilot)
        assert isinstance(app.screen, TrainingScreen)
        await pilot.press("h")
        await on_top(pilot, HoursScreen)
        text = screen_text(app)
        assert "张三" in text and "李四" not in text and "2/32 h" in text


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "yours is in the Came column"), ("zh", "您的出勤见“出勤”列")]
)
async def test_enter_on_a_session_tells_a_volunteer_where_their_mark_is(
    db_path: Path, lang: str, said: str
) -> None:
    """Enter opens the checklist for staff; a volunteer has none and was told nothing."""
    (mine,) = roster(db_path, ("张三",))
    training.add_session(
        database(db_path), TEST_ACTOR, {"title": "党课", "date": "2026-06-01", "hours": 2}
    )
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        app.session.actor = Actor("test", Role.VOLUNTEER, user_id="id-test", member_id=mine)
        await pilot.press("4")
        await on_top(pilot, TrainingScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrainingScreen)
        assert any(said in note for note in notes(app)), notes(app)
        assert unwrapped(said) in unwrapped(screen_text(app)).replace("▌", "")  # the toast
