"""Which dates a weekly template makes shifts on: pure functions, checked with Hypothesis.

Dates are local calendar dates (``datetime.date``): a template says "every Monday 19:00",
never a UTC instant, so a daylight-saving change or the server's time zone can't move a
patrol to another day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from store.patrols.model import Shift, ShiftTemplate


def occurrences(template: ShiftTemplate, first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from ``first`` to ``last`` (both included) the template applies on."""
    low = max(first, template.active_from) if template.active_from else first
    high = min(last, template.active_to) if template.active_to else last
    found = []
    day = low
    while day <= high:
        if template.applies_on(day):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def missing_dates(
    template: ShiftTemplate, existing: Iterable[Shift], first: dt.date, last: dt.date
) -> list[dt.date]:
    """The template's dates from ``first`` to ``last`` that have no shift from it yet.

    Any shift the template made counts, cancelled ones too: generating again never brings a
    cancelled patrol back, and running it twice makes nothing twice.
    """
    made = {s.date for s in existing if s.template_id == template.id}
    return [day for day in occurrences(template, first, last) if day not in made]


def shift_fields(template: ShiftTemplate, day: dt.date) -> dict[str, object]:
    """The new shift's fields for ``day``, as the validator takes them."""
    return {
        "date": day.isoformat(),
        "start": f"{template.start:%H:%M}" if template.start else "",
        "end": f"{template.end:%H:%M}" if template.end else "",
        "zone_id": template.zone_id,
        "team_id": template.team_id,
        "min_people": template.min_people,
        "max_people": template.max_people,
        "note": template.note,
        "template_id": template.id,
        "assignments": [],
    }
