"""What every section screen shares: header, footer, translated keys and fresh data.

A section screen reads the database in a thread worker (parsing a big file must not freeze the
screen), turns the snapshot into what it shows in that thread (:meth:`SectionScreen.prepare`),
and updates its widgets on the UI thread (:meth:`SectionScreen.show`). It reloads when the App
says the file changed while the screen is showing (another session's save shows within the
App's stat interval), and when it comes back into view after a change made while it was hidden;
otherwise it never repaints on its own.

A screen whose section is not the one shown does not read: a reload asked for meanwhile (its
first, say, when someone signs in and presses 2 before the dashboard is built) waits until the
screen is back in view, and a read still under way when its section is left is cancelled. A
long :meth:`~SectionScreen.prepare` calls :func:`stop_if_cancelled` between its parts, so the
work stops there instead of competing with the section now shown for the one interpreter
(and its memory); nothing half-built is kept, as a cancelled read posts nothing.

A reload keeps the person's place: each screen's :meth:`~SectionScreen.show` keeps the cursor
on the same record, the search text and the filter, and a form holding unsaved edits keeps
them. Such a form names its record (:meth:`~SectionScreen.edited_record`); when someone else
saved that record meanwhile, the worker reads who from the change log's tail and the form says
"changed by NAME meanwhile" (:meth:`~SectionScreen.show_meanwhile`); saving then meets the
newer version and the form's conflict question as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import ScreenResume, ScreenSuspend
from textual.message import Message
from textual.worker import NoActiveWorker, get_current_worker

from screens.shell.held import PaintedAfterHolds
from screens.shell.messages import DataChanged, ScreenReady
from screens.shell.session import Session
from screens.widgets.footer import FittingFooter
from screens.widgets.header import SectionHeader
from screens.widgets.keys import translate_bindings
from store.engine.database import Snapshot
from store.engine.storage import StatKey
from store.errors import StoreError
from store.i18n import N_, _
from store.permissions import Action, allowed, refusal


class LoadStopped(Exception):
    """A screen's read was cancelled (its section was left): stop preparing, show nothing."""


def stop_if_cancelled() -> None:
    """Between the parts of a long :meth:`SectionScreen.prepare`: stop here (raise
    :class:`LoadStopped`) if this read was cancelled; nothing outside a worker."""
    try:
        worker = get_current_worker()
    except NoActiveWorker:
        return
    if worker.is_cancelled:
        raise LoadStopped


def community_name(snapshot: Snapshot) -> str:
    """The community's name from the settings record, or "" when none is set."""
    for record in snapshot.all("settings"):
        name = record.get("community_name")
        if isinstance(name, str) and name:
            return name
    return ""


@dataclass(frozen=True, slots=True)
class EditedRecord:
    """The stored record a form edits, and the version its unsaved edits began from."""

    table: str
    record_id: str
    version: int


@dataclass(frozen=True, slots=True)
class Meanwhile:
    """The edited record was saved elsewhere: by ``name`` ("" unknown), now at ``version``."""

    record: EditedRecord
    name: str
    version: int


def meanwhile_text(name: str) -> str:
    """What a form says when its record was saved by someone else while it was being edited."""
    if name:
        return _("Changed by {name} meanwhile.").format(name=name)
    return _("Changed by someone else meanwhile.")


