"""The roster screen in a real (headless) app at 80x24: opening it, searching, and bytes per key.

Each measurement runs in a fresh interpreter (``python -m tests.bench.bench_roster MODE ...``)
with the environment of an SSH session: ``TERM=xterm-256color`` (256 colours), no ``COLORTERM``,
and the defaults ``shequ`` sets for itself (``tui.env``: no animations, no smooth scrolling).
Textual reads those when it is first imported, which in the benchmark runner (or pytest) has
already happened; the baseline apps get the same environment, so the comparison is fair.

Headless apps write nothing: ``App._display`` skips rendering when the driver says it is
headless. :class:`Meter` turns the running app's headless driver into one that is not headless
and counts what ``App._display`` hands it (``len(data.encode())``, one write per frame), so a
figure here is the bytes Textual would send down the SSH connection, and a frame's time is when
it would have been sent. Checked once against the real thing (``shequ`` in a pty, as in
tests/e2e/terminal.py, bytes read per Down): within 1% (322 against 320 bytes in view, 4.77
against 4.75 KB per scroll). A terminal that answers Textual's synchronized-output query gets 16
more bytes per frame (``ESC[?2026h`` ... ``ESC[?2026l``) in both apps; none is counted here.
While measuring, keys go in as the terminal driver sends them and nothing else drives the app
(no Pilot pauses, which force a repaint on the benchmark's schedule): frames come when the
app's own timers paint them, and a key's figures end after 0.1 s without a frame.

Figures:

* open: from pressing 2 (logged in, on the first screen) until the first frame that shows the
  roster's first row (its name is in the bytes written): the database read,
  :func:`~screens.roster.view.build_roster`, the list and the paint. Baseline: a bare app with
  Textual's stock ``DataTable`` given the same members' display columns (name, sex, age,
  category, grid, phone; ``rich.text.Text`` cells, as DataTable parses ``str`` cells as
  markup), from ``add_rows`` until the first frame showing a row. Its rows are built
  beforehand: the baseline does not read the database at all.
* search: per keystroke while typing ``zhang``, ``zs`` and ``138`` into ``#roster-search``.
  ``refill`` is what the screen does per key (the search over every row, in sort order, and
  handing the hits to the list); "end to end" is from the key event being sent until the last
  frame it caused was written. Baseline: ``store.members.ops.MemberIndex.search``, the store's own
  search (an index built once, one substring test per member) for the same prefixes. Each
  word is typed ``runs`` times, as a user would type it, in one app.
* bytes for a burst: ``zhangw`` typed into the search box as one burst (six keys sent together,
  as a fast typist or an IME over a slow link delivers them), from the first key to quiet: what
  the whole search costs on the wire. Baseline: the same burst into a stock Input whose app
  echoes a count (as the search figure's baseline).
* bytes per Down key at 80x24, from the top of the list: while the cursor moves within the
  page, when the list scrolls, and the mean over 100 Downs. Baseline: stock ``DataTable``
  (``cursor_type="row"``) between a stock Header and Footer, on the same rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import TYPE_CHECKING, Any

from tests.bench.children import measure_in_child
from tests.bench.report import Row, Target, median

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from screens.roster.screen import RosterScreen
    from screens.roster.view import Row as RosterRow

SIZE = (80, 24)
LANG = "zh_CN"  # the interface volunteers use; CJK text is 3 bytes a character in UTF-8
SEARCH_WORDS = ("zhang", "zs", "138")
BURST_WORD = "zhangw"
BURST_TARGET_KB = 6.0
DOWNS = 100
FRAME_TIMEOUT_S = 120.0
# DESIGN.md, Budgets.
SEARCH_TARGET_MS = {20_000: 25.0}
BYTES_TARGET_KB = 1.0
TABLE_COLUMNS = ("姓名", "性别", "年龄", "类别", "网格", "电话")


# -- the parent side: databases, child processes, rows -------------------------------------------


def measure(mode: str, db_path: Path, work: Path, *args: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return what it reported."""
    return measure_in_child("tests.bench.bench_roster", mode, db_path, work, *args)


def _failed(name: str, unit: str, baseline_name: str, error: Exception) -> Row:
    return Row(name, unit, None, None, baseline_name, error=str(error))


def open_rows(members: int, runs: int, db_path: Path, work: Path, note: str) -> list[Row]:
    """Opening the roster at ``members``: median of ``runs`` fresh apps, beside DataTable."""
    name = f"{members:,} members: open the roster (2 to rows on screen)"
    baseline_name = "stock DataTable, all rows"
    try:
        ours = measure("open", db_path, work, str(runs))
        table = measure("open-table", db_path, work, str(runs))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return [_failed(name, "ms", baseline_name, error)]
    return [
        Row(
            name=name,
            unit="ms",
            ours=median(ours["samples"]),
            baseline=median(table["samples"]),
            baseline_name=baseline_name,
            note=(
                f"{note}; ours reads the file and builds {ours['rows']:,} rows, the DataTable "
                "gets the same rows' display columns ready-made (6 Text cells each)"
            ),
            samples={"ours": ours["samples"], "baseline": table["samples"]},
        )
    ]


