"""One member's contact state (the rule lapsing uses too); contact dates typed without a year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import ValidationError
from store.members import ops as members
from store.settings.model import Settings
from tests.store.conftest import FakeClock

ADMIN = Actor("os:root", Role.ADMIN)
RULES = Settings(contact_warn_days=120, contact_overdue_days=180)


def test_contact_state_counts_from_the_last_contact(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    today = db.today()
    for days, state in ((0, None), (119, None), (120, "warn"), (179, "warn"), (180, "overdue")):
        last = today - timedelta(days=days)
        found = contacts.contact_state(member, last, today, RULES)
        assert (found.last, found.since, found.days, found.state) == (last, last, days, state)


def test_never_contacted_counts_from_the_day_on_the_roster(db: Database, clock: FakeClock) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    clock.advance(days=130)
    found = contacts.contact_state(member, None, db.today(), RULES)
    assert found.last is None
    assert (found.since, found.days, found.state) == (db.today() - timedelta(days=130), 130, "warn")


def test_only_active_members_are_due(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    archived = members.set_status(db, ADMIN, member["id"], MemberStatus.ARCHIVED, 1)
    long_ago = db.today() - timedelta(days=400)
    found = contacts.contact_state(archived, long_ago, db.today(), RULES)
    assert (found.days, found.state) == (400, None)


def test_lapsing_agrees_with_contact_state(db: Database, clock: FakeClock) -> None:
    today = db.today()
    ids = []
    for name, days_ago in (("甲", 10), ("乙", 130), ("丙", 200)):
        doc = members.add(db, ADMIN, {"name": name})
        day = (today - timedelta(days=days_ago)).isoformat()
        contacts.add_contact(db, ADMIN, doc["id"], {"date": day})
        ids.append(doc["id"])
    never = members.add(db, ADMIN, {"name": "丁"})
    clock.advance(days=150)
    later = db.today()
    snap = db.snapshot()
    lapses = {lapse.member.id: lapse for lapse in contacts.lapsing(snap, later, RULES)}
    for doc in snap.all("members"):
        log = contacts.for_member(snap, doc["id"], ADMIN)
        state = contacts.contact_state(doc, contacts.last_contact(log), later, RULES)
        lapse = lapses.get(doc["id"])
        if state.state is None:
            assert lapse is None
        else:
            assert lapse is not None
            assert (lapse.last, lapse.since, lapse.days, lapse.state) == (
                state.last,
                state.since,
                state.days,
                state.state,
            )
    assert set(lapses) == {*ids, never["id"]}  # 160, 280, 350 days; never: 150


def test_last_contact_of_a_log(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    assert contacts.last_contact([]) is None
    for day in ("2023-05-01", "2023-12-01", "2023-07-01"):
        contacts.add_contact(db, ADMIN, member["id"], {"date": day})
    log = contacts.for_member(db.snapshot(), member["id"], ADMIN)
    assert contacts.last_contact(log) == date(2023, 12, 1)


def test_on_one_day_the_contact_logged_last_comes_first(db: Database, clock: FakeClock) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    for note in ("早上", "中午", "晚上"):
        contacts.add_contact(db, ADMIN, member["id"], {"date": "2024-01-05", "note": note})
        clock.advance(minutes=1)
    notes = [doc["note"] for doc in contacts.for_member(db.snapshot(), member["id"], ADMIN)]
    assert notes == ["晚上", "中午", "早上"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1月5日", "2024-01-05"),  # the clock says 2024-01-08
        ("1月8号", "2024-01-08"),
        ("12月20日", "2023-12-20"),  # last December, never next
        ("12-20", "2023-12-20"),
        ("１２／２０", "2023-12-20"),  # full-width, as an IME types it
        ("2023-11-20", "2023-11-20"),
        ("昨天", "2024-01-07"),
    ],
)
def test_a_date_without_its_year_is_the_latest_one_not_ahead(
    db: Database, typed: str, stored: str
) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    record = contacts.add_contact(db, ADMIN, member["id"], {"date": typed})
    assert record["date"] == stored


def test_a_bad_month_day_is_still_refused_with_a_reason(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    with pytest.raises(ValidationError) as caught:
        contacts.add_contact(db, ADMIN, member["id"], {"date": "2月30日"})
    assert "no day 30" in caught.value.errors["date"]
    with pytest.raises(ValidationError) as caught:
        contacts.add_contact(db, ADMIN, member["id"], {"date": "13月1日"})
    assert "no month 13" in caught.value.errors["date"]


@given(
    current=st.booleans(),
    added=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    last=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    warn=st.integers(1, 400),
    more=st.integers(1, 400),
)
def test_the_roster_s_short_rule_is_the_rule(
    current: bool, added: date | None, last: date | None, today: date, warn: int, more: int
) -> None:
    rules = Settings(contact_warn_days=warn, contact_overdue_days=warn + more)
    whole = contacts.state_for(current, added, last, today, rules)
    assert contacts.lapse_state(current, added, last, today, rules) == whole.state


def test_a_contact_is_logged_by_the_name_people_know(db: Database) -> None:
    from store.users import ops as users

    member = members.add(db, ADMIN, {"name": "王芳"})
    users.add_user(
        db,
        ADMIN,
        username="coordinator1",
        display_name="社区协调员",
        role=Role.COORDINATOR,
        secret="2468",
        member_id=str(member["id"]),
    )
    user = next(u for u in db.snapshot().all("users") if u["username"] == "coordinator1")
    linked = Actor("coordinator1", Role.COORDINATOR, user_id=str(user["id"]))
    today = {"date": db.today().isoformat()}
    record = contacts.add_contact(db, linked, str(member["id"]), {"method": "phone", **today})
    assert record["by"] == "王芳"  # their member's name, not the login name
    users.add_user(
        db, ADMIN, username="helper", display_name="李老师", role=Role.COORDINATOR, secret="2468"
    )
    helper = next(u for u in db.snapshot().all("users") if u["username"] == "helper")
    actor = Actor("helper", Role.COORDINATOR, user_id=str(helper["id"]))
    assert contacts.add_contact(db, actor, str(member["id"]), today)["by"] == "李老师"
    cli = Actor.os_user()
    assert contacts.add_contact(db, cli, str(member["id"]), today)["by"] == cli.name
