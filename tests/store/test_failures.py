"""When the file is damaged or the disk says no: a clear StoreError, and nothing changed."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.actor import Actor
from store.engine import audit, backups
from store.engine.database import Database
from store.engine.storage import read_file
from store.errors import DatabaseUnreadable, SchemaTooNew, StoreError, WriteFailed
from tests.store.conftest import FakeClock
from tests.store.workers import TIMEOUT, Child

NOBODY = 65534


def _fill(db: Database, actor: Actor, count: int = 3) -> list[dict[str, Any]]:
    with db.transaction(actor) as tx:
        return [tx.insert("members", {"name": f"成员{i}", "phone": "138"}) for i in range(count)]


def _state(db: Database) -> tuple[bytes, bytes, list[str], list[str]]:
    """Everything on disk a failed operation must leave exactly as it was."""
    audit_bytes = db.audit_path.read_bytes() if db.audit_path.is_file() else b""
    names = sorted(p.name for p in db.backup_dir.iterdir()) if db.backup_dir.is_dir() else []
    temps = sorted(p.name for p in db.path.parent.iterdir() if p.name.endswith(".tmp"))
    return db.path.read_bytes(), audit_bytes, names, temps


def _raw_audit(db: Database) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in db.audit_path.read_bytes().splitlines()]


def _assert_last_transaction_aborted(db: Database, committed: list[dict[str, Any]]) -> None:
    """The failed transaction's lines were written, then marked aborted; readers skip them."""
    raw = _raw_audit(db)
    assert raw[-1]["op"] == "aborted"
    assert raw[-2]["tx"] == raw[-1]["tx"]
    assert raw[-2]["op"] != "aborted"
    assert list(audit.read(db.audit_path)) == committed


# -- damaged files ----------------------------------------------------------------------------

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda good: b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff\xfe",
    "truncated": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "blank": lambda good: b"  \n",
    "list": lambda good: b'[{"name": "x"}]',
    "table-not-object": lambda good: b'{"members": [{"name": "x"}]}',
    "record-not-object": lambda good: b'{"members": {"1": "x"}}',
    "nan": lambda good: b'{"members": {"1": {"n": NaN}}}',
}