def search_rows(members: int, rounds: int, db_path: Path, work: Path) -> list[Row]:
    """Per-keystroke search figures at ``members``: refill, end to end, beside the store.

    Every word is typed ``rounds`` times (emptying the box in between), in one app.
    """
    prefix = f"{members:,} members: search keystroke"
    baseline_name = "MemberIndex.search"
    try:
        found = measure("search", db_path, work, str(rounds))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return [_failed(prefix, "ms", baseline_name, error)]
    target_ms = SEARCH_TARGET_MS.get(members)
    target = Target(target_ms) if target_ms is not None else None
    store = found["store_ms"]
    try:
        bare: dict[str, Any] | None = measure("search-bare", db_path, work, str(rounds))
    except (RuntimeError, subprocess.TimeoutExpired):
        bare = None
    typed = " ".join(repr(word) for word in SEARCH_WORDS)
    return [
        Row(
            name=f"{prefix}, refill (select + list)",
            unit="ms",
            ours=median(found["refill_ms"]),
            baseline=median(store),
            baseline_name=baseline_name,
            target=target,
            note=(
                f"typing {typed} {rounds}x ({len(store)} keys); worst key "
                f"{max(found['refill_ms']):.1f} ms; baseline: the store's search, same snapshot"
            ),
            samples={"ours": found["refill_ms"], "baseline": store},
        ),
        Row(
            name=f"{prefix}, key to last frame written",
            unit="ms",
            ours=median(found["e2e_ms"]),
            baseline=median(bare["e2e_ms"]) if bare else None,
            baseline_name="a bare Textual Input, same keys",
            target=target,
            note=(
                f"worst key {max(found['e2e_ms']):.1f} ms, {median(found['kbytes']):.1f} KB "
                "written per key; from the key event to the last frame it caused: dispatch, the "
                "Input's Changed message, refill, layout and paint; baseline: the same keys "
                "typed into a stock Input whose app only echoes a count (Textual's own floor)"
            ),
            samples={"ours": found["e2e_ms"], "baseline": bare["e2e_ms"] if bare else []},
        ),
    ]


def burst_rows(members: int, rounds: int, db_path: Path, work: Path) -> list[Row]:
    """Bytes (and time) for a six-letter search typed in one burst, beside a bare Input."""
    name = f"{members:,} members: bytes for a {len(BURST_WORD)}-letter search typed in a burst"
    baseline_name = "a bare Textual Input, same burst"
    try:
        ours = measure("burst", db_path, work, str(rounds))
        bare = measure("burst-bare", db_path, work, str(rounds))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return [_failed(name, "KB", baseline_name, error)]
    return [
        Row(
            name=name,
            unit="KB",
            ours=median(ours["kbytes"]),
            baseline=median(bare["kbytes"]),
            baseline_name=baseline_name,
            target=Target(BURST_TARGET_KB),
            note=(
                f"{BURST_WORD!r} x{rounds}, 80x24; {median(ours['frames']):g} frames and "
                f"{median(ours['refills']):g} refills of the list per burst here; the burst "
                f"ends {median(ours['ms']):.0f} ms after its first key (bare: "
                f"{median(bare['ms']):.0f} ms)"
            ),
            samples={"ours": ours["kbytes"], "baseline": bare["kbytes"]},
        )
    ]


