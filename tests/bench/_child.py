"""One app run inside the benchmark's pseudo-terminal: ``python _child.py MODE OUT [DB]``.

Run as a script (not ``-m``) so nothing but the standard library loads before the app itself:
everything imported here counts against the start-up time being measured. MODE is ``bare``
(the baseline: a Textual app showing an empty DataTable), ``bare_rows`` (a second baseline: the
plain Textual way to show the same members, the file read with ``json`` into a DataTable sorted
by name, and the same "显示 N 名" line), ``shequ`` (the ``shequ`` command itself,
``tui.cli.main.main``, on its login screen) or ``roster`` (the same command signed in as an admin
the moment the App is mounted, as if the PIN had been typed, then ``2`` typed: the key waits in
the typed-key queue until the dashboard has read and shown its data, then the roster reads the
file, as when a volunteer logs in and presses 2). The app runs until the benchmark types
Ctrl+Q; then its peak memory (VmHWM, which exec resets, unlike ru_maxrss) goes to OUT.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import termios
from pathlib import Path
from typing import Any


def _take_terminal() -> None:
    """Make the pty our controlling terminal, as a login shell's would be (we are a session
    leader: the parent started us with ``start_new_session``)."""
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        """The baseline: what any Textual app pays to show one empty table."""

        def compose(self) -> ComposeResult:
            yield DataTable()

    return Bare()


def _bare_rows_app(db_path: Path) -> Any:
    import json
    from datetime import date

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Label

    class BareRows(App[None]):
        """What a plain Textual app pays to show the file's members: no login, no pinyin."""

        def compose(self) -> ComposeResult:
            yield Label(id="count")
            yield DataTable()

        def on_mount(self) -> None:
            members = json.loads(db_path.read_bytes())["members"].values()
            year = date.today().year
            rows = sorted(
                (
                    m["name"],
                    m["gender"],
                    str(year - int(m["birth_date"][:4])) if m.get("birth_date") else "",
                    m["category"],
                    m["grid"],
                    m["phone"],
                )
                for m in members
                if m.get("status") == "active"
            )
            table = self.query_one(DataTable)
            table.add_columns("姓名", "性别", "年龄", "类别", "网格", "电话")
            table.add_rows(rows)
            self.query_one("#count", Label).update(f"显示 {len(rows)} 名")

    return BareRows()


def _signed_in(app: Any) -> None:
    """Sign ``app`` in as an admin once it is mounted, and type ``2`` (the roster) at once.

    The login screen's argon2 check is left out on purpose: it costs 0.3 s by design (a floor
    against guessing), which would hide what the roster itself costs.
    """
    from textual import events

    from store.actor import Actor, Role

    base = type(app)

    class SignedIn(base):  # type: ignore[misc,valid-type]
        async def _bench_enter(self) -> None:
            await self.sign_in(Actor("bench", Role.ADMIN))
            self.post_message(events.Key("2", "2"))

        def on_mount(self) -> None:  # Textual also runs the base class's on_mount
            self.call_later(self._bench_enter)

    app.__class__ = SignedIn


def _peak_mib() -> float | None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main() -> None:
    mode, out = sys.argv[1], Path(sys.argv[2])
    _take_terminal()
    if mode in ("bare", "bare_rows"):
        baseline = _bare_app() if mode == "bare" else _bare_rows_app(Path(sys.argv[3]))
        baseline.run(mouse=False)
        out.write_text(f"{_peak_mib()}\n", encoding="ascii")
        return
    # The shequ command itself, as a volunteer's login shell starts it: its options, the
    # settings read before Textual (low-bandwidth mode), then the App (tui/cli/main.py).
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tui.cli import main as cli

    real_run = cli.run_and_exit

    def run_and_exit(app: Any) -> Any:
        if mode == "roster":
            _signed_in(app)
        return real_run(app)

    cli.run_and_exit = run_and_exit
    # The command ends with os._exit (see tui.cli.main.run_and_exit), skipping everything
    # after it: record the peak memory on the way out.
    real_exit = os._exit

    def exit_after_report(code: int) -> None:
        out.write_text(f"{_peak_mib()}\n", encoding="ascii")
        real_exit(code)

    os._exit = exit_after_report  # type: ignore[assignment]
    sys.exit(cli.main(["--db", sys.argv[3]]))


if __name__ == "__main__":
    main()
