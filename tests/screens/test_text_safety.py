"""User data reaches the screen literally: no markup, no control characters, no escapes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from screens.widgets.header import SectionHeader
from screens.widgets.text import SafeLabel, fit
from store.textsafe import clean_line, clean_text
from tests.screens.helpers import (
    add_records,
    enter_as,
    foreign_sequences,
    screen_text,
    terminal_output,
)
from tui.factory import make_app

HOSTILE = [
    "[bold]x[/]",
    "x[/]",
    "\x1b]0;x\x07",
    "\x9b2J",
    "张三\x1b[31m红[/red]",
    "[link=https://example.com]点我[/link]",
]


def assert_nothing_foreign(app: App[Any]) -> None:
    output = terminal_output(app)
    assert "\x9b" not in output
    assert "\x07" not in output
    assert "\x1b]" not in output  # no OSC (window titles, hyperlinks...)
    assert "\x1b" not in foreign_sequences(output)
    assert all(ch.isprintable() or ch == "\n" for ch in screen_text(app))


@pytest.mark.parametrize("name", HOSTILE)
async def test_community_name_in_the_header(db_path: Path, name: str) -> None:
    add_records(db_path, "settings", [{"community_name": name}])
    add_records(db_path, "members", [{"name": name, "category": "mobile_in"}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_as(pilot)
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        header = app.screen.query_one(SectionHeader)
        assert header.community == name
        first_line = screen_text(app).splitlines()[0].strip()
        shown = clean_line(name)
        assert first_line.split("  ")[0] == (f"{shown} · Dashboard" if shown else "Dashboard")
        assert "1 member on the roster" in screen_text(app)
        assert_nothing_foreign(app)


class LabelApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield SafeLabel(self.text, id="made")
        yield SafeLabel(id="updated")


@pytest.mark.parametrize("text", [*HOSTILE, "第一行\n第二行\t!"])
async def test_safe_label(text: str) -> None:
    app = LabelApp(text)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#updated", SafeLabel).update(text)
        await pilot.pause()
        shown = screen_text(app)
        for word in clean_text(text).split():
            assert shown.count(word) >= 2  # in both labels, literally
        assert_nothing_foreign(app)


def test_fit_gives_exactly_the_cells_asked_for_and_nothing_for_no_room() -> None:
    """The one cell-fitting rule every list and column uses (screens/widgets/text.py)."""
    assert fit("张三", 6) == "张三  "
    assert fit("张三丰", 5) == "张三…"  # a wide character never cut in half
    assert fit("  李四", 5) == "  李…"  # leading spaces kept: an empty first column
    assert fit("abc", 3) == "abc"
    assert [fit("abc", width) for width in (1, 0, -3)] == ["…", "", ""]
