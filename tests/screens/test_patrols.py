"""The patrol section at 80x24, by keys, in English and Chinese; checked on screen and on file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screens.patrols.assign import AssignDialog, ReasonDialog
from screens.patrols.checkin import CheckInDialog
from screens.patrols.shift import ShiftScreen
from screens.patrols.template_form import TemplateForm
from screens.patrols.templates import TemplatesScreen, WeeksDialog
from screens.patrols.week import PatrolsScreen
from store.actor import Role
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.patrols import assign, ops, reads
from tests.screens.helpers import (
    SIZE,
    footer_text,
    on_top,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.patrol_helpers import (
    MONDAY,
    ROOT,
    TODAY,
    app_for,
    database,
    open_patrols,
    open_shift,
    patrol_week,
    shift_on,
    statuses_on,
)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_week_grid_fits_and_says_staffing_in_marks_and_words(
    db_path: Path, lang: str
) -> None:
    patrol_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        text = screen_text(app)
        assert "2026-W49" in text
        assert "[12-02]" in text  # today, in brackets
        assert "1/2!" in text and "2/2=" in text  # below minimum, full
        assert ("below minimum" if lang == "en" else "人数不足") in text
        # The cursor starts on today; the line under the grid says the cell in words.
        assert "12-02" in screen.query_one("#patrols-cell").render().plain  # type: ignore[attr-defined]
        await pilot.press("left")
        await settle(pilot)
        assert screen.grid.day == 1
        # The line under the grid follows the cursor: no shift at 08:00 that day, one at 19:00.
        line = screen.query_one("#patrols-cell")
        assert "12-0" not in line.render().plain  # type: ignore[attr-defined]
        await pilot.press("down")
        await settle(pilot)
        assert "12-01 19:00-21:00" in line.render().plain  # type: ignore[attr-defined]
        await pilot.press("up")
        await pilot.press("pagedown")
        await settle(pilot)
        assert screen.monday == MONDAY + dt.timedelta(weeks=1)
        assert "2026-W50" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert screen.monday == MONDAY and screen.grid.day == TODAY.weekday()


async def test_assign_refuses_a_clash_then_overrides_it_with_a_reason(db_path: Path) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        # 19:00 today: 张三 and 李四 are on it. Put 王五 on the 08:00 one... it is full.
        # Instead: a new shift overlapping 19:00 today, then 张三 on it clashes.
        clash = ops.add_shift(
            database(db_path),
            ROOT,
            {"date": TODAY.isoformat(), "start": "20:00", "end": "22:00", "zone_id": world["zone"]},
        )["id"]
        screen.keep = clash
        screen.reload()
        await settle(pilot)
        assert screen.grid.current is not None and screen.grid.current.shift_id == clash
        await pilot.press("a")
        dialog = await on_top(pilot, AssignDialog, lambda dialog: dialog.index is not None)
        await pilot.press("slash")
        await type_text(pilot, "zs")
        await settle(pilot)
        assert [c.name for c in dialog.shown][:1] == ["张三"]
        assert "clash" in screen_text(app)
        await pilot.press("enter")  # to the list
        await pilot.press("enter")  # assign 张三: a rule is in the way
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonDialog), "the reason dialog")
        assert "already on a shift then" in screen_text(app)
        await pilot.press("escape")  # refuse
        await settle(pilot)
        assert shift_on(db_path, clash).assignment(world["people"]["张三"]) is None
        await pilot.press("enter")  # again, and this time a reason
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonDialog), "the reason dialog")
        await type_text(pilot, "只有他熟悉东区")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: shift_on(db_path, clash).assignment(world["people"]["张三"]) is not None,
            "the override",
        )
        place = shift_on(db_path, clash).assignment(world["people"]["张三"])
        assert place.override == "只有他熟悉东区"
        assert "只有他熟悉东区" in Path(str(db_path) + ".audit.jsonl").read_text(encoding="utf-8")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PatrolsScreen)
        assert "x" in screen.grid.current.marks if screen.grid.current else False  # a clash now


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_template_makes_four_weeks_once(db_path: Path, lang: str) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot)
        await pilot.press("g")
        await on_top(pilot, TemplatesScreen)
        await pilot.press("n")
        await on_top(pilot, TemplateForm, lambda form: form.filled)
        await type_text(pilot, "晨巡")
        await pilot.press("enter")
        await type_text(pilot, "周二、周四")
        await pilot.press("enter")
        await type_text(pilot, "7:00")
        await pilot.press("enter")
        await type_text(pilot, "8:30")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen), "back to the list")
        templates_screen = app.screen
        await settle(pilot)
        assert "晨巡" in screen_text(app)
        for _run in range(2):
            await pilot.press("g")
            await wait_until(pilot, lambda: isinstance(app.screen, WeeksDialog), "how many weeks")
            await type_text(pilot, "4")
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is templates_screen, "the run")
            await settle(pilot)
        shifts = reads.all_shifts(Database(db_path).snapshot())
        made = [s for s in shifts if s.template_id]
        # Today is Wednesday: Thursday this week, then Tuesdays and Thursdays for 3 more weeks
        # and the fourth week's Tuesday (four weeks from today end on a Tuesday).
        assert len(made) == 8
        assert len({s.date for s in made}) == 8  # twice run, nothing twice
        assert all(s.start == dt.time(7) and s.end == dt.time(8, 30) for s in made)
        assert all(s.zone_id == world["zone"] for s in made)
        said = "No new shifts" if lang == "en" else "没有新班次"
        assert said in screen_text(app)


async def test_a_swap_offered_by_one_volunteer_and_taken_by_another(db_path: Path) -> None:
    world = patrol_week(db_path)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    shift_id = world["shifts"][tomorrow]
    assign.assign(database(db_path), ROOT, shift_id, world["people"]["张三"])
    zhang = {"name": "zhang", "user_id": "u-z", "member_id": world["people"]["张三"]}
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER, **zhang)
        text = screen_text(app)
        assert "Mine" in text and "Assign" not in text  # a volunteer plans nothing
        await open_shift(pilot, screen, shift_id)
        await pilot.press("o")
        await wait_until(
            pilot, lambda: shift_on(db_path, shift_id).assignments[0].offered, "the offer"
        )
        await settle(pilot)
        assert "offered for a swap" in screen_text(app)
    # Another volunteer, in another session, takes it from "my shifts".
    li = {"name": "li", "user_id": "u-l", "member_id": world["people"]["李四"]}
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.VOLUNTEER, **li)
        await pilot.press("m")
        await settle(pilot)
        assert "有人让出：你可以接" in screen_text(app)
        await pilot.press("end")  # their own shifts come first, offers last
        await pilot.press("enter")
        await on_top(pilot, ShiftScreen)
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: shift_on(db_path, shift_id).assignment(world["people"]["李四"]) is not None,
            "the swap",
        )
        await settle(pilot)
        assert "来自 张三" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    place = shift_on(db_path, shift_id).assignment(world["people"]["李四"])
    assert place.swapped_from == world["people"]["张三"] and not place.offered


async def test_check_in_in_one_pass(db_path: Path) -> None:
    world = patrol_week(db_path)
    shift_id = world["shifts"][TODAY.isoformat()]
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_shift(pilot, await open_patrols(pilot), shift_id)
        await pilot.press("c")
        await on_top(pilot, CheckInDialog)
        await pilot.press("p")  # 李四 present (the first, by pinyin), on to 张三
        await pilot.press("b")  # 张三 absent
        await settle(pilot)
        text = screen_text(app)
        assert "Present" in text and "Absent" in text
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "saved")
        await settle(pilot)
    assert statuses_on(db_path, shift_id) == {
        world["people"]["李四"]: AssignmentStatus.PRESENT,
        world["people"]["张三"]: AssignmentStatus.ABSENT,
    }


@pytest.mark.parametrize(
    ("lang", "lines", "days"),
    [
        (
            "en",
            [  # by name, the unnamed one first; the columns line up
                "Sat, Sun       08:00-09:30  东区            1-4 people",
                "晚间巡逻  Mon, Wed, Fri  19:00-21:00  东区  巡逻一队  2-3 people",
            ],
            "Monday, Wednesday, Friday",
        ),
        (
            "zh",
            [
                "周六、周日        08:00-09:30  东区            1-4 人",
                "晚间巡逻  周一、周三、周五  19:00-21:00  东区  巡逻一队  2-3 人",
            ],
            "星期一、星期三、星期五",
        ),
    ],
)
async def test_templates_say_their_team_and_people_and_days_in_the_language(
    db_path: Path, lang: str, lines: list[str], days: str
) -> None:
    """Each template shows its team and how many people (no bare "→…" for one without dates);
    the form lists its days as the language lists them, and saving them back keeps them."""
    from tests.screens.patrol_helpers import with_templates

    world = with_templates(patrol_week(db_path))
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot)
        await pilot.press("g")
        await on_top(pilot, TemplatesScreen)
        shown = [line.strip() for line in screen_text(app).splitlines()]
        assert shown[2:4] == lines
        await pilot.press("home", "down", "e")  # the named one
        form = await on_top(pilot, TemplateForm, lambda form: form.filled)
        assert form.field("weekdays").value == days
        await type_text(pilot, "\x0b")  # end of the name: Ctrl+K
        await type_text(pilot, "二\x13")  # a changed name, then Ctrl+S
        await wait_until(pilot, lambda: not isinstance(app.screen, TemplateForm), "the question")
        if lang == "en":  # its three answers in full, the last one too
            assert "Yes, future shifts too (Y)  Only the template (O)  Cancel (C)" in screen_text(
                app
            )
        await pilot.press("o")  # only the template, not the shifts it made
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatesScreen), "the list")
    stored = Database(db_path).snapshot().get("shift_templates", world["template"])
    assert stored is not None
    assert (stored["name"], stored["weekdays"]) == ("晚间巡逻二", [1, 3, 5])


@pytest.mark.parametrize(
    ("lang", "full", "open_"),
    [
        ("en", "2 of 2 people · = full", "2 of 2-3 people"),
        ("zh", "2/2 人 · = 已满", "2/2-3 人"),
    ],
)
async def test_the_day_says_each_shifts_people_and_marks_in_words(
    db_path: Path, lang: str, full: str, open_: str
) -> None:
    """d on the grid: a shift's head says how many are on it of how many, and its marks in words
    (the grid's bare "2/2=" needs a legend the day has no room for)."""
    from screens.patrols.day import DayScreen

    patrol_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot)  # the cursor on today
        await pilot.press("d")
        await on_top(pilot, DayScreen)
        shown = [line.strip() for line in screen_text(app).splitlines()]
        assert shown[2:6] == [
            f"08:00-10:00 西区 巡逻一队  {full}",
            "李四、张三" if lang == "zh" else "李四, 张三",  # the roster's order: li, zhang
            f"19:00-21:00 东区 巡逻一队  {open_}",
            "李四、张三" if lang == "zh" else "李四, 张三",
        ]


