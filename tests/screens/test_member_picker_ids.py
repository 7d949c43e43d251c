"""The member picker is given a stored link by id and keeps exactly that member chosen.

An account or a team linked to one of several members of the same name reopens, and reloads
someone else's save, with that very member chosen (the line that tells namesakes apart is the
highlighted one), also when the search would not list them: archived, or past the matches kept.
A member another session added after the picker's index was built is found in the store; one
deleted meanwhile is said at the field, and no other member is linked instead. Checked on screen
(80x24) and in the data file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot

from screens.manage.account_forms import EditAccountForm
from screens.patrols.place_form import PlaceForm
from screens.patrols.places import PlacesScreen
from screens.shell.dialogs import ConflictDialog
from screens.widgets.form import FormField
from screens.widgets.member_picker import Matches, MemberPicker, member_line
from store.actor import Role
from store.engine.database import Database
from store.members import ops as members
from store.members.ops import MemberIndex
from store.patrols import ops as patrol_ops
from store.patrols import reads
from store.users import ops as users
from tests.screens.account_helpers import community, highlight, open_users, stored
from tests.screens.helpers import (
    SIZE,
    add_records,
    add_user,
    on_top,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.live_helpers import OTHER, delete_elsewhere, until_said_gone
from tests.screens.patrol_helpers import app_for, open_patrols, patrol_week
from tui.factory import make_app


def add_member(db_path: Path, name: str, born: str, grid: str, **more: str) -> str:
    """Another session adds a member; returns their id."""
    doc = {"name": name, "birth_date": born, "grid": grid, **more}
    return str(members.add(Database(db_path), OTHER, doc)["id"])


def listed(db_path: Path, name: str) -> list[str]:
    """The ids of the members ``name`` finds, in the order the picker lists them."""
    index = MemberIndex(Database(db_path).snapshot())
    return [str(doc["id"]) for doc in index.search(name)]


def line_of(db_path: Path, member_id: str) -> str:
    """Member ``member_id``'s line as the picker shows it (name, birth year, grid)."""
    doc = Database(db_path).snapshot().get("members", member_id)
    assert doc is not None
    return member_line(doc)


def highlighted_on_screen(app: App[Any], picker: MemberPicker) -> str:
    """The match drawn highlighted (bold, on its own background) under ``picker``, as the
    screen shows it."""
    matches = picker.query_one(Matches)
    region = matches.content_region
    strips = app.screen._compositor.render_strips()
    for row in strips[region.y : region.bottom]:
        x, bold = 0, []
        for segment in row:
            inside = region.x <= x < region.right
            if inside and segment.style is not None and segment.style.bold:
                bold.append(segment.text)
            x += cell_len(segment.text)
        if "".join(bold).strip():
            return " ".join("".join(bold).split())
    return ""


def one_line(text: str) -> str:
    return " ".join(text.split())


async def edit_li_ming(pilot: Pilot[Any]) -> tuple[EditAccountForm, MemberPicker]:
    """As an admin: the users screen, e on li.ming, the linked member found."""
    screen = await open_users(pilot)
    await highlight(pilot, screen, "li.ming")
    await pilot.press("e")
    form = await on_top(pilot, EditAccountForm)
    picker = form.query_one(MemberPicker)
    await wait_until(pilot, lambda: picker.member_name != "", "the linked member's name")
    await settle(pilot)
    return form, picker


async def test_an_account_reopens_and_reloads_theirs_with_the_namesake_it_links(
    db_path: Path,
) -> None:
    community(db_path)
    add_user(db_path, "zhou", Role.ADMIN, display_name="周敏")
    add_member(db_path, "王芳", "1950-02-01", "一网格")
    add_member(db_path, "王芳", "1972-06-01", "三网格")
    first, second = listed(db_path, "王芳")
    users.update_user(Database(db_path), OTHER, "li.ming", member_id=second)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_li_ming(pilot)
        assert (picker.value, picker.member_id) == ("王芳", second)
        assert highlighted_on_screen(app, picker) == one_line(line_of(db_path, second))
        assert one_line(line_of(db_path, first)) in one_line(screen_text(app))  # both listed
        assert not form.has_edits()

        # They link the other 王芳 while I rename; I reload theirs: their 王芳 is chosen.
        name = form.field("display_name")
        assert isinstance(name, FormField)
        name.input.focus()
        await type_text(pilot, "同志")
        users.update_user(Database(db_path), OTHER, "li.ming", member_id=first)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("r")
        await wait_until(pilot, lambda: app.screen is form and picker.member_name != "", "theirs")
        await settle(pilot)
        assert (picker.value, picker.member_id) == ("王芳", first)
        assert highlighted_on_screen(app, picker) == one_line(line_of(db_path, first))
        assert not form.has_edits()

        form.field("role").input.focus()
        await pilot.press("home", "ctrl+s")  # Administrator, saved over their version
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
    account = stored(db_path, "li.ming")
    assert (account["role"], account["member_id"]) == ("admin", first)


