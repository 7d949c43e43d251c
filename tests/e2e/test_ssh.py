"""End to end over a real SSH connection, as volunteers reach shequ.

A throwaway Unix account whose SSH login runs shequ (``ForceCommand``), a real ``sshd`` on
127.0.0.1 and the real ``ssh`` client in an 80x24 pseudo-terminal: the README's deployment,
driven by keystrokes. Needs root and OpenSSH's server (``.ci/run`` installs it); elsewhere it is
skipped with the reason, but never under CI, where a skip would hide a broken set-up.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.e2e.ssh_server import (
    Account,
    SshServer,
    build_venv,
    force_command,
    why_unavailable,
    world_readable_dir,
)
from tests.e2e.terminal import Terminal

pytestmark = pytest.mark.slow

CTRL_Q = b"\x11"
CONNECT_TIMEOUT = 90  # a loaded 2-core CI machine: key exchange plus shequ's start-up


def unavailable(reason: str) -> NoReturn:
    """Skip with the reason, except under CI, which installs everything this needs."""
    message = f"no SSH server for the end-to-end test: {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must run this test: see .ci/run)")
    pytest.skip(message)


@dataclass
class Deployment:
    """The README's set-up: an account, its data folder, shequ's venv and sshd."""

    account: Account
    server: SshServer
    shequ: Path
    data: Path
    db: Path

    def shequ_as_account(self, *args: str, input_text: str | None = None) -> str:
        """A CLI command run by the account (as `sudo -u shequ shequ ...`); its output."""
        done = self.account.run(
            [str(self.shequ), *args], input_text=input_text, env={"SHEQU_DB": str(self.db)}
        )
        assert done.returncode == 0, f"shequ {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def server_shequ(self) -> list[int]:
        """The shequ processes the account runs on the server side."""
        return self.account.processes(str(self.shequ))


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    reason = why_unavailable()
    if reason:
        unavailable(reason)
    base = world_readable_dir("shequ-ssh-")
    account: Account | None = None
    server: SshServer | None = None
    try:
        shequ = build_venv(base / "venv")
        account = Account(base)
        data = base / "data"
        db = data / "shequ.json"
        server = SshServer(base, account, force_command(shequ, db))
        try:
            server.start()
        except RuntimeError as error:
            unavailable(str(error))
        yield Deployment(account=account, server=server, shequ=shequ, data=data, db=db)
    finally:
        if server is not None:
            server.close()
        if account is not None:
            account.remove()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def site(deployment: Deployment) -> Deployment:
    """A fresh demo database in a data folder only the account can enter."""
    shutil.rmtree(deployment.data, ignore_errors=True)
    deployment.account.private_dir(deployment.data)
    deployment.shequ_as_account("demo", "--members", "40")
    return deployment


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


@contextlib.contextmanager
def server_log_on_failure(site: Deployment) -> Iterator[None]:
    """A failing assertion also shows what sshd said."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- sshd log ---\n{site.server.log()}") from None


def connect(site: Deployment, terminals: list[Terminal]) -> Terminal:
    """The ssh client in an 80x24 terminal, once shequ's first screen has arrived."""
    terminal = Terminal(site.server.client_argv())
    terminals.append(terminal)
    terminal.wait_for("幸福里社区", timeout=CONNECT_TIMEOUT)
    return terminal


def assert_lock_free_and_file_whole(db: Path) -> None:
    """Nobody holds the database's lock, and the file is whole JSON."""
    lock = db.with_name(db.name + ".lock")
    if lock.exists():
        # flock as filelock does, on a read-only descriptor: root must not re-own the file.
        fd = os.open(lock, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if still held
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    json.loads(db.read_bytes())


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The processes among ``pids`` still alive after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = pids
    while time.monotonic() < deadline:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists()]
        if not alive:
            break
        time.sleep(0.05)
    return alive


def test_shequ_arrives_over_ssh_and_ctrl_q_ends_the_session(
    site: Deployment, terminals: list[Terminal]
) -> None:
    with server_log_on_failure(site):
        terminal = connect(site, terminals)
        assert "Dashboard" in terminal.text()
        assert site.server_shequ(), "no shequ process runs as the account"
        terminal.send(CTRL_Q)
        status = terminal.wait_exit(timeout=30)
        assert status is not None, f"ssh still open after Ctrl+Q:\n{terminal.text()}"
        assert os.waitstatus_to_exitcode(status) == 0, "ssh passes on shequ's exit code"
        assert wait_gone(site.server_shequ(), timeout=10) == []
        assert_lock_free_and_file_whole(site.db)
        assert (site.db.stat().st_mode & 0o777) == 0o600
        assert site.db.stat().st_uid == site.account.uid


def test_dropped_connection_ends_shequ_on_the_server_within_5_seconds(
    site: Deployment, terminals: list[Terminal]
) -> None:
    with server_log_on_failure(site):
        terminal = connect(site, terminals)
        server_side = site.server_shequ()
        assert server_side, "no shequ process runs as the account"
        os.kill(terminal.pid, signal.SIGKILL)  # the volunteer's laptop lid, or a dead link
        assert terminal.wait_exit(timeout=10) is not None
        alive = wait_gone(server_side, timeout=5)
        assert alive == [], f"shequ still ran on the server 5 s after the link dropped: {alive}"
        assert_lock_free_and_file_whole(site.db)
