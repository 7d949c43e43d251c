"""Recording training: sessions, attendance (a whole checklist at once), make-ups and
certificates, each inside one locked transaction with its change-log lines.

Coordinators and admins record (``Action.EDIT_TRAINING``); the store refuses anyone else. A
session, a make-up or an attendance mark dated in a closed year is refused by validation. A
mark for a member outside the session's audience is refused with :class:`OutsideAudience`
(naming them) unless the caller passes ``allow_outside=True`` after asking the person; for a
"list" audience, marking someone adds them to the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.actor import Actor
from store.engine.database import Database, Transaction
from store.enums import AttendanceStatus, Audience, coerce
from store.errors import StoreError, ValidationError
from store.i18n import _, join_list
from store.permissions import Action, require
from store.settings.model import Settings
from store.training.model import TrainingSession
from store.training.sessions import TABLE, in_audience
from store.training.validation import validate_certificate, validate_training

CERTIFICATES = "certificates"
_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


class OutsideAudience(StoreError):
    """Attendance for members the session was not for; nothing was written.

    ``names`` are theirs, to ask "record them anyway?" and retry with ``allow_outside``.
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            _("Not in this session's audience: {names}. Record them anyway?").format(
                names=join_list(names)
            )
        )
        self.names = names


def _settings(tx: Transaction) -> Settings:
    docs = tx.all("settings")
    return Settings.from_doc(docs[0]) if docs else Settings()


def _fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _BOOKKEEPING}


def _check_members(
    tx: Transaction, session: Mapping[str, Any], member_ids: list[str], allow_outside: bool
) -> list[str]:
    """Refuse unknown members; refuse (or, allowed, return) those outside the audience."""
    parsed = TrainingSession.from_doc(session)
    outside: list[str] = []
    names: list[str] = []
    for index, member_id in enumerate(member_ids):
        member = tx.find("members", member_id)
        if member is None:
            raise ValidationError({f"attendance.{index}.member_id": _("There is no such member.")})
        if parsed.audience is not Audience.LIST and not in_audience(parsed, member):
            outside.append(member_id)
            names.append(str(member.get("name") or member_id))
    if outside and not allow_outside:
        raise OutsideAudience(names)
    return outside


