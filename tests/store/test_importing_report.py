"""The import's report file (CSV for Excel) and its line in the change log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine import audit
from store.engine.database import Database
from store.engine.output import OutputRefused
from store.errors import PermissionDenied
from store.members.import_report import write_report
from store.members.importing import apply_import, plan_import
from tests.paths import FIXTURES

HOSTILE = FIXTURES / "roster-hostile.csv"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json")


def test_the_report_lists_every_warning_and_refusal_for_excel(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    plan = plan_import(db, HOSTILE)
    out = tmp_path / "report.csv"
    assert write_report(db, actor, plan, out) == len(plan.warnings) + len(plan.refused) == 7
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Row", "Column", "Value", "Message"]
    assert [row[0] for row in rows[1:]] == ["5", "6", "7", "7", "7", "8", "9"]
    formula = rows[1]
    assert formula[1] == "联系电话"
    assert formula[2].startswith("'=HYPERLINK(")  # quoted back as text, never run
    assert rows[3][1:3] == ["出生年月", "1965-02-30"]
    assert rows[3][3].startswith("Row 7 (No. 6): 出生年月 “1965-02-30”:")
    assert not db.path.exists()  # the report writes nothing into the database


def test_the_report_is_never_written_over_the_database(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    plan = plan_import(db, HOSTILE)
    apply_import(db, actor, plan)
    before = db.path.read_bytes()
    with pytest.raises(OutputRefused):
        write_report(db, actor, plan, db.path)
    assert db.path.read_bytes() == before
    with pytest.raises(PermissionDenied):
        write_report(db, Actor("v", Role.VOLUNTEER), plan, tmp_path / "r.csv")


def test_the_change_log_keeps_the_file_and_the_counts(db: Database, actor: Actor) -> None:
    apply_import(db, actor, plan_import(db, HOSTILE))
    notes = [e for e in audit.read(db.audit_path) if e.get("op") == "import"]
    (entry,) = notes
    assert entry["after"] == {
        "file": "roster-hostile.csv",
        "sheet": "",
        "added": 5,
        "updated": 0,
        "unchanged": 0,
        "warned": 2,
        "refused": 3,
        "stale": 0,
    }
