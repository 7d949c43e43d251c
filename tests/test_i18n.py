"""The zh_CN catalog covers every message in the code, and the compiled catalog matches it.

A message without a translation shows up in English in the middle of a Chinese screen; a
translation that drops or renames a ``{placeholder}`` crashes ``str.format`` at run time; a
translation left for a message the code no longer says is kept up to date by nobody.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "tui" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "shequ.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


Key = tuple[str, str]
"""A message as the catalog knows it: its context ("" for none) and its msgid."""


def source_messages() -> set[Key]:
    """Every msgid marked in tui/, screens/ and store/ (singular forms), with its context."""
    found: set[Key] = set()
    for package in ("tui", "screens", "store"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add((context or "", message[0] if isinstance(message, tuple) else message))
    return found


def catalog() -> dict[Key, str]:
    with PO.open("rb") as handle:
        po = read_po(handle, locale="zh_CN")
    result = {}
    for entry in po:
        if not entry.id or entry.fuzzy:
            continue
        msgid = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        msgstr = entry.string[0] if isinstance(entry.string, tuple) else entry.string
        result[entry.context or "", msgid] = msgstr
    return result


def test_every_message_has_a_chinese_translation() -> None:
    translations = catalog()
    missing = sorted(m for m in source_messages() if not translations.get(m))
    assert not missing, "Run `make i18n` and translate:\n" + "\n".join(
        f"{context}: {msgid}" if context else msgid for context, msgid in missing
    )


def test_no_translation_is_left_for_a_message_gone_from_the_code() -> None:
    gone = sorted(set(catalog()) - source_messages())
    assert not gone, "Run `make i18n` (it drops them), or remove:\n" + "\n".join(
        f"{context}: {msgid}" if context else msgid for context, msgid in gone
    )


@pytest.mark.parametrize("key", sorted(catalog()))
def test_translation_keeps_placeholders(key: Key) -> None:
    msgstr = catalog()[key]
    if msgstr:
        assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(key[1]))


def test_compiled_catalog_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for (context, msgid), msgstr in catalog().items()
        if msgstr
        and (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert not stale, "Run `make i18n` to recompile: " + ", ".join(stale[:5])
