"""Realistic member records for the benchmarks, written straight to disk in TinyDB's layout.

Timings depend on the file's size and shape, so records look like what the roster holds (Chinese
names with their pinyin search keys, phones, addresses, category, roles, notes; about 500 bytes of
JSON each) rather than ``{"n": 1}``. Seeding goes through orjson directly, not the store, so a
20,000-member file takes a fraction of a second instead of 20,000 validated inserts.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any


def _pairs(chars: str, spellings: str) -> tuple[tuple[str, str], ...]:
    """(character, toneless pinyin) pairs, so search keys come without importing pypinyin."""
    return tuple(zip(chars, spellings.split(), strict=True))


SURNAMES = _pairs(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏",
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo "
    "zheng liang xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan yu "
    "jiang cai yu du ye cheng su",
)
GIVEN = _pairs(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉建国志红梅淑珍德海燕小晓东立新春文博子涵浩然雨轩欣怡佳琪",
    "wei fang na xiu ying min jing li qiang lei jun yang yong yan jie juan tao ming chao "
    "lan xia ping gang gui hua yu jian guo zhi hong mei shu zhen de hai yan xiao xiao dong "
    "li xin chun wen bo zi han hao ran yu xuan xin yi jia qi",
)
CATEGORIES = ("retired", "in_service", "mobile_in", "mobile_out", "other")
CATEGORY_WEIGHTS = (45, 35, 8, 8, 4)
ROLES = ("支部委员", "居委会委员", "楼栋长", "网格员", "巡逻队长")
SKILLS = ("急救", "电工", "书法", "摄影", "驾驶", "法律咨询", "心理疏导")
CITIES = ("北京", "上海", "深圳", "广州", "杭州", "成都", "苏州", "武汉")
NOTES = (
    "身体健康，积极参加支部组织生活和社区志愿服务。",
    "行动不便，学习材料请送上门，每季度走访一次。",
    "在外地务工，组织关系暂留社区，每月电话联系。",
    "热心公益，常年参加楼道清洁和夜间巡逻活动。",
    "退休教师，愿意为青少年开展课后辅导。",
)
# Search queries a volunteer might type: characters, pairs and pinyin (full and initials).
NAME_QUERIES = ("伟", "张", "秀英", "李明", "海", "王芳", "建国", "小", "欣怡", "涛")
PINYIN_QUERIES = ("zw", "zhang", "wangf", "lm", "xiu", "chen", "ly", "jianguo", "hx", "ming")


def make_name(rng: random.Random) -> tuple[str, list[str], str]:
    """A name, its pinyin keys (full spelling and initials, which the store keeps after the name
    itself in ``search_keys``) and its sort key, as the store writes them
    (store/members/search_keys.py ``sort_key``: the surname's reading, its code point, the given
    name's syllables). A member stored without a fitting sort key has its keys worked out with
    pypinyin when read: records without one would time that fallback, not a file shequ wrote."""
    parts = [rng.choice(SURNAMES)] + [rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))]
    name = "".join(char for char, _ in parts)
    (surname, reading), given = parts[0], [py for _, py in parts[1:]]
    order = f"{reading} {ord(surname):05x} {'-'.join(given)}"
    return name, ["".join(py for _, py in parts), "".join(py[0] for _, py in parts)], order


def make_phone(rng: random.Random) -> str:
    """A mobile number, or now and then a landline."""
    if rng.random() < 0.05:
        return f"0571-8{rng.randint(0, 9_999_999):07d}"
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def make_member(rng: random.Random, today: date | None = None) -> dict[str, Any]:
    """One member as stored: bookkeeping fields, about 15 data fields and ``search_keys``."""
    today = today or date(2026, 11, 25)
    name, keys, order = make_name(rng)
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    birth = date(rng.randint(1935, 2002), rng.randint(1, 12), rng.randint(1, 28))
    joined = date(min(birth.year + rng.randint(18, 40), today.year - 1), rng.randint(1, 12), 1)
    stamp = f"{today.isoformat()}T08:{rng.randint(0, 59):02d}:00+00:00"
    building, unit = rng.randint(1, 24), rng.randint(1, 4)
    room = f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}"
    doc: dict[str, Any] = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
        "name": name,
        "gender": rng.choice(("male", "female")),
        "birth_date": birth.isoformat(),
        "phone": make_phone(rng),
        "address": f"幸福里小区{building}栋{unit}单元{room}室",
        "grid": f"第{rng.randint(1, 6)}网格",
        "branch": f"第{rng.randint(1, 4)}党支部",
        "join_date": joined.isoformat(),
        "category": category,
        "management": rng.choices(("direct", "entrusted", "assisted"), (80, 12, 8))[0],
        "status": "active",
        "roles": rng.sample(ROLES, 1) if rng.random() < 0.08 else [],
        "tags": rng.sample(SKILLS, rng.randint(0, 2)),
        "notes": rng.choice(NOTES),
        "search_keys": [name, *keys],
        "sort_key": order,
    }
    if category == "mobile_out":
        doc["whereabouts"] = rng.choice(CITIES)
        doc["mobile_since"] = (today - timedelta(days=rng.randint(60, 1500))).isoformat()
        doc["contact_phone"] = make_phone(rng)
    return doc


def make_members(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` members, the same ones for the same seed."""
    rng = random.Random(seed)
    return [make_member(rng) for _ in range(count)]


def write_database(path: Path, members: list[dict[str, Any]]) -> None:
    """Write a database file in TinyDB's layout, as the store would have written it (one record
    per line, store/engine/layout.py).

    The schema version is the store's current one, so opening the file runs no migration.
    """
    from store.engine.layout import encode
    from store.engine.migrations import SCHEMA_VERSION

    data = {
        "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "members": {str(doc_id): doc for doc_id, doc in enumerate(members, start=1)},
    }
    path.write_bytes(encode(data).bytes())
    path.chmod(0o600)
