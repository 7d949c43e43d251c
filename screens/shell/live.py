"""Dialogs that show store data follow other sessions' changes, as section screens do.

The App watches the data file and posts :class:`~screens.shell.messages.DataChanged` to the
screens in view: the one on top and those a dialog leaves visible (tui/app.py). A section
screen re-reads on it (:class:`~screens.shell.base.SectionScreen`); a dialog that shows what
it read from the store (the assign list with its fairness hints, the members a form links
to) mixes in :class:`LiveDialog` and re-reads on the same message, so there is one watcher
and one path, whatever brings the change to the file or the store.

A re-read keeps the person's place: the dialog shows the new data under the search text
still typed and with the same record selected (by its id), as section screens' ``show`` does.
"""

from __future__ import annotations

from screens.shell.messages import DataChanged
from screens.shell.session import Session
from store.engine.storage import StatKey


class LiveDialog:
    """Mix into a dialog (before its Textual class) that shows data read from the store.

    The dialog sets :attr:`data_token` to the snapshot's token when its read lands, and
    implements :meth:`reread` (read again in a worker, then show it keeping the search text and
    the selection). A change the dialog already shows (its own save, re-read at once) costs
    one stat and nothing else.
    """

    session: Session
    data_token: StatKey | None = None
    """The token of the snapshot the dialog shows (None: nothing read yet)."""

    def on_data_changed(self, message: DataChanged) -> None:
        """The App saw the data file change: re-read if what is shown is older."""
        if self.data_token is not None and not self.session.db.changed_since(self.data_token):
            return
        self.reread()

    def reread(self) -> None:
        """Read the data again and show it, keeping the search text and the selection."""
        raise NotImplementedError
