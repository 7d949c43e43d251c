"""How the roster orders names and ranks what a search finds, and the palette alike (issue 17).

Points 2 and 3: names sort by the surname's reading as a unit, then syllable by syllable
(李佳, 李四明, 李伟静 together before 林; 陈 before 程; 万 before 汪 and 王; 朱 before 诸葛); a
search finds people only by readings in use (``wang`` does not find 方梅) and lists the whole
name and the surname's reading first. Checked on the screen at 80x24, as a volunteer sees it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.roster.list import RosterList
from screens.roster.screen import RosterScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import enter_as, jump, screen_lines, settle, type_text, wait_until
from tui.factory import make_app

SIZE = (80, 24)
ADMIN = Actor("setup", Role.ADMIN)

# In the order the issue found them (the old order: syllables run together).
NAMES = ["李佳", "林博琪", "林德", "黎淑玉", "李四明", "刘桂", "李伟静"]
NAMES += ["程明", "陈明", "王明", "汪明", "万明", "诸葛亮", "朱明"]
EXPECTED = ["陈明", "程明", "李佳", "李四明", "李伟静", "黎淑玉", "林博琪", "林德", "刘桂"]
EXPECTED += ["万明", "汪明", "王明", "朱明", "诸葛亮"]


def add(db_path: Path, names: list[str]) -> None:
    db = Database(db_path)
    for name in names:
        members.add(db, ADMIN, {"name": name, "category": "retired"})


async def open_roster(pilot: Pilot[Any], role: Role) -> RosterScreen:
    await enter_as(pilot, role)
    await pilot.press("2")
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, RosterScreen) and app.screen.loaded,
        "the roster to load",
    )
    await settle(pilot)
    assert isinstance(app.screen, RosterScreen)
    return app.screen


def names_on_screen(pilot: Pilot[Any], names: list[str]) -> list[str]:
    """The names of ``names`` that the screen shows, top to bottom (one per line)."""
    order = []
    for line in screen_lines(pilot.app):
        found = [name for name in names if f" {name} " in f" {line} "]
        order.extend(max(found, key=len, default=None) for _ in found[:1])
    return [name for name in order if name]


async def test_the_roster_lists_each_surname_together_by_its_reading(db_path: Path) -> None:
    add(db_path, NAMES)
    app = make_app(db_path, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot, Role.VOLUNTEER)
        assert [row.name for row in screen.query_one(RosterList).rows] == EXPECTED
        assert names_on_screen(pilot, NAMES) == EXPECTED  # all 14 in view at 80x24


async def test_a_search_finds_by_readings_in_use_and_ranks_the_surname_first(
    db_path: Path,
) -> None:
    add(db_path, ["李旺", "方梅", "方伟", "万桂国", "王德桂", "汪明", "曾小明", "岑曾"])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot, Role.COORDINATOR)
        rows = screen.query_one(RosterList)

        async def search(query: str) -> list[str]:
            await pilot.press("slash")
            screen.search.value = ""
            await type_text(pilot, query)
            await wait_until(pilot, lambda: screen.shown_query == query, "the search")
            await settle(pilot)
            found = [row.name for row in rows.rows]
            assert names_on_screen(pilot, found) == found
            return found

        # 汪 and 王 start with wang (by the roster's order), 万桂国 only runs wan-g into it,
        # 李旺 has it inside; 方 is read fang only.
        assert await search("wang") == ["汪明", "王德桂", "万桂国", "李旺"]
        assert await search("yudegui") == []
        assert await search("wdg") == ["王德桂"]
        # 曾 is found by zeng and by ceng; the one whose surname it is comes first.
        assert await search("zeng") == ["曾小明", "岑曾"]
        assert await search("ceng") == ["曾小明", "岑曾"]
        assert await search("fang") == ["方梅", "方伟"]


async def test_the_palette_ranks_members_as_the_roster_does(db_path: Path) -> None:
    add(db_path, ["李旺", "方梅", "万桂国", "王德桂", "汪明"])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        found = [line.split()[0] for line in await jump(pilot, "wang")]
        assert found == ["汪明", "王德桂", "万桂国", "李旺"]
        await pilot.press("escape")
        found = [line.split()[0] for line in await jump(pilot, "王德桂")]
        assert found[0] == "王德桂"
