"""The Database on its own, one process: records, versions, snapshots, audit, modes, backups."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest

import store.engine.storage
from store.actor import Actor
from store.engine import audit, backups
from store.engine.database import Database
from store.engine.migrations import SCHEMA_VERSION
from store.errors import (
    Conflict,
    DatabaseUnreadable,
    NotFound,
    SchemaTooNew,
)
from tests.store.conftest import FakeClock


def _is_uuid4_hex(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 32 or value != value.lower():
        return False
    return uuid.UUID(hex=value).version == 4


def _add(db: Database, actor: Actor, table: str = "members", **fields: Any) -> dict[str, Any]:
    with db.transaction(actor) as tx:
        return tx.insert(table, {"name": "张三", **fields})


# -- records ----------------------------------------------------------------------------------


def test_insert_get_update_delete(db: Database, actor: Actor, clock: FakeClock) -> None:
    rec = _add(db, actor, phone="13800000001")
    assert _is_uuid4_hex(rec["id"])
    assert rec["version"] == 1
    assert rec["created_at"] == rec["updated_at"] == clock.now.isoformat()

    clock.advance(minutes=5)
    with db.transaction(actor) as tx:
        assert tx.get("members", rec["id"]) == rec
        updated = tx.update("members", rec["id"], {"phone": "13800000002"}, expected_version=1)
    assert updated["version"] == 2
    assert updated["phone"] == "13800000002"
    assert updated["created_at"] == rec["created_at"]
    assert updated["updated_at"] == clock.now.isoformat()
    assert db.snapshot().get("members", rec["id"]) == updated

    with db.transaction(actor) as tx:
        updated = tx.update("members", rec["id"], {"name": "李四"}, expected_version=2)
    assert updated["version"] == 3

    with db.transaction(actor) as tx:
        tx.delete("members", rec["id"], expected_version=3)
    assert db.snapshot().get("members", rec["id"]) is None
    assert db.snapshot().count("members") == 0
    with db.transaction(actor) as tx, pytest.raises(NotFound):
        tx.get("members", rec["id"])
    with db.transaction(actor) as tx, pytest.raises(NotFound):
        tx.update("members", rec["id"], {"name": "x"}, expected_version=3)
    with db.transaction(actor) as tx, pytest.raises(NotFound):
        tx.delete("members", rec["id"], expected_version=3)


def test_ids_are_ours_and_doc_ids_never_leave(db: Database, actor: Actor) -> None:
    with db.transaction(actor) as tx:
        made = [tx.insert("members", {"n": i}) for i in range(5)]
    with db.transaction(actor) as tx:  # a delete frees a TinyDB doc_id for reuse
        tx.delete("members", made[4]["id"], expected_version=1)
        made[4] = tx.insert("members", {"n": 4})
    ids = [r["id"] for r in made]
    assert all(_is_uuid4_hex(i) for i in ids)
    assert len(set(ids)) == 5

    expected_keys = {"n", "id", "version", "created_at", "updated_at", "updated_by"}
    with db.transaction(actor) as tx:
        returned: list[Any] = [
            *made,
            tx.get("members", ids[0]),
            tx.find("members", ids[1]),
            *tx.all("members"),
            *tx.search("members", lambda doc: doc["n"] > 1),
        ]
    snap = db.snapshot()
    returned += [*snap.all("members"), snap.get("members", ids[2])]
    for record in returned:
        assert type(record) is dict  # not a tinydb Document carrying .doc_id
        assert not hasattr(record, "doc_id")
        assert set(record) == expected_keys
    # The file keeps TinyDB's layout (doc_id keys), but those keys are not our ids.
    raw = orjson.loads(db.path.read_bytes())
    assert set(raw["members"]) <= {str(i) for i in range(1, 10)}
    assert {doc["id"] for doc in raw["members"].values()} == set(ids)


def test_version_mismatch_is_a_conflict_carrying_the_current_record(
    db: Database, actor: Actor
) -> None:
    rec = _add(db, actor)
    with db.transaction(actor) as tx:
        tx.update("members", rec["id"], {"name": "李四"}, expected_version=1)
    before = db.path.read_bytes()
    with pytest.raises(Conflict) as caught, db.transaction(actor) as tx:
        tx.update("members", rec["id"], {"name": "王五"}, expected_version=1)
    assert caught.value.current["name"] == "李四"
    assert caught.value.current["version"] == 2
    assert caught.value.record_id == rec["id"]
    with pytest.raises(Conflict), db.transaction(actor) as tx:
        tx.delete("members", rec["id"], expected_version=1)
    assert db.path.read_bytes() == before


def test_exception_inside_a_transaction_writes_nothing(db: Database, actor: Actor) -> None:
    rec = _add(db, actor)
    _add(db, actor)  # second write of the day: the daily backup exists now
    before = db.path.read_bytes()
    stat_before = os.stat(db.path)
    audit_before = db.audit_path.read_bytes()
    backups_before = sorted(db.backup_dir.iterdir())
    snap_before = db.snapshot()

    with pytest.raises(RuntimeError, match="boom"), db.transaction(actor) as tx:
        tx.insert("members", {"name": "新"})
        tx.update("members", rec["id"], {"name": "改"}, expected_version=1)
        tx.delete("members", rec["id"], expected_version=2)
        tx.insert("contacts", {"note": "x"})
        raise RuntimeError("boom")

    assert db.path.read_bytes() == before
    after = os.stat(db.path)
    assert (after.st_ino, after.st_mtime_ns) == (stat_before.st_ino, stat_before.st_mtime_ns)
    assert db.audit_path.read_bytes() == audit_before
    assert sorted(db.backup_dir.iterdir()) == backups_before
    snap = db.snapshot()
    assert snap.count("members") == 2
    assert snap.get("members", rec["id"]) == snap_before.get("members", rec["id"])
    assert snap.count("contacts") == 0
    assert list(db.path.parent.glob(".*.tmp")) == []


def test_snapshot_before_an_update_is_unchanged_after_it(db: Database, actor: Actor) -> None:
    rec = _add(db, actor, phone="1", roles=["支部委员"], address={"building": "3"})
    old = db.snapshot()
    old_record = old.get("members", rec["id"])
    assert old_record is not None
    frozen = orjson.dumps(old_record)
    old_all = orjson.dumps(old.all("members"))

    # The natural edit: read inside the transaction, change nested values in place, save.
    with db.transaction(actor) as tx:
        current = tx.get("members", rec["id"])
        current["roles"].append("居委会委员")
        current["address"]["building"] = "4"
        saved = tx.update(
            "members",
            rec["id"],
            {"phone": "2", "roles": current["roles"], "address": current["address"]},
            expected_version=1,
        )
    saved["roles"].append("returned copies are the caller's own")

    assert orjson.dumps(old_record) == frozen
    assert orjson.dumps(old.all("members")) == old_all
    new = db.snapshot().get("members", rec["id"])
    assert new is not None
    assert new["roles"] == ["支部委员", "居委会委员"]
    assert new["address"] == {"building": "4"}
    assert new["phone"] == "2"

    # What a caller passed in and got back from insert is not the stored record either.
    fields: dict[str, Any] = {"name": "x", "tags": ["a"]}
    with db.transaction(actor) as tx:
        made = tx.insert("members", fields)
    fields["tags"].append("b")
    made["tags"].append("c")
    stored = db.snapshot().get("members", made["id"])
    assert stored is not None
    assert stored["tags"] == ["a"]


def test_snapshot_reparses_only_when_the_file_changed(
    db_path: Path, actor: Actor, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Database(db_path, clock=clock)
    reader = Database(db_path, clock=clock)
    _add(writer, actor)
    parses: list[Path] = []
    real_open = store.engine.storage.open_version

    def counting_open(path: Path) -> Any:
        parses.append(path)
        return real_open(path)

    monkeypatch.setattr(store.engine.storage, "open_version", counting_open)

    first = reader.snapshot()
    assert len(parses) == 1
    for _ in range(5):
        again = reader.snapshot()
        assert again.token == first.token
    assert not reader.changed_since(first.token)
    assert len(parses) == 1

    _add(writer, actor)  # the writer's own cache adopts what it wrote: no parse there
    assert len(parses) == 1
    assert writer.snapshot().count("members") == 2
    assert len(parses) == 1

    assert reader.changed_since(first.token)
    second = reader.snapshot()
    assert second.token != first.token
    assert second.count("members") == 2
    assert len(parses) == 1  # the other session's save is followed from the change log
    reader.snapshot()
    with reader.transaction(actor) as tx:  # a transaction re-uses the unchanged version too
        assert len(tx.all("members")) == 2
    assert len(parses) == 1


# -- audit ------------------------------------------------------------------------------------


def test_every_change_is_audited(
    db: Database, actor: Actor, other_actor: Actor, clock: FakeClock
) -> None:
    t0 = clock.now
    rec = _add(db, actor, phone="13800000001", zone="A")
    clock.advance(hours=1)
    t1 = clock.now
    with db.transaction(other_actor) as tx:
        tx.update("members", rec["id"], {"phone": "13800000002", "zone": "A"}, expected_version=1)
    clock.advance(hours=1)
    with db.transaction(actor) as tx:
        tx.delete("members", rec["id"], expected_version=2)
    with db.transaction(actor) as tx:  # reads only: no line
        tx.all("members")

    lines = list(audit.read(db.audit_path))
    assert [(line["op"], line["who"], line["table"], line["id"]) for line in lines] == [
        ("insert", "alice", "members", rec["id"]),
        ("update", "bob", "members", rec["id"]),
        ("delete", "alice", "members", rec["id"]),
    ]
    insert, update, delete = lines
    assert insert["at"] == t0.isoformat()
    assert insert["role"] == "coordinator"
    assert insert["before"] is None
    assert insert["after"] == rec
    assert update["at"] == t1.isoformat()
    assert update["role"] == "volunteer"
    # Only what changed: not zone (same value), not version/updated_at (bookkeeping).
    assert update["before"] == {"phone": "13800000001"}
    assert update["after"] == {"phone": "13800000002"}
    assert delete["before"]["phone"] == "13800000002"
    assert delete["before"]["version"] == 2
    assert delete["after"] is None
    assert len({line["tx"] for line in lines}) == 3


def test_lines_of_one_transaction_share_its_id(db: Database, actor: Actor) -> None:
    with db.transaction(actor) as tx:
        tx.insert("members", {"n": 1})
        tx.insert("teams", {"n": 2})
    lines = list(audit.read(db.audit_path))
    assert len(lines) == 2
    assert lines[0]["tx"] == lines[1]["tx"]


def test_a_torn_last_audit_line_does_not_swallow_the_next_one(db: Database, actor: Actor) -> None:
    _add(db, actor)
    with open(db.audit_path, "ab") as log:  # a crash in the middle of an append
        log.write(b'{"at": "2024-03-01T09:00:00+00:00", "tx": "dead", "op": "ins')
    rec = _add(db, actor, name="后来")
    ops = [(line["op"], line["id"]) for line in audit.read(db.audit_path)]
    assert ops[-1] == ("insert", rec["id"])
    assert len(ops) == 2


# -- modes ------------------------------------------------------------------------------------


def _without_bookkeeping(path: Path) -> dict[str, Any]:
    """A data file's tables without versions and what every write renews in ``_meta``."""
    data: dict[str, Any] = orjson.loads(path.read_bytes())
    noise = {"version", "last_tx", "version_high"}
    return {
        table: {key: {k: v for k, v in doc.items() if k not in noise} for key, doc in docs.items()}
        for table, docs in data.items()
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_are_private_even_with_a_permissive_umask(
    db: Database, actor: Actor, clock: FakeClock, permissive_umask: None, admin: Actor
) -> None:
    _add(db, actor)
    clock.advance(days=1)
    _add(db, actor)  # daily backup
    manual = db.backup()
    created = [db.path, db.lock_path, db.audit_path, manual, *db.backup_dir.iterdir()]
    assert len(created) >= 5
    for path in created:
        assert _mode(path) == 0o600, path
    assert _mode(db.backup_dir) == 0o700
    assert db.check_permissions() is None

    restored_from = db.backup_dir / sorted(p.name for p in db.backup_dir.iterdir())[0]
    db.restore(restored_from, admin)
    for path in [db.path, *db.backup_dir.iterdir()]:
        assert _mode(path) == 0o600, path

    os.chmod(db.path, 0o644)
    assert db.check_permissions() is not None


# -- backups ----------------------------------------------------------------------------------


def test_daily_backup_on_the_first_write_of_a_day_only(
    db: Database, actor: Actor, clock: FakeClock
) -> None:
    _add(db, actor)  # creates the file: nothing to back up yet
    assert backups.list_backups(db.backup_dir, db.path) == []

    day1 = db.path.read_bytes()
    clock.advance(hours=1)
    _add(db, actor)
    _add(db, actor)
    found = backups.list_backups(db.backup_dir, db.path)
    assert [p.name for p in found] == ["s-20240108-100000-daily.json"]
    assert found[0].read_bytes() == day1  # the file as it was before the day's first write

    clock.advance(hours=13)  # 23:00: the same day
    _add(db, actor)
    assert len(backups.list_backups(db.backup_dir, db.path)) == 1

    clock.advance(hours=2)  # next day
    before_day2 = db.path.read_bytes()
    _add(db, actor)
    _add(db, actor)
    found = backups.list_backups(db.backup_dir, db.path)
    assert len(found) == 2
    assert found[-1].name.startswith("s-20240109-")
    assert found[-1].read_bytes() == before_day2

    with db.transaction(actor) as tx:  # a read-only transaction on a new day backs up nothing
        clock.advance(days=1)
        tx.all("members")
    assert len(backups.list_backups(db.backup_dir, db.path)) == 2


def test_only_the_newest_backups_are_kept(db: Database, actor: Actor, clock: FakeClock) -> None:
    _add(db, actor)
    for _ in range(20):
        clock.advance(days=1)
        _add(db, actor)
    found = backups.list_backups(db.backup_dir, db.path)
    assert len(found) == backups.KEEP == 14
    assert found[0].name == "s-20240115-090000-daily.json"
    assert found[-1].name == "s-20240128-090000-daily.json"
    assert backups.newest(db.backup_dir, db.path) == found[-1]
    assert list(db.backup_dir.glob(".*")) == []


def test_backups_in_one_second_keep_their_order_and_never_reuse_a_pruned_name(
    db: Database, actor: Actor
) -> None:
    """More backups in one second than are kept (a script's loop, a restore's safety copy):
    a pruned name is not taken again, so "oldest first" stays true and a backup someone
    listed is never a different file by the time they restore it."""
    _add(db, actor)
    taken = [db.backup()]
    taken.append(db.backup(backups.RESTORE))  # another reason in the same second
    names = {taken[0].name, taken[1].name}
    for n in range(backups.KEEP + 6):
        if n == backups.KEEP:
            _add(db, actor)  # what the later backups hold differs from the pruned ones
        made = db.backup()
        assert made.name not in names, f"{made.name} was a pruned backup's name"
        names.add(made.name)
        taken.append(made)
    found = backups.list_backups(db.backup_dir, db.path)
    # The newest KEEP, oldest first, and the safety copy a restore took, kept however old.
    assert found == [taken[1], *taken[-backups.KEEP :]]
    assert backups.newest(db.backup_dir, db.path) == taken[-1]


def test_pruning_leaves_another_databases_backups_alone(
    tmp_path: Path, actor: Actor, clock: FakeClock
) -> None:
    # Two databases in one folder whose names share a prefix ("s" and "s-demo").
    main = Database(tmp_path / "s.json", clock=clock, keep_backups=2)
    demo = Database(tmp_path / "s-demo.json", clock=clock, keep_backups=2)
    _add(main, actor)
    _add(demo, actor)
    demo_backups = [demo.backup(), demo.backup()]
    for _ in range(4):
        clock.advance(days=1)
        _add(main, actor)
    assert all(p.exists() for p in demo_backups)
    mains = backups.list_backups(main.backup_dir, main.path)
    assert [p.name for p in mains] == [
        "s-20240111-090000-daily.json",
        "s-20240112-090000-daily.json",
    ]
    # The backup named in "the file is damaged, restore X" must be this database's own.
    assert backups.newest(main.backup_dir, main.path) == mains[-1]
    assert backups.newest(demo.backup_dir, demo.path) == demo_backups[-1]


def test_manual_backup_and_restore(
    db: Database, actor: Actor, other_actor: Actor, clock: FakeClock, admin: Actor
) -> None:
    first = _add(db, actor)
    saved = db.backup()
    assert saved.name.endswith("-manual.json")
    assert saved.read_bytes() == db.path.read_bytes()

    clock.advance(minutes=1)
    second = _add(db, actor)
    current = db.path.read_bytes()
    reader = Database(db.path)
    assert reader.snapshot().count("members") == 2

    clock.advance(minutes=1)
    replaced = db.restore(saved, admin)
    assert replaced is not None
    assert replaced.name.endswith("-restore.json")
    assert replaced.read_bytes() == current  # the restore backed the file up first
    # The backup's data; only the versions (raised, see test_restore.py) and _meta's bookkeeping
    # differ.
    assert _without_bookkeeping(db.path) == _without_bookkeeping(saved)
    for who in (db, reader):
        snap = who.snapshot()
        assert snap.get("members", first["id"]) is not None
        assert snap.get("members", second["id"]) is None
    last = list(audit.read(db.audit_path))[-1]
    assert (last["op"], last["who"], last["after"]) == ("restore", "root", {"from": str(saved)})

    with db.transaction(actor) as tx:  # and life goes on, from the restored version
        restored = tx.get("members", first["id"])
        tx.update("members", first["id"], {"name": "又"}, expected_version=restored["version"])


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b'{"members": {"1": {"id": "x", "vers', DatabaseUnreadable),
        (b"\x00\x01garbage\xff", DatabaseUnreadable),
        (b"", DatabaseUnreadable),
        (b'[{"id": "x"}]', DatabaseUnreadable),
        (b'{"_meta": {"1": {"schema_version": 99}}, "members": {}}', SchemaTooNew),
    ],
    ids=["truncated", "garbage", "empty", "list", "newer"],
)
def test_a_bad_restore_source_is_refused_and_the_database_untouched(
    db: Database, actor: Actor, tmp_path: Path, content: bytes, error: type[Exception], admin: Actor
) -> None:
    _add(db, actor)
    _add(db, actor)
    before = db.path.read_bytes()
    backups_before = sorted(db.backup_dir.iterdir())
    audit_before = db.audit_path.read_bytes()
    source = tmp_path / "source.json"
    source.write_bytes(content)

    with pytest.raises(error) as caught:
        db.restore(source, admin)
    assert str(source) in str(caught.value)
    assert db.path.read_bytes() == before
    assert sorted(db.backup_dir.iterdir()) == backups_before
    assert db.audit_path.read_bytes() == audit_before
    assert db.snapshot().count("members") == 2

    with pytest.raises(NotFound):
        db.restore(tmp_path / "missing.json", admin)
    assert db.path.read_bytes() == before


