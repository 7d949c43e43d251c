"""Making a member a shift's leader in the shift form at 80x24: without the first-aid
certificate the settings require, asked as a clash is (refuse, or go ahead with a reason)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.assign import LeaderReasonDialog
from screens.patrols.shift import ShiftScreen
from screens.patrols.shift_form import ShiftForm
from screens.patrols.week import PatrolsScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.training import ops as training
from tests.screens.helpers import SIZE, footer_text, screen_text, settle, type_text, wait_until
from tests.screens.patrol_helpers import (
    TODAY,
    app_for,
    fixed_clock,
    open_patrols,
    patrol_week,
    shift_on,
)


async def to_leader_field(pilot: Pilot[Any]) -> ShiftForm:
    await pilot.press("e")  # today 19:00: 张三 and 李四 on it
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ShiftForm), "the form")
    form = pilot.app.screen
    assert isinstance(form, ShiftForm)
    await wait_until(pilot, lambda: form.filled, "the fields")
    await settle(pilot)
    for _ in range(6):  # from the start time to the leader
        await pilot.press("enter")
    assert pilot.app.focused is next(f for f in form.fields() if f.field == "leader_id").input
    return form


async def on_evening(pilot: Pilot[Any], screen: PatrolsScreen, world: dict[str, Any]) -> None:
    screen.keep = world["shifts"][TODAY.isoformat()]
    screen.reload()
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_leader_without_first_aid_is_asked_about(db_path: Path, lang: str) -> None:
    world = patrol_week(db_path)
    evening = world["shifts"][TODAY.isoformat()]
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        await on_evening(pilot, screen, world)
        form = await to_leader_field(pilot)
        await pilot.press("right", "right")  # 张三 (after 李四: the shift's people by pinyin)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaderReasonDialog), "the warning")
        text = screen_text(app)
        if lang == "en":
            assert "needs a First aid certificate" in text and "they have none" in text
            assert "Make 张三 the leader anyway?" in text and "Lead anyway" in footer_text(app)
        else:
            assert "张三" in text and "急救" in text
        await pilot.press("escape")  # refuse: nothing saved, the form stays
        await settle(pilot)
        assert app.screen is form
        assert shift_on(db_path, evening).leader_id == ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaderReasonDialog), "the warning")
        await type_text(pilot, "只有他熟悉东区")
        await pilot.press("enter")
        await wait_until(pilot, lambda: shift_on(db_path, evening).leader_id != "", "the save")
        await settle(pilot)
        assert isinstance(app.screen, PatrolsScreen)
        await pilot.press("enter")  # the shift says so, with the reason
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftScreen), "the shift")
        await settle(pilot)
        said = "without the required certificate" if lang == "en" else "未持所需证书"
        assert said in screen_text(app) and "只有他熟悉东区" in screen_text(app)
    saved = shift_on(db_path, evening)
    assert saved.leader_id == world["people"]["张三"]
    assert saved.leader_override == "只有他熟悉东区"
    assert "只有他熟悉东区" in Path(str(db_path) + ".audit.jsonl").read_text(encoding="utf-8")


async def test_a_leader_with_first_aid_is_not_asked(db_path: Path) -> None:
    world = patrol_week(db_path)
    evening = world["shifts"][TODAY.isoformat()]
    training.add_certificate(
        Database(db_path, clock=fixed_clock()),
        Actor("os:t", Role.ADMIN),
        {
            "member_id": world["people"]["李四"],
            "name": "救护员证",
            "kind": "急救",
            "issued": "2025-01-01",
        },
    )
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrols(pilot)
        await on_evening(pilot, screen, world)
        await to_leader_field(pilot)
        await pilot.press("right")  # 李四 (the people on the shift by pinyin: 李四, 张三)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: shift_on(db_path, evening).leader_id != "", "the save")
        await settle(pilot)
        assert not isinstance(app.screen, LeaderReasonDialog)
    saved = shift_on(db_path, evening)
    assert (saved.leader_id, saved.leader_override) == (world["people"]["李四"], "")