def bytes_rows(members: int, db_path: Path, work: Path, downs: int = DOWNS) -> list[Row]:
    """Bytes per Down key: in view, scrolling, and the mean over ``downs``, beside DataTable."""
    prefix = f"bytes per Down key ({members:,} members, 80x24)"
    baseline_name = "stock DataTable"
    try:
        ours = measure("bytes", db_path, work, str(downs))
        table = measure("bytes-table", db_path, work, str(downs))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return [_failed(prefix, "KB", baseline_name, error)]

    def split(result: dict[str, Any]) -> tuple[list[float], list[float], list[float]]:
        keys = result["keys"]
        every = [key["bytes"] / 1024 for key in keys]
        in_view = [key["bytes"] / 1024 for key in keys if not key["scrolled"]]
        scrolled = [key["bytes"] / 1024 for key in keys if key["scrolled"]]
        return every, in_view, scrolled

    ours_all, ours_view, ours_scroll = split(ours)
    table_all, table_view, table_scroll = split(table)
    return [
        Row(
            name=f"{prefix}: cursor within the page",
            unit="KB",
            ours=median(ours_view),
            baseline=median(table_view),
            baseline_name=baseline_name,
            note=(
                f"medians; {ours['rows_in_view']} rows in view here, {table['rows_in_view']} in "
                f"the DataTable between Header and Footer; {ours['color_system']} colours, "
                "zh_CN, headless driver counting what Textual would write"
            ),
            samples={"ours": ours_view, "baseline": table_view},
        ),
        Row(
            name=f"{prefix}: when the list scrolls",
            unit="KB",
            ours=median(ours_scroll),
            baseline=median(table_scroll),
            baseline_name=baseline_name,
            note=(
                f"{len(ours_scroll)} of {downs} Downs scrolled here (half a page each), "
                f"{len(table_scroll)} in the DataTable (a line each)"
            ),
            samples={"ours": ours_scroll, "baseline": table_scroll},
        ),
        Row(
            name=f"{prefix}: mean over {downs} Downs from the top",
            unit="KB",
            ours=mean(ours_all) if ours_all else None,
            baseline=mean(table_all) if table_all else None,
            baseline_name=baseline_name,
            target=Target(BYTES_TARGET_KB),
            note=(f"{sum(ours_all):.1f} KB in all here, {sum(table_all):.1f} KB for the DataTable"),
            samples={"ours": ours_all, "baseline": table_all},
        ),
    ]


def run(sizes: Sequence[int], runs: int, work: Path, *, downs: int = DOWNS) -> list[Row]:
    """Every roster figure: opening at each size, search at the largest, bytes at the smallest.

    ``runs`` fresh apps per opening figure; ``downs`` Down keys per bytes figure.
    """
    from tests.bench.bench_startup import make_demo_db

    sizes = sorted(sizes)
    paths: dict[int, Path] = {}
    rows: list[Row] = []
    for members in sizes:
        path = paths[members] = work / f"roster-demo-{members}.json"
        note = make_demo_db(path, members)
        rows += open_rows(members, runs, path, work, note)
    rows += search_rows(sizes[-1], runs, paths[sizes[-1]], work)
    rows += burst_rows(sizes[0], runs, paths[sizes[0]], work)
    rows += bytes_rows(sizes[0], paths[sizes[0]], work, downs)
    return rows


# -- the child side: one app, measured -----------------------------------------------------------


@dataclass
class Meter:
    """Counts what the app would write to its terminal, and when (see the module docstring)."""

    app: App[Any]
    written: int = 0
    frames: list[tuple[float, int]] = field(default_factory=list)
    watch: Callable[[str], bool] | None = None
    seen_at: float | None = None

    @classmethod
    def attach(cls, app: App[Any]) -> Meter:
        """Make ``app``'s headless driver a counting one (from its next frame on)."""
        from textual.drivers.headless_driver import HeadlessDriver

        meter = cls(app)

        class CountingDriver(HeadlessDriver):
            """Not headless, so ``App._display`` renders each frame and writes it here."""

            @property
            def is_headless(self) -> bool:
                return False

            def write(self, data: str) -> None:
                meter.wrote(data)

        driver = app._driver
        assert isinstance(driver, HeadlessDriver), "run the app with run_test()"
        driver.__class__ = CountingDriver
        return meter

    def wrote(self, data: str) -> None:
        """One frame (or any other write): its bytes and time; the watched frame's time."""
        now = time.perf_counter()
        size = len(data.encode("utf-8"))
        self.written += size
        self.frames.append((now, size))
        if self.watch is not None and self.seen_at is None and self.watch(data):
            self.seen_at = now

    def saw(self) -> bool:
        """Whether the watched frame was written."""
        return self.seen_at is not None

    def reset(self, watch: Callable[[str], bool] | None = None) -> None:
        """Start counting afresh; ``watch`` says which frame to note the time of."""
        self.written = 0
        self.frames.clear()
        self.watch, self.seen_at = watch, None

    def key(self, key: str) -> float:
        """Send ``key`` as the terminal driver would; returns when it was sent."""
        from textual import events

        char = KEY_CHARACTERS.get(key, key)
        driver = self.app._driver
        assert driver is not None
        started = time.perf_counter()
        driver.send_message(events.Key(key, char))
        return started

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Let the app run on its own until ``condition`` holds."""
        deadline = time.monotonic() + FRAME_TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(POLL_S)

    async def quiet(self) -> None:
        """Wait until the app has painted and then written nothing for ``QUIET_S``."""
        began = time.perf_counter()
        while True:
            await asyncio.sleep(POLL_S)
            now = time.perf_counter()
            if self.frames and now - self.frames[-1][0] >= QUIET_S:
                return
            if not self.frames and now - began >= NOTHING_S:
                return  # the key changed nothing on screen
            if now - began > FRAME_TIMEOUT_S:
                raise TimeoutError("the app kept painting")


KEY_CHARACTERS: dict[str, str | None] = {"slash": "/", "escape": "\x1b", "down": None}
POLL_S = 0.002
QUIET_S = 0.1  # no frame for this long: the key's effects are all on screen
NOTHING_S = 1.0


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


def _table_app(rows: list[tuple[Any, ...]] | None = None) -> App[Any]:
    """A bare app: stock Header, DataTable with a row cursor, Footer; ``rows`` added on mount."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class TableApp(App[None]):
        """The baseline: what stock Textual does with the same rows."""

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*TABLE_COLUMNS)
            if rows:
                table.add_rows(rows)
            table.focus()

    return TableApp()


