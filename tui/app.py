"""The App: sections as modes, the global keys, the change watcher and a clean exit on hang-up.

This module stays thin: every screen lives in ``screens/`` and is imported only when its section
is first shown, so start-up imports just the dashboard.

Before importing this module, call ``tui.env.apply_terminal_defaults(os.environ, ...)``: Textual
reads its settings from the environment when it is first imported. Build the app with
:func:`make_app` (it chooses the language first) and run it with ``app.run(mouse=False)``: the
app is keyboard-only and mouse reporting would only cost bytes on slow links.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.geometry import Size
from textual.screen import Screen

from screens.help import HelpScreen, KeyGroup, key_help
from screens.keys import translate_bindings
from screens.messages import DataChanged
from screens.palette import ShequPalette
from screens.session import Session
from screens.too_small import TooSmallScreen, too_small
from store.database import Database
from store.i18n import N_, _
from store.storage import StatKey, current_key
from tui.i18n import chinese_unavailable, setup_language
from tui.keymap import GLOBAL_BINDINGS, SECTIONS, Section, key_display

CHANGE_CHECK_SECONDS = 2.0
HANGUP_EXIT_CODE = 128 + signal.SIGHUP
TERMINATED_EXIT_CODE = 128 + signal.SIGTERM
HANGUP_GRACE_SECONDS = 3.0

NO_CHINESE_NOTICE = N_("No Chinese on this console: use PuTTY or Windows Terminal for Chinese.")

ScreenFactory = Callable[[Session, str, str], Screen[None]]


def _dashboard(session: Session, title: str, mode: str) -> Screen[None]:
    from screens.dashboard import DashboardScreen

    return DashboardScreen(session, title)


def _coming_soon(session: Session, title: str, mode: str) -> Screen[None]:
    from screens.coming import ComingSoonScreen

    return ComingSoonScreen(session, title, mode)


# Each section's base screen; sections without one yet say they are coming.
SCREENS_BY_MODE: dict[str, ScreenFactory] = {"dashboard": _dashboard}


class ShequApp(App[None], inherit_bindings=False):
    """shequ's terminal app: one mode (screen stack) per section, keyboard only."""

    CSS_PATH = "styles/app.tcss"
    DEFAULT_MODE = SECTIONS[0].mode
    BINDINGS: ClassVar[list[BindingType]] = [
        *GLOBAL_BINDINGS,
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self, db: Database, *, notices: Iterable[str] = (), sections: Iterable[Section] = SECTIONS
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.db = db
        self.session = Session(db, tuple(notices))
        self.sections = tuple(sections)
        for section in self.sections:
            self.add_mode(section.mode, partial(self._build_section, section))
        self._token: StatKey | None = None
        self._too_small = False
        self._started = False
        self._signals: list[signal.Signals] = []

    def _build_section(self, section: Section) -> Screen[None]:
        factory = SCREENS_BY_MODE.get(section.mode, _coming_soon)
        return factory(self.session, _(section.title), section.mode)

    # -- life cycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._started = True
        self._token = current_key(self.db.path)
        self.set_interval(CHANGE_CHECK_SECONDS, self.check_for_changes, name="change watcher")
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self._install_signal_handlers()
        self._sync_too_small(self.size)

    def on_unmount(self) -> None:
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for signum in self._signals:
                loop.remove_signal_handler(signum)
        self._signals.clear()

    def _install_signal_handlers(self) -> None:
        """Exit cleanly on SIGHUP (the SSH link dropped) and SIGTERM (shutdown, kill)."""
        loop = asyncio.get_running_loop()
        for signum, handler in (
            (signal.SIGHUP, self.handle_hangup),
            (signal.SIGTERM, self.handle_terminate),
        ):
            try:
                loop.add_signal_handler(signum, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or no signals here: the default action stays
            self._signals.append(signum)

    def handle_hangup(self) -> None:
        """The terminal is gone: stop now, so locks are released and nothing keeps running.

        Restoring a terminal that hung up would fail (EIO) and could block Textual's writer,
        so output and input are pointed at /dev/null first; and should shutdown still stall,
        the process ends anyway after a few seconds (a daemon timer that dies with it).
        """
        if not self.is_headless:
            _detach_from_terminal()
            timer = threading.Timer(HANGUP_GRACE_SECONDS, os._exit, args=(HANGUP_EXIT_CODE,))
            timer.daemon = True
            timer.start()
        self.exit(return_code=HANGUP_EXIT_CODE)

    def handle_terminate(self) -> None:
        """Asked to stop (SIGTERM): exit the normal way, restoring the terminal."""
        self.exit(return_code=TERMINATED_EXIT_CODE)

    # -- change watcher ------------------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Tell the screen on top when the data file changed (one stat; nothing otherwise)."""
        if self.db.changed_since(self._token):
            self._token = current_key(self.db.path)
            self.screen.post_message(DataChanged())

    # -- terminal too small --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._sync_too_small(event.size)

    def _screen_changed(self, screen: Screen[object]) -> None:
        self._sync_too_small(self.size)

    def _sync_too_small(self, size: Size) -> None:
        """Cover everything with the size notice below 80x24; uncover when big enough."""
        if not self._started:
            return
        self._too_small = too_small(size)
        top = self.screen
        if self._too_small:
            if isinstance(top, TooSmallScreen):
                top.show_size(size)
            else:
                self.push_screen(TooSmallScreen(size))
        elif isinstance(top, TooSmallScreen):
            self.pop_screen()

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"section", "help", "command_palette"} and self._too_small:
            return False
        if action == "section" and self.screen.is_modal:
            # A dialog is answered first; only help is simply closed on the way.
            return isinstance(self.screen, HelpScreen)
        return True

    async def action_section(self, mode: str) -> None:
        """Show section ``mode`` (keys 1-4 and F2-F5, the command palette)."""
        if mode not in {section.mode for section in self.sections}:
            return
        if isinstance(self.screen, HelpScreen):
            await self.pop_screen()
        if mode != self.current_mode:
            await self.switch_mode(mode)

    def action_help(self) -> None:
        """Show the keys of the screen on top (or close help if it is showing)."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.help_groups(self.screen)))

    def help_groups(self, screen: Screen[object]) -> list[KeyGroup]:
        """The keys of ``screen`` (and its focused widget), then the keys that work everywhere."""
        here = [
            active.binding for active in screen.active_bindings.values() if active.node is not self
        ]
        everywhere = [binding for _key, binding in self._bindings]
        return [
            KeyGroup(_("On this screen"), tuple(key_help(here, self.get_key_display))),
            KeyGroup(_("Everywhere"), tuple(key_help(everywhere, self.get_key_display))),
        ]

    def action_command_palette(self) -> None:
        """Open the command palette (ours: translated, no emoji, no blinking caret)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(ShequPalette())

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in text fields): say which key does."""
        self.notify(_("Press Ctrl+Q to quit."), markup=False)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for section in self.sections:
            yield SystemCommand(
                _(section.title), _(section.help), partial(self.action_section, section.mode)
            )
        yield SystemCommand(_("Help"), _("Every key you can press here"), self.action_help)
        yield SystemCommand(_("Quit"), _("Leave shequ"), self.action_quit)

    def get_key_display(self, binding: Binding) -> str:
        return binding.key_display or key_display(binding.key)


def _detach_from_terminal() -> None:
    """Point stdin, stdout and stderr at /dev/null (the terminal hung up)."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    finally:
        os.close(null)


def make_app(
    db_path: Path, *, lang: str | None = None, environ: Mapping[str, str] | None = None
) -> ShequApp:
    """Build the app for ``db_path``: the one factory the CLI and the tests use.

    Chooses and installs the language first (``--lang``, else the locale in ``environ``, which
    defaults to ``os.environ``; English on the Linux console, with a notice). Run the result with
    ``app.run(mouse=False)``; ``tui.env.apply_terminal_defaults`` must have run before Textual
    was first imported.
    """
    setup_language(lang, environ)
    notices = [_(NO_CHINESE_NOTICE)] if chinese_unavailable(lang, environ) else []
    return ShequApp(Database(db_path), notices=notices)
