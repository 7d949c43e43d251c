"""shequ on the terminals volunteers have: the Linux console, NO_COLOR, and 16 colours.

Each test runs the real command in a pseudo-terminal at 80x24 and reads what a person would
see (pyte) and the bytes the terminal was sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tui.console import LINES_AND_BLOCKS, console_glyphs

CTRL_P, CTRL_Q, ESC = "\x10", "\x11", "\x1b"
NOTICE = "In English: no Chinese on this console. For Chinese, use an SSH client (PuTTY)."
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


Colour = tuple[str, tuple[int, ...]]
"""A colour the app asked for: ("16", (code,)), ("256", (index,)) or ("rgb", (r, g, b))."""


def colours(raw: bytes) -> set[Colour]:
    """Every colour (foreground, background or underline) in the bytes sent to the terminal."""
    found: set[Colour] = set()
    for match in SGR.finditer(raw.decode(errors="replace")):
        params = [int(p) if p.isdigit() else 0 for p in re.split(r"[;:]", match.group(1))]
        i = 0
        while i < len(params):
            code = params[i]
            if code in (38, 48, 58) and i + 1 < len(params):
                if params[i + 1] == 5:
                    found.add(("256", tuple(params[i + 2 : i + 3])))
                    i += 3
                else:
                    found.add(("rgb", tuple(params[i + 2 : i + 5])))
                    i += 5
                continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.add(("16", (code,)))
            i += 1
    return found


def is_grey(colour: Colour) -> bool:
    """Whether ``colour`` has no hue: black, white, or a grey between."""
    kind, value = colour
    if kind == "rgb":
        return len(set(value)) == 1
    if kind == "256":
        return value[0] in (0, 7, 8, 15, 16, 231) or value[0] >= 232
    return value[0] % 10 in (0, 7)  # black and white, plain or bright


def toast_lines(terminal: Terminal) -> list[str]:
    """The rows a toast lies on, from its "▌" edge rightwards, without spaces (the screen's own
    rows pass under a toast; the list's scrollbar may end each one)."""
    buffer = terminal.screen.buffer
    found = []
    for y in range(terminal.screen.lines):
        edges = [x for x, cell in buffer[y].items() if cell.data == "▌"]
        if edges:
            cells = range(min(edges), terminal.screen.columns)
            found.append(re.sub(r"[\s▌]", "", "".join(buffer[y][x].data for x in cells)))
    return found


def foreign_drawing(terminal: Terminal) -> set[str]:
    """Line, block and arrow characters on screen that the Linux console's font lacks."""
    return {
        char
        for char in terminal.text()
        if ord(char) in LINES_AND_BLOCKS and char not in console_glyphs()
    }


def log_in(terminal: Terminal) -> None:
    terminal.send("admin\r1234\r")
    terminal.wait_for("幸福里社区")
    terminal.settle()  # the rest of the dashboard's frame (the header row can come first)


@pytest.mark.slow
def test_the_linux_console_says_once_why_it_is_english(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    """TERM=linux with a Chinese locale: English, said once at the login in one line, and
    only lines and blocks the console's font has, on the roster (a scrollbar) and the palette."""
    terminal = Terminal.shequ("--db", str(demo_db), env={"TERM": "linux", "LANG": "zh_CN.UTF-8"})
    terminals.append(terminal)
    screen = terminal.wait_for("Whoisatthekeyboard?")
    assert NOTICE in screen.splitlines()  # one line of its own, within 80 columns
    assert not foreign_drawing(terminal)
    log_in(terminal)
    assert NOTICE.replace(" ", "") not in terminal.text().replace(" ", "")  # once: not here
    terminal.send("2")
    terminal.wait_for("Showing60")
    assert not foreign_drawing(terminal)
    terminal.send(CTRL_P + "zs")
    terminal.wait_for("Member")
    terminal.settle()
    assert not foreign_drawing(terminal)
    terminal.send(ESC + CTRL_Q)
    assert terminal.wait_exit(timeout=10) is not None


@pytest.mark.slow
def test_an_ordinary_terminal_draws_what_the_console_lacks(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    """The check above can fail: on xterm the same screens use eighth blocks."""
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en")
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    assert NOTICE.replace(" ", "") not in terminal.text().replace(" ", "")
    log_in(terminal)
    terminal.send("2")
    terminal.wait_for("Showing60")
    terminal.send(CTRL_P + "zs")
    terminal.wait_for("Member")
    terminal.settle()
    assert foreign_drawing(terminal)
    terminal.send(ESC + CTRL_Q)
    assert terminal.wait_exit(timeout=10) is not None


@pytest.mark.slow
def test_no_color_shows_no_hue_and_still_shows_where_you_are(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en", env={"NO_COLOR": "1"})
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    log_in(terminal)
    terminal.send("2")
    terminal.wait_for("Showing60")
    terminal.send("j")  # the list has the focus: its cursor row is reversed
    terminal.settle()
    hues = {colour for colour in colours(bytes(terminal.raw)) if not is_grey(colour)}
    assert not hues, "NO_COLOR: greys only (Textual's monochrome), never a hue"
    reversed_rows = {
        y
        for y in range(terminal.screen.lines)
        if any(cell.reverse for cell in terminal.screen.buffer[y].values() if cell.data.strip())
    }
    assert reversed_rows, "nothing on screen says where the cursor is"
    # The patrol week: its heading's first frame (before the week is read) once crashed
    # Textual's NO_COLOR filter (a blank line without a style).
    terminal.send("3")
    terminal.wait_for("Timeandplace")
    terminal.settle()
    assert any(
        cell.reverse
        for y in range(terminal.screen.lines)
        for cell in terminal.screen.buffer[y].values()
        if cell.data.strip()
    ), "the week grid's cursor cell is not reversed"
    terminal.send(CTRL_Q)
    assert terminal.wait_exit(timeout=10) is not None


@pytest.mark.slow
def test_sixteen_colours(demo_db: Path, terminals: list[Terminal]) -> None:
    """--low-bandwidth (16 colours): only the basic and bright colours are ever asked for."""
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en", "--low-bandwidth")
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    log_in(terminal)
    terminal.send("2")
    terminal.wait_for("Showing60")
    terminal.send("\r")
    terminal.wait_for("Contactlog")
    terminal.send("c")
    terminal.wait_for("Logacontact")
    terminal.settle()
    asked = colours(bytes(terminal.raw))
    assert asked and {kind for kind, _value in asked} == {"16"}
    terminal.send(ESC)
    terminal.send(CTRL_Q)
    assert terminal.wait_exit(timeout=10) is not None


@pytest.mark.slow
def test_no_color_a_refused_key_says_why_in_plain_sight(
    demo_db: Path, terminals: list[Terminal]
) -> None:
    """A volunteer's n on the roster (a key their role lacks) is answered in words, not colour."""
    terminal = Terminal.shequ("--db", str(demo_db), "--lang", "en", env={"NO_COLOR": "1"})
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    terminal.send("volunteer\r3456\r")
    terminal.wait_for("幸福里社区")
    terminal.send("2")
    terminal.wait_for("Showing60")
    terminal.send("jn")
    terminal.wait_for("changetheroster.")
    said = toast_lines(terminal)
    assert any(line.startswith("Onlycoordinatorsandadminscan") for line in said), said
    assert any(line.startswith("changetheroster.") for line in said), said
    assert "Newmember" not in terminal.text().replace(" ", "")  # no form opened
    hues = {colour for colour in colours(bytes(terminal.raw)) if not is_grey(colour)}
    assert not hues
    terminal.send(CTRL_Q)
    assert terminal.wait_exit(timeout=10) is not None
