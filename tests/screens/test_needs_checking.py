"""A member an import marked "needs checking": the roster's mark and filter, the detail line,
and the mark going away when the field is corrected in the member form."""

from __future__ import annotations

from pathlib import Path

from screens.member.form import MemberFormScreen
from screens.roster.list import RosterList
from store.actor import Actor, Role
from store.engine.database import Database
from store.members.importing import apply_import, plan_import
from tests.screens.helpers import screen_text, settle, wait_until
from tests.screens.member_form_helpers import open_form, retype, save
from tests.screens.roster_helpers import listed, move_to, open_roster
from tui.factory import make_app

SIZE = (80, 24)
ADMIN = Actor("setup", Role.ADMIN)


def imported(db_path: Path, tmp_path: Path) -> None:
    """Three members from a file; 李四's join date is before his birth date."""
    sheet = tmp_path / "花名册.csv"
    sheet.write_text(
        "序号,姓名,出生年月,入党时间,联系电话\n"
        "1,张三,1950.03,1975.07,13800000001\n"
        "2,李四,1980.05,1970.01,13800000002\n"
        "3,王五,1960.01,1985.06,13800000003\n",
        encoding="utf-8",
    )
    db = Database(db_path)
    plan = plan_import(db, sheet)
    assert [w.row for w in plan.warnings] == [3]
    apply_import(db, ADMIN, plan)


def marks(app: object) -> dict[str, str]:
    """Name -> the mark at the start of its row, as the list draws it."""
    roster = app.screen.query_one(RosterList)  # type: ignore[attr-defined]
    return {row.name: row.mark for row in roster.rows}


async def test_the_mark_the_filter_and_the_correction(db_path: Path, tmp_path: Path) -> None:
    imported(db_path, tmp_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot)
        text = screen_text(app)
        assert "1 to check (?)" in text
        assert marks(app) == {"张三": "", "李四": "?", "王五": ""}
        assert any(line.lstrip().startswith("? 李四") for line in text.splitlines())

        # f, then the Checking line (two up from the first, wrapping: Contact, Checking).
        await pilot.press("f", "up", "up", "right", "enter")
        await settle(pilot)
        assert listed(app) == ["李四"]
        assert "needs checking" in screen_text(app)

        await move_to(pilot, "李四")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Needs checking" in screen_text(app), "the detail")
        assert "? Needs checking: Join date" in screen_text(app)

    member = next(d for d in Database(db_path).snapshot().all("members") if d["name"] == "李四")
    assert member["to_check"] == ["join_date"] and member["join_date"] is None

    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, member["id"])
        assert isinstance(form, MemberFormScreen)
        await retype(pilot, form, "join_date", "2005.07")
        await save(pilot, form)
    after = Database(db_path).snapshot().get("members", member["id"])
    assert after is not None
    assert (after["join_date"], after["to_check"]) == ("2005-07-01", [])


async def test_chinese_words_for_the_mark(db_path: Path, tmp_path: Path) -> None:
    imported(db_path, tmp_path)
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot)
        assert "1 人待核对 (?)" in screen_text(app)
