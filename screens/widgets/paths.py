"""The file a person types in an export or import dialog, and why it can't be written.

Every dialog that asks for a path (the roster's import and export, training exports, patrol
exports) reads it the same way: ``~`` expanded, a relative path taken from the folder the app
was started in, a known ending switched with the chosen format. Whether shequ may write there at
all (never over its own files, links followed, devices) is the store's rule
(:func:`store.engine.output.check_target`); these say what is wrong in the person's words
before a worker is started.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from store.i18n import _


def resolve(text: str, folder: Path) -> Path:
    """The file ``text`` names: ``~`` expanded, a relative path taken from ``folder``."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def with_format(text: str, suffixes: Mapping[str, str], fmt: str) -> str:
    """``text`` with a known ending (one of ``suffixes``) changed to ``fmt``'s; others alone."""
    lower = text.lower()
    for suffix in suffixes.values():
        if lower.endswith(suffix):
            return text[: -len(suffix)] + suffixes[fmt]
    return text


def target_problem(path: Path) -> str:
    """Why nothing can be written at ``path`` ("" if it can be tried)."""
    folder = path.parent
    if path.is_dir():
        return _("{path} is a folder: add a file name after it.").format(path=path)
    if not folder.is_dir():
        return _("There is no folder {folder}.").format(folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        return _("You may not write in {folder}.").format(folder=folder)
    return ""
