"""Textual's command palette, made fit for old terminals and slow links.

The stock palette shows an emoji magnifier (missing from the Linux console and many PuTTY fonts)
and a blinking caret (a repaint twice a second for as long as it is open). Ours shows ``>`` and a
steady caret, and its prompt and "No matches found" are translated.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.widgets.option_list import Option

from store.i18n import _


class ShequPalette(CommandPalette):
    """The command palette (Ctrl+P): sections, help and quit, searched by typing."""

    def __init__(self) -> None:
        super().__init__(placeholder=_("Type to search commands…"), id="--command-palette")

    def on_mount(self) -> None:
        self.query_one(SearchIcon).icon = ">"
        self.query_one(CommandInput).cursor_blink = False

    def accepts_keys(self) -> bool:
        """Keys typed ahead wait while a search runs (tui/typeahead.py): a name then Enter,
        typed in one go, opens what the name finds rather than whatever was listed before."""
        return not any(
            worker.node is self
            and worker.group == self._GATHER_COMMANDS_GROUP
            and worker.is_running
            for worker in self.workers
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own countdown, with "No matches found" in the user's language.

        Textual writes the words in English inside this method, so it is replaced whole (same
        behaviour: after a short pause, a disabled line when a search found nothing).
        """
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                words = Text(_("No matches found"), style="not bold")
                self.query_one(CommandList).add_option(
                    Option(Align.center(words), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
