"""The dashboard: what the community looks like today, and (soon) what needs doing now.

For now it counts the members on the roster and the mobile members among them, and says in plain
words what this page will list once the other sections exist. Each line is its own Label so the
later "each line opens its record" only has to make lines focusable.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Label

from screens.base import SectionScreen
from screens.session import Session
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.database import Snapshot
from store.enums import Category, MemberStatus
from store.i18n import N_, _, ngettext

MOBILE = frozenset({Category.MOBILE_IN.value, Category.MOBILE_OUT.value})

COMING = (
    N_("Members whose last contact is getting old, before they drop out of touch"),
    N_("This week's patrol shifts that are short of people or clash"),
    N_("Members behind on this year's study hours"),
    N_("Certificates about to expire"),
)


@dataclass(frozen=True, slots=True)
class DashboardView:
    """The numbers the dashboard shows, counted in a worker thread."""

    members: int
    mobile: int


def summarize(snapshot: Snapshot) -> DashboardView:
    """Count the members on the roster (status active) and the mobile ones among them."""
    members = mobile = 0
    for record in snapshot.all("members"):
        if record.get("status", MemberStatus.ACTIVE.value) != MemberStatus.ACTIVE.value:
            continue
        members += 1
        if record.get("category") in MOBILE:
            mobile += 1
    return DashboardView(members=members, mobile=mobile)


class DashboardScreen(SectionScreen):
    """The first screen after start-up (section 1, F2)."""

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="dashboard")

    def compose_body(self) -> ComposeResult:
        with TextScroll(id="dashboard-body"):
            for notice in self.session.notices:
                yield SafeLabel(_("Note: {notice}").format(notice=notice), classes="notice")
            yield Label(_("Members"), classes="heading", markup=False)
            yield SafeLabel(_("Reading the database…"), id="members-count")
            yield Label("", id="mobile-count", markup=False)
            yield Label(_("Coming soon to this page"), classes="heading", markup=False)
            for line in COMING:
                yield Label("- " + _(line), classes="coming", markup=False)
            yield Label(
                _("Press 2, 3 or 4 (or F3 to F5) for the other sections, F1 for every key."),
                classes="hint",
                markup=False,
            )

    def prepare(self, snapshot: Snapshot) -> DashboardView:
        return summarize(snapshot)

    def show(self, view: DashboardView) -> None:
        self.query_one("#members-count", SafeLabel).update(
            ngettext(
                "{count} member on the roster", "{count} members on the roster", view.members
            ).format(count=view.members)
        )
        self.query_one("#mobile-count", Label).update(
            ngettext(
                "{count} of them is a mobile member (moved in or moved away)",
                "{count} of them are mobile members (moved in or moved away)",
                view.mobile,
            ).format(count=view.mobile)
        )

    def show_failure(self, reason: str) -> None:
        self.query_one("#members-count", SafeLabel).update(reason)
