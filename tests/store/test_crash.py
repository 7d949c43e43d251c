"""A writer killed with SIGKILL at random moments never leaves a damaged file or loses a commit."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from store.actor import Actor
from store.engine import audit, backups
from store.engine.database import Database
from store.engine.storage import read_file
from tests.store.workers import Child

KILLS = 50
MAX_DELAY = 0.06  # seconds after the child is ready; it commits every millisecond or two


def _temp_files(db: Database) -> list[Path]:
    found = list(db.path.parent.glob(f".{db.path.name}.*.tmp"))
    if db.backup_dir.is_dir():
        found += list(db.backup_dir.glob(".*.tmp"))
    return found


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_never_loses_a_commit(
    tmp_path: Path, actor: Actor
) -> None:
    seed = int(os.environ.get("SHEQU_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    path = tmp_path / "s.json"
    db = Database(path)
    reported: set[str] = set()
    stray_seen = 0
    started = time.perf_counter()
    for run in range(KILLS):
        # Every other child takes a daily backup (and prunes) on each commit.
        child = Child("insert-loop", str(path), "daily" if run % 2 else "")
        try:
            child.expect("ready")
            time.sleep(rng.uniform(0.0, MAX_DELAY))  # the random moment, not a synchronization
            child.proc.send_signal(signal.SIGKILL)
            lines = child.remaining_lines()
            code, errors = child.proc.returncode, child.stderr()
        finally:
            child.close()
        assert code == -signal.SIGKILL, f"seed {seed}: the writer died by itself: {errors}"
        reported.update(lines)

        result = read_file(path)  # strict: raises if the file were damaged
        if result is None:
            assert not reported, f"seed {seed}: reported commits but there is no file"
            continue
        ids = [doc["id"] for doc in result[1].get("members", {}).values()]
        assert len(ids) == len(set(ids)), f"seed {seed}: duplicate ids"
        missing = reported - set(ids)
        assert not missing, f"seed {seed}, run {run}: lost commits {sorted(missing)[:3]}"
        assert db.snapshot().count("members") == len(ids)
        stray_seen = max(stray_seen, len(_temp_files(db)))
    elapsed = time.perf_counter() - started

    stray = _temp_files(db)
    print(
        f"\n{KILLS} kills in {elapsed:.1f} s (seed {seed}): {len(reported)} reported commits, "
        f"{stray_seen} temp files left behind at most, {len(stray)} at the end"
    )
    assert reported, "no child ever committed: the kill window is too short for this machine"

    # The survivors: every reported commit is audited; an insert logged but never saved can
    # only be the one transaction each kill interrupted.
    final = read_file(path)
    assert final is not None
    on_disk = {doc["id"] for doc in final[1]["members"].values()}
    logged = {line["id"] for line in audit.read(db.audit_path) if line["op"] == "insert"}
    assert reported <= logged
    assert len(logged - on_disk) <= KILLS
    # Backups left by the killed writers are whole files; their temp files are not backups.
    for backup in backups.list_backups(db.backup_dir, db.path):
        assert not backup.name.startswith(".")
        assert read_file(backup) is not None

    # Leftover temp files are not data, and the database carries on.
    with db.transaction(actor) as tx:
        tx.insert("members", {"seq": -1})
    assert db.snapshot().count("members") == len(on_disk) + 1
    assert _temp_files(db) == [], "stale temp files are swept by the next writer"
