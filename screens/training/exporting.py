"""Export from the training screens: a session's attendance (CSV, Excel XLSX, or a printable
sign-in sheet as plain text) or a year's hours report (CSV, XLSX).

A small dialog: the format (Left/Right or Space), where to save (suggested in the home folder,
following the format); Enter moves on and, on the path, writes; Ctrl+S writes from anywhere.
The store writes the file in a worker, whole or not at all; an existing file is replaced only
when the person says so; a problem is said under the path and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical

from screens.shell.export_dialog import ExportDialog as FileExportDialog
from screens.shell.export_dialog import file_stem
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField
from screens.widgets.paths import with_format
from screens.widgets.text import SafeLabel
from store.i18n import _

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "sheet": ".txt"}


def suggested_path(stem: str, fmt: str) -> str:
    """``~/党课-2026-03-05.csv``: a name from what is exported, the format's ending."""
    return f"~/{file_stem(stem) or _('training')}{SUFFIXES[fmt]}"


class ExportDialog(FileExportDialog):
    """Export ``session_id``'s attendance, or the hours report of ``year``."""

    STATUS_ID = "training-export-status"

    def __init__(
        self,
        session: Session,
        *,
        session_id: str | None = None,
        title: str = "",
        year: int | None = None,
    ) -> None:
        super().__init__(session, id="training-export-screen")
        self.session_id = session_id
        self.year = year
        stem = title if session_id else _("study-hours-{year}").format(year=year)
        self.suggested = suggested_path(stem, "csv")

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
            yield self.folder_hint()
            yield SafeLabel(
                _("Enter on the path or Ctrl+S writes the file."),
                id="training-export-status",
                classes="dialog-hint",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#field-format", ChoiceField).input.focus()

    @property
    def fmt(self) -> str:
        return self.query_one("#field-format", ChoiceField).value

    @on(ChoiceField.Changed, "#field-format")
    def _format_changed(self, message: ChoiceField.Changed) -> None:
        self.path_field.value = with_format(self.path_field.value, SUFFIXES, message.value)

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

    def write_again(self) -> None:
        self.action_write(replace=True)

    @work(thread=True, exclusive=True, group="export-write")
    def _write(self, text: str, fmt: str, replace: bool) -> None:
        from store.training import exporting

        db, actor = self.session.db, self.session.acting

        def export(path: Path) -> str:
            if self.session_id is not None:
                count = exporting.export_session(db, actor, self.session_id, path, fmt)
            else:
                year = self.year or db.today().year
                count = exporting.export_report(db, actor, year, path, fmt)
            return _("Wrote {count} member(s) to {path}.").format(count=count, path=path)

        self.write_file(text, replace, export)
