"""How surnames are read: the reading a character takes when it is a family name.

Many characters read differently as a surname: 曾 is céng in 曾经 but Zēng in 曾国藩, 单 is dān
but Shàn, 区 is qū but Ōu. pypinyin lists every reading (and often the everyday one first), so
a roster sorted by the first reading put 曾 under C. The roster's sort key
(:func:`store.members.search_keys.sort_key`) takes a name's first character(s) from here; the
search keys still hold every reading, so 曾 is found by ``zeng`` and by ``ceng``.

Compound surnames come first: 尉迟 is Yùchí (尉 alone is Wèi), 万俟 Mòqí, 单于 Chányú.

The roster sorts by the surname as a unit (:func:`surname_length`): 朱 before 诸葛 (zhu before
zhu ge), and the people of one surname together even when another surname reads the same (李 and
黎 are both li). A two-character surname is known from :data:`COMPOUND` and :data:`PLAIN_COMPOUND`
(the compound surnames of the 百家姓 and the common modern ones); otherwise a Chinese name's
first character is its surname.
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


# Two-character surnames read as their characters usually are: the 百家姓's compound surnames
# (not its rhyming pairs of single ones, 墨哈 or 年爱) and 独孤. Known so that the roster keeps
# each together as one surname.
_PLAIN_COMPOUND = """
    欧阳 司马 上官 夏侯 诸葛 闻人 东方 赫连 皇甫 公羊 公冶 宗政 濮阳 淳于 太叔 申屠 公孙 仲孙
    轩辕 钟离 宇文 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 仉督 子车 颛孙 端木 巫马 公西 漆雕 壤驷
    公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 南宫
    第五 独孤
"""
PLAIN_COMPOUND: frozenset[str] = frozenset(_PLAIN_COMPOUND.split())


def surname_length(name: str) -> int:
    """How many leading characters of ``name`` are its surname: 2 for a compound surname, 1
    for any other name starting with a Chinese character, 0 for a name that does not."""
    if name[:2] in COMPOUND or name[:2] in PLAIN_COMPOUND:
        return 2
    return 1 if name and is_han(name[0]) else 0


def is_han(char: str) -> bool:
    """CJK ideographs: URO, extension A, compatibility, extensions B-G (𠮷), and 〇 (the
    search keys' rule too: store/members/search_keys.py imports it from here)."""
    o = ord(char)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3134F
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007
    )


def surname_readings(name: str) -> tuple[str, ...]:
    """The readings of the surname ``name`` starts with, one per character; () if not listed."""
    compound = COMPOUND.get(name[:2])
    if compound is not None:
        return compound
    single = SINGLE.get(name[:1])
    return (single,) if single is not None else ()
