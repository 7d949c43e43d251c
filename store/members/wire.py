"""One member's line as a summary is made from it: the fields decoded, cleaned and shared.

Split from store/members/summary.py (the read model) because this part runs once per member at
every start and full read: its short cuts for the usual shapes of data (clean text, ASCII
addresses, profiles seen before) are what keep building 20,000 summaries near 100 ms, and they
are checked field by field against the plain rules in tests/store/test_member_summary.py.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import msgspec

from store.enums import MemberStatus
from store.members.search_keys import SEPARATOR, fold, name_keys
from store.textsafe import clean_line


class MemberWire(msgspec.Struct, gc=False):
    """The fields a summary is made from, as decoded from the file (the rest are skipped)."""

    id: str = ""
    version: int = 0
    name: str = ""
    gender: str | None = None
    birth_date: str | None = None
    phone: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    address: str = ""
    grid: str = ""
    category: str = ""
    management: str = ""
    status: str = ""
    search_keys: list[str] = []
    sort_key: str = ""
    created_at: str = ""
    to_check: list[str] = []


Profile = tuple[str, str, str, str, str]
"""(gender, category, management, status, grid): few distinct ones, each shared by many."""


_UNCLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f]|^\s|\s$")  # what clean_line would change


def clean_text(value: object) -> str:
    """User text cleaned for a terminal (the decoded string itself when it is clean already).

    Printable text without space at either end is clean (every control is unprintable): a
    cheaper test than the regex, which decides the rest.
    """
    if not isinstance(value, str) or not value:
        return ""
    if value.isprintable() and not value[0].isspace() and not value[-1].isspace():
        return value
    return clean_line(value) if _UNCLEAN.search(value) else value


_WORDS: dict[str, str] = {}


def _word(value: object) -> str:
    """A value from a small set (a category, a grid): one shared string per distinct value."""
    if not isinstance(value, str) or not value:
        return ""
    found = _WORDS.get(value)
    if found is None:
        found = sys.intern(clean_text(value))
        if len(_WORDS) < 10_000:
            _WORDS[value] = found
    return found


class Days:
    """Dates read from text; the days members were added (few distinct: imports) shared."""

    def __init__(self) -> None:
        self.stamps: dict[str, date | None] = {}

    def day(self, text: object) -> date | None:
        """A date (each its own object: birthdays are too varied to be worth a cache)."""
        if not isinstance(text, str) or not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None

    def local_day(self, stamp: object) -> date | None:
        """A stored timestamp's day where the volunteers are (a plain date as it is)."""
        if not isinstance(stamp, str) or not stamp:
            return None
        found = self.stamps.get(stamp, ...)
        if found is ...:
            try:
                found = (
                    datetime.fromisoformat(stamp).astimezone().date()
                    if "T" in stamp
                    else date.fromisoformat(stamp[:10])
                )
            except ValueError:
                found = None
            self.stamps[stamp] = found
        return found


def _place(building: str, unit: str, room: str) -> str:
    """Where a member lives as 3栋2单元502室, of the parts given ("" for none)."""
    return (
        (f"{building}栋" if building else "")
        + (f"{unit}单元" if unit else "")
        + (f"{room}室" if room else "")
    )


def stored_keys(wire: MemberWire) -> list[str]:
    """The member's stored search keys without empty ones (a hand edit may leave one)."""
    keys = wire.search_keys
    return [key for key in keys if key] if "" in keys else keys


def member_keys(wire: MemberWire, name: str) -> tuple[Sequence[str], str]:
    """The search keys and sort key of the member (``name`` its cleaned name): those stored,
    or computed now for a member stored without them or with another name's
    (:func:`~store.members.search_keys.name_keys`: pypinyin only for such a member)."""
    order = wire.sort_key if isinstance(wire.sort_key, str) else ""
    return name_keys(name, stored_keys(wire), order)


def blob_parts(wire: MemberWire, keys: Sequence[str], name: str) -> tuple[str, int]:
    """The search blob and where its name part ends (see :func:`~store.members.search_keys.
    search_text`, which this follows for one record), ``keys`` the member's search keys
    (:func:`member_keys`) and ``name`` its cleaned name.

    Written for speed (it runs for every member at start): the usual parts (distinct keys, a
    phone of digits, a building of ASCII letters and digits) skip the filtering and folding
    that would leave them as they are.
    """
    if not keys:
        names = fold(name)
    elif len(keys) == 1:
        names = keys[0]
    else:  # written unique by search_keys(), but a hand edit may repeat one; a set tells
        # there is no repeat faster than dict.fromkeys removes one
        names = SEPARATOR.join(keys if len(set(keys)) == len(keys) else dict.fromkeys(keys))
    parts = [names] if names else []  # each part once, none empty
    phone = wire.phone
    if phone:
        part = phone if phone.isdigit() and phone.isascii() else fold(phone)
        if part and part not in parts:
            parts.append(part)
    building, unit, room = wire.building, wire.unit, wire.room
    place = (
        f"{building}栋{unit}单元{room}室"
        if building and unit and room
        else _place(building, unit, room)
    )
    if place:
        plain = building + unit + room  # ASCII letters and digits around ideographs: folding
        part = place.lower() if plain.isascii() and plain.isalnum() else fold(place)
        if part and part not in parts:
            parts.append(part)
    if wire.address:
        part = fold(wire.address)
        if part and part not in parts:
            parts.append(part)
    return SEPARATOR.join(parts), len(names)


_PROFILES: dict[Profile, Profile] = {}
_RAW_PROFILES: dict[tuple[object, ...], Profile] = {}  # the fields as decoded -> the shared one


def shared_profile(wire: MemberWire) -> Profile:
    """One shared tuple per distinct profile (bounded caches: odd data cannot grow them much),
    looked up by the decoded fields first: one lookup a member instead of five words."""
    key = (wire.gender, wire.category, wire.management, wire.status, wire.grid)
    raw: tuple[object, ...] | None = key
    try:
        shared = _RAW_PROFILES.get(key)
    except TypeError:  # a value that is not a string (a wire not decoded by us)
        shared, raw = None, None
    if shared is not None:
        return shared
    found = (
        _word(wire.gender),
        _word(wire.category),
        _word(wire.management),
        _word(wire.status) or MemberStatus.ACTIVE.value,
        _word(wire.grid),
    )
    shared = _PROFILES.get(found)
    if shared is None:
        shared = found
        if len(_PROFILES) < 10_000:
            _PROFILES[found] = found
    if raw is not None and len(_RAW_PROFILES) < 10_000:
        _RAW_PROFILES[raw] = shared
    return shared


def wire_from_doc(doc: Mapping[str, Any]) -> MemberWire:
    """A document's fields, read tolerantly: a value of the wrong type is left out."""
    fields: dict[str, Any] = {}
    for name, default in _DEFAULTS.items():
        value = doc.get(name)
        if name in ("search_keys", "to_check"):
            if isinstance(value, list):
                fields[name] = [key for key in value if isinstance(key, str)]
        elif name == "version":
            if isinstance(value, int) and not isinstance(value, bool):
                fields[name] = value
        elif isinstance(value, str):
            fields[name] = value
        elif value is None and default is None:
            fields[name] = None
    return MemberWire(**fields)


_DEFAULTS: dict[str, Any] = {
    name: getattr(MemberWire(), name) for name in MemberWire.__struct_fields__
}
