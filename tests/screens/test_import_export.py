"""The import screen and the export dialog by keyboard at 80x24: what they show, what they write.

Import: a path and Enter show the preview (nothing written), Ctrl+S writes the good rows, the
same file again adds nothing; bad paths are said at the field; Esc steps back or stops reading.
Export: CSV or XLSX to a temp folder and read back, an existing file is replaced only when the
person says so, a bad folder or a full disk is said at the path field and leaves nothing behind.
Volunteers are refused both.
"""

from __future__ import annotations

import csv
import errno
import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from textual.pilot import Pilot

from screens.shell.dialogs import ConfirmDialog
from screens.transfer.exporting import ExportDialog
from screens.transfer.importing import ImportScreen
from screens.widgets.text import SafeLabel
from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members
from store.members.importing import ImportPlan
from tests.screens.helpers import (
    SIZE,
    add_records,
    enter_as,
    footer_text,
    foreign_sequences,
    notes,
    screen_text,
    settle,
    terminal_output,
    type_text,
    unwrapped,
    wait_until,
    widget_text,
)
from tests.screens.import_helpers import (
    BOM,
    GBK,
    HOSTILE,
    listed,
    open_import,
    read,
    status,
    stored_names,
)
from tui.app import ShequApp
from tui.factory import make_app

ADMIN = Actor("root", Role.ADMIN)
SnapCompare = Callable[..., bool]


# -- import -------------------------------------------------------------------------------------


async def test_the_hostile_file_is_previewed_then_imported(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_import(pilot)
        assert "Enter Read file" in footer_text(app)
        await read(pilot, screen, HOSTILE)
        assert screen.phase == "preview"
        assert "Read file" not in footer_text(app)
        text = screen_text(app)
        assert "File: roster-hostile.csv (UTF-8 with BOM)" in text
        assert "5 to add · 0 to update · 0 unchanged · 2 with warnings · 3 refused" in text
        for row in (5, 6, 7, 8, 9):
            assert f"Row {row} (No. {row - 1}):" in listed(screen)
        assert "Row 9 (No. 8): 出生年月 “2030-01-01”: The birth date is in the future." in (
            listed(screen)
        )
        assert "Import" in footer_text(app)
        assert stored_names(db_path) == []  # the preview wrote nothing
        assert foreign_sequences(terminal_output(app)).count("\x1b") == 0

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.phase == "done", "the import")
        await settle(pilot)
        line = "Imported: 5 added, 0 updated, 0 unchanged, 2 with warnings, 3 refused."
        assert line in status(screen)
        assert line in notes(app)
        assert "Import" not in footer_text(app)  # done: nothing more to import
        assert stored_names(db_path) == ["[bold]王五[/bold]", "周九", "赵六[/]", "郑十一", "钱七"]

        await pilot.press("escape")  # after the import, back to where the screen came from
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)

        again = await open_import_again(pilot)
        await read(pilot, again, HOSTILE)
        text = screen_text(app)
        assert "0 to add · 0 to update · 5 unchanged · 2 with warnings · 3 refused" in text
        assert "Nothing to add or update" in status(again)
        assert "Import" not in footer_text(app)  # Ctrl+S is not offered
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert again.phase == "preview"
    assert len(stored_names(db_path)) == 5


async def open_import_again(pilot: Pilot[None]) -> ImportScreen:
    app = pilot.app
    assert isinstance(app, ShequApp)
    screen = ImportScreen(app.session, "Import members")
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_markup_and_escapes_from_the_file_reach_the_screen_literally(
    db_path: Path, tmp_path: Path
) -> None:
    members.add(Database(db_path), ADMIN, {"name": "[b]老张[/b]", "phone": "13800000001"})
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(
        "姓名,联系电话,党员类别,网格\n"
        "[b]老张[/b],13800000001,retired,二网格\n"  # an update: the name is shown
        "李四,13800000002,[red]红[/],\n"  # the unknown category is quoted in the message
        "王五,13800000003,\x1b]0;pwned\x07类别,\n"
        "\x9b31m赵六,13800000004,\x1b[2J,\n",
        encoding="utf-8",
    )
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, hostile)
        assert screen.phase == "preview"
        text = screen_text(app)
        assert "3 to add · 1 to update · 0 unchanged · 3 with warnings · 0 refused" in text
        assert "[red]红[/]" in text  # markup shown as typed, not applied
        assert "Row 2: [b]老张[/b]: Grid" in listed(screen)
        assert "pwned" not in text and "pwned" not in listed(screen)
        output = foreign_sequences(terminal_output(app))
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output


