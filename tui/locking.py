"""The lock, and the work that ends behind it: one rule for every screen and every worker.

The lock (Ctrl+L or the idle minutes) is a mode of its own, the ``gate``: each section keeps its
screen stack, out of sight, until the same person's PIN switches back to it. Work started
before the lock goes on meanwhile (a save waiting for a busy database, an export, an import
being read) and ends with a result: a screen closes itself, a dialog asks something, a field
takes the focus, a toast says what happened. None of that may reach the lock, which is what
anyone at the terminal sees and answers; Textual would put a dialog on top of it and pop the
lock itself when the dialog under it closes.

So the App places every such result by who asked for it, for all screens at once, rather than
each form guarding itself:

* :meth:`LockingApp.push_screen` puts a screen (a dialog) on the stack of the screen whose work
  asked, wherever that stack is; one out of sight waits there, in order, and a toast says where.
* :meth:`LockingApp.pop_screen` (``dismiss``) closes the screen that asked, in its own stack,
  never the one on top of the terminal (the lock, a dialog over it, help).
* :meth:`LockingApp.set_focus` moves the focus within the screen that holds the widget.
* :meth:`LockingApp.notify` holds every toast while locked (one may quote a name or a phone).

"Who asked" is the screen whose handler, timer or worker message is running (Textual's
``active_message_pump``): screens close themselves from their own handlers, and a worker's
result arrives as a message to the screen that started it. When someone else logs in at the
lock, the first person's sections are removed whole: what their work still sends finds no
stack and is dropped, their held toasts with it, so no dialog of theirs can be answered, and
nothing acts in their name, after the takeover.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, overload

from textual._context import active_message_pump
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.dom import NoScreen
from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultCallbackType, ScreenResultType
from textual.widget import AwaitMount, Widget

from screens.shell.session import Session
from store.i18n import _
from tui.keymap import SECTIONS, SECTIONS_BY_MODE, key_display
from tui.modes import styled
from tui.typeahead import TypeAheadApp

GATE = "gate"  # the mode of the login, first-run and lock screens


def _nothing() -> AwaitComplete:
    """An AwaitComplete already done (Textual's ``AwaitComplete.nothing`` is untyped)."""
    return AwaitComplete.nothing()  # type: ignore[no-untyped-call, no-any-return]


class LockingApp(TypeAheadApp):
    """An App whose lock is the top of everything until the PIN is given (see the module)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.locked = False
        self._held: list[Callable[[], None]] = []  # toasts raised while locked, in order
        self._mode_before_lock = SECTIONS[0].mode

    # -- locking and unlocking -------------------------------------------------------------------

    async def lock(self) -> None:
        """Cover everything with the lock screen; nothing is saved, nothing is closed.

        Toasts go first: one may quote a name or a phone number.
        """
        actor = self.session.actor
        if actor is None or self.locked:
            return
        from screens.shell.lock import LockScreen

        self.locked = True
        self.clear_notifications()
        if isinstance(self.screen, CommandPalette):
            await self.pop_screen()  # holds nothing worth keeping, and runs its own workers
        self._mode_before_lock = self.current_mode
        self.add_mode(
            GATE, lambda: styled(self, LockScreen(self.session, actor, self.session.display_name))
        )
        await self.switch_mode(GATE)
        self.refresh_bindings()

    async def unlock(self) -> None:
        """The same person is back: their section as they left it, then what was held."""
        self.locked = False
        await self.switch_mode(self._mode_before_lock)
        await self.remove_mode(GATE)
        self.refresh_bindings()
        held, self._held = self._held, []
        for show in held:
            show()

    def drop_held(self) -> None:
        """Someone else took over: the first person's held toasts are theirs alone."""
        self._held.clear()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast; while locked, hold it until the same person is back."""
        show = partial(
            super().notify,
            message,
            title=title,
            severity=severity,
            timeout=timeout,
            markup=markup,
        )
        if self.locked:
            self._held.append(show)
        else:
            show()

    # -- results go to the screen that asked -----------------------------------------------------

    def asking_screen(self) -> Screen[Any] | None:
        """The screen whose handler is running now; None for the App itself (its own keys)."""
        pump = active_message_pump.get(None)
        if isinstance(pump, Screen):
            return pump
        if isinstance(pump, Widget):
            try:
                return pump.screen
            except NoScreen:
                return None
        return None

    def mode_of(self, screen: Screen[Any]) -> str | None:
        """The mode whose stack holds ``screen``; None once its section was removed."""
        for mode, stack in self._screen_stacks.items():
            if screen in stack:
                return mode
        return None

    if TYPE_CHECKING:

        @overload
        def push_screen(
            self,
            screen: Screen[ScreenResultType] | str,
            callback: ScreenResultCallbackType[ScreenResultType] | None = None,
            wait_for_dismiss: Literal[False] = False,
            *,
            mode: str | None = None,
        ) -> AwaitMount: ...

        @overload
        def push_screen(
            self,
            screen: Screen[ScreenResultType] | str,
            callback: ScreenResultCallbackType[ScreenResultType] | None = None,
            wait_for_dismiss: Literal[True] = True,
            *,
            mode: str | None = None,
        ) -> asyncio.Future[ScreenResultType]: ...

    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[ScreenResultType]:
        """Push ``screen`` onto the stack of the screen that asked (Textual: the current one).

        A screen out of sight (behind the lock, or in another section) gets its dialog on its
        own stack, shown when the person is back there; a removed one's is dropped.
        """
        asking = self.asking_screen()
        if mode is None and not wait_for_dismiss and asking is not None:
            mode = self.mode_of(asking)
            if mode is None:  # its section was removed: someone else took over
                return AwaitMount(self.screen, [])
            if mode != self.current_mode and mode != self._returning_to():
                self._say_waiting(mode)
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload, no-any-return]

    def pop_screen(self) -> AwaitComplete:
        """Close the screen that asked (``dismiss``), wherever it is in its stack.

        On top of the terminal that is Textual's pop. A screen covered by the lock, by help or
        by another section is taken out of its own stack without touching what covers it; its
        stack's new top is shown when the person is back there.
        """
        asking = self.asking_screen()
        if asking is None:
            return super().pop_screen()
        mode = self.mode_of(asking)
        if mode is None:  # its section was removed: nothing of it may act any more
            return _nothing()
        stack = self._screen_stacks[mode]
        if mode == self.current_mode and (stack[-1] is asking or stack[0] is asking):
            return super().pop_screen()
        if stack[0] is asking:  # a section's own screen never closes
            return _nothing()
        stack.remove(asking)
        asking._pop_result_callback()
        return AwaitComplete(self._replace_screen(asking)).call_next(self)

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True) -> None:
        """Focus ``widget`` in its own screen: one out of sight never takes the keys."""
        if widget is not None:
            try:
                screen = widget.screen
            except NoScreen:
                return
            if screen is not self.screen:
                screen.set_focus(widget, scroll_visible)
                return
        super().set_focus(widget, scroll_visible)

    def _returning_to(self) -> str:
        """The section the person sees, or comes back to from the lock."""
        return self._mode_before_lock if self.current_mode == GATE else self.current_mode

    def _say_waiting(self, mode: str) -> None:
        """A dialog waits in section ``mode``, out of sight: say which key shows it."""
        section = SECTIONS_BY_MODE.get(mode)
        if section is None:
            return
        self.notify(
            _("Something in {section} needs you: press {key}.").format(
                section=_(section.title), key=key_display(section.function_key)
            ),
            markup=False,
        )
