"""Export the schedule (x on the grid): .ics for phones, CSV, or the printed weekly sheet.

Left/Right (or Space) choose the format and whether it is the week on screen or every shift;
the path is suggested in the home folder. Enter moves down and, on the last row, writes
(Ctrl+S writes from anywhere). The file is written whole or not at all, readable only by you.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import ENTER, EnterMovesOn, FormField, after_typed_keys, all_fields
from screens.widgets.keys import translate_bindings
from screens.widgets.paths import resolve, target_problem
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.i18n import N_, _
from store.patrols.weeks import week_name

SUFFIX = {"ics": ".ics", "csv": ".csv", "sheet": ".txt"}


class PatrolExportDialog(EnterMovesOn, ModalScreen[None]):
    """Write the week starting ``monday`` (or everything) to a file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", N_("Write")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    @dataclass
    class Written(Message):
        message: str
        ok: bool

    def __init__(self, session: Session, monday: dt.date) -> None:
        super().__init__()
        translate_bindings(self)
        self.session = session
        self.monday = monday

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="patrol-export"):
            yield SafeLabel(_("Export the patrol schedule"), classes="patrol-heading")
            yield ChoiceField(
                "format",
                _("Format"),
                [("ics", _("Calendar .ics")), ("csv", "CSV"), ("sheet", _("Sheet to print"))],
                show_all=True,
            )
            yield ChoiceField(
                "scope",
                _("Which shifts"),
                [("week", week_name(self.monday)), ("all", _("Every shift"))],
                show_all=True,
            )
            yield FormField("path", _("File"), value=self.suggested("ics"), max_length=300)
            yield SafeLabel("", id="patrol-export-message")
        yield FittingFooter()

    def suggested(self, fmt: str) -> str:
        return f"~/{_('patrols')}-{week_name(self.monday)}{SUFFIX[fmt]}"

    def on_mount(self) -> None:
        all_fields(self)[0].input.focus()

    def field(self, name: str) -> ChoiceField | FormField:
        found = next(f for f in all_fields(self) if f.field == name)
        assert isinstance(found, ChoiceField | FormField)
        return found

    @on(ChoiceField.Changed, "#field-format")
    def _format_changed(self, message: ChoiceField.Changed) -> None:
        path = self.field("path")
        if any(path.value == self.suggested(f) for f in SUFFIX):
            path.value = self.suggested(message.value)

    def submit(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        """Write the file (Ctrl+S, or Enter on the last row)."""
        fields = all_fields(self)
        after_typed_keys(fields, self._write_now)

    def _write_now(self) -> None:
        self._write(self.field("format").value, self.field("scope").value, self.field("path").value)

    @work(thread=True, exclusive=True, group="write")
    def _write(self, fmt: str, scope: str, path_text: str) -> None:
        from store.patrols.exporting import Selection, export_patrols

        if not path_text.strip():
            self.post_message(self.Written(_("Enter a file name."), False))
            return
        path = resolve(path_text, Path.cwd())
        problem = target_problem(path)
        if problem:
            self.post_message(self.Written(problem, False))
            return
        selection = Selection(monday=self.monday if scope == "week" or fmt == "sheet" else None)
        db = self.session.db
        try:
            count = export_patrols(db, self.session.acting, path, fmt, selection)
        except StoreError as error:
            self.post_message(self.Written(str(error), False))
            return
        self.post_message(
            self.Written(
                _("Wrote {count} shift(s) to {path}.").format(count=count, path=path), True
            )
        )

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.ok:
            self.notify(message.message, markup=False)
            self.dismiss(None)
        else:
            self.query_one("#patrol-export-message", SafeLabel).update(message.message)

    def action_cancel(self) -> None:
        """Close without writing (Esc)."""
        self.dismiss(None)
