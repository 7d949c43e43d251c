"""Exporting the roster: BOM, formula cells neutralised, round trips through import (CSV, XLSX)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.actor import Actor, Role
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import PermissionDenied
from store.members import ops as members
from store.members.exporting import export_members
from store.members.importing import apply_import, plan_import
from tests.paths import FIXTURES

ADMIN = Actor("root", Role.ADMIN)
_BOOKKEEPING = ("id", "version", "created_at", "updated_at")


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json")


def _content(db: Database) -> list[dict[str, Any]]:
    docs: list[Mapping[str, Any]] = db.snapshot().all(members.TABLE)
    # "Needs checking" marks what this database's import left empty, not what the sheet says.
    skip = (*_BOOKKEEPING, "to_check")
    rows = [{k: v for k, v in doc.items() if k not in skip} for doc in docs]
    return sorted(rows, key=lambda doc: (doc["name"], str(doc["birth_date"]), doc["phone"]))


def test_csv_export_has_a_bom_and_neutralises_formulas(db: Database, tmp_path: Path) -> None:
    members.add(db, ADMIN, {"name": "=1+1", "notes": "+cmd", "grid": "@A1", "branch": "-2"})
    members.add(db, ADMIN, {"name": "普通", "notes": "正常"})
    out = tmp_path / "out.csv"
    assert export_members(db, ADMIN, out, "csv") == 2
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    hostile = next(row for row in rows if row["姓名"].endswith("=1+1"))
    assert hostile["姓名"] == "'=1+1"
    assert hostile["备注"] == "'+cmd"
    assert hostile["网格"] == "'@A1"
    assert hostile["支部"] == "'-2"
    assert any(row["姓名"] == "普通" for row in rows)


def test_archived_members_only_when_asked(db: Database, tmp_path: Path) -> None:
    kept = members.add(db, ADMIN, {"name": "在册"})
    gone = members.add(db, ADMIN, {"name": "归档"})
    members.set_status(db, ADMIN, gone["id"], MemberStatus.ARCHIVED, gone["version"])
    out = tmp_path / "out.csv"
    assert export_members(db, ADMIN, out, "csv") == 1
    assert "归档" not in out.read_text(encoding="utf-8-sig")
    assert export_members(db, ADMIN, out, "csv", include_inactive=True) == 2
    assert kept["name"] in out.read_text(encoding="utf-8-sig")


def test_volunteers_may_not_export(db: Database, tmp_path: Path) -> None:
    members.add(db, ADMIN, {"name": "张三"})
    out = tmp_path / "out.csv"
    with pytest.raises(PermissionDenied):
        export_members(db, Actor("v", Role.VOLUNTEER), out, "csv")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_fixture_roster_round_trips(db: Database, tmp_path: Path, fmt: str) -> None:
    apply_import(db, ADMIN, plan_import(db, FIXTURES / "roster-utf8-bom.csv"))
    out = tmp_path / f"out.{fmt}"
    count = export_members(db, ADMIN, out, fmt)
    other = Database(tmp_path / "other.json")
    plan = plan_import(other, out)
    assert plan.encoding == ("utf-8-sig" if fmt == "csv" else "xlsx")
    assert not plan.refused and not plan.unknown_columns
    assert apply_import(other, ADMIN, plan).added == count
    assert _content(other) == _content(db)
    # And the export re-imported into its own database changes nothing.
    again = plan_import(db, out)
    assert len(again.unchanged) == count and not again.added and not again.updated


_text = st.text(alphabet=st.sampled_from("张王李赵曾𠮷·abc =+-@'\"，,;\n"), min_size=0, max_size=12)
_member = st.fixed_dictionaries(
    {
        "name": st.text(alphabet=st.sampled_from("张王李赵曾𠮷·=+-@'[]/"), min_size=1, max_size=8),
        "gender": st.sampled_from(["", "male", "female"]),
        "birth_date": st.dates(
            min_value=__import__("datetime").date(1920, 1, 1),
            max_value=__import__("datetime").date(1960, 12, 31),
        ).map(str),
        "category": st.sampled_from(["in_service", "retired", "mobile_in", "mobile_out", "other"]),
        "management": st.sampled_from(["direct", "entrusted", "assisted"]),
        "grid": _text.map(lambda s: " ".join(s.split())),
        "notes": _text,
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_member, min_size=1, max_size=4, unique_by=lambda m: (m["name"], m["birth_date"])))
def test_exported_csv_reimports_to_the_same_data(people: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "a.json")
        for person in people:
            members.add(db, ADMIN, person)
        out = Path(folder) / "out.csv"
        export_members(db, ADMIN, out, "csv")
        other = Database(Path(folder) / "b.json")
        plan = plan_import(other, out)
        assert not plan.refused, [p.message for p in plan.refused]
        apply_import(other, ADMIN, plan)
        assert _content(other) == _content(db)
