"""The member roster: the member model, its validation, its operations (add, update, archive,
restore, delete for good, duplicates, search), pinyin search keys, and spreadsheet import/export.

- model: :class:`Member`, ``age``, ``format_address``, ``field_label``
- validation: ``validate_member``, ``split_address``
- ops: what a screen or the CLI does to members, in a transaction
- search_keys: pinyin keys computed when a name is written
- importing / exporting: CSV and XLSX in and out
- summary: the compact read model (one small record per member) the screens list and search

Importing this package registers the members' part of the version 2 upgrade (the sort keys);
``store/__init__.py`` imports it for that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.engine.migrations import upgrade_records


def _sort_keys(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The version 2 upgrade of a member: the roster's sort key and the search keys, surname
    reading first (store/members/search_keys.py), computed as when the name is written."""
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        return None
    from store.members.search_keys import search_keys, sort_key

    return {**doc, "search_keys": search_keys(name), "sort_key": sort_key(name)}


upgrade_records(2, "members", _sort_keys)
