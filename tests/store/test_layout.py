"""The one-record-per-line file: still TinyDB's JSON, read in pieces, saved by copying lines.

Big tables are exercised above the size readers keep parsed (``SMALL_TABLE`` is lowered), so
every save here goes through the line-splicing path of store/engine/working.py; after each one
the file must still be valid JSON equal to what a plain dict model says, in the line layout.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import store.engine.layout
import store.engine.regions
import store.engine.snapshot
import store.engine.storage
from store.actor import Actor, Role
from store.engine.database import Database
from store.engine.layout import NotLines, encode, scan

ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture
def small_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table but the tiniest counts as big: the on-disk paths run on small data."""
    monkeypatch.setattr(store.engine.storage, "SMALL", 200)


def _regions(path: Path) -> list[store.engine.layout.Region]:
    fd = os.open(path, os.O_RDONLY)
    try:
        return scan(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def test_the_file_is_plain_json_with_one_record_per_line(tmp_path: Path) -> None:
    data = {
        "_meta": {"1": {"schema_version": 2}},
        "members": {"10": {"name": "李\n四"}, "2": {"name": "张三"}},
        "empty": {},
    }
    raw = encode(data).bytes()
    assert json.loads(raw) == data  # what TinyDB's JSONStorage does with it
    lines = raw.decode().splitlines()
    assert lines == [
        "{",
        '"_meta":{',
        '"1":{"schema_version":2}',
        "},",
        '"members":{',
        '"2":{"name":"张三"},',  # ascending doc_id: the last line holds the largest
        '"10":{"name":"李\\n四"}',
        "},",
        '"empty":{',
        "}",
        "}",
    ]
    path = tmp_path / "f.json"
    path.write_bytes(raw)
    assert [(r.name, r.count) for r in _regions(path)] == [
        ("_meta", 1),
        ("members", 2),
        ("empty", 0),
    ]
    assert json.loads(encode({}).bytes()) == {}


@pytest.mark.parametrize(
    "raw",
    [
        b'{"_meta":{"1":{}}}',  # compact: an older file
        b'{\n"a":{\n"1":{}\n}\n',  # ends early
        b'{\n"a":{\n"1":{},\n"2":{}\n}\n}\ntrailing\n',
        b'{\n"a":{\n  "1": {}\n}\n}\n',  # pretty-printed by hand
    ],
)
def test_anything_else_is_not_the_line_layout(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(raw)
    with pytest.raises(NotLines):
        _regions(path)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_tables_are_found_whatever_the_pieces_the_file_is_read_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """A table's end, a record line and a damaged line fall anywhere across the reader's pieces."""
    data = {
        "_meta": {"1": {"schema_version": 2}},
        "members": {str(n): {"name": f"名{n}", "note": '}\n"x' * (n % 3)} for n in range(1, 40)},
        "empty": {},
        "users": {"1": {"username": "a"}},
    }
    path = tmp_path / "f.json"
    path.write_bytes(encode(data).bytes())
    whole = [(r.name, r.start, r.end, r.count) for r in _regions(path)]
    monkeypatch.setattr(store.engine.regions, "CHUNK", chunk)
    assert [(r.name, r.start, r.end, r.count) for r in _regions(path)] == whole
    assert [(name, count) for name, _s, _e, count in whole] == [
        ("_meta", 1),
        ("users", 1),  # a small table read at start: at the head (store/engine/layout.HEAD)
        ("members", 39),
        ("empty", 0),
    ]
    raw = path.read_bytes()
    for bad in (
        raw.replace(b'\n"20":', b'\n "20":'),  # a record line not starting with a quote
        raw.replace(b'\n"20":', b'\n}\n"20":'),  # a table closed in its middle
        raw[: raw.index(b'"empty"')],  # ends inside the file
    ):
        path.write_bytes(bad)
        with pytest.raises(NotLines):
            _regions(path)


def test_an_older_compact_file_is_still_read_and_then_written_in_lines(
    tmp_path: Path, small_tables: None
) -> None:
    path = tmp_path / "old.json"
    members = {str(i): {"id": f"{i:032x}", "version": 1, "name": f"m{i}"} for i in range(1, 30)}
    path.write_bytes(orjson.dumps({"_meta": {"1": {"schema_version": 2}}, "members": members}))
    db = Database(path)
    assert db.snapshot().get("members", f"{7:032x}") == members["7"]
    with db.transaction(ADMIN) as tx:
        tx.update("members", f"{7:032x}", {"name": "seven"}, expected_version=1)
    assert {region.name: region.count for region in _regions(path)}["members"] == 29
    assert json.loads(path.read_bytes())["members"]["7"]["name"] == "seven"


def _member(i: int) -> dict[str, Any]:
    return {"name": f"成员{i}", "note": "x" * (i % 7), "n": i}


class SplicedSaves(RuleBasedStateMachine):
    """Random inserts, edits and deletes on a big table, several per save; a dict is the model."""

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[str, dict[str, Any]] = {}  # record id -> document without bookkeeping
        self.pending: list[tuple[str, Any]] = []

    @initialize(count=st.integers(min_value=0, max_value=12))
    def start(self, count: int) -> None:
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="shequ-lines-"))
        self.db = Database(self.folder / "f.json")
        with self.db.transaction(ADMIN) as tx:
            tx.insert("settings", {"community_name": "x"})
            for i in range(count):
                record = tx.insert("members", _member(i))
                self.model[record["id"]] = _member(i)

    def teardown(self) -> None:
        import shutil

        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)

    @rule(data=st.data(), ops=st.integers(min_value=1, max_value=4))
    def save(self, data: st.DataObject, ops: int) -> None:
        expected = {key: dict(value) for key, value in self.model.items()}
        with self.db.transaction(ADMIN) as tx:
            for _ in range(ops):
                choice = data.draw(st.sampled_from(["insert", "update", "delete"]))
                if choice == "insert" or not expected:
                    n = data.draw(st.integers(0, 999))
                    record = tx.insert("members", _member(n))
                    expected[record["id"]] = _member(n)
                    continue
                record_id = data.draw(st.sampled_from(sorted(expected)))
                version = tx.get("members", record_id)["version"]
                if choice == "update":
                    n = data.draw(st.integers(0, 999))
                    tx.update("members", record_id, _member(n), expected_version=version)
                    expected[record_id] = _member(n)
                else:
                    tx.delete("members", record_id, expected_version=version)
                    del expected[record_id]
        self.model = expected

    @invariant()
    def the_file_is_the_model(self) -> None:
        if not hasattr(self, "db"):
            return
        data = json.loads(self.db.path.read_bytes())
        stored = {
            doc["id"]: {k: v for k, v in doc.items() if k in ("name", "note", "n")}
            for doc in data.get("members", {}).values()
        }
        assert stored == self.model
        doc_ids = [int(key) for key in data.get("members", {})]
        assert doc_ids == sorted(doc_ids) and len(set(doc_ids)) == len(doc_ids)
        regions = {region.name: region for region in _regions(self.db.path)}
        assert regions.get("members") is None or regions["members"].count == len(self.model)
        fresh = Database(self.db.path).snapshot()  # a reader that never saw a save
        assert {doc["id"] for doc in fresh.all("members")} == set(self.model)


