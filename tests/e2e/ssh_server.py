"""A real OpenSSH server on loopback that serves shequ to a throwaway Unix account.

This is the README's "Serving volunteers over SSH" set-up, made small and disposable:

- a throwaway account ``shequ-e2e-<random>`` with its own home (``.ssh/authorized_keys``) and a
  data folder it owns (mode 0700), removed again afterwards;
- a venv built from Debian's ``/usr/bin/python3`` in a world-readable folder, into which this
  checkout is ``pip install``-ed (not editable) by root. Root's own Python lives under ``/root``
  (mode 0700), which no other account can run, and the checkout may be there too; a deployment
  installs shequ into ``/opt/shequ`` the same way;
- ``/usr/sbin/sshd -D -e -f <own config>`` on 127.0.0.1 at a free high port with a throwaway host
  key, key-only authentication and a ``Match User`` block whose ``ForceCommand`` runs shequ.

Everything needs root (useradd, sshd); :func:`why_unavailable` says why it can't run otherwise.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SSHD = Path("/usr/sbin/sshd")
SYSTEM_PYTHON = Path("/usr/bin/python3")
# sshd insists on it, whatever its config says; left in place, as another run's sshd may use it.
PRIVSEP_DIR = Path("/run/sshd")


def why_unavailable() -> str | None:
    """Why this machine can't run an SSH server for the test, or None if it can."""
    if os.geteuid() != 0:
        return "needs root: it adds a throwaway Unix account and starts sshd"
    if not SSHD.exists():
        return f"no OpenSSH server ({SSHD}): apt-get install openssh-server (.ci/run does)"
    for tool in ("ssh", "ssh-keygen", "useradd", "userdel"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install openssh-client passwd)"
    if not SYSTEM_PYTHON.exists():
        return f"no {SYSTEM_PYTHON} to build the account's venv from"
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import venv"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} has no venv module (apt-get install python3-venv)"
    return None


BASE_PREFIX = "shequ-ssh-"
ACCOUNT_NAME = re.compile(r"shequ-e2e-[0-9a-f]{6}")
OWNER_FILE = "owner.pid"  # the test process that made a base folder


def make_base() -> Path:
    """A new folder in /tmp that other accounts may enter (mkdtemp makes it 0700)."""
    path = Path(tempfile.mkdtemp(prefix=BASE_PREFIX, dir="/tmp"))
    path.chmod(0o755)
    (path / OWNER_FILE).write_text(str(os.getpid()))
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale() -> list[str]:
    """Remove what an earlier run left behind when it was killed before its clean-up.

    Only folders made by :func:`make_base` whose owning test process is gone: their sshd (by
    the id in its PidFile), the account (by name, whose home is in that folder) and the folder.
    """
    swept = []
    for base in Path("/tmp").glob(BASE_PREFIX + "*"):
        try:
            owner = int((base / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        with contextlib.suppress(OSError, ValueError, ProcessLookupError):
            os.kill(int((base / "sshd.pid").read_text()), signal.SIGTERM)
        for entry in pwd.getpwall():
            if ACCOUNT_NAME.fullmatch(entry.pw_name) and Path(entry.pw_dir).parent == base:
                Account.existing(entry.pw_name).remove()
                swept.append(entry.pw_name)
        shutil.rmtree(base, ignore_errors=True)
        swept.append(str(base))
    return swept


def build_venv(target: Path) -> Path:
    """Install this checkout (not editable) into a venv anyone can run; its ``shequ``."""
    subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(target)],
        check=True,
        capture_output=True,
    )
    # Root's pip (this test's interpreter) installs into the new venv with --python: no second
    # pip to bootstrap, and its cache already holds every wheel `make test` downloaded.
    # The same versions as the tested environment, so the two runs test the same code.
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    constraints = target.parent / "constraints.txt"
    constraints.write_text(
        "".join(
            line + "\n"
            for line in frozen.splitlines()
            if "==" in line and not line.lower().startswith("shequ==")
        )
    )
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(target / "bin" / "python"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "-c",
            str(constraints),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        raise RuntimeError(f"pip install of the checkout failed:\n{install.stdout}{install.stderr}")
    shequ = target / "bin" / "shequ"
    if not shequ.exists():
        raise RuntimeError(f"pip installed no {shequ}")
    return shequ


class Account:
    """A throwaway Unix account, as the README's `adduser --disabled-password shequ`."""

    def __init__(self, name: str, home: Path) -> None:
        self.name, self.home = name, home
        entry = pwd.getpwnam(name)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        self.created = True

    @classmethod
    def existing(cls, name: str) -> Account:
        return cls(name, Path(pwd.getpwnam(name).pw_dir))

    @classmethod
    def create(cls, base: Path) -> Account:
        """A new account whose home is ``base/home``."""
        name = f"shequ-e2e-{secrets.token_hex(3)}"
        home = base / "home"
        # '*': no password can ever match, yet the account is not "locked" ('!'), which sshd
        # with UsePAM no refuses even for key logins.
        subprocess.run(
            [
                "useradd",
                "--no-create-home",
                "--home-dir",
                str(home),
                "--shell",
                "/bin/sh",
                "--user-group",
                "--password",
                "*",
                name,
            ],
            check=True,
            capture_output=True,
        )
        account = cls(name, home)
        try:
            account.private_dir(home)
        except BaseException:
            account.remove()
            raise
        return account

    def private_dir(self, path: Path) -> Path:
        """A folder this account owns, mode 0700 (as `install -d -o shequ -m 0700`)."""
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, self.uid, self.gid)
        path.chmod(0o700)
        return path

    def authorize(self, public_key: str) -> None:
        ssh_dir = self.private_dir(self.home / ".ssh")
        keys = ssh_dir / "authorized_keys"
        keys.write_text(public_key)
        os.chown(keys, self.uid, self.gid)
        keys.chmod(0o600)

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            **(extra or {}),
        }

    def run(
        self,
        argv: Sequence[str],
        *,
        input_text: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command as this account (as `sudo -u shequ ...` would), output captured."""
        return subprocess.run(
            list(argv),
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            env=self.env(env),
            cwd="/",
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def processes(self, needle: str = "") -> list[int]:
        """The ids of this account's processes whose command line contains ``needle``."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                # The real uid: /proc/<pid> of a non-dumpable process (sshd's) is root's.
                status = (entry / "status").read_text()
                uid = int(status.split("\nUid:", 1)[1].split()[0])
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, UnicodeDecodeError, IndexError, ValueError):
                continue
            if uid != self.uid:
                continue
            if needle in cmdline:
                found.append(int(entry.name))
        return found

    def remove(self) -> None:
        """End what still runs as this account (by id), then delete it and its group."""
        if not self.created:
            return
        for _attempt in range(50):
            pids = self.processes()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.1)
        subprocess.run(["userdel", "--force", self.name], check=False, capture_output=True)
        self.created = False