def test_restore_into_a_new_place_makes_the_database(
    tmp_path: Path, db: Database, actor: Actor, admin: Actor
) -> None:
    rec = _add(db, actor)
    saved = db.backup()
    fresh = Database(tmp_path / "elsewhere" / "t.json")
    fresh.path.parent.mkdir()
    assert fresh.restore(saved, admin) is None
    assert fresh.snapshot().get("members", rec["id"]) is not None
    assert fresh.snapshot().meta["schema_version"] == SCHEMA_VERSION


def test_temp_files_of_killed_writers_are_swept_and_nothing_else(
    db_path: Path, actor: Actor, clock: FakeClock
) -> None:
    _add(Database(db_path, clock=clock), actor)
    Database(db_path, clock=clock).backup()
    folder, backup_dir = db_path.parent, db_path.parent / "backups"
    stale = [
        folder / ".s.json.abcd_123.tmp",  # write_atomic's mkstemp names
        backup_dir / ".s-20240108-090000-daily.json.tmp",  # backups.make's
    ]
    kept = [
        folder / ".s.json.other.abcd1234.tmp",  # another database's ("s.json.other")
        folder / ".s.json.abc.tmp",
        folder / "s.json.abcd1234.tmp",
        backup_dir / ".s-demo-20240108-090000-daily.json.tmp",  # "s-demo.json"'s
    ]
    for path in stale + kept:
        path.write_bytes(b"{}")
    fresh = Database(db_path, clock=clock)
    fresh.snapshot()  # readers take no lock, so they leave temp files alone
    assert all(p.exists() for p in stale)
    with fresh.transaction(actor) as tx:
        assert len(tx.all("members")) == 1
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in kept)


