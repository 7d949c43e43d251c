"""An open dialog reads again only when another session's save touched a table it shows
(screens/shell/live.py ``VIEW_TABLES``), or when what changed cannot be told (a file replaced).

The other session writes through the store, as another process would; the dialog learns it
from the App's stat watcher. Its reads are counted by wrapping what it reads with.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from screens.patrols import assign as assign_dialog
from screens.patrols import checkin
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.members import ops as members
from store.patrols import assign
from tests.screens.helpers import screen_lines, settle, type_text, wait_until
from tests.screens.live_helpers import (
    app_for,
    count_calls,
    current,
    line_of,
    open_assign,
    pick_member,
    soon,
)
from tests.screens.patrol_helpers import (
    MONDAY,
    ROOT,
    TODAY,
    fixed_clock,
    open_check_in,
    patrol_week,
)
from tests.screens.patrol_helpers import app_for as patrol_app
from tui.factory import make_app

SIZE = (80, 24)


def replace_by_hand(db_path: Path) -> None:
    """The file replaced by an identical copy (as a hand edit or a copy back would): another
    inode, the same transaction, so the log cannot say what changed."""
    copy = db_path.with_name("copy.json")
    shutil.copyfile(db_path, copy)
    os.replace(copy, db_path)


async def test_the_assign_list_reads_again_only_for_its_tables(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    db = Database(db_path, clock=fixed_clock())
    people = world["people"]
    builds = count_calls(monkeypatch, assign_dialog, "CandidateIndex")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_assign(pilot, world["shifts"][MONDAY.isoformat()])
        await type_text(pilot, "/z")
        await pilot.press("down")  # on to the list: 张三
        await settle(pilot)
        chosen = dialog.list.current
        assert chosen == people["张三"] and dialog.search.value == "z"
        assert len(builds) == 1

        # A contact saved elsewhere: the dialog looks, and reads nothing.
        contacts.add_contact(db, ROOT, people["李四"], {"date": TODAY.isoformat()})
        await soon(lambda: current(app, dialog.data_token), "the look at the new file")
        await settle(pilot)
        assert len(builds) == 1
        assert dialog.search.value == "z" and dialog.list.current == chosen

        # A shift saved elsewhere: read again, the search text and the selection kept.
        before = line_of(app, "张三")
        assign.assign(
            db, ROOT, world["shifts"][(MONDAY + dt.timedelta(days=1)).isoformat()], chosen
        )
        await soon(lambda: len(builds) == 2, "the read after a shift changed")
        await soon(lambda: line_of(app, "张三") not in ("", before), "the new hint")
        assert dialog.search.value == "z"
        assert dialog.list.current == chosen
        assert app.focused is dialog.list

        # A change the log cannot spell out: read again, to be sure.
        replace_by_hand(db_path)
        await soon(lambda: len(builds) == 3, "the read after the file was replaced")
        await settle(pilot)
        assert dialog.search.value == "z" and dialog.list.current == chosen


async def test_the_check_in_reads_again_only_for_its_tables(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    db = Database(db_path, clock=fixed_clock())
    people = world["people"]
    shift_id = world["shifts"][TODAY.isoformat()]
    reads = count_calls(monkeypatch, checkin, "read_places")
    app = patrol_app(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_check_in(pilot, shift_id)
        await settle(pilot)
        first = len(reads)
        await pilot.press("down", "b")  # 张三 (after 李四, in the roster's order) absent, not saved

        contacts.add_contact(db, ROOT, people["李四"], {"date": TODAY.isoformat()})
        await soon(lambda: current(app, dialog.data_token), "the look at the new file")
        await settle(pilot)
        assert len(reads) == first

        assign.check_in(db, ROOT, shift_id, {people["李四"]: AssignmentStatus.PRESENT})
        await soon(lambda: len(reads) == first + 1, "the read after the shift changed")
        await soon(lambda: "Present" in line_of(app, "李四"), "their mark")
        assert dialog.changed() == {people["张三"]: AssignmentStatus.ABSENT}  # mine kept


async def test_the_member_picker_reads_again_only_for_the_members(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_path)
    wang = members.add(db, ROOT, {"name": "王五", "birth_date": "1965-01-01"})["id"]
    indexes = count_calls(monkeypatch, members, "MemberIndex")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await pick_member(pilot, "wang")
        await wait_until(pilot, lambda: picker.member_id == wang, "a match")
        assert len(indexes) == 1

        contacts.add_contact(db, ROOT, wang, {"date": "2026-12-01"})
        await soon(lambda: current(app, form.data_token), "the look at the new file")
        await settle(pilot)
        assert len(indexes) == 1

        members.add(db, ROOT, {"name": "王小明", "birth_date": "1970-05-01"})
        await soon(lambda: len(indexes) == 2, "the read after a member was added")
        await soon(lambda: "王小明" in " ".join(screen_lines(app)), "the new member")
        assert picker.value == "wang" and picker.member_id == wang
