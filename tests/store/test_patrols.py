"""The patrol schedule's store: shifts, the assignment rules, check-in, swaps, templates, hours."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.errors import Conflict, NotFound, PermissionDenied, ValidationError
from store.patrols import assign, hours, ops, reads, swaps, templates
from store.patrols.assign import RuleBroken
from store.patrols.reads import SHIFTS
from store.patrols.weeks import monday_of, parse_week, week_name
from store.settings import ops as settings
from tests.store.conftest import FakeClock
from tests.store.patrol_data import COORD, TODAY, World, make_world

ADMIN = Actor("root", Role.ADMIN)


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


def volunteer(world: World, name: str) -> Actor:
    return Actor(f"v-{name}", Role.VOLUNTEER, user_id=f"u-{name}", member_id=world.id(name))


def codes(error: pytest.ExceptionInfo[RuleBroken]) -> set[str]:
    return {p.code for p in error.value.problems}


def file_bytes(db: Database) -> bytes:
    return db.path.read_bytes()


# -- weeks --------------------------------------------------------------------------------------


def test_weeks_are_iso_weeks_and_bad_ones_say_why() -> None:
    assert parse_week("2026-W49") == dt.date(2026, 11, 30)
    assert parse_week(" 2026w01 ") == dt.date(2025, 12, 29)  # ISO week 1 starts in December
    assert parse_week("2020-W53") == dt.date(2020, 12, 28)  # 2020 had 53 weeks
    assert parse_week("2026-W53") == dt.date(2026, 12, 28)  # and so has 2026
    with pytest.raises(ValueError, match="weeks 1 to 52"):
        parse_week("2025-W53")
    with pytest.raises(ValueError, match=r"weeks 1 to 53; there is no week 60"):
        parse_week("2026-W60")
    with pytest.raises(ValueError, match="not a week"):
        parse_week("next week")
    assert week_name(monday_of(dt.date(2026, 12, 3))) == "2026-W49"


# -- shifts -------------------------------------------------------------------------------------


def test_bad_shift_input_is_refused_whole_and_nothing_is_written(world: World) -> None:
    before = file_bytes(world.db)
    with pytest.raises(ValidationError) as refused:
        ops.add_shift(
            world.db,
            COORD,
            {
                "date": "2024-13-01",
                "start": "19:00",
                "end": "19:00",
                "min_people": 5,
                "max_people": 2,
            },
        )
    assert set(refused.value.errors) == {"date", "end", "min_people"}
    with pytest.raises(ValidationError) as refused:
        ops.add_shift(
            world.db, COORD, {"date": "2024-01-09", "start": "8", "end": "9", "zone_id": "f" * 32}
        )
    assert set(refused.value.errors) == {"zone_id"}
    assert file_bytes(world.db) == before


def test_a_night_shift_ends_the_next_morning(world: World) -> None:
    shift_id = world.shift(start="22:00", end="02:00")
    shift = reads.shift(world.db.snapshot(), shift_id)
    assert shift is not None and shift.hours == 4 and shift.overnight


def test_a_cancelled_shift_leaves_the_schedule_but_stays_on_file(world: World) -> None:
    shift_id = world.shift()
    ops.cancel_shift(world.db, COORD, shift_id, 1)
    snap = world.db.snapshot()
    assert reads.shifts_between(snap, TODAY, TODAY) == []
    assert [s.id for s in reads.shifts_between(snap, TODAY, TODAY, include_cancelled=True)] == [
        shift_id
    ]
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, shift_id, world.id("张三"))
    assert codes(broken) == {"cancelled"}


def test_volunteers_cannot_plan(world: World) -> None:
    with pytest.raises(PermissionDenied):
        ops.add_shift(
            world.db, volunteer(world, "张三"), {"date": "2024-01-09", "start": "8", "end": "9"}
        )
    shift_id = world.shift()
    with pytest.raises(PermissionDenied):
        assign.assign(world.db, volunteer(world, "张三"), shift_id, world.id("张三"))


def test_teams_and_zones_are_archived_not_deleted(world: World) -> None:
    ops.update_zone(world.db, COORD, world.zone["id"], {"archived": True}, 1)
    snap = world.db.snapshot()
    assert reads.zones(snap) == []
    assert [z.name for z in reads.zones(snap, include_archived=True)] == ["东区"]
    assert reads.place_names(snap)[world.zone["id"]] == "东区"


# -- the rules ----------------------------------------------------------------------------------


def test_overlapping_shifts_are_a_clash_but_back_to_back_is_not(world: World) -> None:
    first = world.shift(start="19:00", end="21:00")
    overlapping = world.shift(start="20:30", end="22:00")
    after = world.shift(start="21:00", end="22:00")
    zhang = world.id("张三")
    assign.assign(world.db, COORD, first, zhang)
    assign.assign(world.db, COORD, after, zhang)
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, overlapping, zhang)
    assert codes(broken) == {"clash"}
    assert "19:00-21:00" in str(broken.value)
    assert broken.value.overridable


def test_override_needs_a_reason_and_the_change_log_keeps_it(world: World) -> None:
    first = world.shift(start="19:00", end="21:00")
    clash = world.shift(start="20:00", end="22:00")
    zhang = world.id("张三")
    assign.assign(world.db, COORD, first, zhang)
    with pytest.raises(RuleBroken):
        assign.assign(world.db, COORD, clash, zhang, override="   ")
    assign.assign(world.db, COORD, clash, zhang, override="只有他熟悉东区")
    shift = reads.shift(world.db.snapshot(), clash)
    assert shift is not None
    place = shift.assignment(zhang)
    assert place is not None and place.override == "只有他熟悉东区"
    log = world.db.audit_path.read_text(encoding="utf-8")
    assert "只有他熟悉东区" in log


def test_members_who_may_not_patrol(world: World) -> None:
    shift_id = world.shift()
    cases = {"赵六": ("away", False), "钱七": ("exempt", False), "孙八": ("archived", True)}
    for name, (code, hard) in cases.items():
        with pytest.raises(RuleBroken) as broken:
            assign.assign(world.db, COORD, shift_id, world.id(name))
        assert codes(broken) == {code}
        assert broken.value.overridable is not hard
    with pytest.raises(RuleBroken):  # archived: no reason is enough
        assign.assign(world.db, COORD, shift_id, world.id("孙八"), override="急需")
    assign.assign(world.db, COORD, shift_id, world.id("赵六"), override="回来探亲")


def test_a_full_shift_takes_nobody_even_with_a_reason(world: World) -> None:
    shift_id = world.shift(max_people=1)
    assign.assign(world.db, COORD, shift_id, world.id("张三"))
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, shift_id, world.id("李四"), override="please")
    assert codes(broken) == {"full"}
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, shift_id, world.id("张三"))
    assert codes(broken) == {"already"}


def test_consecutive_days_limit(world: World, db: Database) -> None:
    settings.update(db, ADMIN, {"patrol_max_consecutive_days": 3}, 0)
    li = world.id("李四")
    for offset in (0, 1, 3):
        assign.assign(world.db, COORD, world.shift(TODAY + dt.timedelta(days=offset)), li)
    bridge = world.shift(TODAY + dt.timedelta(days=2))  # would make 4 in a row
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, bridge, li)
    assert codes(broken) == {"days"}
    assert "4 days in a row" in str(broken.value)


def test_hours_in_a_day_with_a_lower_limit_for_older_members(world: World) -> None:
    # Defaults: 8 hours, 4 from age 75. 王五 is 83, 李四 53.
    morning = world.shift(start="08:00", end="11:00")
    evening = world.shift(start="18:00", end="20:00")
    for name in ("王五", "李四"):
        assign.assign(world.db, COORD, morning, world.id(name))
    assign.assign(world.db, COORD, evening, world.id("李四"))
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, evening, world.id("王五"))
    assert codes(broken) == {"hours"}
    assert "5 hours" in str(broken.value) and "limit is 4" in str(broken.value)


# -- check-in -----------------------------------------------------------------------------------


def test_check_in_credits_hours_only_for_present(world: World) -> None:
    shift_id = world.shift(start="19:00", end="21:30")
    for name in ("张三", "李四"):
        assign.assign(world.db, COORD, shift_id, world.id(name))
    assign.check_in(
        world.db,
        COORD,
        shift_id,
        {world.id("张三"): AssignmentStatus.PRESENT, world.id("李四"): AssignmentStatus.ABSENT},
    )
    snap = world.db.snapshot()
    zhang = hours.member_hours(snap, world.id("张三"), 2024)
    li = hours.member_hours(snap, world.id("李四"), 2024)
    assert (zhang.total, zhang.months[0], zhang.shifts) == (2.5, 2.5, 1)
    assert (li.total, li.absent) == (0, 1)
    assert hours.team_hours(snap, 2024)[world.team["id"]].total == 2.5
    everyone = hours.members_hours(snap, 2024)
    assert everyone[world.id("张三")] == zhang and everyone[world.id("李四")] == li
    assert hours.members_hours(snap, 2023) == {}
    shows = hours.no_shows(snap, TODAY, TODAY)
    assert [n.member_id for n in shows] == [world.id("李四")]


def test_volunteers_check_in_only_themselves_and_only_if_the_setting_allows(
    world: World, db: Database
) -> None:
    shift_id = world.shift()
    for name in ("张三", "李四"):
        assign.assign(world.db, COORD, shift_id, world.id(name))
    zhang = volunteer(world, "张三")
    with pytest.raises(PermissionDenied, match="coordinators"):
        assign.check_in(db, zhang, shift_id, {world.id("李四"): AssignmentStatus.PRESENT})
    assign.check_in(db, zhang, shift_id, {world.id("张三"): AssignmentStatus.PRESENT})
    settings.update(db, ADMIN, {"patrol_self_check_in": False}, 0)
    with pytest.raises(PermissionDenied, match="ask a coordinator"):
        assign.check_in(db, zhang, shift_id, {world.id("张三"): AssignmentStatus.EXCUSED})


def test_a_check_in_never_overwrites_a_mark_saved_elsewhere_unseen(world: World) -> None:
    shift_id = world.shift()
    zhang, li = world.id("张三"), world.id("李四")
    for member_id in (zhang, li):
        assign.assign(world.db, COORD, shift_id, member_id)
    scheduled = AssignmentStatus.SCHEDULED
    # Another session marks 李四 absent after this list was read (both scheduled).
    assign.check_in(world.db, COORD, shift_id, {li: AssignmentStatus.ABSENT})
    before = world.db.snapshot().get(SHIFTS, shift_id)
    with pytest.raises(Conflict) as conflict:
        assign.check_in(
            world.db,
            COORD,
            shift_id,
            {zhang: AssignmentStatus.PRESENT, li: AssignmentStatus.PRESENT},
            expected={zhang: scheduled, li: scheduled},
        )
    assert conflict.value.record_id == shift_id
    assert conflict.value.current["version"] == before["version"]
    assert world.db.snapshot().get(SHIFTS, shift_id) == before  # nothing saved, not even 张三
    # A mark for someone the other session left alone goes through.
    assign.check_in(
        world.db, COORD, shift_id, {zhang: AssignmentStatus.PRESENT}, expected={zhang: scheduled}
    )
    marks = {
        a["member_id"]: a["status"]
        for a in world.db.snapshot().get(SHIFTS, shift_id)["assignments"]
    }
    assert marks == {zhang: "present", li: "absent"}


def test_nobody_checks_in_to_a_future_shift(world: World) -> None:
    shift_id = world.shift(TODAY + dt.timedelta(days=1))
    assign.assign(world.db, COORD, shift_id, world.id("张三"))
    with pytest.raises(ValidationError, match="check in on the day"):
        assign.check_in(world.db, COORD, shift_id, {world.id("张三"): AssignmentStatus.PRESENT})


# -- swaps --------------------------------------------------------------------------------------


def test_a_swap_offered_taken_and_undone(world: World) -> None:
    shift_id = world.shift(TODAY + dt.timedelta(days=2))
    zhang, li = world.id("张三"), world.id("李四")
    assign.assign(world.db, COORD, shift_id, zhang)
    with pytest.raises(ValidationError):  # nothing offered yet
        swaps.take(world.db, volunteer(world, "李四"), shift_id, zhang)
    swaps.offer(world.db, volunteer(world, "张三"), shift_id)
    snap = world.db.snapshot()
    assert [s.id for s in reads.offered_shifts(snap, since=TODAY)] == [shift_id]
    swaps.take(world.db, volunteer(world, "李四"), shift_id, zhang)
    snap = world.db.snapshot()
    assert [s.id for s in reads.member_shifts(snap, li)] == [shift_id]
    assert [s.id for s in reads.given_away(snap, zhang)] == [shift_id]
    assert reads.member_shifts(snap, zhang) == []
    with pytest.raises(PermissionDenied):  # someone else can't undo it
        swaps.undo(world.db, volunteer(world, "王五"), shift_id, li)
    swaps.undo(world.db, volunteer(world, "李四"), shift_id, li)
    shift = reads.shift(world.db.snapshot(), shift_id)
    assert shift is not None and [a.member_id for a in shift.assignments] == [zhang]
    assert not shift.assignments[0].offered


def test_a_swap_follows_the_rules_and_may_wait_for_approval(world: World, db: Database) -> None:
    day = TODAY + dt.timedelta(days=2)
    shift_id = world.shift(day)
    busy = world.shift(day, start="20:00", end="22:00")
    zhang, li = world.id("张三"), world.id("李四")
    assign.assign(db, COORD, shift_id, zhang)
    assign.assign(db, COORD, busy, li)
    swaps.offer(db, volunteer(world, "张三"), shift_id)
    with pytest.raises(RuleBroken):
        swaps.take(db, volunteer(world, "李四"), shift_id, zhang)
    settings.update(db, ADMIN, {"patrol_swaps_need_approval": True}, 0)
    wang = volunteer(world, "王五")
    swaps.take(db, wang, shift_id, zhang)
    shift = reads.shift(db.snapshot(), shift_id)
    assert shift is not None and shift.assignments[0].member_id == zhang  # still waiting
    assert shift.assignments[0].taker_id == world.id("王五")
    with pytest.raises(PermissionDenied):
        swaps.approve(db, wang, shift_id, zhang)
    swaps.approve(db, COORD, shift_id, zhang)
    shift = reads.shift(db.snapshot(), shift_id)
    assert shift is not None and shift.assignments[0].member_id == world.id("王五")


def test_a_volunteer_without_a_member_cannot_swap(world: World) -> None:
    shift_id = world.shift()
    with pytest.raises(PermissionDenied, match="not linked"):
        swaps.offer(world.db, Actor("x", Role.VOLUNTEER), shift_id)
    with pytest.raises(PermissionDenied):
        swaps.offer(world.db, volunteer(world, "李四"), shift_id, world.id("张三"))


# -- templates ----------------------------------------------------------------------------------


def template(world: World, **raw: object) -> dict[str, object]:
    fields = {
        "name": "晚巡",
        "weekdays": "周一、周三、周五",
        "start": "19:00",
        "end": "21:00",
        "zone_id": world.zone["id"],
        "team_id": world.team["id"],
        "min_people": 2,
        "max_people": 3,
        "active_from": TODAY.isoformat(),
        "skip_dates": "2024-01-10",
    }
    return templates.add_template(world.db, COORD, fields | raw)


def test_generating_is_idempotent_and_skips_holidays(world: World) -> None:
    made = template(world)
    until = TODAY + dt.timedelta(days=27)
    first = templates.generate(world.db, COORD, str(made["id"]), until)
    days = sorted(s["date"] for s in first)
    assert len(days) == 11  # 12 Mondays, Wednesdays and Fridays in 4 weeks, less one holiday
    assert "2024-01-10" not in days and days[0] == "2024-01-08"
    assert templates.generate(world.db, COORD, str(made["id"]), until) == []
    assert len(reads.all_shifts(world.db.snapshot())) == 11


def test_a_big_run_asks_first(world: World, db: Database) -> None:
    settings.update(db, ADMIN, {"patrol_template_max_shifts": 5}, 0)
    made = template(world)
    before = file_bytes(db)
    with pytest.raises(templates.TooManyShifts) as refused:
        templates.generate(db, COORD, str(made["id"]), TODAY + dt.timedelta(days=27))
    assert (refused.value.count, refused.value.limit) == (11, 5)
    assert file_bytes(db) == before
    assert (
        len(
            templates.generate(
                db, COORD, str(made["id"]), TODAY + dt.timedelta(days=27), confirmed=True
            )
        )
        == 11
    )


def test_editing_a_template_changes_future_shifts_only_when_asked(
    world: World, clock: FakeClock
) -> None:
    made = template(world, skip_dates="")
    templates.generate(world.db, COORD, str(made["id"]), TODAY + dt.timedelta(days=13))
    clock.advance(days=3)  # Thursday: Monday's and Wednesday's shifts are past
    _saved, changed = templates.update_template(
        world.db, COORD, str(made["id"]), {"start": "18:30"}, 1
    )
    assert changed == 0
    starts = {s.date: s.start for s in reads.all_shifts(world.db.snapshot())}
    assert set(starts.values()) == {dt.time(19)}
    _saved, changed = templates.update_template(
        world.db,
        COORD,
        str(made["id"]),
        {"start": "18:30", "weekdays": "周一、周五"},
        2,
        apply_to_future=True,
    )
    shifts = reads.all_shifts(world.db.snapshot())
    today = TODAY + dt.timedelta(days=3)
    assert all(s.start == dt.time(19) for s in shifts if s.date and s.date <= today)
    future = [s for s in shifts if s.date and s.date > today]
    assert future and all(s.start == dt.time(18, 30) for s in future)
    assert all(s.date.isoweekday() in (1, 5) for s in future if s.date)
    assert changed == 4  # Fri, Mon, Fri moved; the next Wednesday cancelled


# -- fairness -----------------------------------------------------------------------------------


def test_the_assign_list_puts_the_fairest_first_and_flags_who_is_blocked(world: World) -> None:
    past = world.shift(TODAY + dt.timedelta(days=1))
    assign.assign(world.db, COORD, past, world.id("张三"))
    target = world.shift(TODAY + dt.timedelta(days=15))
    snap = world.db.snapshot()
    index = assign.CandidateIndex(snap, COORD, target)
    team = index.search("")
    assert [c.name for c in team] == ["李四", "张三"]  # the team; 李四 has patrolled less
    zhang = team[1]
    assert zhang.fairness.weeks_since(TODAY + dt.timedelta(days=15)) == 2
    assert (zhang.fairness.month, zhang.fairness.year, zhang.fairness.hours) == (1, 1, 2.0)
    everyone = index.search("z")  # 张三, 赵六 (away), 钱七 has "qian"
    assert [c.name for c in everyone][:1] == ["张三"]
    blocked = [c for c in index.search("zl") if c.name == "赵六"]
    assert blocked and blocked[0].blocked and not blocked[0].hard
    assert index.search("sunba") == []  # archived members are not offered


def test_unknown_shift_or_member(world: World) -> None:
    with pytest.raises(NotFound):
        assign.assign(world.db, COORD, "f" * 32, world.id("张三"))
    shift_id = world.shift()
    with pytest.raises(RuleBroken) as broken:
        assign.assign(world.db, COORD, shift_id, "e" * 32)
    assert codes(broken) == {"unknown"}


def test_every_change_is_in_the_change_log(world: World, tmp_path: Path) -> None:
    shift_id = world.shift()
    assign.assign(world.db, COORD, shift_id, world.id("张三"))
    entries = [json.loads(line) for line in world.db.audit_path.read_text().splitlines()]
    assert any(e.get("table") == "shifts" or "shifts" in json.dumps(e) for e in entries)


# -- the demo -----------------------------------------------------------------------------------


def test_the_demo_has_two_teams_a_template_and_an_understaffed_week(db: Database) -> None:
    from store import demo
    from store.patrols.weeks import monday_of

    demo.make_demo(db, ADMIN, members=80)
    snap = db.snapshot()
    assert [t.name for t in reads.teams(snap)] == ["巡逻一队", "巡逻二队"]
    assert all(t.member_ids for t in reads.teams(snap))
    made = reads.templates(snap)
    assert made
    monday = monday_of(TODAY)
    week = reads.shifts_between(snap, monday, monday + dt.timedelta(days=6))
    assert len(week) >= 7 and all(s.template_id for s in week)
    assert any(s.understaffed for s in week)
    # The demo's shifts are the templates' own: generating again adds nothing for them.
    until = monday + dt.timedelta(days=20)
    assert templates.generate(db, ADMIN, made[0].id, until) == []
    # The demo volunteer (linked to the first member) is on the first team.
    from store.users import ops as users

    account = users.find(snap, "volunteer")
    assert account is not None
    assert account.member_id in reads.teams(snap)[0].member_ids