async def test_the_roster_fixture_imports_and_reimports_adding_nothing(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, BOM)
        text = screen_text(app)
        assert "67 to add · 0 to update · 0 unchanged · 6 with warnings · 0 refused" in text
        assert "Row 14 (No. 13): 入党时间 “1989.08” is before 出生年月 “1998年4月”." in text
        assert listed(screen).count("Left empty; please check.") == 6
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.phase == "done", "the import")
        assert screen.result is not None
        assert (screen.result.added, screen.result.warned, screen.result.refused) == (67, 6, 0)
        assert len(stored_names(db_path)) == 67

        await pilot.press("escape")
        await settle(pilot)
        again = await open_import_again(pilot)
        await read(pilot, again, BOM)
        assert "0 to add · 0 to update · 67 unchanged · 6 with warnings · 0 refused" in (
            screen_text(app)
        )
    assert len(stored_names(db_path)) == 67


async def test_gbk_is_detected_and_said(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, GBK)
        text = screen_text(app)
        assert "File: roster-gbk.csv (GBK/GB18030)" in text
        assert "65 to add · 0 to update · 0 unchanged · 6 with warnings · 0 refused" in text
        assert "入党时间" in text  # the warnings name the column at fault


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "There is no file missing.csv in"),
        ("folder", "folder", "is a folder: add the file's name after it."),
        ("names.csv", "编号,电话\n1,13800000001\n", "has no name column (姓名 or name)"),
        ("notes.pdf", "%PDF-1.4\n", "notes.pdf is not a CSV or XLSX file."),
        ("old.xls", "\xd0\xcf", "old.xls is an old Excel workbook: save it as .xlsx or CSV"),
        ("empty.csv", "", "empty.csv is empty."),
        ("header.csv", "姓名,电话\n", "has a header row but no members under it."),
        ("broken.xlsx", "not a zip", "broken.xlsx is not a readable XLSX workbook."),
    ],
)
async def test_a_file_that_cant_be_imported_is_said_at_the_field(
    db_path: Path, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, path)
        assert screen.phase == "ask"
        field = screen.path_field
        assert message in field.error
        words = " ".join(screen_text(app).split())
        assert ("! " + field.error)[:20] in words  # at the field, marked without colour
        assert "Import" not in footer_text(app)
        assert screen.focused is field.input  # correct it and press Enter again
    assert not db_path.exists() or stored_names(db_path) == []