def test_spliced_saves_keep_the_file_whole_and_equal_to_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store.engine.storage, "SMALL", 200)
    SplicedSaves.TestCase.settings = settings(max_examples=25, stateful_step_count=8, deadline=None)
    SplicedSaves.TestCase().runTest()


def test_a_save_copies_the_lines_it_did_not_change(tmp_path: Path, small_tables: None) -> None:
    db = Database(tmp_path / "f.json")
    with db.transaction(ADMIN) as tx:
        ids = [tx.insert("members", _member(i))["id"] for i in range(50)]
    before = db.path.read_bytes().splitlines()
    with db.transaction(ADMIN) as tx:
        tx.update("members", ids[20], {"name": "改"}, expected_version=1)
    after = db.path.read_bytes().splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    meta = [i for i in changed if b'"last_tx"' in after[i]]  # every save names its transaction
    changed = [i for i in changed if i not in meta]
    assert len(meta) == 1 and len(changed) == 1 and "改".encode() in after[changed[0]]


def test_readers_find_one_record_without_parsing_the_table(
    tmp_path: Path, small_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "f.json")
    with db.transaction(ADMIN) as tx:
        ids = [tx.insert("contacts", {"member_id": f"m{i % 5}", "n": i})["id"] for i in range(40)]
    parsed_whole: list[str] = []
    real = store.engine.snapshot.parse_region

    def counting(fd: int, region: Any) -> Any:
        parsed_whole.append(region.name)
        return real(fd, region)

    monkeypatch.setattr(store.engine.snapshot, "parse_region", counting)
    snap = db.snapshot()
    assert snap.get("contacts", ids[33])["n"] == 33  # type: ignore[index]
    assert [doc["n"] for doc in snap.where("contacts", "member_id", "m2")] == list(range(2, 40, 5))
    assert snap.count("contacts") == 40
    assert parsed_whole == []
    assert len(snap.all("contacts")) == 40
    assert parsed_whole == ["contacts"]


