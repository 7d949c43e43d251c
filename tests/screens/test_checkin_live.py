"""The patrol check-in dialog follows other sessions (80x24): another session's marks, and
people put on or taken off the shift, come in while the dialog is open, the person's own
unsaved marks stay, a line says what changed, and a save never overwrites a mark made
elsewhere without asking (the shared conflict question).

Another Database on the same real file, or a real process, plays the other session; the App's
change watcher is run at once (``check_for_changes``) instead of waiting its second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from screens.patrols.checkin import CheckInDialog, Marks, Stored, merge
from screens.patrols.shift import ShiftScreen
from screens.shell.dialogs import ConflictDialog
from store.enums import AssignmentStatus
from store.patrols import assign
from tests.screens.helpers import SIZE, screen_text, settle, wait_until, widget_text
from tests.screens.patrol_helpers import (
    ROOT,
    TODAY,
    app_for,
    database,
    fixed_clock,
    open_check_in,
    patrol_week,
    statuses_on,
)

HERE = Path(__file__).resolve().parents[2]
PRESENT, ABSENT, SCHEDULED = (
    AssignmentStatus.PRESENT,
    AssignmentStatus.ABSENT,
    AssignmentStatus.SCHEDULED,
)


def today_shift(db_path: Path) -> tuple[dict[str, str], str]:
    """The patrol week; its members' ids by name and today's evening shift (张三, 李四 on it)."""
    world = patrol_week(db_path)
    return world["people"], world["shifts"][TODAY.isoformat()]


def said(dialog: CheckInDialog) -> str:
    """The line under the list as shown (wrapped lines joined)."""
    return " ".join(widget_text(dialog.app, dialog.query_one("#checkin-message")).split())


def line_of(app: Any, name: str) -> str:
    return next(line for line in screen_text(app).splitlines() if name in line)


async def test_others_marks_and_people_come_in_and_mine_stay(db_path: Path) -> None:
    people, shift_id = today_shift(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await pilot.press("down", "p")  # 张三 present (not saved; 李四 comes first, by pinyin)
        await settle(pilot)
        other = database(db_path)
        assign.check_in(other, ROOT, shift_id, {people["李四"]: ABSENT})
        assign.assign(other, ROOT, shift_id, people["王五"])
        app.check_for_changes()
        await wait_until(pilot, lambda: "Another session changed" in said(dialog), "the change")
        assert said(dialog) == (
            "Another session changed this shift: 李四 marked Absent elsewhere, "
            "王五 put on the shift."
        )
        assert "Present" in line_of(app, "张三")  # mine, still not saved
        assert "Absent" in line_of(app, "李四") and "Scheduled" in line_of(app, "王五")
        assert statuses_on(db_path, shift_id)[people["张三"]] is SCHEDULED
        # Taken off elsewhere: gone from the list, and said.
        assign.unassign(other, ROOT, shift_id, people["王五"])
        app.check_for_changes()
        await wait_until(pilot, lambda: "王五" not in dialog.statuses, "王五 gone")
        await settle(pilot)
        assert said(dialog) == "Another session changed this shift: 王五 taken off the shift."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "saved")
    assert statuses_on(db_path, shift_id) == {people["张三"]: PRESENT, people["李四"]: ABSENT}


async def test_a_mark_saved_elsewhere_is_never_overwritten_unseen(db_path: Path) -> None:
    """Both mark 李四 before the dialog hears of it: the save asks; cancel keeps my marks and
    saves nothing; reload takes theirs for 李四 and keeps mine for 张三."""
    people, shift_id = today_shift(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await pilot.press("p", "p")  # 张三 and 李四 present
        await settle(pilot)
        assign.check_in(database(db_path), ROOT, shift_id, {people["李四"]: ABSENT})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        text = " ".join(screen_text(app).split())
        assert "Someone else checked people in on this shift" in text
        assert "Their changes: 李四: Absent." in text
        assert statuses_on(db_path, shift_id)[people["张三"]] is SCHEDULED  # nothing saved
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is dialog, "back in the check-in")
        assert dialog.statuses[people["李四"]] is PRESENT  # mine kept
        await settle(pilot)
        # "Not saved: your marks are still here.", or, if the App's watcher has meanwhile told
        # the dialog of the other save, that line: "... (yours: Present, not saved)."
        assert "not saved" in said(dialog).lower()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "asked again")
        await pilot.press("r")  # reload theirs
        await wait_until(pilot, lambda: app.screen is dialog, "back in the check-in")
        await settle(pilot)
        assert "Absent" in line_of(app, "李四") and "Present" in line_of(app, "张三")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "saved")
    assert statuses_on(db_path, shift_id) == {people["张三"]: PRESENT, people["李四"]: ABSENT}


async def test_a_real_process_marks_the_same_person_and_overwrite_is_a_choice(
    db_path: Path,
) -> None:
    """Another process marks 李四 absent while I have marked him present: the dialog says so at
    once, and my save still asks; "overwrite with mine" then saves mine."""
    people, shift_id = today_shift(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await pilot.press("p")  # 李四 present (the first, by pinyin)
        await settle(pilot)
        code = textwrap.dedent(
            f"""
            import datetime as dt
            from store.actor import Actor, Role
            from store.engine.database import Database
            from store.enums import AssignmentStatus
            from store.patrols import assign
            now = dt.datetime.fromisoformat({fixed_clock()().isoformat()!r})
            db = Database({str(db_path)!r}, clock=lambda: now)
            assign.check_in(db, Actor("os:other", Role.ADMIN), {shift_id!r},
                            {{{people["李四"]!r}: AssignmentStatus.ABSENT}})
            """
        )
        env = {**os.environ, "PYTHONPATH": str(HERE)}
        subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE, env=env, timeout=60)
        app.check_for_changes()
        await wait_until(pilot, lambda: "elsewhere" in said(dialog), "the change said")
        assert said(dialog) == (
            "Another session changed this shift: "
            "李四 marked Absent elsewhere (yours: Present, not saved)."
        )
        assert dialog.statuses[people["李四"]] is PRESENT
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("o")  # overwrite with mine
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "saved")
    assert statuses_on(db_path, shift_id) == {people["张三"]: SCHEDULED, people["李四"]: PRESENT}


def test_merge_keeps_mine_takes_theirs_and_says_what_changed() -> None:
    marks = Marks(
        names={"a": "甲", "b": "乙", "c": "丙"},
        before={"a": SCHEDULED, "b": SCHEDULED, "c": SCHEDULED},
        shown={"a": PRESENT, "b": SCHEDULED, "c": ABSENT},
    )
    merged, said = merge(
        marks,
        [Stored("a", "甲", SCHEDULED), Stored("b", "乙", ABSENT), Stored("d", "丁", SCHEDULED)],
    )
    assert merged.shown == {"a": PRESENT, "b": ABSENT, "d": SCHEDULED}
    assert merged.changed() == {"a": PRESENT}
    assert said == [
        "乙 marked Absent elsewhere",
        "丁 put on the shift",
        "丙 taken off the shift; your mark dropped",
    ]
    # They marked the same as I did: nothing left to save, nothing to say.
    same, said = merge(merged, [Stored("a", "甲", PRESENT), Stored("b", "乙", ABSENT)])
    assert same.changed() == {} and said == ["丁 taken off the shift"]


async def test_in_chinese_the_change_is_said_in_chinese(db_path: Path) -> None:
    people, shift_id = today_shift(db_path)
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await pilot.press("p")  # 李四 出勤 (the first, by pinyin)
        await settle(pilot)
        other = database(db_path)
        assign.check_in(other, ROOT, shift_id, {people["张三"]: ABSENT, people["李四"]: ABSENT})
        app.check_for_changes()
        await wait_until(pilot, lambda: "别人改动了" in said(dialog), "the change said")
        assert said(dialog) == (
            "别人改动了这个班次：李四 已在别处标为缺勤（您标的出勤尚未保存）、"
            "张三 已在别处标为缺勤。"
        )
        assert "缺勤" in line_of(app, "张三") and "出勤" in line_of(app, "李四")
    assert statuses_on(db_path, shift_id)[people["李四"]] is ABSENT


async def test_esc_asks_before_dropping_unsaved_marks(db_path: Path) -> None:
    from screens.shell.dialogs import ConfirmDialog

    people, shift_id = today_shift(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await pilot.press("p")  # 李四 (the first, by pinyin)
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "The check-in is not saved. Drop it?" in screen_text(app)
        await pilot.press("n")  # keep editing
        await wait_until(pilot, lambda: app.screen is dialog, "back in the check-in")
        assert dialog.statuses[people["李四"]] is PRESENT
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "asked again")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "dropped")
    assert statuses_on(db_path, shift_id)[people["李四"]] is SCHEDULED
