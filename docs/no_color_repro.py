"""Minimal reproductions for docs/TEXTUAL_NO_COLOR.md: two faults of Textual 8.2 under NO_COLOR.

(a) A widget line drawn with no style (``Strip.blank(width)``) crashes Textual's Monochrome
    filter, the one NO_COLOR turns on: the App stops with an AttributeError.
(b) An OptionList's ``text-style: reverse`` (Textual's own ``:nocolor`` rule for the command
    palette's list asks for it) never reaches the terminal: the highlighted line is drawn bold,
    in a grey, but not reversed.

Run: ``python docs/no_color_repro.py`` (any environment with Textual 8.2; it sets NO_COLOR itself).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os

from textual.app import App, ComposeResult
from textual.command import CommandList
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList


class BlankLines(Widget):
    """Draws every line as a blank strip without a style, as a custom widget may."""

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width)


class BlankApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BlankLines()


class ListApp(App[None]):
    CSS = """
    OptionList > .option-list--option-highlighted { text-style: bold reverse; }
    """

    def compose(self) -> ComposeResult:
        yield OptionList("first", "second", "third")


async def blank_line_crash() -> None:
    app = BlankApp()
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # Textual's long traceback
            async with app.run_test(size=(40, 5)) as pilot:
                await pilot.pause()
    except Exception as error:  # Textual re-raises the crash when the test run ends
        print(f"(a) blank line: the app stopped: {type(error).__name__}: {error}")
        return
    print("(a) blank line: no crash (fixed in this Textual)")


async def highlighted_line_style() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.press("down")
        await pilot.pause()
        options = app.query_one(OptionList)
        asked = options.get_component_styles("option-list--option-highlighted").text_style
        drawn = options.get_visual_style("option-list--option", "option-list--option-highlighted")
        inside = options.content_region
        assert options.highlighted is not None
        strip = app.screen._compositor.render_strips()[inside.y + options.highlighted]
        cells = strip.crop(inside.x, inside.right)  # the option's line, not the list's border
        line = cells.text.strip()
        reversed_cells = any(segment.style and segment.style.reverse for segment in cells)
        print(f"(b) CSS asks the highlighted line for: {asked}")
        print(f"(b) get_visual_style gives: bold={drawn.bold} reverse={drawn.reverse}")
        print(f"(b) on screen, {line!r}: any cell reversed: {reversed_cells}")
        for name, y in (("highlighted", options.highlighted), ("the line above", 0)):
            row = app.screen._compositor.render_strips()[inside.y + y].crop(inside.x, inside.right)
            words = next(segment for segment in row if segment.text.strip())
            print(f"(b) {name} {words.text.strip()!r} is drawn as: {words.style}")


async def palette_line_style() -> None:
    app = App[None]()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        await pilot.press("down")
        await pilot.pause(0.5)
        commands = app.screen.query_one(CommandList)
        asked = commands.get_component_styles("option-list--option-highlighted").text_style
        print(f"(b) the command palette's :nocolor rule asks for: {asked}")
        assert commands.highlighted is not None
        chosen = str(commands.get_option_at_index(commands.highlighted).prompt).split("\n")[0]
        inside = commands.content_region
        strips = app.screen._compositor.render_strips()
        for y in range(inside.y, inside.bottom):
            row = strips[y].crop(inside.x, inside.right)
            words = next((segment for segment in row if segment.text.strip()), None)
            if words is not None and words.style is not None and words.style.bold:
                name = words.text.strip()
                mark = "  <- highlighted" if name == chosen.strip() else ""
                print(f"(b)   {name!r}: {words.style}{mark}")


def main() -> None:
    os.environ["NO_COLOR"] = "1"  # read by each App when it is made
    asyncio.run(blank_line_crash())
    asyncio.run(highlighted_line_style())
    asyncio.run(palette_line_style())


if __name__ == "__main__":
    main()
