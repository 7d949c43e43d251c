"""Study hours against the requirement: every member's meter for a year, behind pace first.

Opened with h from the sessions. By default it lists the current members behind pace for
this year (furthest behind first: the pace is the requirement times the share of the year
gone, see :mod:`store.training.hours`), each with a meter of block characters, the figure
beside it and the pace in words. f filters by year, category and branch, or shows everyone;
Enter opens the member; x exports the year's report. A volunteer sees their own meter only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.training.lines import LineList, widest
from screens.widgets.meter import meter_line, pace_text
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import Category, ExemptReason, choices, coerce, label
from store.i18n import N_, _, ngettext
from store.permissions import Action, allowed
from store.training.hours import Meter

BAR = 12
COLUMNS = (N_("Name"), N_("Hours this year"), N_("Pace"), N_("Category"), N_("Branch"))
BRANCH = 10  # typed in: the usual "第1党支部" fits, a longer one is cut


def layout(meters: Sequence[Meter]) -> list[tuple[str, int]]:
    """The columns' titles and widths: the meter and the pace as wide as the widest shown, and
    the pace's words and the category as wide as the widest in the language in use; the name
    takes what is left."""
    name, hours, pace, category, branch = (_(title) for title in COLUMNS)
    paces = [
        _("done"),
        _("on track"),
        _("exempt"),
        *(_("exempt ({reason})").format(reason=label(r)) for r in ExemptReason),
        *(pace_text(m) for m in meters),
    ]
    return [
        (name, 0),
        (hours, widest((meter_line(m, BAR) for m in meters), hours)),
        (pace, widest(paces, pace)),
        (category, widest((label(c) for c in Category), category)),
        (branch, max(BRANCH, widest((), branch))),
    ]


class MeterList(LineList[Meter]):
    """Members with their meters; a member behind pace is bold (and says so in words)."""

    def values(self, row: Meter) -> tuple[str, ...]:
        return (row.name, meter_line(row, BAR), pace_text(row), label(row.category), row.branch)

    def emphasis(self, row: Meter) -> bool:
        return row.pace == "behind"


@dataclass(frozen=True, slots=True)
class HoursView:
    meters: tuple[Meter, ...]
    branches: tuple[str, ...]
    years: tuple[int, ...]


class HoursScreen(SectionScreen):
    """Members' study hours for a year (from the sessions screen, h)."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "export": Action.EXPORT,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filter", N_("Filter")),
        Binding("x", "export", N_("Export report")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="hours")
        self.year = session.db.today().year
        self.category: Category | None = None
        self.branch: str | None = None
        # Volunteers see only their own meter: show it whether behind or not.
        self.everyone = not allowed(session.acting, Action.SEE_TRAINING)
        self.view = HoursView((), (), ())

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the database…"), id="hours-summary")
        lines = MeterList(id="hours-list")
        yield lines.heading(id="hours-heading")
        yield lines

    @property
    def lines(self) -> MeterList:
        return self.query_one(MeterList)

    def on_mount(self) -> None:
        self.lines.set_columns(layout(()))
        self.lines.focus()

    # The meters are made from the current members (name, category, branch, exemption), the
    # sessions' hours and the settings' required hours: kept through saves of anything else
    # (a contact, a shift). The pace's day and the viewer are in the key already.
    VIEW_TABLES = frozenset({"members", "trainings", "settings"})

    def view_key(self) -> str:
        category = self.category.value if self.category is not None else ""
        return f"{self.year}:{category}:{self.branch or ''}:{self.everyone}"

    def prepare(self, snapshot: Snapshot) -> HoursView:
        from store.training import hours, sessions

        actor, today = self.session.acting, self.session.db.today()
        if self.everyone:
            found = [
                m
                for m in hours.meters(snapshot, actor, self.year, today)
                if (self.category is None or m.category is self.category)
                and (self.branch is None or m.branch == self.branch)
            ]
            # Stable: equal ones stay in the meters' roster (pinyin) order.
            found.sort(key=lambda m: (m.pace != "behind", -m.shortfall, m.done))
        else:
            found = hours.behind_pace(
                snapshot, actor, self.year, today, category=self.category, branch=self.branch
            )
        return HoursView(
            tuple(found), tuple(hours.branches(snapshot)), tuple(sessions.years(snapshot))
        )

    def show(self, view: HoursView) -> None:
        self.view = view
        self.lines.set_columns(layout(view.meters))
        self.lines.show_rows(list(view.meters))
        count = len(view.meters)
        if self.everyone:
            head = ngettext("{n} member", "{n} members", count).format(n=count)
        else:
            head = ngettext("{n} member behind pace", "{n} members behind pace", count).format(
                n=count
            )
        parts = [str(self.year), head]
        if self.category is not None:
            parts.append(label(self.category))
        if self.branch:
            parts.append(self.branch)
        self.query_one("#hours-summary", SafeLabel).update(" · ".join(parts))

    @on(LineList.Opened)
    def _opened(self) -> None:
        row = self.lines.current
        if row is not None:
            self.session.routes.open_member(self.app, row.member_id, self.section_title)

    def action_filter(self) -> None:
        """Choose the year, category and branch, and whether to show everyone (f)."""
        from screens.training.filter import TrainingFilterDialog
        from screens.training.view import year_choices

        anyone = ("", _("any"))
        questions = [
            (
                "year",
                _("Year"),
                year_choices(self.view.years, self.session.db.today())[:-1],
                str(self.year),
            ),
            (
                "category",
                _("Category"),
                [anyone, *((c.value, t) for c, t in choices(Category))],
                self.category.value if self.category else "",
            ),
            (
                "branch",
                _("Branch"),
                [anyone, *((b, b) for b in self.view.branches)],
                self.branch or "",
            ),
            (
                "show",
                _("Show"),
                [("behind", _("behind pace")), ("all", _("everyone"))],
                "all" if self.everyone else "behind",
            ),
        ]

        def chosen(answer: dict[str, str] | None) -> None:
            if answer is None:
                return
            year = answer.get("year", "")
            self.year = int(year) if year.isdigit() else self.year
            self.category = coerce(Category, answer.get("category") or None)
            self.branch = answer.get("branch") or None
            self.everyone = answer.get("show") == "all"
            self.reload()

        self.app.push_screen(TrainingFilterDialog(_("Whose hours?"), questions), chosen)

    def action_export(self) -> None:
        """Write the year's hours report, one line per member (x)."""
        if not self.permitted(Action.EXPORT):
            return
        from screens.training.exporting import ExportDialog

        self.app.push_screen(ExportDialog(self.session, year=self.year))

    def action_back(self) -> None:
        """Back to the sessions (Esc)."""
        self.dismiss(None)
