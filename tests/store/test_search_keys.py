"""Pinyin keys (all readings, capped) and the one-substring-per-record roster search."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.actor import Actor
from store.engine.database import Database
from store.members.search_keys import (
    MAX_COMBINATIONS,
    RANK_ELSEWHERE,
    RANK_EXACT,
    RANK_READING,
    RANK_START,
    RANK_SURNAME,
    SEPARATOR,
    fold,
    make_matcher,
    match_rank,
    matches,
    normalize_query,
    primary_keys,
    search_keys,
    search_text,
    sort_key,
)
from store.members.surnames import COMPOUND, SINGLE
from store.members.validation import validate_member

TODAY = dt.date(2025, 6, 1)
ROOT = Path(__file__).resolve().parents[2]


def test_plain_name() -> None:
    assert search_keys("张三") == ["张三", "zhangsan", "zs"]


def test_multi_reading_characters_give_every_reading() -> None:
    keys = search_keys("曾重阳")
    for key in ("zengchongyang", "cengchongyang", "zengzhongyang", "cengzhongyang"):
        assert key in keys
    for key in ("zcy", "ccy", "zzy", "czy"):
        assert key in keys
    assert keys[0] == "曾重阳"


def test_keys_are_lowercase_ascii_apart_from_the_name() -> None:
    for name in ("曾重阳", "欧阳娜娜", "吕娜", "单田芳", "Li Ming"):
        for key in search_keys(name)[1:]:
            assert key.isascii()
            assert key == key.lower()
            assert " " not in key


def test_latin_name() -> None:
    assert search_keys("Li Ming") == ["liming", "lm"]
    assert search_keys("  LI  Ming ") == ["liming", "lm"]


def test_umlaut_spellings() -> None:
    keys = search_keys("吕娜")
    assert "lvna" in keys
    assert "luna" in keys


def test_extension_b_and_middle_dot_do_not_crash() -> None:
    keys = search_keys("吉𠮷祥")
    assert keys[0] == "吉𠮷祥"
    assert "jx" in keys or "jjx" in keys
    keys = search_keys("阿依古丽·买买提")
    assert keys[0] == "阿依古丽买买提"
    assert "ayigulimaimaiti" in keys
    assert "ayglmmt" in keys


def test_combinations_are_capped_and_still_cover_every_reading() -> None:
    name = "重单曾朴乐重单曾朴乐"  # ten characters, each with two or three readings
    keys = search_keys(name)
    assert len(keys) <= 1 + 2 * MAX_COMBINATIONS
    full = [k for k in keys[1:] if len(k) > len(name)]
    # Best-first order: each first character's alternative reading appears despite the cap.
    assert any(k.startswith("chong") for k in full)
    assert any(k.startswith("zhong") for k in full)


@pytest.mark.parametrize("name", ["", " ", "·", "123", "〇", "[/]", "\x1b[31m"])
def test_odd_names(name: str) -> None:
    keys = search_keys(name)
    assert all(isinstance(k, str) and k for k in keys)


@settings(deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_keys(name: str) -> None:
    keys = search_keys(name)
    assert len(keys) <= 1 + 2 * MAX_COMBINATIONS
    assert all(SEPARATOR not in k for k in keys)


def member(**raw: object) -> dict[str, object]:
    base: dict[str, object] = {"category": "in_service"}
    return validate_member(base | raw, today=TODAY)


@pytest.fixture(scope="module")
def roster() -> dict[str, str]:
    docs = {
        "zhangsan": member(name="张三", phone="13800000001", address="3栋2单元502室"),
        "zeng": member(name="曾重阳", phone="0571-88886666", address="2栋1单元602室"),
        "latin": member(name="Li Ming", phone="13800000007"),
        "dot": member(name="阿依古丽·买买提", phone="+86 138-0000-0005"),
        "free": member(name="王五", address="幸福里小区东门"),
    }
    return {key: search_text(doc) for key, doc in docs.items()}


def found(query: str, roster: dict[str, str]) -> set[str]:
    match = make_matcher(query)
    return {key for key, blob in roster.items() if match(blob)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zs", {"zhangsan"}),
        ("ZS", {"zhangsan"}),
        ("zhangsan", {"zhangsan"}),
        ("zhang san", {"zhangsan"}),
        ("ｚｈａｎｇ", {"zhangsan"}),
        ("张", {"zhangsan"}),
        ("曾", {"zeng"}),
        ("ceng", {"zeng"}),
        ("zeng", {"zeng"}),
        ("zcy", {"zeng"}),
        ("ccy", {"zeng"}),
        ("Li Ming", {"latin"}),
        ("liming", {"latin"}),
        ("lm", {"latin", "dot"}),  # substring of the initials ayglmmt too
        ("阿依古丽·买", {"dot"}),
        ("阿依古丽买买提", {"dot"}),
        ("ayigu", {"dot"}),
        ("0001", {"zhangsan"}),
        ("138 0000 0005", {"dot"}),
        ("+86 138-0000-0005", {"dot"}),
        ("0571-8888", {"zeng"}),
        ("88886666", {"zeng"}),
        ("3栋2单元", {"zhangsan"}),
        ("502", {"zhangsan"}),
        ("幸福里", {"free"}),
        ("nobody", set()),
    ],
)
def test_search(query: str, expected: set[str], roster: dict[str, str]) -> None:
    assert found(query, roster) == expected
    assert {k for k, blob in roster.items() if matches(query, blob)} == expected


def test_empty_query_matches_everything(roster: dict[str, str]) -> None:
    assert found("", roster) == set(roster)
    assert found("   ", roster) == set(roster)


def test_no_match_spans_two_parts(roster: dict[str, str]) -> None:
    # The blob of 张三 holds "张三" then "zhangsan": "三zh" must not match across them.
    assert "三zh" in roster["zhangsan"].replace(SEPARATOR, "")
    assert found("三zh", roster) == set()
    assert found("zszhang", roster) == set()


def test_normalize_query() -> None:
    assert normalize_query(" Zhang San ") == "zhangsan"
    assert normalize_query("+86 138-0000") == "1380000"
    assert normalize_query("0086 138") == "138"
    assert normalize_query("０５７１－８８") == "057188"
    assert normalize_query("\x1b[31m张") == "31m张"
    assert fold("Li·Ming") == "liming"


def test_search_text_without_keys_computes_them() -> None:
    """A member stored without keys (a hand edit) is found by its pinyin all the same; so is
    one whose keys are another name's (store/members/rekey.py stores them)."""
    blob = search_text({"name": "张三", "phone": "13800000001"})
    assert matches("张三", blob)
    assert matches("1380000", blob)
    assert matches("zs", blob)
    stale = search_text({"name": "张三", "search_keys": ["李四", "lisi", "ls"]})
    assert matches("zs", stale) and not matches("ls", stale)


