"""The training lists at 80x24 in zh and en, with the widest values (a theme day's "+", 1.5
hours, "Mobile (moved in)", a certificate about to expire): no fixed cell is cut, and each
heading title starts on the cell its column starts on in the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from screens.training.certificates import CertificatesScreen
from screens.training.checklist import ChecklistScreen
from screens.training.hours import HoursScreen
from screens.training.lines import LineList
from screens.training.screen import TrainingScreen
from store.members import ops as members
from store.training import ops as training
from tests.screens.helpers import SIZE, TEST_ACTOR, on_top, screen_lines, settle
from tests.screens.training_helpers import app_for, database, to_training

LANGS = ["en", "zh"]


def community(db_path: Path) -> None:
    """Members of every category, a theme day of 1.5 hours crediting service too, a first-aid
    session, and certificates: one expiring in days, one expired, one that never expires."""
    db = database(db_path)
    ids = [
        str(
            members.add(db, TEST_ACTOR, {"name": name, "category": category, "branch": "第1支部"})[
                "id"
            ]
        )
        for name, category in (
            ("张三", "mobile_in"),
            ("李四", "retired"),
            ("王五", "mobile_out"),
            ("赵六", "in_service"),
        )
    ]
    marks = [{"member_id": ids[0], "status": "make_up", "date": "2026-06-20", "hours": 1.5}]
    marks += [
        {"member_id": i, "status": s}
        for i, s in zip(ids[1:], ("present", "excused", "absent"), strict=True)
    ]
    training.add_session(
        db,
        TEST_ACTOR,
        {
            "title": "主题党日",
            "kind": "theme_day",
            "date": "2026-06-10",
            "hours": 1.5,
            "service_hours": 2,
            "attendance": marks,
        },
    )
    training.add_session(
        db, TEST_ACTOR, {"title": "急救", "kind": "first_aid", "date": "2026-05-01", "hours": 4}
    )
    for member, expires in zip(ids, ("2026-07-09", "2026-06-01", "", "2030-01-01"), strict=True):
        training.add_certificate(
            db,
            TEST_ACTOR,
            {
                "member_id": member,
                "name": "救护员证",
                "kind": "first_aid",
                "issued": "2024-01-01",
                "expires": expires,
            },
        )


def starts(line: str, texts: list[str]) -> list[int]:
    """The cell where each of ``texts`` starts in ``line``, looked for left to right."""
    found, at = [], 0
    for text in texts:
        index = line.index(text, at)
        found.append(cell_len(line[:index]))
        at = index + len(text)
    return found


def check_lines(app: Any, lines: LineList[Any], where: str) -> None:
    """Every row in view: each value shown whole (nothing cut, no "…"), starting on the cell its
    column's title starts on in the heading line above the list."""
    screen = screen_lines(app)
    titles = [title for title, _size in lines.column_layout]
    top = lines.region.y
    heading = screen[top - 1]
    shown = [i for i, title in enumerate(titles) if title]
    title_starts = starts(heading, [titles[i] for i in shown])
    assert lines.rows, where
    for offset, row in enumerate(lines.rows[: lines.region.height]):
        text = screen[top + offset]
        values = list(lines.values(row))
        assert "…" not in text, f"{where}: cut in {text!r}"
        found = [i for i in shown if values[i]]
        value_starts = starts(text, [values[i] for i in found])
        expected = [title_starts[shown.index(i)] for i in found]
        assert value_starts == expected, f"{where}:\n{heading}\n{text}"


async def checked(pilot: Pilot[Any], kind: type[Any], key: str, where: str) -> None:
    await pilot.press(key)
    screen = await on_top(pilot, kind, lambda s: s.loaded)
    await settle(pilot)
    check_lines(pilot.app, screen.lines, where)


@pytest.mark.parametrize("lang", LANGS)
async def test_training_lists_line_up_and_cut_no_fixed_cell(db_path: Path, lang: str) -> None:
    community(db_path)
    async with app_for(db_path, lang).run_test(size=SIZE) as pilot:
        sessions = await to_training(pilot)
        await settle(pilot)
        check_lines(pilot.app, sessions.lines, f"sessions {lang}")
        assert any(row.hours.endswith("+") for row in sessions.lines.rows)
        legend = "\n".join(screen_lines(pilot.app))
        said = "also counts as volunteer service" if lang == "en" else "同时计入志愿服务"
        assert said in legend
        await checked(pilot, ChecklistScreen, "enter", f"checklist {lang}")
        await pilot.press("escape")
        await on_top(pilot, TrainingScreen)
        await checked(pilot, HoursScreen, "h", f"hours {lang}")
        await pilot.press("escape")
        await on_top(pilot, TrainingScreen)
        await checked(pilot, CertificatesScreen, "c", f"certificates {lang}")


async def test_no_legend_without_a_theme_day(db_path: Path) -> None:
    db = database(db_path)
    training.add_session(db, TEST_ACTOR, {"title": "党课", "date": "2026-06-10", "hours": 2})
    async with app_for(db_path, "en").run_test(size=SIZE) as pilot:
        sessions = await to_training(pilot)
        await settle(pilot)
        assert sessions.lines.rows
        assert "volunteer service" not in "\n".join(screen_lines(pilot.app))
