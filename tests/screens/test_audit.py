"""The change log: newest first, named records, before -> after, filters, and cheap when long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.pilot import Pilot

from screens.manage.audit import AuditLog, AuditScreen
from screens.manage.audit_filter import AuditFilterDialog
from screens.widgets.form import FormField
from store.actor import Actor, Role
from store.engine.database import Database
from tests.screens.helpers import (
    enter_as,
    footer_text,
    foreign_sequences,
    screen_text,
    settle,
    terminal_output,
)
from tui.factory import make_app

SIZE = (80, 24)
WANG = Actor("wang", Role.COORDINATOR, user_id="id-wang")
LI = Actor("li", Role.ADMIN, user_id="id-li")


def history(db_path: Path) -> None:
    db = Database(db_path)
    with db.transaction(WANG) as tx:
        zhang = tx.insert("members", {"name": "张三", "phone": "13800000001"})
        tx.insert("members", {"name": "李四"})
    with db.transaction(LI) as tx:
        tx.update("members", zhang["id"], {"phone": "13900000002", "grid": "3"}, 1)
        tx.insert("contacts", {"member_id": zhang["id"], "date": "2026-01-05", "method": "visit"})


async def open_log(pilot: Pilot[None], role: Role = Role.COORDINATOR) -> AuditScreen:
    await enter_as(pilot, role)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditScreen)
    return screen


async def test_newest_first_with_names_and_changes(db_path: Path) -> None:
    history(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert "4 changes, newest first." in lines
        body = lines[lines.index("4 changes, newest first.") + 1 :]
        today = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
        assert body[0].startswith(today)
        assert body[0].endswith("li  added contact with 张三")
        assert body[1].endswith("li  changed member 张三")
        assert body[2:4] == ["Phone: 13800000001 -> 13900000002", "Grid: — -> 3"]
        assert body[4].endswith("wang  added member 李四")
        assert body[5].endswith("wang  added member 张三")
        await pilot.press("escape")
        assert not isinstance(app.screen, AuditScreen)


async def filter_with(pilot: Pilot[None], **values: str) -> None:
    await pilot.press("f")
    dialog = pilot.app.screen
    assert isinstance(dialog, AuditFilterDialog)
    for field in dialog.query(FormField):
        field.value = values.get(field.field, "")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_filters(db_path: Path) -> None:
    history(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        log = screen.query_one(AuditLog)

        await filter_with(pilot, who="WA")
        assert "2 changes, by “WA”" in screen_text(app)
        assert log.view is not None
        assert {entry["who"] for entry in log.view.entries} == {"wang"}

        await filter_with(pilot, record="张三")  # a name, not an id
        assert log.view is not None
        assert len(log.view.entries) == 3  # added, changed, a contact with him

        tomorrow = (Database(db_path).today() + timedelta(days=1)).isoformat()
        await filter_with(pilot, since=tomorrow)
        assert log.view is not None
        assert not log.view.entries
        assert f"0 changes, from {tomorrow}" in screen_text(app)

        await filter_with(pilot, since="not a day")  # said under the field; dialog stays
        assert isinstance(app.screen, AuditFilterDialog)
        assert "is not a date" in screen_text(app)
        await pilot.press("escape")
        await filter_with(pilot)  # all empty: everything again
        assert "4 changes, newest first." in screen_text(app)


async def test_user_data_in_the_log_is_plain_text(db_path: Path) -> None:
    db = Database(db_path)
    with db.transaction(Actor("x[/]\x1b]0;t\x07", Role.ADMIN)) as tx:
        tx.insert("members", {"name": "[bold]张[/]\x1b[31m三\x9b2J"})
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot, Role.ADMIN)
        text = screen_text(app)
        assert "[bold]张[/]" in text
        assert "x[/]" in text
        output = terminal_output(app)
        assert "\x07" not in output and "\x9b" not in output and "\x1b]" not in output
        assert "\x1b" not in foreign_sequences(output)


def long_log(db_path: Path, count: int) -> None:
    """``count`` changes written straight into the log (as years of use would leave)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    lines = (
        orjson.dumps(
            {
                "at": (start + timedelta(minutes=i)).isoformat(),
                "tx": f"t{i}",
                "who": f"user{i % 7}",
                "role": "admin",
                "op": "update",
                "table": "members",
                "id": f"{i:08x}" + "0" * 24,  # shown by its first 8 characters
                "before": {"phone": "13800000000", "grid": "1"},
                "after": {"phone": "13900000000", "grid": "2"},
            }
        )
        for i in range(count)
    )
    Database(db_path).audit_path.write_bytes(b"\n".join(lines) + b"\n")


