"""The forms at 80x24 in English (their labels are the longer there) and the dialogs in Chinese,
each filled from data built by the helpers: the shift, template and training-session forms; the
assign, check-in, make-up, roster-filter and export dialogs (update with --snapshot-update). A
fixed clock keeps them the same wherever and whenever they run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.assign import AssignDialog
from screens.patrols.shift_form import ShiftForm
from screens.patrols.template_form import TemplateForm
from screens.patrols.templates import TemplatesScreen
from screens.roster.filter import RosterFilterDialog
from screens.training.form import SessionFormScreen
from screens.training.makeup import MakeupDialog
from screens.transfer.exporting import ExportDialog
from tests.screens import patrol_helpers as patrols
from tests.screens import training_helpers as training
from tests.screens.helpers import on_top, settle
from tests.screens.roster_helpers import add_people, open_roster
from tui.app import ShequApp

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any], dict[str, Any]], Awaitable[None]]


async def shift_form(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await patrols.open_patrols(pilot)  # the cursor on today's evening shift
    await pilot.press("e")
    await on_top(pilot, ShiftForm, lambda form: form.filled)


async def template_form(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await patrols.open_patrols(pilot)
    await pilot.press("g")
    await on_top(pilot, TemplatesScreen)
    await pilot.press("home", "e")
    await on_top(pilot, TemplateForm, lambda form: form.filled)


async def session_form(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await training.to_training(pilot)
    await pilot.press("e")
    await on_top(pilot, SessionFormScreen, lambda form: form.filled)


async def assign(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    week = await patrols.open_patrols(pilot)
    await patrols.open_shift(pilot, week, world["shifts"][patrols.MONDAY.isoformat()])
    await pilot.press("a")
    await on_top(pilot, AssignDialog, lambda dialog: dialog.index is not None)


async def check_in(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await patrols.open_check_in(pilot, world["morning"])


async def makeup(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await training.open_checklist(pilot)
    await pilot.press("end", "m")  # 赵六, excused
    await on_top(pilot, MakeupDialog)


async def roster_filter(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_roster(pilot)
    await pilot.press("f")
    await on_top(pilot, RosterFilterDialog)


async def roster_export(pilot: Pilot[Any], world: dict[str, Any]) -> None:
    await open_roster(pilot)
    await pilot.press("x")
    await on_top(pilot, ExportDialog)


def patrol_world(db_path: Path, lang: str) -> tuple[dict[str, Any], ShequApp]:
    world = patrols.with_templates(patrols.patrol_week(db_path))
    return world, patrols.app_for(db_path, lang)


def training_world(db_path: Path, lang: str) -> tuple[dict[str, Any], ShequApp]:
    ids, session = training.attended_session(db_path)
    return {"ids": ids, "session": session}, training.app_for(db_path, lang)


def roster_world(db_path: Path, lang: str) -> tuple[dict[str, Any], ShequApp]:
    people = add_people(db_path)
    patrols.named(db_path)
    return people, training.app_for(db_path, lang)


Setup = Callable[[Path, str], tuple[dict[str, Any], ShequApp]]
SCREENS: dict[str, tuple[Setup, str, Steps]] = {
    "shift form": (patrol_world, "en", shift_form),
    "template form": (patrol_world, "en", template_form),
    "session form": (training_world, "en", session_form),
    "assign": (patrol_world, "zh_CN", assign),
    "check-in": (patrol_world, "zh_CN", check_in),
    "make-up": (training_world, "zh_CN", makeup),
    "roster filter": (roster_world, "zh_CN", roster_filter),
    "export": (roster_world, "zh_CN", roster_export),
}


def setup(name: str, db_path: Path) -> tuple[dict[str, Any], ShequApp]:
    """The data and the app (on its fixed clock, in its language) for screen ``name``."""
    made, lang, _steps = SCREENS[name]
    return made(db_path, lang)


@pytest.mark.parametrize("name", list(SCREENS))
def test_snapshot(
    snap_compare: SnapCompare, db_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")  # the export dialog says where a relative path starts: not here
    world, app = setup(name, db_path)
    steps = SCREENS[name][2]

    async def shown(pilot: Pilot[Any]) -> None:
        await steps(pilot, world)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)
