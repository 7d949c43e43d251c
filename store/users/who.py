"""Who last changed a record, by the name people know them by.

A form being edited while another session saves the same record says "changed by 王芳
meanwhile" (issue 12): the record itself does not say who saved it, the change log does. Only
the log's tail is read (:func:`store.engine.audit.last_change`), and the user name it holds is
turned into the account's display name; a command-line change reads ``os:alice``.
"""

from __future__ import annotations

from store.engine import audit
from store.engine.database import Database
from store.engine.transaction import Snapshot
from store.textsafe import clean_line
from store.users.ops import find


def who_changed(db: Database, snapshot: Snapshot, table: str, record_id: str) -> str:
    """The display name (else the user name) of whoever last changed the record; "" if the
    log's tail does not say."""
    entry = audit.last_change(db.audit_path, table, record_id, snapshot.meta.get("last_tx"))
    who = str(entry.get("who") or "") if entry else ""
    if not who:
        return ""
    user = find(snapshot, who)
    return clean_line(user.display_name if user is not None and user.display_name else who)
