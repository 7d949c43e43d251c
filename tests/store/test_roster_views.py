"""What each role sees of a member, the settings record, and who is slipping out of touch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import Conflict, ValidationError
from store.members import ops as members
from store.privacy import member_view
from store.settings import ops as settings
from store.settings.model import Settings
from tests.store.conftest import FakeClock

ADMIN = Actor("os:root", Role.ADMIN)
COORDINATOR = Actor("coord", Role.COORDINATOR, user_id="u1")
VOLUNTEER = Actor("vol", Role.VOLUNTEER, user_id="u2")

MOBILE = {
    "name": "欧阳娜娜",
    "phone": "13800000001",
    "address": "3栋2单元502室",
    "category": "mobile_out",
    "whereabouts": "深圳",
    "contact_person": "欧阳大海",
    "contact_phone": "0571-86666666",
    "notes": "随子女在深圳居住",
}


# -- privacy --------------------------------------------------------------------------------------


def test_volunteers_see_masked_phones_and_no_address(db: Database) -> None:
    doc = members.add(db, ADMIN, MOBILE)
    view = member_view(doc, VOLUNTEER)
    assert view["phone"] == "138****0001"
    assert view["contact_phone"] == "0571-****6666"
    for hidden in ("building", "unit", "room", "address", "whereabouts", "notes"):
        assert not view.get(hidden), hidden
    assert view["contact_person"] == ""
    assert (view["name"], view["id"], view["version"]) == ("欧阳娜娜", doc["id"], doc["version"])
    assert doc["phone"] == "13800000001"  # the record itself is untouched
    for staff in (ADMIN, COORDINATOR):
        assert member_view(doc, staff) is doc


def test_a_volunteer_sees_their_own_record_whole(db: Database) -> None:
    doc = members.add(db, ADMIN, MOBILE)
    me = Actor("vol", Role.VOLUNTEER, user_id="u2", member_id=doc["id"])
    assert member_view(doc, me) is doc


def test_a_volunteer_cannot_find_members_by_hidden_digits_or_address(db: Database) -> None:
    members.add(db, ADMIN, MOBILE)
    snap = db.snapshot()
    assert [m["name"] for m in members.search(snap, "00000", actor=COORDINATOR)] == ["欧阳娜娜"]
    assert members.search(snap, "00000", actor=VOLUNTEER) == []
    assert members.search(snap, "502", actor=VOLUNTEER) == []
    found = members.search(snap, "oynn", actor=VOLUNTEER)
    assert [m["phone"] for m in found] == ["138****0001"]


# -- settings -------------------------------------------------------------------------------------


def test_settings_default_until_first_saved(db: Database) -> None:
    assert settings.current(db.snapshot()) == Settings()
    saved = settings.update(db, ADMIN, {"community_name": "幸福里", "contact_warn_days": "90"}, 0)
    assert (saved.community_name, saved.contact_warn_days, saved.version) == ("幸福里", 90, 1)
    assert saved.contact_overdue_days == 180  # untouched fields keep their value
    again = settings.update(db, ADMIN, {"idle_lock_minutes": 10}, saved.version)
    assert (again.community_name, again.contact_warn_days, again.idle_lock_minutes) == (
        "幸福里",
        90,
        10,
    )
    assert settings.current(db.snapshot()) == again
    assert db.snapshot().count("settings") == 1


def test_settings_conflicts_and_validation(db: Database) -> None:
    settings.update(db, ADMIN, {"community_name": "甲"}, 0)
    with pytest.raises(Conflict):
        settings.update(db, ADMIN, {"community_name": "乙"}, 0)  # another admin saved first
    with pytest.raises(ValidationError) as caught:
        settings.update(db, ADMIN, {"contact_warn_days": 200, "contact_overdue_days": 100}, 1)
    assert "contact_warn_days" in caught.value.errors
    assert settings.current(db.snapshot()).community_name == "甲"


# -- contacts -------------------------------------------------------------------------------------


def test_add_contact_checks_the_member_and_fills_in_who(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    record = contacts.add_contact(db, COORDINATOR, member["id"], {"date": "2024-01-02"})
    assert (record["by"], record["method"]) == ("coord", "phone")
    with pytest.raises(ValidationError) as caught:
        contacts.add_contact(db, COORDINATOR, "0" * 32, {"date": "2024-01-02"})
    assert set(caught.value.errors) == {"member_id"}
    with pytest.raises(ValidationError):
        contacts.add_contact(db, COORDINATOR, member["id"], {"date": "2099-01-01"})


def test_lapsing_warns_then_overdue_oldest_first(db: Database, clock: FakeClock) -> None:
    today = db.today()
    rules = Settings(contact_warn_days=120, contact_overdue_days=180)

    def member_contacted(name: str, days_ago: int | None) -> str:
        doc = members.add(db, ADMIN, {"name": name})
        if days_ago is not None:
            day = (today - timedelta(days=days_ago)).isoformat()
            contacts.add_contact(db, ADMIN, doc["id"], {"date": day})
        return str(doc["id"])

    recent = member_contacted("近期", 10)
    contacts.add_contact(db, ADMIN, recent, {"date": (today - timedelta(days=300)).isoformat()})
    warn = member_contacted("提醒", 130)
    overdue = member_contacted("逾期", 200)
    archived = member_contacted("归档", 400)
    members.set_status(db, ADMIN, archived, MemberStatus.ARCHIVED, 1)
    never = member_contacted("从未联系", None)  # on the roster since today

    snap = db.snapshot()
    assert contacts.last_contacts(snap)[recent] == today - timedelta(days=10)
    found = contacts.lapsing(snap, today, rules)
    assert [(lapse.member.id, lapse.state, lapse.days) for lapse in found] == [
        (overdue, "overdue", 200),
        (warn, "warn", 130),
    ]
    assert found[0].last == today - timedelta(days=200)

    # Never contacted: counted from the day the member was put on the roster.
    later = today + timedelta(days=150)
    lapses = {lapse.member.id: lapse for lapse in contacts.lapsing(snap, later, rules)}
    assert lapses[never].last is None
    assert (lapses[never].since, lapses[never].state) == (today, "warn")
    assert (lapses[recent].days, lapses[recent].state) == (160, "warn")
    assert archived not in lapses


def test_for_member_is_newest_first(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "张三"})
    for day in ("2023-05-01", "2023-12-01", "2023-07-01"):
        contacts.add_contact(db, ADMIN, member["id"], {"date": day})
    days = [doc["date"] for doc in contacts.for_member(db.snapshot(), member["id"], ADMIN)]
    assert days == ["2023-12-01", "2023-07-01", "2023-05-01"]
    assert date.fromisoformat(days[0]) == contacts.last_contacts(db.snapshot())[member["id"]]
