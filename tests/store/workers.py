"""Child processes for the store tests, and the parent's handle on them.

Each child is a real interpreter started with ``python -m tests.store.workers COMMAND ...``: no
state shared with the test process but the files. Children talk JSON lines on stdin/stdout, and
every wait on them is a wait for a line (with a generous timeout), never a sleep.

Commands:

``serve DB [LOCK_TIMEOUT]``
    One request per stdin line, one JSON reply per stdout line: insert, get, update, snapshot,
    hold (enter a transaction and stay in it until the next line), quit.
``increment DB ROUNDS ID...``
    Print ``ready``, wait for ``go``, then ROUNDS read-modify-write increments of the counters
    (round-robin over the ids), each read inside its transaction; print a JSON summary.
``write-limited DB LIMIT NOTES``
    Under a file-size limit the kernel enforces (RLIMIT_FSIZE), save NOTES more bytes into a
    file already near LIMIT: the write fails with EFBIG, a real error from a real write.
``insert-limited DB LIMIT COUNT NOTES``
    Under a file-size limit (RLIMIT_FSIZE), insert COUNT records of NOTES bytes in one
    transaction: with the change log near the limit, its append is cut short (EFBIG).
``login DB``
    One login per stdin line (JSON: username, secret), one JSON reply per line: the actor's
    name, or the error. No failure floor: the test counts, it does not time.
``first-admin DB NAME``
    Print ``ready``, wait for ``go``, try to create the first admin NAME; print the outcome.
``assign DB SHIFT MEMBER``
    Print ``ready``, wait for ``go``, put MEMBER on SHIFT as a coordinator (the patrol rules
    checked under the lock); print the outcome.
``insert-loop DB [daily]``
    Print ``ready``, then insert records for ever, printing each id only after its transaction
    returned. ``daily`` uses a clock that moves a day per call, so most commits also take a
    backup and prune old ones (more code for a kill to land in).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import orjson

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0  # generous: a loaded 2-core CI machine can be slow to start interpreters


# -- parent side ------------------------------------------------------------------------------


class Child:
    """A worker process and line-by-line conversation with it."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.workers", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        self._buffer = b""

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None
        return self.proc.stdin

    def send_line(self, text: str) -> None:
        self.stdin.write(text.encode() + b"\n")
        self.stdin.flush()

    def line(self, timeout: float = TIMEOUT) -> str:
        """The next whole line the child printed; fails (with its stderr) on EOF or timeout."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise AssertionError(f"worker gave no line in {timeout} s: {self.stderr()}")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                self.proc.wait(timeout)
                raise AssertionError(f"worker exited ({self.proc.returncode}): {self.stderr()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def expect(self, text: str, timeout: float = TIMEOUT) -> None:
        got = self.line(timeout)
        assert got == text, f"expected {text!r} from worker, got {got!r}"

    def request(self, **command: Any) -> dict[str, Any]:
        self.send_line(orjson.dumps(command).decode())
        reply: dict[str, Any] = orjson.loads(self.line())
        return reply

    def remaining_lines(self, timeout: float = TIMEOUT) -> list[str]:
        """Whole lines left on stdout once the child is gone (a cut-off last line is dropped)."""
        assert self.proc.stdout is not None
        self.proc.wait(timeout)
        rest = self.proc.stdout.read() or b""
        data = self._buffer + rest
        self._buffer = b""
        return [line.decode() for line in data.split(b"\n")[:-1]]

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        if self.proc.poll() is None:
            return "(still running)"
        return (self.proc.stderr.read() or b"").decode(errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(TIMEOUT)

    def close(self, timeout: float = TIMEOUT) -> int:
        """Close stdin (the child's cue to finish) and wait for it."""
        if not self.stdin.closed:
            self.stdin.close()
        try:
            return self.proc.wait(timeout)
        finally:
            self.kill()
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


# -- child side -------------------------------------------------------------------------------


def _say(text: str) -> None:
    # One write() per line: a SIGKILL cuts between lines, never inside one.
    os.write(1, text.encode() + b"\n")


def _lines() -> Iterator[str]:
    for raw in sys.stdin:
        yield raw.rstrip("\n")


def _actor() -> Any:
    from store.actor import Actor, Role

    return Actor(f"worker-{os.getpid()}", Role.ADMIN)


def _error(error: Exception) -> dict[str, Any]:
    return {"error": type(error).__name__, "message": str(error)}


def serve(path: str, lock_timeout: str = "5") -> None:
    from store.engine.database import Database
    from store.errors import StoreError

    db = Database(path, lock_timeout=float(lock_timeout))
    actor = _actor()
    lines = _lines()
    for line in lines:
        command = orjson.loads(line)
        op = command["op"]
        try:
            if op == "quit":
                return
            if op == "hold":
                with db.transaction(actor):
                    _say(orjson.dumps({"ok": "holding"}).decode())
                    next(lines, None)
                reply: dict[str, Any] = {"ok": "released"}
            elif op == "snapshot":
                snap = db.snapshot()
                reply = {"ok": {t: [dict(r) for r in snap.all(t)] for t in command["tables"]}}
            else:
                with db.transaction(actor) as tx:
                    if op == "insert":
                        result: Any = tx.insert(command["table"], command["fields"])
                    elif op == "get":
                        result = tx.get(command["table"], command["id"])
                    elif op == "update":
                        result = tx.update(
                            command["table"],
                            command["id"],
                            command["changes"],
                            expected_version=command["expected_version"],
                        )
                    else:
                        raise ValueError(op)
                reply = {"ok": result}
        except StoreError as error:
            reply = _error(error)
        _say(orjson.dumps(reply).decode())


def increment(path: str, rounds: str, *ids: str) -> None:
    from store.engine.database import Database

    db = Database(path, lock_timeout=120)
    actor = _actor()
    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return
    started = time.perf_counter()
    for i in range(int(rounds)):
        record_id = ids[i % len(ids)]
        with db.transaction(actor) as tx:
            record = tx.get("counters", record_id)
            tx.update(
                "counters", record_id, {"n": record["n"] + 1}, expected_version=record["version"]
            )
    _say(orjson.dumps({"done": int(rounds), "seconds": time.perf_counter() - started}).decode())


class _DayClock:
    """Every call is a day later: each commit takes a daily backup and prunes."""

    def __init__(self) -> None:
        self.start = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(days=os.getpid() % 5000 * 400)
        self.calls = 0

    def __call__(self) -> datetime:
        self.calls += 1
        return self.start + timedelta(days=self.calls)


def insert_loop(path: str, mode: str = "") -> None:
    from store.engine.database import Database

    db = Database(path, lock_timeout=120, clock=_DayClock() if mode == "daily" else _utc_now)
    actor = _actor()
    import filelock  # warm up the lazy imports, so the kill lands in the work, not in imports
    import tinydb

    del filelock, tinydb
    pad = "填充" * 60  # some bytes, so writes take a moment for the kill to land in
    seq = 0
    _say("ready")
    while True:
        seq += 1
        with db.transaction(actor) as tx:
            record = tx.insert("members", {"seq": seq, "pid": os.getpid(), "pad": pad})
        _say(record["id"])


def _utc_now() -> datetime:
    return datetime.now(UTC)


def write_limited(path: str, limit: str, notes: str) -> None:
    """Grow the file past a file-size limit (RLIMIT_FSIZE): the kernel fails the write (EFBIG)."""
    import resource
    import signal

    from store.engine.database import Database
    from store.errors import StoreError

    db = Database(path)
    actor = _actor()
    with db.transaction(actor) as tx:  # warm up, read the record, before the limit
        record = tx.all("members")[0]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
    try:
        with db.transaction(actor) as tx:
            tx.update("members", record["id"], {"notes": "x" * int(notes)}, record["version"])
    except StoreError as error:
        _say(orjson.dumps(_error(error)).decode())
    else:
        _say(orjson.dumps({"ok": "saved"}).decode())


def insert_limited(path: str, limit: str, count: str, notes: str) -> None:
    """One transaction of COUNT inserts under a file-size limit; print the outcome."""
    import resource
    import signal

    from store.engine.database import Database
    from store.errors import StoreError

    db = Database(path)
    actor = _actor()
    with db.transaction(actor) as tx:  # warm up (imports, the lock file) before the limit
        tx.all("members")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
    try:
        with db.transaction(actor) as tx:
            for n in range(int(count)):
                tx.insert("members", {"name": f"满{n}", "notes": "x" * int(notes)})
    except StoreError as error:
        _say(orjson.dumps(_error(error)).decode())
    else:
        _say(orjson.dumps({"ok": "saved"}).decode())


def login(path: str) -> None:
    from store.engine.database import Database
    from store.errors import StoreError
    from store.users import ops as users

    users.FAILURE_FLOOR_SECONDS = 0.0
    db = Database(path)
    for line in _lines():
        command = orjson.loads(line)
        try:
            actor = users.authenticate(db, command["username"], command["secret"])
            reply: dict[str, Any] = {"ok": actor.name}
        except StoreError as error:
            reply = _error(error)
        _say(orjson.dumps(reply).decode())


def first_admin(path: str, name: str) -> None:
    from store.engine.database import Database
    from store.errors import StoreError
    from store.users import ops as users
    from store.users import passwords

    db = Database(path, lock_timeout=60)
    passwords.hash_secret("0000")  # warm up argon2, so both children reach the lock together
    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return
    try:
        reply: dict[str, Any] = {"ok": users.create_first_admin(db, name, name, "1234").name}
    except StoreError as error:
        reply = _error(error)
    _say(orjson.dumps(reply).decode())


def assign_member(path: str, shift_id: str, member_id: str) -> None:
    from store.actor import Actor, Role
    from store.engine.database import Database
    from store.errors import StoreError
    from store.patrols import assign

    db = Database(path, lock_timeout=60)
    actor = Actor(f"coordinator-{os.getpid()}", Role.COORDINATOR)
    db.snapshot()  # warm up the parse and the imports, so both children reach the lock together
    _say("ready")
    if sys.stdin.readline().strip() != "go":
        return
    try:
        assign.assign(db, actor, shift_id, member_id)
        reply: dict[str, Any] = {"ok": member_id}
    except StoreError as error:
        reply = _error(error)
    _say(orjson.dumps(reply).decode())


COMMANDS = {
    "assign": assign_member,
    "login": login,
    "first-admin": first_admin,
    "serve": serve,
    "increment": increment,
    "insert-loop": insert_loop,
    "write-limited": write_limited,
    "insert-limited": insert_limited,
}


if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
