"""``shequ patrols list`` and ``shequ export patrols`` run as real processes."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from rich.cells import cell_len

from tests.e2e.cli import no_traceback, shequ
from tests.screens.patrol_helpers import patrol_week


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "shequ.json"
    path.parent.mkdir()
    patrol_week(path)
    return path


def test_list_a_week(db: Path) -> None:
    result = shequ("patrols", "list", "--week", "2026-W49", db=db)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + 8  # the titles and eight shifts
    # A shift that takes exactly two says "2/2" as the screens do ("2 of 2 people"), not "2/2-2";
    # one that takes two to three says "2-3".
    assert any("2026-12-02" in line and " 2/2= " in line and "李四, 张三" in line for line in lines)
    assert not any("2-2" in line for line in lines)
    assert any("/2-3" in line for line in lines)
    mine = shequ("patrols", "list", "--week", "2026-W49", "--member", "wangwu", db=db)
    assert len(mine.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-W60"], "there is no week 60"),
        (["--week", "next"], "not a week"),
    ],
)
def test_a_bad_week_is_a_usage_error_and_nothing_is_written(
    db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.ics"
    result = shequ("export", "patrols", "--format", "ics", "--out", str(out), *args, db=db)
    no_traceback(result)
    assert result.returncode == 2
    assert message in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--member", "没有这个人"], "No member"), (["--team", "九队"], "No team")],
)
def test_an_unknown_member_or_team_says_so(
    db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.csv"
    result = shequ("export", "patrols", "--format", "csv", "--out", str(out), *args, db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert message in result.stderr
    assert not out.exists()


def test_export_ics_csv_and_sheet(db: Path, tmp_path: Path) -> None:
    ics = tmp_path / "zhang.ics"
    done = shequ(
        "export", "patrols", "--format", "ics", "--member", "张三", "--out", str(ics), db=db
    )
    assert done.returncode == 0, done.stderr
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 2
    sheet = tmp_path / "week.txt"
    done = shequ(
        "export",
        "patrols",
        "--format",
        "sheet",
        "--week",
        "2026-W49",
        "--team",
        "一队",
        "--out",
        str(sheet),
        db=db,
    )
    assert done.returncode == 0, done.stderr
    text = sheet.read_text(encoding="utf-8")
    assert "2026-W49" in text and "张三" in text
    # Each shift's heading says how many it takes as the list does: "2/2" or "2/2-3", never "2-2".
    headings = [line for line in text.splitlines() if "19:00-21:00" in line or "08:00" in line]
    assert any(" 2/2 " in line for line in headings), text
    assert any("/2-3 " in line for line in headings), text
    assert "2-2 " not in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    csv_out = tmp_path / "all.csv"
    done = shequ("export", "patrols", "--format", "csv", "--out", str(csv_out), db=db)
    assert done.returncode == 0, done.stderr
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_to_standard_output_and_never_over_the_database(db: Path) -> None:
    sheet = shequ(
        "export", "patrols", "--format", "sheet", "--week", "2026-W49", "--out", "-", db=db
    )
    no_traceback(sheet)
    assert sheet.returncode == 0, sheet.stderr
    assert "2026-W49" in sheet.stdout and "Wrote" not in sheet.stdout
    before = db.read_bytes()
    refused = shequ("export", "patrols", "--format", "csv", "--out", str(db), db=db)
    no_traceback(refused)
    assert refused.returncode == 1
    assert db.read_bytes() == before


def test_check_names_a_shifts_missing_leader_in_a_damaged_file(db: Path) -> None:
    assert shequ("check", db=db).returncode == 0
    # A hand edit: one shift's leader is an id no member has (one record per line on disk).
    lines = db.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if '"start":' in line and '"leader_id":""' in line)
    missing = "f" * 32
    lines[at] = lines[at].replace('"leader_id":""', f'"leader_id":"{missing}"')
    db.write_text("".join(lines), encoding="utf-8")
    result = shequ("check", db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert f"leader_id points to a missing members record ({missing})" in result.stdout
    assert result.stdout.count("points to a missing") == 1
