"""The ``shequ`` command as scripts use it, run as real processes: pipes, full disks, ``-``.

Output cut short ends quietly (141), a full disk is one line (1), a change saved before its
confirmation was lost says so (3); ``-`` is standard output and input; ``--version``.
Failures are injected with ``tests.e2e.faulty`` (never by writing to /dev/full).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from store.engine.migrations import SCHEMA_VERSION
from tests.e2e.cli import SHEQU
from tests.paths import FIXTURES, ROOT

FAULTY = [sys.executable, "-m", "tests.e2e.faulty"]
EXIT_PIPE_CLOSED, EXIT_SAVED_OUTPUT_LOST = 141, 3


def run(
    *args: str,
    db: Path | None = None,
    fault: str = "",
    env: dict[str, str] | None = None,
    stdin: bytes = b"",
    cwd: Path = ROOT,
) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI (with ``fault`` injected, if any) in English unless told otherwise."""
    full_env = {
        **os.environ,
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "SHEQU_DB": "",
        "SHEQU_FAULT": fault,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    command = [*(FAULTY if fault else SHEQU), *args] + (["--db", str(db)] if db else [])
    return subprocess.run(
        command, input=stdin, capture_output=True, env=full_env, cwd=cwd, timeout=60, check=False
    )


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    return text


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "shequ.json"
    assert run("demo", "--members", "20", db=path).returncode == 0
    return path


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough members that any listing overflows a pipe's 64 KiB buffer."""
    path = tmp_path_factory.mktemp("big") / "shequ.json"
    assert run("demo", "--members", "1000", db=path).returncode == 0
    return path


def members_named(db: Path, name: str) -> int:
    docs = json.loads(db.read_bytes())["members"].values()
    return sum(1 for doc in docs if doc["name"] == name)


# -- a pipe closed early, a full disk, a dead terminal -----------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_pipe_closed_after_one_line_ends_quietly(big_db: Path, fmt: str) -> None:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""}
    command = [*SHEQU, "members", "list", "--format", fmt, "--db", str(big_db)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `head -1` does once it has its line
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == EXIT_PIPE_CLOSED
    assert first.strip()
    assert stderr == b""


def test_head_cuts_the_list_as_the_issue_did(big_db: Path) -> None:
    command = " ".join(shlex.quote(part) for part in SHEQU)
    script = f"set -o pipefail; {command} members list --db {shlex.quote(str(big_db))} | head -2"
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == EXIT_PIPE_CLOSED  # what git and coreutils give under pipefail
    assert len(result.stdout.decode().splitlines()) == 2
    assert result.stderr == b""


@pytest.mark.parametrize(
    ("errno_name", "reason"), [("ENOSPC", "the disk is full"), ("EIO", "an input/output error")]
)
def test_output_that_cannot_be_written_is_one_line_and_exit_1(
    db: Path, errno_name: str, reason: str
) -> None:
    result = run("members", "list", db=db, fault=f"stdout:{errno_name}")
    assert result.returncode == 1
    assert err(result) == f"shequ: could not write the output: {reason}.\n"
    assert result.stdout == b""


def test_a_closed_standard_output_is_said_too(db: Path) -> None:
    command = " ".join(shlex.quote(part) for part in SHEQU)
    result = subprocess.run(
        ["bash", "-c", f"{command} members list --db {shlex.quote(str(db))} >&-"],
        capture_output=True,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert err(result) == "shequ: could not write the output: Bad file descriptor.\n"
    assert db.with_name("shequ.json.lock").stat().st_size == 0  # nothing printed into a file


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "shequ: saved 张三, but could not print the confirmation: the disk is full.\n"),
        ("zh", "shequ：已保存 张三，但无法显示确认信息：磁盘已满。\n"),
    ],
)
def test_a_saved_member_whose_confirmation_is_lost_exits_3(
    db: Path, lang: str, expected: str
) -> None:
    """The member is in: a script must not add them again, so it is not "failed" (1)."""
    before = members_named(db, "张三")  # the demo may have its own
    result = run("--lang", lang, "members", "add", "--name", "张三", db=db, fault="stdout:ENOSPC")
    assert result.returncode == EXIT_SAVED_OUTPUT_LOST
    assert err(result) == expected
    assert members_named(db, "张三") == before + 1