@pytest.mark.parametrize("with_backup", [True, False], ids=["backup", "no-backup"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_refused_and_left_byte_identical(
    db_path: Path, actor: Actor, clock: FakeClock, damage: str, with_backup: bool
) -> None:
    warm = Database(db_path, clock=clock)
    _fill(warm, actor)
    newest = None
    if with_backup:
        warm.backup()
        clock.advance(seconds=1)
        newest = warm.backup()
    assert warm.snapshot().count("members") == 3  # the cache now holds the good version
    db_path.write_bytes(DAMAGE[damage](db_path.read_bytes()))  # damaged in place
    before = _state(warm)

    for db in (warm, Database(db_path, clock=clock)):  # a warm cache and a cold start

        def write(db: Database = db) -> None:
            with db.transaction(actor) as tx:
                tx.insert("members", {"name": "新"})

        for attempt in (write, db.snapshot, db.backup, db.data_for_check):
            with pytest.raises(DatabaseUnreadable) as caught:
                attempt()
            message = str(caught.value)
            assert str(db_path) in message
            assert caught.value.path == db_path
            assert caught.value.backup == newest
            if newest is not None:
                assert str(newest) in message
                assert "restore" in message
            else:
                assert "No backup" in message
    assert _state(warm) == before


def test_the_named_backup_is_the_way_back(
    db_path: Path, actor: Actor, clock: FakeClock, admin: Actor
) -> None:
    db = Database(db_path, clock=clock)
    made = _fill(db, actor)
    db.backup()
    db_path.write_bytes(b"\x00" * 100)
    with pytest.raises(DatabaseUnreadable) as caught:
        db.snapshot()
    assert caught.value.backup is not None
    clock.advance(seconds=1)
    kept = db.restore(caught.value.backup, admin)
    assert kept is not None
    assert kept.read_bytes() == b"\x00" * 100  # the damaged file is kept, not destroyed
    assert {r["id"] for r in db.snapshot().all("members")} == {r["id"] for r in made}
    clock.advance(seconds=1)
    db_path.write_bytes(b"\x00" * 100)  # damaged again the same day
    with pytest.raises(DatabaseUnreadable) as again:
        db.snapshot()
    # The hint must not point at the damaged copy that the restore kept.
    assert again.value.backup is not None
    assert read_file(again.value.backup) is not None


def test_a_file_from_a_newer_shequ_is_refused_and_untouched(
    db_path: Path, actor: Actor, clock: FakeClock
) -> None:
    db = Database(db_path, clock=clock)
    _fill(db, actor)
    data = orjson.loads(db_path.read_bytes())
    data["_meta"]["1"]["schema_version"] = 99
    db_path.write_bytes(orjson.dumps(data))
    before = _state(db)
    for who in (db, Database(db_path, clock=clock)):
        with pytest.raises(SchemaTooNew) as caught, who.transaction(actor) as tx:
            tx.insert("members", {"name": "新"})
        assert str(db_path) in str(caught.value)
        assert "newer" in str(caught.value)
        with pytest.raises(SchemaTooNew):
            who.snapshot()
    assert _state(db) == before


# -- the disk says no ---------------------------------------------------------------------------


@pytest.fixture
def ready_db(db_path: Path, actor: Actor, clock: FakeClock) -> Database:
    """A database with records, a log and today's backup (so a save needs only the write)."""
    db = Database(db_path, clock=clock)
    _fill(db, actor)
    db.backup()
    return db


def _try_insert(db: Database, actor: Actor) -> StoreError:
    with pytest.raises(StoreError) as caught, db.transaction(actor) as tx:
        tx.insert("members", {"name": "新人"})
    return caught.value


def _patch(
    monkeypatch: pytest.MonkeyPatch,
    target: Any,
    name: str,
    error: OSError,
    only: Callable[..., bool] = lambda *args, **kwargs: True,
) -> None:
    real = getattr(target, name)

    def fail(*args: Any, **kwargs: Any) -> Any:
        if only(*args, **kwargs):
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fail)


def _is_file_fd(fd: int, *_: Any) -> bool:
    return isinstance(fd, int) and stat.S_ISREG(os.fstat(fd).st_mode)


def _is_dir_fd(fd: int, *_: Any) -> bool:
    return isinstance(fd, int) and stat.S_ISDIR(os.fstat(fd).st_mode)


@pytest.mark.parametrize(
    ("where", "error", "says"),
    [
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "no permission"),
        ("replace", PermissionError(errno.EPERM, "Operation not permitted"), "no permission"),
        ("replace", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        ("fsync", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
    ids=["mkstemp-EACCES", "replace-EPERM", "replace-ENOSPC", "fsync-ENOSPC", "fsync-EIO"],
)
def test_a_failed_write_changes_nothing_and_is_marked_aborted(
    ready_db: Database,
    actor: Actor,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    error: OSError,
    says: str,
) -> None:
    """Simulated: the store's own write path meets the error a full or read-only disk gives."""
    db = ready_db
    before = _state(db)
    committed = list(audit.read(db.audit_path))
    reader = Database(db.path)
    seen = reader.snapshot()
    with monkeypatch.context() as patch:
        if where == "mkstemp":
            _patch(patch, tempfile, "mkstemp", error)
        elif where == "replace":
            _patch(patch, os, "replace", error)
        else:  # the new data file's fsync; the audit log's still succeeds
            log_inode = db.audit_path.stat().st_ino
            _patch(
                patch,
                os,
                "fsync",
                error,
                only=lambda fd: _is_file_fd(fd) and os.fstat(fd).st_ino != log_inode,
            )
        failure = _try_insert(db, actor)
    assert isinstance(failure, WriteFailed)
    assert str(db.path) in str(failure)
    assert says in str(failure)
    assert "Nothing was changed" in str(failure)

    data, _audit, names, temps = _state(db)
    assert (data, names, temps) == (before[0], before[2], before[3])
    _assert_last_transaction_aborted(db, committed)
    assert db.snapshot().count("members") == 3
    assert not reader.changed_since(seen.token)
    assert Database(db.path).snapshot().count("members") == 3

    with db.transaction(actor) as tx:  # the same object saves fine once the disk is back
        tx.insert("members", {"name": "新人"})
    assert reader.snapshot().count("members") == 4


def test_a_failed_daily_backup_stops_the_save(
    db_path: Path, actor: Actor, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_path, clock=clock)
    _fill(db, actor)
    clock.advance(days=1)  # the next save must take the day's backup first
    before = _state(db)
    committed = list(audit.read(db.audit_path))
    with monkeypatch.context() as patch:
        _patch(patch, backups.shutil, "copyfileobj", OSError(errno.ENOSPC, "No space left"))
        failure = _try_insert(db, actor)
    assert isinstance(failure, WriteFailed)
    assert "disk is full" in str(failure)
    assert str(db.backup_dir) in str(failure)
    data, _audit, names, temps = _state(db)
    assert (data, names, temps) == (before[0], before[2], before[3])
    assert list(db.backup_dir.glob(".*")) == []
    _assert_last_transaction_aborted(db, committed)


def test_an_unwritable_audit_log_stops_the_save_before_anything(
    ready_db: Database, actor: Actor
) -> None:
    """Real: the log's path is a folder, so the kernel refuses the append (EISDIR)."""
    db = ready_db
    db.audit_path.rename(db.audit_path.with_name("old.jsonl"))
    db.audit_path.mkdir()
    before = _state(db)
    failure = _try_insert(db, actor)
    assert isinstance(failure, WriteFailed)
    assert str(db.audit_path) in str(failure)
    assert db.path.read_bytes() == before[0]
    assert db.snapshot().count("members") == 3


def test_a_restore_whose_write_fails_is_marked_aborted(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch, admin: Actor
) -> None:
    db = ready_db
    source = db.backup()
    committed = list(audit.read(db.audit_path))
    before = db.path.read_bytes()
    with monkeypatch.context() as patch:
        _patch(
            patch,
            os,
            "replace",
            OSError(errno.ENOSPC, "No space left on device"),
            only=lambda _src, dst: Path(dst) == db.path,  # the backup before it succeeds
        )
        with pytest.raises(WriteFailed, match="disk is full"):
            db.restore(source, admin)
    assert db.path.read_bytes() == before
    _assert_last_transaction_aborted(db, committed)


def test_a_folder_that_cannot_be_fsynced_does_not_undo_a_save(
    ready_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some filesystems refuse fsync on a folder (EINVAL); the rename has already happened."""
    db = ready_db
    with monkeypatch.context() as patch:
        _patch(patch, os, "fsync", OSError(errno.EINVAL, "Invalid argument"), only=_is_dir_fd)
        with db.transaction(actor) as tx:
            tx.insert("members", {"name": "新人"})
        db.backup()
    assert Database(db.path).snapshot().count("members") == 4
    assert [line["op"] for line in _raw_audit(db)[-2:]] == ["insert", "commit"]


# -- real permissions -----------------------------------------------------------------------------


@contextlib.contextmanager
def _shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private (0700) temp tree, so an unprivileged user reaches it."""
    folder = Path(tempfile.mkdtemp(prefix="shequ-perm-"))
    try:
        os.chmod(folder, 0o755)
        yield folder
    finally:
        os.chmod(folder, 0o700)
        shutil.rmtree(folder)


def _run_unprivileged(folder: Path, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``attempt`` where the kernel really refuses writes to ``folder``.

    As a normal user, ``chmod 0500`` on the folder does that. Root ignores folder modes, so as
    root a forked child gives up root for ``nobody`` (the files are handed to nobody first, the
    folder is left read-only) -- the same kernel check a volunteer's session would meet. A fork
    and not a new interpreter: the venv's Python may sit where nobody cannot read.
    """
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        try:
            return attempt()
        finally:
            os.chmod(folder, 0o755)
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    os.chmod(folder, 0o500)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = attempt()
        except BaseException as error:
            result = {"crashed": repr(error)}
            code = 1
        try:
            os.write(write_end, orjson.dumps(result))
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], TIMEOUT)
            assert ready, "unprivileged child timed out"
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
        os.chmod(folder, 0o755)
    result: dict[str, Any] = orjson.loads(b"".join(chunks))
    assert "crashed" not in result, result
    return result


def _write_and_read(path: Path, actor: Actor, clock: FakeClock) -> Callable[[], dict[str, Any]]:
    def attempt() -> dict[str, Any]:
        db = Database(path, clock=clock)
        outcome: dict[str, Any] = {}
        try:
            with db.transaction(actor) as tx:
                tx.insert("members", {"name": "新人"})
            outcome["write"] = "saved"
        except StoreError as error:
            outcome["write"] = [type(error).__name__, str(error)]
        outcome["count"] = db.snapshot().count("members")
        return outcome

    return attempt


def test_a_read_only_folder_fails_cleanly(actor: Actor, clock: FakeClock) -> None:
    with _shared_folder() as folder:
        db = Database(folder / "s.json", clock=clock)
        _fill(db, actor)
        db.backup()  # today's backup exists: the save itself is what must fail
        before = _state(db)
        committed = list(audit.read(db.audit_path))

        outcome = _run_unprivileged(folder, _write_and_read(db.path, actor, clock))

        kind, message = outcome["write"]
        assert kind == "WriteFailed"
        assert str(db.path) in message
        assert "no permission" in message
        assert outcome["count"] == 3  # reading still works
        data, _audit, names, temps = _state(db)
        assert (data, names, temps) == (before[0], before[2], before[3])
        _assert_last_transaction_aborted(db, committed)


def test_a_read_only_folder_without_a_lock_file_fails_cleanly(
    actor: Actor, clock: FakeClock
) -> None:
    with _shared_folder() as folder:
        db = Database(folder / "s.json", clock=clock)
        _fill(db, actor)
        db.lock_path.unlink()
        before = _state(db)

        outcome = _run_unprivileged(folder, _write_and_read(db.path, actor, clock))

        kind, message = outcome["write"]
        assert kind == "WriteFailed"
        assert str(db.lock_path) in message
        assert outcome["count"] == 3
        assert _state(db) == before


# -- a really full disk -------------------------------------------------------------------------


@contextlib.contextmanager
def _tiny_filesystem(where: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (the simulated ENOSPC tests still run)")
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill_disk(folder: Path, leave: int) -> Path:
    """Fill the filesystem, then free ``leave`` bytes."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        chunk = b"\0" * 4096
        with contextlib.suppress(OSError):
            while True:
                handle.write(chunk)
        size = handle.tell()
    os.truncate(filler, max(0, os.path.getsize(filler) - leave))
    assert size > 0
    return filler


def test_a_full_disk_fails_cleanly(tmp_path: Path, actor: Actor, clock: FakeClock) -> None:
    """Real ENOSPC from a 256 KiB tmpfs: the new file cannot be written, the old one stays."""
    with _tiny_filesystem(tmp_path / "disk", "256k") as disk:
        db = Database(disk / "s.json", clock=clock)
        with db.transaction(actor) as tx:
            made = [
                tx.insert("members", {"name": f"成员{i}", "notes": "记录" * 60}) for i in range(60)
            ]
        db.backup()
        assert db.path.stat().st_size > 30_000
        before = _state(db)
        committed = list(audit.read(db.audit_path))
        reader = Database(db.path)
        seen = reader.snapshot()

        filler = _fill_disk(disk, leave=8192)  # room for a log line, not for a new file
        with pytest.raises(WriteFailed) as caught, db.transaction(actor) as tx:
            tx.update("members", made[0]["id"], {"phone": "139"}, expected_version=1)
        message = str(caught.value)
        assert str(db.path) in message
        assert "disk is full" in message

        data, _audit, names, temps = _state(db)
        assert (data, names, temps) == (before[0], before[2], before[3])
        _assert_last_transaction_aborted(db, committed)
        assert not reader.changed_since(seen.token)
        assert db.snapshot().get("members", made[0]["id"]) == seen.get("members", made[0]["id"])

        filler.unlink()
        with db.transaction(actor) as tx:
            tx.update("members", made[0]["id"], {"phone": "139"}, expected_version=1)
        changed = reader.snapshot().get("members", made[0]["id"])
        assert changed is not None
        assert changed["phone"] == "139"


def test_a_kernel_refused_write_fails_cleanly(
    ready_db: Database, actor: Actor, admin: Actor
) -> None:
    """Real, without root: a file-size limit (RLIMIT_FSIZE) makes the kernel refuse the write."""
    db = ready_db
    big = {
        "_meta": orjson.loads(db.path.read_bytes())["_meta"],
        "members": {
            str(i): {"id": f"{i:032x}", "version": 1, "name": "成员", "notes": "记" * 300}
            for i in range(1, 80)
        },
    }
    source = db.path.with_name("big.json")
    source.write_bytes(orjson.dumps(big))
    db.restore(source, admin)  # a big file, a small log
    Database(db.path).backup()  # the child's real clock finds today's backup taken
    size, log_size = db.path.stat().st_size, db.audit_path.stat().st_size
    assert size > log_size + 20_000
    before = _state(db)
    committed = list(audit.read(db.audit_path))

    child = Child("write-limited", str(db.path), str(size + 1000), "3000")
    try:
        reply = orjson.loads(child.line())
    finally:
        child.close()
    assert reply["error"] == "WriteFailed"
    assert str(db.path) in reply["message"]
    data, _audit, names, temps = _state(db)
    assert (data, names, temps) == (before[0], before[2], before[3])
    _assert_last_transaction_aborted(db, committed)
