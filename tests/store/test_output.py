"""store.engine.output: where every export goes, decided by what the path finally is."""

from __future__ import annotations

import io
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.engine.output import OutputRefused, check_target, read_input, write_output
from store.errors import WriteFailed
from store.members import ops as members

ADMIN = Actor("root", Role.ADMIN)
PAYLOAD = "姓名\r\n张三\r\n".encode("utf-8-sig")


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """A database with its file, change log, lock and one backup on disk."""
    database = Database(tmp_path / "data" / "shequ.json")
    members.add(database, ADMIN, {"name": "张三"})
    database.backup("manual")
    return database


def own_files(db: Database) -> list[Path]:
    return [db.path, db.audit_path, db.lock_path, *db.backup_dir.iterdir()]


@pytest.fixture
def unchanged(db: Database) -> Iterator[None]:
    """Every one of shequ's own files is byte-identical after the test."""
    before = {path: path.read_bytes() for path in own_files(db)}
    yield
    assert {path: path.read_bytes() for path in own_files(db)} == before


def test_a_new_file_is_written_private(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert write_output(out, PAYLOAD, db) is False
    assert out.read_bytes() == PAYLOAD
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_link_has_its_target_replaced_keeping_mode_and_link(db: Database, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "roster.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    inode = target.stat().st_ino
    write_output(link, PAYLOAD, db)
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() == PAYLOAD
    assert target.stat().st_ino != inode  # replaced whole (rename), never written in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in elsewhere.iterdir()) == ["roster.csv"]


def test_a_dangling_link_creates_its_target(db: Database, tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    write_output(link, PAYLOAD, db)
    assert link.is_symlink()
    assert (tmp_path / "new.csv").read_bytes() == PAYLOAD


def test_a_fifo_is_written_straight_to_its_reader(db: Database, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert write_output(fifo, PAYLOAD, db) is True
    reader.join(timeout=30)
    assert received == [PAYLOAD]
    assert fifo.is_fifo()


def test_a_character_device_stays_a_device(db: Database) -> None:
    null = Path(os.devnull)
    assert write_output(null, PAYLOAD, db) is True
    assert null.is_char_device()


def test_dash_is_standard_output_but_a_path_named_dash_is_a_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.BytesIO()
    assert write_output("-", PAYLOAD, db, stdout=stream) is True
    assert stream.getvalue() == PAYLOAD
    monkeypatch.chdir(tmp_path)
    write_output(Path("-"), PAYLOAD, db)
    assert (tmp_path / "-").read_bytes() == PAYLOAD


def test_a_folder_a_socket_and_a_missing_folder(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(OutputRefused, match="is a folder"):
        write_output(tmp_path, PAYLOAD, db)
    sock = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        # Bound by a relative name: a socket's address holds at most 107 bytes, and the
        # temporary folder's own path may be longer than that.
        monkeypatch.chdir(tmp_path)
        server.bind(sock.name)
        with pytest.raises(OutputRefused, match="is a socket"):
            write_output(sock, PAYLOAD, db)
    finally:
        server.close()
    with pytest.raises(WriteFailed, match="Nothing was changed"):
        write_output(tmp_path / "no-such-folder" / "out.csv", PAYLOAD, db)


def test_a_block_device_is_refused() -> None:
    devices = [p for p in Path("/dev").iterdir() if p.is_block_device()]
    if not devices:
        pytest.skip("no block device on this machine")
    db = Database(Path("/nonexistent/shequ.json"))
    with pytest.raises(OutputRefused, match="is a disk device"):
        check_target(devices[0], db)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("which", "said"),
    [
        ("database", "is shequ's database"),
        ("audit", "is the database's change log"),
        ("lock", "is the database's lock file"),
        ("backup", "is in the database's backups folder"),
    ],
)
@pytest.mark.parametrize("how", ["absolute", "relative", "link", "hard link"])
def test_shequs_own_files_are_refused_however_named(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    which: str,
    said: str,
    how: str,
) -> None:
    victim = {
        "database": db.path,
        "audit": db.audit_path,
        "lock": db.lock_path,
        "backup": next(db.backup_dir.iterdir()),
    }[which]
    if how == "relative":
        monkeypatch.chdir(tmp_path / "data" / "backups")
        target = Path(os.path.relpath(victim))  # ../shequ.json
    elif how == "link":
        target = tmp_path / "roster.csv"
        target.symlink_to(victim)
    elif how == "hard link":
        target = tmp_path / "roster.csv"
        os.link(victim, target)
    else:
        target = victim
    with pytest.raises(OutputRefused, match=said):
        write_output(target, PAYLOAD, db)
    if how == "link":
        assert target.is_symlink()


def test_standard_output_into_the_database_is_refused(db: Database) -> None:
    with db.audit_path.open("ab") as appended, pytest.raises(OutputRefused, match="change log"):
        write_output("-", PAYLOAD, db, stdout=appended)


def test_a_new_database_path_is_refused_before_the_database_exists(tmp_path: Path) -> None:
    db = Database(tmp_path / "shequ.json")
    with pytest.raises(OutputRefused, match="is shequ's database"):
        write_output(tmp_path / "shequ.json", PAYLOAD, db)
    assert not db.path.exists()


def test_read_input_dash_is_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(PAYLOAD))
    monkeypatch.setattr("sys.stdin", stdin)
    assert read_input("-") == PAYLOAD
    (tmp_path / "-").write_bytes(b"a file")
    monkeypatch.chdir(tmp_path)
    assert read_input(Path("-")) == b"a file"
