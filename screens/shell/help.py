"""Help: every key that works on the screen underneath, the keys that work everywhere, the version.

The lists are built from the bindings themselves (what Textual would dispatch), never from a
hand-written table, so help cannot drift from the keys. The App gathers them when F1 or ? is
pressed (:func:`key_help`) and hands them to :class:`HelpScreen`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens.widgets.footer import FittingFooter
from screens.widgets.keys import translate_bindings
from screens.widgets.scroll import TextScroll
from store.i18n import N_, _
from store.version import data_format, program_version

KEY_SEPARATOR = ", "


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One action and every key that does it."""

    keys: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """A titled list of keys ("On this screen", "Everywhere")."""

    title: str
    keys: tuple[KeyHelp, ...]


def key_help(bindings: Iterable[Binding], key_display: Callable[[Binding], str]) -> list[KeyHelp]:
    """One entry per action, in binding order, with all its keys; undescribed keys are left out.

    System bindings (Textual's internals) and bindings without a description are not things a
    person needs to know. Descriptions are translated again here: Textual's own widgets carry
    English msgids (see ``screens.widgets.keys.TEXTUAL_DESCRIPTIONS``).
    """
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in bindings:
        if binding.system or not binding.description:
            continue
        shown = keys.setdefault(binding.action, [])
        descriptions.setdefault(binding.action, _(binding.description))
        display = key_display(binding)
        if display not in shown:
            shown.append(display)
    return [KeyHelp(tuple(keys[action]), descriptions[action]) for action in keys]


def render_groups(groups: Sequence[KeyGroup]) -> Content:
    """The groups as aligned lines: keys in a column (CJK-width aware), then what they do."""
    entries = [entry for group in groups for entry in group.keys]
    width = max((cell_len(KEY_SEPARATOR.join(entry.keys)) for entry in entries), default=0)
    lines: list[Content] = []
    for group in groups:
        if not group.keys:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(group.title, "bold underline"))
        for entry in group.keys:
            keys = KEY_SEPARATOR.join(entry.keys)
            padding = " " * (width - cell_len(keys) + 2)
            lines.append(
                Content.assemble(
                    "  ", Content.styled(keys, "bold"), padding, Content(entry.description)
                )
            )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath and the global keys; Esc, F1 or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close help")),
        Binding("f1,question_mark", "close", N_("Close help"), show=False),
    ]

    def __init__(self, groups: Sequence[KeyGroup]) -> None:
        super().__init__()
        translate_bindings(self)
        self.groups = tuple(groups)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label(_("Keys"), id="help-title", markup=False)
            with TextScroll(id="help-keys"):
                yield Static(render_groups(self.groups), id="help-text")
            # "Which version?" is the first question a helper on the phone asks.
            yield Label(
                _("shequ {version} · data format version {format}").format(
                    version=program_version(), format=data_format()
                ),
                id="help-version",
                markup=False,
            )
        yield FittingFooter()

    def action_close(self) -> None:
        """Close help and go back to the screen underneath."""
        self.dismiss(None)
