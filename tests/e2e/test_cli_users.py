"""``shequ users ...`` and ``shequ demo``'s accounts, run as real processes."""

from __future__ import annotations

import getpass
import grp
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.engine.database import Database
from store.users import ops as users
from tests.e2e.cli import SHEQU, no_traceback, shequ
from tests.e2e.terminal import Terminal
from tests.paths import ROOT


@pytest.fixture(autouse=True)
def _no_failure_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "FAILURE_FLOOR_SECONDS", 0.0)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "shequ.json"


def with_stdin(
    *args: str, stdin: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``stdin`` as its input and no controlling terminal."""
    return subprocess.run(
        [*SHEQU, *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": "", **(env or {})},
        cwd=ROOT,
        timeout=60,
        check=False,
        start_new_session=True,  # no /dev/tty: as under cron or CI
    )


def _add_root(db: Path) -> None:
    made = with_stdin(
        "users", "add", "root", "--role", "admin", "--pin-stdin", stdin="2468\n", db=db
    )
    assert made.returncode == 0, made.stderr


def _login(db: Path, name: str, secret: str) -> str | None:
    try:
        return users.authenticate(Database(db), name, secret).name
    except users.LoginFailed:
        return None


def test_demo_makes_one_account_per_role_and_prints_the_pins(db: Path) -> None:
    made = shequ("demo", "--members", "10", db=db)
    assert made.returncode == 0, made.stderr
    for username, _display, role, pin in users_demo():
        assert f"{username}" in made.stdout and pin in made.stdout
        assert _login(db, username, pin) == username, role
    data = json.loads(db.read_bytes())
    volunteer = next(u for u in data["users"].values() if u["username"] == "volunteer")
    assert volunteer["member_id"] in {m["id"] for m in data["members"].values()}
    listed = shequ("users", "list", "--format", "json", db=db)
    assert [row["username"] for row in json.loads(listed.stdout)] == [
        "admin",
        "coordinator",
        "volunteer",
    ]
    assert "argon2" not in listed.stdout + db.with_name("shequ.json.audit.jsonl").read_text()


def users_demo() -> tuple[tuple[str, str, object, str], ...]:
    from store.demo import DEMO_USERS

    return DEMO_USERS


def test_add_with_pin_stdin_then_log_in(db: Path) -> None:
    added = with_stdin(
        "users",
        "add",
        "Wang",
        "--role",
        "coordinator",
        "--display-name",
        "王芳",
        "--pin-stdin",
        stdin="１３５７\n",
        db=db,
    )
    assert added.returncode == 0, added.stderr
    assert "wang" in added.stdout
    assert _login(db, "wang", "1357") == "wang"
    table = shequ("users", "list", db=db)
    assert table.returncode == 0
    assert (
        "王芳" in table.stdout and "Coordinator" in table.stdout and "1 account(s)." in table.stdout
    )
    lines = [json.loads(line) for line in db.with_name("shequ.json.audit.jsonl").open()]
    entry = [line for line in lines if line["op"] == "insert"][-1]
    assert entry["who"] == f"os:{getpass.getuser()}"
    assert entry["after"]["pin_hash"] == "***"


def test_bad_input_changes_nothing(db: Path) -> None:
    _add_root(db)
    before = db.read_bytes()
    cases = [
        (("users", "add", "li", "--role", "volunteer", "--pin-stdin"), "12\n", "PIN"),
        (("users", "add", "li", "--role", "volunteer", "--pin-stdin"), "", "standard input"),
        (("users", "add", "li", "--role", "volunteer"), "2468\n", "--pin-stdin"),  # no terminal
        (("users", "add", "x", "--role", "volunteer", "--pin-stdin"), "2468\n", "NAME"),
        (("users", "add", "root", "--role", "volunteer", "--pin-stdin"), "2468\n", "taken"),
        (("users", "add", "li", "--role", "admin", "--member", "abc"), "", "--member"),
        (("users", "reset-pin", "nobody", "--pin-stdin"), "2468\n", "no user nobody"),
        (("users", "disable", "root"), "", "last admin"),
    ]
    for args, stdin, expected in cases:
        result = with_stdin(*args, stdin=stdin, db=db)
        assert result.returncode == 1, (args, result.stderr)
        assert expected in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        no_traceback(result)
    assert db.read_bytes() == before
    for args in (("users", "add", "li", "--role", "boss"), ("users",), ("users", "add", "li")):
        usage = with_stdin(*args, stdin="", db=db)
        assert usage.returncode == 2, args
        no_traceback(usage)


def test_reset_pin_lifts_a_lock_and_disable_stops_logins(db: Path) -> None:
    for name, role in (("root", "admin"), ("vol", "volunteer")):
        made = with_stdin(
            "users", "add", name, "--role", role, "--pin-stdin", stdin="2468\n", db=db
        )
        assert made.returncode == 0, made.stderr
    for _n in range(users.MAX_ATTEMPTS):
        assert _login(db, "vol", "0000") is None
    locked = json.loads(shequ("users", "list", "--format", "json", db=db).stdout)
    assert [row["locked_until"] is not None for row in locked] == [False, True]
    assert _login(db, "vol", "2468") is None

    reset = with_stdin("users", "reset-pin", "VOL", "--pin-stdin", stdin="a long password\n", db=db)
    assert reset.returncode == 0, reset.stderr
    assert _login(db, "vol", "a long password") == "vol"

    assert shequ("users", "disable", "vol", db=db).returncode == 0
    assert _login(db, "vol", "a long password") is None
    listed = shequ("users", "list", db=db).stdout
    assert "yes" in listed.splitlines()[2]
    assert shequ("users", "enable", "vol", db=db).returncode == 0
    assert _login(db, "vol", "a long password") == "vol"


def _typed(db: Path, *answers: str) -> tuple[int | None, str]:
    term = Terminal.shequ("users", "add", "bob", "--role", "volunteer", "--db", str(db))
    try:
        term.wait_for("PINorpasswordforbob")
        term.send(answers[0] + "\r")
        term.wait_for("Thesameagain")
        term.send(answers[1] + "\r")
        status = term.wait_exit(30)
        term.settle(0.2)
        return (os.waitstatus_to_exitcode(status) if status is not None else None), term.text()
    finally:
        term.close()


def test_the_pin_is_asked_twice_on_the_terminal_without_echo(db: Path) -> None:
    code, screen = _typed(db, "8642", "8642")
    assert code == 0, screen
    assert "8642" not in screen
    assert _login(db, "bob", "8642") == "bob"


def test_two_different_pins_on_the_terminal_change_nothing(db: Path) -> None:
    code, screen = _typed(db, "8642", "8643")
    assert code == 1, screen
    assert "differ" in screen
    assert not db.exists()


def test_an_unknown_group_or_unsafe_file_is_one_sentence(db: Path) -> None:
    result = with_stdin("users", "list", stdin="", db=db, env={"SHEQU_GROUP": "no-such-group-q"})
    assert result.returncode == 1
    assert "no-such-group-q" in result.stderr
    no_traceback(result)

    _add_root(db)
    os.chmod(db, 0o666)
    for args in (("users", "list"), ("members", "list"), ("members", "add", "--name", "x")):
        refused = shequ(*args, db=db)
        assert refused.returncode == 1, args
        assert f"chmod o-w {db}" in refused.stderr
        no_traceback(refused)


@pytest.mark.skipif(sys.platform != "linux", reason="reads the file mode Linux gives")
def test_cli_files_are_private_by_default(db: Path) -> None:
    _add_root(db)
    for path in (db, db.with_name("shequ.json.audit.jsonl"), db.with_name("shequ.json.lock")):
        assert os.stat(path).st_mode & 0o777 == 0o600, path


@pytest.fixture
def group_name() -> Iterator[str]:
    """A real group made with groupadd (root only), removed afterwards."""
    if os.geteuid() != 0 or shutil.which("groupadd") is None:
        pytest.skip("needs root and groupadd to make a group for the files")
    name = f"shequc{uuid.uuid4().hex[:8]}"
    subprocess.run(["groupadd", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["groupdel", name], check=False)


def test_shequ_group_shares_the_files_made_by_the_cli(db: Path, group_name: str) -> None:
    env = {"SHEQU_GROUP": group_name}
    made = with_stdin(
        "users", "add", "root", "--role", "admin", "--pin-stdin", stdin="2468\n", db=db, env=env
    )
    assert made.returncode == 0, made.stderr
    assert shequ("members", "add", "--name", "张三", db=db, env=env).returncode == 0
    assert shequ("backup", db=db, env=env).returncode == 0
    gid = grp.getgrnam(group_name).gr_gid
    backups = list((db.parent / "backups").iterdir())
    for path in (
        db,
        db.with_name("shequ.json.audit.jsonl"),
        db.with_name("shequ.json.lock"),
        *backups,
    ):
        st = os.stat(path)
        assert (st.st_mode & 0o777, st.st_gid) == (0o660, gid), path
    for folder in (db.parent, db.parent / "backups"):
        assert os.stat(folder).st_mode & 0o777 == 0o770, folder