async def _logged_in(pilot: Pilot[Any]) -> Meter:
    """Past the login (as an admin), settled, with a meter attached."""
    from store.actor import Role
    from tests.screens.helpers import enter_as, settle

    await enter_as(pilot, Role.ADMIN)
    await settle(pilot)
    return Meter.attach(pilot.app)


async def _to_roster(pilot: Pilot[Any]) -> tuple[RosterScreen, Meter]:
    """Log in, press 2 and wait until the roster is loaded and painted."""
    from screens.roster.screen import RosterScreen

    app = pilot.app
    meter = await _logged_in(pilot)
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
            meter = await _logged_in(pilot)

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
    from textual.widgets import DataTable

    cells = _table_cells(_roster_rows(db_path))
    first = cells[0][0].plain
    samples: list[float] = []
    for run in range(runs + 1):
        app = _table_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            meter = Meter.attach(app)
            table = app.query_one(DataTable)

            def shown(data: str, table: DataTable[Any] = table) -> bool:
                return table.row_count > 0 and first in data

            meter.reset(shown)
            start = time.perf_counter()
            table.add_rows(cells)
            await meter.until(meter.saw, "the table's rows")
            assert meter.seen_at is not None
            if run:
                samples.append((meter.seen_at - start) * 1000)
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
            began = time.perf_counter()
            real_refill(keep=keep)
            timings.append((time.perf_counter() - began) * 1000)

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
    store_ms: list[float] = []
    for word in SEARCH_WORDS * rounds:
        for end in range(1, len(word) + 1):
            began = time.perf_counter()
            index.search(word[:end])
            store_ms.append((time.perf_counter() - began) * 1000)
    return {"refill_ms": refill_ms, "e2e_ms": e2e_ms, "store_ms": store_ms, "kbytes": kbytes}


async def search_bare(rounds: int) -> dict[str, Any]:
    """The floor under our key-to-frame figure: typing the same keys into a bare Input.

    A stock Textual app with an Input and a Label that shows what was typed: every key costs
    the Input's echo and one more repaint, with no search at all.
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="box")
            yield Label("", id="echo")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#echo", Label).update(f"{len(event.value)} typed")

    e2e_ms: list[float] = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        box = app.query_one(Input)
        box.cursor_blink = False
        box.focus()
        await pilot.pause()
        meter = Meter.attach(app)
        await meter.quiet()
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
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="box")
            yield Label("", id="echo")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#echo", Label).update(f"{len(event.value)} typed")

    kbytes: list[float] = []
    took: list[float] = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        box = app.query_one(Input)
        box.cursor_blink = False
        box.focus()
        await pilot.pause()
        meter = Meter.attach(app)
        await meter.quiet()
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
        meter.reset()
        meter.key("down")
        await meter.quiet()
        scrolled = offset() != before
        keys.append({"bytes": meter.written, "frames": len(meter.frames), "scrolled": scrolled})
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
    from textual.widgets import DataTable

    app = _table_app(_table_cells(_roster_rows(db_path)))
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count > 0, "the table")
        await pilot.pause()
        meter = Meter.attach(app)
        await meter.quiet()
        keys = await _downs(meter, lambda: table.scroll_offset.y, downs)
        if table.cursor_row != downs:
            raise RuntimeError(f"the cursor is on row {table.cursor_row} after {downs} Downs")
        return {
            "keys": keys,
            "rows_in_view": table.scrollable_content_region.height - 1,  # less the header row
            "color_system": app.console.color_system,
        }


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (a big DataTable takes seconds)."""
    deadline = time.monotonic() + FRAME_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause()


def child_main(argv: Sequence[str] | None = None) -> None:
    """``python -m tests.bench.bench_roster MODE DB OUT [N]``: measure, write JSON to OUT.

    N is the number of runs (open), of rounds of typing (search) or of Down keys (bytes).
    """
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_roster")
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
