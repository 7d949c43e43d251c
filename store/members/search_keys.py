"""Pinyin search keys for names, and the one-string-per-record search used by the roster.

Volunteers find 张三 by typing ``zs`` or ``zhangsan``, and 曾重阳 by ``zcy`` as well as ``ccy``:
a multi-reading character contributes every reading in common use (store/members/readings.py:
方 is only fang, not the archaic pang, wang and feng, so ``wang`` does not find 方梅). Keys are
computed with pypinyin when a name is written (validation stores them in the member's
``search_keys``, and the roster's sort key in its ``sort_key``; store/named.py does the same for
teams, zones, shift templates and sessions, and lists the first three in this order), so
reading and searching never import pypinyin, whose import costs time and memory on small
machines.

A name's first character(s) are read as a surname (store/members/surnames.py: 曾 Zeng, 单 Shan,
尉迟 Yuchi): that reading comes first, in the first full spelling and in :func:`sort_key`, which
the roster sorts by the surname as a unit first (朱 before 诸葛, every 李 together before the
黎 who read the same), then syllable by syllable (西安 Xi An before 先 Xian). A search's matches
are ranked by :func:`match_rank`: the whole name first, then names starting with what was typed
in their surname's reading, then other readings, then anything else.

Searching 20,000 members must take a few milliseconds per keystroke, so each record is reduced once
to a folded "blob" (:func:`search_text`) and a query to a folded string (:func:`normalize_query`);
a match is then one substring test. Folding lowercases, makes full-width characters ASCII and drops
spaces and punctuation, so "Li Ming", "阿依古丽·买买提" and "138-0000" all match as typed.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from store.members.surnames import is_han
from store.textsafe import nfkc

__all__ = [
    "MAX_COMBINATIONS",
    "SEPARATOR",
    "doc_keys",
    "fold",
    "is_han",
    "keys_fit",
    "make_matcher",
    "match_rank",
    "matches",
    "name_keys",
    "normalize_query",
    "primary_keys",
    "search_keys",
    "search_text",
    "sort_key",
    "unspelled_order",
]

MAX_COMBINATIONS = 16
"""At most this many full spellings and this many initials per name (readings multiply)."""

MAX_SYLLABLES = 40

SEPARATOR = "\n"
"""Joins the parts of a blob; folding removes it from queries, so no match spans two parts."""


_NOT_WORD = re.compile(r"[\W_]+")  # everything but letters, digits and ideographs


def fold(text: str) -> str:
    """Lowercase, full-width to ASCII, and keep only letters, digits and ideographs."""
    return _NOT_WORD.sub("", nfkc(text).casefold())


@lru_cache(maxsize=8192)
def _readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of one Han character in common use ("v" also as "u").

    Kept per character: names share characters, and the version 3 upgrade computes every
    member's keys at once (20,000 names: 5.5 s without the cache).
    """
    from store.members.readings import readings as common

    found: list[str] = []
    for reading in common(char):
        for spelling in (reading, reading.replace("v", "u")):
            if spelling.isascii() and spelling.isalpha() and spelling not in found:
                found.append(spelling.lower())
    return tuple(found)


def _syllables(name: str) -> tuple[list[list[str]], int]:
    """Split a name into syllables, each with its possible spellings (Latin words have one),
    and say how many of the first syllables are the surname (0: no surname, a Latin name).

    The leading characters of a listed surname have their surname reading first.
    """
    from store.members.surnames import surname_length, surname_readings

    out: list[list[str]] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            out.append(["".join(word)])
            word.clear()

    text = unicodedata.normalize("NFKC", name).strip()
    surname = list(surname_readings(text))
    lead = surname_length(text)
    for index, char in enumerate(text):
        if is_han(char):
            flush()
            readings = list(_readings(char))
            if index < len(surname) and len(out) == index:  # still the leading surname
                first = surname[index]
                readings = [first, *(reading for reading in readings if reading != first)]
            if readings:  # an ideograph pypinyin does not know (e.g. 𠮷) is skipped
                out.append(readings)
            elif index < lead:
                lead = index  # the surname cannot be spelled whole
        elif char.isalnum():
            word.append(char.casefold())
        else:
            flush()
    flush()
    return out[:MAX_SYLLABLES], min(lead, len(out))