# -- misuse -----------------------------------------------------------------------------------


def test_a_nested_transaction_is_refused_instead_of_losing_a_write(
    db: Database, actor: Actor, admin: Actor
) -> None:
    rec = _add(db, actor)
    with db.transaction(actor) as outer:
        outer.update("members", rec["id"], {"name": "外"}, expected_version=1)
        with pytest.raises(RuntimeError), db.transaction(actor) as inner:
            inner.insert("members", {"name": "内"})
        with pytest.raises(RuntimeError):
            db.restore(db.path, admin)
    snap = db.snapshot()
    assert snap.count("members") == 1
    changed = snap.get("members", rec["id"])
    assert changed is not None
    assert changed["name"] == "外"
    with db.transaction(actor) as tx:  # the guard resets after the transaction
        tx.insert("members", {"name": "再"})


def test_a_symlinked_path_shares_the_real_files_lock_and_stays_a_link(
    tmp_path: Path, actor: Actor
) -> None:
    real = tmp_path / "data" / "s.json"
    real.parent.mkdir()
    link = tmp_path / "s-link.json"
    link.symlink_to(real)
    via_real = Database(real)
    via_link = Database(link)
    assert via_link.lock_path == via_real.lock_path
    first = _add(via_real, actor)
    second = _add(via_link, actor)
    assert link.is_symlink()
    for db in (via_real, via_link):
        snap = db.snapshot()
        assert snap.get("members", first["id"]) is not None
        assert snap.get("members", second["id"]) is not None


