"""The app's sections and global keys, and how keys are written for people.

The same keys mean the same thing everywhere (DESIGN.md, "Screens and keys"):

* ``1``-``5`` switch sections outside text fields (an Input swallows digits, so these bindings are
  not priority bindings), ``F2``-``F6`` anywhere (priority bindings); a section the acting user's
  role cannot use has no mode, and the App hides its keys;
* ``F1`` (anywhere) and ``?`` (outside text fields) show help; ``Ctrl+P`` opens the command
  palette; ``Ctrl+L`` locks the screen at once; ``Ctrl+Q`` quits.

Ctrl+H, Ctrl+I and Ctrl+M are never bound (they are Backspace, Tab and Enter on the wire) and
nothing depends on Alt. Descriptions are msgids, translated per instance by
``screens.widgets.keys.translate_bindings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import format_key

from store.actor import Actor
from store.i18n import N_
from store.permissions import Action, allowed


@dataclass(frozen=True, slots=True)
class Section:
    """One top-level section: a Textual mode with its own screen stack."""

    mode: str
    title: str  # msgid, translated when shown
    number_key: str
    function_key: str
    help: str  # msgid for the command palette
    needs: tuple[Action, ...] = ()  # any one of these lets a role use the section; () = everyone

    def usable_by(self, actor: Actor) -> bool:
        """Whether ``actor``'s role may open this section at all."""
        return not self.needs or any(allowed(actor, action) for action in self.needs)


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", N_("Dashboard"), "1", "f2", N_("What needs doing now")),
    Section("roster", N_("Roster"), "2", "f3", N_("Members and their contact log")),
    Section("patrols", N_("Patrols"), "3", "f4", N_("The patrol team's schedule")),
    Section("training", N_("Training"), "4", "f5", N_("Study sessions, hours and certificates")),
    Section(
        "manage",
        N_("Manage"),
        "5",
        "f6",
        N_("Change log and settings"),
        needs=(Action.VIEW_AUDIT, Action.EDIT_SETTINGS),
    ),
)
MANAGE = "manage"


def sections_for(actor: Actor) -> tuple[Section, ...]:
    """The sections ``actor``'s role may use, in key order (a volunteer has no section 5)."""
    return tuple(section for section in SECTIONS if section.usable_by(actor))


SECTIONS_BY_MODE = {section.mode: section for section in SECTIONS}

SECTIONS_GROUP = Binding.Group(N_("Sections"), compact=True)


def section_action(mode: str) -> str:
    """The action string of the bindings that switch to ``mode``."""
    return f"section('{mode}')"


def _section_bindings() -> list[Binding]:
    bindings: list[Binding] = []
    for section in SECTIONS:
        action = section_action(section.mode)
        # Both are shown: the footer shows the first key of each action that is active, so it
        # shows 1-4 normally and F2-F5 while a text field has taken the digits.
        bindings.append(Binding(section.number_key, action, section.title, group=SECTIONS_GROUP))
        bindings.append(
            Binding(
                section.function_key, action, section.title, group=SECTIONS_GROUP, priority=True
            )
        )
    return bindings


GLOBAL_BINDINGS: list[BindingType] = [
    Binding("f1", "help", N_("Help"), priority=True),
    Binding("question_mark", "help", N_("Help"), show=False),
    *_section_bindings(),
    Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True),
    Binding("ctrl+l", "lock", N_("Lock"), priority=True),
    Binding("ctrl+q", "quit", N_("Quit"), priority=True),
]

# Key names as printed on the keys (and understood without a manual), instead of Textual's
# symbols such as "^q" or "⏎", which the Linux console cannot even draw.
_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Del",
    "insert": "Ins",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
_FUNCTION_KEY = re.compile(r"f\d{1,2}")
# The printable keys Textual names by their character's Unicode name ("question_mark"), so
# that writing them needs no lookup in Unicode's name tables: each costs 64 KiB or more of a
# session's memory (the pages read in around it), and a screen has dozens of keys.
_PUNCTUATION = {
    "exclamation_mark": "!",
    "quotation_mark": '"',
    "number_sign": "#",
    "dollar_sign": "$",
    "percent_sign": "%",
    "ampersand": "&",
    "apostrophe": "'",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "asterisk": "*",
    "plus": "+",
    "plus_sign": "+",
    "comma": ",",
    "minus": "-",
    "hyphen_minus": "-",
    "full_stop": ".",
    "slash": "/",
    "solidus": "/",
    "colon": ":",
    "semicolon": ";",
    "less_than_sign": "<",
    "equals_sign": "=",
    "greater_than_sign": ">",
    "question_mark": "?",
    "commercial_at": "@",
    "left_square_bracket": "[",
    "reverse_solidus": "\\",
    "backslash": "\\",
    "right_square_bracket": "]",
    "circumflex_accent": "^",
    "low_line": "_",
    "underscore": "_",
    "grave_accent": "`",
    "left_curly_bracket": "{",
    "vertical_line": "|",
    "right_curly_bracket": "}",
    "tilde": "~",
}


def key_display(key: str) -> str:
    """How a key is written for people: ``ctrl+q`` -> ``Ctrl+Q``, ``f1`` -> ``F1``, ``escape`` ->
    ``Esc``, ``question_mark`` -> ``?``."""
    *modifiers, base = key.split("+")
    if base in _KEY_NAMES:
        name = _KEY_NAMES[base]
    elif _FUNCTION_KEY.fullmatch(base):
        name = base.upper()
    elif len(base) == 1 or base in _PUNCTUATION:
        name = _PUNCTUATION.get(base, base)
        if modifiers:
            name = name.upper()
    else:
        name = format_key(base)
        if modifiers and len(name) == 1:
            name = name.upper()
    return "+".join([*(modifier.capitalize() for modifier in modifiers), name])
