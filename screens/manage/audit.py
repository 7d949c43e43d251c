"""The change log (admins and coordinators): who changed what, when, newest first; f filters.

The log may be long, so it is drawn with Textual's Line API: :class:`AuditLog` paints only the
lines in view (each built on demand by :class:`~screens.manage.audit_view.AuditView`) and scrolls by
half-pages with PgUp/PgDn. Every piece of the log is user data, so lines are plain
``rich.text.Text`` built from cleaned strings, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.manage.audit_view import AuditFilter, AuditView, build_view
from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.i18n import N_, _, ngettext
from store.permissions import Action

BOLD = Style(bold=True)
PAGE = 500
"""Changes read at a time from the log's end (a page is about 1,500 lines of the screen)."""


class AuditLog(ScrollView, inherit_bindings=False):
    """The visible lines of an :class:`AuditView`, and nothing more."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", N_("Scroll up"), show=False),
        Binding("down,j", "move(1)", N_("Scroll down"), show=False),
        Binding("pageup", "half_page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "half_page(1)", N_("Page down"), show=False),
        Binding("home", "to_top", N_("To the top"), show=False),
        Binding("end", "to_end", N_("To the bottom"), show=False),
    ]

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.view: AuditView | None = None

    def show_view(self, view: AuditView, *, from_top: bool) -> None:
        """Show ``view``, from its newest change or where the reader was.

        Newer changes (another session's saves) come in at the top: a reader scrolled down
        the log keeps the same lines in view, one at the top keeps seeing the newest.
        """
        before = self.view
        self.view = view
        self.virtual_size = Size(self.size.width, view.line_count)
        if from_top:
            self.scroll_to(0, 0, animate=False)
        elif before is not None and self.scroll_offset.y > 0:
            # Newer changes come in above, an older page below: keep the same change in view.
            place = before.place(self.scroll_offset.y)
            y = view.line_at(place) if place is not None else None
            if y is not None and y != self.scroll_offset.y:
                self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        if self.view is None or index >= self.view.line_count:
            return Strip.blank(width, self.rich_style)
        line = self.view.line(index)
        text = Text(line.text, style=BOLD if line.first else "", no_wrap=True, end="")
        text.truncate(width, overflow="ellipsis")
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(0, width, self.rich_style).apply_offsets(0, index)

    # Never animated: every in-between frame would cost bytes on a slow link.

    def action_move(self, lines: int) -> None:
        """Scroll by ``lines``."""
        self.scroll_relative(y=lines, animate=False)

    def action_half_page(self, direction: int) -> None:
        """Scroll half a screen (fewer bytes per key on a slow link than a whole redraw)."""
        self.scroll_relative(y=direction * max(1, self.size.height // 2), animate=False)

    def action_to_top(self) -> None:
        """Scroll to the newest change."""
        self.scroll_home(animate=False)

    def action_to_end(self) -> None:
        """Scroll to the oldest change."""
        self.scroll_end(animate=False)


class AuditScreen(SectionScreen):
    """The change log, opened from Manage (section 5)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filter", N_("Filter")),
        Binding("m", "more", N_("Older changes")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="audit")
        self.filter = AuditFilter()
        self.from_top = True
        # Read a page from the log's end, not the whole log (it only grows): m reads more.
        self.limit = PAGE
        self.more = False

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the change log…"), id="audit-status")
        yield AuditLog(id="audit-log")

    def on_mount(self) -> None:
        self.query_one(AuditLog).focus()

    def prepare(self, snapshot: Snapshot) -> AuditView:
        from store.privacy import read_changes

        # The file names the transaction that wrote it: shown even before its commit line.
        last_tx = snapshot.meta.get("last_tx")
        entries = read_changes(
            self.session.db.audit_path, self.session.acting, last_tx, newest_first=True
        )
        return build_view(entries, snapshot, self.filter, self.limit)

    def show(self, view: AuditView) -> None:
        shown = len(view.entries)
        if self.filter:
            status = ngettext(
                "{count} change, {filter}. Press f to change the filter.",
                "{count} changes, {filter}. Press f to change the filter.",
                shown,
            ).format(count=shown, filter=self.filter.describe())
        elif shown:
            status = ngettext(
                "{count} change, newest first.", "{count} changes, newest first.", shown
            ).format(count=shown)
        else:
            status = _("No changes recorded yet.")
        if view.more:
            status += " " + _("Older ones: press m.")
        self.more = view.more
        self.refresh_bindings()
        self.query_one("#audit-status", SafeLabel).update(status)
        self.query_one(AuditLog).show_view(view, from_top=self.from_top)
        self.from_top = False

    def show_failure(self, reason: str) -> None:
        self.query_one("#audit-status", SafeLabel).update(reason)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        return self.more if action == "more" else True

    def action_more(self) -> None:
        """Read the next page of older changes (m); the reader stays where they are."""
        if self.more:
            self.limit += PAGE
            self.reload()

    def action_filter(self) -> None:
        """Narrow the log to a user, a record and dates (f)."""
        if not self.permitted(Action.VIEW_AUDIT):
            return
        from screens.manage.audit_filter import AuditFilterDialog

        def chosen(audit_filter: AuditFilter | None) -> None:
            if audit_filter is not None and audit_filter != self.filter:
                self.filter = audit_filter
                self.from_top = True
                self.limit = PAGE
                self.query_one("#audit-status", SafeLabel).update(_("Reading the change log…"))
                self.reload()

        self.app.push_screen(AuditFilterDialog(self.filter, today=self.session.db.today()), chosen)

    def action_back(self) -> None:
        """Back to Manage (Esc)."""
        self.dismiss(None)
