"""The privacy rule, once in the store: contact notes, searches and the change log follow it.

A volunteer sees a contact's date, method and who, never its note (free text is where a new
address or phone is written); no search a volunteer types matches text hidden from them; the
roles that read the change log or import a spreadsheet (whose warnings quote cells) see
everything, and the change log is read through the rule regardless.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database, Snapshot
from store.errors import PermissionDenied
from store.members import ops as members
from store.members.search_keys import fold, normalize_query, search_keys
from store.permissions import Action, allowed
from store.privacy import (
    PRIVATE,
    change_view,
    contact_view,
    hidden_in,
    member_view,
    read_changes,
    withheld,
)

ADMIN = Actor("os:root", Role.ADMIN)
COORDINATOR = Actor("coord", Role.COORDINATOR, user_id="u1")
VOLUNTEER = Actor("vol", Role.VOLUNTEER, user_id="u2")

NOTE = "上门 新住址 9栋3单元801 新手机 13912345678"


def logged(db: Database) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    member = members.add(db, ADMIN, {"name": "张三", "phone": "13800000001", "notes": "腿脚不便"})
    raw = {"date": "2024-01-05", "method": "visit", "note": NOTE, "by": "王芳"}
    return member, contacts.add_contact(db, ADMIN, member["id"], raw)


def test_a_volunteer_reads_the_contact_log_without_notes(db: Database) -> None:
    member, _contact = logged(db)
    [seen] = contacts.for_member(db.snapshot(), member["id"], VOLUNTEER)
    assert (seen["date"], seen["method"], seen["by"]) == ("2024-01-05", "visit", "王芳")
    assert seen["note"] == ""
    assert hidden_in(seen) == {"note"}
    assert NOTE not in repr(seen) and "9栋" not in repr(seen)
    for staff in (ADMIN, COORDINATOR):
        [whole] = contacts.for_member(db.snapshot(), member["id"], staff)
        assert whole["note"] == NOTE and not hidden_in(whole)


def test_a_volunteer_reads_the_contacts_logged_with_them_whole(db: Database) -> None:
    member, _contact = logged(db)
    me = Actor("vol", Role.VOLUNTEER, user_id="u2", member_id=member["id"])
    [seen] = contacts.for_member(db.snapshot(), member["id"], me)
    assert seen["note"] == NOTE


def test_an_empty_note_is_not_said_to_be_hidden(db: Database) -> None:
    member = members.add(db, ADMIN, {"name": "李四"})
    contact = contacts.add_contact(db, ADMIN, member["id"], {"date": "2024-01-05"})
    assert not hidden_in(contact_view(contact, VOLUNTEER))


def test_whereabouts_and_the_contact_person_of_a_mobile_member_are_hidden(db: Database) -> None:
    doc = members.add(
        db,
        ADMIN,
        {"name": "欧阳娜娜", "category": "mobile_out", "whereabouts": "深圳南山区科技园1栋"}
        | {"contact_person": "欧阳大海", "contact_phone": "0571-86666666"},
    )
    view = member_view(doc, VOLUNTEER)
    assert (view["whereabouts"], view["contact_person"]) == ("", "")
    assert view["contact_phone"] == "0571-****6666"
    assert hidden_in(view) == {"whereabouts", "contact_person"}


def test_the_change_log_is_read_only_by_roles_that_see_everything(db: Database) -> None:
    logged(db)
    with pytest.raises(PermissionDenied):
        list(read_changes(db.audit_path, VOLUNTEER))
    notes = [e["after"].get("note") for e in read_changes(db.audit_path, COORDINATOR)]
    assert NOTE in notes


def test_the_change_log_goes_through_the_rule() -> None:
    """Were a role to read the log without seeing details, the values would be withheld."""
    entry = {
        "table": "contacts",
        "op": "update",
        "before": {"note": "旧住址 3栋"},
        "after": {"note": NOTE},
    }
    shown = change_view(entry, VOLUNTEER)
    assert (shown["before"], shown["after"]) == ({"note": ""}, {"note": ""})
    phone = {"table": "members", "op": "update", "before": {"phone": "13800000001"}, "after": {}}
    assert change_view(phone, VOLUNTEER)["before"] == {"phone": "138****0001"}
    assert change_view(entry, COORDINATOR) is entry


@pytest.mark.parametrize("role", list(Role))
def test_who_imports_or_reads_the_change_log_sees_every_field(role: Role) -> None:
    """Import warnings quote cells and the log quotes values: only for roles that see it all."""
    actor = Actor("someone", role)
    if allowed(actor, Action.IMPORT) or allowed(actor, Action.VIEW_AUDIT):
        for table in PRIVATE:
            assert withheld(table, {}, actor) == {}


# -- search ----------------------------------------------------------------------------------------

NAMES = ["张三", "欧阳娜娜", "李明", "Li Ming", "曾重阳"]
PIECES = "0123456789栋单元室号楼新住址手机深圳南山abc "
digits = st.text("0123456789", min_size=11, max_size=11).map(lambda d: "1" + d[1:])
hidden_text = st.text(PIECES, min_size=1, max_size=20)


def visible_pieces(view: Mapping[str, Any]) -> list[str]:
    """What a volunteer reads of a member on screen: the name and the phone's shown digits."""
    name = str(view["name"])
    return [name, *search_keys(name), *str(view.get("phone") or "").split("*")]


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    phone=digits,
    hidden=st.fixed_dictionaries(
        {
            "address": hidden_text,
            "building": st.text("0123456789", max_size=3),
            "room": st.text("0123456789", max_size=4),
            "whereabouts": hidden_text,
            "contact_person": hidden_text,
            "notes": hidden_text,
        }
    ),
    note=hidden_text,
    data=st.data(),
)
@example(
    name="张三",
    phone="13800000001",
    hidden={"address": "", "building": "", "room": "", "whereabouts": "", "contact_person": ""}
    | {"notes": ""},
    note="",
    data=None,
).via("a query across the masked digits: 138 + 0001")
def test_no_search_a_volunteer_types_matches_text_hidden_from_them(
    name: str,
    phone: str,
    hidden: dict[str, str],
    note: str,
    data: st.DataObject | None,
) -> None:
    doc = {"id": "m1", "name": name, "search_keys": search_keys(name), "phone": phone, **hidden}
    contact = {"id": "c1", "member_id": "m1", "date": "2024-01-05", "note": note}
    snapshot = Snapshot.from_data({"members": {"1": doc}, "contacts": {"1": contact}})
    secrets = [phone, note, *hidden.values(), f"{hidden['building']}栋{hidden['room']}室"]
    if data is None:
        queries = ["3800", "80000", "38000"]
    else:
        secret = data.draw(st.sampled_from([s for s in secrets if s] or [phone]))
        start = data.draw(st.integers(0, len(secret) - 1))
        end = data.draw(st.integers(start + 1, len(secret)))
        queries = [secret[start:end], data.draw(hidden_text)]
    view = member_view(doc, VOLUNTEER)
    for query in queries:
        needle = normalize_query(query)
        if not needle:
            continue
        found = members.search(snapshot, query, actor=VOLUNTEER)
        explained = any(needle in fold(piece) for piece in visible_pieces(view))
        assert bool(found) <= explained, (query, view)
        if found:
            assert found[0]["phone"] == view["phone"]


def test_a_volunteer_still_finds_by_the_digits_they_see(db: Database) -> None:
    members.add(db, ADMIN, {"name": "张三", "phone": "13800000001"})
    snap = db.snapshot()
    for query in ("138", "0001", "zs"):
        assert [m["name"] for m in members.search(snap, query, actor=VOLUNTEER)] == ["张三"]
    assert members.search(snap, "1380001", actor=VOLUNTEER) == []
    assert [m["name"] for m in members.search(snap, "1380000", actor=COORDINATOR)] == ["张三"]


def test_dates_of_contacts_are_still_counted_for_a_volunteer(db: Database) -> None:
    member, _contact = logged(db)
    log = contacts.for_member(db.snapshot(), member["id"], VOLUNTEER)
    assert contacts.last_contact(log) == date(2024, 1, 5)
