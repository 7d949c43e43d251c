"""The roster measured inside one headless app: the child side of tests/bench/bench_roster.py.

``python -m tests.bench.roster_app MODE DB OUT [N]`` runs one measurement in a fresh
interpreter (the SSH session's environment, see bench_roster's docstring) and writes what it
measured to OUT as JSON; bench_roster turns that into rows beside the baselines. Each mode has
its baseline mode here too (a stock DataTable, a bare Input), measured the same way with the
same :class:`~tests.bench.meter.Meter`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.bench.bench_roster import BURST_WORD, SEARCH_WORDS, TABLE_COLUMNS
from tests.bench.measure import timed
from tests.bench.meter import (
    LANG,
    SIZE,
    Meter,
    filled_table,
    logged_in,
    rows_shown_ms,
    table_app,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot
    from textual.widgets import Input

    from screens.roster.rows import Row as RosterRow
    from screens.roster.screen import RosterScreen


def _roster_rows(db_path: Path) -> list[RosterRow]:
    """The roster's rows for an admin, in the default order (the baselines' data)."""
    from screens.roster.view import build_roster
    from store.actor import Actor, Role
    from store.engine.database import Database
    from tui.i18n import setup_language

    setup_language(LANG, None)
    db = Database(db_path)
    roster = build_roster(db.snapshot(), Actor("bench", Role.ADMIN), db.today())
    return roster.ordered("name")


def _table_cells(rows: list[RosterRow]) -> list[tuple[Any, ...]]:
    """Each row's display columns as ``Text`` cells, as the roster shows them."""
    from rich.text import Text

    from screens.roster.words import category_label, gender_label

    return [
        tuple(
            Text(cell)
            for cell in (
                row.name,
                gender_label(row.gender),
                row.age,
                category_label(row.category),
                row.grid,
                row.phone,
            )
        )
        for row in rows
    ]


async def _to_roster(pilot: Pilot[Any]) -> tuple[RosterScreen, Meter]:
    """Log in, press 2 and wait until the roster is loaded and painted."""
    from screens.roster.screen import RosterScreen

    app = pilot.app
    meter = await logged_in(pilot)
    meter.key("2")
    await meter.until(
        lambda: isinstance(app.screen, RosterScreen) and app.screen.loaded, "the roster"
    )
    await meter.quiet()
    screen = app.screen
    assert isinstance(screen, RosterScreen)
    return screen, meter


async def open_ours(db_path: Path, runs: int) -> dict[str, Any]:
    """Time from pressing 2 to the roster's first row on screen, in ``runs`` fresh apps."""
    from screens.roster.list import RosterList
    from screens.roster.screen import RosterScreen
    from tui.factory import make_app

    first = _roster_rows(db_path)[0].name
    samples: list[float] = []
    listed = 0
    for run in range(runs + 1):  # the first one warms up (imports, page cache); not counted
        app = make_app(db_path, lang=LANG)
        async with app.run_test(size=SIZE) as pilot:
            meter = await logged_in(pilot)

            def shown(data: str, app: App[Any] = app) -> bool:
                screen = app.screen
                return (
                    isinstance(screen, RosterScreen)
                    and bool(screen.query_one(RosterList).rows)
                    and first in data
                )

            meter.reset(shown)
            start = meter.key("2")
            await meter.until(meter.saw, "the roster's rows")
            assert meter.seen_at is not None
            if run:
                samples.append((meter.seen_at - start) * 1000)
            listed = len(app.screen.query_one(RosterList).rows)
    return {"samples": samples, "rows": listed}


async def open_table(db_path: Path, runs: int) -> dict[str, Any]:
    """Time from ``add_rows`` to the first frame showing a row, in ``runs`` fresh apps."""

    cells = _table_cells(_roster_rows(db_path))
    first = cells[0][0].plain
    samples: list[float] = []
    for run in range(runs + 1):
        app = table_app(TABLE_COLUMNS)
        async with app.run_test(size=SIZE) as pilot:
            shown_ms, _meter = await rows_shown_ms(pilot, cells, first)
            if run:
                samples.append(shown_ms)
    return {"samples": samples, "rows": len(cells)}


