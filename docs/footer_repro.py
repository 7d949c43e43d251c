"""Minimal reproduction for docs/FOOTER.md: Textual's Footer rebuilds on every bindings refresh
(twice per focus change) and keeps every FooterKey it removed.

Run: ``python docs/footer_repro.py`` (any environment with Textual 8.2).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

rebuilds = [0]


class CountingFooter(Footer):
    """Textual's Footer, counting its recomposes."""

    async def recompose(self) -> None:
        rebuilds[0] += 1
        await super().recompose()


class Repro(App[None]):
    BINDINGS = [Binding("f1", "noop", "Help"), Binding("ctrl+s", "noop", "Save")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Input()
        yield CountingFooter()

    def action_noop(self) -> None:
        """Nothing: the bindings only need to exist."""


async def main() -> None:
    app = Repro()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        field = app.query_one(Input)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("one refresh_bindings()", app.screen.refresh_bindings),
            ("focus away", lambda: app.screen.set_focus(None)),
            ("focus back", lambda: app.screen.set_focus(field)),
        ]
        for label, step in steps:
            rebuilds[0] = 0
            step()
            for _ in range(5):
                await pilot.pause()
            print(f"{label}: {rebuilds[0]} recompose(s)")
        for _ in range(10):
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
        gc.collect()
        alive = [item for item in gc.get_objects() if isinstance(item, FooterKey)]
        shown = [key for key in alive if key.is_attached]
        print(f"then 10 more refreshes: {len(alive)} FooterKeys alive, {len(shown)} on screen")


if __name__ == "__main__":
    asyncio.run(main())
