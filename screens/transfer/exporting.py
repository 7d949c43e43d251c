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
from textual.widgets import Input

from screens.shell.base import community_name
from screens.shell.replace import NOT_REPLACED, ask_to_replace, must_ask
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import (
    ENTER,
    EnterMovesOn,
    FormField,
)
from screens.widgets.keys import translate_bindings
from screens.widgets.paths import resolve, target_problem, with_format
from screens.widgets.text import SafeLabel
from store.errors import PermissionDenied, StoreError
from store.i18n import N_, _, ngettext
from store.members.exporting import export_members
from store.permissions import Action, require
from store.textsafe import clean_line

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx"}
_NOT_IN_NAMES = re.compile(r"[\s/\\:*?\"<>|]+")


def default_path(community: str, today: str, fmt: str) -> str:
    """``~/幸福里社区-2026-03-12.csv``: the community (or "members"), the date, the format."""
    stem = _NOT_IN_NAMES.sub("-", clean_line(community)).strip("-.") or _("members")
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


class ExportDialog(EnterMovesOn, ModalScreen[str | None]):
    """Choose the format, the file and archived or not; returns the path written, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", N_("Export")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    @dataclass
    class Ready(Message):
        """The database was read: the community's name and today, for the default file name."""

        community: str
        today: str

    @dataclass
    class Exists(Message):
        """``path`` is already there: ask before replacing it."""

        path: Path

    @dataclass
    class Written(Message):
        """``count`` members were written to ``path``."""

        path: Path
        count: int

    @dataclass
    class Failed(Message):
        """Nothing was written; ``reason`` says why (under the path field)."""

        reason: str

    def __init__(self, session: Session, include_archived: bool = False) -> None:
        super().__init__(id="export-members")
        translate_bindings(self)
        self.session = session
        self.include_archived = include_archived
        self.folder = Path.cwd()
        self.suggested = default_path("", session.db.today().isoformat(), "csv")
        self.writing = False

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
            yield SafeLabel(
                _("A path not starting with / or ~ starts from {folder}").format(
                    folder=self.folder
                ),
                classes="dialog-hint",
            )
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

    def accepts_keys(self) -> bool:
        """Keys typed while the file is written wait for the answer (the dialog may close)."""
        return not self.writing

    # -- pieces ----------------------------------------------------------------------------------

    @property
    def path_field(self) -> FormField:
        """The field holding where to write."""
        return self.query_one(FormField)

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

    def say(self, text: str) -> None:
        """The line at the bottom of the dialog."""
        self.query_one("#export-status", SafeLabel).update(text)

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

    def submit(self) -> None:
        """Enter on the last field: write the file."""
        self.action_write()

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

    @work(thread=True, exclusive=True, group="export-write")
    def _write(self, text: str, fmt: str, include: bool, replace: bool) -> None:
        path = target(text, self.folder, fmt)
        problem = target_problem(path)
        if problem:
            self.post_message(self.Failed(problem))
            return
        try:
            # shequ's own files, sockets...: said before asking whether to replace anything.
            ask = must_ask(path, self.session.db)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        if ask and not replace:
            self.post_message(self.Exists(path))
            return
        try:
            count = export_members(
                self.session.db, self.session.acting, path, fmt, include_inactive=include
            )
        except StoreError as error:  # WriteFailed (disk full...), OutputRefused, PermissionDenied
            self.post_message(self.Failed(str(error)))
        else:
            self.post_message(self.Written(path, count))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool) -> None:
            self.writing = False
            if replace:
                self.action_write(replace=True)
            else:
                self.say(_(NOT_REPLACED))
                self.path_field.input.focus()

        ask_to_replace(self, message.path, answered)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.writing = False
        self.notify(
            ngettext(
                "Exported {count} member to {path}",
                "Exported {count} members to {path}",
                message.count,
            ).format(count=message.count, path=message.path),
            markup=False,
        )
        self.dismiss(str(message.path))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.writing = False
        self.say(_("Nothing was written."))
        field = self.path_field
        field.set_error(clean_line(message.reason))
        field.input.focus()

    def action_cancel(self) -> None:
        """Close without writing (Esc); a write under way finishes first (it is quick)."""
        if self.writing:
            self.say(_("Writing the file… one moment."))
            return
        self.dismiss(None)
