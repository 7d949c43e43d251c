"""The App shell: start-up in both languages, section keys, quitting, signals, change watcher."""

from __future__ import annotations

import gettext
import os
import signal
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input

from screens.dashboard.screen import DashboardScreen
from screens.shell.base import SectionScreen
from screens.shell.messages import DataChanged
from screens.widgets.header import SectionHeader
from tests.screens.helpers import (
    add_records,
    enter_as,
    footer_text,
    screen_text,
    unwrapped,
    wait_until,
    widget_text,
)
from tui.factory import make_app
from tui.hangup import HANGUP_EXIT_CODE, TERMINATED_EXIT_CODE
from tui.i18n import LOCALE_DIR

SIZE = (80, 24)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the data workers are done and what they posted is on screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_starts_on_the_dashboard_in_english(db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里社区"}])
    add_records(
        db_path,
        "members",
        [
            {"name": "张三", "category": "retired", "status": "active"},
            {"name": "李四", "category": "mobile_in", "status": "active"},
            {"name": "王五", "category": "mobile_out", "status": "archived"},
        ],
    )
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        assert app.current_mode == "dashboard"
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        header = text.splitlines()[0].strip()
        assert header.startswith("幸福里社区 · Dashboard ")
        assert header.endswith(" 测试员 (Administrator)")
        assert "2 members on the roster, 1 of them mobile (moved in or away)" in text
        footer = footer_text(app)
        for label in ("F1 Help", "Sections", "Ctrl+L Lock", "Ctrl+Q Quit"):
            assert label in footer
        # At 80 columns the footer keeps its room for the screen's own keys; the palette's
        # Ctrl+P is in help (F1) and works everywhere.
        assert "Ctrl+P" not in footer


async def test_starts_in_chinese(db_path: Path) -> None:
    catalog = gettext.translation("shequ", LOCALE_DIR, languages=["zh_CN"], fallback=True)
    title = catalog.gettext("Dashboard")  # "Dashboard" itself until the catalog translates it
    app = make_app(db_path, lang="zh", environ={"TERM": "xterm-256color"})
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(SectionHeader).section == title
        text = screen_text(app)
        assert title in text
        if title != "Dashboard":
            assert "Dashboard" not in text
            assert catalog.gettext("Help") in footer_text(app)


async def test_linux_console_notice(db_path: Path) -> None:
    """Said once, where the app starts (tests/screens/test_console.py has the rest)."""
    app = make_app(db_path, environ={"LANG": "zh_CN.UTF-8", "TERM": "linux"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "SSH client (PuTTY)" in screen_text(app)
        await enter_as(pilot)
        await settle(pilot)
        text = screen_text(app)
        assert "Dashboard" in text
        assert "PuTTY" not in text


def long_db_path(folder: Path, length: int = 200) -> Path:
    """A database path of at least ``length`` characters (a deep folder, as on some servers)."""
    base = folder / "shequ.json"
    path = folder / ("d" * max(1, length - len(str(base)) - 1)) / "shequ.json"
    path.parent.mkdir()
    assert len(str(path)) >= length
    return path


async def test_a_world_readable_database_is_pointed_out(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "张三"}])
    db_path.chmod(0o644)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        notice = widget_text(app, app.screen.query_one(".notice"))
        assert unwrapped(f"{db_path} can be read by every user") in unwrapped(notice)
        assert unwrapped(f"chmod o-r {db_path}") in unwrapped(notice)


async def test_a_warning_with_a_200_character_path_wraps_whole_within_80_columns(
    tmp_path: Path,
) -> None:
    db_path = long_db_path(tmp_path)
    add_records(db_path, "members", [{"name": "张三"}])
    db_path.chmod(0o644)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        notice = app.screen.query_one(".notice")
        text = widget_text(app, notice)
        expected = (
            f"Note: Warning: {db_path} can be read by every user of this computer; "
            f"make it private with: chmod o-r {db_path}"
        )
        # Every character of it, in order, on lines of the screen's width: wrapped, not cut.
        assert unwrapped(text) == unwrapped(expected)
        assert notice.region.right <= SIZE[0]
        assert len(text.splitlines()) >= len(expected) // SIZE[0] + 1
        assert all(len(line) <= notice.content_region.width for line in text.splitlines())
        # The sentence between the two paths keeps its words whole.
        assert "can be read by every user of this computer" in " ".join(text.split())


async def test_a_world_writable_database_is_refused(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "张三"}])
    db_path.chmod(0o666)
    before = db_path.read_bytes()
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = widget_text(app, app.screen.query_one("#login-message"))
        assert unwrapped(f"chmod o-w {db_path}") in unwrapped(said)
    assert db_path.read_bytes() == before


