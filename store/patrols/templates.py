"""Weekly templates and the shifts they generate (coordinators and admins).

Generating is idempotent: a date that already has a shift from the template (even a
cancelled one) gets no second one. A template that would make more shifts than the setting
``patrol_template_max_shifts`` refuses with :class:`TooManyShifts` unless the caller confirms
(the screen asks the person first). Editing a template changes future shifts it made only when
asked (``apply_to_future``); past shifts never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from store.actor import Actor
from store.engine.database import Database, Transaction
from store.errors import StoreError
from store.i18n import _, ngettext
from store.patrols.assign import settings_in
from store.patrols.model import Shift, ShiftTemplate
from store.patrols.ops import check_refs, merged
from store.patrols.reads import SHIFTS, TEMPLATES
from store.patrols.recurrence import missing_dates, shift_fields
from store.patrols.validation import validate_shift, validate_shift_template
from store.permissions import Action, require

BOOKKEEPING = ("id", "version", "created_at", "updated_at")
TEMPLATE_FIELDS = ("start", "end", "zone_id", "team_id", "min_people", "max_people", "note")
"""What a template's future shifts take over when it is edited with ``apply_to_future``."""


class TooManyShifts(StoreError):
    """Generating would make more shifts than the setting allows without asking."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            ngettext(
                "This would make {count} shift (more than {limit}).",
                "This would make {count} shifts (more than {limit}).",
                count,
            ).format(count=count, limit=limit)
        )
        self.count = count
        self.limit = limit


def add_template(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """A new weekly template (it makes nothing until :func:`generate`)."""
    require(actor, Action.EDIT_SCHEDULE)
    doc = validate_shift_template(raw, today=db.today())
    with db.transaction(actor) as tx:
        check_refs(tx, doc)
        return tx.insert(TEMPLATES, doc)


def update_template(
    db: Database,
    actor: Actor,
    template_id: str,
    edits: Mapping[str, object],
    expected_version: int,
    *,
    apply_to_future: bool = False,
) -> tuple[dict[str, Any], int]:
    """Change a template; with ``apply_to_future``, its shifts after today follow.

    Future shifts take the new times, place and staffing (a maximum never below the people
    already on one); those on days the pattern no longer has, with nobody on them, are
    cancelled. Returns the template and how many shifts changed.
    """
    require(actor, Action.EDIT_SCHEDULE)
    today = db.today()
    with db.transaction(actor) as tx:
        doc = validate_shift_template(merged(tx.get(TEMPLATES, template_id), edits), today=today)
        check_refs(tx, doc)
        saved = tx.update(TEMPLATES, template_id, doc, expected_version)
        changed = _apply(tx, ShiftTemplate.from_doc(saved), today) if apply_to_future else 0
        return saved, changed


def _apply(tx: Transaction, template: ShiftTemplate, today: dt.date) -> int:
    changed = 0
    for doc in tx.all(SHIFTS):
        shift = Shift.from_doc(doc)
        if shift.template_id != template.id or shift.cancelled or shift.date is None:
            continue
        if shift.date <= today:
            continue  # past (and today's) shifts never change
        new = dict(doc)
        if not template.applies_on(shift.date):
            if shift.assignments:
                continue  # people are on it: a coordinator decides
            new["cancelled"] = True
        else:
            fields = shift_fields(template, shift.date)
            new.update({key: fields[key] for key in TEMPLATE_FIELDS})
            new["max_people"] = max(template.max_people, len(shift.assignments))
            new["min_people"] = min(template.min_people, new["max_people"])
        clean = validate_shift(
            {
                k: v
                for k, v in new.items()
                if k not in ("id", "version", "created_at", "updated_at")
            },
            today=today,
        )
        if any(clean.get(k) != doc.get(k) for k in clean):
            tx.update(SHIFTS, shift.id, clean, shift.version)
            changed += 1
    return changed


def archive_template(
    db: Database, actor: Actor, template_id: str, expected_version: int
) -> dict[str, Any]:
    """Stop using a template (the shifts it made stay)."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        return tx.update(TEMPLATES, template_id, {"archived": True}, expected_version)


def generate(
    db: Database,
    actor: Actor,
    template_id: str,
    until: dt.date,
    *,
    start: dt.date | None = None,
    confirmed: bool = False,
) -> list[dict[str, Any]]:
    """Make the template's missing shifts from ``start`` (default today) to ``until``.

    Returns the shifts made ([] when all were there). TooManyShifts, with nothing written,
    when more than the setting's limit would be made and ``confirmed`` is false.
    """
    require(actor, Action.EDIT_SCHEDULE)
    first = start or db.today()
    with db.transaction(actor) as tx:
        doc = tx.get(TEMPLATES, template_id)
        template = ShiftTemplate.from_doc(doc)
        existing = [Shift.from_doc(s) for s in tx.storage.table(SHIFTS).values()]
        dates = missing_dates(template, existing, first, until)
        limit = settings_in(tx).patrol_template_max_shifts
        if len(dates) > limit and not confirmed:
            raise TooManyShifts(len(dates), limit)
        today = db.today()
        rows = [validate_shift(shift_fields(template, day), today=today) for day in dates]
        if not rows:
            return []
        made = tx.insert_many(SHIFTS, rows, audit_each=len(rows) <= 60)
        if len(rows) > 60:
            tx.note(
                "generate",
                {"template": template_id, "shifts": len(rows), "until": until.isoformat()},
            )
        return made


def count_new(template: ShiftTemplate, shifts: list[Shift], first: dt.date, until: dt.date) -> int:
    """How many shifts :func:`generate` would make (the screen asks before a big run)."""
    return len(missing_dates(template, shifts, first, until))


def describe_generated(count: int) -> str:
    """The sentence after a run: "4 shifts made." / "No new shifts: they were all there."."""
    if count == 0:
        return _("No new shifts: they were all there already.")
    return ngettext("{count} shift made.", "{count} shifts made.", count).format(count=count)
