"""Weekly templates (g on the grid): the patterns that make shifts, and making them.

n adds a template, e edits one, g makes its shifts for the coming weeks (asks how many; a run
over the settings' limit asks again before writing), Del stops using it (its shifts stay).
Generating twice makes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from screens.patrols.grid import short_weekday
from screens.patrols.lines import LineList
from screens.patrols.template_form import TemplateForm
from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.widgets.columns import Column, line, widths
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, after_typed_keys
from screens.widgets.keys import translate_bindings
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.errors import StoreError
from store.i18n import N_, _, join_list
from store.patrols import reads
from store.patrols.model import ShiftTemplate
from store.permissions import Action
from store.textsafe import clean_line


def template_cells(template: ShiftTemplate, places: dict[str, str]) -> tuple[str, ...]:
    """A template's name, days, times, zone, team, people needed and when it applies, one cell
    each (only the dates that are set: no bare arrow for a template without them)."""
    days = join_list(short_weekday(d) for d in template.weekdays)  # "Tue, Thu" / "周二、周四"
    if sorted(set(template.weekdays)) == list(range(1, 8)):
        days = _("every day")  # seven names would push the dates off an 80-column line
    times = (
        f"{template.start:%H:%M}-{template.end:%H:%M}" if template.start and template.end else ""
    )
    period = []
    if template.active_from:
        period.append(_("from {day}").format(day=template.active_from.isoformat()))
    if template.active_to:
        period.append(_("until {day}").format(day=template.active_to.isoformat()))
    return (
        clean_line(template.name),
        days,
        times,
        clean_line(places.get(template.zone_id, "")),
        clean_line(places.get(template.team_id, "")),
        _("{low}-{high} people").format(low=template.min_people, high=template.max_people),
        " ".join(period),
    )


def template_lines(templates: list[ShiftTemplate], places: dict[str, str]) -> list[str]:
    """One line per template, each column as wide as its widest cell so they line up (the list
    cuts a line too long for the terminal at its end)."""
    cells = [template_cells(t, places) for t in templates]
    sizes = widths([Column("")] * 7, cells, total=10_000)
    return [line(row, sizes, total=10_000) for row in cells]


class WeeksDialog(ModalScreen[int]):
    """How many weeks ahead to make shifts for (Enter); 0 on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("enter", "done", N_("Make shifts"), priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield SafeLabel(_("Make this template's shifts from today for how many weeks?"))
            yield FormField("weeks", _("Weeks"), value="4", max_length=3, select_on_focus=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(FormField).input.focus()

    def action_done(self) -> None:
        field = self.query_one(FormField)
        after_typed_keys([field], lambda: self._check(field))

    def _check(self, field: FormField) -> None:
        text = field.value.strip()
        if text.isdigit() and 1 <= int(text) <= 104:
            self.dismiss(int(text))
        else:
            field.set_error(_("Enter a number from {low} to {high}.").format(low=1, high=104))

    def action_cancel(self) -> None:
        self.dismiss(0)


class TemplatesScreen(SectionScreen):
    """The list of weekly templates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("g", "generate", N_("Make shifts")),
        Binding("delete", "archive", N_("Stop using")),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Done(Message):
        message: str
        ask: int = 0  # > 0: too many shifts; ask, then run confirmed
        template_id: str = ""
        weeks: int = 0

    def __init__(self, session: Session, title: str, select: str | None = None) -> None:
        """``select``: the template to put the cursor on when the list is first shown (the
        command palette opens the list on the template it found, screens/patrols/jump.py)."""
        super().__init__(session, title, id="templates")
        self.templates: list[ShiftTemplate] = []
        self._select = select

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Weekly templates"), classes="patrol-heading")
        yield LineList(id="templates-list")
        yield SafeLabel("", id="templates-message")

    @property
    def lines(self) -> LineList:
        return self.query_one(LineList)

    def on_mount(self) -> None:
        self.lines.focus()

    # The templates and the places' names: kept through saves of anything else.
    VIEW_TABLES = frozenset({reads.TEMPLATES, reads.ZONES, reads.TEAMS})

    def prepare(self, snapshot: Snapshot) -> tuple[list[ShiftTemplate], dict[str, str]]:
        return reads.templates(snapshot), reads.place_names(snapshot)

    def show(self, view: tuple[list[ShiftTemplate], dict[str, str]]) -> None:
        self.templates, places = view
        texts = template_lines(self.templates, places)
        lines = [(t.id, text) for t, text in zip(self.templates, texts, strict=True)]
        keep, self._select = self._select, None
        self.lines.show_lines(lines or [("", _("No templates yet: press n to add one."))], keep)
        self.refresh_bindings()

    def selected(self) -> ShiftTemplate | None:
        current = self.lines.current
        return next((t for t in self.templates if t.id == current), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("edit", "generate", "archive"):
            return self.is_mounted and self.selected() is not None
        return True

    def action_new(self) -> None:
        """A new weekly template (n)."""
        self._open(None)

    def action_edit(self) -> None:
        """Edit the selected template (e)."""
        template = self.selected()
        if template is not None:
            self._open(template.id)

    def _open(self, template_id: str | None) -> None:
        if not self.permitted(Action.EDIT_SCHEDULE):
            return
        form = TemplateForm(self.session, self.section_title, template_id)
        self.app.push_screen(form, lambda _r: self.reload())

    def action_generate(self) -> None:
        """Make the selected template's shifts for some weeks (g)."""
        template = self.selected()
        if template is None or not self.permitted(Action.EDIT_SCHEDULE):
            return

        def weeks_chosen(weeks: int | None) -> None:
            if weeks:
                self._generate(template.id, weeks, False)

        self.app.push_screen(WeeksDialog(), weeks_chosen)

    @work(thread=True, exclusive=True, group="change")
    def _generate(self, template_id: str, weeks: int, confirmed: bool) -> None:
        from store.patrols import templates

        db = self.session.db
        until = db.today() + dt.timedelta(weeks=weeks, days=-1)
        try:
            made = templates.generate(
                db, self.session.acting, template_id, until, confirmed=confirmed
            )
        except templates.TooManyShifts as many:
            self.post_message(self.Done(str(many), many.count, template_id, weeks))
            return
        except StoreError as error:
            self.post_message(self.Done(str(error)))
            return
        self.post_message(self.Done(templates.describe_generated(len(made))))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.ask:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._generate(message.template_id, message.weeks, True)

            self.app.push_screen(
                ConfirmDialog(
                    message.message + " " + _("Make them all?"), yes=_("Make them"), no=_("Cancel")
                ),
                answered,
            )
            return
        self.query_one("#templates-message", SafeLabel).update(message.message)
        self.notify(message.message, markup=False)
        self.reload()

    def action_archive(self) -> None:
        """Stop using the selected template (Del), after asking; its shifts stay."""
        template = self.selected()
        if template is None or not self.permitted(Action.EDIT_SCHEDULE):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._archive(template)

        self.app.push_screen(
            ConfirmDialog(
                _("Stop using this template? The shifts it made stay."),
                yes=_("Stop using"),
                no=_("Keep"),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="change")
    def _archive(self, template: ShiftTemplate) -> None:
        from store.patrols import templates

        try:
            templates.archive_template(
                self.session.db, self.session.acting, template.id, template.version
            )
        except StoreError as error:
            self.post_message(self.Done(str(error)))
            return
        self.post_message(self.Done(_("Template no longer used.")))

    def action_back(self) -> None:
        """Back to the grid (Esc)."""
        self.dismiss(None)
