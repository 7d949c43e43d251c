"""A footer that keeps the keys that matter when they do not all fit on one line, drawn as one line.

Textual's Footer lays every shown binding side by side and cuts the line at the terminal's edge,
so at 80 columns a coordinator's roster lost Lock and Quit, and key names of a group ran together
("F2F3F4F5"). Here each key has a rank: Help first (F1 lists every other key), then Quit and
Lock, then those the screen's ``FOOTER_RANK`` names, best first, then Save and Back (the same
on every screen), then the screen's other keys in the order its BINDINGS declare them; the
section keys last. Keys are dropped from the lowest rank until the rest fit; those left keep
their usual order. The section keys are written as one range ("1-5 Sections", "F2-F6
Sections").

When keys would be dropped the footer tries to say them shorter: some of the screen's
``FOOTER_WORDS`` (shorter words for some actions, "Certificate" for "Add certificate"; F1 keeps
the full ones), and each binding group folded into one entry ("←/→ Month" for "Month before"
and "Month after"). Of every such way (a screen has a few short words: a few dozen ways, each a
sum of widths) it keeps the one whose best dropped key ranks lowest, fewer dropped on a tie,
then the fewest words changed, unfolded before folded. So a screen whose keys fit in Chinese
keeps the full words there and shortens or folds only in English.

Drawn as one widget, redrawn only when its keys change. Textual's ``Footer`` builds a widget per
key and rebuilds them all each time its screen publishes ``bindings_updated`` (once per
``refresh_bindings()``, twice per focus change, nothing coalesced), and each rebuild leaked the
keys it removed: every ``FooterKey`` is ``data_bind``-ed to the footer's ``compact`` reactive,
whose dead watchers Textual drops only when it next changes (never, here); a key widget costs
about 60 KB. docs/FOOTER.md has the figures and a minimal reproduction. Here the keys are one
:class:`KeysLine`; the signals of one refresh become one check after it, which repaints that one
line only if the keys differ (and a resize fits them again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from store.i18n import _

# Actions that outrank every screen key, best first: without F1 nobody finds the rest.
_FIRST = ("help", "quit", "lock")
# Then, unless the screen's FOOTER_RANK places them, keeping one's work and the way out.
_COMMON = ("save", "back")
# A key's cells beyond its key and description text: the key's padding (1 each side) and the
# description's right padding, as Textual's FooterKey draws them.
_PADDING = 3
# Past this many short words on a screen only all or none are tried (2**n ways otherwise).
_MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class _Item:
    """One footer entry: a key (or a range of them) and what it does."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    actions: tuple[str, ...] = ()  # every action the entry stands for (a folded group: several)

    @property
    def width(self) -> int:
        return cell_len(self.display) + cell_len(self.description) + _PADDING


def key_range(displays: list[str]) -> str:
    """``["1", "2", "3"]`` -> ``"1-3"``; a single key stays as it is."""
    if len(displays) == 1:
        return displays[0]
    return f"{displays[0]}-{displays[-1]}"


def fit(items: list[_Item], ranks: list[int], width: int) -> list[_Item]:
    """The items, in their order, that the best ranks leave within ``width`` cells."""
    chosen: set[int] = set()
    used = 0
    for index in sorted(range(len(items)), key=lambda i: ranks[i]):
        if used + items[index].width <= width:
            chosen.add(index)
            used += items[index].width
    return [item for index, item in enumerate(items) if index in chosen]


def fold(
    items: list[_Item], ranks: list[int], groups: list[Binding.Group | None]
) -> tuple[list[_Item], list[int]]:
    """Each binding group's entries as one, where its first entry was: the keys joined by "/"
    ("←/→"), the group's words, the best rank of its entries."""
    folded: list[_Item] = []
    folded_ranks: list[int] = []
    at: dict[Binding.Group, int] = {}
    for item, rank, group in zip(items, ranks, groups, strict=True):
        if group is None:
            folded.append(item)
            folded_ranks.append(rank)
            continue
        if group not in at:
            at[group] = len(folded)
            folded.append(replace(item, description=group.description))
            folded_ranks.append(rank)
            continue
        index = at[group]
        first = folded[index]
        folded[index] = replace(
            first,
            display=f"{first.display}/{item.display}",
            enabled=first.enabled or item.enabled,
            actions=first.actions + item.actions,
        )
        folded_ranks[index] = min(folded_ranks[index], rank)
    return folded, folded_ranks


