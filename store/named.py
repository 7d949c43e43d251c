"""Search keys for what the command palette finds besides members: teams, zones, sessions.

A team, a zone or a training session is found by typing its name in Chinese, its pinyin
initials or its full pinyin, as a member is (tui/jump.py). Their keys are computed with the same
function as members' (:func:`store.members.search_keys.search_keys`) **when the record is
written** and stored in its ``search_keys``, for the same reason: reading must not need
pypinyin. Computing them when the palette opens was measured and rejected: the tables are small
(a few ms for 300 names), but importing pypinyin and its reading table costs a session about
12 MiB for as long as it runs, a fifth of what a session may hold (docs/READ_MODEL.md), in
every session that ever presses Ctrl+P.

The validators (store/patrols/validation.py, store/training/validation.py) and the demo call
:func:`keyed`; an update merges its fields into the stored record, so keys written with the name
stay until the name is written again. Files written before version 3 get their keys from the
version 3 upgrade registered here (store/__init__.py imports this module for that).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.engine.migrations import RecordStep, upgrade_records

NAMED: dict[str, str] = {"teams": "name", "zones": "name", "trainings": "title"}
"""The tables whose records are found by name, and the field that holds it."""


def keyed(doc: Mapping[str, Any], table: str) -> dict[str, Any]:
    """``doc`` with the search keys of its name (the field :data:`NAMED` says)."""
    from store.members.search_keys import search_keys

    name = doc.get(NAMED[table])
    return {**doc, "search_keys": search_keys(name) if isinstance(name, str) else []}


def _upgrade(table: str) -> RecordStep:
    def step(doc: Mapping[str, Any]) -> dict[str, Any] | None:
        new = keyed(doc, table)
        return None if new.get("search_keys") == doc.get("search_keys") else new

    return step


for _table in NAMED:
    upgrade_records(3, _table, _upgrade(_table))