async def search(db_path: Path, rounds: int) -> dict[str, Any]:
    """Type each word into the search box key by key, ``rounds`` times; time every key."""
    from screens.roster.list import RosterList
    from store.actor import Actor, Role
    from store.engine.database import Database
    from store.members.ops import MemberIndex
    from tui.factory import make_app

    refill_ms: list[float] = []
    e2e_ms: list[float] = []
    kbytes: list[float] = []
    app = make_app(db_path, lang=LANG)
    async with app.run_test(size=SIZE) as pilot:
        screen, meter = await _to_roster(pilot)
        roster_list = screen.query_one(RosterList)
        real_refill = screen.refill
        timings: list[float] = []

        def timed_refill(*, keep: str | None = None) -> None:
            timings.append(timed(partial(real_refill, keep=keep)))

        screen.refill = timed_refill  # type: ignore[method-assign,unused-ignore]
        for word in SEARCH_WORDS * rounds:
            meter.key("slash")
            await meter.until(lambda: app.focused is screen.search, "the search box")
            await meter.quiet()
            for char in word:
                before = roster_list.rows
                timings.clear()
                meter.reset()
                start = meter.key(char)
                await meter.quiet()
                if len(timings) != 1 or roster_list.rows is before or not meter.frames:
                    raise RuntimeError(f"typing {char!r} of {word!r} did not refill and paint")
                refill_ms.append(timings[0])
                e2e_ms.append((meter.frames[-1][0] - start) * 1000)
                kbytes.append(meter.written / 1024)
            meter.key("escape")
            await meter.until(lambda: not screen.search.value, "the search to clear")
            await meter.quiet()

    db = Database(db_path)
    index = MemberIndex(db.snapshot(), Actor("bench", Role.ADMIN))
    store_ms = [
        timed(partial(index.search, word[:end]))
        for word in SEARCH_WORDS * rounds
        for end in range(1, len(word) + 1)
    ]
    return {"refill_ms": refill_ms, "e2e_ms": e2e_ms, "store_ms": store_ms, "kbytes": kbytes}


def _bare_input_app() -> App[Any]:
    """A stock Textual app with an Input and a Label that shows how much was typed."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="box")
            yield Label("", id="echo")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#echo", Label).update(f"{len(event.value)} typed")

    return Bare()


async def _typing_into(pilot: Pilot[Any]) -> tuple[Input, Meter]:
    """The bare app's Input focused (no blinking cursor to count), with a meter attached."""
    from textual.widgets import Input

    box = pilot.app.query_one(Input)
    box.cursor_blink = False
    box.focus()
    await pilot.pause()
    meter = Meter.attach(pilot.app)
    await meter.quiet()
    return box, meter


async def search_bare(rounds: int) -> dict[str, Any]:
    """The floor under our key-to-frame figure: typing the same keys into a bare Input.

    A stock Textual app with an Input and a Label that shows what was typed: every key costs
    the Input's echo and one more repaint, with no search at all.
    """
    e2e_ms: list[float] = []
    app = _bare_input_app()
    async with app.run_test(size=SIZE) as pilot:
        box, meter = await _typing_into(pilot)
        for word in SEARCH_WORDS * rounds:
            for char in word:
                meter.reset()
                start = meter.key(char)
                await meter.quiet()
                if not meter.frames:
                    raise RuntimeError(f"typing {char!r} painted nothing")
                e2e_ms.append((meter.frames[-1][0] - start) * 1000)
            box.value = ""
            await meter.quiet()
    return {"e2e_ms": e2e_ms}


async def burst(db_path: Path, rounds: int) -> dict[str, Any]:
    """Type :data:`BURST_WORD` as one burst into the roster's search, ``rounds`` times."""
    from tui.factory import make_app

    kbytes: list[float] = []
    frames: list[float] = []
    refills: list[float] = []
    took: list[float] = []
    app = make_app(db_path, lang=LANG)
    async with app.run_test(size=SIZE) as pilot:
        screen, meter = await _to_roster(pilot)
        real_refill = screen.refill
        count = [0]

        def counted_refill(*, keep: str | None = None) -> None:
            count[0] += 1
            real_refill(keep=keep)

        screen.refill = counted_refill  # type: ignore[method-assign,unused-ignore]
        for _ in range(rounds):
            meter.key("slash")
            await meter.until(lambda: app.focused is screen.search, "the search box")
            await meter.quiet()
            meter.reset()
            count[0] = 0
            start = time.perf_counter()
            for char in BURST_WORD:
                meter.key(char)
            await meter.until(lambda: screen.search.value == BURST_WORD, "the burst")
            await meter.quiet()
            if not meter.frames:
                raise RuntimeError("the burst painted nothing")
            kbytes.append(meter.written / 1024)
            frames.append(len(meter.frames))
            refills.append(count[0])
            took.append((meter.frames[-1][0] - start) * 1000)
            meter.key("escape")
            await meter.until(lambda: not screen.search.value, "the search to clear")
            await meter.quiet()
    return {"kbytes": kbytes, "frames": frames, "refills": refills, "ms": took}


