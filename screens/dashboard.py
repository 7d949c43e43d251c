"""The dashboard: what the community looks like today, and what needs doing now.

It counts the members on the roster and the mobile members among them, lists the members whose
last contact is getting old (the "blind spot" the organization wants to close), and says in
plain words what this page will list once the other sections exist. Each line is its own Label
so the later "each line opens its record" only has to make lines focusable.

Phones are shown through the store's privacy view for the logged-in user: a volunteer sees
138****0001. A lapse's state is written in words and marked with "!" or "!!", never by colour
alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import set_cell_size
from textual.app import ComposeResult
from textual.widgets import Label

from screens.base import SectionScreen
from screens.session import Session
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.database import Snapshot
from store.enums import Category, MemberStatus, coerce, label
from store.i18n import N_, _, ngettext
from store.textsafe import clean_line

if TYPE_CHECKING:
    from store.contacts import Lapse

MOBILE = frozenset({Category.MOBILE_IN.value, Category.MOBILE_OUT.value})
LAPSING_SHOWN = 8
# Column widths (terminal cells) of a lapsing line: state, name, category, last contact, phone.
COLUMNS = (12, 12, 18, 12, 14)
STATES = {"overdue": ("!!", N_("Overdue")), "warn": ("!", N_("Due soon"))}

COMING = (
    N_("This week's patrol shifts that are short of people or clash"),
    N_("Members behind on this year's study hours"),
    N_("Certificates about to expire"),
)


@dataclass(frozen=True, slots=True)
class DashboardView:
    """The numbers the dashboard shows, counted in a worker thread."""

    members: int
    mobile: int
    lapsing: tuple[str, ...] = ()
    """The first few lapsing contacts, one line each, oldest first."""
    more_lapsing: int = 0
    warn_days: int = 0
    overdue_days: int = 0


def summarize(
    snapshot: Snapshot, actor: Actor | None = None, today: date | None = None
) -> DashboardView:
    """Count the members on the roster (status active) and the mobile ones among them, and
    list the lapsing contacts as ``actor`` may see them."""
    members = mobile = 0
    for record in snapshot.all("members"):
        if record.get("status", MemberStatus.ACTIVE.value) != MemberStatus.ACTIVE.value:
            continue
        members += 1
        if record.get("category") in MOBILE:
            mobile += 1
    if actor is None or today is None:
        return DashboardView(members=members, mobile=mobile)
    from store import contacts, settings

    current = settings.current(snapshot)
    lapses = contacts.lapsing(snapshot, today, current)
    return DashboardView(
        members=members,
        mobile=mobile,
        lapsing=tuple(lapse_line(lapse, actor) for lapse in lapses[:LAPSING_SHOWN]),
        more_lapsing=max(0, len(lapses) - LAPSING_SHOWN),
        warn_days=current.contact_warn_days,
        overdue_days=current.contact_overdue_days,
    )


def lapse_line(lapse: Lapse, actor: Actor) -> str:
    """One lapsing contact in columns: state, name, category, last contact, phone.

    E.g. ``!! Overdue   张三   Retired   212 days   138****0001``: the days are since the last
    contact, or "never" for a member nobody has reached yet; the phone as ``actor`` may see it.
    """
    from store.privacy import member_view

    shown = member_view(lapse.member, actor)
    marker, word = STATES.get(lapse.state, ("", lapse.state))
    category = coerce(Category, shown.get("category"))
    if lapse.last is None:
        since = _("never")
    else:
        since = ngettext("{count} day", "{count} days", lapse.days).format(count=lapse.days)
    cells = (
        f"{marker} {_(word)}" if marker else word,
        clean_line(str(shown.get("name") or "")),
        label(category) if category else "",
        since,
        clean_line(str(shown.get("phone") or "")) or "—",
    )
    return "  ".join(
        set_cell_size(cell, width) for cell, width in zip(cells, COLUMNS, strict=True)
    ).rstrip()


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
            yield Label(
                _("Contacts lapsing"), classes="heading", id="lapsing-heading", markup=False
            )
            yield SafeLabel("", id="lapsing")
            yield Label(_("Coming soon to this page"), classes="heading", markup=False)
            for line in COMING:
                yield Label("- " + _(line), classes="coming", markup=False)
            yield Label(
                _("The footer shows the keys of the other sections; F1 lists every key."),
                classes="hint",
                markup=False,
            )

    def prepare(self, snapshot: Snapshot) -> DashboardView:
        return summarize(snapshot, self.session.acting, self.session.db.today())

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
        self.query_one("#lapsing-heading", Label).update(
            _("Contacts lapsing (due after {warn} days, overdue after {overdue})").format(
                warn=view.warn_days, overdue=view.overdue_days
            )
        )
        lines = list(view.lapsing)
        if view.more_lapsing:
            lines.append(
                ngettext("…and {count} more", "…and {count} more", view.more_lapsing).format(
                    count=view.more_lapsing
                )
            )
        self.query_one("#lapsing", SafeLabel).update(
            "\n".join(lines) or _("Everyone has been in touch recently.")
        )

    def show_failure(self, reason: str) -> None:
        self.query_one("#members-count", SafeLabel).update(reason)
