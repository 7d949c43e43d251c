"""Several Database objects and several processes on one file: no lost record, no lost update."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.actor import Actor
from store.engine import audit
from store.engine.database import Database
from store.engine.storage import read_file
from store.errors import DatabaseBusy
from tests.store.conftest import FakeClock
from tests.store.workers import Child


def _file_records(path: Path, table: str) -> list[dict[str, Any]]:
    """The table as it is on disk, parsed strictly (raises if the file is damaged)."""
    result = read_file(path)
    assert result is not None
    return list(result[1].get(table, {}).values())


def _assert_no_duplicates(path: Path, table: str) -> list[dict[str, Any]]:
    records = _file_records(path, table)
    ids = Counter(r["id"] for r in records)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    # orjson keeps the last of duplicate keys, so count doc_id keys in the raw bytes too.
    raw = path.read_bytes()
    table_start = raw.index(f'"{table}":'.encode())
    doc_keys = raw[table_start:].count(b'":{"')
    assert doc_keys >= len(records)
    return records


# -- TinyDB's cached next doc_id ------------------------------------------------------------------


def test_stock_tinydb_falls_into_the_doc_id_trap(tmp_path: Path) -> None:
    """The control: plain TinyDB objects sharing a file pick the same doc_id."""
    from tinydb import TinyDB

    path = tmp_path / "plain.json"
    first, second = TinyDB(path), TinyDB(path)
    first.insert({"who": "first"})
    second.insert({"who": "second"})
    with pytest.raises(ValueError, match="already exists"):
        first.insert({"who": "first again"})  # its cached next id is the one second used
    first.close()
    second.close()


def test_two_databases_on_one_file_alternately_inserting_lose_nothing(
    db_path: Path, actor: Actor, clock: FakeClock
) -> None:
    one, two = Database(db_path, clock=clock), Database(db_path, clock=clock)
    made: list[str] = []
    for i in range(30):
        for db in (one, two):
            with db.transaction(actor) as tx:
                made.append(tx.insert("members", {"n": i})["id"])
        if i % 7 == 3:  # deletes free doc_ids that a stale cache would hand out again
            with one.transaction(actor) as tx:
                tx.delete("members", made.pop(0), expected_version=1)
    records = _assert_no_duplicates(db_path, "members")
    assert sorted(r["id"] for r in records) == sorted(made)
    for db in (one, two):
        assert {r["id"] for r in db.snapshot().all("members")} == set(made)


def test_two_processes_alternately_inserting_lose_nothing(db_path: Path, actor: Actor) -> None:
    here = Database(db_path)
    children = [Child("serve", str(db_path)) for _ in range(2)]
    made: list[str] = []
    try:
        for i in range(15):
            for child in children:
                reply = child.request(op="insert", table="members", fields={"n": i})
                made.append(reply["ok"]["id"])
            with here.transaction(actor) as tx:  # and a third writer, this process
                made.append(tx.insert("members", {"n": i, "by": "parent"})["id"])
        seen = children[0].request(op="snapshot", tables=["members"])["ok"]["members"]
        assert sorted(r["id"] for r in seen) == sorted(made)
    finally:
        for child in children:
            child.close()
    records = _assert_no_duplicates(db_path, "members")
    assert sorted(r["id"] for r in records) == sorted(made)
    assert len(made) == 45


# -- versions ---------------------------------------------------------------------------------


def test_a_stale_update_from_another_process_is_a_conflict(db_path: Path, actor: Actor) -> None:
    db = Database(db_path)
    with db.transaction(actor) as tx:
        rec = tx.insert("members", {"name": "张三", "phone": "1"})
    child = Child("serve", str(db_path))
    try:
        theirs = child.request(op="get", table="members", id=rec["id"])["ok"]
        assert theirs["version"] == 1
        with db.transaction(actor) as tx:  # we save first
            ours = tx.update("members", rec["id"], {"phone": "2"}, expected_version=1)
        before = db_path.read_bytes()
        reply = child.request(
            op="update", table="members", id=rec["id"], changes={"phone": "3"}, expected_version=1
        )
        assert reply["error"] == "Conflict"
        assert reply["message"]
        assert db_path.read_bytes() == before
        # Told of the conflict, they reload and save on top of ours.
        reply = child.request(
            op="update",
            table="members",
            id=rec["id"],
            changes={"name": "张三丰"},
            expected_version=2,
        )
        assert reply["ok"]["version"] == 3
    finally:
        child.close()
    final = db.snapshot().get("members", rec["id"])
    assert final is not None
    assert (final["phone"], final["name"], final["version"]) == ("2", "张三丰", 3)
    assert ours["phone"] == "2"


# -- the parse cache ----------------------------------------------------------------------------


def test_a_recycled_inode_with_the_same_mtime_and_size_is_still_news(
    db_path: Path, actor: Actor, clock: FakeClock
) -> None:
    """A coarse filesystem clock must not make a reader or writer act on an old version.

    The cache key is (inode, mtime_ns, size). ext4 hands a freed inode number to the next new
    file, and a filesystem with coarse timestamps (1 s on ext4 with 128-byte inodes, a jiffy on
    kernels without fine-grained timestamps) gives two saves in a row the same mtime. Both are
    simulated here: every save's mtime is set back to one frozen value; inodes recycle by
    themselves. Counter increments inside transactions would be lost if the key were trusted.
    """
    writer = Database(db_path, clock=clock)
    reader = Database(db_path, clock=clock)
    with writer.transaction(actor) as tx:
        rec = tx.insert("counters", {"n": 100})
    frozen = os.stat(db_path).st_mtime_ns

    def coarse() -> None:
        os.utime(db_path, ns=(frozen, frozen))

    def increment(db: Database) -> None:
        with db.transaction(actor) as tx:
            current = tx.get("counters", rec["id"])
            tx.update(
                "counters", rec["id"], {"n": current["n"] + 1}, expected_version=current["version"]
            )
        coarse()

    for _ in range(9):  # versions reach two digits: every later version has the same size
        increment(writer)
    sizes: set[int] = set()
    for _ in range(25):
        reader.snapshot()  # a screen refresh: the reader caches the version on disk
        increment(writer)
        increment(writer)
        seen = reader.snapshot().get("counters", rec["id"])
        assert seen is not None
        assert seen["n"] == _file_records(db_path, "counters")[0]["n"]
        increment(reader)  # a read-modify-write inside the reader's transaction
        sizes.add(os.stat(db_path).st_size)
    assert len(sizes) == 1
    assert _file_records(db_path, "counters")[0]["n"] == 100 + 9 + 75


# -- many processes -----------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_processes_incrementing_shared_counters_lose_no_update(
    db_path: Path, actor: Actor
) -> None:
    processes, rounds, counters = 8, 200, 8
    db = Database(db_path)
    with db.transaction(actor) as tx:
        ids = [tx.insert("counters", {"n": 0, "slot": i})["id"] for i in range(counters)]
    children = [Child("increment", str(db_path), str(rounds), *ids) for _ in range(processes)]
    try:
        for child in children:
            child.expect("ready")
        started = time.perf_counter()
        for child in children:
            child.send_line("go")
        summaries = [orjson.loads(child.line(timeout=300)) for child in children]
        elapsed = time.perf_counter() - started
    finally:
        codes = [child.close() for child in children]
    assert codes == [0] * processes
    assert [s["done"] for s in summaries] == [rounds] * processes
    print(f"\n{processes}x{rounds} increments: {elapsed:.2f} s")

    records = _assert_no_duplicates(db_path, "counters")
    assert len(records) == counters
    expected = processes * rounds // counters
    assert sorted(r["n"] for r in records) == [expected] * counters
    assert sorted(r["version"] for r in records) == [expected + 1] * counters
    assert db.snapshot().count("counters") == counters

    lines = list(audit.read(db.audit_path))
    updates = [line for line in lines if line["op"] == "update"]
    assert len(updates) == processes * rounds
    assert len({line["tx"] for line in updates}) == processes * rounds
    # Each increment was logged from the value it really read: the n's of each counter's
    # updates form one unbroken chain 0 -> 1 -> ... -> expected.
    chains: dict[str, list[tuple[int, int]]] = {}
    for line in updates:
        chains.setdefault(line["id"], []).append((line["before"]["n"], line["after"]["n"]))
    for steps in chains.values():
        assert steps == [(i, i + 1) for i in range(expected)]


# -- the lock -----------------------------------------------------------------------------------


def test_a_held_lock_is_a_prompt_busy_error_not_a_hang(db_path: Path, actor: Actor) -> None:
    db = Database(db_path, lock_timeout=0.5)
    with db.transaction(actor) as tx:
        rec = tx.insert("members", {"name": "张三"})
    before = db_path.read_bytes()
    child = Child("serve", str(db_path))
    try:
        assert child.request(op="hold") == {"ok": "holding"}
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught, db.transaction(actor) as tx:
            tx.insert("members", {"name": "李四"})
        waited = time.monotonic() - started
        assert 0.45 <= waited < 5.0
        message = str(caught.value)
        assert "busy" in message
        assert "0.5 seconds" in message
        # Readers take no lock: the screen keeps working while someone saves.
        assert db.snapshot().get("members", rec["id"]) is not None
        assert db_path.read_bytes() == before

        child.send_line("release")
        assert child.line() == orjson.dumps({"ok": "released"}).decode()
        with db.transaction(actor) as tx:
            tx.insert("members", {"name": "李四"})
    finally:
        child.close()
    assert db.snapshot().count("members") == 2
