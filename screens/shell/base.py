"""What every section screen shares: header, footer, translated keys and fresh data.

A section screen reads the database in a thread worker (parsing a big file must not freeze the
screen), turns the snapshot into what it shows in that thread (:meth:`SectionScreen.prepare`),
and updates its widgets on the UI thread (:meth:`SectionScreen.show`). It reloads when the App
says the file changed while the screen is showing, and when it comes back into view after a
change made while it was hidden; otherwise it never repaints on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from screens.shell.messages import DataChanged
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.header import SectionHeader
from screens.widgets.keys import translate_bindings
from store.engine.database import Snapshot
from store.engine.storage import StatKey
from store.errors import PermissionDenied, StoreError
from store.i18n import N_
from store.permissions import Action, require


def community_name(snapshot: Snapshot) -> str:
    """The community's name from the settings record, or "" when none is set."""
    for record in snapshot.all("settings"):
        name = record.get("community_name")
        if isinstance(name, str) and name:
            return name
    return ""


class SectionScreen(Screen[None]):
    """Base of each section's own screens: the one at the bottom of its stack (dashboard,
    roster...) and those opened on top of it (settings, change log)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Textual's "Focus Next" is jargon; same actions, plainer words.
        Binding("tab", "app.focus_next", N_("Next item"), show=False),
        Binding("shift+tab", "app.focus_previous", N_("Previous item"), show=False),
        # Textual's "copy selected text" needs a mouse selection, which this app never has; say
        # how to quit instead, as the App does. Text fields keep their own Ctrl+C (copy).
        Binding("ctrl+c,super+c", "app.help_quit", show=False, system=True),
    ]

    @dataclass
    class Loaded(Message):
        """A worker read the database; ``view`` is what :meth:`prepare` made of it."""

        token: StatKey | None
        community: str
        view: Any

    @dataclass
    class LoadFailed(Message):
        """The database could not be read; ``reason`` is one sentence for the user."""

        reason: str

    def __init__(self, session: Session, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.session = session
        self.section_title = title
        self.loaded = False
        self.load_failed = False
        self.token: StatKey | None = None

    def compose(self) -> ComposeResult:
        yield SectionHeader(self.section_title, user=self.session.user_label())
        yield from self.compose_body()
        yield FittingFooter()

    def compose_body(self) -> ComposeResult:
        """The widgets between header and footer."""
        yield from ()

    def has_unsaved_edits(self) -> bool:
        """Whether the screen holds edits not saved yet (Quit asks before dropping them)."""
        return False

    def accepts_keys(self) -> bool:
        """Whether keys typed ahead may reach this screen yet (tui/typeahead.py holds them
        until then): once its data is on screen, so that filling it in never overwrites or
        misreads what was typed. Not held while a form saves: F2-F6 may leave it meanwhile,
        and its answer waits in its section (tui/locking.py)."""
        return self.loaded or self.load_failed

    def permitted(self, action: Action) -> bool:
        """Whether the logged-in user may do ``action``; if not, say why (the store's sentence).

        Keys a role can't use are hidden already; this catches the same action forced another
        way (the command palette, a direct call). The store refuses it regardless.
        """
        try:
            require(self.session.acting, action)
        except PermissionDenied as refusal:
            self.notify(str(refusal), severity="warning", markup=False)
            return False
        return True

    def on_mount(self) -> None:
        # Textual calls every class's on_mount itself, base classes after subclasses: a
        # subclass's on_mount must not call this one again (it would read the file twice).
        # Paint the screen first, then read: parsing a big file holds the interpreter for tens
        # of milliseconds, and the first frame should not wait for it.
        self.call_after_refresh(self.reload)

    def reload(self) -> None:
        """Read the database again in a worker; a newer reload replaces a running one."""
        self._load()

    def is_stale(self) -> bool:
        """Whether the file changed since the data on screen was read (one stat)."""
        return not self.loaded or self.session.db.changed_since(self.token)

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        try:
            snapshot = self.session.db.snapshot()
            view = self.prepare(snapshot)
        except StoreError as error:
            self.post_message(self.LoadFailed(str(error)))
            return
        # A newer reload replaced this one: its (older) data must not land after the newer.
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(snapshot.token, community_name(snapshot), view))

    def prepare(self, snapshot: Snapshot) -> Any:
        """Turn a snapshot into what the screen shows; runs in a worker thread."""
        return None

    def show(self, view: Any) -> None:
        """Put a prepared view on screen (UI thread)."""

    def show_failure(self, reason: str) -> None:
        """Tell the user the data could not be read (UI thread)."""
        self.notify(reason, severity="error", markup=False)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loaded = True
        self.token = message.token
        self.query_one(SectionHeader).community = message.community
        self.show(message.view)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.load_failed = True
        self.show_failure(message.reason)

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_stale():
            self.reload()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded and self.is_stale():
            self.reload()
