"""Finding members in a 60-person attendance checklist: ``/`` filters by name, full pinyin or
pinyin initials (as the roster does), the marking keys work on the members found, Esc clears
the search with the marks kept, and Ctrl+S stores them; at 80x24 in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.shell.dialogs import ConfirmDialog
from screens.training.checklist import ChecklistScreen
from screens.training.checklist_lines import Checklist
from store.engine.database import Database
from store.training import ops as training
from tests.screens.helpers import (
    SIZE,
    TEST_ACTOR,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.training_helpers import (
    app_for,
    big_roster,
    database,
    open_checklist,
    roster,
    stored,
)


def shown(checklist: ChecklistScreen) -> list[str]:
    return [row.member.name for row in checklist.query_one(Checklist).rows]


def escape_does(checklist: ChecklistScreen) -> str:
    """What Esc does now (the footer says so when it has room; F1 always does)."""
    return checklist.active_bindings["escape"].binding.action


def current(checklist: ChecklistScreen) -> str:
    row = checklist.query_one(Checklist).current
    assert row is not None
    return row.member.name


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_find_the_exceptions_by_pinyin_and_save(db_path: Path, lang: str) -> None:
    ids = big_roster(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot)
        assert len(shown(checklist)) == 60
        assert escape_does(checklist) == "back"
        await pilot.press("a")  # everyone present, then the exceptions

        await pilot.press("slash")
        assert checklist.focused is checklist.search
        await type_text(pilot, "zs")
        await settle(pilot)
        assert shown(checklist) == ["张三", "赵四"]  # initials; pinyin order
        text = screen_text(app)
        assert ("2 found" if lang == "en" else "找到 2 人") in text
        assert "李明华" not in text
        assert escape_does(checklist) == "clear_search"
        await pilot.press("enter", "x", "u")  # 张三 absent (moves on), 赵四 excused
        assert len(checklist.marks) == 60

        # Typed into the box, x is a letter of the query, never a mark.
        await pilot.press("slash")
        await type_text(pilot, "cxm")  # the search's old text was selected: replaced
        await settle(pilot)
        assert checklist.search.value == "cxm"
        assert shown(checklist) == ["曾小明"]  # 曾 read as ceng too
        assert len(checklist.marks) == 60
        await pilot.press("down", "x")

        await pilot.press("escape")  # the search goes; everyone again, on the same person
        await settle(pilot)
        assert checklist.search.value == ""
        assert len(shown(checklist)) == 60
        assert current(checklist) == "曾小明"
        assert checklist.focused is checklist.query_one(Checklist)
        assert escape_does(checklist) == "back"
        text = screen_text(app)
        counts = "60 listed · 57 present · 2 absent · 1 excused" if lang == "en" else "缺勤 2"
        assert counts in text

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(stored(db_path)[0]["attendance"]), "the save")
        rows = {a["member_id"]: a["status"] for a in stored(db_path)[0]["attendance"]}
        assert rows.pop(ids["张三"]) == "absent"
        assert rows.pop(ids["赵四"]) == "excused"
        assert rows.pop(ids["曾小明"]) == "absent"
        assert set(rows.values()) == {"present"} and len(rows) == 57


async def test_full_pinyin_and_chinese_find_one_and_a_marks_only_those_found(
    db_path: Path,
) -> None:
    ids = big_roster(db_path)
    app = app_for(db_path, "zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot)
        await pilot.press("slash")
        await type_text(pilot, "zhangsan")
        await settle(pilot)
        assert shown(checklist) == ["张三"]
        await pilot.press("ctrl+u")
        await type_text(pilot, "赵")
        await settle(pilot)
        assert shown(checklist) == ["赵四"]
        await pilot.press("ctrl+u")
        await type_text(pilot, "zs")
        await settle(pilot)
        await pilot.press("enter", "a")  # only the two found, not the 58 out of sight
        assert {checklist.marks.pending.get(ids[n]) for n in ("张三", "赵四")} == {"present"}
        assert len(checklist.marks) == 2
        await pilot.press("slash")
        await type_text(pilot, "qqq")
        await settle(pilot)
        assert shown(checklist) == []
        assert "找到 0 人" in screen_text(app)
        await pilot.press("escape")  # from the box: the search goes
        await settle(pilot)
        assert len(shown(checklist)) == 60 and len(checklist.marks) == 2
        await pilot.press("escape")  # then back, asking first: the two marks are unsaved
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "标记尚未保存。要放弃吗？" in screen_text(app)
        assert Database(db_path).snapshot().all("trainings")[0]["attendance"] == []


async def test_the_search_stays_when_another_session_saves(db_path: Path) -> None:
    ids = big_roster(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot)
        await pilot.press("slash")
        await type_text(pilot, "zs")
        await pilot.press("enter", "down")  # on 赵四
        await settle(pilot)
        doc = Database(db_path).snapshot().all("trainings")[0]
        training.record_attendance(
            database(db_path), TEST_ACTOR, doc["id"], {ids["赵四"]: "excused"}, doc["version"]
        )
        app.check_for_changes()
        await wait_until(
            pilot, lambda: checklist.view.session.version == doc["version"] + 1, "the reload"
        )
        await settle(pilot)
        assert checklist.search.value == "zs"
        assert shown(checklist) == ["张三", "赵四"] and current(checklist) == "赵四"
        assert "Excused" in screen_text(app)


async def test_a_member_stored_without_pinyin_keys_is_in_order_and_found(db_path: Path) -> None:
    """张三 written by hand without keys: listed in pinyin order (not last, where its folded name
    sorted it before), found by ``zs``, and marked and saved like anyone."""
    roster(db_path, ("王五", "赵六"))
    db = database(db_path)
    with db.transaction(TEST_ACTOR) as tx:  # as another program would leave it: no keys
        zhang = tx.insert("members", {"name": "张三", "category": "retired", "branch": "第1党支部"})
    training.add_session(db, TEST_ACTOR, {"title": "七一党课", "date": "2026-07-01", "hours": 2})
    app = app_for(db_path, "zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_checklist(pilot)
        assert shown(checklist) == ["王五", "张三", "赵六"]
        await pilot.press("slash")
        await type_text(pilot, "zs")
        await settle(pilot)
        assert shown(checklist) == ["张三"]
        assert "找到 1 人" in screen_text(app)
        await pilot.press("enter", "x", "ctrl+s")
        await wait_until(pilot, lambda: bool(stored(db_path)[0]["attendance"]), "the save")
        rows = {a["member_id"]: a["status"] for a in stored(db_path)[0]["attendance"]}
        assert rows == {zhang["id"]: "absent"}
