"""Write the roster to a spreadsheet (coordinators and admins): the format, the file, archived?

A small dialog over the roster with three rows: the format (CSV, which Excel opens with the
Chinese intact, or an Excel XLSX workbook), where to save (a sensible name in the home folder,
following the format), and whether archived members go in too. Left/Right or Space change a
choice; Enter moves on and, on the last row, writes; Ctrl+S writes from anywhere.

The file is written by :func:`~store.members.exporting.export_members` in a worker through
:func:`~store.engine.output.write_output`, the rule every export shares: a file whole or not at
all (a temp file renamed into place), so a full disk or a folder we may not write in leaves
nothing half-written; a link's target, a FIFO or a device as they are; shequ's own database,
change log, lock and backups never. Every reason is said under the path. An existing file is
replaced only when the person says so (the question defaults to No). The dialog returns the path
written, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from screens.shell.base import community_name
from screens.shell.export_dialog import ExportDialog as FileExportDialog
from screens.shell.export_dialog import file_stem
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField
from screens.widgets.paths import resolve, with_format
from screens.widgets.text import SafeLabel
from store.errors import PermissionDenied, StoreError
from store.i18n import _, ngettext
from store.members.exporting import export_members
from store.permissions import Action, require

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx"}


def default_path(community: str, today: str, fmt: str) -> str:
    """``~/幸福里社区-2026-03-12.csv``: the community (or "members"), the date, the format."""
    stem = file_stem(community) or _("members")
    return f"~/{stem}-{today}{SUFFIXES[fmt]}"


def format_of(text: str) -> str | None:
    """The format a path's ending names, or None."""
    lower = text.strip().lower()
    return next((fmt for fmt, suffix in SUFFIXES.items() if lower.endswith(suffix)), None)


def target(text: str, folder: Path, fmt: str) -> Path:
    """The file to write: ``~`` expanded, relative to ``folder``, the format's ending if none.

    A folder is left as it is (:func:`target_problem` says so rather than writing beside it).
    """
    path = resolve(text, folder)
    if path.suffix or path.is_dir():
        return path
    return path.with_name(path.name + SUFFIXES[fmt])


class ExportDialog(FileExportDialog):
    """Choose the format, the file and archived or not; returns the path written, or None."""

    STATUS_ID = "export-status"

    @dataclass
    class Ready(Message):
        """The database was read: the community's name and today, for the default file name."""

        community: str
        today: str

    def __init__(self, session: Session, include_archived: bool = False) -> None:
        super().__init__(session, id="export-members")
        self.include_archived = include_archived
        self.suggested = default_path("", session.db.today().isoformat(), "csv")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield SafeLabel(_("Export the roster to a spreadsheet"), classes="dialog-question")
            yield ChoiceField(
                "format",
                _("Format"),
                [("csv", _("CSV")), ("xlsx", _("Excel XLSX"))],
                value="csv",
                show_all=True,
            )
            yield FormField("path", _("Save as"), value=self.suggested, max_length=1000)
            yield ChoiceField(
                "archived",
                _("Archived members"),
                [("no", _("Leave out")), ("yes", _("Include"))],
                value="yes" if self.include_archived else "no",
                show_all=True,
            )
            yield self.folder_hint()
            yield SafeLabel(
                _("Left/Right change a choice. Enter on the last row or Ctrl+S writes the file."),
                id="export-status",
                classes="dialog-hint",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        try:
            require(self.session.acting, Action.EXPORT)
        except PermissionDenied as refusal:  # the roster offers no key; this was forced
            self.notify(str(refusal), severity="warning", markup=False)
            self.dismiss(None)
            return
        self.choice("format").input.focus()
        self._read_community()

    # -- pieces ----------------------------------------------------------------------------------

    def choice(self, name: str) -> ChoiceField:
        """The choice row for ``name`` ("format" or "archived")."""
        return self.query_one(f"#field-{name}", ChoiceField)

    @property
    def fmt(self) -> str:
        """The chosen format: "csv" or "xlsx"."""
        return self.choice("format").value

    @property
    def include(self) -> bool:
        """Whether archived members go in too."""
        return self.choice("archived").value == "yes"

    @work(thread=True, exclusive=True, group="export-read")
    def _read_community(self) -> None:
        try:
            community = community_name(self.session.db.snapshot())
        except StoreError:
            return  # the plain default stays; writing will say what is wrong
        self.post_message(self.Ready(community, self.session.db.today().isoformat()))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        field = self.path_field
        if field.value == self.suggested:  # not edited yet
            self.suggested = default_path(message.community, message.today, self.fmt)
            field.value = self.suggested

    @on(ChoiceField.Changed, "#field-format")
    def _format_changed(self, message: ChoiceField.Changed) -> None:
        field = self.path_field
        before = field.value
        field.value = with_format(before, SUFFIXES, message.value)
        if before == self.suggested:  # still the suggestion, now in the other format
            self.suggested = field.value

    @on(Input.Changed)
    def _path_changed(self, event: Input.Changed) -> None:
        fmt = format_of(event.value)
        if fmt is not None:
            self.choice("format").value = fmt  # quietly: the path already says it

    # -- writing ---------------------------------------------------------------------------------

    def action_write(self, replace: bool = False) -> None:
        """Write the file (Ctrl+S), in a worker; an existing file is replaced only if confirmed."""
        if self.writing:
            return
        try:
            require(self.session.acting, Action.EXPORT)
        except PermissionDenied as refusal:
            self.notify(str(refusal), severity="warning", markup=False)
            return
        field = self.path_field
        field.set_error("")
        if not field.value.strip():
            field.set_error(_("Type where to save the file."))
            field.input.focus()
            return
        self.writing = True
        self.say(_("Exporting…"))
        self._write(field.value, self.fmt, self.include, replace)

    def write_again(self) -> None:
        self.action_write(replace=True)

    @work(thread=True, exclusive=True, group="export-write")
    def _write(self, text: str, fmt: str, include: bool, replace: bool) -> None:
        db, actor = self.session.db, self.session.acting

        def export(path: Path) -> str:
            count = export_members(db, actor, path, fmt, include_inactive=include)
            return ngettext(
                "Exported {count} member to {path}",
                "Exported {count} members to {path}",
                count,
            ).format(count=count, path=path)

        self.write_file(text, replace, export, lambda t: target(t, self.folder, fmt))
