"""ID numbers (身份证号) in an import: checked, filling a missing birth date and sex, stored only
when the settings allow, and never shown whole to a volunteer."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum.cn import ric

from store.actor import Actor, Role
from store.engine.database import Database
from store.members.importing import apply_import, plan_import
from store.parse import parse_id_number
from store.privacy import member_view
from store.settings import ops as settings

ADMIN = Actor("root", Role.ADMIN)
BODY = "11010519600313003"  # born 1960-03-13, 17th digit 3: a man


def valid(body: str = BODY) -> str:
    return body + ric.calc_check_digit(body + "0")  # it reads all but the last character


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json")


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "ids.csv"
    path.write_text("姓名,性别,出生年月,身份证号\n" + "".join(f"{r}\n" for r in rows), "utf-8")
    return path


def test_parse_id_number_checks_the_check_digit() -> None:
    found = parse_id_number(" " + valid().lower() + " ")
    assert (found.birth.isoformat(), found.male) == ("1960-03-13", True)
    wrong = valid()[:-1] + ("0" if valid()[-1] != "0" else "1")
    with pytest.raises(ValueError, match="does not match"):
        parse_id_number(wrong)
    with pytest.raises(ValueError, match="18 characters"):
        parse_id_number("12345")


def test_an_id_number_fills_birth_and_sex_and_is_not_stored_by_default(
    db: Database, tmp_path: Path
) -> None:
    plan = plan_import(db, roster(tmp_path, f"张三,,,{valid()}", f"李四,女,1961.05,{valid()}"))
    assert plan.id_numbers == "dropped" and not plan.warnings
    docs = {row.name: row.doc for row in plan.added}
    assert (docs["张三"]["birth_date"], docs["张三"]["gender"]) == ("1960-03-13", "male")
    assert (docs["李四"]["birth_date"], docs["李四"]["gender"]) == ("1961-05-01", "female")
    assert docs["张三"]["id_number"] == "" and docs["李四"]["id_number"] == ""


def test_a_bad_check_digit_is_a_warning_and_the_person_goes_in(
    db: Database, tmp_path: Path
) -> None:
    bad = valid()[:-1] + ("0" if valid()[-1] != "0" else "1")
    plan = plan_import(db, roster(tmp_path, f"张三,男,1960.03,{bad}"))
    (warning,) = plan.warnings
    assert (warning.row, warning.column, warning.value) == (2, "身份证号", bad)
    assert "does not match" in warning.message
    (row,) = plan.added
    assert row.doc["birth_date"] == "1960-03-01" and row.doc["to_check"] == []


def test_kept_when_the_setting_allows_and_masked_for_a_volunteer(
    db: Database, tmp_path: Path
) -> None:
    settings.update(db, ADMIN, {"store_id_numbers": "yes"}, 0)
    plan = plan_import(db, roster(tmp_path, f"张三,,,{valid()}"))
    assert plan.id_numbers == "kept"
    apply_import(db, ADMIN, plan)
    (doc,) = db.snapshot().all("members")
    assert doc["id_number"] == valid()
    seen = member_view(doc, Actor("v", Role.VOLUNTEER))
    assert seen["id_number"] == "*" * 14 + valid()[-4:]
    assert member_view(doc, Actor("c", Role.COORDINATOR))["id_number"] == valid()
