"""Parsed CSS kept between runs (tui/css_cache.py): a second start reads every rule back instead
of parsing it, and gets the rules a whole parse gives; a rule is read back only when all it was
made from is the same and the file is this user's alone; a folder that cannot be written
changes nothing; the ``shequ`` command keeps them in the user's cache folder."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import textual.css.stylesheet
from textual.css.stylesheet import Stylesheet

from tests.fresh import run_fresh
from tests.screens.helpers import enter_as, screen_text, settle
from tests.screens.stylesheet_checks import assert_same_as_whole, described
from tui.css_cache import DAY, UNUSED_DAYS, CssCache, CssKey
from tui.factory import make_app
from tui.keymap import SECTIONS
from tui.stylesheet import GrowingStylesheet

VARIABLES = {"primary": "#004578"}
LABEL: CssKey = ("Label { color: $primary; }", ("a.tcss", ""), False, 0, "")


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """What Textual parses from now on: each source's text, place, scope and tie-breaker."""
    parsed: list[tuple[object, ...]] = []
    real: Callable[..., Any] = textual.css.stylesheet.parse  # type: ignore[attr-defined]

    def parse(scope: str, css: str, read_from: object, **kwargs: Any) -> Any:
        parsed.append((scope, css, read_from, kwargs["is_default_rules"], kwargs["tie_breaker"]))
        return real(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", parse)
    return parsed


def same_as_whole(stylesheet: Stylesheet, parsed: list[tuple[object, ...]]) -> None:
    """:func:`assert_same_as_whole`, whose own parse is not counted in ``parsed``."""
    before = len(parsed)
    assert_same_as_whole(stylesheet)
    del parsed[before:]


async def tour(folder: Path, db_path: Path, parsed: list[tuple[object, ...]]) -> list[str]:
    """Every section opened by an app keeping its CSS in ``folder``; the screens seen."""
    app = make_app(db_path, lang="en", css_cache=CssCache(folder))
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen.append(screen_text(app))
        stylesheet = app.stylesheet
        assert isinstance(stylesheet, GrowingStylesheet)
        await enter_as(pilot)
        for section in SECTIONS:
            await app.action_section(section.mode)
            await settle(pilot)
            same_as_whole(stylesheet, parsed)
        await pilot.press("f1")  # a dialog of its own widgets
        await settle(pilot)
        same_as_whole(stylesheet, parsed)
        seen.append(screen_text(app))
    return seen


async def test_a_second_start_reads_every_rule_back_instead_of_parsing_it(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "css"
    parsed = counting_parses(monkeypatch)
    first = await tour(folder, db_path, parsed)
    assert len(parsed) > 20
    assert len(list(folder.glob("*.pickle"))) == len(set(parsed))
    parsed.clear()
    second = await tour(folder, db_path, parsed)
    assert parsed == []  # every source read back, each giving a whole parse's rules (tour)
    assert second == first


def test_rules_are_read_back_only_when_made_from_the_same_and_this_users_alone(
    tmp_path: Path,
) -> None:
    cache = CssCache(tmp_path)
    parsed = Stylesheet(variables=VARIABLES)._parse_rules(*LABEL)
    cache.put(LABEL, VARIABLES, parsed)
    (kept,) = tmp_path.glob("*.pickle")
    back = cache.get(LABEL, VARIABLES)
    assert back is not None and described(back) == described(parsed)
    assert cache.get(LABEL, {"primary": "#ff0000"}) is None  # another theme
    assert cache.get(("Label { color: red; }", *LABEL[1:]), VARIABLES) is None
    kept.chmod(0o664)  # others may write it: never unpickled
    assert cache.get(LABEL, VARIABLES) is None
    kept.chmod(0o600)
    assert cache.get(LABEL, VARIABLES) is not None
    kept.write_bytes(b"\x80\x05not a pickle")
    assert cache.get(LABEL, VARIABLES) is None
    # A file under this name holding other rules (a checksum shared by chance) is not used.
    other = ("Button { color: red; }", ("b.tcss", ""), False, 0, "")
    kept.write_bytes(pickle.dumps((cache._key(other, VARIABLES), parsed)))
    assert cache.get(LABEL, VARIABLES) is None


def test_files_no_start_read_for_long_are_removed_by_the_next_start_that_writes(
    tmp_path: Path,
) -> None:
    cache = CssCache(tmp_path)
    parsed = Stylesheet(variables=VARIABLES)._parse_rules(*LABEL)
    cache.put(LABEL, VARIABLES, parsed)
    (used,) = tmp_path.glob("*.pickle")
    unused = tmp_path / "0123456789abcdef.pickle"  # an earlier Textual's, never asked for now
    unused.write_bytes(used.read_bytes())
    long_ago = time.time() - (UNUSED_DAYS + 1) * DAY
    for path in (used, unused):
        os.utime(path, (long_ago, long_ago))
    assert cache.get(LABEL, VARIABLES) is not None  # read: its time set to now
    assert used.stat().st_mtime > time.time() - DAY

    later = CssCache(tmp_path)  # the next start that writes a file (each prunes once)
    other = ("Button { color: red; }", ("b.tcss", ""), False, 0, "")
    later.put(other, VARIABLES, Stylesheet(variables=VARIABLES)._parse_rules(*other))
    assert not unused.exists()
    assert used.exists() and cache.get(LABEL, VARIABLES) is not None
    assert len(list(tmp_path.glob("*.pickle"))) == 2


async def test_a_folder_that_cannot_be_written_changes_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("")
    cache = CssCache(blocked / "css")
    cache.put(LABEL, VARIABLES, Stylesheet(variables=VARIABLES)._parse_rules(*LABEL))
    assert cache.get(LABEL, VARIABLES) is None
    app = make_app(db_path, lang="en", css_cache=cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "User name" in screen_text(app)
    assert os.listdir(tmp_path) == ["a file"]


COMMAND = r"""
import asyncio, os, sys
os.environ["XDG_CACHE_HOME"] = sys.argv[2]
from tui.cli import main as cli


def run(app):
    async def go():
        async with app.run_test(size=(80, 24)):
            pass

    asyncio.run(go())
    raise SystemExit(0)


cli.run_and_exit = run
cli.main(["--db", sys.argv[1], "--lang", "en"])
"""


def test_the_command_keeps_them_in_the_users_cache_folder(tmp_path: Path) -> None:
    run_fresh(COMMAND, str(tmp_path / "shequ.json"), str(tmp_path / "cache"), timeout=120)
    folder = tmp_path / "cache" / "shequ" / "css"
    assert len(list(folder.glob("*.pickle"))) > 10
    assert folder.stat().st_mode & 0o777 == 0o700
