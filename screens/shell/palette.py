"""Textual's command palette, made fit for old terminals and slow links.

The stock palette shows an emoji magnifier (missing from the Linux console and many PuTTY fonts)
and a blinking caret (a repaint twice a second for as long as it is open). Ours shows ``>`` and a
steady caret, and its prompt is translated.
"""

from __future__ import annotations

from textual.command import CommandInput, CommandPalette, SearchIcon

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
