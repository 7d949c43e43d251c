"""Teams, zones and templates whose stored pinyin keys are missing or not their name's.

The store writes a team's, a zone's or a template's ``search_keys`` and ``sort_key`` with its
name (store/named.py ``keyed``), so only a file written by hand, by another program or before
templates and sort keys were stored holds one without them, or with the keys of the name it had
before a hand edit. Lists work out such a record's order every time they read it
(store/named.py ``name_order``), so the order is right anyway; ``shequ check`` names each one
(:func:`key_problem`), and ``shequ patrols rekey`` stores their keys (:func:`rekey`) so readers
stop computing them and pypinyin stays off their path: what ``check`` reports is exactly what
``rekey`` changes, and a second ``rekey`` changes nothing (as store/members/rekey.py for members).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.i18n import _, ngettext
from store.named import ORDERED, keyed
from store.permissions import Action, require
from store.textsafe import clean_line

TABLES = tuple(sorted(ORDERED))
REPAIR = "shequ patrols rekey"
"""The command that stores the keys, named by ``shequ check``."""


def fresh_keys(doc: Mapping[str, Any], table: str) -> dict[str, Any] | None:
    """The keys a save would store for ``doc``'s name, or None when those stored are they
    (or the record has no name to spell: an unnamed template)."""
    name = doc.get("name")
    if not isinstance(name, str) or not clean_line(name):
        return None
    new = keyed({"name": clean_line(name)}, table)
    keys = {key: new[key] for key in ("search_keys", "sort_key")}
    return None if all(doc.get(key) == value for key, value in keys.items()) else keys


def key_problem(doc: Mapping[str, Any], table: str) -> str | None:
    """What ``shequ check`` says of a record whose stored keys are not its name's, or None."""
    if fresh_keys(doc, table) is None:
        return None
    name = clean_line(str(doc.get("name", "")))
    stored = doc.get("search_keys")
    if not (isinstance(stored, list) and stored) or not doc.get("sort_key"):
        return _(
            "“{name}” has no pinyin keys stored (its place in lists is worked out at every "
            "read); run “{command}” to store them."
        ).format(name=name, command=REPAIR)
    return _(
        "the pinyin keys stored for “{name}” are not those of the name (edited by hand?); "
        "run “{command}” to store them again."
    ).format(name=name, command=REPAIR)


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What :func:`rekey` did: how many records had their keys stored, of how many."""

    stored: int
    records: int

    def summary(self) -> str:
        """The one line the command prints."""
        if not self.stored:
            return ngettext(
                "The pinyin keys of the {count} team, zone or template were in place; "
                "nothing changed.",
                "The pinyin keys of all {count} teams, zones and templates were in place; "
                "nothing changed.",
                self.records,
            ).format(count=self.records)
        return ngettext(
            "Stored the pinyin keys of {stored} team, zone or template of {count}.",
            "Stored the pinyin keys of {stored} teams, zones and templates of {count}.",
            self.stored,
        ).format(stored=self.stored, count=self.records)


def rekey(db: Database, actor: Actor) -> Rekeyed:
    """Store the keys of every team, zone and template whose stored keys are missing or not its
    name's, in one transaction (the lock, each record's version check, a line in the change
    log for each one changed), as an edit would. Nothing changed, nothing is written. Records
    without a valid id or version are left for ``shequ check`` to report."""
    require(actor, Action.EDIT_SCHEDULE)
    stored = records = 0
    with db.transaction(actor) as tx:
        for table in TABLES:
            seen: set[str] = set()
            docs = tx.all(table)
            records += len(docs)
            for doc in docs:
                record_id, version = doc.get("id"), doc.get("version")
                if not isinstance(record_id, str) or record_id in seen:
                    continue
                seen.add(record_id)
                if not isinstance(version, int) or isinstance(version, bool):
                    continue
                keys = fresh_keys(doc, table)
                if keys is not None:
                    tx.update(table, record_id, keys, version)
                    stored += 1
    return Rekeyed(stored, records)