class SectionScreen(PaintedAfterHolds[None]):
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

    # Neither message bubbles: the screen that read handles it, and a message left to bubble
    # is dispatched again at the App (its handlers looked up there) on every save any
    # session makes.
    @dataclass
    class Loaded(Message, bubble=False):
        """A worker read the database; ``view`` is what :meth:`prepare` made of it."""

        token: StatKey | None
        community: str
        view: Any
        meanwhile: Meanwhile | None = None
        """Someone saved the edited record since the form's edits began; None: nobody."""

    @dataclass
    class LoadFailed(Message, bubble=False):
        """The database could not be read; ``reason`` is one sentence for the user."""

        reason: str

    NEEDS: ClassVar[Mapping[str, Action]] = {}
    """What the user's role needs for each of the screen's actions (by action name). A key whose
    action the role lacks is hidden from the footer and help (:meth:`check_action`) and, pressed
    anyway, says why (:meth:`role_refusal`, asked by tui/refused_keys.py)."""

    VIEW_TABLES: ClassVar[frozenset[str] | None] = None
    """The tables the prepared view is made from, when it is made from nothing else that
    changes but the screen's own state (:meth:`view_key`), the logged-in user and the day:
    the view is then kept with the file's version through other sessions' saves that touch
    none of them (Snapshot.kept), and :meth:`show` is not called again for it (nothing to
    redraw; see :meth:`show_again`). None: prepared again on every change."""

    read_at_once = False
    """Read on mount instead of after the first frame. The shell sets it on each section's first
    screen: a section switch paints that screen only once its data is on it (tui/switching.py),
    so a read waiting for the first frame would wait for the switch's longest hold."""

    def __init__(self, session: Session, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.session = session
        self.section_title = title
        self.loaded = False
        self.load_failed = False
        self.token: StatKey | None = None
        self._meanwhile_said: Meanwhile | None = None
        self.saving = False
        """A save is under way (forms set it from Ctrl+S until the store's answer is handled)."""
        self._view_shown: Any = None  # what show() was last handed
        self._left = False  # its section was left (another shown, or the lock), not back yet
        self._read_when_back = False  # a reload was asked for (or cut short) meanwhile

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

    def edited_record(self) -> EditedRecord | None:
        """The record this screen holds unsaved edits to (forms say which), else None."""
        return None

    def show_meanwhile(self, text: str) -> None:
        """Say ``text`` ("Changed by 王芳 meanwhile."), and what saving will do now; forms show
        it in their message line (by default a toast)."""
        self.notify(text + " " + _("Your edits are kept."), severity="warning", markup=False)

    def accepts_keys(self) -> bool:
        """Whether keys typed ahead may reach this screen yet (tui/typeahead.py holds them
        until then): once its data is on screen, so that filling it in never overwrites or
        misreads what was typed; and not while a save is under way (:attr:`saving`), since
        the save's answer may close the form, ask a question, or take what the form holds as
        saved: keys typed after Ctrl+S belong to whatever follows it, in order. The wait is
        the save's (a slow disk, a busy lock), at most tui.typeahead.HOLD_LIMIT; Ctrl+L
        still locks at once."""
        return (self.loaded or self.load_failed) and not self.saving

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key; a screen's own rules (a row under the cursor...) come after.
        need = self.NEEDS.get(action)
        return need is None or allowed(self.session.acting, need)

    def role_refusal(self, action: str, parameters: tuple[object, ...] = ()) -> str | None:
        """The store's sentence if the user's role lacks what ``action`` needs (:attr:`NEEDS`),
        else None."""
        need = self.NEEDS.get(action)
        return None if need is None else refusal(self.session.acting, need)

    def permitted(self, action: Action) -> bool:
        """Whether the logged-in user may do ``action``; if not, say why (the store's sentence).

        Keys a role can't use are hidden already; this catches the same action forced another
        way (the command palette, a direct call). The store refuses it regardless.
        """
        refused = refusal(self.session.acting, action)
        if refused is not None:
            self.notify(refused, severity="warning", markup=False)
        return refused is None

    def on_mount(self) -> None:
        # Textual calls every class's on_mount itself, base classes after subclasses: a
        # subclass's on_mount must not call this one again (it would read the file twice).
        if self.read_at_once:
            self.reload()
        else:
            # Paint the screen first, then read: parsing a big file holds the interpreter for
            # tens of milliseconds, and the first frame should not wait for it.
            self.call_after_refresh(self.reload)

    def reload(self) -> None:
        """Read the database again in a worker; a newer reload replaces a running one.

        While its section is left (another section is shown, or the lock), the read waits
        until the screen is back in view (see the module).
        """
        if self._left:
            self._read_when_back = True
            return
        self._read_when_back = False
        self._load(self.edited_record())

    def in_its_section(self) -> bool:
        """Whether this screen is on the stack of the section shown now (on top, or under a
        screen or dialog of its own section)."""
        return self.is_attached and self in self.app.screen_stack

    def is_stale(self) -> bool:
        """Whether the file changed since the data on screen was read (one stat)."""
        return not self.loaded or self.session.db.changed_since(self.token)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, edited: EditedRecord | None = None) -> None:
        try:
            stop_if_cancelled()
            snapshot = self.session.db.snapshot()
            view = self._prepared(snapshot)
            meanwhile = self._meanwhile(snapshot, edited)
        except LoadStopped:
            return
        except StoreError as error:
            if not get_current_worker().is_cancelled:
                self.post_message(self.LoadFailed(str(error)))
            return
        # A newer reload replaced this one: its (older) data must not land after the newer.
        if not get_current_worker().is_cancelled:
            self.post_message(
                self.Loaded(snapshot.token, community_name(snapshot), view, meanwhile)
            )

    def _meanwhile(self, snapshot: Snapshot, edited: EditedRecord | None) -> Meanwhile | None:
        """Who saved ``edited`` since its edits began (worker thread); None if nobody did."""
        if edited is None:
            return None
        doc = snapshot.get(edited.table, edited.record_id)
        version = doc.get("version") if doc is not None else None
        if not isinstance(version, int) or version == edited.version:
            return None  # unchanged, or gone (the form says that itself)
        from store.users.who import who_changed

        try:
            name = who_changed(self.session.db, snapshot, edited.table, edited.record_id)
        except OSError:
            name = ""  # the log unreadable: still say that someone did
        return Meanwhile(edited, name, version)

    def _prepared(self, snapshot: Snapshot) -> Any:
        tables = self.VIEW_TABLES
        if tables is None:
            return self.prepare(snapshot)
        actor, kind = self.session.acting, type(self)
        key = (
            f"view:{kind.__module__}.{kind.__qualname__}:{actor.role}:{actor.user_id}:"
            f"{actor.member_id}:{self.session.db.today()}:{self.view_key()}"
        )
        return snapshot.kept(key, tables, self.prepare)

    def view_key(self) -> str:
        """What of the screen's own state its view is made from (a week, a year): part of the
        key its view is kept under (see :attr:`VIEW_TABLES`)."""
        return ""

    def prepare(self, snapshot: Snapshot) -> Any:
        """Turn a snapshot into what the screen shows; runs in a worker thread."""
        return None

    def show(self, view: Any) -> None:
        """Put a prepared view on screen (UI thread).

        With :attr:`VIEW_TABLES`, not called again with the very view it showed (kept through
        another session's save of other tables: nothing to redraw), unless :meth:`show_again`.
        """

    def show_again(self) -> bool:
        """Whether to show the view on screen again when a reload hands it back unchanged:
        for a screen with something of its own to apply (a record to put the cursor on)."""
        return False

    def show_failure(self, reason: str) -> None:
        """Tell the user the data could not be read (UI thread)."""
        self.notify(reason, severity="error", markup=False)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loaded = True
        self.token = message.token
        self.query_one(SectionHeader).community = message.community
        if self.VIEW_TABLES is None or message.view is not self._view_shown or self.show_again():
            self._view_shown = message.view
            self.show(message.view)
        self._say_ready()
        meanwhile = message.meanwhile
        # Said once per version saved elsewhere, not again on every later reload.
        if meanwhile is not None and meanwhile != self._meanwhile_said:
            self._meanwhile_said = meanwhile
            if self.has_unsaved_edits():
                self.show_meanwhile(meanwhile_text(meanwhile.name))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.load_failed = True
        self.show_failure(message.reason)
        self._say_ready()  # as whole as it gets: a switch shows why at once

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_stale():
            self.reload()

    @on(ScreenSuspend)
    def _suspended(self) -> None:
        """Its section was left: a read still under way is cancelled, and done on return."""
        if self.in_its_section():
            return  # covered by a screen of its own section: it may still be in view
        self._left = True
        if self.workers.cancel_group(self, "load"):
            self._read_when_back = True

    @on(ScreenResume)
    def _resumed(self) -> None:
        self._left = False
        if self._read_when_back or (self.loaded and self.is_stale()):
            self.reload()
        elif self.loaded:
            self._say_ready()  # what it shows is current

    def _say_ready(self) -> None:
        """Tell the App this screen is whole: a section switch paints it then, not after a
        fixed pause (tui/switching.py)."""
        self.app.post_message(ScreenReady(self))
