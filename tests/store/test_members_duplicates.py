"""Finding a member who looks like the same person: the form's duplicate warning and the import's
matching share one rule (same name and birth date, or same phone), on real files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.members import importing
from store.members import ops as members
from store.members.validation import validate_member


def add(db: Database, actor: Actor, **fields: object) -> Mapping[str, Any]:
    return members.add(db, actor, fields)


def found(db: Database, raw: Mapping[str, object], exclude_id: str | None = None) -> list[str]:
    """Names of the duplicates of ``raw`` (validated first, as the form does) in the file."""
    doc = validate_member(raw, today=db.today())
    fresh = Database(db.path)  # read back from disk, like another session would
    return [str(d["name"]) for d in members.duplicates(fresh.snapshot(), doc, exclude_id)]


def test_same_name_and_birth_date(db: Database, actor: Actor) -> None:
    add(db, actor, name="张三", birth_date="1958-03-12")
    add(db, actor, name="张三", birth_date="1960-01-01")
    assert found(db, {"name": "张三", "birth_date": "1958.3.12"}) == ["张三"]
    assert found(db, {"name": "张三", "birth_date": "1958年3月12日"}) == ["张三"]
    # A name alone, or a birth date alone, is not enough: namesakes are common.
    assert found(db, {"name": "张三"}) == []
    assert found(db, {"name": "李四", "birth_date": "1958-03-12"}) == []


def test_month_only_dates_match_as_stored(db: Database, actor: Actor) -> None:
    add(db, actor, name="王五", birth_date="1958年3月")
    assert found(db, {"name": "王五", "birth_date": "1958.03"}) == ["王五"]


def test_same_phone_however_it_was_typed(db: Database, actor: Actor) -> None:
    add(db, actor, name="张三", phone="13800138000")
    add(db, actor, name="李四", phone="0571-88886666")
    assert found(db, {"name": "张山", "phone": "+86 138-0013-8000"}) == ["张三"]
    assert found(db, {"name": "赵六", "phone": "0571 8888 6666"}) == ["李四"]
    assert found(db, {"name": "赵六", "phone": "13900139000"}) == []


def test_both_rules_and_every_match_is_listed(db: Database, actor: Actor) -> None:
    add(db, actor, name="张三", birth_date="1958-03-12")
    add(db, actor, name="李四", phone="13800138000")
    add(db, actor, name="王五", phone="13800138000", status="archived")  # archived still counts
    names = found(db, {"name": "张三", "birth_date": "1958-03-12", "phone": "13800138000"})
    assert names == ["张三", "李四", "王五"]


def test_the_member_itself_is_left_out_of_its_own_edit(
    db: Database, actor: Actor, admin: Actor
) -> None:
    me = add(db, actor, name="张三", birth_date="1958-03-12", phone="13800138000")
    twin = add(db, actor, name="张三", birth_date="1958-03-12")
    edited = members.merge_edits(me, {"phone": "138 0013 8000"})
    assert found(db, edited, exclude_id=str(me["id"])) == ["张三"]  # only the twin
    members.delete(db, admin, str(twin["id"]), 1)
    assert found(db, edited, exclude_id=str(me["id"])) == []


def test_nothing_to_match_on_finds_nothing(db: Database, actor: Actor) -> None:
    add(db, actor, name="张三")
    assert found(db, {"name": "张三"}) == []
    assert members.duplicates(db.snapshot(), {}) == []


def test_merge_edits_keeps_the_database_fields_out(db: Database, actor: Actor) -> None:
    me = add(db, actor, name="张三", grid="一网格")
    merged = members.merge_edits(me, {"grid": "二网格"})
    assert merged["grid"] == "二网格" and merged["name"] == "张三"
    assert not {"id", "version", "created_at", "updated_at"} & set(merged)


def test_a_date_keeps_its_precision_unless_it_is_edited(db: Database, actor: Actor) -> None:
    """Month-only is a property of each date: an edit of one date never touches another's."""
    me = add(db, actor, name="张三", birth_date="1950-05-06", join_date="1980年3月")
    assert me["month_only"] == ["join_date"]
    # Another date edited: the join date stays month-only, though the edit says nothing of it.
    born = members.update(db, actor, str(me["id"]), {"birth_date": "1950-05-07"}, 1)
    assert (born["join_date"], born["month_only"]) == ("1980-03-01", ["join_date"])
    # A stale flag list sent with an edit cannot clear an untouched date's precision...
    stale = members.merge_edits(born, {"birth_date": "1950-05-08", "month_only": []})
    assert stale["month_only"] == ["join_date"]
    # ...while the edited date is read from what was typed (the 1st is the 1st).
    exact = members.update(db, actor, str(me["id"]), {"join_date": "1980-03-01"}, 2)
    assert (exact["join_date"], exact["month_only"]) == ("1980-03-01", [])
    again = members.update(db, actor, str(me["id"]), {"join_date": "1980.04"}, 3)
    assert (again["join_date"], again["month_only"]) == ("1980-04-01", ["join_date"])


def test_the_import_matches_with_the_same_rule(db: Database, actor: Actor, tmp_path: Path) -> None:
    assert importing.match_keys is members.match_keys  # one definition
    add(db, actor, name="张三", phone="13800138000")
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名,手机\n张山,138-0013-8000\n", encoding="utf-8")
    plan = importing.plan_import(db, sheet)
    assert [row.member_id for row in plan.updated] == [
        d["id"] for d in db.snapshot().all(members.TABLE)
    ]
