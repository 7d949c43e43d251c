"""The Linux text console (TERM=linux): English, said once at the login, and only its glyphs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.shell.lock import LockScreen
from store.actor import Role
from tests.screens.helpers import (
    add_records,
    add_user,
    enter_as,
    screen_lines,
    screen_text,
    settle,
    type_text,
)
from tui.console import LINES_AND_BLOCKS, console_glyphs
from tui.factory import make_app

SIZE = (80, 24)
CONSOLE = {"TERM": "linux", "LANG": "zh_CN.UTF-8"}
NOTICE = "In English: no Chinese on this console. For Chinese, use an SSH client (PuTTY)."
SnapCompare = Callable[..., bool]


def community(db_path: Path) -> Path:
    add_records(db_path, "settings", [{"community_name": "Happiness Lane"}])
    add_records(
        db_path,
        "members",
        [{"name": f"Zhang San {n:02}", "phone": f"138000000{n:02}"} for n in range(40)],
    )
    add_user(db_path, "admin", Role.ADMIN, display_name="Admin")
    return db_path


def foreign_drawing(app: Any) -> set[str]:
    """Line, block and arrow characters on screen that the console's font lacks."""
    return {
        char
        for line in screen_lines(app)
        for char in line
        if ord(char) in LINES_AND_BLOCKS and char not in console_glyphs()
    }


@pytest.mark.parametrize(
    ("lang", "environ"),
    [("zh", {"TERM": "linux"}), (None, CONSOLE)],
)
async def test_the_login_says_once_why_it_is_english(
    db_path: Path, lang: str | None, environ: Mapping[str, str]
) -> None:
    app = make_app(community(db_path), lang=lang, environ=environ)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = [line.strip() for line in screen_lines(app)]
        assert NOTICE in lines  # one line of its own, within 80 columns
        assert "Who is at the keyboard?" in screen_text(app)
        await enter_as(pilot, Role.ADMIN)
        await settle(pilot)
        assert NOTICE not in screen_text(app)  # said once
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and NOTICE not in screen_text(app)


@pytest.mark.parametrize(
    ("lang", "environ"),
    [("en", {"TERM": "linux"}), ("zh", {"TERM": "xterm-256color"})],
)
async def test_nothing_to_say_where_the_language_is_the_one_asked(
    db_path: Path, lang: str, environ: Mapping[str, str]
) -> None:
    app = make_app(community(db_path), lang=lang, environ=environ)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Chinese" not in screen_text(app)


WALK = (
    ("2", "the roster, its list longer than the screen (a scrollbar)"),
    ("\r", "a member"),
    ("c", "the contact dialog"),
    ("\x1b\x1b?", "help"),
    ("\x1b\x10zhang", "the palette with what it found"),
    ("\x1b5", "Manage"),
    ("\r", "the change log"),
    ("f", "its filter"),
    ("\x1b\x1bjj\r", "the users"),
    ("n", "adding an account"),
    ("\x1b\x0c", "the lock"),
)


async def walk(pilot: Pilot[Any]) -> dict[str, set[str]]:
    """Every main screen in turn: what each shows that the console's font lacks."""
    app = pilot.app
    found = {"the login": foreign_drawing(app)}
    await enter_as(pilot, Role.ADMIN)
    await settle(pilot)
    found["the dashboard"] = foreign_drawing(app)
    for keys, name in WALK:
        await type_text(pilot, keys)
        await settle(pilot)
        found[name] = foreign_drawing(app)
    return found


async def test_every_main_screen_draws_only_what_the_console_has(db_path: Path) -> None:
    app = make_app(community(db_path), lang="zh", environ=CONSOLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await walk(pilot)
        assert isinstance(app.screen, LockScreen)
    assert {name: chars for name, chars in found.items() if chars} == {}


async def test_an_ordinary_terminal_keeps_textuals_finer_glyphs(db_path: Path) -> None:
    """The walk above can fail: elsewhere the same screens use eighth blocks."""
    app = make_app(community(db_path), lang="en", environ={"TERM": "xterm-256color"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await walk(pilot)
    assert found["the roster, its list longer than the screen (a scrollbar)"]
    assert found["the palette with what it found"]


def test_snapshot_login_on_the_console(snap_compare: SnapCompare, db_path: Path) -> None:
    async def shown(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    app = make_app(community(db_path), lang="zh", environ=CONSOLE)
    assert snap_compare(app, terminal_size=SIZE, run_before=shown)