def add_session(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """Record a new session (its attendance may come later, from the checklist)."""
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        doc = validate_training(
            {**raw, "attendance": []}, today=db.today(), closed_year=_settings(tx).closed_year
        )
        return tx.insert(TABLE, doc)


def update_session(
    db: Database,
    actor: Actor,
    session_id: str,
    edits: Mapping[str, object],
    expected_version: int,
) -> dict[str, Any]:
    """Change a session's details over the version the person opened.

    Present members credited the old session's hours are credited the new ones; anyone
    credited fewer (left early) or a make-up keeps theirs, at most the new session's hours.
    """
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        current = tx.get(TABLE, session_id)
        closed = _settings(tx).closed_year
        merged = _fields(current) | {k: v for k, v in edits.items() if k != "attendance"}
        probe = validate_training(
            {**merged, "attendance": []}, today=db.today(), closed_year=closed
        )
        old_hours, new_hours = float(current.get("hours") or 0), float(probe["hours"])
        merged["attendance"] = [
            _rehour(row, old_hours, new_hours) for row in current.get("attendance") or []
        ]
        doc = validate_training(merged, today=db.today(), closed_year=closed)
        return tx.update(TABLE, session_id, doc, expected_version)


def _rehour(row: Mapping[str, Any], old: float, new: float) -> dict[str, Any]:
    row = dict(row)
    hours = row.get("hours")
    if row.get("status") in ("present", "make_up") and isinstance(hours, int | float):
        row["hours"] = new if row.get("status") == "present" and hours == old else min(hours, new)
    return row


def delete_session(db: Database, actor: Actor, session_id: str, expected_version: int) -> None:
    """Remove a session recorded by mistake, with its attendance (the change log keeps it)."""
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        tx.delete(TABLE, session_id, expected_version)


def record_attendance(
    db: Database,
    actor: Actor,
    session_id: str,
    marks: Mapping[str, AttendanceStatus | str | None],
    expected_version: int,
    *,
    allow_outside: bool = False,
) -> dict[str, Any]:
    """Save a checklist: ``marks`` maps members to present, absent or excused (None: unmark).

    Members not in ``marks`` keep their rows; a make-up row is replaced only by a new mark for
    that member. Present members are credited the session's hours.
    """
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        current = tx.get(TABLE, session_id)
        hours = float(current.get("hours") or 0)
        rows = {str(r.get("member_id")): dict(r) for r in current.get("attendance") or []}
        new_ids = [m for m, s in marks.items() if s is not None and m not in rows]
        _check_members(tx, current, new_ids, allow_outside)
        for member_id, mark in marks.items():
            status = coerce(AttendanceStatus, mark) if mark is not None else None
            if mark is not None and status is None:
                raise ValidationError({"status": _("Unknown attendance mark.")})
            if status is None:
                rows.pop(member_id, None)
            elif status is AttendanceStatus.MAKE_UP:
                raise ValidationError({"status": _("Record a make-up with its date and hours.")})
            else:
                credited = hours if status is AttendanceStatus.PRESENT else 0.0
                rows[member_id] = {
                    "member_id": member_id,
                    "status": status.value,
                    "hours": credited,
                }
        return _save_rows(db, tx, session_id, current, rows, expected_version)


def record_makeup(
    db: Database,
    actor: Actor,
    session_id: str,
    member_id: str,
    raw: Mapping[str, object],
    expected_version: int,
    *,
    allow_outside: bool = False,
) -> dict[str, Any]:
    """Record that ``member_id`` made the session up: ``raw`` has its ``date`` and ``hours``
    (the session's hours if blank). Replaces whatever mark the member had."""
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        current = tx.get(TABLE, session_id)
        rows = {str(r.get("member_id")): dict(r) for r in current.get("attendance") or []}
        if member_id not in rows:
            _check_members(tx, current, [member_id], allow_outside)
        hours = raw.get("hours")
        row: dict[str, Any] = {"member_id": member_id, "status": "make_up", "date": raw.get("date")}
        if hours is not None and not (isinstance(hours, str) and not hours.strip()):
            row["hours"] = hours
        rows[member_id] = row
        try:
            return _save_rows(
                db, tx, session_id, current, rows, expected_version, session_year_ok=True
            )
        except ValidationError as error:  # the row's own fields, without the row's position
            raise ValidationError(
                {key.rpartition(".")[2]: message for key, message in error.errors.items()}
            ) from None


def _save_rows(
    db: Database,
    tx: Transaction,
    session_id: str,
    current: Mapping[str, Any],
    rows: Mapping[str, Mapping[str, Any]],
    expected_version: int,
    *,
    session_year_ok: bool = False,
) -> dict[str, Any]:
    fields = _fields(current)
    fields["attendance"] = list(rows.values())
    if current.get("audience") == Audience.LIST.value:
        listed = [str(i) for i in current.get("audience_ids") or []]
        fields["audience_ids"] = list(dict.fromkeys([*listed, *rows]))
    doc = validate_training(
        fields,
        today=db.today(),
        closed_year=_settings(tx).closed_year,
        session_year_ok=session_year_ok,
    )
    return tx.update(TABLE, session_id, doc, expected_version)


# -- certificates ----------------------------------------------------------------------------


def add_certificate(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """Record a member's certificate."""
    require(actor, Action.EDIT_TRAINING)
    doc = validate_certificate(raw, today=db.today())
    with db.transaction(actor) as tx:
        if tx.find("members", doc["member_id"]) is None:
            raise ValidationError({"member_id": _("There is no such member.")})
        return tx.insert(CERTIFICATES, doc)


def update_certificate(
    db: Database,
    actor: Actor,
    certificate_id: str,
    edits: Mapping[str, object],
    expected_version: int,
) -> dict[str, Any]:
    """Change a certificate (a renewal: new issue and expiry dates) over the version opened."""
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        current = tx.get(CERTIFICATES, certificate_id)
        doc = validate_certificate(_fields(current) | dict(edits), today=db.today())
        return tx.update(CERTIFICATES, certificate_id, doc, expected_version)


def delete_certificate(
    db: Database, actor: Actor, certificate_id: str, expected_version: int
) -> None:
    """Remove a certificate recorded by mistake."""
    require(actor, Action.EDIT_TRAINING)
    with db.transaction(actor) as tx:
        tx.delete(CERTIFICATES, certificate_id, expected_version)
