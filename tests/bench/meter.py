"""Measuring inside a running (headless) app: the bytes it would write and when, per key.

Headless apps write nothing: ``App._display`` skips rendering when the driver says it is
headless. :class:`Meter` turns the running app's headless driver into one that is not headless
and counts what ``App._display`` hands it (``len(data.encode())``, one write per frame), so a
figure is the bytes Textual would send down the SSH connection, and a frame's time is when it
would have been sent. Checked once against the real thing (``shequ`` in a pty, as in
tests/e2e/terminal.py, bytes read per Down): within 1% (322 against 320 bytes in view, 4.77
against 4.75 KB per scroll). While measuring, keys go in as the terminal driver sends them and
nothing else drives the app (no Pilot pauses, which force a repaint on the benchmark's
schedule): frames come when the app's own timers paint them, and a key's figures end after
:data:`QUIET_S` without a frame.

The roster, the patrol grid, the training checklist and the live refresh all measure this way,
each beside a stock Textual baseline (:func:`table_app`: a ``DataTable`` between a stock Header
and Footer); measuring in-process calls is tests/bench/measure.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot
    from textual.widgets import DataTable

SIZE = (80, 24)
LANG = "zh_CN"  # the interface volunteers use; CJK text is 3 bytes a character in UTF-8
FRAME_TIMEOUT_S = 120.0


@dataclass
class Meter:
    """Counts what the app would write to its terminal, and when (see the module docstring)."""

    app: App[Any]
    written: int = 0
    frames: list[tuple[float, int]] = field(default_factory=list)
    watch: Callable[[str], bool] | None = None
    seen_at: float | None = None
    texts: list[str] | None = None
    """What was written, write by write, once :meth:`record` was called."""

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

    def record(self) -> list[str]:
        """Keep what is written from now on, write by write (tests read the frames' text)."""
        self.texts = []
        return self.texts

    def wrote(self, data: str) -> None:
        """One frame (or any other write): its bytes and time; the watched frame's time."""
        now = time.perf_counter()
        size = len(data.encode("utf-8"))
        self.written += size
        self.frames.append((now, size))
        if self.texts is not None:
            self.texts.append(data)
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

    async def press(self, key: str) -> tuple[int, float]:
        """``key`` alone, counted afresh until the app is quiet: the bytes it wrote and the
        milliseconds from sending it to its last frame (0 when it painted nothing)."""
        self.reset()
        sent = self.key(key)
        await self.quiet()
        last = self.frames[-1][0] if self.frames else sent
        return self.written, (last - sent) * 1000

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Let the app run on its own until ``condition`` holds."""
        deadline = time.monotonic() + FRAME_TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(POLL_S)

    async def frame_of(self, minimum: int, what: str) -> float:
        """Wait for the first frame of ``minimum`` bytes or more (a whole screen); its time."""
        await self.until(lambda: any(size >= minimum for _when, size in self.frames), what)
        return next(when for when, size in self.frames if size >= minimum)

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


def table_app(
    columns: Sequence[str],
    rows: list[tuple[Any, ...]] | None = None,
    *,
    cursor_type: Literal["cell", "row", "column", "none"] = "row",
    title: str = "TableApp",
) -> App[Any]:
    """A bare app: stock Header, DataTable with a ``cursor_type`` cursor, Footer; ``columns``
    and ``rows`` added on mount (no rows: the caller adds them, to time it). ``title`` is what
    the Header shows (a stock app's class name), kept as each baseline always had it."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class TableApp(App[None]):
        """The baseline: what stock Textual does with the same rows."""

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type=cursor_type)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*columns)
            if rows:
                table.add_rows(rows)
            table.focus()

    app = TableApp()
    app.title = title
    return app


async def logged_in(pilot: Pilot[Any]) -> Meter:
    """Past the login (as an admin), settled, with a meter attached."""
    from store.actor import Role
    from tests.screens.helpers import enter_as, settle

    await enter_as(pilot, Role.ADMIN)
    await settle(pilot)
    return Meter.attach(pilot.app)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (a big DataTable takes seconds)."""
    deadline = time.monotonic() + FRAME_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause()


async def filled_table(pilot: Pilot[Any]) -> tuple[DataTable[Any], Meter]:
    """A :func:`table_app` given its rows on mount: once they are in and painted, its table
    and a meter attached (the baselines' keys are counted from here)."""
    from textual.widgets import DataTable

    table = pilot.app.query_one(DataTable)
    await wait_for(pilot, lambda: table.row_count > 0, "the table")
    await pilot.pause()
    meter = Meter.attach(pilot.app)
    await meter.quiet()
    return table, meter


async def rows_shown_ms(
    pilot: Pilot[Any], cells: list[tuple[Any, ...]], first: str
) -> tuple[float, Meter]:
    """A :func:`table_app` started without rows: the milliseconds from ``add_rows(cells)`` to
    the first frame showing ``first`` (the baselines' "open"), and the meter that saw it."""
    from textual.widgets import DataTable

    await pilot.pause()
    meter = Meter.attach(pilot.app)
    table = pilot.app.query_one(DataTable)

    def shown(data: str) -> bool:
        return table.row_count > 0 and first in data

    meter.reset(shown)
    began = time.perf_counter()
    table.add_rows(cells)
    await meter.until(meter.saw, "the table's rows")
    assert meter.seen_at is not None
    return (meter.seen_at - began) * 1000, meter
