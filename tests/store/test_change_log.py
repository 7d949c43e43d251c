"""The change log holds only what happened: a transaction counts once its commit line follows
its data, and whatever a crash or a full disk leaves open is settled by the next save."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

import store.engine.database
from store.actor import Actor
from store.engine import audit, audit_format, audit_tail
from store.engine.check import Problem
from store.engine.check import check as check_file
from store.engine.database import Database
from store.errors import WriteFailed
from store.members.rekey import REPAIR
from tests.store.workers import Child


def _raw(db: Database) -> list[dict[str, Any]]:
    """Every whole line of the log, markers included."""
    lines = []
    for raw in db.audit_path.read_bytes().splitlines():
        try:
            lines.append(orjson.loads(raw))
        except orjson.JSONDecodeError:
            continue
    return lines


def _last_tx(db: Database) -> object:
    return Database(db.path).snapshot().meta.get("last_tx")


def _member_ids(db: Database) -> set[str]:
    return {str(doc["id"]) for doc in Database(db.path).snapshot().all("members")}


def _logged_ids(db: Database, **kwargs: Any) -> set[str]:
    return {
        str(e["id"]) for e in audit.read(db.audit_path, **kwargs) if e.get("table") == "members"
    }


def check(db: Database) -> list[Problem]:
    """``shequ check``'s problems but the members' missing pinyin keys: these tests write
    members raw (``tx.insert``, no keys), and are about the change log."""
    return [problem for problem in check_file(db) if REPAIR not in problem.message]


@pytest.fixture
def ready_db(db: Database, actor: Actor) -> Database:
    with db.transaction(actor) as tx:
        for n in range(3):
            tx.insert("members", {"name": f"成员{n}"})
    return db


def test_a_save_writes_its_lines_then_its_data_then_its_commit(
    ready_db: Database, actor: Actor
) -> None:
    db = ready_db
    with db.transaction(actor) as tx:
        added = tx.insert("members", {"name": "新人"})
    *_before, line, mark = _raw(db)
    assert (line["op"], line["id"], line["v"]) == ("insert", added["id"], audit_format.FORMAT)
    assert mark == {"at": mark["at"], "tx": line["tx"], "op": "commit", "layout": mark["layout"]}
    # Where each table sits in the file it committed, for sessions following the log.
    assert mark["layout"]["size"] == db.path.stat().st_size
    assert _last_tx(db) == line["tx"]  # the data file names the transaction that wrote it
    assert _logged_ids(db) == _member_ids(db)
    assert check(db) == []


def test_a_log_cut_short_by_a_full_disk_lists_nothing(ready_db: Database, actor: Actor) -> None:
    """Real: a file-size limit lets one of the two insert lines in, then refuses (EFBIG)."""
    db = ready_db
    data, committed = db.path.read_bytes(), list(audit.read(db.audit_path))
    limit = db.audit_path.stat().st_size + 5000  # one 3 KB line fits, the second does not
    child = Child("insert-limited", str(db.path), str(limit), "2", "3000")
    try:
        reply = orjson.loads(child.line())
    finally:
        child.close()
    assert reply["error"] == "WriteFailed"
    assert str(db.audit_path) in reply["message"]
    assert db.path.read_bytes() == data
    cut = _raw(db)[-1]
    assert (cut["op"], cut["after"]["name"]) == ("insert", "满0")  # whole, yet never happened
    assert list(audit.read(db.audit_path)) == committed
    assert check(db) == []  # the log's last transaction: the next save settles it

    with db.transaction(actor) as tx:  # the next save, once the disk has room again
        tx.insert("members", {"name": "后来"})
    marks = [line for line in _raw(db) if line["tx"] == cut["tx"] and "v" not in line]
    assert [line["op"] for line in marks] == ["aborted"]
    assert _logged_ids(db) == _member_ids(db)
    assert check(db) == []


def test_a_full_disk_after_the_log_line_never_lists_the_change(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the disk fills right after the log line: no data, and no room to say so."""
    db = ready_db
    data, committed = db.path.read_bytes(), list(audit.read(db.audit_path))
    real_write, real_replace = os.write, os.replace
    full = OSError(errno.ENOSPC, "No space left on device")

    def write(fd: int, payload: Any) -> int:
        if b'"aborted"' in bytes(payload):
            raise full
        return real_write(fd, payload)

    def replace(source: Any, target: Any) -> None:
        if Path(target) == db.path:
            raise full
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", write)
        patch.setattr(os, "replace", replace)
        with pytest.raises(WriteFailed, match="disk is full"), db.transaction(actor) as tx:
            tx.insert("members", {"name": "没存上"})
    assert db.path.read_bytes() == data
    assert _raw(db)[-1]["after"]["name"] == "没存上"
    assert list(audit.read(db.audit_path)) == committed
    assert list(audit.read(db.audit_path, last_tx=_last_tx(db))) == committed

    with Database(db.path).transaction(actor) as tx:  # another session settles it
        tx.insert("members", {"name": "后来"})
    assert "没存上" not in {e["after"]["name"] for e in audit.read(db.audit_path)}
    assert _logged_ids(db) == _member_ids(db)
    assert check(db) == []


