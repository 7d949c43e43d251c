"""Export from the training screens: a session's attendance (CSV, Excel XLSX, or a printable
sign-in sheet as plain text) or a year's hours report (CSV, XLSX).

A small dialog: the format (Left/Right or Space), where to save (suggested in the home folder,
following the format); Enter moves on and, on the path, writes; Ctrl+S writes from anywhere.
The store writes the file in a worker, whole or not at all; an existing file is replaced only
when the person says so; a problem is said under the path and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from screens.shell.replace import NOT_REPLACED, ask_to_replace
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import ENTER, EnterMovesOn, FormField
from screens.widgets.keys import translate_bindings
from screens.widgets.paths import resolve, target_problem, with_format
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.i18n import N_, _
from store.textsafe import clean_line

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "sheet": ".txt"}
_NOT_IN_NAMES = re.compile(r"[\s/\\:*?\"<>|]+")


def suggested_path(stem: str, fmt: str) -> str:
    """``~/党课-2026-03-05.csv``: a name from what is exported, the format's ending."""
    cleaned = _NOT_IN_NAMES.sub("-", clean_line(stem)).strip("-.") or _("training")
    return f"~/{cleaned}{SUFFIXES[fmt]}"


class ExportDialog(EnterMovesOn, ModalScreen[str | None]):
    """Export ``session_id``'s attendance, or the hours report of ``year``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", N_("Export")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    @dataclass
    class Exists(Message):
        """``path`` is there already: ask before replacing it."""

        path: Path

    @dataclass
    class Written(Message):
        """``count`` members were written to ``path``."""

        path: Path
        count: int

    @dataclass
    class Failed(Message):
        """Nothing was written; ``reason`` says why."""

        reason: str

    def __init__(
        self,
        session: Session,
        *,
        session_id: str | None = None,
        title: str = "",
        year: int | None = None,
    ) -> None:
        super().__init__(id="training-export-screen")
        translate_bindings(self)
        self.session = session
        self.session_id = session_id
        self.year = year
        self.folder = Path.cwd()
        stem = title if session_id else _("study-hours-{year}").format(year=year)
        self.suggested = suggested_path(stem, "csv")
        self.writing = False

    def compose(self) -> ComposeResult:
        if self.session_id is not None:
            heading = _("Export the attendance")
            options = [("csv", _("CSV")), ("xlsx", _("Excel XLSX")), ("sheet", _("Sign-in sheet"))]
        else:
            heading = _("Export the study hours of {year}").format(year=self.year)
            options = [("csv", _("CSV")), ("xlsx", _("Excel XLSX"))]
        with Vertical(classes="dialog", id="training-export"):
            yield SafeLabel(heading, classes="dialog-question")
            yield ChoiceField("format", _("Format"), options, value="csv", show_all=True)
            yield FormField("path", _("Save as"), value=self.suggested, max_length=1000)
            yield SafeLabel(
                _("A path not starting with / or ~ starts from {folder}").format(
                    folder=self.folder
                ),
                classes="dialog-hint",
            )
            yield SafeLabel(
                _("Enter on the path or Ctrl+S writes the file."),
                id="training-export-status",
                classes="dialog-hint",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#field-format", ChoiceField).input.focus()

    @property
    def path_field(self) -> FormField:
        return self.query_one(FormField)

    @property
    def fmt(self) -> str:
        return self.query_one("#field-format", ChoiceField).value

    def say(self, text: str) -> None:
        self.query_one("#training-export-status", SafeLabel).update(text)

    @on(ChoiceField.Changed, "#field-format")
    def _format_changed(self, message: ChoiceField.Changed) -> None:
        self.path_field.value = with_format(self.path_field.value, SUFFIXES, message.value)

    def submit(self) -> None:
        self.action_write()

    def action_write(self, replace: bool = False) -> None:
        """Write the file (Ctrl+S); an existing one is replaced only if confirmed."""
        if self.writing:
            return
        field = self.path_field
        field.set_error("")
        if not field.value.strip():
            field.set_error(_("Type where to save the file."))
            return
        self.writing = True
        self.say(_("Exporting…"))
        self._write(field.value, self.fmt, replace)

    @work(thread=True, exclusive=True, group="export-write")
    def _write(self, text: str, fmt: str, replace: bool) -> None:
        from store.training import exporting

        path = resolve(text, self.folder)
        problem = target_problem(path)
        if problem:
            self.post_message(self.Failed(problem))
            return
        if path.exists() and not replace:
            self.post_message(self.Exists(path))
            return
        db, actor = self.session.db, self.session.acting
        try:
            if self.session_id is not None:
                count = exporting.export_session(db, actor, self.session_id, path, fmt)
            else:
                year = self.year or db.today().year
                count = exporting.export_report(db, actor, year, path, fmt)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
        else:
            self.post_message(self.Written(path, count))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(yes: bool) -> None:
            self.writing = False
            if yes:
                self.action_write(replace=True)
            else:
                self.say(_(NOT_REPLACED))

        ask_to_replace(self, message.path, answered)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.writing = False
        self.notify(
            _("Wrote {count} member(s) to {path}.").format(count=message.count, path=message.path),
            markup=False,
        )
        self.dismiss(str(message.path))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.writing = False
        self.say(_("Nothing was written."))
        self.path_field.set_error(clean_line(message.reason))

    def action_cancel(self) -> None:
        """Close without writing (Esc)."""
        if not self.writing:
            self.dismiss(None)
