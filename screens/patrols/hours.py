"""Patrol hours (y on the grid): per team and per member, by month and year.

Two lists, teams above and members below (Tab between them). Each line has the year's months
as a sparkline of block characters (January first, "·" for none), the hours of the chosen
month, of the whole year, and the places present, absent and excused in the year. Left and
Right choose the month, [ and ] the year. Hours are credited only for places checked in as
present (store/patrols/hours.py). Enter on a member opens the member; x exports the
highlighted member's or team's shifts (.ics, CSV or the sheet).
Meaning never rests on colour: the bars are glyphs and every figure is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from screens.patrols.lines import LineList
from screens.patrols.view import SHIFT_TABLES
from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.columns import Column, line, widths
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.i18n import N_, _
from store.members.summary import members_of, roster_order_of
from store.patrols import hours, reads
from store.patrols.hours import Hours
from store.permissions import Action
from store.textsafe import clean_line

BLOCKS = " ▁▂▃▄▅▆▇█"
MONTHS = 12
MARGIN = 4  # the lists' margins and the scroll bar


def sparkline(values: list[float], top: float) -> str:
    """One block character per value, its height the share of ``top`` (a space for nothing,
    the lowest block for anything above nothing)."""
    cells = []
    for value in values:
        if value <= 0 or top <= 0:
            cells.append("·")
        else:
            step = max(1, min(len(BLOCKS) - 1, round(value / top * (len(BLOCKS) - 1))))
            cells.append(BLOCKS[step])
    return "".join(cells)


def figure(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class HoursRow:
    """A team's or a member's year."""

    key: str  # member id, or "team:<id>"
    name: str
    hours: Hours


@dataclass(frozen=True, slots=True)
class HoursView:
    year: int
    teams: tuple[HoursRow, ...]
    members: tuple[HoursRow, ...]


def build_hours(snapshot: Snapshot, year: int) -> HoursView:
    """Every team's and every member's hours in ``year``; members with most hours first."""
    places = reads.place_names(snapshot)
    by_team = hours.team_hours(snapshot, year)
    # Every current team (none may have given an hour yet), and an archived one or shifts of
    # no team only when they have something to show this year.
    shown = {team.id for team in reads.teams(snapshot)} | {
        team_id for team_id, h in by_team.items() if h.total or h.shifts or h.absent or h.excused
    }
    teams = [
        HoursRow(
            f"team:{team_id}",
            clean_line(places.get(team_id, "")) or _("(no team)"),
            by_team.get(team_id) or Hours(year),
        )
        for team_id in shown
    ]
    # The teams' own order (store/named.py: pinyin, then name, then id); no team last.
    order = reads.orders(snapshot, reads.TEAMS)
    last = ("\U0010ffff", "", "")  # a team not in the file (shifts of no team: "(no team)")
    teams.sort(key=lambda row: (*order.get(row.key.removeprefix("team:"), last), row.name))
    found = hours.members_hours(snapshot, year)
    roster = members_of(snapshot)
    # Most hours first; equal hours in the roster's (pinyin) order, a deleted member last.
    ordered = sorted(found, key=lambda m: (-found[m].total, *roster_order_of(roster, m)))
    names = reads.member_names(snapshot, ordered)
    members = [
        HoursRow(member_id, clean_line(names.get(member_id, "?")), found[member_id])
        for member_id in ordered
    ]
    return HoursView(year, tuple(teams), tuple(members))


# At 80 columns the footer folds each pair into one key ("←/→ Month", "[/] Year"): the years and
# the export stay in view beside the months (screens/widgets/footer.py).
MONTH_KEYS = Binding.Group(N_("Month"))
YEAR_KEYS = Binding.Group(N_("Year"))


class PatrolHoursScreen(SectionScreen):
    """Hours given per team and per member in a year, month by month."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "export": Action.EXPORT,
    }

    FOOTER_RANK: ClassVar[tuple[str, ...]] = (
        "month(-1)",
        "month(1)",
        "year(-1)",
        "year(1)",
        "export",
        "back",
    )
    FOOTER_WORDS: ClassVar[dict[str, str]] = {"export": N_("Export")}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "month(-1)", N_("Month before"), group=MONTH_KEYS),
        Binding("right", "month(1)", N_("Month after"), group=MONTH_KEYS),
        Binding("left_square_bracket", "year(-1)", N_("Year before"), group=YEAR_KEYS),
        Binding("right_square_bracket", "year(1)", N_("Year after"), group=YEAR_KEYS),
        Binding("x", "export", N_("Export shifts")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="patrol-hours")
        today = session.db.today()
        self.year = today.year
        self.month = today.month
        self.view: HoursView | None = None

    def compose_body(self) -> ComposeResult:
        yield SafeLabel("", id="hours-title", classes="patrol-heading")
        yield SafeLabel("", id="hours-teams-heading", classes="hours-heading")
        yield LineList(id="hours-teams")
        yield SafeLabel("", id="hours-members-heading", classes="hours-heading")
        yield LineList(id="hours-members")

    def on_mount(self) -> None:
        self.query_one("#hours-members", LineList).focus()

    # The year's shifts (their places present, absent, excused), the teams and the names:
    # kept through other saves; the month is chosen from the view, not read into it.
    VIEW_TABLES = SHIFT_TABLES

    def view_key(self) -> str:
        return str(self.year)

    def prepare(self, snapshot: Snapshot) -> HoursView:
        return build_hours(snapshot, self.year)

    def show(self, view: HoursView) -> None:
        self.view = view
        self._draw()

    def _columns(self, first: str) -> list[Column]:
        return [
            Column(first, shrinks=True, minimum=6),
            Column(_("Jan-Dec")),
            Column(_("Month {m}").format(m=self.month)),
            Column(_("Year")),
            Column(_("Present")),
            Column(_("Absent")),
            Column(_("Excused")),
        ]

    def _cells(self, row: HoursRow, top: float) -> list[str]:
        h = row.hours
        return [
            row.name,
            sparkline(h.months, top),
            figure(h.months[self.month - 1]),
            figure(h.total),
            str(h.shifts),
            str(h.absent),
            str(h.excused),
        ]

    def _draw(self) -> None:
        view = self.view
        if view is None:
            return
        total = max(20, self.size.width - MARGIN)
        self.query_one("#hours-title", SafeLabel).update(
            _("Patrol hours {year}, credited for places checked in as present").format(
                year=view.year
            )
        )
        for kind, rows, first in (
            ("teams", view.teams, _("Team")),
            ("members", view.members, _("Member")),
        ):
            top = max((max(r.hours.months) for r in rows), default=0.0)
            cells = [self._cells(row, top) for row in rows]
            columns = self._columns(first)
            sizes = widths(columns, cells, total)
            heading = line([c.title for c in columns], sizes, total)
            self.query_one(f"#hours-{kind}-heading", SafeLabel).update(heading)
            lines = [(row.key, line(c, sizes, total)) for row, c in zip(rows, cells, strict=True)]
            empty = _("No patrol hours in {year}.").format(year=view.year)
            self.query_one(f"#hours-{kind}", LineList).show_lines(lines or [("", empty)])

    def on_resize(self) -> None:
        self._draw()

    def action_month(self, step: int) -> None:
        """The month before (Left) or after (Right), within the year."""
        self.month = (self.month - 1 + step) % MONTHS + 1
        self._draw()

    def action_year(self, step: int) -> None:
        """The year before ([) or after (])."""
        self.year += step
        self.reload()

    @on(OptionList.OptionSelected, "#hours-members")
    def _open(self) -> None:
        current = self.query_one("#hours-members", LineList).current
        if current:
            self.session.routes.open_member(self.app, current, self.section_title)

    def action_export(self) -> None:
        """The highlighted member's or team's shifts to a file, .ics first (x)."""
        if not self.permitted(Action.EXPORT) or self.view is None:
            return
        from screens.patrols.export import PatrolExportDialog
        from store.patrols.weeks import monday_of

        focused = self.focused
        member, team = ("", ""), ""
        if focused is not None and focused.id in ("hours-members", "hours-teams"):
            key = self.query_one(f"#{focused.id}", LineList).current or ""
            rows = {row.key: row for row in (*self.view.teams, *self.view.members)}
            if key.startswith("team:"):
                team = key.removeprefix("team:")
            elif key in rows:
                member = (key, rows[key].name)
        monday = monday_of(self.session.db.today())
        dialog = PatrolExportDialog(
            self.session, monday, member_id=member[0], member_name=member[1], team_id=team
        )
        self.app.push_screen(dialog)

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
