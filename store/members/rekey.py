"""Members whose stored pinyin keys are missing or are not their name's: found and repaired.

The store writes a member's ``search_keys`` and ``sort_key`` with its name (validation, the
version 3 upgrade), so only a file written by hand or by another program holds a member
without them, or with the keys of the name it had before a hand edit. Readers compute such a
member's keys every time they read it (store/members/search_keys.py ``name_keys``), so search
and sort are right anyway; ``shequ check`` names each one (:func:`key_problem`), and
``shequ members rekey`` stores their keys (:func:`rekey`) so readers stop computing them and
pypinyin stays off their path.

Both compare the stored keys with those a save computes now, whole, as the upgrade step does
(store/members/__init__.py): what ``check`` reports is exactly what ``rekey`` changes, and a
second ``rekey`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.i18n import _, ngettext
from store.permissions import Action, require
from store.textsafe import clean_line

TABLE = "members"
REPAIR = "shequ members rekey"
"""The command that stores the keys, named by ``shequ check``."""


def fresh_keys(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The keys a save would store for ``doc``'s name, or None when those stored are they
    (or the record has no name to spell)."""
    name = doc.get("name")
    if not isinstance(name, str) or not clean_line(name):
        return None
    from store.members.search_keys import search_keys, sort_key

    name = clean_line(name)
    keys, order = search_keys(name), sort_key(name)
    if not keys or (doc.get("search_keys") == keys and doc.get("sort_key") == order):
        return None
    return {"search_keys": keys, "sort_key": order}


def key_problem(doc: Mapping[str, Any]) -> str | None:
    """What ``shequ check`` says of a member whose stored keys are not its name's, or None."""
    if fresh_keys(doc) is None:
        return None
    name = clean_line(str(doc.get("name", "")))
    stored = doc.get("search_keys")
    if not (isinstance(stored, list) and stored) or not doc.get("sort_key"):
        return _(
            "{name} has no pinyin search keys stored (they are worked out at every read); "
            "run “{command}” to store them."
        ).format(name=name, command=REPAIR)
    return _(
        "the pinyin search keys stored for {name} are not those of the name (edited by "
        "hand?); run “{command}” to store them again."
    ).format(name=name, command=REPAIR)


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What :func:`rekey` did: how many members had their keys stored, of how many."""

    stored: int
    members: int

    def summary(self) -> str:
        """The one line the command prints."""
        if not self.stored:
            return ngettext(
                "The pinyin keys of the {count} member were all in place; nothing changed.",
                "The pinyin keys of all {count} members were in place; nothing changed.",
                self.members,
            ).format(count=self.members)
        return ngettext(
            "Stored the pinyin keys of {stored} member of {count}.",
            "Stored the pinyin keys of {stored} members of {count}.",
            self.stored,
        ).format(stored=self.stored, count=self.members)


def rekey(db: Database, actor: Actor) -> Rekeyed:
    """Store the keys of every member whose stored keys are missing or not its name's.

    One transaction (the lock, the version check of each member, a line in the change log for
    each member changed, the day's backup before the first write of the day), as an edit
    would: other sessions follow the changes record by record. Nothing changed, nothing is
    written. Records without a valid id or version are left for ``shequ check`` to report.
    """
    require(actor, Action.EDIT_MEMBERS)
    stored = 0
    with db.transaction(actor) as tx:
        docs = tx.all(TABLE)
        seen: set[str] = set()
        for doc in docs:
            member_id, version = doc.get("id"), doc.get("version")
            if not isinstance(member_id, str) or member_id in seen:
                continue
            seen.add(member_id)
            if not isinstance(version, int) or isinstance(version, bool):
                continue
            keys = fresh_keys(doc)
            if keys is not None:
                tx.update(TABLE, member_id, keys, version)
                stored += 1
    return Rekeyed(stored, len(docs))
