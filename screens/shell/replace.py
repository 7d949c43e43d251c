"""Before an export replaces a file that is already there: look, then ask (the answer defaults
to No).

Every export dialog (the roster's, the patrol schedule's) writes through the store's one rule
for targets (:func:`store.engine.output.write_output`), which replaces a file silently: that
is right for the CLI, where ``--out`` says so, but a person typing a name in a dialog may not
know a file of that name is there. So each dialog, in its worker, calls :func:`must_ask`
before writing; when it says so, the dialog asks on the UI thread with :func:`ask_to_replace`
and writes again with the answer. The question, its answers and what is said when the person
keeps the file are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from screens.shell.dialogs import ConfirmDialog
from store.engine.database import Database
from store.engine.output import check_target
from store.i18n import N_, _

NOT_REPLACED = N_("Not written: choose another file name, or replace it.")
"""What the dialog says when the person keeps the file that is there."""


def must_ask(path: Path, db: Database) -> bool:
    """Whether writing ``path`` would replace a file already there (ask first).

    Raises :class:`~store.engine.output.OutputRefused` (one sentence) for a target no export may
    write at all (shequ's own files, a folder, a socket), so that is said before any question.
    A FIFO or a device is written to, not replaced: no question for those.
    """
    check_target(path, db)
    return path.is_file()


def ask_to_replace(screen: Screen[Any], path: Path, answered: Callable[[bool], None]) -> None:
    """Ask whether to replace ``path``; ``answered(True)`` only for an explicit yes."""

    def done(yes: bool | None) -> None:
        answered(bool(yes))

    screen.app.push_screen(
        ConfirmDialog(
            _("{path} already exists. Replace it?").format(path=path),
            yes=_("Replace it"),
            no=_("Keep it"),
        ),
        done,
    )
