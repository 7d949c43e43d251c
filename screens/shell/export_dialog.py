"""What every export dialog shares: its keys, the folder hint, the worker's answer, Esc.

The roster's, the patrol schedule's and the training exports are small dialogs (a format, what
to export, a path) that write a file in a worker through the store's one rule for every export
(:func:`~store.engine.output.write_output`: whole or not at all). Each had its own copy of the
same scaffolding: Ctrl+S writes, Esc cancels, Enter moves on (and on the last row writes);
keys typed while the file is written wait for the answer; the worker refuses a folder, a
missing folder or shequ's own files under the path, asks before replacing a file already there
(screens/shell/replace.py), says what was written and closes, or says "Nothing was written."
and why under the path. :class:`ExportDialog` holds it once; a dialog composes its rows and
says how to export (:meth:`ExportDialog.export`) and what to write again after "replace it".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen

from screens.shell.replace import NOT_REPLACED, ask_to_replace, must_ask
from screens.shell.session import Session
from screens.widgets.form import ENTER, EnterMovesOn, FormField
from screens.widgets.keys import translate_bindings
from screens.widgets.paths import resolve, target_problem
from screens.widgets.text import SafeLabel
from store.errors import StoreError
from store.i18n import N_, _
from store.textsafe import clean_line

_NOT_IN_NAMES = re.compile(r"[\s/\\:*?\"<>|]+")


def file_stem(*parts: str) -> str:
    """``patrols-张三-2026-W49``: the parts, cleaned of what file names can't hold (spaces,
    slashes, ``:*?"<>|``), empty parts left out."""
    cleaned = (_NOT_IN_NAMES.sub("-", clean_line(p)).strip("-.") for p in parts)
    return "-".join(p for p in cleaned if p)


class ExportDialog(EnterMovesOn, ModalScreen[str | None]):
    """A dialog that writes one file (see the module); returns the path written, or None.

    A subclass composes its rows (a :class:`FormField` ``"path"`` among them, the line
    :attr:`STATUS_ID` and, usually, :meth:`folder_hint`), implements :meth:`write_again` (the
    write after "replace it", with ``replace=True``) and starts a write by setting
    :attr:`writing`, then calling :meth:`write_file` from its worker.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", N_("Export")),
        Binding("escape", "cancel", N_("Cancel")),
        ENTER,
    ]

    STATUS_ID: ClassVar[str] = ""
    """The id of the line that says what is happening ("Exporting…")."""

    @dataclass
    class Exists(Message):
        """``path`` is there already: ask before replacing it."""

        path: Path

    @dataclass
    class Written(Message):
        """The file is written at ``path``; ``said`` tells the person what went in."""

        path: Path
        said: str

    @dataclass
    class Failed(Message):
        """Nothing was written; ``reason`` says why (under the path)."""

        reason: str

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.session = session
        self.folder = Path.cwd()
        self.writing = False

    def folder_hint(self) -> SafeLabel:
        """The hint saying where a relative path starts."""
        return SafeLabel(
            _("A path not starting with / or ~ starts from {folder}").format(folder=self.folder),
            classes="dialog-hint",
        )

    def accepts_keys(self) -> bool:
        """Keys typed while the file is written wait for the answer (the dialog may close)."""
        return not self.writing

    @property
    def path_field(self) -> FormField:
        """The field holding where to write."""
        return self.query_one("#field-path", FormField)

    def say(self, text: str) -> None:
        """The line that says what is happening."""
        self.query_one(f"#{self.STATUS_ID}", SafeLabel).update(text)

    def submit(self) -> None:
        """Enter on the last row: write the file."""
        self.action_write()

    def action_write(self) -> None:
        """Write the file (Ctrl+S)."""
        raise NotImplementedError

    def write_again(self) -> None:
        """Write once more, replacing the file the person agreed to replace."""
        raise NotImplementedError

    # -- in the worker -------------------------------------------------------------------------

    def write_file(
        self,
        text: str,
        replace: bool,
        export: Callable[[Path], str],
        locate: Callable[[str], Path] | None = None,
    ) -> None:
        """From a worker: write ``export(path)`` (which returns what to say) at the path
        ``text`` names (``locate(text)``; by default ``~`` expanded, relative to
        :attr:`folder`), unless it is refused or is there already and not ``replace``; posts
        :class:`Written`, :class:`Exists` or :class:`Failed`."""
        if not text.strip():
            self.post_message(self.Failed(_("Type where to save the file.")))
            return
        path = locate(text) if locate else resolve(text, self.folder)
        problem = target_problem(path)
        if problem:
            self.post_message(self.Failed(problem))
            return
        try:
            # shequ's own files, sockets...: said before asking whether to replace anything.
            if must_ask(path, self.session.db) and not replace:
                self.post_message(self.Exists(path))
                return
            said = export(path)
        except StoreError as error:  # WriteFailed (disk full...), OutputRefused, PermissionDenied
            self.post_message(self.Failed(str(error)))
        else:
            self.post_message(self.Written(path, said))

    # -- the answer ----------------------------------------------------------------------------

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool) -> None:
            self.writing = False
            if replace:
                self.write_again()
            else:
                self.say(_(NOT_REPLACED))
                self.path_field.input.focus()

        ask_to_replace(self, message.path, answered)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.writing = False
        self.notify(message.said, markup=False)
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
