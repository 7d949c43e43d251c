"""How many people a shift takes, said one way everywhere: the screens, the CLI's week text.

A shift takes from ``min_people`` to ``max_people``; when the two are equal it takes exactly
that many, and "2-2" says nothing "2" does not. The screens (screens/patrols/view.py: the day,
the shift, a team's or zone's page) and ``shequ patrols list`` both ask here, so they agree.
"""

from __future__ import annotations

from store.i18n import _


def needed(low: int, high: int) -> str:
    """``2-3``, or ``2`` when it takes exactly two (not "2-2")."""
    return str(low) if low == high else f"{low}-{high}"


def staffing(staffed: int, low: int, high: int) -> str:
    """``2 of 2-3 people``, or ``2 of 2 people`` when it takes exactly two (not "2-2")."""
    if low == high:
        return _("{staffed} of {low} people").format(staffed=staffed, low=low)
    return _("{staffed} of {low}-{high} people").format(staffed=staffed, low=low, high=high)
