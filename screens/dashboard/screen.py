"""The dashboard: what the community looks like today, and what needs doing now.

It counts the members on the roster and the mobile members among them, lists the members whose
last contact is getting old (the "blind spot" the organization wants to close), and says in
plain words what this page will list once the other sections exist.

Each lapsing line opens its record (DESIGN.md): the lines are focusable labels in a
:class:`LapsingList`, moved through with the arrows or j/k (Home/End: first/last), the first one
focused when the list first shows; Enter opens the member's detail on this section's own stack
(Esc comes back to the same line). The "…and N more" line opens the roster showing only the
lapsing members. The focused line is reversed, which needs no colour.

Phones are shown through the store's privacy view for the logged-in user: a volunteer sees
138****0001. A lapse's state is written in words and marked with "!" or "!!", never by colour
alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.cells import set_cell_size
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.keys import translate_bindings
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import Category, MemberStatus, coerce, label
from store.i18n import N_, _, ngettext
from store.textsafe import clean_line

if TYPE_CHECKING:
    from store.contacts.ops import Lapse

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
class LapsingLine:
    """One lapsing contact as the dashboard lists it, and whose record Enter opens."""

    member_id: str
    text: str


@dataclass(frozen=True, slots=True)
class DashboardView:
    """The numbers the dashboard shows, counted in a worker thread."""

    members: int
    mobile: int
    lapsing: tuple[LapsingLine, ...] = ()
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
    from store.contacts import ops as contacts
    from store.settings import ops as settings

    current = settings.current(snapshot)
    lapses = contacts.lapsing(snapshot, today, current)
    return DashboardView(
        members=members,
        mobile=mobile,
        lapsing=tuple(
            LapsingLine(str(lapse.member.get("id") or ""), lapse_line(lapse, actor))
            for lapse in lapses[:LAPSING_SHOWN]
        ),
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


class LapseLine(SafeLabel, can_focus=True):
    """One line of the lapsing list: a member (``member_id``) or, with ``None``, the rest."""

    def __init__(self, member_id: str | None, text: str) -> None:
        super().__init__(text, classes="lapse")
        self.member_id = member_id

    def show_line(self, member_id: str | None, text: str) -> None:
        """Show another line in place (a reload keeps the widgets, and so the focus)."""
        self.member_id = member_id
        self.update(text)


class LapsingList(Vertical, can_focus=False):
    """The lapsing contacts, one focusable :class:`LapseLine` each; Enter opens the focused one.

    The keys live here, not on the lines, so that they apply to whichever line has the focus;
    past the first or last line the arrows scroll the page instead (the headings above, the
    rest of the dashboard below).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open")),
        Binding("up,k", "move(-1)", N_("Up"), show=False),
        Binding("down,j", "move(1)", N_("Down"), show=False),
        Binding("home", "edge(0)", N_("First"), show=False),
        Binding("end", "edge(-1)", N_("Last"), show=False),
    ]

    @dataclass
    class Opened(Message):
        """Enter on a line: ``member_id`` is the member, ``None`` the "…and N more" line."""

        member_id: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.shown_once = False

    def compose(self) -> ComposeResult:
        yield SafeLabel("", id="lapsing-none")

    @property
    def lines(self) -> list[LapseLine]:
        """The lines now shown, top to bottom."""
        return list(self.query_children(LapseLine))

    @property
    def current(self) -> LapseLine | None:
        """The focused line, if the focus is on one of ours."""
        focused = self.screen.focused
        return focused if isinstance(focused, LapseLine) and focused.parent is self else None

    def show_lines(self, rows: list[tuple[str | None, str]], none_text: str) -> None:
        """Show ``(member_id, text)`` rows (``None``: the rest), or ``none_text`` when empty.

        Existing lines are reused, so a reload keeps the focus where it was; it follows the
        focused member if they moved, else stays at the same place in the list. The very first
        rows shown take the focus (the first line), as the roster's list does.
        """
        current = self.current
        lines = self.lines
        keep_id = current.member_id if current is not None else None
        keep_index = lines.index(current) if current is not None else None
        for line, (member_id, text) in zip(lines, rows, strict=False):
            line.show_line(member_id, text)
        if len(lines) > len(rows):
            for line in lines[len(rows) :]:
                line.remove()
        elif len(rows) > len(lines):
            self.mount(*(LapseLine(member_id, text) for member_id, text in rows[len(lines) :]))
        none = self.query_one("#lapsing-none", SafeLabel)
        none.update(none_text)
        none.display = not rows
        lines = self.lines[: len(rows)]
        first = not self.shown_once
        self.shown_once = True
        if not lines:
            if current is not None:  # its line is gone: the page itself keeps the keys
                page = self.parent
                if isinstance(page, Widget) and page.focusable:
                    page.focus()
            return
        if keep_index is not None:
            ids = [line.member_id for line in lines]
            index = ids.index(keep_id) if keep_id in ids else min(keep_index, len(lines) - 1)
            lines[index].focus()
        elif first:
            lines[0].focus()

    def action_move(self, step: int) -> None:
        """The line above or below (arrows, j/k); past the ends the page scrolls."""
        current = self.current
        lines = self.lines
        if current is None:
            raise SkipAction()
        index = lines.index(current) + step
        if not 0 <= index < len(lines):
            raise SkipAction()
        lines[index].focus()

    def action_edge(self, index: int) -> None:
        """The first or last line (Home/End)."""
        lines = self.lines
        if not lines:
            raise SkipAction()
        lines[index].focus()

    def action_open(self) -> None:
        """Open the focused line's record (Enter)."""
        current = self.current
        if current is not None:
            self.post_message(self.Opened(current.member_id))


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
            yield LapsingList(id="lapsing")
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
        rows: list[tuple[str | None, str]] = [(line.member_id, line.text) for line in view.lapsing]
        if view.more_lapsing:
            rows.append(
                (
                    None,
                    ngettext("…and {count} more", "…and {count} more", view.more_lapsing).format(
                        count=view.more_lapsing
                    ),
                )
            )
        self.query_one(LapsingList).show_lines(rows, _("Everyone has been in touch recently."))

    @on(LapsingList.Opened)
    async def _opened(self, message: LapsingList.Opened) -> None:
        if message.member_id is not None:
            self.session.routes.open_member(self.app, message.member_id, self.section_title)
            return
        # The rest are on the roster, which filters for them (section 2, its own stack).
        await self.session.routes.roster_lapsing(self.app)

    def show_failure(self, reason: str) -> None:
        self.query_one("#members-count", SafeLabel).update(reason)
