"""How surnames are read: the reading a character takes when it is a family name.

Many characters read differently as a surname: 曾 is céng in 曾经 but Zēng in 曾国藩, 单 is dān
but Shàn, 区 is qū but Ōu. pypinyin lists every reading (and often the everyday one first), so
a roster sorted by the first reading put 曾 under C. The roster's sort key
(:func:`store.members.search_keys.sort_key`) takes a name's first character(s) from here; the
search keys still hold every reading, so 曾 is found by ``zeng`` and by ``ceng``.

Compound surnames come first: 尉迟 is Yùchí (尉 alone is Wèi), 万俟 Mòqí, 单于 Chányú.
"""

from __future__ import annotations

# Two-character surnames whose characters read differently there, or differently from alone.
COMPOUND: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "乐正": ("yue", "zheng"),
    "句龙": ("gou", "long"),
}

# One-character surnames read otherwise than the character's usual first reading.
SINGLE: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "尉": "wei",
    "盖": "ge",
    "乐": "yue",
    "种": "chong",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "召": "shao",
    "繁": "po",
    "任": "ren",
    "员": "yun",
    "牟": "mou",
    "秘": "bi",
    "句": "gou",
    "冼": "xian",
    "都": "du",
    "柏": "bai",
    "祭": "zhai",
    "重": "chong",
    "薄": "bo",
    "能": "nai",
    "宓": "fu",
    "逄": "pang",
    "贲": "ben",
    "沈": "shen",
    "石": "shi",
    "宿": "su",
    "和": "he",
    "粘": "nian",
    "折": "she",
    "隗": "wei",
    "郇": "huan",
    "阚": "kan",
    "莘": "shen",
    "长": "chang",
    "万": "wan",
    "华": "hua",
}


def surname_readings(name: str) -> tuple[str, ...]:
    """The readings of the surname ``name`` starts with, one per character; () if not listed."""
    compound = COMPOUND.get(name[:2])
    if compound is not None:
        return compound
    single = SINGLE.get(name[:1])
    return (single,) if single is not None else ()
