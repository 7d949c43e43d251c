"""Keep control characters out of stored text and off the terminal.

Names and notes come from forms, spreadsheets and other programs. A C0/C1 control or ESC in them
could move the cursor, retitle the window or worse when shown on a volunteer's terminal, and
confuses exports. We strip them when text enters the store, and the UI strips again at render
time, so old or hand-edited data is safe too.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab (\x09) and newline (\x0a), DEL, and the C1 range.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Single-line fields also lose tabs and newlines (they would break table rows).
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# ESC-introduced sequences are dropped whole so their printable tail ("]0;title") goes too.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC ... ST
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)


def clean_text(value: str) -> str:
    """Return multi-line text (notes) without escape sequences or control characters."""
    return _CONTROLS.sub("", _ESCAPE_SEQUENCE.sub("", value))


def clean_line(value: str) -> str:
    """Return single-line text (names, phones) without controls, trimmed at both ends."""
    return _LINE_CONTROLS.sub("", _ESCAPE_SEQUENCE.sub("", value)).strip()


def has_controls(value: str) -> bool:
    """Tell whether ``value`` holds anything :func:`clean_text` would remove."""
    return bool(_CONTROLS.search(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV/XLSX export).

    Excel and LibreOffice evaluate cells starting with = + - @ (and tab/CR tricks); a leading
    apostrophe makes them plain text.
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


_NFKC_AS_IS = re.compile("[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]*")
"""ASCII and the CJK Unified Ideographs (and Extension A): NFKC leaves text of only these as
it is (none has a decomposition or combines with another)."""


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, the same string, without the table lookups for
    text of ASCII and ideographs only (nearly every Chinese name, address and label).

    NFKC looks every character up in Unicode's tables, whose pages a session then keeps: at
    5,000 members the addresses folded for the search touched about 0.2 MiB of them.
    """
    if _NFKC_AS_IS.fullmatch(text):
        return text
    return unicodedata.normalize("NFKC", text)
