"""Run shequ in a real pseudo-terminal and read its screen as a person would see it.

The app's output goes through pyte (a VT emulator), so tests assert on the rendered 80x24
screen rather than on escape-sequence soup.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyte
from wcwidth import wcwidth

ROOT = Path(__file__).resolve().parents[2]


_CACHE = tempfile.TemporaryDirectory(prefix="shequ-e2e-cache-")
"""The apps' parsed-CSS cache (tui/css_cache.py) for this test run, not the user's: the first
app started parses and keeps its stylesheets, the later ones read them back, as on a machine."""


class Terminal:
    """A child process on a pty of a fixed size, with its screen emulated."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] = (80, 24),
    ) -> None:
        columns, rows = size
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.raw = bytearray()
        child_env = {
            **os.environ,
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "",
            "XDG_CACHE_HOME": _CACHE.name,
            **(env or {}),
        }
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            try:
                os.chdir(ROOT)
                os.execvpe(argv[0], list(argv), child_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.status: int | None = None

    @classmethod
    def shequ(cls, *args: str, env: Mapping[str, str] | None = None) -> Terminal:
        """The ``shequ`` command with ``args``, from this checkout's interpreter."""
        return cls([sys.executable, "-m", "tui.cli", *args], env=env)

    def pump(self, timeout: float) -> bool:
        """Read whatever arrives within ``timeout``; False once the terminal closed."""
        if self.fd < 0:
            time.sleep(timeout)
            return False
        ready, _w, _x = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        if not data:
            return False
        self.bytes_read += len(data)
        self.raw += data
        self.stream.feed(data)
        return True

    def text(self) -> str:
        """The screen as lines of text.

        Not ``pyte.Screen.display``: it fails on the empty cell left where a wide (CJK)
        character's first half was overwritten, which a scrolling list does; that cell is a
        space here.
        """
        return "\n".join(self._line(y) for y in range(self.screen.lines))

    def _line(self, y: int) -> str:
        row = self.screen.buffer[y]
        cells: list[str] = []
        wide = False
        for x in range(self.screen.columns):
            if wide:  # the second half of a wide character
                wide = False
                continue
            data = row[x].data or " "
            cells.append(data)
            wide = wcwidth(data[0]) == 2
        return "".join(cells).rstrip()

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        """Read until ``needle`` is on screen; fail with the screen shown if it never comes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text().replace(" ", ""):
                return self.text()
            if not self.pump(0.1):
                break
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{self.text()}")

    def settle(self, quiet: float = 0.5, timeout: float = 10) -> None:
        """Read until nothing new has arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last = self.bytes_read
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if not self.pump(0.05):
                return
            if self.bytes_read != last:
                last, quiet_since = self.bytes_read, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet:
                return

    def send(self, keys: bytes | str) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def wait_exit(self, timeout: float) -> int | None:
        """The child's exit status once it ended, or None if it is still running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                self._drain()
                return status
            self.pump(0.05)
        return None

    def _drain(self, timeout: float = 2.0) -> None:
        """Read what the child wrote just before it exited: it may still sit in the pty when
        its exit is seen (the last frame, leaving the alternate screen)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.bytes_read
            if not self.pump(0.05) or self.bytes_read == before:
                return

    def hang_up(self) -> None:
        """What a dropped SSH connection does: the terminal's master side goes away."""
        os.close(self.fd)
        self.fd = -1

    def close(self) -> None:
        """Kill the child if it is still there (test clean-up)."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def start_as_admin(terminals: list[Terminal], db: Path, *args: str) -> Terminal:
    """Open shequ and log in as the demo admin, typing as fast as a pasted line arrives."""
    terminal = Terminal.shequ("--db", str(db), "--lang", "en", *args)
    terminals.append(terminal)
    terminal.wait_for("Whoisatthekeyboard?")
    # All in one write: over a slow link keys typed ahead arrive together, and the PIN must
    # still land in the PIN field (in the user name field it would show in clear, and fail).
    terminal.send(b"admin\r1234\r")
    terminal.wait_for("幸福里社区")
    return terminal