async def test_a_long_log_reads_a_page_and_draws_only_what_shows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Years of use: the screen reads the newest 500 changes from the log's end (not the whole
    file), draws only the lines in view, and m reads the next 500."""
    from store.engine import audit_format, audit_tail

    long_log(db_path, 20_000)
    parsed: list[int] = []
    parse = audit_format.parse

    def counted(raw: bytes) -> dict[str, Any] | None:
        parsed.append(1)
        return parse(raw)

    monkeypatch.setattr(audit_tail, "parse", counted)  # what the newest page is read with
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        log = screen.query_one(AuditLog)
        assert log.view is not None
        assert log.view.line_count == 1_500  # a first line and two field lines each
        assert "500 changes, newest first. Older ones: press m." in screen_text(app)
        assert "m Older changes" in footer_text(app)
        assert len(parsed) < 1_000  # a page, not the 20,000 lines
        assert screen_text(app).splitlines()[2].endswith(f"changed member {19_999:08x}")
        assert len(log.view._cache) <= log.size.height  # only the lines in view were built
        await pilot.press("pagedown")
        await pilot.pause()
        assert log.scroll_y == log.size.height // 2  # half a page per key
        await pilot.press("end")
        await pilot.pause()
        assert any(
            line.endswith(f"changed member {19_500:08x}") for line in screen_text(app).splitlines()
        )
        assert len(log.view._cache) <= 3 * log.size.height
        await pilot.press("m")  # the next page; the reader stays at the same change
        await settle(pilot)
        assert log.view.line_count == 3_000
        assert "1000 changes, newest first. Older ones: press m." in screen_text(app)
        assert any(
            line.endswith(f"changed member {19_500:08x}") for line in screen_text(app).splitlines()
        )


async def test_patrol_changes_are_named_by_day_hours_and_people(db_path: Path) -> None:
    """A shift is known by its day and hours, an unnamed template by its days and hours, and a
    shift's people, leader and zone by their names, never by the start of an id."""
    from store.patrols import ops as patrol_ops
    from tests.screens.patrol_helpers import ROOT, patrol_week, with_templates

    world = with_templates(patrol_week(db_path))
    patrol_ops.update_shift(
        world["db"],
        ROOT,
        world["morning"],
        {"leader_id": world["people"]["李四"], "zone_id": world["zone"]},
        1 + 2,  # made, then two people assigned
        leader_override="只有他熟悉东区",  # no first-aid certificate
    )
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert lines[2].endswith("changed shift 2026-12-02 08:00-10:00")
        assert lines[3:6] == [
            "Zone or route: 西区 -> 东区",
            "Leader: — -> 李四",
            "Why this leader anyway: — -> 只有他熟悉东区",
        ]
        assert lines[6].endswith("added shift template Saturday, Sunday 08:00-09:30")
        assert lines[7].endswith("added shift template 晚间巡逻")
        assert lines[8].endswith("changed shift 2026-11-30 19:00-21:00")
        assert lines[9] == "On this shift: — -> 王五 Scheduled"
        assert lines[11] == "On this shift: 张三 Scheduled -> 张三 Scheduled, 李四 Scheduled"
