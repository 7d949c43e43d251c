"""What the subcommands share: opening a database that must exist, and printing a table that
lines up in Chinese. Its own module so the subcommands import it, never the parser that
imports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from store.i18n import _

if TYPE_CHECKING:
    from store.engine.database import Database


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows (the first is the titles) in columns that line up in Chinese too.

    Widths are counted in terminal cells (a Chinese character takes two), not characters.
    """
    from rich.cells import cell_len

    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (
            cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)
        )
        print("  ".join(cells).rstrip())


def existing_database(db_path: Path) -> Database:
    """The database at ``db_path``, or NotFound: commands that read must not invent one."""
    from store.engine.database import open_database
    from store.errors import NotFound

    db = open_database(db_path)
    if not db.exists():
        raise NotFound(_("there is no database at {path}.").format(path=db_path))
    return db
