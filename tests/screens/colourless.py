"""What a screen looks like on a terminal without colour (``NO_COLOR``) or with only 16 colours,
for the tests that check every screen still shows where the cursor or the focus is there.

Textual reads ``NO_COLOR`` when the App is made (it then draws through its Monochrome filter:
greys only) and the colour system from ``textual.constants.COLOR_SYSTEM`` (which it reads from
``TEXTUAL_COLOR_SYSTEM`` when first imported); :func:`terminal_kind` sets both the way a real
session would have them. The strips the compositor holds are what the terminal will be sent
(the filters are applied as each widget renders), so a test reads them, not a picture.

A *look* is the screen as a person on that terminal sees it: each cell's character and its
text attributes (bold, reverse, underline...), and with 16 colours also its colours as the
terminal is asked for them (downgraded to the 16 basic and bright ones). Without colour a grey
background is not counted: on many terminals greys are indistinguishable, or all one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style
from textual import constants
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tests.screens.helpers import terminal_output

NO_COLOR, SIXTEEN = "no-color", "16-colours"
KINDS = (NO_COLOR, SIXTEEN)
"""The two terminals every screen is checked on."""

ATTRIBUTES = ("bold", "italic", "underline", "underline2", "overline", "reverse", "strike")
"""What shows without colour (dim is left out: many terminals draw it as a grey)."""

Cell = tuple[str, tuple[bool, ...], str, str]
Look = list[list[Cell]]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def terminal_kind(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Make the next App as Textual would on a terminal of ``kind`` (call before make_app)."""
    if kind == NO_COLOR:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")


def _colour(style: Style, kind: str, which: str) -> str:
    if kind == NO_COLOR:
        return ""
    colour = getattr(style, which)
    if colour is None:
        return ""
    standard = colour.downgrade(ColorSystem.STANDARD)
    return "default" if standard.is_default else str(standard.number)


def look(app: App[Any], kind: str) -> Look:
    """Every cell on screen as the terminal of ``kind`` shows it (see the module's docstring)."""
    rows: Look = []
    for strip in app.screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            if segment.control:
                continue
            style = segment.style or Style()
            attributes = tuple(bool(getattr(style, name)) for name in ATTRIBUTES)
            fg, bg = _colour(style, kind, "color"), _colour(style, kind, "bgcolor")
            for char in segment.text:
                row.append((char, attributes, fg, bg))
                row.extend(("", attributes, fg, bg) for _ in range(cell_len(char) - 1))
        rows.append(row)
    return rows


def within(seen: Look, region: Region) -> list[list[Cell]]:
    """The part of ``seen`` inside ``region``."""
    return [row[region.x : region.right] for row in seen[region.y : region.bottom]]


def where_focus_is(app: App[Any]) -> Region:
    """The focused widget's place, with the label of its form row (a field shows its focus
    on its label or its box, either counts)."""
    focused = app.focused
    assert focused is not None, "nothing has the focus"
    field: Widget = focused
    for ancestor in focused.ancestors_with_self:
        if type(ancestor).__name__ in {"FormField", "ChoiceField", "LabelledField"} or any(
            cls.__name__ == "LabelledField" for cls in type(ancestor).__mro__
        ):
            field = ancestor  # type: ignore[assignment]
            break
    return field.region


async def check_the_move(
    pilot: Pilot[Any],
    kind: str,
    keys: tuple[str, ...],
    what: str,
    where: Callable[[App[Any]], Region] = where_focus_is,
) -> None:
    """Pressing ``keys`` moves the cursor or the focus (``where`` says where it is: by default
    the focused widget, with its form row's label). On a terminal of ``kind`` the place it
    reached shows a mark it lacked before, and the place it left lost one (a list or grid that
    draws its own cursor is one place): the move is seen without colour (or in 16 colours).
    Also: only greys, or only the 16 basic colours, are asked of the terminal."""
    app = pilot.app
    before, left = look(app, kind), where(app)
    for key in keys:
        await pilot.press(key)
    await pilot.pause()
    after, reached = look(app, kind), where(app)
    assert _marked(within(after, reached), within(before, reached)), (
        f"{what} ({kind}): {keys}: nothing marks the place the cursor reached"
    )
    assert _marked(within(before, left), within(after, left)), (
        f"{what} ({kind}): {keys}: the place the cursor left looks as it did"
    )
    check_colours(app, kind, what)
    if kind == SIXTEEN:
        check_colour_means_nothing(after, where(app), what)


