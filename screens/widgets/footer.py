"""The footer every screen shows: the keys that work here, drawn as one line.

Textual 8.2's ``Footer`` builds a widget per key and rebuilds them all (``recompose``) each time
its screen publishes ``bindings_updated``: once per ``refresh_bindings()`` and twice per focus
change (the screen's focus watcher and the App's), so a key that moves the focus and refreshes
the keys rebuilt it three times. Each rebuild also leaked the keys it removed: every
``FooterKey`` is ``data_bind``-ed to the footer's ``compact`` reactive, and Textual drops a dead
watcher only when that reactive next changes, which in shequ is never; each new key then scans
the growing list. A key widget costs about 60 KB, and a session held hundreds of them after an
hour at the roster. docs/FOOTER.md has the figures and a minimal reproduction.

:class:`KeysFooter` is still a ``Footer`` (same place, colours and words, found by
``query_one(Footer)``), but draws every key in one widget, :class:`KeysLine`, and on a
bindings change only compares what it would show with what it shows: when the keys differ it
repaints that one line, otherwise nothing at all. The checks of one refresh are coalesced into
one, after the refresh.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer


class Key(NamedTuple):
    """One key as the footer shows it; ``grouped`` keys show only their key (see below)."""

    display: str
    description: str
    enabled: bool
    grouped: bool = False


class Label(NamedTuple):
    """The words after a group of keys (``1 2 3 4 5`` then "Sections")."""

    text: str


class KeysLine(Widget):
    """The keys, in one line: each key in the key style, its words after it, dim if off."""

    COMPONENT_CLASSES = {"keys-line--key", "keys-line--description"}  # noqa: RUF012
    DEFAULT_CSS = """
    KeysLine {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .keys-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keys-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[Key | Label, ...] = ()
        self.palette: Key | None = None

    def show_keys(self, keys: tuple[Key | Label, ...], palette: Key | None) -> None:
        """Show ``keys`` (and the palette key at the right end); repaints only on a change."""
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-line--key")
        words_style = self.get_component_rich_style("keys-line--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        grouping = False
        for key in self.keys:
            if isinstance(key, Label):  # " 12345 Sections ": padded like Textual's KeyGroup
                line.append(f" {key.text} ", words_style)
                grouping = False
                continue
            if key.grouped and not grouping:
                line.append(" ")
                grouping = True
            line.append_text(self._key(key, key_style, words_style))
        if self.palette is not None:
            right = self._key(self.palette, key_style, words_style)
            gap = self.size.width - line.cell_len - right.cell_len
            if gap > 0:
                line.append(" " * gap)
                line.append_text(right)
        return line

    @staticmethod
    def _key(key: Key, key_style: Any, words_style: Any) -> Text:
        """' key words ' as Textual's FooterKey draws it (not compact); a grouped key alone."""
        if key.grouped:
            text = Text(key.display, key_style)
        else:
            text = Text.assemble((f" {key.display} ", key_style))
        if key.description and not key.grouped:
            text.append(f"{key.description} ", words_style)
        if not key.enabled:
            text.stylize("dim")
        return text


class KeysFooter(Footer):
    """Textual's footer, drawn as one :class:`KeysLine`; see the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = False
        self.line = KeysLine()

    def compose(self) -> ComposeResult:
        yield self.line

    def shown_keys(self) -> tuple[tuple[Key | Label, ...], Key | None]:
        """What the footer shows now, as Textual's footer lays it out: each shown action once
        (its first binding), consecutive actions of one binding group as their keys then the
        group's words, and the palette key when it is shown."""
        active = self.screen.active_bindings
        firsts: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in firsts:
                firsts[binding.action] = (binding, enabled)
        keys: list[Key | Label] = []
        for group, members in groupby(firsts.values(), lambda found: found[0].group):
            bound = list(members)
            grouped = group is not None and len(bound) > 1
            for binding, enabled in bound:
                display = self.app.get_key_display(binding)
                keys.append(Key(display, binding.description, enabled, grouped))
            if grouped and group is not None:
                keys.append(Label(group.description))
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = Key(self.app.get_key_display(binding), binding.description, enabled)
        return tuple(keys), palette

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._show_keys)

    def _show_keys(self) -> None:
        self._pending = False
        if self.is_attached:
            self.line.show_keys(*self.shown_keys())
