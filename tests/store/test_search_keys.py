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

from store.members.search_keys import (
    MAX_COMBINATIONS,
    SEPARATOR,
    fold,
    make_matcher,
    matches,
    normalize_query,
    search_keys,
    search_text,
)
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


def test_search_text_without_keys_still_finds_the_name() -> None:
    blob = search_text({"name": "张三", "phone": "13800000001"})
    assert matches("张三", blob)
    assert matches("1380000", blob)
    assert not matches("zs", blob)


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
        blob = search_text({"name": "张三", "search_keys": ["张三", "zhangsan", "zs"]})
        assert matches("zs", blob)
        print("pypinyin" in sys.modules, os.environ.get("PYPINYIN_NO_PHRASES"))
        store.members.search_keys.search_keys("张三")
        print("pypinyin" in sys.modules, os.environ.get("PYPINYIN_NO_PHRASES"))
        print(any("phrase" in name for name in sys.modules))
        """,
        env,
    )
    assert out.splitlines() == ["False None", "True 1", "False"]