def test_a_damaged_record_is_reported_by_its_readers_and_never_lost(
    tmp_path: Path, small_tables: None
) -> None:
    from store.errors import DatabaseUnreadable
    from store.members.summary import members_of

    db = Database(tmp_path / "f.json")
    with db.transaction(ADMIN) as tx:
        tx.insert("settings", {"community_name": "x"})
        for i in range(20):
            tx.insert("members", _member(i))
    db.backup()
    raw = db.path.read_bytes()
    damaged = raw.replace("成员7".encode(), b'\\u12"', 1)  # a line that is not JSON any more
    db.path.write_bytes(damaged)
    reader = Database(db.path)
    snap = reader.snapshot()  # where the tables are: still readable
    with pytest.raises(DatabaseUnreadable) as caught:
        members_of(snap)
    assert "members" in str(caught.value) and "shequ restore" in str(caught.value)
    with reader.transaction(ADMIN) as tx:  # a save that does not touch the members
        tx.update("settings", snap.all("settings")[0]["id"], {"community_name": "y"}, 1)
    after = reader.path.read_bytes()
    bad_line = next(line for line in damaged.splitlines() if b'\\u12"' in line)
    assert bad_line in after.splitlines()  # carried over byte for byte, not lost


def test_a_damaged_small_table_is_refused_when_read(tmp_path: Path) -> None:
    from store.errors import DatabaseUnreadable

    db = Database(tmp_path / "f.json")
    with db.transaction(ADMIN) as tx:
        tx.insert("users", {"username": "a"})
    db.path.write_bytes(db.path.read_bytes().replace(b'"username"', b'"username', 1))
    with pytest.raises(DatabaseUnreadable):
        Database(db.path).snapshot().all("users")


def test_many_inserts_in_one_save_get_consecutive_doc_ids(tmp_path: Path) -> None:
    """A demo or an import inserts thousands at once: each doc_id is counted on from the
    largest (found once per table, not once per insert), whatever was done in between."""
    db = Database(tmp_path / "f.json")
    with db.transaction(ADMIN) as tx:
        tx.insert_many("members", [_member(i) for i in range(300)], audit_each=False)
        tx.storage.data["members"]["900"] = {"id": "x" * 32, "n": -1}  # a caller's own id
        tx.insert_many("members", [_member(i) for i in range(3)], audit_each=False)
    ids = [int(key) for key in json.loads(db.path.read_bytes())["members"]]
    assert ids == [*range(1, 301), 900, 901, 902, 903]
