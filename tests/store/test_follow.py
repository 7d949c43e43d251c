"""Other sessions' saves reach a session as the changes, through the change log (issue 23).

A session holding a version of the file and its models follows what other processes committed
(store/engine/follow.py) instead of reading the file whole; whatever happened, what it holds
must equal a fresh read. Writers here are real processes (tests/store/follow_workers.py) on
real files; the follower is this process, or a real process stopped with SIGSTOP.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

import store.engine.storage
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.contacts.summary import contacts_of
from store.engine import audit, audit_format, audit_tail
from store.engine.database import Database
from store.members import ops as members
from store.members.summary import members_of
from tests.store.follow_workers import digest
from tests.store.workers import ROOT, Child

ADMIN = Actor("root", Role.ADMIN, user_id="u-root")
# Changes the log spells out record by record: a session follows them without a full read.
FOLLOWED = frozenset({"add", "edit", "archive", "delete", "contact", "uncontact", "import"})


class Worker(Child):
    """A process of tests/store/follow_workers.py."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.follow_workers", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        self._buffer = b""

    def change(self, path: Path, op: str, n: int) -> Any:
        reply = self.request(db=str(path), op=op, n=n)
        assert "ok" in reply, reply
        return reply["ok"]


class Reads:
    """Counts this process's whole reads of a data file (``open_version``), not followed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = store.engine.storage.open_version

        def counting(path: Path) -> Any:
            self.count += 1
            return real(path)

        monkeypatch.setattr(store.engine.storage, "open_version", counting)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    # Members and contacts count as big tables (read from the file, never kept parsed), as in
    # a real community: what is followed is the models, not parsed documents.
    monkeypatch.setattr(store.engine.storage, "SMALL", 200)
    return Reads(monkeypatch)


def fresh(path: Path) -> str:
    return digest(Database(path).snapshot())


def looked(db: Database, reads: Reads) -> tuple[str, int]:
    """What ``db``'s session holds now, and how many whole reads it took to get there."""
    before = reads.count
    snap = db.snapshot()
    members_of(snap), contacts_of(snap)
    return digest(snap), reads.count - before


# -- in one process, two sessions ----------------------------------------------------------------


def test_another_sessions_saves_are_followed_not_read(tmp_path: Path, reads: Reads) -> None:
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    first = members.add(writer, ADMIN, {"name": "张三", "phone": "13800000001"})
    looked(session, reads)
    updated = members.update(writer, ADMIN, first["id"], {"address": "幸福里1栋"}, 1)
    contacts.add_contact(writer, ADMIN, first["id"], {"date": "2024-01-02"})
    members.add(writer, ADMIN, {"name": "李四"})
    held, whole_reads = looked(session, reads)
    assert whole_reads == 0
    assert held == fresh(path)
    summary = members_of(session.snapshot()).get(first["id"])
    assert summary is not None and summary.version == updated["version"] == 2
    assert "幸福里1栋" in summary.blob


def test_the_change_log_shows_no_after_image(tmp_path: Path) -> None:
    db = Database(tmp_path / "shequ.json")
    first = members.add(db, ADMIN, {"name": "张三", "phone": "13800000001"})
    members.update(db, ADMIN, first["id"], {"name": "张山"}, 1)
    raw = [orjson.loads(line) for line in db.audit_path.read_bytes().splitlines()]
    (update,) = [line for line in raw if line.get("op") == "update"]
    assert update["image"]["phone"] == "13800000001"  # whole, for followers
    assert update["after"] == {"name": "张山", "search_keys": update["after"]["search_keys"]} or (
        "phone" not in update["after"]
    )
    shown = [entry for entry in audit.read(db.audit_path) if entry.get("op") == "update"]
    assert shown and all("image" not in entry for entry in shown)
    latest = audit_tail.last_change(db.audit_path, "members", first["id"])
    assert latest is not None and "image" not in latest


def test_a_restore_is_read_whole(tmp_path: Path, reads: Reads) -> None:
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    saved = writer.backup()
    members.add(writer, ADMIN, {"name": "李四"})
    looked(session, reads)
    writer.restore(saved, ADMIN)
    held, whole_reads = looked(session, reads)
    assert whole_reads == 1
    assert held == fresh(path)
    members.add(writer, ADMIN, {"name": "王五"})  # and from the restore on, followed again
    held, whole_reads = looked(session, reads)
    assert (held, whole_reads) == (fresh(path), 0)


