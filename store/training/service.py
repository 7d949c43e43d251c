"""A member's volunteer service in a year, by where it was given: patrol shifts and theme days.

The issue's rule: a theme day (主题党日) credits volunteer-service hours to those present, and
those hours stand beside patrol hours in the member's yearly service total. The two parts are
counted by their own sections' rules (patrol hours: :func:`store.patrols.hours.member_hours`,
places checked in present; theme days: :func:`store.training.hours.service_hours`, sessions
attended in person) and only added here, so the member detail, the dashboard and the command
line all say the same total and the same parts.

A volunteer sees only their own total (the training records' rule, :mod:`.access`).
"""

from __future__ import annotations

from dataclasses import dataclass

from store.actor import Actor
from store.engine.database import Snapshot
from store.i18n import _
from store.training.access import ALL, own_member, require_member


@dataclass(frozen=True, slots=True)
class ServiceTotal:
    """One member's volunteer-service hours in ``year``, by source."""

    member_id: str
    year: int
    patrol: float  # hours on patrol shifts checked in present
    theme_days: float  # service hours of theme days (sessions) attended in person

    @property
    def total(self) -> float:
        """Patrol hours and theme-day service hours together."""
        return self.patrol + self.theme_days

    @property
    def sentence(self) -> str:
        """'Volunteer service in 2026: 21 h (patrols 18 h + theme days 3 h)', translated: the
        member detail and the dashboard say it in the same words."""
        return _(
            "Volunteer service in {year}: {total} h (patrols {patrol} h + theme days {theme} h)"
        ).format(
            year=self.year,
            total=f"{self.total:g}",
            patrol=f"{self.patrol:g}",
            theme=f"{self.theme_days:g}",
        )

    @property
    def by_source(self) -> dict[str, float]:
        """The parts by name, in the order they are shown ("patrol", "theme_days")."""
        return {"patrol": self.patrol, "theme_days": self.theme_days}


def yearly_service(snapshot: Snapshot, actor: Actor, member_id: str, year: int) -> ServiceTotal:
    """``member_id``'s service hours in ``year``: patrols plus theme days (PermissionDenied for
    a volunteer asking about someone else)."""
    from store.patrols.hours import member_hours
    from store.training.hours import service_hours

    require_member(actor, member_id)
    return ServiceTotal(
        member_id=member_id,
        year=year,
        patrol=member_hours(snapshot, member_id, year).total,
        theme_days=service_hours(snapshot, member_id, year),
    )


def everyone_service(snapshot: Snapshot, actor: Actor, year: int) -> dict[str, ServiceTotal]:
    """Every member's service hours in ``year`` who gave any, by member id, counted as
    :func:`yearly_service` counts one member's but in one pass over the year's shifts (the
    yearly hours report lists everyone). A volunteer gets at most their own."""
    from store.patrols.hours import members_hours
    from store.training.index import study_index

    patrols = members_hours(snapshot, year)
    themes = study_index(snapshot).service.get(year, {})
    found = {
        member_id: ServiceTotal(
            member_id=member_id,
            year=year,
            patrol=patrols[member_id].total if member_id in patrols else 0.0,
            theme_days=themes.get(member_id, 0.0),
        )
        for member_id in patrols.keys() | themes.keys()
    }
    own = own_member(actor)
    if own is not ALL:
        return {own: found[own]} if own in found else {}
    return {member_id: total for member_id, total in found.items() if total.total}
