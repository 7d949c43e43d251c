"""The make-up dialog meeting a session another session saved meanwhile (screens/training/
makeup.py): it says in plain words who saved and what of it matters, asks the shared conflict
question, keeps the day and hours typed, and saves against the session as it is now; in English
and Chinese, checked on screen and in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.shell.dialogs import ConflictDialog
from screens.training.checklist import ChecklistScreen
from screens.training.makeup import MakeupDialog
from store.training import ops as training
from tests.screens.helpers import (
    SIZE,
    TEST_ACTOR,
    on_top,
    screen_text,
    settle,
    type_text,
    unwrapped,
    wait_until,
)
from tests.screens.training_helpers import app_for, database, open_checklist, roster, stored

WORDS = {
    "en": {
        "question": "Someone else saved this session while you typed the make-up.",
        "changes": "Their changes: 李四: Present, others' marks.",
        "not_saved": "The make-up is not saved; the day and hours you typed are still here.",
        "read_again": "The session is read again as they saved it; Ctrl+S saves your make-up.",
    },
    "zh_CN": {
        "question": "您填写补学期间，有人保存了这次学习。",
        "changes": "对方改动了：李四：出勤、其他人的出勤。",
        "not_saved": "补学没有保存；您填写的日期和学时还在。",
        "read_again": "已按对方保存的内容重新读取这次学习；按 Ctrl+S 保存您的补学。",
    },
}


def one_session(db_path: Path) -> tuple[dict[str, str], str]:
    """Four members (李四 first in the checklist) and one session of 3 hours on 30 June."""
    ids = dict(zip(("张三", "李四", "王五", "赵六"), roster(db_path), strict=True))
    session = training.add_session(
        database(db_path), TEST_ACTOR, {"title": "消防安全培训", "date": "2026-06-30", "hours": 3}
    )
    return ids, str(session["id"])


async def open_makeup(pilot: Pilot[Any]) -> MakeupDialog:
    """The make-up of the first person in the checklist (李四), 1 July and 2 hours typed."""
    await open_checklist(pilot)
    await pilot.press("home", "m")
    dialog = await on_top(pilot, MakeupDialog)
    await pilot.press("ctrl+u")
    await type_text(pilot, "2026-07-01")
    await pilot.press("tab", "ctrl+u")
    await type_text(pilot, "2")
    return dialog


def their_save(db_path: Path, ids: dict[str, str], session_id: str) -> None:
    """Another session marks 李四 and 张三 present."""
    marks = {ids["李四"]: "present", ids["张三"]: "present"}
    training.record_attendance(database(db_path), TEST_ACTOR, session_id, marks, 1)


def rows(db_path: Path) -> dict[str, dict[str, Any]]:
    return {row["member_id"]: row for row in stored(db_path)[0]["attendance"]}


async def conflict_shown(pilot: Pilot[Any], lang: str) -> None:
    await pilot.press("ctrl+s")
    await on_top(pilot, ConflictDialog)
    await settle(pilot)
    shown = unwrapped(screen_text(pilot.app))
    words = WORDS[lang]
    assert unwrapped(words["question"]) in shown
    assert unwrapped(words["changes"]) in shown


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_make_up_over_a_session_saved_meanwhile_asks_and_keeps_what_was_typed(
    db_path: Path, lang: str
) -> None:
    ids, session_id = one_session(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_makeup(pilot)
        their_save(db_path, ids, session_id)

        # Cancel: nothing saved, what was typed still there, said in plain words.
        await conflict_shown(pilot, lang)
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is dialog, "back to the make-up")
        await settle(pilot)
        assert unwrapped(WORDS[lang]["not_saved"]) in unwrapped(screen_text(app))
        assert dialog.values() == {"date": "2026-07-01", "hours": "2"}
        assert rows(db_path)[ids["李四"]]["status"] == "present"

        # Reload theirs: the session as it is now, what was typed kept; Ctrl+S then saves.
        await conflict_shown(pilot, lang)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.screen is dialog, "back to the make-up")
        await settle(pilot)
        assert unwrapped(WORDS[lang]["read_again"]) in unwrapped(screen_text(app))
        assert dialog.values() == {"date": "2026-07-01", "hours": "2"}
        assert rows(db_path)[ids["李四"]]["status"] == "present"
        await pilot.press("ctrl+s")
        await on_top(pilot, ChecklistScreen)
        saved = rows(db_path)
        assert saved[ids["李四"]] == {
            "member_id": ids["李四"],
            "status": "make_up",
            "date": "2026-07-01",
            "hours": 2,
        }
        assert saved[ids["张三"]]["status"] == "present"  # their other mark kept
        assert stored(db_path)[0]["version"] == 3


async def test_overwrite_saves_the_make_up_over_their_session(db_path: Path) -> None:
    ids, session_id = one_session(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_makeup(pilot)
        their_save(db_path, ids, session_id)
        await conflict_shown(pilot, "en")
        await pilot.press("o")
        await on_top(pilot, ChecklistScreen)
        saved = rows(db_path)
        assert (saved[ids["李四"]]["status"], saved[ids["李四"]]["hours"]) == ("make_up", 2)
        assert saved[ids["张三"]]["status"] == "present"
