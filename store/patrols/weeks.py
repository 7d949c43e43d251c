"""ISO weeks as people type them (2026-W49) and the dates they hold.

The grid, the weekly sheet and ``shequ patrols list --week`` all speak of weeks Monday to
Sunday, named the ISO way, so a week typed on the command line is the week the screen shows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from store.i18n import _

_WEEK = re.compile(r"([0-9]{4})-?W([0-9]{1,2})", re.IGNORECASE)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` is in."""
    return day - dt.timedelta(days=day.weekday())


def week_days(monday: dt.date) -> list[dt.date]:
    """The seven dates of the week starting on ``monday``."""
    return [monday + dt.timedelta(days=n) for n in range(7)]


def week_name(monday: dt.date) -> str:
    """``2026-W49``: the ISO year and week number of the week starting on ``monday``."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> dt.date:
    """The Monday of an ISO week written ``2026-W49`` (or ``2026W49``); ValueError if none.

    A week number the year does not have (2026-W60, or W53 in a 52-week year) is refused with
    a sentence that says how many weeks that year has.
    """
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    match = _WEEK.fullmatch(folded)
    if match is None:
        raise ValueError(
            _("“{text}” is not a week; write it like 2026-W49.").format(text=text.strip()[:24])
        )
    year, week = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 9998:
        raise ValueError(_("The year {year} is out of range.").format(year=year))
    weeks = dt.date(year, 12, 28).isocalendar()[1]  # 28 December is always in the last week
    if not 1 <= week <= weeks:
        raise ValueError(
            _("{year} has weeks 1 to {weeks}; there is no week {week}.").format(
                year=year, weeks=weeks, week=week
            )
        )
    return dt.date.fromisocalendar(year, week, 1)
