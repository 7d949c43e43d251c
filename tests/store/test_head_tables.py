"""The small tables every session reads at start sit at the file's head, and reading one of them
stops there (store/engine/layout.py ``HEAD``, store/engine/storage.py ``FileVersion``).

Real files in tmp. A file damaged past its head is still refused by every snapshot and
transaction; only the head read (the low-bandwidth setting before Textual starts) does not see
it, and gives what the head says.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from store.actor import Actor
from store.engine.database import Database
from store.engine.layout import Writer, record_line, scan
from store.errors import DatabaseUnreadable
from store.settings import ops as settings
from store.settings.early import low_bandwidth_wanted

MEMBERS = 4000  # some 1 MB of members: far more than the reader's 64 KB pieces


def _tables(path: Path) -> list[str]:
    fd = os.open(path, os.O_RDONLY)
    try:
        return [region.name for region in scan(fd, os.fstat(fd).st_size)]
    finally:
        os.close(fd)


def _member(n: int) -> dict[str, Any]:
    return {"id": f"m{n}", "name": f"成员{n}", "note": "x" * 200, "version": 1}


def _old_order_file(path: Path, low_bandwidth: object = True) -> None:
    """A file in the line layout with the small tables last, as shequ wrote them before."""
    tables: dict[str, dict[str, dict[str, Any]]] = {
        "_meta": {"1": {"schema_version": 3, "last_tx": "t0", "version_high": 1}},
        "members": {str(n): _member(n) for n in range(1, MEMBERS + 1)},
        "contacts": {"1": {"id": "c1", "member_id": "m1", "version": 1}},
        "settings": {"1": {"id": "s1", "low_bandwidth": low_bandwidth, "version": 1}},
        "users": {"1": {"id": "u1", "username": "root", "version": 1}},
    }
    writer = Writer()  # no reordering: the tables as given
    for name, docs in tables.items():
        writer.begin(name)
        writer.lines([record_line(doc_id, doc) for doc_id, doc in docs.items()])
        writer.end()
    path.write_bytes(writer.finish().bytes())


def test_a_file_shequ_writes_has_the_small_tables_first(db: Database, admin: Actor) -> None:
    with db.transaction(admin) as tx:  # the big tables are made first
        tx.insert("members", {"name": "张三"})
        tx.insert("contacts", {"member_id": "x"})
        tx.insert("zones", {"name": "东区"})
    settings.update(db, admin, {"community_name": "幸福社区"}, 0)
    with db.transaction(admin) as tx:
        tx.insert("users", {"username": "root"})
    assert _tables(db.path) == ["_meta", "settings", "users", "zones", "members", "contacts"]
    assert settings.current(db.snapshot()).community_name == "幸福社区"


def test_an_old_order_file_is_read_and_takes_the_new_order_at_its_next_save(
    tmp_path: Path, admin: Actor
) -> None:
    path = tmp_path / "old.json"
    _old_order_file(path)
    before = json.loads(path.read_bytes())
    db = Database(path)
    assert low_bandwidth_wanted(db) is True  # found at the end: the whole file is scanned
    snapshot = db.snapshot()
    assert settings.current(snapshot).low_bandwidth is True
    assert snapshot.count("members") == MEMBERS
    assert snapshot.get("members", "m17") == _member(17)

    with db.transaction(admin) as tx:
        tx.insert("contacts", {"member_id": "m2"})

    assert _tables(path) == ["_meta", "settings", "users", "members", "contacts"]
    after = json.loads(path.read_bytes())
    for table in ("members", "settings", "users"):
        assert after[table] == before[table]
    assert len(after["contacts"]) == 2
    assert Database(path).snapshot().get("members", "m4000") == _member(4000)


@pytest.fixture
def big_file(tmp_path: Path, admin: Actor) -> Path:
    """A file shequ wrote: an old-order one saved once (so in the new order)."""
    path = tmp_path / "big.json"
    _old_order_file(path)
    with Database(path).transaction(admin) as tx:
        tx.insert("contacts", {"member_id": "m2"})
    assert _tables(path)[:3] == ["_meta", "settings", "users"]
    return path


def _bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every ``os.pread`` from now on (the store reads its files with it)."""
    read: list[int] = []
    pread = os.pread

    def counting(fd: int, size: int, offset: int) -> bytes:
        found = pread(fd, size, offset)
        read.append(len(found))
        return found

    monkeypatch.setattr(os, "pread", counting)
    return read


