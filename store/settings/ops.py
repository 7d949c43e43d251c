"""The one settings record: community name, study-hour targets, contact and lock timings.

There is at most one record; until an admin first saves, :func:`current` gives the defaults,
so nothing has to be set up before the app is useful.
"""

from __future__ import annotations

from collections.abc import Mapping

from store.actor import Actor
from store.engine.database import Database, Snapshot
from store.errors import Conflict
from store.i18n import _
from store.permissions import Action, require
from store.settings.early import TABLE
from store.settings.model import Settings
from store.settings.validation import validate_settings

_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


def current(snapshot: Snapshot) -> Settings:
    """The stored settings, or the defaults (``version`` 0) when none were saved yet."""
    docs = snapshot.all(TABLE)
    return Settings.from_doc(docs[0]) if docs else Settings()


def update(
    db: Database, actor: Actor, raw: Mapping[str, object], expected_version: int
) -> Settings:
    """Save the settings form (admins only) over the version the admin started from.

    ``raw`` may hold only some fields: the others keep their stored values. The first save
    inserts the record (``expected_version`` 0); if another admin saved first, Conflict.
    """
    require(actor, Action.EDIT_SETTINGS)
    with db.transaction(actor) as tx:
        docs = tx.all(TABLE)
        stored = docs[0] if docs else None
        base = {k: v for k, v in (stored or {}).items() if k not in _BOOKKEEPING}
        doc = validate_settings(base | dict(raw))
        if stored is None:
            if expected_version != 0:
                raise Conflict(
                    _("Someone else saved this record while you were editing it."),
                    TABLE,
                    "",
                    {},
                )
            return Settings.from_doc(tx.insert(TABLE, doc))
        return Settings.from_doc(tx.update(TABLE, stored["id"], doc, expected_version))
