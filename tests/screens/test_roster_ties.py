"""The roster's sort orders break their ties in pinyin order, not the file's.

By code point 张 < 曾 < 李 < 王 < 赵; volunteers read 李 王 曾 张 赵. Five members born on one
day, in one grid and category, added in code-point order (the file's order), sorted by age,
grid or category; then another session adds 曹丽 (cao), born that day too, and the followed
roster puts her first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import screen_lines, screen_text, settle, wait_until
from tests.screens.roster_helpers import ADMIN, add_people, listed, open_roster
from tui.factory import make_app

BY_CODE_POINT = ["张伟", "曾敏", "李娜", "王芳", "赵磊"]
PINYIN = ["李娜", "王芳", "曾敏", "张伟", "赵磊"]
SAME = {"birth_date": "1950-01-01", "grid": "第1网格", "category": "retired"}


def drawn(app: App[Any]) -> list[str]:
    """The names in the order the screen draws them."""
    names = [*PINYIN, "曹丽"]
    return [
        next(name for name in names if name in line)
        for line in screen_lines(app)
        if any(name in line for name in names)
    ]


async def test_every_sort_order_keeps_ties_in_pinyin_order(db_path: Path) -> None:
    add_people(db_path, [{"name": name, **SAME} for name in BY_CODE_POINT])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        assert listed(app) == PINYIN
        for order in ("last contact", "grid", "category", "age"):
            await pilot.press("s")
            await settle(pilot)
            assert f"sorted by {order}" in screen_text(app)
            assert listed(app) == PINYIN, order
            assert drawn(app) == PINYIN, order
        members.add(Database(db_path), ADMIN, {"name": "曹丽", **SAME})  # another session
        await wait_until(pilot, lambda: "曹丽" in listed(app), "the new member")
        assert "sorted by age" in screen_text(app)
        assert listed(app) == drawn(app) == ["曹丽", *PINYIN]
    stored = Database(db_path).snapshot().all("members")
    assert {doc["birth_date"] for doc in stored} == {"1950-01-01"}
