"""An import applies the file's changes to the roster as it is when Ctrl+S is pressed, never the
preview's copy of it: members changed, archived, deleted or restored since the file was read are
reported and left alone, and an update writes only the fields the file sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor, Role
from store.engine import audit
from store.engine.check import check
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import Stopped
from store.members import ops as members
from store.members.importing import ImportPlan, apply_import, plan_import

OTHER = Actor("other-session", Role.ADMIN)
ROW = "姓名,联系电话,家庭住址\n张三,13800000001,14栋3单元803室\n"


@pytest.fixture
def member(db: Database) -> dict[str, Any]:
    return members.add(
        db,
        OTHER,
        {
            "name": "张三",
            "phone": "13800000001",
            "grid": "一网格",
            "notes": "老党员",
            "roles": ["楼长"],
        },
    )


@pytest.fixture
def plan(db: Database, member: dict[str, Any], tmp_path: Path) -> ImportPlan:
    path = tmp_path / "one.csv"
    path.write_text(ROW, encoding="utf-8")
    planned = plan_import(db, path)
    assert [(row.row, sorted(row.changed)) for row in planned.updated] == [
        (2, ["building", "room", "unit"])
    ]
    return planned


def _now(db: Database, member_id: str) -> dict[str, Any]:
    doc = db.snapshot().get(members.TABLE, member_id)
    assert doc is not None
    return dict(doc)


def _their_lines(db: Database, who: str) -> list[dict[str, Any]]:
    """The member changes ``who`` made (an import's own summary line aside)."""
    return [
        e
        for e in audit.read(db.audit_path)
        if e.get("who") == who and e.get("table") == members.TABLE
    ]


def test_an_update_writes_only_the_files_fields(
    db: Database, actor: Actor, member: dict[str, Any], plan: ImportPlan
) -> None:
    result = apply_import(db, actor, plan)
    assert (result.updated, result.stale) == (1, ())
    now = _now(db, member["id"])
    assert (now["building"], now["unit"], now["room"]) == ("14", "3", "803")
    assert (now["grid"], now["notes"], now["roles"]) == ("一网格", "老党员", ["楼长"])
    [line] = _their_lines(db, actor.name)
    assert set(line["after"]) == {"building", "unit", "room"}


def test_a_member_edited_and_archived_meanwhile_is_left_alone(
    db: Database, actor: Actor, member: dict[str, Any], plan: ImportPlan
) -> None:
    """The issue's first case: education set and the member archived after the preview."""
    edited = members.update(db, OTHER, member["id"], {"education": "大学"}, member["version"])
    members.set_status(db, OTHER, member["id"], MemberStatus.ARCHIVED, edited["version"])
    before = _now(db, member["id"])
    result = apply_import(db, actor, plan)
    assert (result.added, result.updated) == (0, 0)
    assert [(row.row, row.name) for row in result.stale] == [(2, "张三")]
    assert _now(db, member["id"]) == before  # education kept, still archived
    assert _their_lines(db, actor.name) == []  # the log blames nobody for nothing


def test_a_member_deleted_meanwhile_is_not_brought_back(
    db: Database, actor: Actor, admin: Actor, member: dict[str, Any], plan: ImportPlan
) -> None:
    members.delete(db, admin, member["id"], member["version"])
    result = apply_import(db, actor, plan)
    assert [row.name for row in result.stale] == ["张三"]
    assert db.snapshot().all(members.TABLE) == []


def test_a_restore_made_meanwhile_is_not_undone(
    db: Database, actor: Actor, admin: Actor, member: dict[str, Any], tmp_path: Path
) -> None:
    backup = db.backup()
    members.update(db, OTHER, member["id"], {"grid": "二网格"}, member["version"])
    path = tmp_path / "one.csv"
    path.write_text(ROW, encoding="utf-8")
    plan = plan_import(db, path)  # planned on the 二网格 version
    db.restore(backup, admin)  # back to 一网格: same data as before the edit, not the plan's
    result = apply_import(db, actor, plan)
    assert [row.name for row in result.stale] == ["张三"]
    assert _now(db, member["id"])["grid"] == "一网格"
    assert check(db) == []


def test_reading_again_plans_against_the_member_as_it_is_now(
    db: Database, actor: Actor, member: dict[str, Any], plan: ImportPlan
) -> None:
    members.update(db, OTHER, member["id"], {"education": "大学"}, member["version"])
    assert apply_import(db, actor, plan).stale
    again = plan_import(db, plan.path)
    assert apply_import(db, actor, again).updated == 1
    now = _now(db, member["id"])
    assert (now["education"], now["building"], now["notes"]) == ("大学", "14", "老党员")
    assert check(db) == []


def test_stale_rows_do_not_stop_the_others(
    db: Database, actor: Actor, member: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "two.csv"
    path.write_text(ROW + "李四,13800000002,1栋\n", encoding="utf-8")
    plan = plan_import(db, path)
    members.update(db, OTHER, member["id"], {"education": "大学"}, member["version"])
    result = apply_import(db, actor, plan)
    assert (result.added, result.updated, len(result.stale)) == (1, 0, 1)
    assert sorted(d["name"] for d in db.snapshot().all(members.TABLE)) == ["张三", "李四"]


@pytest.mark.parametrize("asked", [1, 2, 3])
def test_an_import_stopped_before_its_commit_writes_nothing(
    db: Database, actor: Actor, tmp_path: Path, asked: int
) -> None:
    """Esc during a long import: whenever ``stop`` says so (a row, the additions, the last moment
    before the commit), the file and its change log are byte for byte as they were."""
    path = tmp_path / "two.csv"
    path.write_text(
        "姓名,联系电话\n李四,13800000002\n王五,13800000003\n赵六,13800000004\n", encoding="utf-8"
    )
    members.add(db, OTHER, {"name": "张三"})
    planned = plan_import(db, path)
    before = (db.path.read_bytes(), db.audit_path.read_bytes())
    calls = 0

    def stop() -> bool:
        nonlocal calls
        calls += 1
        return calls >= asked

    with pytest.raises(Stopped):
        apply_import(db, actor, planned, stop)
    assert (db.path.read_bytes(), db.audit_path.read_bytes()) == before
    assert apply_import(db, actor, planned).added == 3  # and it can be done after all