def dropped(items: list[_Item], shown: list[_Item], rank_of: Mapping[str, int]) -> list[int]:
    """The ranks of the actions in ``items`` that ``shown`` leaves out, best first."""
    kept = {action for item in shown for action in item.actions}
    return sorted(rank_of[a] for item in items for a in item.actions if a not in kept)


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
        self.items: tuple[_Item, ...] = ()

    def show_items(self, items: tuple[_Item, ...]) -> None:
        """Show ``items``; repaints only when they differ from those shown."""
        if items != self.items:
            self.items = items
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-line--key")
        words_style = self.get_component_rich_style("keys-line--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        for item in self.items:
            # As Textual's FooterKey draws one: " key words ", or the key alone without words.
            if item.description:
                key = Text.assemble((f" {item.display} ", key_style))
                key.append(f"{item.description} ", words_style)
            else:
                key = Text(item.display, key_style)
            if not item.enabled:
                key.stylize("dim")
            line.append_text(key)
        return line


class FittingFooter(Footer):
    """The footer every screen of shequ shows (see the module docstring)."""

    def __init__(self) -> None:
        # The palette's Ctrl+P is in help (F1): the room goes to the screen's own keys.
        super().__init__(show_command_palette=False)
        self._pending = False
        self.line = KeysLine()

    def _items(
        self, shorter: Mapping[str, str] | None = None, folded: bool = False
    ) -> tuple[list[_Item], list[int]]:
        """Every shown key once per action, the section keys folded into one range; the
        actions of ``shorter`` said in its words, the binding groups ``folded``."""
        items: list[_Item] = []
        ranks: list[int] = []
        groups: list[Binding.Group | None] = []
        seen: set[str] = set()
        shorter = shorter or {}
        sections: list[tuple[Binding, bool]] = []
        ranked: tuple[str, ...] = getattr(self.screen, "FOOTER_RANK", ())
        ranked += tuple(action for action in _COMMON if action not in ranked)
        screen_rank = len(_FIRST) + len(ranked)
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.group is not None and binding.group.compact:
                sections.append((binding, enabled))
                continue
            words = binding.description
            if binding.action in shorter:
                words = shorter[binding.action]
            items.append(
                _Item(
                    binding.key,
                    self.app.get_key_display(binding),
                    words,
                    binding.action,
                    enabled,
                    tooltip,
                    (binding.action,),
                )
            )
            groups.append(binding.group)
            if binding.action in _FIRST:
                ranks.append(_FIRST.index(binding.action))
            elif binding.action in ranked:
                ranks.append(len(_FIRST) + ranked.index(binding.action))
            else:
                ranks.append(screen_rank)
                screen_rank += 1
        if sections:
            first, _enabled = sections[0]
            items.append(
                _Item(
                    first.key,
                    key_range([self.app.get_key_display(b) for b, _e in sections]),
                    first.group.description if first.group else "",
                    first.action,
                    any(enabled for _b, enabled in sections),
                    "",
                    tuple(b.action for b, _e in sections),
                )
            )
            ranks.append(10_000)
            groups.append(None)
        if folded:
            return fold(items, ranks, groups)
        return items, ranks

    def compose(self) -> ComposeResult:
        yield self.line

    def shown_items(self) -> tuple[_Item, ...]:
        """The keys that fit the terminal's width now, best ranks kept, in their order: said
        as bound if that drops nothing, else the shorter way that drops least (module doc)."""
        width = self.app.size.width
        items, ranks = self._items()
        best = fit(items, ranks, width)
        rank_of = {a: rank for item, rank in zip(items, ranks, strict=True) for a in item.actions}
        lost = dropped(items, best, rank_of)
        if not lost:
            return tuple(best)
        offered = {item.action for item in items}
        words = {
            action: _(text)
            for action, text in getattr(self.screen, "FOOTER_WORDS", {}).items()
            if action in offered
        }
        if len(words) > _MAX_WORDS:
            subsets: list[tuple[str, ...]] = [(), tuple(words)]
        else:
            subsets = [c for n in range(len(words) + 1) for c in combinations(words, n)]
            # Of as many changes, those of the keys that matter least first.
            subsets.sort(key=lambda c: (len(c), sorted(-rank_of[a] for a in c)))
        # Fewest changes first: a way replaces the best only if it drops strictly less.
        for folded in (False, True):
            for subset in subsets:
                if not subset and not folded:
                    continue
                said, said_ranks = self._items({a: words[a] for a in subset}, folded)
                shown = fit(said, said_ranks, width)
                left = dropped(said, shown, rank_of)
                if (left[:1] or [10**9], -len(left)) > (lost[:1], -len(lost)):
                    best, lost = shown, left
                    if not lost:
                        return tuple(best)
        return tuple(best)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule()

    def on_resize(self) -> None:
        if self._bindings_ready:
            self._schedule()

    def _schedule(self) -> None:
        """One check after the refresh under way, however many signals came in it."""
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._show_keys)

    def _show_keys(self) -> None:
        self._pending = False
        if self.is_attached:
            self.line.show_items(self.shown_items())
