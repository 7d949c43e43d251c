"""What belongs to a member: counted for the delete dialog, removed with the member.

Records elsewhere point at a member by id (store/check.py checks every such reference). When a
member is deleted for good, in the same transaction: their contacts and certificates are
theirs alone and go; their places on patrol shifts and their lines in training attendance go,
while the shifts and sessions stay for everyone else; shifts lose them as leader and as the
other side of a swap, sessions as one of their audience, teams as leader or member; an
account linked to them stays (it is a person who logs in), unlinked. Nothing is left pointing
at nobody, so ``shequ check`` stays clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from store.engine.transaction import Snapshot, Transaction
from store.i18n import ngettext

# The tables holding references to members, in the order they are cleared.
TABLES = ("contacts", "certificates", "shifts", "trainings", "teams", "users")
_ITEMS = {"shifts": "assignments", "trainings": "attendance"}
_OWN = ("contacts", "certificates")  # records that are the member's alone

Effect = tuple[str, dict[str, Any], int]  # "delete" or "update", the changed fields, how many


@dataclass(frozen=True, slots=True)
class Belongings:
    """How many of each kind of thing a member's deletion touches."""

    counts: dict[str, int] = field(default_factory=dict)

    def count(self, table: str) -> int:
        """How many records (or places in them) of ``table``."""
        return self.counts.get(table, 0)

    def removed(self) -> list[str]:
        """What goes, one phrase each ("12 contacts"), for the dialog; empty kinds left out."""
        phrases: list[tuple[str, Callable[[int], str]]] = [
            ("contacts", lambda n: ngettext("{count} contact", "{count} contacts", n)),
            ("certificates", lambda n: ngettext("{count} certificate", "{count} certificates", n)),
            ("shifts", lambda n: ngettext("{count} shift place", "{count} shift places", n)),
            (
                "trainings",
                lambda n: ngettext("{count} training record", "{count} training records", n),
            ),
            (
                "teams",
                lambda n: ngettext("{count} team membership", "{count} team memberships", n),
            ),
        ]
        return [
            phrase(self.count(table)).format(count=self.count(table))
            for table, phrase in phrases
            if self.count(table)
        ]

    @property
    def accounts(self) -> int:
        """Accounts linked to the member: they stay, unlinked."""
        return self.count("users")


def _effect(table: str, doc: Mapping[str, Any], member_id: str) -> Effect | None:
    """What deleting ``member_id`` does to ``doc`` of ``table`` (None: nothing)."""
    if table in _OWN:
        return ("delete", {}, 1) if doc.get("member_id") == member_id else None
    if table in _ITEMS:
        key = _ITEMS[table]
        items = doc.get(key)
        found: dict[str, Any] = {}
        gone = 0
        if isinstance(items, list):
            kept = [
                _detached(i, member_id)
                for i in items
                if not (isinstance(i, Mapping) and i.get("member_id") == member_id)
            ]
            gone = len(items) - len(kept)
            if gone or kept != items:
                found[key] = kept
        if table == "shifts" and doc.get("leader_id") == member_id:
            found["leader_id"] = ""
        audience = doc.get("audience_ids") if table == "trainings" else None
        if isinstance(audience, list) and member_id in audience:
            found["audience_ids"] = [i for i in audience if i != member_id]
        return ("update", found, gone) if found else None
    if table == "teams":
        changes: dict[str, Any] = {}
        if doc.get("leader_id") == member_id:
            changes["leader_id"] = ""
        ids = doc.get("member_ids")
        if isinstance(ids, list) and member_id in ids:
            changes["member_ids"] = [i for i in ids if i != member_id]
        return ("update", changes, 1) if changes else None
    if table == "users" and doc.get("member_id") == member_id:
        return ("update", {"member_id": ""}, 1)
    return None


# Who else a shift's place may name besides its member: who offered to take it (a swap waiting
# for approval) and whom it was taken over from.
_PLACE_REFS = ("taker_id", "swapped_from")


def _detached(item: Any, member_id: str) -> Any:
    """``item`` (a place on a shift, an attendance row) without the member in its other refs."""
    if not isinstance(item, Mapping) or not any(item.get(k) == member_id for k in _PLACE_REFS):
        return item
    return {k: v for k, v in item.items() if not (k in _PLACE_REFS and v == member_id)}


def _effects(
    docs: Callable[[str], Iterable[Mapping[str, Any]]], member_id: str
) -> Iterable[tuple[str, Mapping[str, Any], Effect]]:
    for table in TABLES:
        for doc in docs(table):
            effect = _effect(table, doc, member_id)
            if effect is not None:
                yield table, doc, effect


def belongings(snapshot: Snapshot, member_id: str) -> Belongings:
    """What deleting the member would take with them, as the file is now (for the dialog)."""
    counts: dict[str, int] = {}
    for table, _doc, (_op, _changes, count) in _effects(snapshot.all, member_id):
        counts[table] = counts.get(table, 0) + count
    return Belongings(counts)


def remove_belongings(tx: Transaction, member_id: str) -> Belongings:
    """Inside the deleting transaction: delete or detach everything pointing at the member.

    Each record is changed at the version this transaction read, so the change log holds one
    line per record touched, and a form open on a shift or session meets a conflict.
    """
    counts: dict[str, int] = {}
    for table, doc, (op, changes, count) in list(_effects(tx.all, member_id)):
        if op == "delete":
            tx.delete(table, str(doc["id"]), int(doc["version"]))
        else:
            tx.update(table, str(doc["id"]), changes, int(doc["version"]))
        counts[table] = counts.get(table, 0) + count
    return Belongings(counts)