@pytest.mark.parametrize("case", ["archived", "past the matches kept"])
async def test_a_namesake_the_search_does_not_list_stays_linked(db_path: Path, case: str) -> None:
    community(db_path)
    if case == "archived":  # the search lists current members only
        linked = add_member(db_path, "王芳", "1940-01-01", "二网格", status="archived")
        add_member(db_path, "王芳", "1972-06-01", "三网格")
    else:
        add_records(
            db_path,
            "members",
            [{"name": "王芳", "birth_date": f"{1930 + n}-01-01"} for n in range(55)],
        )
        linked = listed(db_path, "王芳")[-1]
    users.update_user(Database(db_path), OTHER, "li.ming", member_id=linked)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_li_ming(pilot)
        assert (picker.value, picker.member_id) == ("王芳", linked)
        # Put first among the matches, highlighted: never the first namesake the search lists.
        assert highlighted_on_screen(app, picker) == one_line(line_of(db_path, linked))
        assert picker.query_one(Matches).highlighted == 0
        assert not form.has_edits()

        form.field("role").input.focus()
        await pilot.press("home", "ctrl+s")  # only the role changes
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
    account = stored(db_path, "li.ming")
    assert (account["role"], account["member_id"]) == ("admin", linked)


async def test_a_member_another_session_added_is_chosen_by_id_and_saved(db_path: Path) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_li_ming(pilot)
        assert picker.member_id == ids["李四"]
        newcomer = add_member(db_path, "张三", "1990-09-09", "五网格")  # 张三's namesake
        picker.choose(newcomer)
        assert picker.member_id == newcomer  # at once, not the first 张三 the index knows
        await wait_until(pilot, lambda: picker.value == "张三", "the newcomer's name")
        await settle(pilot)
        assert picker.member_id == newcomer
        assert highlighted_on_screen(app, picker) == "张三 1990 五网格"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
    assert stored(db_path, "li.ming")["member_id"] == newcomer


async def edit_the_team(pilot: Pilot[Any]) -> tuple[PlaceForm, MemberPicker]:
    """As a coordinator: the teams and zones (z), e on the one team, its members read."""
    await open_patrols(pilot, Role.COORDINATOR)
    await pilot.press("z")
    await on_top(pilot, PlacesScreen, lambda screen: screen.loaded)
    await pilot.press("e")
    form = await on_top(pilot, PlaceForm)
    picker = form.query_one(MemberPicker)
    await settle(pilot)
    return form, picker


def leader_of(db_path: Path, team_id: str) -> str:
    [team] = [t for t in reads.teams(Database(db_path).snapshot()) if t.id == team_id]
    return team.leader_id


async def test_a_team_leader_namesake_reloaded_and_a_new_member_chosen(db_path: Path) -> None:
    world = patrol_week(db_path)
    team_id, people = world["team"], world["people"]
    namesake = add_member(db_path, "李四", "1980-08-08", "五网格")
    patrol_ops.update_team(Database(db_path), OTHER, team_id, {"leader_id": namesake}, 1)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_the_team(pilot)
        assert (picker.value, picker.member_id) == ("李四", namesake)
        assert highlighted_on_screen(app, picker) == "李四 1980 五网格"

        # They make the other 李四 the leader while I type a note; I reload theirs.
        note = form.field("note")
        assert isinstance(note, FormField)
        note.input.focus()
        await type_text(pilot, "夜间")
        patrol_ops.update_team(Database(db_path), OTHER, team_id, {"leader_id": people["李四"]}, 2)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("r")
        await wait_until(pilot, lambda: app.screen is form and picker.value == "李四", "theirs")
        await settle(pilot)
        assert picker.member_id == people["李四"]
        assert highlighted_on_screen(app, picker) == "李四 1962"

        # A member added by another session after the index was built: read from the store.
        newcomer = add_member(db_path, "王五", "1991-01-01", "六网格")
        picker.choose(newcomer)
        await wait_until(pilot, lambda: picker.value == "王五", "the newcomer's name")
        await settle(pilot)
        assert picker.member_id == newcomer
        assert highlighted_on_screen(app, picker) == "王五 1991 六网格"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
    assert leader_of(db_path, team_id) == newcomer


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_linked_member_deleted_meanwhile_is_said_and_nobody_else_linked(
    db_path: Path, lang: str
) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_li_ming(pilot)
        assert picker.member_id == ids["李四"]
        delete_elsewhere(db_path, ids["李四"])
        await until_said_gone(pilot, picker, lang)  # the dialog follows the members
        assert picker.member_id == ids["李四"]  # kept: never another member
        form.field("role").input.focus()
        await pilot.press("home", "ctrl+s")
        # The delete also took the link off the stored account: their version, and the link
        # was not changed here, so overwriting keeps theirs (nobody).
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("o")
        await wait_until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
    account = stored(db_path, "li.ming")
    assert (account["role"], account["member_id"]) == ("admin", "")


async def test_a_deleted_member_given_by_id_is_said_and_not_saved(db_path: Path) -> None:
    world = patrol_week(db_path)
    gone = add_member(db_path, "王五", "1985-05-05", "七网格")  # 王五's namesake
    delete_elsewhere(db_path, gone)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await edit_the_team(pilot)
        picker.choose(gone)  # a stale id (a record read before the delete)
        await until_said_gone(pilot, picker, "en")
        assert (picker.value, picker.member_id) == ("", gone)  # never the other 王五
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "There is no such member." in one_line(screen_text(app)), "refused"
        )
        assert app.screen is form
    assert leader_of(db_path, world["team"]) == ""
