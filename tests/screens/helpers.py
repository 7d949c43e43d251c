"""Test data in, and what the app shows out (headless apps write nothing to a terminal)."""

from __future__ import annotations

import contextlib
import gettext
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.cells import cell_len
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from store.actor import Actor, Role
from store.engine.database import Database
from tests.paths import ROOT

TEST_ACTOR = Actor("test", Role.ADMIN)
SIZE = (80, 24)
"""The terminal every screen must work in (and most tests run at)."""
S = TypeVar("S", bound=Screen[Any])

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


def widget_text(app: App[Any], widget: Widget) -> str:
    """The characters on screen inside ``widget`` (its content, not its border or padding).

    Cropped by terminal cells, so wide (Chinese) characters count as two, as they are drawn.
    """
    region = widget.content_region
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        "".join(segment.text for segment in strips[y].crop(region.x, region.right)).rstrip()
        for y in range(region.y, min(region.bottom, len(strips)))
    )


def unwrapped(text: str) -> str:
    """``text`` without any whitespace: where a wrap broke a line (even inside a long path, which
    is folded) no longer matters, so a whole message can be compared with what was shown."""
    return "".join(text.split())


def terminal_output(app: App[Any]) -> str:
    """What the app would write to a real terminal to paint the whole screen."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, CompositorUpdate)
    return update.render_segments(app.console)


def foreign_sequences(output: str) -> str:
    """``output`` without the escape sequences Textual writes itself; should hold no ESC."""
    return _OWN_SEQUENCES.sub("", output)


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """Every call of ``owner.name`` from now on, by its arguments (a method's first is its
    instance); each call still goes through. For tests that count what a change redid."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def footer_text(app: App[Any]) -> str:
    """The footer line of the screen on top."""
    footer = app.screen.query_one(Footer)
    return screen_lines(app)[footer.region.y]


def notes(app: App[Any]) -> list[str]:
    """The messages of the toasts shown so far (run the app with ``notifications=True``)."""
    return [n.message for n in app._notifications]


LOCALE = ROOT / "tui" / "locale"
"""The checkout's compiled catalogs (what the app reads)."""


def footer_words(lang: str) -> tuple[str, str, str]:
    """ "Help", "Lock" and "Quit" in ``lang`` ("en" or "zh"), as the footer says them."""
    catalog: gettext.NullTranslations = gettext.NullTranslations()
    if lang == "zh":
        catalog = gettext.translation("shequ", LOCALE, languages=["zh_CN"])
    return catalog.gettext("Help"), catalog.gettext("Lock"), catalog.gettext("Quit")


def check_footer(app: App[Any], lang: str, where: str) -> None:
    """The footer fits 80 columns and still offers F1 Help, Ctrl+L Lock and Ctrl+Q Quit (every
    screen must); ``where`` names the screen in the failure."""
    line = footer_text(app).rstrip()
    assert cell_len(line) <= SIZE[0], where
    help_, lock, quit_ = footer_words(lang)
    for key, word in (("F1", help_), ("Ctrl+L", lock), ("Ctrl+Q", quit_)):
        assert f"{key} {word}" in line, f"{where}: {key} {word} not in {line!r}"


async def jump(pilot: Pilot[Any], query: str) -> list[str]:
    """Ctrl+P, type ``query`` in one burst; the lines the palette (the jump list) shows."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await type_text(pilot, query)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    await settle(pilot)  # the palette searches in a worker
    return [str(option.prompt).split("\n")[0] for option in commands.options]


# -- who is at the keyboard ---------------------------------------------------------------------

PIN = "2468"


def add_user(
    db_path: Path,
    username: str,
    role: Role | str = Role.ADMIN,
    *,
    display_name: str = "",
    pin: str = PIN,
) -> None:
    """Create an account the way the CLI does (as the operating-system user)."""
    from store.users import ops as users

    users.add_user(
        Database(db_path),
        Actor.os_user(),
        username=username,
        display_name=display_name or username,
        role=role,
        secret=pin,
    )


async def workers_done(app: App[Any]) -> None:
    """Wait for every running worker; one cancelled with its screen (a login) is done too."""
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker is done and what it posted is on screen."""
    await workers_done(pilot.app)
    await pilot.pause()
    await pilot.pause()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run (workers finish, messages are handled) until ``condition`` holds."""
    for _ in range(200):
        if condition():
            return
        await workers_done(pilot.app)
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what}")


async def on_top(
    pilot: Pilot[Any], kind: type[S], ready: Callable[[S], object] = lambda _screen: True
) -> S:
    """The screen of ``kind`` once it is on top and ``ready`` (its first read done, its form
    filled...), and what that posted is on screen; a time-out names the screen waited for."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, kind), f"the {kind.__name__}")
    screen = app.screen
    assert isinstance(screen, kind)
    await wait_until(pilot, lambda: bool(ready(screen)), f"the {kind.__name__} to be ready")
    await settle(pilot)
    return screen


CONTROL_KEYS = {
    **{chr(code): f"ctrl+{chr(code + 96)}" for code in range(1, 27)},
    "\r": "enter",
    "\t": "tab",
    "\x1b": "escape",
    "\x7f": "backspace",
}
r"""Characters :func:`type_text` sends as the keys a terminal sends them for (``\x0c`` is
Ctrl+L, ``\x10`` Ctrl+P, ``\x13`` Ctrl+S...)."""


async def type_text(pilot: Pilot[Any], text: str) -> None:
    r"""Type ``text`` as one burst of keys, the way an IME or a slow link delivers them.

    ``\r`` is Enter, ``\t`` Tab, ``\x1b`` Escape, ``\x7f`` Backspace and ``\x01``-``\x1a``
    Ctrl+A-Z, as terminals send them (:data:`CONTROL_KEYS`).

    The keys go to the app as the terminal driver sends them (Pilot's ``press`` waits for the
    app to go idle after every key, seconds for a long path); the app must keep them in order,
    which FieldInput does. Waits until they are all handled.
    """
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    driver = app._driver
    assert driver is not None
    for char in text:
        key = CONTROL_KEYS.get(char) or ("space" if char == " " else _character_to_key(char))
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
    # Done when the app holds none of them back (tui/typeahead.py) and the app and the field
    # the keys went to have nothing left in their queues.
    for _ in range(200):
        await pilot.pause()
        focused = app.focused
        if (
            not getattr(app, "keys_pending", False)
            and app._message_queue.empty()
            and (focused is None or focused._message_queue.empty())
        ):
            return
    raise AssertionError(f"the app did not take the keys of {text!r}")


async def log_in(pilot: Pilot[Any], username: str, pin: str = PIN) -> None:
    """Log in through the login screen (or the lock) with keys, and wait until it took."""
    from screens.shell.login import LoginForm

    app = pilot.app
    form = app.screen.query_one(LoginForm)
    await wait_until(pilot, lambda: not form.checking, "the login form to be free")
    answers = form.answers
    form.field("username").value = ""
    form.field("pin").value = ""
    form.field("username").input.focus()
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: not form.is_attached or form.answers > answers, "the login check"
    )


async def enter_as(
    pilot: Pilot[Any], role: Role = Role.ADMIN, name: str = "test", display_name: str = "测试员"
) -> None:
    """Skip the login screen (for tests about something else): act as ``name`` with ``role``.

    The App handles the same message the login screen sends, in its own task (screens built
    from the test's task would miss the app's context).
    """
    from screens.shell.messages import LoggedIn

    app = pilot.app
    app.post_message(LoggedIn(Actor(name, role, user_id=f"id-{name}"), display_name))
    await wait_until(pilot, lambda: app.current_mode != "gate", "the login to take")
