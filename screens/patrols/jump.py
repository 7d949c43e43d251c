"""Jump to a patrol shift, team, zone or weekly template (Ctrl+P), beside the members
(screens/shell/jump.py).

* A **team** or a **zone** is found by its name, its pinyin initials or its full pinyin (the
  keys stored when it was written, store/named.py); Enter opens its page (screens/patrols/
  place.py: its people or description and its shifts from today).
* A **shift** is found by its date (``2026-12-08``, ``12-08``, ``1208``), its start time and
  the names of its zone and team, as they are found; Enter opens the shift. Shifts from four
  weeks ago on are offered (coming ones first): older ones are history, in the member's page.

* A **weekly template** is found by its name, initials or pinyin (store/named.py keys it as a
  team); Enter opens the templates list with the cursor on it, where ``e`` edits it and ``g``
  makes its shifts. Only those who may plan (coordinators, admins: the week's ``g``) are
  offered templates; a volunteer is offered none, as the week does not open the list for them.

Every role sees the schedule (the week grid shows it to volunteers too), so shifts, teams and
zones list the same for everyone; archived teams, zones and templates and cancelled shifts are
left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from screens.shell.jump import JumpProvider, Target, keys_blob
from screens.shell.session import Session
from store.actor import Actor
from store.engine.database import Snapshot
from store.i18n import N_, _
from store.permissions import Action, allowed
from store.textsafe import clean_line

PAST_DAYS = 28
"""How far back shifts are offered."""


def _name(doc: Mapping[str, Any]) -> str:
    return clean_line(str(doc.get("name") or ""))


def _live(snapshot: Snapshot, table: str) -> list[Mapping[str, Any]]:
    return [doc for doc in snapshot.all(table) if not doc.get("archived")]


class _PlaceJump(JumpProvider):
    """Teams or zones (``TABLE``), by name; Enter opens the place's page."""

    TABLE = ""

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        from store.members.search_keys import fold

        found = []
        for doc in _live(snapshot, self.TABLE):
            name = _name(doc)
            found.append(
                Target(
                    id=str(doc.get("id") or ""),
                    title=name,
                    detail="",  # the line under it says what it is (KIND)
                    blob=keys_blob(doc.get("search_keys"), name),
                    order=fold(name),
                )
            )
        return found

    def open(self, session: Session, target: Target) -> None:
        from screens.patrols.place import PlaceScreen

        title = getattr(self.screen, "section_title", "") or _("Patrols")
        self.app.push_screen(PlaceScreen(session, title, self.TABLE, target.id))


class TeamJump(_PlaceJump):
    """Patrol teams by name or pinyin."""

    KIND = N_("Patrol team")
    TABLE = "teams"


class ZoneJump(_PlaceJump):
    """Patrol zones and routes by name or pinyin."""

    KIND = N_("Patrol zone")
    TABLE = "zones"


class ShiftJump(JumpProvider):
    """Patrol shifts by date, time, zone or team; Enter opens the shift."""

    KIND = N_("Patrol shift")

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        from screens.patrols.view import times_of
        from store.patrols import reads

        today = self.today
        first = today - dt.timedelta(days=PAST_DAYS)
        keys = {
            str(doc.get("id") or ""): (
                doc.get("search_keys"),
                clean_line(str(doc.get("name") or "")),
            )
            for table in ("zones", "teams")
            for doc in snapshot.all(table)
        }
        found = []
        for shift in reads.shifts_between(snapshot, first, dt.date.max):
            assert shift.date is not None
            zone_keys, zone = keys.get(shift.zone_id, (None, ""))
            team_keys, team = keys.get(shift.team_id, (None, ""))
            day = shift.date.isoformat()
            times = times_of(shift)
            away = (shift.date - today).days
            found.append(
                Target(
                    id=shift.id,
                    title=" ".join(part for part in (day, times, zone) if part),
                    detail=team,
                    blob=keys_blob(day, day[5:], times, zone_keys, zone, team_keys, team),
                    # Coming shifts first, soonest first; then the past ones, latest first.
                    order=f"{int(away < 0)}{abs(away):05d}{times}",
                    weight=0.6,  # after the team or zone itself, when found by its name
                )
            )
        return found

    def open(self, session: Session, target: Target) -> None:
        title = getattr(self.screen, "section_title", "") or _("Patrols")
        session.routes.open_shift(self.app, target.id, title)


class TemplateJump(JumpProvider):
    """Weekly templates by name or pinyin, for those who may plan; Enter opens the templates
    list on the one chosen."""

    KIND = N_("Weekly template")

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        if not allowed(actor, Action.EDIT_SCHEDULE):
            return []
        from screens.patrols.templates import template_cells
        from store.patrols import reads

        docs = {str(doc.get("id") or ""): doc for doc in snapshot.all(reads.TEMPLATES)}
        places = reads.place_names(snapshot)
        found = []
        # In the list's order (the name's pinyin, store/named.py), which breaks ties here.
        for index, template in enumerate(reads.templates(snapshot)):
            name, days, times, zone, *_rest = template_cells(template, places)
            if not name:
                continue  # nothing to find it by: it is on the list, by its days and times
            found.append(
                Target(
                    id=template.id,
                    title=name,
                    detail="  ".join(part for part in (days, times, zone) if part),
                    blob=keys_blob(docs.get(template.id, {}).get("search_keys"), name),
                    order=f"{index:06d}",
                )
            )
        return found

    def open(self, session: Session, target: Target) -> None:
        from screens.patrols.templates import TemplatesScreen

        title = getattr(self.screen, "section_title", "") or _("Patrols")
        self.app.push_screen(TemplatesScreen(session, title, select=target.id))