def test_search_text_tolerates_odd_documents() -> None:
    assert search_text({}) == ""
    blob = search_text({"name": 5, "search_keys": "zs", "phone": None, "building": 3})
    assert blob == ""


def run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_pypinyin_is_imported_only_to_compute_keys() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    out = run(
        """
        import os, sys
        import store.members.model, store.members.validation, store.members.search_keys
        from store.members.search_keys import search_text, matches
        keys = ["张三", "zhangsan", "zs"]  # a member as the store writes it: keys and sort key
        blob = search_text({"name": "张三", "search_keys": keys, "sort_key": "zhang 05f20 san"})
        assert matches("zs", blob)
        print("pypinyin" in sys.modules, os.environ.get("PYPINYIN_NO_PHRASES"))
        store.members.search_keys.search_keys("张三")
        print("pypinyin" in sys.modules, os.environ.get("PYPINYIN_NO_PHRASES"))
        print(any("phrase" in name for name in sys.modules))
        """,
        env,
    )
    assert out.splitlines() == ["False None", "True 1", "False"]


# -- the roster's sort key: surname reading first, then syllable by syllable --------------------

_GIVEN = "华国伟芳军秀东海燕小新春文博然林宇杰娟梅兵勇涛"  # one reading each (checked below)


def _readings(char: str) -> list[str]:
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, pinyin

    return [r for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0] if r.isalpha()]


def test_the_given_name_characters_have_one_reading() -> None:
    assert all(len(_readings(char)) == 1 for char in _GIVEN)


