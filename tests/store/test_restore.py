"""A restore keeps conflicts detectable: versions never go backwards, even for a record deleted
and brought back, and pruning never takes the backup being restored or the newest safety copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor
from store.engine import backups
from store.engine.check import check
from store.engine.database import Database
from store.errors import Conflict
from store.members import ops as members
from tests.store.conftest import FakeClock


def _add(db: Database, actor: Actor, name: str) -> dict[str, Any]:
    return members.add(db, actor, {"name": name})


def _rename(db: Database, actor: Actor, member: dict[str, Any], name: str) -> dict[str, Any]:
    return members.update(db, actor, member["id"], {"name": name}, member["version"])


def test_an_edit_begun_before_a_restore_meets_a_conflict(
    db: Database, actor: Actor, admin: Actor, clock: FakeClock
) -> None:
    """The issue's steps: backup; A renames (v2); B opens; restore (v1 again); A renames
    again (v2 again); B saves: a conflict, not a silent overwrite of A's change."""
    member = _add(db, actor, "张三")
    backup = db.backup()
    clock.advance(minutes=1)
    a_first = _rename(db, actor, member, "张三丰")
    b_opened = dict(a_first)  # B opens the member at version 2
    db.restore(backup, admin)
    restored = db.snapshot().get("members", member["id"])
    assert restored is not None
    assert restored["name"] == "张三"
    assert restored["version"] > a_first["version"]  # above any version ever saved
    a_again = _rename(db, actor, dict(restored), "张三峰")
    with pytest.raises(Conflict) as caught:
        _rename(db, actor, b_opened, "张叁")
    assert caught.value.current["name"] == "张三峰"
    stored = db.snapshot().get("members", member["id"])
    assert stored is not None
    assert (stored["name"], stored["version"]) == ("张三峰", a_again["version"])
    assert check(db) == []


def test_a_record_deleted_and_restored_comes_back_above_its_last_version(
    db: Database, actor: Actor, admin: Actor
) -> None:
    member = _add(db, actor, "李四")
    backup = db.backup()
    for n in range(5):  # its version climbs to 6, far above anything else in the file
        member = _rename(db, actor, member, f"李四{n}")
    opened = dict(member)
    members.delete(db, admin, member["id"], member["version"])
    db.restore(backup, admin)
    back = db.snapshot().get("members", member["id"])
    assert back is not None
    assert back["version"] > opened["version"]
    with pytest.raises(Conflict):
        _rename(db, actor, opened, "李肆")


def test_restoring_twice_keeps_climbing(db: Database, actor: Actor, admin: Actor) -> None:
    """A second restore of the same backup must not hand out the first restore's versions."""
    member = _add(db, actor, "王五")
    backup = db.backup()
    db.restore(backup, admin)
    first = db.snapshot().get("members", member["id"])
    assert first is not None
    opened = dict(first)
    db.restore(backup, admin)
    second = db.snapshot().get("members", member["id"])
    assert second is not None
    assert second["version"] > opened["version"]
    with pytest.raises(Conflict):
        _rename(db, actor, opened, "王伍")


def test_a_restore_over_a_damaged_file_still_raises_versions_above_the_backups(
    db: Database, actor: Actor, admin: Actor
) -> None:
    member = _add(db, actor, "赵六")
    member = _rename(db, actor, member, "赵六一")
    backup = db.backup()
    db.path.write_bytes(b"{damaged")
    db.restore(backup, admin)
    back = db.snapshot().get("members", member["id"])
    assert back is not None
    assert back["version"] > member["version"]
    assert check(db) == []


def test_the_restored_file_reads_and_checks_clean_in_another_session(
    db_path: Path, db: Database, actor: Actor, admin: Actor
) -> None:
    _add(db, actor, "钱七")
    backup = db.backup()
    _add(db, actor, "孙八")
    db.restore(backup, admin)
    other = Database(db_path)
    assert [doc["name"] for doc in other.snapshot().all("members")] == ["钱七"]
    assert backups.list_backups(db.backup_dir, db.path)
    assert check(other) == []


# -- which backups pruning keeps ----------------------------------------------------------------


def _kept(db: Database) -> list[str]:
    return [p.name for p in backups.list_backups(db.backup_dir, db.path)]


def test_restoring_the_oldest_backup_keeps_it(
    db_path: Path, actor: Actor, admin: Actor, clock: FakeClock
) -> None:
    """The issue's case: the restore's own safety copy used to push the source out."""
    db = Database(db_path, clock=clock, keep_backups=3)
    _add(db, actor, "周九")
    made = []
    for _n in range(3):
        clock.advance(minutes=1)
        made.append(db.backup())
    oldest = made[0]
    clock.advance(minutes=1)
    safety = db.restore(oldest, admin)
    assert safety is not None
    assert oldest.exists(), "the backup being restored was pruned"
    assert safety.exists()
    assert _kept(db) == [p.name for p in [*made, safety]]  # the 3 newest, and the source


def test_the_newest_safety_copy_outlives_later_backups(
    db_path: Path, actor: Actor, admin: Actor, clock: FakeClock
) -> None:
    db = Database(db_path, clock=clock, keep_backups=3)
    member = _add(db, actor, "吴十")
    source = db.backup()
    clock.advance(minutes=1)
    _rename(db, actor, member, "吴拾")
    safety = db.restore(source, admin)  # the copy of the file the restore replaced
    assert safety is not None
    for _day in range(5):  # five days of saves, each taking its daily backup
        clock.advance(days=1)
        _add(db, actor, "新")
    kept = _kept(db)
    assert safety.name in kept, "the way back from the restore was pruned"
    assert len(kept) == 4  # the 3 newest, and the safety copy
    assert source.name not in kept  # spared only while it was being restored
    older = db.restore(safety, admin)  # and it does bring the replaced file back
    assert older is not None
    names = [doc["name"] for doc in db.snapshot().all("members")]
    assert names == ["吴拾"]
