"""Keys of the named things besides members: teams, zones, shift templates, training sessions.

A team, a zone or a training session is found by typing its name in Chinese, its pinyin
initials or its full pinyin, as a member is (tui/jump.py); teams, zones and templates are listed
in the pinyin order of their name, as members are (:func:`name_order`). Their keys are computed
with the same functions as members' (:func:`store.members.search_keys.search_keys` and
:func:`~store.members.search_keys.sort_key`) **when the record is written** and stored in its
``search_keys`` and ``sort_key``, for the same reason: reading must not need pypinyin.
Computing them when the palette opens was measured and rejected: the tables are small (a few ms
for 300 names), but importing pypinyin and its reading table costs a session about 12 MiB for
as long as it runs, a fifth of what a session may hold (docs/READ_MODEL.md), in every session
that ever presses Ctrl+P.

The validators (store/patrols/validation.py, store/training/validation.py) and the demo call
:func:`keyed`; an update merges its fields into the stored record, so keys written with the name
stay until the name is written again. Files written before version 3 get their keys from the
version 3 upgrade registered here (store/__init__.py imports this module for that). A record
written by hand, or before sort keys were stored, is listed right anyway: its order is worked
out when it is read (:func:`name_order`), ``shequ check`` names it and ``shequ patrols rekey``
stores its keys (store/patrols/rekey.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from store.engine.migrations import RecordStep, upgrade_records
from store.engine.record_checks import RecordCheck, check_records
from store.textsafe import nfkc

NAMED: dict[str, str] = {
    "teams": "name",
    "zones": "name",
    "shift_templates": "name",
    "trainings": "title",
}
"""The tables whose records store their name's search keys, and the field that holds it."""

ORDERED = frozenset({"teams", "zones", "shift_templates"})
"""The tables listed in the pinyin order of the name: their records store its sort key too."""


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_COUNTERS = "队组区号栋楼幢单层室街巷路段片班期排站岗线门所点"
"""What follows a number in a place's or a team's name (一队, 3号楼, 二期, 第十网格 has 第)."""
_NUMBER = re.compile(
    r"\d+|(?<=第)[零〇一二两三四五六七八九十百千]+"
    rf"|[零〇一二两三四五六七八九十百千]+(?=[{_COUNTERS}]|$)"
)
NUMBER_WIDTH = 6


def _value(numeral: str) -> int:
    """12 for "12", "十二" or "一二"; 105 for "一百零五"."""
    if numeral.isdigit():
        return int(numeral)
    if not any(char in _UNITS for char in numeral):  # 一二 read digit by digit
        return int("".join(str(_DIGITS[char]) for char in numeral))
    total = current = 0
    for char in numeral:
        if char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def _numbered(name: str) -> str:
    """``name`` with its numbers as fixed-width digits: 巡逻一队 -> 巡逻000001队, 10号楼 ->
    000010号楼. Sorted by pinyin alone, 二 (er) comes before 一 (yi) and 10 before 2; as digits
    they count. A numeral is a number only before a counter (队, 区, 号...), at the end or
    after 第: 四季花园 stays si-ji, 十字路口 shi-zi."""
    return _NUMBER.sub(lambda found: f"{_value(found[0]):0{NUMBER_WIDTH}d}", nfkc(name))


def named_sort_key(name: str) -> str:
    """The sort key of a team's, zone's or template's name: members' pinyin sort key
    (store/members/search_keys.py ``sort_key``: 曾 reads zeng, Latin names mix in as they are
    spelled) of the name with its numbers counted (:func:`_numbered`)."""
    from store.members.search_keys import sort_key

    return sort_key(_numbered(name))


def keyed(doc: Mapping[str, Any], table: str) -> dict[str, Any]:
    """``doc`` with the search keys of its name (the field :data:`NAMED` says), and its sort key
    for a table listed by name (:data:`ORDERED`)."""
    from store.members.search_keys import search_keys

    name = doc.get(NAMED[table])
    name = name if isinstance(name, str) else ""
    new = {**doc, "search_keys": search_keys(name)}
    if table in ORDERED:
        new["sort_key"] = named_sort_key(name)
    return new


def name_order(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    """Where a team, zone or template goes in a list of them: the pinyin order of its name
    (:func:`named_sort_key`), then the name, then the id.

    The stored sort key when the stored search keys are this name's, as members' (a string
    comparison, store/members/search_keys.py ``keys_fit``: reading a file written by shequ
    never imports pypinyin); worked out now for a record without them or renamed by hand.
    """
    from store.members.search_keys import fold, keys_fit

    name, keys, order = doc.get("name"), doc.get("search_keys"), doc.get("sort_key")
    name = name if isinstance(name, str) else ""
    stored = [key for key in keys if isinstance(key, str)] if isinstance(keys, list) else []
    if not (isinstance(order, str) and order and keys_fit(name, stored)):
        order = named_sort_key(name) if fold(name) else ""
    return order, name, str(doc.get("id") or "")


def _upgrade(table: str) -> RecordStep:
    def step(doc: Mapping[str, Any]) -> dict[str, Any] | None:
        new = keyed(doc, table)
        same = all(new.get(key) == doc.get(key) for key in ("search_keys", "sort_key"))
        return None if same else new

    return step


def _key_check(table: str) -> RecordCheck:
    def check(doc: Mapping[str, Any]) -> str | None:
        from store.patrols.rekey import key_problem  # only ``shequ check`` runs it

        return key_problem(doc, table)

    return check


for _table in NAMED:
    upgrade_records(3, _table, _upgrade(_table))
for _table in sorted(ORDERED):
    check_records(_table, _key_check(_table))