async def test_the_refusal_of_a_200_character_path_is_shown_whole(tmp_path: Path) -> None:
    db_path = long_db_path(tmp_path)
    add_records(db_path, "members", [{"name": "张三"}])
    db_path.chmod(0o666)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = widget_text(app, app.screen.query_one("#login-message"))
        expected = (
            f"{db_path} can be changed by every user of this computer, so shequ will not use "
            f"it. Make it private with: chmod o-w {db_path}"
        )
        assert unwrapped(said) == unwrapped(expected)


@pytest.mark.parametrize(
    ("keys", "mode"),
    [
        (["2"], "roster"),
        (["3"], "patrols"),
        (["4"], "training"),
        (["2", "1"], "dashboard"),
        (["f3"], "roster"),
        (["f4"], "patrols"),
        (["f5"], "training"),
        (["f5", "f2"], "dashboard"),
    ],
)
async def test_section_keys(db_path: Path, keys: list[str], mode: str) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert app.current_mode == mode
        section = app.screen
        title = mode.capitalize()
        assert screen_text(app).splitlines()[0].strip().startswith(title + " ")
        assert isinstance(section, SectionScreen) and section.loaded  # a real section, read
        assert "coming soon" not in screen_text(app)


async def test_digits_go_to_a_text_field_but_function_keys_still_switch(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        field = Input(id="probe")
        await app.screen.mount(field)
        field.focus()
        await pilot.press("2", "?")
        assert field.value == "2?"
        assert app.current_mode == "dashboard"
        assert "1-5 Sections" not in footer_text(app)  # the digits are the field's now
        assert "F2-F6 Sections" in footer_text(app)
        await pilot.press("f3")
        assert app.current_mode == "roster"


async def test_section_screens_are_kept(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        dashboard = app.screen
        await pilot.press("2", "1")
        assert app.screen is dashboard


async def test_command_palette_switches_sections(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"patrols")
        await pilot.pause(0.2)  # the palette searches in a worker, after a short debounce
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "patrols"


async def test_the_palette_says_no_match_in_chinese(db_path: Path) -> None:
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"qqqq")
        await wait_until(pilot, lambda: "没有匹配" in screen_text(app), "the no-match line")
        assert "No matches" not in screen_text(app)


async def test_ctrl_q_quits(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_c_says_how_to_quit(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert [n.message for n in app._notifications] == ["Press Ctrl+Q to quit."]


async def test_sighup_exits_promptly(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        handler = signal.getsignal(signal.SIGHUP)
        # Without our handler SIGHUP would end the test run itself.
        assert handler not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause()
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == HANGUP_EXIT_CODE
    # The handlers go with the app: the default dispositions are back.
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_hangup_and_terminate_handlers(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        app.handle_hangup()
        await pilot.pause()
    assert app.return_code == HANGUP_EXIT_CODE

    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        app.handle_terminate()
        await pilot.pause()
    assert app.return_code == TERMINATED_EXIT_CODE


async def test_change_watcher_refreshes_only_on_change(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "张三"}])
    seen: list[Message] = []
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        assert "1 member on the roster" in screen_text(app)

        app.check_for_changes()  # nothing changed: no message, no reload
        await pilot.pause()
        assert not [m for m in seen if isinstance(m, DataChanged)]

        add_records(db_path, "members", [{"name": "李四"}, {"name": "王五"}])  # "another session"
        app.check_for_changes()
        await pilot.pause()
        await settle(pilot)
        assert len([m for m in seen if isinstance(m, DataChanged)]) == 1
        assert "3 members on the roster" in screen_text(app)


async def test_hidden_section_catches_up_when_shown_again(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        await pilot.press("2")
        add_records(db_path, "members", [{"name": "张三"}])
        app.check_for_changes()  # goes to the roster, the screen showing
        await pilot.press("1")
        await settle(pilot)
        assert "1 member on the roster" in screen_text(app)


async def test_unreadable_database_is_one_plain_sentence(db_path: Path) -> None:
    db_path.write_text("{not json", encoding="utf-8")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        assert "damaged" in screen_text(app)
        assert app.is_running


async def test_no_color(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db_path, lang="en")
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        text = screen_text(app)
        assert "0 members on the roster" in text
        assert "F1 Help" in footer_text(app)
