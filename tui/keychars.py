"""Which character a key types, answered without Unicode's name tables.

Whenever a text field has the focus, Textual asks, for every key bound above it, which
character that key types (``textual.keys.key_to_character``: a field that takes the character
hides the binding). It answers from the key's name by ``unicodedata.lookup``, which reads
Unicode's name tables: the thirteen names of a login screen and a roster touched 0.7 MiB of
them, which each session then holds (the pages read in around every lookup). The keys shequ
binds are answered here from a table, the same answers (tests/test_keychars.py checks each
against Textual's); any other key still goes to Textual's function.
"""

from __future__ import annotations

from functools import lru_cache

from textual import keys

# Key name -> the character Textual says it types (None: none). Names of one character are
# that character, and a key with a modifier (ctrl+s) types none, as in Textual.
TYPED: dict[str, str | None] = {
    "escape": "\x1b",
    "enter": None,
    "tab": "\t",
    "space": " ",
    "backspace": "\x08",
    "delete": "\x7f",
    "insert": None,
    "up": None,
    "down": None,
    "left": None,
    "right": None,
    "home": None,
    "end": None,
    "pageup": None,
    "pagedown": None,
    "slash": None,
    "minus": None,
    "plus": None,
    "underscore": None,
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "comma": ",",
    "full_stop": ".",
    "asterisk": "*",
    "colon": ":",
    **{f"f{number}": None for number in range(1, 25)},
}


def install() -> None:
    """Make Textual's screens ask :func:`key_to_character` (before the App runs)."""
    import textual.screen

    # Textual's screen module calls the name it imported; it is not re-exported (hence setattr).
    setattr(textual.screen, "key_to_character", key_to_character)  # noqa: B010


@lru_cache(1024)
def key_to_character(key: str) -> str | None:
    """The character ``key`` types, as Textual's function of that name says."""
    _modifiers, separator, base = key.rpartition("+")
    if separator:
        return None
    if len(base) == 1:
        return base
    if base in TYPED:
        return TYPED[base]
    return keys.key_to_character(key)