def test_stderr_that_cannot_be_written_is_no_traceback(tmp_path: Path) -> None:
    result = run("members", "list", db=tmp_path / "none.json", fault="stderr:EIO")
    assert result.returncode == 1
    assert result.stderr == b"" and result.stdout == b""


def test_an_export_onto_a_full_disk_keeps_the_old_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    out.write_bytes(b"the old export")
    result = run("export", "members", "--out", str(out), db=db, fault="fsync:ENOSPC")
    assert result.returncode == 1
    assert err(result) == (f"shequ: Could not save {out}: the disk is full. Nothing was changed.\n")
    assert out.read_bytes() == b"the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "roster.csv"]


def test_an_export_to_standard_output_onto_a_full_disk(db: Path) -> None:
    result = run("export", "members", "--out", "-", db=db, fault="stdout:ENOSPC")
    assert result.returncode == 1
    assert err(result) == "shequ: could not write the output: the disk is full.\n"


def test_a_written_export_whose_confirmation_is_lost_exits_3(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    result = run("export", "members", "--out", str(out), db=db, fault="stdout:ENOSPC")
    assert result.returncode == EXIT_SAVED_OUTPUT_LOST
    assert f"wrote 20 member(s) to {out}, but could not print" in err(result)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


# -- "-", links and FIFOs ----------------------------------------------------------------------


def test_dash_is_standard_output_and_dot_slash_dash_a_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    assert run("export", "members", "--out", str(out), db=db).returncode == 0
    result = run("export", "members", "--format", "csv", "--out", "-", db=db, cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert result.stdout == out.read_bytes()  # the roster and nothing else
    assert not (tmp_path / "-").exists()

    xlsx = run("export", "members", "--format", "xlsx", "--out", "-", db=db, cwd=tmp_path)
    assert xlsx.returncode == 0 and xlsx.stdout.startswith(b"PK\x03\x04")

    named = run("export", "members", "--out", "./-", db=db, cwd=tmp_path)
    assert named.returncode == 0
    assert (tmp_path / "-").read_bytes() == out.read_bytes()


def test_an_export_onto_a_link_replaces_its_target_and_keeps_the_link(
    db: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "roster.csv"
    target.write_bytes(b"last week's roster")
    target.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(Path("shared") / "roster.csv")
    result = run("export", "members", "--out", str(link), db=db)
    assert result.returncode == 0, err(result)
    assert link.is_symlink() and os.readlink(link) == "shared/roster.csv"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d")  # BOM 姓名
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in shared.iterdir()) == ["roster.csv"]  # no temp file left


def test_an_export_onto_a_fifo_is_written_straight_to_its_reader(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "roster.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run("export", "members", "--out", str(fifo), db=db)
    received, _ = reader.communicate(timeout=60)
    assert result.returncode == 0, err(result)
    expected = run("export", "members", "--out", "-", db=db).stdout
    assert received == expected
    assert fifo.is_fifo()  # not replaced by a plain file


# -- never over shequ's own files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "said"),
    [
        ("shequ.json", "is shequ's database"),
        ("shequ.json.audit.jsonl", "is the database's change log"),
        ("shequ.json.lock", "is the database's lock file"),
        ("backup", "is in the database's backups folder"),
        ("link", "is shequ's database"),
    ],
)
def test_an_export_never_replaces_shequs_own_files(
    db: Path, tmp_path: Path, which: str, said: str
) -> None:
    assert run("backup", db=db).returncode == 0
    folder = db.parent
    if which == "backup":
        (victim,) = (folder / "backups").iterdir()
        out = str(victim)
    elif which == "link":
        victim = db
        (tmp_path / "roster.csv").symlink_to(db)
        out = str(tmp_path / "roster.csv")
    else:
        victim = folder / which
        out = which  # relative to the folder the command runs in
    before = victim.read_bytes()
    result = run("export", "members", "--out", out, db=db, cwd=folder)
    assert result.returncode == 1
    message = err(result)
    assert said in message and message.count("\n") == 1
    assert victim.read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_standard_output_sent_into_the_change_log_is_refused(db: Path) -> None:
    log = db.with_name("shequ.json.audit.jsonl")
    before = log.read_bytes()
    with log.open("ab") as appending:  # `>> shequ.json.audit.jsonl`
        result = subprocess.run(
            [*SHEQU, "export", "members", "--out", "-", "--db", str(db)],
            stdout=appending,
            stderr=subprocess.PIPE,
            env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""},
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "standard output is the database's change log" in result.stderr.decode()
    assert log.read_bytes() == before


# -- import from "-" -----------------------------------------------------------------------------


def test_import_reads_standard_input_detecting_the_format(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    gbk = run(
        "import",
        "members",
        "-",
        "--dry-run",
        db=fresh,
        stdin=(FIXTURES / "roster-gbk.csv").read_bytes(),
    )
    assert gbk.returncode == 0  # six joined-before-born rows come in with a warning each
    assert b"Read standard input as GBK/GB18030." in gbk.stdout
    assert b"65 to add" in gbk.stdout and b"6 with warnings" in gbk.stdout

    source = tmp_path / "source.json"
    assert run("demo", "--members", "15", db=source).returncode == 0
    sheet = run("export", "members", "--format", "xlsx", "--out", "-", db=source).stdout
    imported = run("import", "members", "-", db=fresh, stdin=sheet)
    assert imported.returncode == 0, imported.stdout
    assert b"15 added" in imported.stdout

    wrong = run("import", "members", "-", "--format", "xlsx", db=fresh, stdin=b"name\nx\n")
    assert wrong.returncode == 1
    assert err(wrong) == "shequ: standard input is not a readable XLSX workbook.\n"


# -- --version, and argparse in Chinese -----------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode() == (
        f"shequ {version('shequ')}\ndata format version {SCHEMA_VERSION}\n"
    )
    chinese = run("--version", env={"LANG": "zh_CN.UTF-8"})
    assert chinese.stdout.decode().splitlines()[1] == f"数据格式版本 {SCHEMA_VERSION}"


ARGPARSE_ENGLISH = (
    "usage",
    "options",
    "positional arguments",
    "show this help message and exit",
    "error:",
    "unrecognized arguments",
    "invalid choice",
    "choose from",
    "the following arguments are required",
    "expected one argument",
    "invalid int value",
)


@pytest.mark.parametrize(
    "chinese", [{"env": {"LANG": "zh_CN.UTF-8"}, "args": ()}, {"env": {}, "args": ("--lang", "zh")}]
)
def test_help_and_usage_errors_have_no_english_left_from_argparse(
    chinese: dict[str, object],
) -> None:
    env = chinese["env"]
    lang = chinese["args"]
    assert isinstance(env, dict) and isinstance(lang, tuple)
    helps = [(), ("members", "list"), ("export", "members"), ("import", "members")]
    for args in helps:
        result = run(*lang, *args, "--help", env=env)
        text = result.stdout.decode()
        assert result.returncode == 0
        assert text.startswith("用法：") and "显示此帮助信息并退出" in text, text
        assert not [word for word in ARGPARSE_ENGLISH if word in text], text
    errors = {
        ("members", "frob"): "无效的选择",
        ("--bogus",): "无法识别的参数：--bogus",
        ("export", "members"): "缺少必需的参数：--out",
        ("members", "list", "--search"): "需要一个值",
        ("demo", "--seed", "x"): "无效的 int 值",
    }
    for args, words in errors.items():
        result = run(*lang, *args, env=env)
        text = err(result)
        assert result.returncode == 2, args
        assert words in text and "错误：" in text, text
        assert not [word for word in ARGPARSE_ENGLISH if word in text], text