def check_colour_means_nothing(seen: Look, region: Region, what: str) -> None:
    """In ``region`` (a list, a grid, a form row) the words drawn alike (same attributes) are
    drawn in one colour: no state (overdue, full, cancelled, expired...) is told by colour
    alone. ``seen`` is a 16-colour look."""
    colours: dict[tuple[bool, ...], set[tuple[str, str]]] = {}
    for row in within(seen, region):
        for char, attributes, fg, bg in row:
            if char.strip() and not 0x2500 <= ord(char) <= 0x259F:  # words, not lines or bars
                colours.setdefault(attributes, set()).add((fg, bg))
    told = {attributes: found for attributes, found in colours.items() if len(found) > 1}
    assert not told, f"{what}: text drawn alike in different colours: {told}"


def _marked(marked: list[list[Cell]], plain: list[list[Cell]]) -> bool:
    """Whether ``marked`` shows something ``plain`` does not (at the same place): another
    character, or an attribute (or, in 16 colours, a colour) a cell does not have in ``plain``.
    Losing an attribute does not count: a focused empty field underlining one cell instead of
    the whole field is not a mark anyone would see."""
    for marked_row, plain_row in zip(marked, plain, strict=True):
        for (char, attributes, fg, bg), (was, had, was_fg, was_bg) in zip(
            marked_row, plain_row, strict=False
        ):
            if char != was or (fg, bg) != (was_fg, was_bg):
                return True
            if any(on and not before for on, before in zip(attributes, had, strict=True)):
                return True
    return False


def check_cursor_reversed(app: App[Any], kind: str, what: str) -> None:
    """Under NO_COLOR the focused list's cursor line is reversed (SGR 7: seen on any terminal,
    where the greys Textual sends may all look alike); in 16 colours its colours show it."""
    if kind != NO_COLOR:
        return
    column = ATTRIBUTES.index("reverse")
    cells = [cell for row in within(look(app, kind), where_focus_is(app)) for cell in row]
    assert any(cell[1][column] for cell in cells if cell[0].strip()), f"{what}: not reversed"


def check_focus_shows(app: App[Any], kind: str, what: str) -> None:
    """Where the focus is (see :func:`where_focus_is`) something is reversed or underlined,
    for a screen with one place to be (nothing to move the focus to and compare with)."""
    marks = {ATTRIBUTES.index("reverse"), ATTRIBUTES.index("underline")}
    cells = [cell for row in within(look(app, kind), where_focus_is(app)) for cell in row]
    assert any(cell[1][i] for cell in cells for i in marks), f"{what} ({kind}): no focus shown"
    check_colours(app, kind, what)


def asked_colours(output: str) -> set[tuple[str, int]]:
    """The colours in SGR sequences of ``output``: ("16", code) or ("256"/"rgb", first value)."""
    found: set[tuple[str, int]] = set()
    for match in SGR.finditer(output):
        params = [int(p) if p.isdigit() else 0 for p in re.split(r"[;:]", match.group(1))]
        i = 0
        while i < len(params):
            code = params[i]
            if code in (38, 48, 58) and i + 2 < len(params):
                found.add(("256" if params[i + 1] == 5 else "rgb", params[i + 2]))
                i += 3 if params[i + 1] == 5 else 5
                continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.add(("16", code))
            i += 1
    return found


def hues(app: App[Any]) -> set[tuple[int, int, int]]:
    """The colours on screen that are not a grey (black and white count as greys)."""
    found: set[tuple[int, int, int]] = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            for colour in (style.color, style.bgcolor) if style else ():
                if colour is None or colour.is_default:
                    continue
                rgb = tuple(colour.get_truecolor())
                if len(set(rgb)) > 1:
                    found.add(rgb)  # type: ignore[arg-type]
    return found


def check_colours(app: App[Any], kind: str, what: str = "") -> None:
    """NO_COLOR: no hue anywhere on screen; 16 colours: only basic and bright ones asked for."""
    if kind == NO_COLOR:
        assert app.no_color
        assert not hues(app), f"{what}: a hue under NO_COLOR"
    else:
        asked = asked_colours(terminal_output(app))
        assert asked, f"{what}: no colours at all with 16 colours"
        assert {kind for kind, _value in asked} == {"16"}, f"{what}: {asked}"
