"""Messages longer than 80 columns wrap instead of being cut: a warning about a data file with
a 200-character path keeps its reason and its advice, at 80x24, whatever TMPDIR is."""

from __future__ import annotations

from pathlib import Path

from tests.screens.helpers import SIZE, add_records, enter_as, screen_lines, settle, wait_until
from tests.screens.import_helpers import open_import, read, status
from tui.app import ShequApp
from tui.factory import make_app


def long_folder(base: Path) -> Path:
    """A folder whose path is exactly 200 characters long, wherever ``base`` is."""
    path = base
    while len(str(path)) < 200:
        room = 200 - len(str(path)) - 1  # the "/" before the next part
        path = path / ("d" * (room if room <= 60 else min(60, room - 2)))
    path.mkdir(parents=True)
    assert len(str(path)) == 200
    return path


def joined(app: ShequApp) -> str:
    """The screen's text with its lines glued back together and no spaces (a wrap may split
    a path, or drop the space where it breaks)."""
    return "".join("".join(line.split()) for line in screen_lines(app))


def squeezed(text: str) -> str:
    return "".join(text.split())


async def test_a_world_readable_file_with_a_long_path_keeps_its_reason(tmp_path: Path) -> None:
    db_path = long_folder(tmp_path) / "shequ.json"
    add_records(db_path, "members", [{"name": "张三"}])
    db_path.chmod(0o644)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        await settle(pilot)
        text = joined(app)
        assert squeezed(f"{db_path} can be read by every user of this computer") in text
        assert squeezed(f"chmod o-r {db_path}") in text
        assert all(len(line.rstrip()) <= 80 for line in screen_lines(app))


async def test_import_messages_with_a_long_path_wrap(tmp_path: Path) -> None:
    folder = long_folder(tmp_path)
    app = make_app(tmp_path / "shequ.json", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await read(pilot, screen, folder / "花名册.csv")
        assert screen.phase == "ask"
        assert squeezed(f"There is no file 花名册.csv in {folder}.") in joined(app)

        sheet = folder / "r.csv"
        sheet.write_text("姓名,电话\n张三,1\n", encoding="utf-8")
        await read(pilot, screen, sheet)
        await pilot.press("w")
        await wait_until(pilot, lambda: "Wrote 1 line" in status(screen), "the report")
        await settle(pilot)
        shown = joined(app)
        report = folder / "r-import-report.csv"
        said = f"Wrote 1 line to {report}: open it in Excel to fix the spreadsheet."
        assert squeezed(said) in shown
