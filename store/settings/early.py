"""The one setting read before Textual starts, without the settings model.

Textual takes its colour and repaint settings from the environment when it is imported, so
the ``shequ`` command reads the stored low-bandwidth setting first (tui/cli/main.py). The
login's first frame needs nothing else of the settings: importing the model (and through it
the records, validation and enums modules) for one boolean cost some 9 ms there, and reading
the file through to its end to find the table some 7 ms more at 5,000 members. Here the raw
value is read from the settings table at the file's head (store/engine/layout.py, ``HEAD``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.engine.datafile import DataFile

TABLE = "settings"  # its one name: ops.py takes it from here, not the reverse


def low_bandwidth_wanted(db: DataFile) -> bool:
    """Whether the stored settings ask every session for low-bandwidth mode.

    Only a stored ``true`` counts: a missing or invalid value is False, as
    :meth:`~store.settings.model.Settings.from_doc` reads it. The first record counts, as in
    :func:`~store.settings.ops.current`. Raises the store's errors for a file that cannot be
    read (the caller decides what that means).
    """
    docs = db.head_table(TABLE)
    doc = next(iter(docs.values()), None)
    return doc is not None and doc.get("low_bandwidth") is True
