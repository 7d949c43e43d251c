"""The footer at 80 columns: every screen, every role, both languages keep Help, Lock and Quit.

Before the fitting footer a coordinator's roster in English ended "…F1 Help  12345 Sections"
(Lock and Quit cut off) and a text field's section keys read "F2F3F4F5".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.actor import Actor, Role
from store.engine.database import Database
from tests.screens.helpers import SIZE, check_footer, enter_as, footer_text, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app


@pytest.fixture
def roster(db_path: Path) -> Path:
    with Database(db_path).transaction(Actor.os_user()) as tx:
        tx.insert("members", {"name": "张三", "phone": "13800000001", "category": "retired"})
    return db_path


async def visit(pilot: Pilot[None], app: ShequApp, role: Role, lang: str) -> list[str]:
    """Open each screen the role can reach by keys; check the footer on each."""
    seen = []
    check_footer(app, lang, "dashboard")
    seen.append("dashboard")
    await pilot.press("2")
    await settle(pilot)
    check_footer(app, lang, "roster")
    await pilot.press("enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "MemberScreen", "the detail")
    await settle(pilot)
    check_footer(app, lang, "member detail")
    seen.append("member detail")
    if role is not Role.VOLUNTEER:
        await pilot.press("e")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "MemberFormScreen", "form")
        await settle(pilot)
        check_footer(app, lang, "member form")
        seen.append("member form")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        check_footer(app, lang, "manage")
        seen.append("manage")
    return seen


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
async def test_help_lock_and_quit_always_fit(roster: Path, role: Role, lang: str) -> None:
    app = make_app(roster, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, role, name=role.value)
        await settle(pilot)
        seen = await visit(pilot, app, role, lang)
        assert len(seen) == (2 if role is Role.VOLUNTEER else 4)


async def test_the_screens_first_keys_come_before_the_section_keys(roster: Path) -> None:
    app = make_app(roster, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR, name="coordinator")
        await pilot.press("2")
        await settle(pilot)
        line = footer_text(app)
        assert "/ Search" in line
        assert "Sections" not in line  # no room left at 80 columns in English: it is in F1


async def test_the_section_keys_are_a_range_in_a_wide_terminal(roster: Path) -> None:
    app = make_app(roster, lang="en")
    async with app.run_test(size=(200, 24)) as pilot:
        await enter_as(pilot, Role.ADMIN)
        await pilot.press("2")
        await settle(pilot)
        line = footer_text(app)
        assert "1-5 Sections" in line
        assert "i Import" in line
        assert "x Export" in line