HEAD_READ = 2 * 64 * 1024
"""What a head read may take: the first 64 KB piece (store/engine/regions.py CHUNK) and the
table's few lines."""


def test_a_head_table_is_read_without_reading_the_members(
    big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _bytes_read(monkeypatch)
    assert low_bandwidth_wanted(Database(big_file)) is True
    size = big_file.stat().st_size
    assert size > 1_000_000
    assert sum(read) <= HEAD_READ, f"read {sum(read)} of {size} bytes"


def test_settings_never_saved_are_found_missing_at_the_head_after_a_save(
    tmp_path: Path, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.json"
    db = Database(path)
    with db.transaction(admin) as tx:
        for n in range(1, MEMBERS + 1):
            tx.insert("members", {"name": f"成员{n}", "note": "x" * 200})
    # The first save already writes the settings' table, empty, at the head.
    assert _tables(path) == ["_meta", "settings", "members"]
    assert json.loads(path.read_bytes())["settings"] == {}
    read = _bytes_read(monkeypatch)
    assert low_bandwidth_wanted(Database(path)) is False
    assert sum(read) <= HEAD_READ, f"read {sum(read)} of {path.stat().st_size} bytes"
    monkeypatch.undo()

    snapshot = Database(path).snapshot()
    assert settings.current(snapshot) == settings.current(Database(tmp_path / "none").snapshot())
    assert snapshot.count("members") == MEMBERS
    saved = settings.update(db, admin, {"low_bandwidth": True}, 0)  # the first save inserts
    assert saved.version == 1 and low_bandwidth_wanted(Database(path)) is True


def test_a_file_cut_short_past_its_head_is_still_refused_by_every_read_and_save(
    big_file: Path, admin: Actor
) -> None:
    raw = big_file.read_bytes()
    cut = raw[: raw.index(b'"m2000"')]  # a crash's torn copy, or a disk that filled up
    big_file.write_bytes(cut)
    db = Database(big_file)
    # The head alone says what it says: the setting is read (the app then reports the damage).
    assert low_bandwidth_wanted(db) is True
    # Every snapshot reads on from where the head read stopped and finds the damage.
    with pytest.raises(DatabaseUnreadable) as refused:
        db.snapshot()
    assert str(big_file) in str(refused.value)
    with pytest.raises(DatabaseUnreadable), db.transaction(admin) as tx:
        tx.insert("contacts", {"member_id": "m3"})
    assert big_file.read_bytes() == cut  # nothing written over it


def test_a_file_hand_edited_past_its_head_is_parsed_whole_as_before(
    big_file: Path, admin: Actor
) -> None:
    raw = big_file.read_bytes()
    # Valid JSON, no longer one record per line: a text editor re-indented a line.
    edited = raw.replace(b'\n"20":', b'\n    "20":', 1)
    assert edited != raw
    big_file.write_bytes(edited)
    db = Database(big_file)
    assert low_bandwidth_wanted(db) is True
    snapshot = db.snapshot()
    assert snapshot.count("members") == MEMBERS
    assert snapshot.get("members", "m20") == _member(20)
    with db.transaction(admin) as tx:
        tx.insert("contacts", {"member_id": "m3"})
    assert _tables(big_file)[:3] == ["_meta", "settings", "users"]  # in the layout again
    assert json.loads(big_file.read_bytes())["members"]["20"] == _member(20)
