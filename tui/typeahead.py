"""Keys typed ahead reach the screen they were typed for, in order, everywhere in the app.

Over a slow link, or on a loaded machine, keys typed together arrive together: Enter on a
member and then ``c2026-01-05`` (open the member, log a contact, type its date) can come in one
packet. Textual routes each key to the focused widget the moment it reads it, before the keys
ahead of it have done their work, so keys meant for the screen that Enter opens went to the
screen it replaced (where ``c`` did nothing, or something else), or to a dialog still being
mounted, with no focused field: they were lost, and sometimes acted on the wrong screen.

So the App handles typed keys one at a time, as a person means them: a key is routed only
once the key before it has finished everything it set off, and once the screen on top is ready:

* the key's own journey (the focused widget, then up to the App, whose bindings run last),
  and the messages it caused (a list's ``OptionSelected``, a screen pushed or popped, a
  mode switched, a focus moved) -- that is, until the App and the screens of the current
  stack have handled everything they had and nothing new waits (:meth:`TypeAheadApp._settle`);
* the screen on top is mounted, and says it takes keys: a screen may define
  ``accepts_keys() -> bool`` (section screens: once their data is read; forms: not while a
  save is under way, since the save may close them; the login: not while a PIN is checked).

Meanwhile keys are held in arrival order (and a paste with them) and given, one by one, to
whatever has the focus then: the new screen's field. A screen that never gets ready does not
swallow the keys: after :data:`HOLD_LIMIT` seconds they go on anyway.

The lock must fall at once, even while a save holds keys back: Ctrl+L is never held
(:attr:`TypeAheadApp.UNHELD_KEYS`), and the keys held before it are dropped, never delivered
to the lock screen (a PIN field) nor replayed behind it. Keys typed after it go to the lock
screen, the top of everything. Nothing held is ever routed to a screen out of sight (keys go
to what has the focus when their turn comes), and the idle lock cannot fall while keys are
held (they are activity).

Typing at a normal pace costs nothing visible: a key that arrives when all is quiet is routed
at once (a look at each queue of the current screens, microseconds); what follows a key costs
a few callbacks to the widgets it passed through, well under a millisecond.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Iterator
from time import monotonic
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from screens.shell.messages import ScreenReady

HOLD_LIMIT = 5.0
"""Longest time keys wait for a screen to get ready (a save that meets a busy database waits
as long for the lock, then says so)."""

READY_POLL = 0.02
"""How often to look again at a screen that is mounted but not ready (its data being read), at
the latest: a screen saying it is whole (``ScreenReady``) wakes the held keys at once."""

ROUND_CHECK = 0.05
"""How often a round looks for pumps that closed before running its callback."""

Typed = events.Key | events.Paste


def _closed(pump: MessagePump) -> bool:
    """Whether ``pump`` stopped taking messages (Textual has no public word for it)."""
    return bool(pump._closed or pump._closing)


def _waiting(pump: MessagePump) -> bool:
    """Whether ``pump`` has messages or callbacks waiting (a closed one has none)."""
    if _closed(pump):
        return False
    return bool(pump._message_queue.qsize() or pump._next_callbacks)


class TypeAheadApp(App[None]):
    """An App that routes typed keys one at a time, each once the last one's work is done."""

    UNHELD_KEYS: ClassVar[frozenset[str]] = frozenset()
    """Keys that act the moment they arrive (the lock): what was held before them is dropped,
    never delivered to the screen that covers the one they were typed for."""

    def __init__(self) -> None:
        super().__init__()
        self._typed: deque[Typed] = deque()
        self._settling: asyncio.Task[None] | None = None
        self._screen_said_ready = asyncio.Event()

    @property
    def keys_pending(self) -> bool:
        """Whether typed keys are waiting, or the last one's work is not done yet."""
        return bool(self._typed) or self._settling is not None

    @property
    def keys_waiting(self) -> bool:
        """Whether typed keys are held for their turn (more of a burst is coming): a screen
        may leave work that only the burst's last key needs (a search's refill) until then."""
        return bool(self._typed)

    async def on_event(self, event: events.Event) -> None:
        # Keys from the terminal reach the App first and have not been forwarded yet.
        if isinstance(event, Typed) and not event.is_forwarded:
            if isinstance(event, events.Key) and event.key in self.UNHELD_KEYS:
                self._typed.clear()
                await self._route(event)
            elif self._typed or self._settling is not None or not self._quiet():
                self._typed.append(event)
                self._settle_soon()
            else:
                await self._route(event)
            return
        await super().on_event(event)

    def on_screen_ready(self, message: ScreenReady) -> None:
        # Textual also calls the handlers of the other classes of the App (tui/switching.py).
        self._screen_said_ready.set()

    async def _route(self, event: Typed) -> None:
        """Route one typed key as Textual does (priority bindings, else the focused widget),
        then wait for what it sets off before the next."""
        await super().on_event(event)
        self._settle_soon()

    def _settle_soon(self) -> None:
        if self._settling is None:
            self._settling = asyncio.create_task(self._settle())

    async def _settle(self) -> None:
        """Wait until the app is quiet and the screen on top takes keys, then route the next.

        Quiet is two rounds in a row after which nothing waits in any queue. A round is a
        callback queued to every pump that may be at work (each runs after what its pump had,
        including a handler still running, which an empty queue does not show); the second
        round catches what the first one's last messages set off.
        """
        deadline = monotonic() + HOLD_LIMIT
        quiet_rounds = 0
        try:
            while monotonic() < deadline:
                await self._round(deadline)
                if any(_waiting(pump) for pump in self._pumps()):
                    quiet_rounds = 0
                    continue
                quiet_rounds += 1
                if quiet_rounds < 2:
                    continue
                if self._screen_ready():
                    break
                # Its data is being read in a worker: wait until it says it is whole (a key
                # typed during the dashboard's load goes the moment its rows are in).
                self._screen_said_ready.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._screen_said_ready.wait(), READY_POLL)
                quiet_rounds = 0
        finally:
            self._settling = None
        if self._typed:
            self.call_later(self._release)

    async def _round(self, deadline: float) -> None:
        """Queue a callback to each pump that may be at work; return once all have run.

        A pump closed meanwhile (a dialog dismissed by the key) never runs its callback: it
        is done too.
        """
        waiting: set[MessagePump] = set()
        done = asyncio.Event()

        def ran(pump: MessagePump) -> None:
            waiting.discard(pump)
            if not waiting:
                done.set()

        for pump in self._at_work():
            if pump.call_later(ran, pump):
                waiting.add(pump)
        while waiting and monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), ROUND_CHECK)
            waiting.difference_update([pump for pump in waiting if _closed(pump)])

    async def _release(self) -> None:
        """Route the next held key (in the App's own task, as if it had just arrived)."""
        if self._settling is not None or not self._typed:
            return
        await self._route(self._typed.popleft())

    def drop_typed(self) -> None:
        """Forget held keys (the person they were typed by is gone: someone else took over)."""
        self._typed.clear()

    # -- what "quiet" means --------------------------------------------------------------------

    def _pumps(self) -> Iterator[MessagePump]:
        """The App and every node of every screen in the current stack."""
        yield self
        with contextlib.suppress(Exception):  # no screen yet, or a mode being switched
            for screen in self.screen_stack:
                yield from screen.walk_children(with_self=True)

    def _at_work(self) -> set[MessagePump]:
        """The pumps a key or what it set off may be busy in: the App, the screens of the
        current stack, the focused widget and its ancestors, and any with messages waiting."""
        pumps: set[MessagePump] = {self, *self.screen_stack}
        focused = self.focused
        if focused is not None:
            pumps.update(focused.ancestors_with_self)
        pumps.update(pump for pump in self._pumps() if _waiting(pump))
        return pumps

    def _screen_ready(self) -> bool:
        """Whether the screen on top is mounted and takes keys (see the module)."""
        try:
            screen = self.screen
        except Exception:
            return False
        if not screen.is_mounted:
            return False
        accepts: Any = getattr(screen, "accepts_keys", None)
        return bool(accepts()) if callable(accepts) else True

    def _quiet(self) -> bool:
        """Whether a key could be routed now (from the App's own handler of a typed key).

        Nothing under way in the screens, the top screen ready, and nothing in the App's queue
        but more typed keys: a message there (a login's answer, a worker's result) may be about
        to push or switch a screen.
        """
        if self._next_callbacks:
            return False
        queued: deque[Message | None] = self._message_queue.values
        if any(not (isinstance(m, Typed) and not m.is_forwarded) for m in queued):
            return False
        pumps = (pump for pump in self._pumps() if pump is not self)
        return self._screen_ready() and not any(_waiting(pump) for pump in pumps)
