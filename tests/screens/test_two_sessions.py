"""Two sessions and the command line on one file: nothing one does is silently undone by the
other (issue 22). Each test runs two real app instances on one database, and the CLI as a real
process where the issue's steps used it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from screens.dialogs import ChoiceDialog
from tests.screens.helpers import screen_text, settle
from tests.screens.test_member_form import SIZE, add_member, open_form, retype, save, stored
from tui.app import make_app

ROOT = Path(__file__).resolve().parents[2]


def shequ(db_path: Path, *args: str) -> str:
    """Run the real ``shequ`` command on ``db_path``; what it printed (it must succeed)."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "SHEQU_DB": ""}
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_an_edit_begun_before_a_restore_meets_the_conflict_dialog(db_path: Path) -> None:
    """`shequ backup`; A renames; B opens and types; `shequ restore`; A renames again; B's
    save must ask, not overwrite A's change."""
    doc = add_member(db_path, name="张三")
    backup = shequ(db_path, "backup").split(": ", 1)[1].strip()
    a_app, b_app = make_app(db_path, lang="en"), make_app(db_path, lang="en")
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        a_form = await open_form(a, doc["id"])
        await retype(a, a_form, "name", "张三丰")
        await save(a, a_form)
        assert stored(db_path)[0]["name"] == "张三丰"

        b_form = await open_form(b, doc["id"])
        await retype(b, b_form, "name", "张叁")

        shequ(db_path, "restore", backup)
        assert stored(db_path)[0]["name"] == "张三"

        a_form = await open_form(a, doc["id"], login=False)
        await retype(a, a_form, "name", "张三峰")
        await save(a, a_form)
        assert stored(db_path)[0]["name"] == "张三峰"

        await save(b, b_form)
        assert isinstance(b_app.screen, ChoiceDialog)
        assert "Someone else saved this member" in screen_text(b_app)
        await b.press("c")  # keep editing: nothing saved
        await settle(b)
        assert b_app.screen is b_form
    [final] = stored(db_path)
    assert final["name"] == "张三峰"


async def test_overwrite_with_mine_writes_only_my_fields_and_keeps_their_month_only_date(
    db_path: Path,
) -> None:
    """B saves a join date as 1980年3月; A, who changed only the birth date, overwrites: the
    join date stays month-only, and the log gives A only the birth date."""
    from store import audit
    from store.database import Database

    doc = add_member(db_path, name="张三", birth_date="1950-05-06", join_date="1980-03-15")
    a_app, b_app = make_app(db_path, lang="en"), make_app(db_path, lang="en")
    async with a_app.run_test(size=SIZE) as a, b_app.run_test(size=SIZE) as b:
        a_form = await open_form(a, doc["id"])
        b_form = await open_form(b, doc["id"])
        await retype(a, a_form, "birth_date", "1950-05-07")
        await retype(b, b_form, "join_date", "1980年3月")
        await save(b, b_form)
        assert stored(db_path)[0]["month_only"] == ["join_date"]

        await save(a, a_form)
        assert isinstance(a_app.screen, ChoiceDialog)
        await a.press("o")  # overwrite with mine
        await settle(a)
        assert a_form.saved_id == doc["id"]
    [final] = stored(db_path)
    assert final["birth_date"] == "1950-05-07"
    assert (final["join_date"], final["month_only"]) == ("1980-03-01", ["join_date"])
    db = Database(db_path)
    last = list(audit.read(db.audit_path))[-1]
    assert last["who"] == "test"
    assert last["after"] == {"birth_date": "1950-05-07"}
