"""What the App builds ahead, while a person types or reads, so the next screen shows at once.

A part of :class:`tui.app.ShequApp`. Two moments are idle for the machine and not for the
person: typing a name and PIN at the login (seconds), and reading the dashboard's page after
it. In the first, the dashboard's screen is imported and what its page reads for every role is
built (tui/sections.py ``warm_first_section``), so the page after the PIN is put together from
it; in the second, the roster the person signed in will see, with its first list
(``warm_roster``): the roster is where most visits go next, to look someone up.

What is built is kept with the file's version and followed through saves like any read model
(docs/READ_MODEL.md), so a save meanwhile (the login's own, another session's) costs its
changes, not a new build; a screen opened while its data is still being built waits for that
build (one lock per version) rather than starting a second. Nothing is shown from these
workers: a file that cannot be read is the screen's to say when it opens.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import App

from screens.shell.messages import AccountsFound, ScreenReady
from screens.shell.session import Session
from tui.keymap import Section
from tui.sections import warm_first_section, warm_roster


class BuildsAheadApp(App[None]):
    """Builds the next screen's data in a thread at the two idle moments (see the module)."""

    session: Session
    _roster_due = False

    def build_roster_ahead(self, sections: tuple[Section, ...]) -> None:
        """Build the roster once the first section is whole, if ``sections`` has one."""
        self._roster_due = any(section.mode == "roster" for section in sections)

    @on(AccountsFound)
    def _accounts_found(self) -> None:
        work = partial(warm_first_section, self.session)
        self.run_worker(work, thread=True, group="warm", exclusive=True, exit_on_error=False)

    def on_screen_ready(self, message: ScreenReady) -> None:
        # Textual also calls the other classes' handlers (tui/switching.py, tui/typeahead.py).
        if self._roster_due and message.screen is self.screen and self.session.actor:
            self._roster_due = False
            work = partial(warm_roster, self.session)
            self.run_worker(work, thread=True, group="warm-roster", exit_on_error=False)
