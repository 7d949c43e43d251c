"""Test data in, and what the app shows out (headless apps write nothing to a terminal)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textual._compositor import CompositorUpdate
from textual.app import App
from textual.widgets import Footer

from store.actor import Actor, Role
from store.database import Database

TEST_ACTOR = Actor("test", Role.ADMIN)

# What Textual itself writes: SGR styles, cursor moves and private modes. Anything else starting
# with ESC, any 8-bit CSI (0x9b) or BEL would have come from data.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def add_records(db_path: Path, table: str, records: Iterable[Mapping[str, Any]]) -> None:
    """Write ``records`` to ``table`` the way the app would (a locked transaction)."""
    with Database(db_path).transaction(TEST_ACTOR) as tx:
        for record in records:
            tx.insert(table, record)


def screen_lines(app: App[Any]) -> list[str]:
    """The characters on screen, one string per row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: App[Any]) -> str:
    """The characters on screen as one string, rows joined by newlines."""
    return "\n".join(line.rstrip() for line in screen_lines(app))


def terminal_output(app: App[Any]) -> str:
    """What the app would write to a real terminal to paint the whole screen."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, CompositorUpdate)
    return update.render_segments(app.console)


def foreign_sequences(output: str) -> str:
    """``output`` without the escape sequences Textual writes itself; should hold no ESC."""
    return _OWN_SEQUENCES.sub("", output)


def footer_text(app: App[Any]) -> str:
    """The footer line of the screen on top."""
    footer = app.screen.query_one(Footer)
    return screen_lines(app)[footer.region.y]
