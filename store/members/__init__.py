"""The member roster: the member model, its validation, its operations (add, update, archive,
restore, delete for good, duplicates, search), pinyin search keys, and spreadsheet import/export.

- model: :class:`Member`, ``age``, ``format_address``, ``field_label``
- validation: ``validate_member``, ``split_address``
- ops: what a screen or the CLI does to members, in a transaction
- search_keys: pinyin keys computed when a name is written
- importing / exporting: CSV and XLSX in and out
- summary: the compact read model (one small record per member) the screens list and search

Importing this package registers the members' part of the version 3 upgrade (the search and
sort keys computed again) and their test in ``shequ check`` (keys missing or not the name's,
store/members/rekey.py); ``store/__init__.py`` imports it for that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.engine.migrations import upgrade_records
from store.engine.record_checks import check_records


def _keys(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The version 3 upgrade of a member: the search keys (the readings in common use, surname
    reading first) and the roster's sort key (the surname as a unit), computed as when the name
    is written (store/members/search_keys.py). Version 2 gave the first sort keys; a file older
    than that gets its keys here once, not twice."""
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        return None
    from store.members.search_keys import search_keys, sort_key

    keys, order = search_keys(name), sort_key(name)
    if doc.get("search_keys") == keys and doc.get("sort_key") == order:
        return None
    return {**doc, "search_keys": keys, "sort_key": order}


upgrade_records(3, "members", _keys)


def _key_problem(doc: Mapping[str, Any]) -> str | None:
    """``shequ check``'s test of a member's stored keys (store/members/rekey.py, imported when
    a check runs: the start of the app never needs it)."""
    from store.members.rekey import key_problem

    return key_problem(doc)


check_records("members", _key_problem)
