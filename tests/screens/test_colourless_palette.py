"""The command palette (Ctrl+P) shows which command or member is highlighted with NO_COLOR and
with 16 colours: moving the cursor marks the line it reaches and unmarks the one it left.

Textual draws the palette's highlighted line in two close greys under NO_COLOR (it asks for
reverse, which Textual 8.2 drops: docs/TEXTUAL_NO_COLOR.md); tui/styles/app.tcss underlines
it there. See tests/screens/colourless.py for what a look and a mark are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandList
from textual.geometry import Region

from store.actor import Role
from tests.screens.colourless import (
    ATTRIBUTES,
    KINDS,
    NO_COLOR,
    check_the_move,
    look,
    terminal_kind,
    within,
)
from tests.screens.helpers import SIZE, add_records, enter_as, jump, settle
from tui.factory import make_app

pytestmark = pytest.mark.parametrize("kind", KINDS)


def members(db_path: Path) -> None:
    """Two members the initials ``zs`` both find (张三 first, as the palette ranks them)."""
    add_records(
        db_path,
        "members",
        [
            {"name": name, "birth_date": born, "search_keys": [name, pinyin, "zs"]}
            for name, born, pinyin in (
                ("张三", "1958-03-12", "zhangsan"),
                ("张山", "1960-01-01", "zhangshan"),
            )
        ],
    )


def first_line(app: App[Any], index: int) -> str:
    """The first line of the palette's option ``index`` (its name), as :func:`jump` reads it."""
    commands = app.screen.query_one(CommandList)
    return str(commands.options[index].prompt).split("\n")[0]


def highlighted_line(app: App[Any]) -> Region:
    """Where the palette's highlighted option shows its name: one row of the list."""
    commands = app.screen.query_one(CommandList)
    assert commands.highlighted is not None, "nothing highlighted"
    name = first_line(app, commands.highlighted)
    inside = commands.content_region
    for y, row in enumerate(within(look(app, NO_COLOR), inside), inside.y):
        if name in "".join(cell[0] for cell in row):
            return Region(inside.x, y, inside.width, 1)
    raise AssertionError(f"{name!r} is not on screen")


async def test_the_palettes_cursor_shows(
    db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_kind(monkeypatch, kind)
    members(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        found = await jump(pilot, "zs")
        assert [line[:2] for line in found[:2]] == ["张三", "张山"], found
        commands = app.screen.query_one(CommandList)
        assert commands.highlighted == 0
        await check_the_move(pilot, kind, ("down",), "the palette's cursor", highlighted_line)
        assert commands.highlighted == 1 and first_line(app, 1).startswith("张山")
        await check_the_move(pilot, kind, ("up",), "the palette's cursor", highlighted_line)
        assert commands.highlighted == 0
        if kind == NO_COLOR:  # the mark is the underline (reverse would be dropped)
            underline = ATTRIBUTES.index("underline")
            row = within(look(app, kind), highlighted_line(app))[0]
            assert all(cell[1][underline] for cell in row if cell[0].strip())
