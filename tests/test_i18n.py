"""The zh_CN catalog covers every message in the code, and the compiled catalog matches it.

A message without a translation shows up in English in the middle of a Chinese screen; a
translation that drops or renames a ``{placeholder}`` crashes ``str.format`` at run time.
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
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def source_messages() -> set[str]:
    """Every msgid marked in tui/, screens/ and store/ (singular forms)."""
    found: set[str] = set()
    for package in ("tui", "screens", "store"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog() -> dict[str, str]:
    with PO.open("rb") as handle:
        po = read_po(handle, locale="zh_CN")
    result = {}
    for entry in po:
        if not entry.id or entry.fuzzy:
            continue
        msgid = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        msgstr = entry.string[0] if isinstance(entry.string, tuple) else entry.string
        result[msgid] = msgstr
    return result


def test_every_message_has_a_chinese_translation() -> None:
    translations = catalog()
    missing = sorted(m for m in source_messages() if not translations.get(m))
    assert not missing, "Run `make i18n` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("msgid", sorted(catalog()))
def test_translation_keeps_placeholders(msgid: str) -> None:
    msgstr = catalog()[msgid]
    if msgstr:
        assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid))


def test_compiled_catalog_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [m for m, s in catalog().items() if s and compiled.gettext(m) != s]
    assert not stale, "Run `make i18n` to recompile: " + ", ".join(stale[:5])
