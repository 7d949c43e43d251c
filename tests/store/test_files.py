"""File modes with real files: a shared group install, and data every user could change."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database, open_database
from store.engine.files import UnknownGroup, group_from_env
from store.errors import DatabaseUnsafe
from tests.store.conftest import FakeClock

ROOT = Actor("os:root", Role.ADMIN)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _add(db: Database, name: str = "张三") -> None:
    with db.transaction(ROOT) as tx:
        tx.insert("members", {"name": name})


@pytest.fixture(scope="module")
def group() -> Iterator[int]:
    """A real group this process is not in by default: made with groupadd (root only)."""
    if os.geteuid() != 0 or shutil.which("groupadd") is None:
        pytest.skip("needs root and groupadd to make a group for the files")
    name = f"shequt{uuid.uuid4().hex[:8]}"
    subprocess.run(["groupadd", name], check=True)
    try:
        yield grp.getgrnam(name).gr_gid
    finally:
        subprocess.run(["groupdel", name], check=False)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0])
def test_a_group_install_shares_every_file_with_the_group(
    tmp_path: Path, clock: FakeClock, group: int, umask: int
) -> None:
    old = os.umask(umask)
    try:
        db = Database(tmp_path / "data" / "s.json", clock=clock, group=group)
        _add(db)
        clock.advance(days=1)
        _add(db)  # the daily backup
        manual = db.backup()
        db.restore(manual, ROOT)
    finally:
        os.umask(old)
    files = [db.path, db.lock_path, db.audit_path, *db.backup_dir.iterdir()]
    assert len(files) >= 5
    for path in files:
        assert (_mode(path), os.stat(path).st_gid) == (0o660, group), path
    for folder in (db.path.parent, db.backup_dir):
        assert (_mode(folder), os.stat(folder).st_gid) == (0o770, group), folder
    assert db.check_permissions() is None


def test_open_database_reads_the_group_from_the_environment(tmp_path: Path, group: int) -> None:
    name = grp.getgrgid(group).gr_name
    db = open_database(tmp_path / "s.json", {"SHEQU_GROUP": name})
    assert (db.group, db.file_mode) == (group, 0o660)
    _add(db)
    assert (_mode(db.path), os.stat(db.path).st_gid) == (0o660, group)
    private = open_database(tmp_path / "p.json", {})
    assert (private.group, private.file_mode) == (None, 0o600)


def test_group_from_env() -> None:
    root_group = grp.getgrgid(0).gr_name
    assert group_from_env({}) is None
    assert group_from_env({"SHEQU_GROUP": "  "}) is None
    assert group_from_env({"SHEQU_GROUP": root_group}) == 0
    assert group_from_env({"SHEQU_GROUP": "0"}) == 0
    with pytest.raises(UnknownGroup, match="no-such-group-x") as caught:
        group_from_env({"SHEQU_GROUP": "no-such-group-x"})
    assert "SHEQU_GROUP" in str(caught.value)


def test_a_world_writable_database_is_refused_until_fixed(db: Database) -> None:
    _add(db)
    db.snapshot()  # cached: a chmod changes no stat key, and must still be noticed
    os.chmod(db.path, 0o666)
    before = db.path.read_bytes()
    for attempt in (db.snapshot, lambda: _add(db, "李四"), lambda: Database(db.path).snapshot()):
        with pytest.raises(DatabaseUnsafe) as caught:
            attempt()
        assert f"chmod o-w {db.path}" in str(caught.value)
    assert db.path.read_bytes() == before
    os.chmod(db.path, 0o644)
    _add(db, "李四")
    assert db.snapshot().count("members") == 2


def test_world_readable_data_or_log_is_a_warning(db: Database) -> None:
    assert db.check_permissions() is None  # no file yet
    _add(db)
    assert db.check_permissions() is None
    os.chmod(db.audit_path, 0o644)
    warning = db.check_permissions()
    assert warning is not None and str(db.audit_path) in warning
    os.chmod(db.audit_path, 0o600)
    os.chmod(db.path, 0o640)
    assert db.check_permissions() is None
    os.chmod(db.path, 0o604)
    warning = db.check_permissions()
    assert warning is not None and f"chmod o-r {db.path}" in warning


def test_an_existing_folder_is_left_as_the_admin_made_it(tmp_path: Path, clock: FakeClock) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o2775)
    db = Database(folder / "s.json", clock=clock)
    _add(db)
    assert _mode(folder) == 0o2775
    assert _mode(db.path) == 0o600
