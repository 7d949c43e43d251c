"""Keys answered without Unicode's name tables give Textual's own answers (tui/keychars.py)."""

from __future__ import annotations

import unicodedata

import pytest
import textual.screen
from hypothesis import given
from hypothesis import strategies as st
from textual.keys import format_key
from textual.keys import key_to_character as textual_key_to_character

from store.textsafe import nfkc
from tui import keychars
from tui.keymap import _PUNCTUATION, key_display


@pytest.mark.parametrize("key", sorted(keychars.TYPED))
def test_each_key_in_the_table_types_what_textual_says(key: str) -> None:
    assert keychars.key_to_character(key) == textual_key_to_character(key)


@pytest.mark.parametrize("key", ["a", "Z", "1", "ctrl+s", "shift+tab", "ctrl+question_mark"])
def test_one_character_and_modified_keys_as_in_textual(key: str) -> None:
    assert keychars.key_to_character(key) == textual_key_to_character(key)


def test_a_key_not_in_the_table_is_asked_of_textual() -> None:
    assert "exclamation_mark" not in keychars.TYPED
    assert keychars.key_to_character("exclamation_mark") == "!"


def test_the_app_makes_textual_screens_ask_ours() -> None:
    import tui.app  # noqa: F401 - installs it

    assert getattr(textual.screen, "key_to_character") is keychars.key_to_character  # noqa: B009


@pytest.mark.parametrize("key", sorted(_PUNCTUATION))
def test_punctuation_keys_are_written_as_textual_writes_them(key: str) -> None:
    assert key_display(key) == format_key(key)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(
    st.text(
        alphabet=st.sampled_from(
            "张王李曾单尉迟㐀䶿鿿〇１２ＡＢ（）·ﬁ①é e\u0301 abc-_/\t\x00\x7f\x80\u3000"
        ),
        max_size=12,
    )
)
def test_nfkc_near_the_edges_of_the_ranges_taken_as_they_are(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
