"""Planning the patrol schedule: teams, zones and shifts (coordinators and admins).

Every write is one locked transaction (store/engine/database.py) and so one entry in the
change log; role rules are checked here, whatever the screen or command. Teams and zones are
archived, never deleted: old shifts still name them. A shift is cancelled, not deleted, so a
template never makes it again and its history stays. Putting people on shifts is in
store/patrols/assign.py, swaps in swaps.py, templates in templates.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.actor import Actor
from store.engine.database import Database, Transaction
from store.errors import ValidationError
from store.i18n import _
from store.patrols import leaders
from store.patrols.reads import SHIFTS, TEAMS, ZONES
from store.patrols.validation import validate_shift, validate_team, validate_zone
from store.permissions import Action, require

_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


def merged(current: Mapping[str, Any], edits: Mapping[str, object]) -> dict[str, object]:
    """The stored record with ``edits`` over it, without the database's own fields."""
    return {k: v for k, v in current.items() if k not in _BOOKKEEPING} | dict(edits)


def check_refs(tx: Transaction, doc: Mapping[str, Any]) -> None:
    """Refuse a zone, team, leader or member that is not in the file (ValidationError)."""
    errors: dict[str, str] = {}
    for key, table, message in (
        ("zone_id", ZONES, _("There is no such zone.")),
        ("team_id", TEAMS, _("There is no such team.")),
        ("leader_id", "members", _("There is no such member.")),
    ):
        value = doc.get(key)
        if value and tx.find(table, str(value)) is None:
            errors[key] = message
    for key in ("member_ids",):
        for i, value in enumerate(doc.get(key) or []):
            if tx.find("members", str(value)) is None:
                errors[f"{key}.{i}"] = _("There is no such member.")
    if errors:
        raise ValidationError(errors)


# -- teams and zones --------------------------------------------------------------------------


def add_team(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """A new patrol team (name, leader, members)."""
    require(actor, Action.EDIT_SCHEDULE)
    doc = validate_team(raw)
    with db.transaction(actor) as tx:
        check_refs(tx, doc)
        return tx.insert(TEAMS, doc)


def update_team(
    db: Database, actor: Actor, team_id: str, edits: Mapping[str, object], expected_version: int
) -> dict[str, Any]:
    """Change a team (archive it with ``{"archived": True}``); Conflict if saved meanwhile."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        doc = validate_team(merged(tx.get(TEAMS, team_id), edits))
        check_refs(tx, doc)
        return tx.update(TEAMS, team_id, doc, expected_version)


def add_zone(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """A new zone or route."""
    require(actor, Action.EDIT_SCHEDULE)
    doc = validate_zone(raw)
    with db.transaction(actor) as tx:
        return tx.insert(ZONES, doc)


def update_zone(
    db: Database, actor: Actor, zone_id: str, edits: Mapping[str, object], expected_version: int
) -> dict[str, Any]:
    """Change a zone (archive it with ``{"archived": True}``)."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        doc = validate_zone(merged(tx.get(ZONES, zone_id), edits))
        return tx.update(ZONES, zone_id, doc, expected_version)


# -- shifts -----------------------------------------------------------------------------------


def add_shift(
    db: Database, actor: Actor, raw: Mapping[str, object], *, leader_override: str = ""
) -> dict[str, Any]:
    """A new shift (no one on it yet: people are put on with :func:`store.patrols.assign.assign`,
    where the rules are checked). A leader without the certificate the settings require raises
    RuleBroken unless ``leader_override`` gives the reason (store/patrols/leaders.py)."""
    require(actor, Action.EDIT_SCHEDULE)
    doc = validate_shift({**raw, "assignments": []}, today=db.today())
    with db.transaction(actor) as tx:
        check_refs(tx, doc)
        leaders.leader_override(tx, doc, None, leader_override)
        return tx.insert(SHIFTS, doc)


# What the shift form may change; who is on it changes only through assign, check-in and swaps.
SHIFT_FIELDS = (
    "date",
    "start",
    "end",
    "zone_id",
    "team_id",
    "min_people",
    "max_people",
    "leader_id",
    "note",
    "incident",
)


def update_shift(
    db: Database,
    actor: Actor,
    shift_id: str,
    edits: Mapping[str, object],
    expected_version: int,
    *,
    leader_override: str = "",
) -> dict[str, Any]:
    """Change a shift's date, times, place, staffing, leader, note or incident report.

    A maximum below the people already on it is refused (take someone off first). A new leader
    (or a new date for the leader) without the certificate the settings require raises
    RuleBroken unless ``leader_override`` gives the reason (store/patrols/leaders.py).
    """
    require(actor, Action.EDIT_SCHEDULE)
    unknown = set(edits) - set(SHIFT_FIELDS)
    if unknown:
        raise ValueError(f"not shift form fields: {sorted(unknown)}")
    with db.transaction(actor) as tx:
        before = tx.get(SHIFTS, shift_id)
        doc = validate_shift(merged(before, edits), today=db.today())
        check_refs(tx, doc)
        leaders.leader_override(tx, doc, before, leader_override)
        return tx.update(SHIFTS, shift_id, doc, expected_version)


def cancel_shift(
    db: Database, actor: Actor, shift_id: str, expected_version: int, *, cancelled: bool = True
) -> dict[str, Any]:
    """Cancel a shift (Del, after asking) or bring a cancelled one back."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        return tx.update(SHIFTS, shift_id, {"cancelled": cancelled}, expected_version)