def _best_first(options: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Join one spelling per syllable, most usual readings first, at most ``limit`` ways.

    Ordering by how many alternative readings a combination uses (rather than itertools.product
    order) means the cap still leaves every single alternative reading in the list.
    """
    if not options:
        return []
    start = (0,) * len(options)
    heap: list[tuple[int, tuple[int, ...]]] = [(0, start)]
    seen = {start}
    joined: list[str] = []
    while heap and len(joined) < limit:
        cost, index = heapq.heappop(heap)
        joined.append("".join(options[i][j] for i, j in enumerate(index)))
        for i, j in enumerate(index):
            if j + 1 < len(options[i]):
                nxt = (*index[:i], j + 1, *index[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (cost + 1, nxt))
    return joined


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def search_keys(name: str) -> list[str]:
    """The folded name, its full pinyin spellings and its initials, e.g. 张三 ->
    ['张三', 'zhangsan', 'zs']; every reading of a multi-reading character is included."""
    syllables, _surname = _syllables(name)
    initials = [_unique(spelling[0] for spelling in options) for options in syllables]
    return _unique(
        [
            fold(name),
            *_best_first(syllables, MAX_COMBINATIONS),
            *_best_first(initials, MAX_COMBINATIONS),
        ]
    )


def name_keys(name: str, keys: Sequence[str], order: str) -> tuple[Sequence[str], str]:
    """The search keys and sort key of a member called ``name``, given those stored with it.

    The stored ones when they are there and start with the folded name, as every key list
    :func:`search_keys` writes does: a string comparison, so reading a file whose members all
    have their keys never imports pypinyin. Otherwise (a record written by hand or by another
    program, without keys, or a name edited by hand after its keys were written) they are
    computed now, pypinyin imported on first use, so search and sort are right before anyone
    stores them (``shequ members rekey``). A name with nothing to spell keeps what it has.
    A hand-edited sort key alone is not seen here; ``shequ check`` compares it whole.
    """
    if (order and keys_fit(name, keys)) or not fold(name):
        return keys, order
    return search_keys(name), sort_key(name)


def unspelled_order(keys: Sequence[str], name: str) -> str:
    """The sort key of a member with none stored and nothing to spell (:func:`name_keys` keeps
    what it has): its first full spelling if keys were written by hand, else the folded name."""
    return keys[1] if len(keys) > 1 and isinstance(keys[1], str) else fold(name)


def doc_keys(doc: Mapping[str, object]) -> tuple[Sequence[str], str]:
    """The search keys and sort key of a stored member document, as the roster's summaries
    have them (store/members/wire.py ``member_keys``): those stored, computed when they are
    missing or another name's (:func:`name_keys`), for every list of members that is not the
    roster (the training checklist, the member pickers, the assign list, the CLI)."""
    keys = doc.get("search_keys")
    stored = [k for k in keys if isinstance(k, str) and k] if isinstance(keys, list) else []
    name = _text(doc, "name")
    found, order = name_keys(name, stored, _text(doc, "sort_key"))
    return found, order or unspelled_order(found, name)


def keys_fit(name: str, keys: Sequence[str]) -> bool:
    """Whether stored search keys can be ``name``'s: there are some and the first is the folded
    name, as :func:`search_keys` writes them (the cheap test of :func:`name_keys`)."""
    return bool(keys) and (keys[0] == name or keys[0] == fold(name))


SYLLABLE_BREAK = "-"
"""Between the syllables of a sort key: it sorts before every letter and digit, so comparing two
keys compares their syllables one by one (xi-an < xian)."""

SURNAME_END = " "
"""Ends a sort key's surname reading and then its surname: it sorts before
:data:`SYLLABLE_BREAK`, so a surname sorts before a longer one it starts (zhu < zhu-ge)."""


def _code(text: str) -> str:
    """The surname as fixed-width hex code points (李 -> '0674e'): it orders two surnames of one
    reading as the characters themselves would, and keeps the key ASCII, which Python stores in
    half the memory of a string with a Chinese character (a key per member, 20,000 of them)."""
    return "".join(f"{ord(char):05x}" for char in text)


def sort_key(name: str) -> str:
    """The roster's sort key for ``name``: the surname's reading, the surname itself, then the
    given name's syllables in their first reading, e.g. 曾小明 -> 'zeng 066fe xiao-ming', 诸葛亮 ->
    'zhu-ge 08bf80845b liang'. Sorting by it keeps one surname together (李 before 黎, both li;
    朱 before 诸葛), as a printed roster or a phone's contacts do. A name without a Chinese
    surname is its syllables ('li-ming'); one with nothing to spell sorts by its folded self."""
    syllables, surname = _syllables(name)
    if not syllables:
        return fold(name)
    spelled = [options[0] for options in syllables]
    if not surname:
        return SYLLABLE_BREAK.join(spelled)
    text = unicodedata.normalize("NFKC", name).strip()
    return (
        SYLLABLE_BREAK.join(spelled[:surname])
        + SURNAME_END
        + _code(text[:surname])
        + SURNAME_END
        + SYLLABLE_BREAK.join(spelled[surname:])
    )


def _primary_syllables(key: str) -> list[str]:
    parts = key.split(SURNAME_END)
    spelled = parts[0] + SYLLABLE_BREAK + parts[2] if len(parts) == 3 and parts[2] else parts[0]
    return spelled.split(SYLLABLE_BREAK)


def primary_keys(key: str) -> tuple[str, str]:
    """The full spelling and the initials in a :func:`sort_key`'s readings (the surname's
    own): 'zeng 066fe xiao-ming' -> ('zengxiaoming', 'zxm')."""
    syllables = _primary_syllables(key)
    return "".join(syllables), "".join(syllable[:1] for syllable in syllables)


RANK_EXACT, RANK_SURNAME, RANK_START, RANK_READING, RANK_ELSEWHERE = range(5)


def match_rank(needle: str, names: str, key: str) -> int:
    """How well a folded query finds a record, best first (0-4), for ordering matches.

    ``names`` is the name part of the record's blob (the folded name, then its spellings and
    initials) and ``key`` its :func:`sort_key`. 0 (exact): the whole name, or its whole
    spelling or initials in the surname's reading (``zhangsan``, ``zs``); 1 (surname): the
    name's start in whole syllables of that reading (``wang`` for 王德桂, ``wd``, ``曾``); 2: a
    start ending inside a syllable (``wang`` for 万桂国, wan-gui); 3: another reading's start
    or whole (``ceng`` for 曾小明); 4: anywhere else (inside the name, the phone, the address).
    """
    if needle not in names:
        return RANK_ELSEWHERE
    name_end = names.find(SEPARATOR)
    name = names if name_end < 0 else names[:name_end]
    syllables = _primary_syllables(key)
    full = "".join(syllables)
    initials = "".join(syllable[:1] for syllable in syllables)
    if needle in (name, full, initials):
        return RANK_EXACT
    if name.startswith(needle) or initials.startswith(needle):
        return RANK_SURNAME
    if full.startswith(needle):
        spelled = ""
        for syllable in syllables:
            spelled += syllable
            if len(spelled) >= len(needle):
                return RANK_SURNAME if spelled == needle else RANK_START
    if names.startswith(needle) or (SEPARATOR + needle) in names:
        return RANK_READING
    return RANK_ELSEWHERE


def _text(doc: Mapping[str, object], key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def search_text(doc: Mapping[str, object], keys: Sequence[str] | None = None) -> str:
    """Everything a roster search looks at, folded and joined: build it once per record.

    Uses the stored ``search_keys`` as :func:`search_keys` wrote them (already folded),
    computed only for a member stored without them (:func:`doc_keys`; ``keys``: those it gave
    already), falling back to the folded name; then the phone digits and the address (as
    3栋2单元502室 and any free-text address). About 5 µs a member: cache blobs by (id,
    version) if even that matters.
    """
    if keys is None:
        keys, _order = doc_keys(doc)
    parts = list(keys) or [fold(_text(doc, "name"))]
    phone = _text(doc, "phone")
    if phone:
        # A masked phone (138****0001, store/privacy.py) is its visible pieces: no match spans
        # the hidden digits, so "3800" cannot find 13800000001 by joining 138 and 0001.
        parts.extend(fold(piece) for piece in phone.split("*"))
    building, unit, room = _text(doc, "building"), _text(doc, "unit"), _text(doc, "room")
    if building or unit or room:
        parts.append(
            fold(
                (f"{building}栋" if building else "")
                + (f"{unit}单元" if unit else "")
                + (f"{room}室" if room else "")
            )
        )
    address = _text(doc, "address")
    if address:
        parts.append(fold(address))
    return SEPARATOR.join(dict.fromkeys(part for part in parts if part))


_COUNTRY_PREFIX = re.compile(r"^\s*(?:\+|00)\s*86(?=[\s\-0-9])")


def normalize_query(query: str) -> str:
    """Fold a typed query like a blob; a leading +86 / 0086 is dropped so phones still match."""
    text = unicodedata.normalize("NFKC", query)
    return fold(_COUNTRY_PREFIX.sub("", text))


def make_matcher(query: str) -> Callable[[str], bool]:
    """A test for blobs that normalizes ``query`` once: use it to filter many records."""
    needle = normalize_query(query)

    def match(blob: str) -> bool:
        return needle in blob

    return match


def matches(query: str, blob: str) -> bool:
    """Whether a record's :func:`search_text` blob matches what was typed (empty matches all)."""
    return normalize_query(query) in blob
