"""A member's summary is the same as the plain reading of its fields, whatever the data.

store/members/summary.py builds 20,000 summaries at every start, so it takes short cuts for
the usual shapes (clean text, digits-only phones, ASCII buildings, a few distinct profiles).
Here a slow, obvious version of the same rules (as the module was before issue 14) is the
oracle, over ordinary members and over odd data: controls, spaces at the ends, full-width
and non-ASCII digits, repeated or empty keys, values of the wrong type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from store.enums import MemberStatus
from store.members.search_keys import SEPARATOR, fold, search_keys, sort_key
from store.members.summary import MemberSummary, summarize
from store.members.wire import MemberWire, wire_from_doc
from store.textsafe import clean_line

_UNCLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f]|^\s|\s$")


def clean_text(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    return clean_line(value) if _UNCLEAN.search(value) else value


def _day(text: object) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _local_day(stamp: object) -> date | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        if "T" in stamp:
            return datetime.fromisoformat(stamp).astimezone().date()
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def expected(wire: MemberWire) -> dict[str, Any]:
    """Every value of the summary, computed the slow, obvious way."""
    name = clean_text(wire.name)
    keys = [key for key in wire.search_keys if key]
    order = wire.sort_key if isinstance(wire.sort_key, str) else ""
    fits = bool(keys) and bool(order) and keys[0] in (name, fold(name))
    if not fits and fold(name):  # no keys, or another name's: computed as a save would
        keys, order = search_keys(name), sort_key(name)
    keys = keys or [fold(name)]
    names = SEPARATOR.join(dict.fromkeys(keys))
    parts = [names]
    if wire.phone:
        phone = wire.phone
        parts.append(phone if phone.isdigit() and phone.isascii() else fold(phone))
    building, unit, room = wire.building, wire.unit, wire.room
    if building or unit or room:
        parts.append(
            fold(
                (f"{building}栋" if building else "")
                + (f"{unit}单元" if unit else "")
                + (f"{room}室" if room else "")
            )
        )
    if wire.address:
        parts.append(fold(wire.address))
    blob = SEPARATOR.join(part for part in dict.fromkeys(parts) if part)
    keys_end = len(names)
    start = keys_end + 1 if keys_end else 0
    end = blob.find(SEPARATOR, start)
    after_name = blob[start:] if end < 0 else blob[start:end]
    phone_text: str | None = clean_text(wire.phone)
    if phone_text and phone_text.isdigit() and phone_text.isascii() and after_name == phone_text:
        phone_text = None
    stored_keys = wire.search_keys
    fallback = (
        stored_keys[1] if len(stored_keys) > 1 and isinstance(stored_keys[1], str) else fold(name)
    )
    version = wire.version
    return {
        "id": wire.id,
        "version": version if isinstance(version, int) and not isinstance(version, bool) else 0,
        "name": name,
        "profile": (
            clean_text(wire.gender),
            clean_text(wire.category),
            clean_text(wire.management),
            clean_text(wire.status) or MemberStatus.ACTIVE.value,
            clean_text(wire.grid),
        ),
        "birth": _day(wire.birth_date),
        "phone_text": phone_text,
        "added": _local_day(wire.created_at),
        "blob": blob,
        "keys_end": keys_end,
        "sort_key": order or fallback,
        "checking": bool(wire.to_check),
        "phone": phone_text if phone_text is not None else after_name,
    }


def held(summary: MemberSummary) -> dict[str, Any]:
    found = msgspec.structs.asdict(summary)
    found["phone"] = summary.phone
    return found


def check(doc: Mapping[str, Any]) -> None:
    wire = wire_from_doc(doc)
    want = expected(wire)
    assert held(summarize(wire)) == want
    for got in (held(summarize(wire)), held(summarize(wire_from_doc(doc)))):  # cached paths
        assert got == want
        assert [type(value) for value in got.values()] == [type(v) for v in want.values()]


CHARS = list("张三李 aZ09１２٣\t\n\x1b\x85\x9b\u3000\u00a0\u200d·-*_Ｚé\u0301ßİ栋")
TEXT = st.one_of(
    st.text(st.sampled_from(CHARS), max_size=8),
    st.text(max_size=6),
    st.sampled_from(["", "1", "123", "ab", "A1", "13800000001", "16", "1004", "第1网格"]),
)
VALUE = st.one_of(TEXT, st.none(), st.integers(), st.booleans(), st.lists(TEXT, max_size=3))
STAMP = st.one_of(
    TEXT,
    st.sampled_from(
        ["2024-01-02", "2024-01-02T03:04:05+08:00", "2024-01-02T23:59:59", "2024-13-01", "9T"]
    ),
)
DOCS = st.fixed_dictionaries(
    {},
    optional={
        "id": TEXT,
        "version": st.one_of(st.integers(), st.booleans(), TEXT),
        "name": VALUE,
        "gender": VALUE,
        "birth_date": STAMP,
        "phone": VALUE,
        "building": VALUE,
        "unit": VALUE,
        "room": VALUE,
        "address": VALUE,
        "grid": VALUE,
        "category": VALUE,
        "management": VALUE,
        "status": VALUE,
        "search_keys": st.one_of(st.lists(TEXT, max_size=5), VALUE),
        "sort_key": VALUE,
        "created_at": STAMP,
        "to_check": st.one_of(st.lists(TEXT, max_size=2), VALUE),
    },
)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(doc=DOCS)
@example(doc={"search_keys": ["", "a", "a"], "phone": "a"})
@example(doc={"phone": " 123", "name": "x"})  # a phone cleaned to digits: the blob's copy
@example(doc={"phone": "123", "search_keys": ["123"]})  # the phone is the name: kept once
@example(doc={"phone": "١٢٣", "building": "Ａ", "unit": "B", "room": "é"})
@example(doc={"search_keys": ["a"], "phone": "a", "address": "A"})
@example(doc={})
@example(doc={"name": "张三 ", "grid": "第1网格\u3000"})  # printable, but spaces at the end
@example(doc={"search_keys": ["12"], "phone": "12", "building": "12"})  # 12栋 is not the phone
@example(doc={"name": "张三", "phone": "13800000001"})  # no keys: computed when read
@example(doc={"name": "张三", "search_keys": ["李四", "ls"], "sort_key": "li 0674e si"})  # stale
@example(doc={"name": "张三", "search_keys": ["张三", "zs"]})  # keys, no sort key: computed
@example(doc={"name": "·", "sort_key": "x"})  # nothing to spell: kept as stored
def test_a_summary_holds_what_the_plain_rules_give(doc: dict[str, Any]) -> None:
    check(doc)


def test_ordinary_members_are_summarized_as_the_plain_rules_say() -> None:
    """The shape nearly every member has (as the demo and the forms write them)."""
    for number, name in enumerate(["张三", "曾小明", "诸葛亮", "Li Ming", "阿依古丽·买买提"]):
        doc = {
            "id": f"m{number}",
            "version": number + 1,
            "name": name,
            "gender": "male",
            "birth_date": "1965-06-15",
            "phone": "15718243661" if number % 2 else "0571-8888 1234",
            "building": str(number + 1),
            "unit": "1",
            "room": "1004" if number != 3 else "B2",
            "address": "" if number != 4 else "解放路 12号",
            "grid": "第1网格",
            "category": "mobile_in",
            "management": "entrusted",
            "status": "active" if number else "",
            "search_keys": search_keys(name),
            "sort_key": sort_key(name),
            "created_at": "2026-12-07T03:02:07.151751+00:00",
            "to_check": [] if number else ["phone"],
        }
        check(doc)
        decoded = msgspec.json.decode(json.dumps(doc), type=MemberWire)  # as read from a file
        assert held(summarize(decoded)) == expected(decoded)


def test_profiles_are_shared_and_a_wire_of_odd_types_still_summarizes() -> None:
    first = summarize(wire_from_doc({"grid": "第2网格", "category": "odd-x"}))
    second = summarize(wire_from_doc({"grid": "第2网格", "category": "odd-x"}))
    assert first.profile is second.profile
    assert first.profile == ("", "odd-x", "", "active", "第2网格")
    odd = MemberWire(gender=["x"], grid="\x1b[31m第3网格 ")  # type: ignore[arg-type]
    assert summarize(odd).profile == ("", "", "", "active", "第3网格")


def test_the_demo_members_read_from_a_file_match(tmp_path: Path) -> None:
    """Members written by the store itself and decoded from the file."""
    from store.engine.database import Database
    from store.members.summary import build
    from tests.bench.members import make_members, write_database

    path = tmp_path / "demo.json"
    write_database(path, make_members(300, seed=3))
    snap = Database(path).snapshot()
    members = build(snap).members
    wires = list(snap.records("members", MemberWire, wire_from_doc))
    assert len(members) == len(wires) == 300
    for member, wire in zip(members, wires, strict=True):
        assert held(member) == expected(wire)
