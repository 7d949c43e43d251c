"""Training records in the store: hour crediting, year boundaries, exemptions, pace, the
checklist's writes, certificates and who may see what; real files in tmp folders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.actor import Actor, Role
from store.engine.database import Database, Snapshot
from store.enums import Category
from store.errors import PermissionDenied, ValidationError
from store.members import ops as members
from store.settings import ops as settings_ops
from store.training import certificates, hours, ops, sessions
from store.training.validation import validate_training

ADMIN = Actor("root", Role.ADMIN)
COORD = Actor("alice", Role.COORDINATOR)
NOON = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)  # day 183 of 365
TODAY = date(2026, 7, 2)


def at(moment: datetime) -> Any:
    return lambda: moment


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json", clock=at(NOON))


def member(db: Database, name: str, **fields: object) -> str:
    return str(members.add(db, ADMIN, {"name": name, **fields})["id"])


def session(db: Database, **raw: object) -> dict[str, Any]:
    base: dict[str, object] = {"title": "党课", "date": "2026-03-01", "hours": "2"}
    return ops.add_session(db, COORD, base | raw)


def files(db: Database) -> bytes:
    return db.path.read_bytes()


# -- crediting ------------------------------------------------------------------------------------


def test_hours_by_rule(db: Database) -> None:
    assert session(db, rule="full_day", hours="")["hours"] == 8
    assert session(db, rule="半天", hours="")["hours"] == 4
    assert session(db, rule="given", hours="1.5")["hours"] == 1.5
    assert session(db, hours=24)["hours"] == 24


@pytest.mark.parametrize("bad", ["-1", "24.5", "two", "0", "1.25"])
def test_bad_hours_are_refused_and_nothing_is_written(db: Database, bad: str) -> None:
    session(db)
    before = files(db)
    with pytest.raises(ValidationError) as refused:
        session(db, hours=bad)
    assert set(refused.value.errors) == {"hours"}
    assert files(db) == before


def test_a_closed_year_takes_no_sessions_nor_make_ups(db: Database) -> None:
    old = session(db, date="2025-12-31")
    settings_ops.update(db, ADMIN, {"closed_year": 2025}, 0)
    before = files(db)
    with pytest.raises(ValidationError) as refused:
        session(db, date="2025-06-01")
    assert "2025 is closed" in refused.value.errors["date"]
    assert files(db) == before
    someone = member(db, "张三")
    with pytest.raises(ValidationError) as refused:
        ops.record_makeup(db, COORD, old["id"], someone, {"date": "2025-12-31"}, 1)
    assert set(refused.value.errors) == {"date"}
    # The make-up in the open year is fine: it counts in 2026.
    ops.record_makeup(db, COORD, old["id"], someone, {"date": "2026-01-05", "hours": 1}, 1)
    assert hours.member_total(db.snapshot(), someone, 2026) == 1


def test_all_present_then_exceptions_credit_the_right_hours(db: Database) -> None:
    a, b, c, d = (member(db, n) for n in ("甲", "乙", "丙", "丁"))
    doc = session(db, hours="3")
    marks = dict.fromkeys((a, b, c, d), "present") | {c: "absent", d: "excused"}
    saved = ops.record_attendance(db, COORD, doc["id"], marks, 1)
    assert {r["member_id"]: (r["status"], r["hours"]) for r in saved["attendance"]} == {
        a: ("present", 3),
        b: ("present", 3),
        c: ("absent", 0),
        d: ("excused", 0),
    }
    snap = db.snapshot()
    assert hours.yearly_totals(snap, 2026) == {a: 3, b: 3}
    # Unmarking removes the row; a stale version is a conflict and writes nothing.
    ops.record_attendance(db, COORD, doc["id"], {b: None}, 2)
    assert hours.yearly_totals(db.snapshot(), 2026) == {a: 3}
    before = files(db)
    with pytest.raises(Exception, match="Someone else saved"):
        ops.record_attendance(db, COORD, doc["id"], {b: "present"}, 2)
    assert files(db) == before


def test_a_session_on_31_december_and_its_make_up_in_january(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    doc = session(db, date="2025-12-31", hours="2")
    ops.record_attendance(db, COORD, doc["id"], {a: "present"}, 1)
    ops.record_makeup(db, COORD, doc["id"], b, {"date": "2026-01-02", "hours": "1.5"}, 2)
    snap = db.snapshot()
    assert hours.yearly_totals(snap, 2025) == {a: 2}
    assert hours.yearly_totals(snap, 2026) == {b: 1.5}  # never carried, never back-dated
    assert hours.member_total(snap, a, 2026) == 0


def test_make_ups_are_checked(db: Database) -> None:
    a = member(db, "甲")
    doc = session(db, date="2026-03-01", hours="2")
    cases = [
        ({"date": ""}, "date"),
        ({"date": "2026-02-28"}, "date"),  # before the session
        ({"date": "2026-12-01"}, "date"),  # in the future
        ({"date": "2026-03-05", "hours": "3"}, "hours"),  # more than the session
        ({"date": "2026-03-05", "hours": "0"}, "hours"),
    ]
    for raw, field in cases:
        with pytest.raises(ValidationError) as refused:
            ops.record_makeup(db, COORD, doc["id"], a, raw, 1)
        assert set(refused.value.errors) == {field}, raw


def test_attendance_outside_the_audience_needs_a_yes(db: Database) -> None:
    retired = member(db, "老王", category="retired", branch="第1党支部")
    working = member(db, "小李", category="in_service", branch="第2党支部")
    doc = session(db, audience="category", audience_value="离退休")
    before = files(db)
    with pytest.raises(ops.OutsideAudience) as refused:
        ops.record_attendance(db, COORD, doc["id"], {retired: "present", working: "present"}, 1)
    assert refused.value.names == ["小李"]
    assert files(db) == before
    ops.record_attendance(
        db, COORD, doc["id"], {retired: "present", working: "present"}, 1, allow_outside=True
    )
    snap = db.snapshot()
    stored = sessions.get_session(snap, COORD, doc["id"])
    assert stored is not None
    listed = sessions.audience(snap, COORD, stored)
    assert [(m.name, m.expected) for m in listed] == [("老王", True), ("小李", False)]


def test_a_list_audience_is_made_by_marking(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    doc = session(db, audience="list")
    saved = ops.record_attendance(db, COORD, doc["id"], {b: "present"}, 1)
    assert saved["audience_ids"] == [b]
    stored = sessions.get_session(db.snapshot(), COORD, doc["id"])
    assert stored is not None
    assert {m.id for m in sessions.audience(db.snapshot(), COORD, stored)} == {a, b}


def test_an_unknown_member_is_refused(db: Database) -> None:
    doc = session(db)
    with pytest.raises(ValidationError):
        ops.record_attendance(db, COORD, doc["id"], {"f" * 32: "present"}, 1)


def test_changing_the_hours_moves_present_members_with_them(db: Database) -> None:
    a, b, c = member(db, "甲"), member(db, "乙"), member(db, "丙")
    doc = session(db, hours="2", date="2026-03-01")
    ops.record_attendance(db, COORD, doc["id"], {a: "present"}, 1)
    ops.record_makeup(db, COORD, doc["id"], b, {"date": "2026-03-09", "hours": "2"}, 2)
    ops.record_attendance(db, COORD, doc["id"], {c: "absent"}, 3)
    saved = ops.update_session(db, COORD, doc["id"], {"hours": "1.5"}, 4)
    assert [(r["status"], r["hours"]) for r in saved["attendance"]] == [
        ("present", 1.5),
        ("make_up", 1.5),
        ("absent", 0),
    ]
    saved = ops.update_session(db, COORD, doc["id"], {"rule": "full_day"}, 5)
    assert saved["attendance"][0]["hours"] == 8


# -- pace and exemptions --------------------------------------------------------------------------


def test_expected_by_the_day_of_the_year() -> None:
    assert hours.expected_by(32, 2026, date(2026, 1, 1)) == 0
    assert hours.expected_by(32, 2026, date(2026, 7, 2)) == 16  # 183/365 of 32 = 16.04
    assert hours.expected_by(32, 2026, date(2026, 12, 31)) == 32
    assert hours.expected_by(32, 2024, date(2024, 12, 30)) == 31.5  # leap year: 365/366
    assert hours.expected_by(32, 2025, TODAY) == 32  # a past year expects it all
    assert hours.expected_by(32, 2027, TODAY) == 0


def test_meters_pace_and_the_behind_list(db: Database) -> None:
    settings_ops.update(db, ADMIN, {"yearly_hours": {"in_service": 20}}, 0)
    behind = member(db, "落后", category="retired", branch="第1党支部")
    on_track = member(db, "正常", category="in_service", branch="第1党支部")
    done = member(db, "完成", category="retired", branch="第2党支部")
    exempt = member(db, "免学", category="retired", exempt_hours=True, exempt_reason="ill")
    member(db, "更落后", category="retired", branch="第2党支部")
    doc = session(db, rule="full_day", hours="")
    marks = {behind: "present", on_track: "present", done: "present", exempt: "absent"}
    ops.record_attendance(db, COORD, doc["id"], marks, 1)
    for n in range(3):
        extra = session(db, rule="full_day", hours="", date=f"2026-04-0{n + 1}")
        ops.record_attendance(db, COORD, extra["id"], {done: "present", on_track: "present"}, 1)
    snap = db.snapshot()
    paced = {m.name: m for m in hours.meters(snap, COORD, 2026, TODAY)}
    assert {name: m.pace for name, m in paced.items()} == {
        "落后": "behind",
        "正常": "done",
        "完成": "done",
        "免学": "exempt",
        "更落后": "behind",
    }
    assert (paced["落后"].done, paced["落后"].required, paced["落后"].expected) == (8, 32, 16)
    assert paced["免学"].required == 0 and paced["免学"].exempt_reason is not None
    listed = hours.behind_pace(snap, COORD, 2026, TODAY)
    assert [m.name for m in listed] == ["更落后", "落后"]  # furthest behind first
    assert [m.name for m in hours.behind_pace(snap, COORD, 2026, TODAY, branch="第1党支部")] == [
        "落后"
    ]
    assert hours.behind_pace(snap, COORD, 2026, TODAY, category=Category.IN_SERVICE) == []
    # In a past year everyone must have it all; an exempt member still is not behind.
    assert {m.name for m in hours.behind_pace(snap, COORD, 2025, TODAY)} == {
        "落后",
        "正常",
        "完成",
        "更落后",
    }
    for year in (2025, 2026):  # the short path of behind_pace is the meters' own rule
        ruled = [m for m in hours.meters(snap, COORD, year, TODAY) if m.pace == "behind"]
        ruled.sort(key=lambda m: (-m.shortfall, m.done))  # stable: ties in roster order
        assert hours.behind_pace(snap, COORD, year, TODAY) == ruled


def test_theme_day_service_hours_go_to_those_present(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    doc = session(db, kind="主题党日", hours="2", service_hours="3")
    ops.record_attendance(db, COORD, doc["id"], {a: "present"}, 1)
    ops.record_makeup(db, COORD, doc["id"], b, {"date": "2026-03-02"}, 2)
    snap = db.snapshot()
    assert hours.service_hours(snap, a, 2026) == 3
    assert hours.service_hours(snap, b, 2026) == 0  # a make-up is study, not service
    assert hours.member_total(snap, b, 2026) == 2


# -- Hypothesis: the yearly totals against a brute-force sum --------------------------------------

MEMBERS = [f"{i:032x}" for i in range(1, 5)]
rows = st.fixed_dictionaries(
    {
        "member_id": st.sampled_from(MEMBERS),
        "status": st.sampled_from(["present", "absent", "excused", "make_up"]),
        "hours": st.sampled_from([0.5, 1.0, 2.0]),
        "delay": st.integers(0, 40),
    }
)
session_docs = st.lists(
    st.tuples(
        st.dates(date(2024, 11, 1), date(2026, 12, 31)),
        st.sampled_from([1.0, 2.0, 8.0]),
        st.lists(rows, max_size=6, unique_by=lambda r: r["member_id"]),
    ),
    max_size=12,
)


def brute_force(
    data: list[tuple[date, float, list[dict[str, Any]]]], year: int
) -> dict[str, float]:
    totals: dict[str, float] = {}
    for day, _session_hours, marks in data:
        for row in marks:
            if row["status"] == "present":
                credited_on = day
            elif row["status"] == "make_up":
                credited_on = date.fromordinal(day.toordinal() + row["delay"])
            else:
                continue
            if credited_on.year == year:
                totals[row["member_id"]] = totals.get(row["member_id"], 0) + row["hours"]
    return totals


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session_docs)
def test_yearly_totals_match_a_brute_force_sum(
    data: list[tuple[date, float, list[dict[str, Any]]]],
) -> None:
    far_future = date(2030, 1, 1)
    table: dict[str, dict[str, Any]] = {}
    for n, (day, session_hours, marks) in enumerate(data):
        attendance = []
        for row in marks:
            hours_given = min(row["hours"], session_hours)
            row["hours"] = hours_given if row["status"] in ("present", "make_up") else 0.0
            entry: dict[str, Any] = {"member_id": row["member_id"], "status": row["status"]}
            entry["hours"] = row["hours"]
            if row["status"] == "make_up":
                made = date.fromordinal(day.toordinal() + row["delay"])
                entry["date"] = made.isoformat()
            attendance.append(entry)
        raw = {"title": "t", "date": day.isoformat(), "hours": session_hours}
        doc = validate_training(raw | {"attendance": attendance}, today=far_future)
        table[str(n + 1)] = doc | {"id": f"{n:032x}"}
    snap = Snapshot.from_data({"trainings": table})
    for year in (2024, 2025, 2026, 2027):
        expected = brute_force(data, year)
        assert hours.yearly_totals(snap, year) == pytest.approx(expected)
        for member_id in MEMBERS:
            assert hours.member_total(snap, member_id, year) == pytest.approx(
                expected.get(member_id, 0.0)
            )


# -- certificates ---------------------------------------------------------------------------------


def test_certificate_states_and_what_a_duty_needs(db: Database) -> None:
    leader = member(db, "队长")
    raw = {"member_id": leader, "name": "救护员证", "kind": "急救", "issued": "2023-07-01"}
    cert = ops.add_certificate(db, COORD, raw | {"expires": "2026-07-20"})
    snap = db.snapshot()
    rules = settings_ops.current(snap)
    states = certificates.listing(snap, COORD, TODAY, rules)
    assert [(s.state, s.days) for s in states] == [("expiring", 18)]
    assert certificates.missing_for(snap, leader, "patrol_leader", date(2026, 7, 19)) is None
    missing = certificates.missing_for(snap, leader, "patrol_leader", date(2026, 7, 20))
    assert missing is not None and "expired on 2026-07-20" in missing.message
    assert certificates.missing_for(snap, leader, "patrol", date(2027, 1, 1)) is None
    nobody = member(db, "新人")
    missing = certificates.missing_for(db.snapshot(), nobody, "patrol_leader", TODAY)
    assert missing is not None and "they have none" in missing.message
    # A renewal; then the warning is a setting.
    ops.update_certificate(db, COORD, cert["id"], {"expires": "2027-06-01"}, 1)
    settings_ops.update(db, ADMIN, {"certificate_warn_days": 365}, 0)
    snap = db.snapshot()
    states = certificates.listing(snap, COORD, TODAY, settings_ops.current(snap))
    assert [s.state for s in states] == ["expiring"]
    with pytest.raises(ValidationError) as refused:
        ops.add_certificate(db, COORD, raw | {"expires": "2023-06-30"})
    assert set(refused.value.errors) == {"expires"}


def test_settings_say_which_duty_needs_which_certificate(db: Database) -> None:
    saved = settings_ops.update(
        db, ADMIN, {"duty_certificates": {"patrol": "消防", "patrol_leader": ""}}, 0
    )
    assert saved.duty_certificates == {"patrol_leader": "", "patrol": "safety"}
    with pytest.raises(ValidationError) as refused:
        settings_ops.update(db, ADMIN, {"duty_certificates": {"patrol": "游泳"}}, saved.version)
    assert set(refused.value.errors) == {"duty_certificates.patrol"}
    someone = member(db, "甲")
    assert certificates.missing_for(db.snapshot(), someone, "patrol_leader", TODAY) is None
    assert certificates.missing_for(db.snapshot(), someone, "patrol", TODAY) is not None


# -- who sees what --------------------------------------------------------------------------------


def test_volunteers_see_only_their_own_records(db: Database) -> None:
    mine, theirs = member(db, "我"), member(db, "别人")
    me = Actor("vol", Role.VOLUNTEER, user_id="u", member_id=mine)
    doc = session(db)
    ops.record_attendance(db, COORD, doc["id"], {mine: "present", theirs: "absent"}, 1)
    for who in (mine, theirs):
        ops.add_certificate(db, COORD, {"member_id": who, "name": "证", "issued": "2024-01-01"})
    snap = db.snapshot()
    listed = sessions.list_sessions(snap, me)
    assert (listed[0].present, listed[0].absent, listed[0].mine) == (1, 0, "present")
    stored = sessions.get_session(snap, me, doc["id"])
    assert stored is not None and [a.member_id for a in stored.attendance] == [mine]
    assert hours.meter(snap, me, mine, 2026, TODAY) is not None
    with pytest.raises(PermissionDenied):
        hours.meter(snap, me, theirs, 2026, TODAY)
    with pytest.raises(PermissionDenied):
        certificates.for_member(snap, me, theirs)
    with pytest.raises(PermissionDenied):
        sessions.audience(snap, me, stored)
    assert [m.name for m in hours.meters(snap, me, 2026, TODAY)] == ["我"]
    rules = settings_ops.current(snap)
    assert [s.certificate.member_id for s in certificates.listing(snap, me, TODAY, rules)] == [mine]
    unlinked = Actor("vol2", Role.VOLUNTEER)
    assert hours.meters(snap, unlinked, 2026, TODAY) == []


def test_list_sessions_newest_first_by_year_kind_and_words(db: Database) -> None:
    session(db, title="消防安全", kind="safety", date="2026-05-01")
    session(db, title="党课", kind="theory", date="2026-06-01")
    session(db, title="旧课", kind="theory", date="2025-06-01")
    snap = db.snapshot()
    assert [s.session.title for s in sessions.list_sessions(snap, COORD)] == [
        "党课",
        "消防安全",
        "旧课",
    ]
    assert [s.session.title for s in sessions.list_sessions(snap, COORD, year=2025)] == ["旧课"]
    assert [s.session.title for s in sessions.list_sessions(snap, COORD, query="安全")] == [
        "消防安全"
    ]
    assert sessions.years(snap) == [2026, 2025]
