"""Planned changes: what a preview promised, applied only to the data it was planned against.

An import is planned from one snapshot and applied later, once the person has read the preview;
meanwhile other sessions save, archive, delete, restore. Writing the preview's copy of a record
back would undo all of that, so a plan holds changes, not snapshots, and this is the one rule
for applying them (the member import uses it; the patrol and training imports will):

- An update names the record, the version it was planned against and only the fields the file
  sets. Applying re-reads the record inside the transaction and writes those fields only if
  the version is unchanged. A record changed, archived, deleted or restored since (a restore
  raises every version, store/engine/meta.py) is left alone and reported as stale.
- An addition carries its match keys. If a record with one of them appeared meanwhile (another
  session added the same person), it is left alone and reported: reading the file again makes
  the row an update of that record, seen in a new preview.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from store.engine.transaction import Transaction
from store.errors import Stopped
from store.i18n import _

Keys = Callable[[Mapping[str, Any]], Iterable[tuple[str, ...]]]
"""What makes two records of a table the same thing (store.members.ops.match_keys for members)."""


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One record to add (``record_id`` None) or update at ``expected_version``."""

    table: str
    fields: Mapping[str, Any]
    record_id: str | None = None
    expected_version: int = 0


@dataclass(slots=True)
class Applied:
    """What applying did: the records written, and the positions of the stale changes."""

    added: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)


def apply_planned(
    tx: Transaction,
    changes: Sequence[PlannedChange],
    keys: Keys | None = None,
    stop: Callable[[], bool] | None = None,
) -> Applied:
    """Apply ``changes`` inside ``tx``, leaving every stale one alone (see the module doc).

    ``keys`` gives the match keys of a record; without it an addition is never stale. The
    additions of one table go in with one insert, after the updates. ``stop`` is asked between
    changes: when it says so, :class:`~store.errors.Stopped` leaves the transaction before its
    commit, so a long import the person gave up on writes nothing at all.
    """
    done = Applied()
    additions: dict[str, list[tuple[int, PlannedChange]]] = {}
    for position, change in enumerate(changes):
        if stop is not None and stop():
            raise Stopped(_("Stopped: nothing was imported."))
        if change.record_id is None:
            additions.setdefault(change.table, []).append((position, change))
            continue
        current = tx.find(change.table, change.record_id)
        if current is None or current.get("version") != change.expected_version:
            done.stale.append(position)
            continue
        done.updated.append(
            tx.update(change.table, change.record_id, change.fields, change.expected_version)
        )
    for table, planned in additions.items():
        if stop is not None and stop():
            raise Stopped(_("Stopped: nothing was imported."))
        taken = {key for doc in tx.all(table) for key in keys(doc)} if keys else set()
        new: list[Mapping[str, Any]] = []
        for position, change in planned:
            own = set(keys(change.fields)) if keys else set()
            if own & taken:
                done.stale.append(position)
                continue
            taken |= own
            new.append(change.fields)
        if new:
            done.added += tx.insert_many(table, new)
    done.stale.sort()
    return done
