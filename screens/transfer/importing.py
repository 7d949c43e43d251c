"""Bring members in from a spreadsheet (coordinators and admins): choose the file, look, import.

Two steps on one screen, because nothing is written until the last key. Step 1 asks for the
file's path (absolute, ``~``, or relative to the folder shequ was started in, which the screen
names, with the spreadsheets found there); Enter reads it with
:func:`~store.members.importing.plan_import` in a worker, which writes nothing. A file that can't be
imported (no such file, a folder, not CSV/XLSX, not a roster, empty) is said under the field.
Step 2 shows what importing would do: the counts, every refused row with its message, the
members that would change, the columns not imported; Ctrl+S applies it with
:func:`~store.members.importing.apply_import` (one transaction: all the good rows or none). A
member another session changed since the file was read is left as it is and listed; r then
reads the file again for a fresh preview. Esc goes
back one step: from the preview to the path (nothing was done), while reading it stops the
reading, while importing it stops the import before its commit (nothing is written), after the
import it returns to the roster, which re-reads the file by itself. When another session
changes the data while the preview is shown, the file is planned again against the new data,
so what Ctrl+S promises is always what it would do now.

Everything from the file is user data: the refused rows and names are shown literally, cleaned
of control characters, in one scrolling text (thousands of refused rows are one widget). What
the screen says about paths, files and plans is built in :mod:`screens.transfer.import_view`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.worker import get_current_worker

from screens.shell.base import SectionScreen
from screens.shell.session import Session
from screens.transfer.import_report import ReportKey
from screens.transfer.import_view import (
    ENCODINGS,
    ENTER_READS,
    counts_line,
    details,
    file_problem,
    files_hint,
    result_line,
    spreadsheets_in,
    stale_details,
)
from screens.widgets.form import FormField, after_typed_keys
from screens.widgets.paths import resolve
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel, plain
from store.engine.database import Snapshot
from store.errors import PermissionDenied, StoreError
from store.i18n import N_, _, join_list
from store.members.importing import ImportPlan, ImportResult, apply_import, plan_import
from store.permissions import Action, require
from store.textsafe import clean_line

Phase = Literal["ask", "reading", "preview", "importing", "done"]


class _Stopped(Exception):
    """The person pressed Esc while the file was being read."""


class ImportScreen(ReportKey, SectionScreen):
    """Step 1: the file's path; step 2: what importing it would do, and Ctrl+S to do it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority Enter, as forms have (screens.widgets.form), shown: it is step 1's action.
        Binding("enter", "enter", N_("Read file"), priority=True),
        Binding("ctrl+s", "apply", N_("Import")),
        Binding("r", "read_again", N_("Read again")),
        Binding("t", "next_sheet", N_("Next sheet")),
        Binding("w", "write_report", N_("Save report")),
        Binding("escape", "back", N_("Back")),
    ]

    # The footer keeps these first at 80 columns (screens/widgets/footer.py): reading and
    # importing, then saving the report and choosing the sheet, then the way back.
    FOOTER_RANK: ClassVar[tuple[str, ...]] = (
        "enter",
        "apply",
        "read_again",
        "write_report",
        "next_sheet",
        "back",
    )

    @dataclass
    class Progress(Message):
        """Reading file ``ticket`` got through ``done`` of ``total`` rows."""

        ticket: int
        done: int
        total: int

    @dataclass
    class Planned(Message):
        """File ``ticket`` was read; ``plan`` is what importing it would do."""

        ticket: int
        plan: ImportPlan

    @dataclass
    class Unreadable(Message):
        """File ``ticket`` can't be imported; ``reason`` goes under the path field."""

        ticket: int
        reason: str

    @dataclass
    class Applied(Message):
        """The import was written; ``result`` counts what it did."""

        result: ImportResult

    @dataclass
    class ApplyFailed(Message):
        """The import was not written; ``reason`` says why in one sentence."""

        reason: str

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="import-members")
        self.folder = Path.cwd()
        self.phase: Phase = "ask"
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.ticket = 0  # which reading the screen waits for; older ones are ignored
        self.sheet: str | None = None  # the workbook's sheet chosen with t (None: the best)
        self.stopping = threading.Event()  # Esc while importing: the worker stops before commit

    def compose_body(self) -> ComposeResult:
        with Vertical(id="import-ask"):
            yield SafeLabel(
                _("Bring members in from a spreadsheet: CSV (UTF-8 or GBK) or Excel XLSX."),
                classes="import-heading",
            )
            yield FormField("path", _("File to import"), max_length=1000)
            yield SafeLabel(
                _("A path not starting with / or ~ starts from {folder}").format(
                    folder=self.folder
                ),
                id="import-where",
            )
            yield SafeLabel("", id="import-files")
            yield SafeLabel(_(ENTER_READS), id="import-hint")
        with Vertical(id="import-preview"):
            yield SafeLabel("", id="import-file")
            yield SafeLabel("", id="import-counts")
            yield SafeLabel("", id="import-columns")
            with TextScroll(id="import-rows"):
                yield SafeLabel("", id="import-details")
            yield SafeLabel("", id="import-status")

    def on_mount(self) -> None:
        self.query_one("#import-preview").display = False
        field = self.path_field
        try:
            require(self.session.acting, Action.IMPORT)
        except PermissionDenied as refusal:  # the roster offers no key; this was forced
            field.input.disabled = True
            self.say_hint(str(refusal))
            self.notify(str(refusal), severity="warning", markup=False)
        else:
            field.input.focus()

    # -- pieces ----------------------------------------------------------------------------------

    @property
    def path_field(self) -> FormField:
        """The field holding the file's path."""
        return self.query_one(FormField)

    def say_hint(self, text: str) -> None:
        """The line under the path field that says what Enter does (or what it is doing)."""
        self.query_one("#import-hint", SafeLabel).update(text)

    def say_status(self, text: str) -> None:
        """The last line of the preview: what Ctrl+S would do, or did."""
        self.query_one("#import-status", SafeLabel).update(text)

    def set_phase(self, phase: Phase) -> None:
        """Move to ``phase``: show its step and offer only the keys that work in it."""
        self.phase = phase
        asking = phase in ("ask", "reading")
        self.query_one("#import-ask").display = asking
        self.query_one("#import-preview").display = not asking
        self.refresh_bindings()

    def prepare(self, snapshot: Snapshot) -> list[str]:
        return spreadsheets_in(self.folder)

    def show(self, view: list[str]) -> None:
        self.query_one("#import-files", SafeLabel).update(files_hint(view))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return self.phase == "ask" and self.focused is self.path_field.input
        if action == "apply":
            plan = self.plan
            return self.phase == "preview" and plan is not None and bool(plan.added or plan.updated)
        if action == "read_again":
            return self.phase == "done" and self.result is not None and bool(self.result.stale)
        if action == "write_report":
            plan = self.plan
            return (
                self.phase in ("preview", "done")
                and plan is not None
                and bool(plan.warnings or plan.refused)
            )
        if action == "next_sheet":
            return self.phase == "preview" and self.plan is not None and len(self.plan.sheets) > 1
        return True

    # -- step 1: reading -------------------------------------------------------------------------

    def action_enter(self) -> None:
        """Enter in the path field: read the file once the keys typed before it are in."""
        self.sheet = None  # a file typed anew: its best sheet first
        after_typed_keys([self.path_field], self.read_file)

    def action_next_sheet(self) -> None:
        """Read the workbook's next sheet instead (t), for a workbook with several."""
        plan = self.plan
        if self.phase != "preview" or plan is None or len(plan.sheets) < 2:
            return
        names = plan.sheets
        self.sheet = names[(names.index(plan.sheet) + 1) % len(names)]
        self.set_phase("ask")
        self.read_file()

    def read_file(self) -> None:
        """Read the file the field names, in a worker; nothing is written."""
        if self.phase != "ask" or not self.permitted(Action.IMPORT):
            return
        field = self.path_field
        field.set_error("")
        text = field.value.strip()
        if not text:
            field.set_error(_("Type the path of a CSV or XLSX file."))
            return
        self.ticket += 1
        self.set_phase("reading")
        self.say_hint(_("Reading… (Esc stops)"))
        self._read(self.ticket, resolve(text, self.folder), self.sheet)

    @work(thread=True, exclusive=True, group="import-read")
    def _read(self, ticket: int, path: Path, sheet: str | None) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Stopped
            self.post_message(self.Progress(ticket, done, total))

        problem = file_problem(path)
        if problem:
            self.post_message(self.Unreadable(ticket, problem))
            return
        try:
            plan = plan_import(self.session.db, path, progress, sheet=sheet)
        except _Stopped:
            return
        except StoreError as error:  # ImportRefused: not a roster, no name column, no rows...
            self.post_message(self.Unreadable(ticket, str(error)))
            return
        except Exception as error:  # a damaged workbook can fail anywhere inside openpyxl
            reason = _("Can't read {name}: {reason}").format(name=path.name, reason=error)
            self.post_message(self.Unreadable(ticket, reason))
            return
        if not (plan.added or plan.updated or plan.unchanged or plan.refused):
            reason = _("{name} has a header row but no members under it.").format(name=path.name)
            self.post_message(self.Unreadable(ticket, reason))
            return
        self.post_message(self.Planned(ticket, plan))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if message.ticket == self.ticket and self.phase == "reading":
            self.say_hint(
                _("Reading… {done} of {total} rows (Esc stops)").format(
                    done=message.done, total=message.total
                )
            )

    @on(Unreadable)
    def _unreadable(self, message: Unreadable) -> None:
        if message.ticket != self.ticket or self.phase not in ("reading", "preview"):
            return
        self.set_phase("ask")
        self.say_hint(_("Nothing was read: correct the path and press Enter."))
        field = self.path_field
        field.set_error(clean_line(message.reason))
        field.input.focus()

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        if message.ticket != self.ticket or self.phase not in ("reading", "preview"):
            return
        again = self.phase == "preview"
        self.plan = message.plan
        self.show_plan(message.plan)
        if again:
            self.notify(
                _("The data changed meanwhile: the preview was worked out again."), markup=False
            )

    def reload(self) -> None:
        """After the file changed: the path step's list again, and a shown preview planned anew.

        A preview is a promise about the data it was planned from; once another session has
        saved, the counts and the members to update may no longer hold, so it is worked out
        again from the same file (still in the preview, the old one shown meanwhile).
        """
        super().reload()
        plan = self.plan
        if self.phase == "preview" and plan is not None and self.loaded:
            self.ticket += 1
            self._read(self.ticket, plan.path, plan.sheet)

    def show_plan(self, plan: ImportPlan) -> None:
        """Step 2: what importing ``plan`` would do."""
        encoding = _(ENCODINGS.get(plan.encoding, plan.encoding))
        self.query_one("#import-file", SafeLabel).update(
            _("File: {name} ({encoding})").format(name=plan.path.name, encoding=encoding)
        )
        self.query_one("#import-counts", SafeLabel).update(counts_line(plan))
        columns = join_list(plan.unknown_columns)
        self.query_one("#import-columns", SafeLabel).update(
            _("Not imported (unknown columns): {columns}").format(columns=columns)
            if columns
            else _("Every column was recognised.")
        )
        text = details(plan)
        rows = self.query_one("#import-rows", TextScroll)
        rows.display = bool(text)
        self.query_one("#import-details", SafeLabel).update(plain(text))
        if plan.added or plan.updated:
            self.say_status(
                _(
                    "Ctrl+S imports: {added} to add, {updated} to update; refused rows stay out. "
                    "Esc: another file."
                ).format(added=len(plan.added), updated=len(plan.updated))
            )
        else:
            self.say_status(
                _("Nothing to add or update: the roster has every good row already. Esc: back.")
            )
        self.say_hint(_(ENTER_READS))
        self.set_phase("preview")
        rows.scroll_home(animate=False)
        if text:
            rows.focus()

    # -- step 2: importing -----------------------------------------------------------------------

    def action_apply(self) -> None:
        """Write the good rows (Ctrl+S), in one transaction, in a worker."""
        plan = self.plan
        if self.phase != "preview" or plan is None or not self.permitted(Action.IMPORT):
            return
        if not (plan.added or plan.updated):
            return
        self.set_phase("importing")
        self.say_status(_("Importing… (Esc stops: nothing is written until the end)"))
        self.stopping.clear()
        self._apply(plan)

    @work(thread=True, exclusive=True, group="import-apply")
    def _apply(self, plan: ImportPlan) -> None:
        try:
            result = apply_import(self.session.db, self.session.acting, plan, self.stopping.is_set)
        except StoreError as error:  # Stopped, PermissionDenied, DatabaseBusy, WriteFailed...
            self.post_message(self.ApplyFailed(str(error)))
        else:
            self.post_message(self.Applied(result))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        self.result = result = message.result
        line = result_line(result)
        self.set_phase("done")
        if result.stale:  # members another session changed meanwhile were left alone
            rows = self.query_one("#import-rows", TextScroll)
            rows.display = True
            self.query_one("#import-details", SafeLabel).update(plain(stale_details(result)))
            rows.scroll_home(animate=False)
            hint = _("r reads the file again and shows what importing would do now.")
            self.say_status(f"{line} {hint} {_('Esc: back to the roster.')}")
        else:
            self.say_status(line + " " + _("Esc: back to the roster."))
        self.notify(line, markup=False)

    def action_read_again(self) -> None:
        """Read the same file again after members changed meanwhile (r): a fresh preview."""
        if self.phase == "done" and self.result is not None and self.result.stale:
            self.result = None
            self.set_phase("ask")
            self.read_file()

    @on(ApplyFailed)
    def _apply_failed(self, message: ApplyFailed) -> None:
        self.set_phase("preview")
        if self.stopping.is_set():
            self.say_status(_("Stopped: nothing was imported. Ctrl+S imports; Esc: another file."))
        else:
            self.say_status(_("Nothing was imported: {reason}").format(reason=message.reason))

    # -- leaving ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Esc: one step back; while reading, stop reading; after importing, to the roster."""
        if self.phase == "reading":
            self.ticket += 1  # whatever the worker still posts is ignored
            self.workers.cancel_group(self, "import-read")
            self.set_phase("ask")
            self.say_hint(_("Stopped reading; nothing was written."))
            self.path_field.input.focus()
        elif self.phase == "preview":
            self.set_phase("ask")
            self.say_hint(_(ENTER_READS))
            self.path_field.input.focus()
        elif self.phase == "importing":
            self.stopping.set()  # the worker stops at the next row, or was already committing
            self.say_status(_("Stopping… nothing is written unless it was already saving."))
        else:
            self.dismiss(None)