# -- migration --------------------------------------------------------------------------------


def test_a_plain_tinydb_file_is_backed_up_then_migrated(
    db_path: Path, actor: Actor, clock: FakeClock
) -> None:
    from tinydb import TinyDB

    plain = TinyDB(db_path)  # tinydb's own JSONStorage, as another tool would have written it
    plain.table("members").insert_multiple([{"name": "张三"}, {"name": "李四", "phone": "138"}])
    plain.table("teams").insert({"name": "巡逻一队"})
    plain.close()
    original = db_path.read_bytes()

    db = Database(db_path, clock=clock)
    snap = db.snapshot()  # reading an old file works and changes nothing
    assert snap.count("members") == 2
    assert snap.meta == {}
    assert db_path.read_bytes() == original
    assert not db.backup_dir.exists()

    with db.transaction(actor) as tx:
        members = tx.all("members")
    found = backups.list_backups(db.backup_dir, db.path)
    assert [p.name for p in found] == ["s-20240108-090000-migration.json"]
    assert found[0].read_bytes() == original

    snap = db.snapshot()
    assert snap.meta["schema_version"] == SCHEMA_VERSION
    assert snap.meta["created_at"] == clock.now.isoformat()
    everything = [*snap.all("members"), *snap.all("teams")]
    assert len(everything) == 3
    for record in everything:
        assert _is_uuid4_hex(record["id"])
        assert record["version"] == 1
        assert record["created_at"] == record["updated_at"] == clock.now.isoformat()
    assert {r["id"] for r in members} == {r["id"] for r in snap.all("members")}
    assert sorted(r["name"] for r in snap.all("members")) == ["张三", "李四"]

    # Still a file plain TinyDB reads, and migrating again changes nothing.
    with TinyDB(db_path) as again:
        assert len(again.table("members")) == 2
    migrated = db_path.read_bytes()
    clock.advance(hours=1)
    with db.transaction(actor) as tx:
        tx.all("members")
    assert db_path.read_bytes() == migrated
    assert len(backups.list_backups(db.backup_dir, db.path)) == 1