async def burst_bare(rounds: int) -> dict[str, Any]:
    """The same burst into a stock Input whose app echoes a count (Textual's own floor)."""
    kbytes: list[float] = []
    took: list[float] = []
    app = _bare_input_app()
    async with app.run_test(size=SIZE) as pilot:
        box, meter = await _typing_into(pilot)
        for _ in range(rounds):
            meter.reset()
            start = time.perf_counter()
            for char in BURST_WORD:
                meter.key(char)
            await meter.until(lambda: box.value == BURST_WORD, "the burst")
            await meter.quiet()
            kbytes.append(meter.written / 1024)
            took.append((meter.frames[-1][0] - start) * 1000 if meter.frames else 0.0)
            box.value = ""
            await meter.quiet()
    return {"kbytes": kbytes, "ms": took}


async def _downs(meter: Meter, offset: Callable[[], float], downs: int) -> list[Any]:
    """Press Down ``downs`` times; per key, the bytes written and whether the view scrolled."""
    keys = []
    for _ in range(downs):
        before = offset()
        written, _ms = await meter.press("down")
        scrolled = offset() != before
        keys.append({"bytes": written, "frames": len(meter.frames), "scrolled": scrolled})
    return keys


async def bytes_ours(db_path: Path, downs: int) -> dict[str, Any]:
    """Bytes per Down key through the roster, from the top."""
    from screens.roster.list import RosterList
    from tui.factory import make_app

    app = make_app(db_path, lang=LANG)
    async with app.run_test(size=SIZE) as pilot:
        screen, meter = await _to_roster(pilot)
        roster_list = screen.query_one(RosterList)
        focused_list = app.focused is roster_list
        if not focused_list or roster_list.cursor != 0:
            raise RuntimeError("the roster did not open on its first row with the list focused")
        keys = await _downs(meter, lambda: roster_list.scroll_offset.y, downs)
        if roster_list.cursor != downs:
            raise RuntimeError(f"the cursor is on row {roster_list.cursor} after {downs} Downs")
        return {
            "keys": keys,
            "rows_in_view": roster_list.scrollable_content_region.height,
            "color_system": app.console.color_system,
        }


async def bytes_table(db_path: Path, downs: int) -> dict[str, Any]:
    """Bytes per Down key through a stock DataTable holding the same rows."""

    app = table_app(TABLE_COLUMNS, _table_cells(_roster_rows(db_path)))
    async with app.run_test(size=SIZE) as pilot:
        table, meter = await filled_table(pilot)
        keys = await _downs(meter, lambda: table.scroll_offset.y, downs)
        if table.cursor_row != downs:
            raise RuntimeError(f"the cursor is on row {table.cursor_row} after {downs} Downs")
        return {
            "keys": keys,
            "rows_in_view": table.scrollable_content_region.height - 1,  # less the header row
            "color_system": app.console.color_system,
        }


def child_main(argv: Sequence[str] | None = None) -> None:
    """``python -m tests.bench.roster_app MODE DB OUT [N]``: measure, write JSON to OUT.

    N is the number of runs (open), of rounds of typing (search) or of Down keys (bytes).
    """
    parser = argparse.ArgumentParser(prog="python -m tests.bench.roster_app")
    parser.add_argument(
        "mode",
        choices=(
            "open",
            "open-table",
            "search",
            "search-bare",
            "burst",
            "burst-bare",
            "bytes",
            "bytes-table",
        ),
    )
    parser.add_argument("db", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int, nargs="?", default=1)
    args = parser.parse_args(argv)
    if args.mode == "open":
        result = asyncio.run(open_ours(args.db, args.n))
    elif args.mode == "open-table":
        result = asyncio.run(open_table(args.db, args.n))
    elif args.mode == "search":
        result = asyncio.run(search(args.db, args.n))
    elif args.mode == "search-bare":
        result = asyncio.run(search_bare(args.n))
    elif args.mode == "burst":
        result = asyncio.run(burst(args.db, args.n))
    elif args.mode == "burst-bare":
        result = asyncio.run(burst_bare(args.n))
    elif args.mode == "bytes":
        result = asyncio.run(bytes_ours(args.db, args.n))
    else:
        result = asyncio.run(bytes_table(args.db, args.n))
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    child_main()