async def test_an_empty_path_asks_for_one(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.path_field.error == "Type the path of a CSV or XLSX file."


async def test_relative_paths_start_from_the_current_folder_which_is_listed(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / "花名册.csv").write_text("姓名,联系电话\n张三,13800000001\n", encoding="utf-8")
    (folder / "b.xlsx").write_bytes(b"")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(folder)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        text = screen_text(app)
        assert "A path not starting with / or ~ starts from" in text  # the folder wraps
        where = str(screen.query_one("#import-where", SafeLabel).content)
        assert where.endswith(f"starts from {folder}")
        assert "Spreadsheets there: b.xlsx, 花名册.csv." in text
        await read(pilot, screen, "花名册.csv")
        assert "1 to add · 0 to update · 0 unchanged · 0 with warnings · 0 refused" in (
            screen_text(app)
        )


async def test_esc_steps_back_and_nothing_is_written(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, HOSTILE)
        assert screen.phase == "preview"
        await pilot.press("escape")  # preview -> the path again, as typed
        await settle(pilot)
        assert screen.phase == "ask"
        assert screen.path_field.value == str(HOSTILE)
        assert screen.focused is screen.path_field.input
        assert "File to import" in screen_text(app)
        await pilot.press("escape")  # the path -> back out
        await settle(pilot)
        assert app.screen is not screen
    assert not db_path.exists() or stored_names(db_path) == []


async def test_reading_shows_progress_and_esc_stops_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = threading.Event()

    def slow_plan(
        db: Database, path: Path, progress: Callable[[int, int], None], sheet: str | None = None
    ) -> ImportPlan:
        try:
            for done in range(0, 100_000, 250):
                progress(done, 100_000)
                time.sleep(0.01)
        except BaseException:
            stopped.set()
            raise
        raise AssertionError("the reading was never stopped")

    monkeypatch.setattr("screens.transfer.importing.plan_import", slow_plan)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await type_text(pilot, str(HOSTILE))
        await pilot.press("enter")
        for _ in range(500):
            if "of 100000 rows (Esc stops)" in screen_text(app):
                break
            await pilot.pause(0.01)
        assert "Reading… " in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert stopped.is_set()
        assert screen.phase == "ask"
        assert "Stopped reading; nothing was written." in screen_text(app)
        assert app.screen is screen


async def test_a_volunteer_is_refused_the_import(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_import(pilot, Role.VOLUNTEER)
        refusal = "Only coordinators and admins can import data."
        assert refusal in screen_text(app)
        assert refusal in notes(app)
        screen.path_field.input.disabled = False  # even forced, Enter reads nothing
        screen.path_field.value = str(HOSTILE)
        screen.read_file()
        await settle(pilot)
        assert screen.phase == "ask" and screen.plan is None
    assert not db_path.exists() or stored_names(db_path) == []


def test_the_preview(snap_compare: SnapCompare, db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里社区 Happiness Lane"}])

    async def previewed(pilot: Pilot[None]) -> None:
        screen = await open_import(pilot, Role.COORDINATOR)
        await read(pilot, screen, HOSTILE)
        assert screen.phase == "preview"

    app = make_app(db_path, lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=previewed)


# -- export -------------------------------------------------------------------------------------


def some_members(db_path: Path) -> None:
    db = Database(db_path)
    members.add(db, ADMIN, {"name": "=1+1", "notes": "+cmd", "grid": "@A1"})
    members.add(db, ADMIN, {"name": "张三", "phone": "13800000001"})
    gone = members.add(db, ADMIN, {"name": "归档者"})
    members.set_status(db, ADMIN, gone["id"], MemberStatus.ARCHIVED, gone["version"])


async def open_export(
    pilot: Pilot[None], role: Role = Role.ADMIN, **options: Any
) -> tuple[ExportDialog, list[str | None]]:
    """The dialog, and the list its result lands in."""
    await enter_as(pilot, role)
    app = pilot.app
    assert isinstance(app, ShequApp)
    results: list[str | None] = []
    dialog = ExportDialog(app.session, **options)
    await app.push_screen(dialog, results.append)
    await settle(pilot)
    return dialog, results


async def type_path(pilot: Pilot[None], dialog: ExportDialog, path: Path) -> None:
    """Move to the path field with Enter, clear it and type ``path``."""
    assert dialog.focused is dialog.choice("format").input
    await pilot.press("enter")
    assert dialog.focused is dialog.path_field.input
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, str(path))


async def test_export_csv_by_keyboard(db_path: Path, tmp_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里 社区"}])
    some_members(db_path)
    out = tmp_path / "out" / "roster.csv"
    out.parent.mkdir()
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog, results = await open_export(pilot)
        today = Database(db_path).today().isoformat()
        assert dialog.path_field.value == f"~/幸福里-社区-{today}.csv"
        text = screen_text(app)
        assert "[CSV]  Excel XLSX" in text
        assert "[Leave out]  Include" in text
        assert "Export" in footer_text(app)
        await type_path(pilot, dialog, out)
        await pilot.press("enter")  # to "archived members"
        assert dialog.focused is dialog.choice("archived").input
        await pilot.press("enter")  # the last row: write
        await wait_until(pilot, lambda: bool(results), "the export")
        assert results == [str(out)]
        assert f"Exported 2 members to {out}" in notes(app)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(row["姓名"] for row in rows) == ["'=1+1", "张三"]
    hostile = next(row for row in rows if row["姓名"] == "'=1+1")
    assert (hostile["备注"], hostile["网格"]) == ("'+cmd", "'@A1")
    assert out.stat().st_mode & 0o777 == 0o600  # a roster holds phones and addresses


async def test_export_xlsx_with_archived_members(db_path: Path, tmp_path: Path) -> None:
    some_members(db_path)
    out = tmp_path / "roster.xlsx"
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog, results = await open_export(pilot)
        await pilot.press("right")  # the format: Excel
        await settle(pilot)
        assert dialog.fmt == "xlsx"
        assert dialog.path_field.value.endswith(".xlsx")  # the suggestion follows the format
        assert " CSV  [Excel XLSX]" in screen_text(app)
        await type_path(pilot, dialog, tmp_path / "roster")  # no ending: the format's is added
        await pilot.press("enter", "space")  # archived members: include
        assert dialog.include
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(results), "the export")
        assert results == [str(out)]
        assert f"Exported 3 members to {out}" in notes(app)
    book = openpyxl.load_workbook(out, read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert rows[0][0] == "姓名"
    assert sorted(row[0] for row in rows[1:]) == sorted(["'=1+1", "张三", "归档者"])


async def test_the_format_follows_a_typed_ending(db_path: Path, tmp_path: Path) -> None:
    some_members(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, _results = await open_export(pilot, include_archived=True)
        assert dialog.include
        await type_path(pilot, dialog, tmp_path / "x.XLSX")
        await settle(pilot)
        assert dialog.fmt == "xlsx"
        assert "[Excel XLSX]" in screen_text(app)


async def test_an_existing_file_is_replaced_only_when_confirmed(
    db_path: Path, tmp_path: Path
) -> None:
    some_members(db_path)
    out = tmp_path / "roster.csv"
    out.write_text("keep me", encoding="utf-8")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, results = await open_export(pilot)
        await type_path(pilot, dialog, out)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        question = widget_text(app, app.screen.query_one(".dialog-question"))
        assert unwrapped(question) == unwrapped(f"{out} already exists. Replace it?")
        await pilot.press("enter")  # the focused answer is No
        await settle(pilot)
        assert app.screen is dialog and not results
        assert out.read_text(encoding="utf-8") == "keep me"
        assert "Not written" in screen_text(app)

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(results), "the export")
        assert results == [str(out)]
    assert "张三" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("no-such-folder/roster.csv", "There is no folder"),
        ("a-folder", "is a folder: add a file name after it."),
        ("a-file.txt/roster.csv", "There is no folder"),
    ],
)
async def test_a_bad_place_is_said_at_the_path(
    db_path: Path, tmp_path: Path, where: str, message: str
) -> None:
    some_members(db_path)
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file.txt").write_text("x", encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, results = await open_export(pilot)
        await type_path(pilot, dialog, tmp_path / where)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not dialog.writing, "the export")
        await settle(pilot)
        assert message in dialog.path_field.error
        assert "Nothing was written." in screen_text(app)
        assert app.screen is dialog and not results
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("which", "said"),
    [
        ("database", "is shequ's database"),
        ("change log", "is the database's change log"),
        ("backup", "is in the database's backups folder"),
        ("link", "is shequ's database"),
    ],
)
async def test_shequs_own_files_are_refused_at_the_path(
    db_path: Path, tmp_path: Path, which: str, said: str
) -> None:
    """A slip of the keyboard must not replace every member with a spreadsheet."""
    some_members(db_path)
    db = Database(db_path)
    backup = db.backup("manual")
    victim = {"database": db.path, "change log": db.audit_path, "backup": backup}.get(
        which, db.path
    )
    typed = victim
    if which == "link":
        typed = tmp_path / "roster.csv"
        typed.symlink_to(victim)
    before = victim.read_bytes()
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, results = await open_export(pilot)
        await type_path(pilot, dialog, typed)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not dialog.writing, "the export")
        await settle(pilot)
        assert said in dialog.path_field.error
        assert not isinstance(app.screen, ConfirmDialog)  # refused before "replace it?"
        assert "Nothing was written." in screen_text(app)
        assert app.screen is dialog and not results
    assert victim.read_bytes() == before
    assert not [p for p in victim.parent.iterdir() if p.name.endswith(".tmp")]


async def test_a_full_disk_leaves_the_old_file_whole(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    some_members(db_path)
    out = tmp_path / "roster.csv"
    out.write_text("the old export", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, results = await open_export(pilot)
        await type_path(pilot, dialog, out)
        monkeypatch.setattr("store.engine.storage.os.fsync", full)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: not dialog.writing, "the export")
        await settle(pilot)
        assert "the disk is full" in dialog.path_field.error
        assert app.screen is dialog and not results
    assert out.read_text(encoding="utf-8") == "the old export"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


async def test_a_volunteer_is_refused_the_export(db_path: Path, tmp_path: Path) -> None:
    some_members(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _dialog, results = await open_export(pilot, Role.VOLUNTEER)
        await settle(pilot)
        assert results == [None]
        assert not isinstance(app.screen, ExportDialog)
        assert "Only coordinators and admins can export data." in notes(app)