def test_a_writer_dead_before_its_data_is_settled_as_aborted(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ready_db
    committed = list(audit.read(db.audit_path))

    def die(*_args: Any, **_kwargs: Any) -> Any:
        raise SystemExit(137)  # the process ends between its log lines and its data

    with monkeypatch.context() as patch:
        patch.setattr(store.engine.database, "write_atomic", die)
        with pytest.raises(SystemExit), db.transaction(actor) as tx:
            tx.insert("members", {"name": "半路"})
    dangling = _raw(db)[-1]
    assert dangling["op"] == "insert"
    assert list(audit.read(db.audit_path, last_tx=_last_tx(db))) == committed
    assert check(db) == []

    other = Database(db.path)
    with other.transaction(actor) as tx:
        tx.insert("members", {"name": "后来"})
    ops = [line["op"] for line in _raw(db) if line["tx"] == dangling["tx"]]
    assert ops == ["insert", "aborted"]
    assert _logged_ids(db) == _member_ids(db)
    assert check(db) == []


def test_a_writer_dead_after_its_data_is_settled_as_committed(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ready_db

    def die(*_args: Any, **_kwargs: Any) -> None:
        raise SystemExit(137)  # the process ends between its data and its commit line

    with monkeypatch.context() as patch:
        patch.setattr(audit, "commit", die)
        with pytest.raises(SystemExit), db.transaction(actor) as tx:
            added = tx.insert("members", {"name": "存上了"})
    assert added["id"] in _member_ids(db)
    dangling = _raw(db)[-1]
    assert (dangling["op"], dangling["id"]) == ("insert", added["id"])
    assert added["id"] not in _logged_ids(db)  # no commit line yet...
    assert _logged_ids(db, last_tx=_last_tx(db)) == _member_ids(db)  # ...but the file names it
    assert check(db) == []

    with Database(db.path).transaction(actor) as tx:
        tx.insert("members", {"name": "后来"})
    ops = [line["op"] for line in _raw(db) if line["tx"] == dangling["tx"]]
    assert ops == ["insert", "commit"]
    assert _logged_ids(db) == _member_ids(db)
    assert check(db) == []


def test_check_reports_lines_no_save_will_settle(ready_db: Database, actor: Actor) -> None:
    db = ready_db
    stray = {
        "at": "2024-01-08T09:00:00+00:00",
        "tx": "0badc0ffee00",
        "who": "someone",
        "role": "admin",
        "op": "insert",
        "table": "members",
        "id": "f" * 32,
        "before": None,
        "after": {"name": "谁"},
        "v": audit_format.FORMAT,
    }
    with db.audit_path.open("ab") as log:
        log.write(orjson.dumps(stray) + b"\n")
        # A commit line for it, then one for a later transaction: only the stray stays open.
        later = {**stray, "tx": "0000later000", "id": "e" * 32, "after": {"name": "后"}}
        log.write(orjson.dumps(later) + b"\n")
        log.write(orjson.dumps({"tx": "0000later000", "op": "commit"}) + b"\n")
    problems = check(db)
    assert [(p.table, p.record_id) for p in problems] == [(db.audit_path.name, "0badc0ffee00")]
    assert "never marked committed or aborted" in str(problems[0])
    assert "谁" not in {e["after"]["name"] for e in audit.read(db.audit_path)}


def test_lines_from_before_commit_lines_still_count(tmp_path: Path) -> None:
    """A log written by an older shequ has no commit lines: its changes happened."""
    log = tmp_path / "s.json.audit.jsonl"
    old = {"at": "2023-01-01T00:00:00+00:00", "tx": "a1", "who": "x", "op": "insert", "id": "1"}
    gone = {**old, "tx": "a2", "id": "2"}
    log.write_bytes(
        b"".join(orjson.dumps(line) + b"\n" for line in (old, gone, {"tx": "a2", "op": "aborted"}))
    )
    assert [e["id"] for e in audit.read(log)] == ["1"]
    assert audit_tail.pending(log) is None
    assert audit.unsettled(log) == []


# -- who changed a record last (a form's "changed by NAME meanwhile") ----------------------------


def test_the_last_change_to_a_record_is_read_from_the_log_tail(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.users.ops import add_user
    from store.users.who import who_changed

    db = ready_db
    member = next(iter(_member_ids(db)))
    add_user(
        db, Actor.os_user(), username="wang", display_name="王芳", role="coordinator", secret="2468"
    )
    wang = Actor("wang", actor.role, user_id="u-wang")
    with db.transaction(wang) as tx:
        tx.update("members", member, {"phone": "13800000001"}, 1)
    # Many later lines about other records: the answer is found reading backwards.
    for n in range(200):
        with db.transaction(actor) as tx:
            tx.insert("contacts", {"member_id": member, "note": f"第{n}次" * 20})
    entry = audit_tail.last_change(db.audit_path, "members", member)
    assert entry is not None and (entry["who"], entry["after"]) == (
        "wang",
        {"phone": "13800000001"},
    )
    assert who_changed(db, db.snapshot(), "members", member) == "王芳"
    # Only the tail is read: beyond the budget nobody is named, and nobody is invented.
    assert audit_tail.last_change(db.audit_path, "members", member, budget=4096) is None
    assert audit_tail.last_change(db.audit_path, "members", "no-such-id") is None
    assert audit_tail.last_change(db.path.with_name("none.jsonl"), "members", member) is None

    # A change whose data never landed (aborted) is not anyone's change.
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        if Path(target) == db.path:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(WriteFailed), db.transaction(actor) as tx:
            tx.update("members", member, {"phone": "13900000002"}, 2)
    assert who_changed(db, db.snapshot(), "members", member) == "王芳"
    with db.transaction(actor) as tx:  # alice, who has no account: her user name
        tx.update("members", member, {"phone": "13900000003"}, 2)
    assert who_changed(db, db.snapshot(), "members", member) == "alice"


def test_the_last_change_counts_the_transaction_the_data_file_names(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the data and its commit line, the file's last_tx says the change happened."""
    db = ready_db
    member = next(iter(_member_ids(db)))
    with monkeypatch.context() as patch:
        patch.setattr(audit, "commit", lambda *args, **kwargs: None)
        with db.transaction(Actor("wang", actor.role)) as tx:
            tx.update("members", member, {"phone": "13800000001"}, 1)
    before = audit_tail.last_change(db.audit_path, "members", member)
    assert before is not None and before["op"] == "insert"  # no commit line: not yet
    named = audit_tail.last_change(db.audit_path, "members", member, _last_tx(db))
    assert named is not None and (named["who"], named["op"]) == ("wang", "update")


def test_newest_reads_from_the_end_by_the_same_rule_as_read(tmp_path: Path) -> None:
    """The change-log screen's page (audit_tail.newest) is read's list backwards: committed changes,
    an aborted one left out, old unmarked lines kept, the file's own open transaction kept."""
    import orjson

    from store.engine import audit, audit_tail

    def line(tx: str, op: str, v: int | None = 2, **more: object) -> bytes:
        entry: dict[str, object] = {"tx": tx, "op": op, "table": "members", "id": tx, **more}
        if v is not None:
            entry["v"] = v
        return orjson.dumps(entry)

    path = tmp_path / "log.jsonl"
    path.write_bytes(
        b"\n".join(
            [
                line("t0", "insert", v=None),  # before commit lines existed: counts
                line("t1", "insert", after={"name": "a"}),
                line("t1", "commit"),
                line("t2", "insert"),
                line("t2", "aborted"),
                line("t3", "update", before={"name": "a"}, after={"name": "b"}, image={"x": 1}),
                line("t3", "commit"),
                line("t4", "insert"),  # the data file's own transaction, commit not yet written
                line("t5", "insert"),  # no mark and not the file's: never committed
            ]
        )
        + b"\n{cut"
    )
    forward = list(audit.read(path, "t4"))
    backward = list(audit_tail.newest(path, "t4"))
    assert [e["tx"] for e in backward] == ["t4", "t3", "t1", "t0"]
    assert backward == forward[::-1]
    assert "image" not in backward[1]
    assert list(audit_tail.newest(tmp_path / "none.jsonl")) == []