def _common(char: str) -> list[str]:
    from store.members.readings import readings

    return readings(char)


@settings(max_examples=200, deadline=None)
@given(
    surname=st.sampled_from(sorted(SINGLE) + sorted(COMPOUND)),
    given_name=st.text(alphabet=_GIVEN, min_size=1, max_size=2),
)
def test_a_surname_sorts_by_its_surname_reading_and_is_found_by_every_common_reading(
    surname: str, given_name: str
) -> None:
    name = surname + given_name
    readings = COMPOUND.get(surname) or (SINGLE[surname],)
    given_part = "-".join(_readings(char)[0] for char in given_name)
    code = "".join(f"{ord(char):05x}" for char in surname)
    assert sort_key(name) == "-".join(readings) + " " + code + " " + given_part
    assert sort_key(name).isascii()
    keys = search_keys(name)
    assert keys[1] == "".join(readings) + given_part.replace("-", "")  # the first full spelling
    blob = search_text({"name": name, "search_keys": keys})
    for reading in _common(surname[0]):  # every reading in use still finds the member
        assert matches(reading + _readings(given_name[0])[0], blob) or len(surname) == 2
        assert any(key.startswith(reading) for key in keys)


_SYLLABLE_CHARS = "西安先山东华海燕金花林宇"


@settings(max_examples=300, deadline=None)
@given(
    a=st.text(alphabet=_SYLLABLE_CHARS, min_size=1, max_size=3),
    b=st.text(alphabet=_SYLLABLE_CHARS, min_size=1, max_size=3),
)
def test_names_sort_by_surname_then_syllable_by_syllable(a: str, b: str) -> None:
    def order(name: str) -> tuple[list[str], str, list[str]]:
        from store.members.surnames import surname_readings

        lead = list(surname_readings(name))
        spelled = [
            lead[i] if i < len(lead) else _first_reading(char) for i, char in enumerate(name)
        ]
        return spelled[:1], name[:1], spelled[1:]

    key_order = (sort_key(a) > sort_key(b)) - (sort_key(a) < sort_key(b))
    tuple_order = (order(a) > order(b)) - (order(a) < order(b))
    assert key_order == tuple_order


def _first_reading(char: str) -> str:
    return _readings(char)[0]


def test_xi_an_sorts_before_xian_and_zeng_under_z() -> None:
    names = ["先", "西安", "曾小明", "张三", "单田芳", "蔡明"]
    assert sorted(names, key=sort_key) == ["蔡明", "单田芳", "西安", "先", "曾小明", "张三"]


def test_one_surname_stays_together_and_a_compound_follows_the_single() -> None:
    """Issue 17: 李 together (黎 reads li too), 陈 before 程, 万 before 汪/王, 朱 before 诸葛."""
    names = ["李佳", "林博琪", "林德", "黎淑玉", "李四明", "刘桂", "李伟静", "程明", "陈明"]
    names += ["王德桂", "汪明", "万明", "诸葛亮", "朱明", "朱葛", "欧阳娜娜", "区明"]
    assert sorted(names, key=sort_key) == [
        "陈明", "程明",
        "李佳", "李四明", "李伟静", "黎淑玉", "林博琪", "林德", "刘桂",
        "区明", "欧阳娜娜",
        "万明", "汪明", "王德桂",
        "朱葛", "朱明", "诸葛亮",
    ]  # fmt: skip


# -- readings in common use (issue 17: no archaic readings) -------------------------------------


@pytest.mark.parametrize(
    ("name", "kept", "dropped"),
    [
        ("方梅", {"fangmei", "fm"}, {"wangmei", "pangmei", "fengmei", "wm", "pm"}),
        ("王德桂", {"wangdegui", "wdg"}, {"yudegui", "ydg"}),
        ("曾国藩", {"zengguofan", "cengguofan", "zgf", "cgf"}, set()),
        ("单田芳", {"shantianfang", "dantianfang", "chantianfang"}, set()),
        ("长江", {"changjiang", "zhangjiang"}, set()),
        ("沈阳", {"shenyang"}, {"chenyang", "tanyang"}),
        ("吕娜", {"lvna", "luna"}, set()),
    ],
)
def test_only_readings_in_common_use_are_kept(name: str, kept: set[str], dropped: set[str]) -> None:
    keys = set(search_keys(name))
    assert kept <= keys
    assert not dropped & keys


