"""The printable weekly sheet: plain text, at most 80 columns, with a signature column.

Many teams start with paper: the sheet goes on the notice board, and each volunteer signs in
and out beside their name. Chinese takes two columns a character, so every cell is padded
and cut by display width (:func:`width`), never by character count.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping

from store.enums import label, weekday_label
from store.i18n import _
from store.patrols.model import Shift
from store.patrols.staffing import needed
from store.patrols.weeks import week_days, week_name
from store.textsafe import clean_line

WIDTH = 80
NAME = 16
STATUS = 8
TIME = 9
BLANK_ROWS = 1  # a spare line under each shift for someone who stood in


def char_width(char: str) -> int:
    """Columns a character takes in a terminal or monospaced print: 2 for CJK, 0 combining."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width of ``text`` in columns."""
    return sum(char_width(char) for char in text)


def fit(text: str, size: int) -> str:
    """``text`` cut (with …) or padded with spaces to exactly ``size`` columns."""
    text = clean_line(text)
    if width(text) <= size:
        return text + " " * (size - width(text))
    out, used = "", 0
    for char in text:
        w = char_width(char)
        if used + w > size - 1:
            break
        out += char
        used += w
    return out + "…" + " " * (size - 1 - used)


def _line(text: str) -> str:
    return fit(text, WIDTH).rstrip()


def weekly_sheet(
    shifts: Iterable[Shift],
    monday: dt.date,
    places: Mapping[str, str],
    people: Mapping[str, str],
    *,
    community: str = "",
    team: str = "",
) -> str:
    """The week starting ``monday`` as text lines of at most 80 columns, ending in a newline."""
    by_day: dict[dt.date, list[Shift]] = {}
    for shift in shifts:
        if shift.date is not None and not shift.cancelled:
            by_day.setdefault(shift.date, []).append(shift)
    days = week_days(monday)
    title = _("Patrol sheet {week} ({first} to {last})").format(
        week=week_name(monday), first=days[0].isoformat(), last=days[-1].isoformat()
    )
    head = " · ".join(part for part in (clean_line(community), clean_line(team), title) if part)
    lines = [_line(head), "=" * WIDTH]
    sign = WIDTH - 2 - NAME - 1 - STATUS - 1 - TIME - 1 - TIME - 1
    columns = (
        "  "
        + fit(_("Name"), NAME)
        + " "
        + fit(_("Status"), STATUS)
        + " "
        + fit(_("In"), TIME)
        + " "
        + fit(_("Out"), TIME)
        + " "
        + fit(_("Signature"), sign)
    )
    blank = "_" * (TIME - 1)
    if not by_day:
        lines.append(_("No shifts this week."))
    for day in days:
        for shift in by_day.get(day, []):
            lines.append("")
            lines.append(_line(_heading(shift, day, places, people)))
            lines.append(columns.rstrip())
            rows = [(people.get(a.member_id, ""), label(a.status)) for a in shift.assignments]
            spare = max(BLANK_ROWS, shift.min_people - len(rows))
            rows += [("", "")] * spare
            for name, status in rows:
                lines.append(
                    "  "
                    + fit(name or "_" * (NAME - 2), NAME)
                    + " "
                    + fit(status, STATUS)
                    + " "
                    + fit(blank, TIME)
                    + " "
                    + fit(blank, TIME)
                    + " "
                    + "_" * (sign - 1)
                )
    lines.append("")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _heading(
    shift: Shift, day: dt.date, places: Mapping[str, str], people: Mapping[str, str]
) -> str:
    times = ""
    if shift.start and shift.end:
        times = f"{shift.start:%H:%M}-{shift.end:%H:%M}"
    staffing = _("{staffed}/{needed} people").format(
        staffed=shift.staffed, needed=needed(shift.min_people, shift.max_people)
    )
    parts = [
        f"{weekday_label(day.isoweekday())} {day:%m-%d}",
        times,
        clean_line(places.get(shift.zone_id, "")),
        clean_line(places.get(shift.team_id, "")),
        staffing,
    ]
    if shift.leader_id and people.get(shift.leader_id):
        parts.append(_("Leader: {name}").format(name=clean_line(people[shift.leader_id])))
    return "  ".join(part for part in parts if part)