def test_a_new_database_is_stamped_with_the_schema_version(db: Database, actor: Actor) -> None:
    assert not db.exists()
    assert db.snapshot().count("members") == 0
    with db.transaction(actor):
        pass
    assert db.exists()
    assert db.snapshot().meta["schema_version"] == SCHEMA_VERSION
    assert not db.backup_dir.exists()


def test_the_first_save_makes_a_private_data_folder(
    tmp_path: Path, actor: Actor, permissive_umask: None
) -> None:
    db = Database(tmp_path / "new" / "deeper" / "s.json")
    with db.transaction(actor) as tx:
        tx.insert("members", {"name": "张三"})
    assert _mode(db.path.parent) == 0o700
    assert _mode(db.path) == 0o600


def test_migration_keeps_good_ids_and_versions(db_path: Path, actor: Actor) -> None:
    good = uuid.uuid4().hex
    db_path.write_bytes(
        orjson.dumps(
            {
                "members": {
                    "1": {"name": "a", "id": good, "version": 7},
                    "2": {"name": "b", "id": good},  # a copy: must not share the id
                    "3": {"name": "c", "id": "x", "version": True},
                }
            }
        )
    )
    db = Database(db_path)
    with db.transaction(actor):
        pass
    members = {m["name"]: m for m in db.snapshot().all("members")}
    assert members["a"]["id"] == good and members["a"]["version"] == 7
    assert _is_uuid4_hex(members["b"]["id"]) and members["b"]["id"] != good
    assert members["b"]["version"] == 1
    assert _is_uuid4_hex(members["c"]["id"]) and members["c"]["version"] == 1