def test_wang_no_longer_finds_fang_and_zeng_and_ceng_both_find_zeng() -> None:
    docs = {name: member(name=name) for name in ("方梅", "方伟", "王德桂", "汪明", "曾小明")}
    blobs = {name: search_text(doc) for name, doc in docs.items()}

    def hits(query: str) -> set[str]:
        return {name for name, blob in blobs.items() if matches(query, blob)}

    assert hits("wang") == {"王德桂", "汪明"}
    assert hits("yudegui") == set()
    assert hits("zeng") == hits("ceng") == {"曾小明"}
    assert hits("fang") == {"方梅", "方伟"}


_STANDARD = [chr(code) for code in range(0x4E00, 0x9FA6)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_STANDARD))
def test_a_characters_readings_are_pypinyins_within_the_standard(char: str) -> None:
    from store.members.readings import _pypinyin, common_readings, readings

    found = readings(char)
    standard = common_readings(char)
    everything = _pypinyin(char)
    assert len(found) == len(set(found))
    if standard is None:  # not in the standard's 8,105: nothing to filter by
        assert found == list(dict.fromkeys(everything))
    else:
        assert set(found) == set(standard)  # every reading in use, no other
        shared = [reading for reading in everything if reading in standard]
        assert found[: len(shared)] == list(dict.fromkeys(shared))  # pypinyin's order first


# -- ranking matches ----------------------------------------------------------------------------


def _rank(query: str, name: str) -> int:
    keys = search_keys(name)
    return match_rank(normalize_query(query), SEPARATOR.join(keys), sort_key(name))


@pytest.mark.parametrize(
    ("query", "name", "rank"),
    [
        ("张三", "张三", RANK_EXACT),
        ("zhangsan", "张三", RANK_EXACT),
        ("zs", "张三", RANK_EXACT),
        ("zs", "张三丰", RANK_SURNAME),
        ("wang", "王德桂", RANK_SURNAME),
        ("王", "王德桂", RANK_SURNAME),
        ("zeng", "曾小明", RANK_SURNAME),
        ("ceng", "曾小明", RANK_READING),
        ("wang", "万桂国", RANK_START),
        ("wan", "万桂国", RANK_SURNAME),
        ("wd", "王德桂", RANK_SURNAME),
        ("cengxiaoming", "曾小明", RANK_READING),
        ("zhang", "长明", RANK_READING),
        ("zhang", "长孙无忌", RANK_SURNAME),
        ("wang", "李旺", RANK_ELSEWHERE),
        ("ming", "曾小明", RANK_ELSEWHERE),
        ("li ming", "Li Ming", RANK_EXACT),
        ("lm", "Li Ming", RANK_EXACT),
    ],
)
def test_match_rank(query: str, name: str, rank: int) -> None:
    assert _rank(query, name) == rank


@settings(max_examples=200, deadline=None)
@given(name=st.text(alphabet="王方曾李黎单长张三明德桂", min_size=1, max_size=4))
def test_a_name_typed_whole_ranks_first(name: str) -> None:
    assert _rank(name, name) == RANK_EXACT
    full, initials = primary_keys(sort_key(name))
    assert _rank(full, name) == RANK_EXACT
    assert _rank(initials, name) == RANK_EXACT


def test_pickers_rank_as_the_roster_does(db: Database, actor: Actor) -> None:
    """The assign list and the member pickers (MemberIndex) put the best matches first: `wang`
    finds 王德桂 before 万桂国 (wan-gui, a start inside a syllable), though 万 sorts first."""
    from store.members import ops as members

    for name in ("万桂国", "汪洋", "王德桂"):
        members.add(db, actor, {"name": name})
    index = members.MemberIndex(db.snapshot(), actor)
    assert [d["name"] for d in index.search("")] == ["万桂国", "汪洋", "王德桂"]
    assert [d["name"] for d in index.search("wang")] == ["汪洋", "王德桂", "万桂国"]
    assert [d["name"] for d in index.search("wdg")] == ["王德桂"]
