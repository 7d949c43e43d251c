"""``shequ training list``, ``shequ export training`` and ``shequ report hours`` as real
processes: the files they write, and an unknown session id refused with nothing written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.cells import cell_len

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.training import ops as training
from store.training.service import yearly_service
from tests.e2e.cli import no_traceback, shequ

ROOT = Actor("root", Role.ADMIN)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "shequ.json"
    database = Database(path)
    ids = [
        members.add(database, ROOT, {"name": name, "branch": "第1党支部", "category": "retired"})[
            "id"
        ]
        for name in ("张三", "=HYPERLINK(1)", "欧阳娜娜")
    ]
    session = training.add_session(
        database,
        ROOT,
        {"title": "消防安全培训", "date": "2025-12-31", "hours": 2, "place": "活动室"},
    )
    training.record_attendance(
        database, ROOT, session["id"], {ids[0]: "present", ids[1]: "absent"}, 1
    )
    training.add_session(database, ROOT, {"title": "党课", "date": "2024-06-01", "hours": 1})
    theme = training.add_session(
        database,
        ROOT,
        {
            "title": "主题党日",
            "kind": "theme_day",
            "date": "2025-07-01",
            "hours": 1,
            "service_hours": 3,
        },
    )
    training.record_attendance(database, ROOT, theme["id"], {ids[2]: "present"}, 1)
    with database.transaction(ROOT) as tx:  # a patrol checked in present: 2.5 h of service
        tx.insert(
            "shifts",
            {
                "date": "2025-08-01",
                "start": "19:00",
                "end": "21:30",
                "assignments": [{"member_id": ids[2], "status": "present"}],
            },
        )
    return path


def session_id(db: Path) -> str:
    docs = Database(db).snapshot().all("trainings")
    return next(str(d["id"]) for d in docs if d["title"] == "消防安全培训")


def test_training_list_by_year(db: Path) -> None:
    listed = shequ("training", "list", "--year", "2025", db=db)
    no_traceback(listed)
    assert listed.returncode == 0, listed.stderr
    assert "消防安全培训" in listed.stdout and "党课" not in listed.stdout
    assert session_id(db) in listed.stdout and "1/2" in listed.stdout
    assert "党课" in shequ("training", "list", db=db).stdout


def test_export_attendance_csv_xlsx_and_sheet(db: Path, tmp_path: Path) -> None:
    ident = session_id(db)
    out = tmp_path / "a.csv"
    done = shequ(
        "export", "training", "--session", ident, "--format", "csv", "--out", str(out), db=db
    )
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Category", "Branch", "Attendance"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["张三"][3:5] == ["Present", "2"]
    assert by_name["'=HYPERLINK(1)"][3] == "Absent"  # formula injection defused
    assert by_name["欧阳娜娜"][3] == ""

    book = tmp_path / "a.xlsx"
    assert (
        shequ("export", "training", "--session", ident, "--out", str(book), db=db).returncode == 0
    )
    import openpyxl  # type: ignore[import-untyped]

    sheet = openpyxl.load_workbook(book).active
    assert [c.value for c in sheet[1]][:2] == ["Name", "Category"]

    sheet_path = tmp_path / "sign.txt"
    args = ("export", "training", "--session", ident, "--format", "sheet", "--out", str(sheet_path))
    assert shequ(*args, db=db).returncode == 0
    text = sheet_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "消防安全培训" and "Signature" in text
    assert all(cell_len(line) <= 80 for line in lines)
    names = [line for line in lines if "第1党支部" in line]
    # Chinese and Latin names alike: the signature column starts at the same display column.
    starts = {cell_len(line[: line.index("_")]) for line in names}
    assert len(names) == 3 and len(starts) == 1


def test_an_unknown_session_writes_nothing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = shequ("export", "training", "--session", "nope", "--out", str(out), db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert "There is no training session with the id nope." in result.stderr
    assert not out.exists()


def test_report_hours(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "hours.csv"
    result = shequ("report", "hours", "--year", "2025", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Category",
        "Branch",
        "Required hours",
        "Hours done",
        "Exempt",
        "Behind pace by",
        "Patrol hours",
        "Theme-day hours",
        "Service hours total",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["张三"][3:] == ["32", "2", "", "30", "0", "0", "0"]  # a past year: all 32
    # Theme-day service beside patrol service, as the member detail says it:
    # "Volunteer service in 2025: 5.5 h (patrols 2.5 h + theme days 3 h)".
    assert by_name["欧阳娜娜"][3:] == ["32", "1", "", "31", "2.5", "3", "5.5"]
    database = Database(db)
    ouyang = next(d["id"] for d in database.snapshot().all("members") if d["name"] == "欧阳娜娜")
    assert yearly_service(database.snapshot(), ROOT, ouyang, 2025).total == 5.5
    report = shequ(
        "report",
        "hours",
        "--year",
        "2025",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "h.xlsx"),
        db=db,
    )
    assert report.returncode == 0, report.stderr


def test_the_sign_in_sheet_to_standard_output(db: Path) -> None:
    ident = session_id(db)
    result = shequ(
        "export", "training", "--session", ident, "--format", "sheet", "--out", "-", db=db
    )
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("消防安全培训\n") and "Wrote" not in result.stdout


def test_the_database_itself_is_never_an_export_target(db: Path) -> None:
    before = db.read_bytes()
    result = shequ("report", "hours", "--year", "2025", "--out", str(db), db=db)
    no_traceback(result)
    assert result.returncode == 1
    assert db.read_bytes() == before