async def test_a_volunteer_opens_a_shift_on_their_own_place_and_o_offers_it(
    db_path: Path,
) -> None:
    """张三 is last of three (the roster's order): the cursor starts on 张三's own line, so o
    offers it at once (it started on 李四's, where o did nothing and said nothing); 李四, in
    another session, starts on the offered place and t takes it."""
    world = patrol_week(db_path)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    shift_id = world["shifts"][tomorrow]
    for name in ("李四", "王五", "张三"):
        assign.assign(database(db_path), ROOT, shift_id, world["people"][name])
    zhang = {"name": "zhang", "user_id": "u-z", "member_id": world["people"]["张三"]}
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER, **zhang)
        shift = await open_shift(pilot, screen, shift_id)
        assert shift.people.current == world["people"]["张三"]
        assert "o Offer swap" in footer_text(app)
        await pilot.press("o")
        await wait_until(
            pilot,
            lambda: shift_on(db_path, shift_id).assignment(world["people"]["张三"]).offered,
            "the offer",
        )
    li = {"name": "li", "user_id": "u-l", "member_id": world["people"]["李四"]}
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER, **li)
        shift = await open_shift(pilot, screen, shift_id)
        assert shift.people.current == world["people"]["李四"]  # their own place first
    wang = {"name": "wang", "user_id": "u-w", "member_id": world["people"]["王五"]}
    assign.unassign(database(db_path), ROOT, shift_id, world["people"]["王五"])
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER, **wang)
        shift = await open_shift(pilot, screen, shift_id)
        assert shift.people.current == world["people"]["张三"]  # the offered place
        assert "t Take" in footer_text(app)
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: shift_on(db_path, shift_id).assignment(world["people"]["王五"]) is not None,
            "the swap",
        )
