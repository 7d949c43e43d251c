"""A writer killed with SIGKILL at random moments never leaves a damaged file, loses a commit or
leaves a change-log entry without its data (or data without its entry)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.actor import Actor
from store.engine import audit, audit_tail, backups
from store.engine.check import check
from store.engine.database import Database
from store.engine.storage import read_file
from tests.store.workers import ROOT, TIMEOUT, Child

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


# -- `shequ members add` killed at random moments: the change log holds only what happened ----

SHEQU = [sys.executable, "-m", "tui.cli"]
CLI_MEMBERS = 10_000  # about 12 MB: an add spends a good part of its time reading and writing
PREFIX = "崩溃"


def _cli(db_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""}
    return subprocess.Popen(
        [*SHEQU, "--db", str(db_path), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _ended(child: subprocess.Popen[bytes]) -> tuple[int, str]:
    """The child's exit code and what it said on stderr, once it is gone."""
    try:
        code = child.wait(TIMEOUT)
        return code, child.stderr.read().decode(errors="replace") if child.stderr else ""
    finally:
        if child.stderr:
            child.stderr.close()


def _moment(db: Database, name: str) -> str:
    """Where the kill landed, as the files tell (for the report, not for the assertions)."""
    if any(doc["name"] == name for doc in db.snapshot().all("members")):
        return "after its data" if audit_tail.pending(db.audit_path) else "finished"
    if f'"{name}"'.encode() in db.audit_path.read_bytes():
        return "between its log and its data"
    return "before its log"


def _added(db: Database, last_tx: object) -> tuple[set[str], set[str]]:
    """The crash runs' members in the file, and those the log says were inserted."""
    result = read_file(db.path)  # strict: raises if the file were damaged
    assert result is not None
    in_file = {
        doc["id"]
        for doc in result[1]["members"].values()
        if str(doc.get("name", "")).startswith(PREFIX)
    }
    logged = {
        entry["id"]
        for entry in audit.read(db.audit_path, last_tx=last_tx)
        if entry["op"] == "insert" and str(entry["after"].get("name", "")).startswith(PREFIX)
    }
    return in_file, logged


@pytest.mark.slow
def test_members_add_killed_at_random_moments_logs_only_what_it_saved(tmp_path: Path) -> None:
    seed = int(os.environ.get("SHEQU_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    path = tmp_path / "s.json"
    assert _ended(_cli(path, "demo", "--members", str(CLI_MEMBERS)))[0] == 0
    db = Database(path)
    # The first add of the day also takes the daily backup; the next shows how long one takes.
    assert _ended(_cli(path, "members", "add", "--name", f"{PREFIX}早"))[0] == 0
    times = []
    for n in range(3):
        started = time.perf_counter()
        assert _ended(_cli(path, "members", "add", "--name", f"{PREFIX}计时{n}"))[0] == 0
        times.append(time.perf_counter() - started)
    took = sorted(times)[1]

    moments: dict[str, int] = {}
    for run in range(KILLS):
        child = _cli(path, "members", "add", "--name", f"{PREFIX}{run}")
        # The random moment (not a synchronization), mostly past the start-up's imports.
        time.sleep(rng.uniform(took * 0.25, took * 1.1))
        child.send_signal(signal.SIGKILL)
        code, errors = _ended(child)
        assert code in (0, -signal.SIGKILL), f"seed {seed}: the add failed by itself: {errors}"

        last_tx = Database(path).snapshot().meta.get("last_tx")
        in_file, logged = _added(db, last_tx)
        # No log entry without its data, no data without its entry.
        assert logged == in_file, f"seed {seed}, run {run}: {logged ^ in_file}"
        moment = _moment(db, f"{PREFIX}{run}")
        moments[moment] = moments.get(moment, 0) + 1

    print(f"\n{KILLS} kills of `members add` (one takes {took:.2f} s, seed {seed}): {moments}")
    # The next add settles whatever the last kill left open.
    assert _ended(_cli(path, "members", "add", "--name", f"{PREFIX}最后"))[0] == 0
    in_file, logged = _added(db, None)
    assert logged == in_file
    assert check(db) == [], f"seed {seed}: shequ check is not clean"
    assert audit.unsettled(db.audit_path) == []