def test_a_log_rotated_meanwhile_is_read_whole(tmp_path: Path, reads: Reads) -> None:
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    looked(session, reads)
    writer.audit_path.rename(tmp_path / "old.audit.jsonl")  # rotated away by hand
    members.add(writer, ADMIN, {"name": "李四"})
    held, whole_reads = looked(session, reads)
    assert (held, whole_reads) == (fresh(path), 1)


def test_a_commit_without_layout_is_scanned_and_the_models_still_follow(
    tmp_path: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    looked(session, reads)
    builds: list[int] = []
    real = store.members.summary.build

    def counting(snapshot: Any) -> Any:
        builds.append(1)
        return real(snapshot)

    monkeypatch.setattr(store.members.summary, "build", counting)
    real_commit = audit.commit  # a commit line as a crashed writer's successor writes it
    monkeypatch.setattr(audit, "commit", lambda *args, **kwargs: real_commit(*args[:5]))
    members.add(writer, ADMIN, {"name": "李四"})
    held, whole_reads = looked(session, reads)
    assert (whole_reads, builds) == (0, [])  # the file scanned for its tables, no model rebuilt
    assert held == fresh(path)


def test_an_account_change_is_followed_and_its_table_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log leaves a PIN's hash out ("***"): a small table like the users' is read again
    from the new file (cheap), the models still follow."""
    from store.users import ops as users

    counted = Reads(monkeypatch)
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    looked(session, counted)
    users.add_user(
        writer, ADMIN, username="wang", display_name="王芳", role="volunteer", secret="2468"
    )
    held, whole_reads = looked(session, counted)
    assert (held, whole_reads) == (fresh(path), 0)
    (doc,) = session.snapshot().all("users")
    assert doc["username"] == "wang" and doc["pin_hash"] != audit_format.REDACTED


def test_a_damaged_log_line_is_read_whole(tmp_path: Path, reads: Reads) -> None:
    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    looked(session, reads)
    members.add(writer, ADMIN, {"name": "李四"})
    raw = writer.audit_path.read_bytes()
    at = raw.rfind(b'"op":"insert"')
    writer.audit_path.write_bytes(raw[:at] + b"\x00" + raw[at + 1 :])  # one line spoiled
    held, whole_reads = looked(session, reads)
    assert (held, whole_reads) == (fresh(path), 1)


# -- writer processes and a follower, at random ------------------------------------------------


@pytest.fixture
def writers() -> Iterator[list[Worker]]:
    started = [Worker("writer"), Worker("writer")]
    try:
        yield started
    finally:
        for worker in started:
            worker.close()


RECORDS = ("add", "add", "edit", "archive", "delete", "contact", "contact", "uncontact", "import")
OPS = st.sampled_from((*RECORDS, "user", "backup", "restore"))


def test_a_follower_equals_a_fresh_read_after_any_changes(
    writers: list[Worker], reads: Reads
) -> None:
    class Sessions(RuleBasedStateMachine):
        """Writers in two processes change the file; a session here follows at random moments
        (after one change or many); what it holds equals a fresh read every time."""

        @initialize()
        def start(self) -> None:
            self.folder = Path(tempfile.mkdtemp(prefix="shequ-follow-"))
            self.path = self.folder / "shequ.json"
            for n in range(3):
                writers[0].change(self.path, "add", n)
            writers[0].change(self.path, "contact", 0)
            self.session = Database(self.path)
            looked(self.session, reads)
            self.since: list[str] = []

        @rule(op=OPS, n=st.integers(0, 1000), which=st.integers(0, 1))
        def save(self, op: str, n: int, which: int) -> None:
            writers[which].change(self.path, op, n)
            self.since.append(op)

        @rule()
        def look(self) -> None:
            held, whole_reads = looked(self.session, reads)
            assert held == fresh(self.path)
            if self.since and set(self.since) <= FOLLOWED:
                assert whole_reads == 0, self.since
            self.since = []

        def teardown(self) -> None:
            if hasattr(self, "path"):
                self.look()
            shutil.rmtree(self.folder, ignore_errors=True)

    run_state_machine_as_test(
        Sessions,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_a_follower_stopped_during_100_changes_catches_up_exactly(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    writer = Worker("writer")
    try:
        for n in range(5):
            writer.change(path, "add", n)
        follower = Worker("follower", str(path))
        try:
            follower.expect("ready")
            rng = random.Random(23)
            ops = ["add", "edit", "archive", "delete", "contact", "contact", "uncontact", "import"]
            for n in range(100):
                if n == 30:
                    os.kill(follower.proc.pid, signal.SIGSTOP)  # in the middle of its looks
                writer.change(path, rng.choice(ops), n)
            os.kill(follower.proc.pid, signal.SIGCONT)
            follower.send_line("digest")
            reply = orjson.loads(follower.line())
            assert reply["digest"] == fresh(path)
            assert reply["full_reads"] == 1  # its first read only: the rest came from the log
        finally:
            os.kill(follower.proc.pid, signal.SIGCONT)
            follower.send_line("quit")
            follower.close()
    finally:
        writer.close()


def test_a_record_found_by_id_is_kept_until_a_change_touches_it(
    tmp_path: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member's page reads its member and their log again on every save elsewhere: the
    finds a change did not touch come with the followed version, without a byte search."""
    import store.engine.snapshot as snapshot_module

    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    shown = members.add(writer, ADMIN, {"name": "张三"})
    other = members.add(writer, ADMIN, {"name": "李四"})
    contacts.add_contact(writer, ADMIN, shown["id"], {"date": "2024-01-02"})
    looked(session, reads)
    session.snapshot().get("members", shown["id"])
    session.snapshot().where("contacts", "member_id", shown["id"])
    searches: list[bytes] = []
    real = snapshot_module.find_lines

    def counting(fd: int, region: Any, needle: bytes) -> Any:
        searches.append(needle)
        return real(fd, region, needle)

    monkeypatch.setattr(snapshot_module, "find_lines", counting)
    members.update(writer, ADMIN, other["id"], {"name": "李思"}, 1)  # someone else changed
    snap = session.snapshot()
    found = snap.get("members", shown["id"])
    logged = [c["date"] for c in snap.where("contacts", "member_id", shown["id"])]
    assert searches == []
    assert found == Database(path).snapshot().get("members", shown["id"])
    assert logged == ["2024-01-02"]
    searches.clear()
    contacts.add_contact(writer, ADMIN, shown["id"], {"date": "2024-01-03"})  # their log changed
    members.update(writer, ADMIN, shown["id"], {"name": "张山"}, 1)  # and they did
    snap = session.snapshot()
    assert snap.get("members", shown["id"])["name"] == "张山"  # type: ignore[index]
    logged = [c["date"] for c in snap.where("contacts", "member_id", shown["id"])]
    assert logged == ["2024-01-02", "2024-01-03"]
    assert len(searches) == 2  # both searched again


def test_a_kept_value_stays_until_a_change_touches_its_tables(tmp_path: Path) -> None:
    """Snapshot.kept: the dashboard's contact and study groups survive other sessions' saves
    to other tables (a zone, a shift), are built again after a member's, and always equal a
    build from a fresh read."""
    from datetime import date

    from store.contacts.lapsing import lapsing_head
    from store.patrols import ops as patrols
    from store.settings.ops import current

    path = tmp_path / "shequ.json"
    writer, session = Database(path), Database(path)
    members.add(writer, ADMIN, {"name": "张三"})
    today = date(2030, 1, 1)  # everyone is overdue by then
    builds: list[int] = []

    def head(db: Database) -> tuple[int, int, list[Any]]:
        snapshot = db.snapshot()
        return lapsing_head(snapshot, today, current(snapshot), 8)

    def counted(snapshot: Any) -> int:
        builds.append(1)
        return len(builds)

    tables = frozenset({"members", "contacts", "settings"})
    assert session.snapshot().kept("k", tables, counted) == 1
    first = head(session)
    patrols.add_zone(writer, ADMIN, {"name": "东区"})
    assert session.snapshot().kept("k", tables, counted) == 1  # kept: no member changed
    assert head(session) is first
    members.add(writer, ADMIN, {"name": "李四"})
    assert session.snapshot().kept("k", tables, counted) == 2  # built again
    again = head(session)
    assert again is not first and again[:2] == (2, 0)
    fresh_head = head(Database(path))
    assert [lapse.member.name for lapse in again[2]] == [
        lapse.member.name for lapse in fresh_head[2]
    ]
