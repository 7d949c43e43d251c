"""Teams and zones (z on the patrol grid) at 80x24, in English and Chinese, by role.

Checked on screen and in the stored file: a new team with its leader found by pinyin, a zone
archived after asking (never deleted) and restored, a zone renamed; a volunteer gets neither
the key nor, when the screen is forced, a change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.place_form import PlaceForm
from screens.patrols.places import PlacesScreen
from screens.patrols.team_members import PickMemberDialog, TeamMembersScreen
from screens.patrols.week import PatrolsScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.help import HelpScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.patrols import reads
from tests.screens.helpers import (
    SIZE,
    enter_as,
    footer_text,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.patrol_helpers import (
    app_for,
    fixed_clock,
    open_patrols,
    open_places,
    patrol_week,
    stored_teams,
    stored_zones,
)
from tui.factory import make_app

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize(
    ("lang", "role"), [("en", Role.COORDINATOR), ("zh", Role.ADMIN), ("zh", Role.COORDINATOR)]
)
async def test_a_new_team_with_its_leader_found_by_pinyin(
    db_path: Path, lang: str, role: Role
) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_places(pilot, role)
        text = screen_text(app)
        assert "巡逻一队" in text and "东区" in text and "西区" in text
        assert ("3 team members" if lang == "en" else "队员 3 名") in text
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceForm), "the form")
        form = app.screen
        assert isinstance(form, PlaceForm)
        assert ("New team" if lang == "en" else "新建队伍") in screen_text(app)
        await type_text(pilot, "巡逻二队")
        await pilot.press("enter")
        await type_text(pilot, "lisi")  # the leader, by full pinyin
        await settle(pilot)
        assert "李四" in screen_text(app)  # the match under the field
        await pilot.press("enter")
        await type_text(pilot, "夜间为主")
        await pilot.press("enter")  # the last field: save
        await wait_until(pilot, lambda: "巡逻二队" in stored_teams(db_path), "the new team")
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list again")
        await settle(pilot)
        team = stored_teams(db_path)["巡逻二队"]
        assert team.leader_id == world["people"]["李四"] and team.note == "夜间为主"
        assert ("leader 李四" if lang == "en" else "队长 李四") in screen_text(app)
    log = Path(str(db_path) + ".audit.jsonl").read_text(encoding="utf-8")
    assert "巡逻二队" in log  # the change log has it


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_zone_is_archived_after_asking_then_restored(db_path: Path, lang: str) -> None:
    patrol_week(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_places(pilot, Role.COORDINATOR)
        await pilot.press("tab")  # to the zones: 东区 first
        await settle(pilot)
        assert screen.kind() == "zone" and screen.selected() is not None
        assert screen.selected().name == "东区"  # type: ignore[union-attr]
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "东区" in screen_text(app)
        await pilot.press("n")  # no: kept
        await settle(pilot)
        assert not stored_zones(db_path)["东区"].archived
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: stored_zones(db_path)["东区"].archived, "the archive")
        await settle(pilot)
        # Still there, and still named by its shifts; listed last, marked in words.
        assert len(stored_zones(db_path)) == 2
        archived = "[archived]" if lang == "en" else "[已归档]"
        assert f"东区{archived}".replace(" ", "") in screen_text(app).replace(" ", "")
        assert screen.selected() is not None and screen.selected().name == "东区"  # type: ignore[union-attr]
        restore = "Restore" if lang == "en" else "恢复"
        assert restore in footer_text(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: not stored_zones(db_path)["东区"].archived, "the restore")
        await settle(pilot)
        assert archived not in screen_text(app)


async def test_a_zone_renamed_with_e_and_the_grid_follows(db_path: Path) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_places(pilot, Role.COORDINATOR)
        await pilot.press("tab", "down")  # 西区
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceForm), "the form")
        assert "Editing a zone or route" in screen_text(app)
        await pilot.press("end")
        await type_text(pilot, "北段")
        await pilot.press("enter")
        await type_text(pilot, "从北门到12号楼")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "西区北段" in stored_zones(db_path), "the rename")
        assert stored_zones(db_path)["西区北段"].description == "从北门到12号楼"
        assert stored_zones(db_path)["西区北段"].version == 2
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PatrolsScreen), "the grid")
        await settle(pilot)
        assert "西区北段" in screen_text(app)  # the today 08:00 shift's row


async def test_a_name_is_required_and_nothing_is_saved(db_path: Path) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_places(pilot, Role.COORDINATOR)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlaceForm), "the form")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlaceForm)
        assert "请输入名称" in screen_text(app) or "! " in screen_text(app)
        assert len(stored_teams(db_path)) == 1


async def test_a_volunteer_gets_no_key_and_the_store_refuses(db_path: Path) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_patrols(pilot, Role.VOLUNTEER)
        await pilot.press("z")
        await settle(pilot)
        assert app.screen is screen  # not offered
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Teams and zones" not in {k.description for g in app.screen.groups for k in g.keys}
        await pilot.press("escape")
        await settle(pilot)
        # Forced (as through a palette): the screen shows, offers no change, and the store
        # refuses one asked for all the same.
        places = PlacesScreen(screen.session, screen.section_title)
        app.push_screen(places)
        await wait_until(pilot, lambda: places.loaded, "the lists")
        assert "New" not in footer_text(app) and "Archive" not in footer_text(app)
        places.action_new()
        await settle(pilot)
        assert not isinstance(app.screen, PlaceForm)
        assert any("Only coordinators and admins" in n.message for n in app._notifications)
        zone = reads.zone(Database(db_path).snapshot(), world["zone"])
        assert zone is not None
        places._set_archived(zone, True)
        await settle(pilot)
        assert "Only coordinators and admins" in screen_text(app)
    assert len(stored_teams(db_path)) == 1
    assert not any(z.archived for z in stored_zones(db_path).values())


async def test_help_lists_the_key_for_coordinators(db_path: Path) -> None:
    patrol_week(db_path)
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {key.description: key.keys for g in app.screen.groups for key in g.keys}
        assert described["队伍和责任区"] == ("z",)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_teams_members_added_by_pinyin_and_taken_off_after_asking(
    db_path: Path, lang: str
) -> None:
    world = patrol_week(db_path)
    newcomer = members.add(
        Database(db_path), Actor("os:t", Role.ADMIN), {"name": "赵六", "category": "retired"}
    )["id"]
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_places(pilot, Role.COORDINATOR)
        await pilot.press("m")  # on 巡逻一队
        await wait_until(pilot, lambda: isinstance(app.screen, TeamMembersScreen), "members")
        screen = app.screen
        await wait_until(pilot, lambda: screen.loaded, "the list")
        await settle(pilot)
        assert all(name in screen_text(app) for name in ("张三", "李四", "王五"))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, PickMemberDialog), "the picker")
        await settle(pilot)
        await type_text(pilot, "zhaoliu")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: newcomer in stored_teams(db_path)["巡逻一队"].member_ids, "the add"
        )
        await settle(pilot)
        text = screen_text(app)
        # In the roster's order (li, wang, zhang, zhao), 赵六 among them, not added last.
        assert [text.index(name) for name in ("李四", "王五", "张三", "赵六")] == sorted(
            text.index(name) for name in ("李四", "王五", "张三", "赵六")
        )
        await pilot.press("home", "down", "down", "delete")  # 张三, third
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")
        await settle(pilot)
        assert world["people"]["张三"] in stored_teams(db_path)["巡逻一队"].member_ids
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: world["people"]["张三"] not in stored_teams(db_path)["巡逻一队"].member_ids,
            "the removal",
        )
        await settle(pilot)
        assert "张三" not in screen_text(app)
    team = stored_teams(db_path)["巡逻一队"]
    assert team.member_ids == [world["people"]["李四"], world["people"]["王五"], newcomer]
    # Still a member of the roster, still on their shifts.
    snapshot = Database(db_path).snapshot()
    assert snapshot.get("members", world["people"]["张三"]) is not None
    assert reads.member_shifts(snapshot, world["people"]["张三"])


async def places_shown(pilot: Pilot[Any]) -> None:
    await enter_as(pilot, Role.COORDINATOR, name="wang", display_name="王芳")
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("z")
    await settle(pilot)
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_places_snapshot(snap_compare: SnapCompare, db_path: Path, lang: str) -> None:
    patrol_week(db_path)
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    assert snap_compare(app, terminal_size=(80, 24), run_before=places_shown)