def free_port() -> int:
    """A free high port on loopback (the kernel's choice; sshd binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> str:
    """A new ed25519 key pair at ``path``; the public half."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "shequ-e2e", "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path.with_suffix(".pub").read_text()


class SshServer:
    """``sshd -D -e`` on 127.0.0.1 with a config of its own, serving shequ to one account."""

    def __init__(self, base: Path, account: Account, force_command: str) -> None:
        self.base = base
        self.account = account
        self.host_key = base / "host_ed25519"
        self.client_key = base / "client_ed25519"
        self.config = base / "sshd_config"
        self.log_path = base / "sshd.log"
        self.process: subprocess.Popen[bytes] | None = None
        keygen(self.host_key)
        account.authorize(keygen(self.client_key))
        self.force_command = force_command
        self.port = 0

    def config_text(self) -> str:
        return f"""\
# shequ's SSH end-to-end test: one throwaway account on loopback, keys only.
Port {self.port}
ListenAddress 127.0.0.1
HostKey {self.host_key}
PidFile {self.base / "sshd.pid"}
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PermitEmptyPasswords no
UsePAM no
AllowUsers {self.account.name}
PrintMotd no
PrintLastLog no
LoginGraceTime 60
MaxStartups 20
LogLevel VERBOSE

# As the README's deployment section has it:
Match User {self.account.name}
    ForceCommand {self.force_command}
    DisableForwarding yes
    PermitTTY yes
"""

    def start(self, timeout: float = 30) -> None:
        """Start sshd and wait until it accepts connections; RuntimeError with its log if not."""
        PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        problems = ""
        for _attempt in range(3):  # another program may take the free port first
            self.port = free_port()
            self.config.write_text(self.config_text())
            test = subprocess.run(
                [str(SSHD), "-t", "-f", str(self.config)],
                check=False,
                capture_output=True,
                text=True,
            )
            if test.returncode != 0:
                raise RuntimeError(f"sshd rejects its config:\n{test.stderr}")
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(
                    [str(SSHD), "-D", "-e", "-f", str(self.config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_listening(timeout):
                return
            problems = self.log()
            self.stop()
        raise RuntimeError(f"sshd did not start:\n{problems}")

    def _wait_listening(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.settimeout(1)
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return True
            time.sleep(0.1)
        return False

    def client_argv(self, *extra: str) -> list[str]:
        """The real ssh client, as a volunteer would run it (a terminal forced with -tt)."""
        return [
            shutil.which("ssh") or "ssh",
            "-tt",
            "-F",
            "/dev/null",  # nothing from root's ~/.ssh/config
            "-i",
            str(self.client_key),
            "-p",
            str(self.port),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=30",
            *extra,
            f"{self.account.name}@127.0.0.1",
        ]

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the listener (by its id); sessions still open end with their connections."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()


def force_command(shequ: Path, db: Path) -> str:
    """The README's ForceCommand, pointed at the test's database and in English."""
    return f"env SHEQU_DB={shlex.quote(str(db))} LANG=C.UTF-8 {shlex.quote(str(shequ))} --lang en"
