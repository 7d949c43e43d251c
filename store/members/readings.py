"""Which readings of a Chinese character a name search should know: the ones in common use.

pypinyin's heteronym data lists every reading a character has ever had: 方 is fang, pang, wang
and feng, 王 is wang and yu. Storing all of them as search keys made ``wang`` find 方梅 and
``yudegui`` find 王德桂 (issue 17). The readings kept are pypinyin's, filtered to those the
*Table of General Standard Chinese Characters* dictionary (《通用规范汉字字典》, 2013, the
current national standard's 8,105 characters) gives: that keeps every reading still in use, 曾
ceng and zeng, 单 dan, shan and chan, 长 chang and zhang, 重 zhong and chong, and drops the
archaic ones. The table is pypinyin-dict's ``kTGHZ2013`` (from Unicode's Unihan database),
read directly rather than loaded into pypinyin (``load_single_dict`` would change pypinyin for
the whole process).

Order: pypinyin's (its first reading is the everyday one), then any reading the standard gives
that pypinyin does not list. A character outside the standard's table (a rare one, an
extension-B ideograph) keeps all of pypinyin's readings: there is nothing to filter it by, and
a rare character's readings cannot flood a search. A surname's own reading (曾 Zeng, 能 Nai,
store/members/surnames.py) is added by the caller, since a surname may read in a way the
dictionary lists only under the surname.

Imported only when a name is written (validation, the version 3 upgrade), like pypinyin.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache

__all__ = ["common_readings", "readings", "toneless"]


def toneless(spelling: str) -> str:
    """A pinyin spelling with tone marks as pypinyin's ``Style.NORMAL`` writes it: lǘ -> lv."""
    decomposed = unicodedata.normalize("NFD", spelling.strip().lower()).replace("u\u0308", "v")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _standard() -> dict[int, str]:
    from pypinyin_dict.pinyin_data import ktghz2013

    table: dict[int, str] = ktghz2013.pinyin_dict
    return table


def common_readings(char: str) -> tuple[str, ...] | None:
    """The toneless readings the standard dictionary gives ``char`` (None: not in it)."""
    found = _standard().get(ord(char)) if len(char) == 1 else None
    if not found:
        return None
    return tuple(dict.fromkeys(toneless(part) for part in found.split(",") if part.strip()))


def _pypinyin(char: str) -> list[str]:
    """Every toneless reading pypinyin lists for ``char`` (without its phrase dictionary)."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, pinyin

    found: list[list[str]] = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return [reading.lower() for reading in (found[0] if found else [])]


def readings(char: str) -> list[str]:
    """The readings of ``char`` in common use, the everyday one first (see the module doc)."""
    everything = _pypinyin(char)
    common = common_readings(char)
    if common is None:
        return list(dict.fromkeys(everything))
    kept = [reading for reading in everything if reading in common]
    kept.extend(reading for reading in common if reading not in kept)
    return list(dict.fromkeys(kept))
