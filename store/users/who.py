"""Who last changed a record, by the name people know them by.

A form being edited while another session saves the same record says "changed by 王芳
meanwhile" (issue 12), and the conflict question says who saved. Every record names the login
of whoever saved it last (``updated_by``, set by the engine); a record saved before that field
existed is looked up in the log's tail (:func:`store.engine.audit_tail.last_change`). The user
name is turned into the account's display name; a command-line change reads ``os:alice``.
"""

from __future__ import annotations

from store.engine import audit_tail
from store.engine.database import Database
from store.engine.transaction import Snapshot
from store.textsafe import clean_line
from store.users.ops import find


def who_changed(db: Database, snapshot: Snapshot, table: str, record_id: str) -> str:
    """The display name (else the user name) of whoever last changed the record; "" if
    neither the record nor the log's tail says."""
    doc = snapshot.get(table, record_id)
    who = str(doc.get("updated_by") or "") if doc is not None else ""
    if not who:
        entry = audit_tail.last_change(
            db.audit_path, table, record_id, snapshot.meta.get("last_tx")
        )
        who = str(entry.get("who") or "") if entry else ""
    return known_as(snapshot, who) if who else ""


def known_as(snapshot: Snapshot, username: str) -> str:
    """The display name of the account ``username``, else the user name itself."""
    user = find(snapshot, username)
    return clean_line(user.display_name if user is not None and user.display_name else username)
