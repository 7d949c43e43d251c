"""The rule for a shift's leader: the certificate the settings require of patrol leaders.

The settings name a certificate kind for the duty ``patrol_leader`` (a first-aid certificate
by default; store/training/certificates.py). Making a member a shift's leader who holds no such
certificate valid on the shift's date is a rule broken like a clash: refused by default, and a
coordinator may go ahead with a typed reason, kept on the shift (``leader_override``) and so in
the change log. The rule is checked inside the saving transaction, on the certificates and
settings as stored then, and only when the leader or the date changes: editing a shift's note
does not ask again about a leader already accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.engine.database import Snapshot, Transaction
from store.errors import ValidationError
from store.i18n import _
from store.patrols.rules import Problem
from store.patrols.validation import OVERRIDE_MAX
from store.textsafe import clean_line

DUTY = "patrol_leader"
CODE = "certificate"


def leader_problem(
    tx: Transaction, doc: Mapping[str, Any], before: Mapping[str, Any] | None
) -> Problem | None:
    """What is wrong with ``doc``'s leader (None: nothing, or nothing changed since ``before``)."""
    from store.training.certificates import missing_for

    leader = doc.get("leader_id")
    if not isinstance(leader, str) or not leader:
        return None
    if before is not None and (before.get("leader_id"), before.get("date")) == (
        leader,
        doc.get("date"),
    ):
        return None
    day = dt.date.fromisoformat(str(doc["date"]))
    # The two tables the rule reads, as this transaction sees them (under the lock).
    view = Snapshot.from_data(
        {t: {str(i): d for i, d in enumerate(tx.all(t), 1)} for t in ("certificates", "settings")}
    )
    missing = missing_for(view, leader, DUTY, day)
    return Problem(CODE, missing.message) if missing is not None else None


def leader_override(
    tx: Transaction, doc: dict[str, Any], before: Mapping[str, Any] | None, reason: str
) -> None:
    """Check ``doc``'s leader and keep the reason given, or raise RuleBroken.

    ``doc`` is the validated shift about to be saved; its ``leader_override`` is set to the
    reason when the rule is broken, to "" when the leader changed and breaks nothing, and left
    as it was otherwise.
    """
    from store.patrols.assign import RuleBroken

    reason = clean_line(reason).strip()
    if len(reason) > OVERRIDE_MAX:
        raise ValidationError(
            {"leader_override": _("At most {count} characters, please.").format(count=OVERRIDE_MAX)}
        )
    problem = leader_problem(tx, doc, before)
    if problem is not None and not reason:
        raise RuleBroken([problem])
    changed = before is None or (before.get("leader_id"), before.get("date")) != (
        doc.get("leader_id"),
        doc.get("date"),
    )
    if problem is not None:
        doc["leader_override"] = reason
    elif changed:
        doc["leader_override"] = ""
