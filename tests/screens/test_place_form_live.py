"""The team form's leader picker follows the members while the form is open, as the account
dialog's does (screens/shell/live.py ``LiveMembers``).

Another session writes through the store, as another process would; the form learns it from the
App's stat watcher. A member added meanwhile is found by typing and saved as leader; the chosen
leader deleted meanwhile is said at the field before the save; a change to another table (a
contact) reads no new index. What was typed stays throughout. Checked at 80x24, on screen and
in the data file; the index builds are counted by wrapping ``MemberIndex``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.place_form import PlaceForm
from screens.patrols.places import PlacesScreen
from screens.shell.dialogs import ConflictDialog
from screens.widgets.form import FormField
from screens.widgets.member_picker import MemberPicker
from store.actor import Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.members import ops as members
from store.patrols import ops as patrol_ops
from tests.screens.helpers import (
    SIZE,
    on_top,
    screen_text,
    settle,
    type_text,
    wait_until,
    widget_text,
)
from tests.screens.live_helpers import (
    OTHER,
    count_calls,
    current,
    delete_elsewhere,
    says_gone,
    soon,
    squeezed,
    until_said_gone,
)
from tests.screens.patrol_helpers import app_for, open_places, patrol_week, stored_teams

NO_MATCH = "No member matches; empty the field to link nobody."


def text_field(form: PlaceForm, name: str) -> FormField:
    field = form.field(name)
    assert isinstance(field, FormField)
    return field


async def open_form(pilot: Pilot[Any], key: str) -> tuple[PlaceForm, MemberPicker]:
    """As a coordinator, the teams and zones (z), then ``key`` (n: a new team, e: the team),
    the form's member index read."""
    await open_places(pilot, Role.COORDINATOR)
    await pilot.press(key)
    form = await on_top(pilot, PlaceForm, lambda form: form.data_token is not None)
    await settle(pilot)
    return form, form.query_one(MemberPicker)


async def test_a_member_added_elsewhere_is_found_by_typing_and_saved_as_leader(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patrol_week(db_path)
    builds = count_calls(monkeypatch, members, "MemberIndex")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await open_form(pilot, "n")
        assert len(builds) == 1
        await type_text(pilot, "巡逻二队")
        await pilot.press("enter")
        await type_text(pilot, "zhao")  # nobody of that name yet
        await settle(pilot)
        assert squeezed(NO_MATCH) in squeezed(widget_text(app, picker))

        zhao = members.add(Database(db_path), OTHER, {"name": "赵六", "birth_date": "1958-02-02"})
        await soon(lambda: len(builds) == 2, "the read after a member was added")
        # The search runs again on what was typed: the newcomer is listed and chosen.
        await wait_until(pilot, lambda: picker.member_id == zhao["id"], "the newcomer matched")
        await settle(pilot)
        assert "赵六  1958" in screen_text(app)  # the match under the field
        assert squeezed(NO_MATCH) not in squeezed(widget_text(app, picker))
        assert picker.value == "zhao" and app.focused is picker.input
        assert text_field(form, "name").value == "巡逻二队"

        await type_text(pilot, "liu")  # the whole name in pinyin: still them
        await settle(pilot)
        assert picker.member_id == zhao["id"]
        await pilot.press("enter")
        await type_text(pilot, "夜间")
        await pilot.press("enter")  # the last field: save
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list again")
        await settle(pilot)
        assert "leader 赵六" in screen_text(app)
    team = stored_teams(db_path)["巡逻二队"]
    assert (team.leader_id, team.note) == (zhao["id"], "夜间")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_chosen_leader_deleted_elsewhere_is_said_before_saving(
    db_path: Path, lang: str
) -> None:
    world = patrol_week(db_path)
    team_id, people = world["team"], world["people"]
    patrol_ops.update_team(Database(db_path), OTHER, team_id, {"leader_id": people["李四"]}, 1)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await open_form(pilot, "e")
        assert (picker.value, picker.member_id) == ("李四", people["李四"])
        note = text_field(form, "note")
        note.input.focus()
        await type_text(pilot, "夜间")

        delete_elsewhere(db_path, people["李四"])
        await until_said_gone(pilot, picker, lang)
        assert picker.member_id == people["李四"]  # kept: never another member
        assert note.value == "夜间" and app.screen is form  # nothing saved, nothing lost

        # Another leader chosen by typing; the delete also took 李四 off the stored team, so
        # the save meets their change, and overwriting saves the leader and the note typed.
        picker.input.focus()
        await pilot.press("home", "ctrl+k")  # the field emptied
        await type_text(pilot, "wangwu")
        await settle(pilot)
        assert picker.member_id == people["王五"]
        assert not says_gone(picker, lang)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list again")
        await settle(pilot)
    team = stored_teams(db_path)["巡逻一队"]
    assert (team.leader_id, team.note) == (people["王五"], "夜间")
    assert people["李四"] not in team.member_ids


async def test_a_contact_saved_elsewhere_reads_no_new_index(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    people = world["people"]
    builds = count_calls(monkeypatch, members, "MemberIndex")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        form, picker = await open_form(pilot, "n")
        await pilot.press("enter")
        await type_text(pilot, "lisi")
        await wait_until(pilot, lambda: picker.member_id == people["李四"], "a match")
        assert len(builds) == 1
        first = form.data_token

        contacts.add_contact(Database(db_path), OTHER, people["李四"], {"date": "2026-12-01"})
        await soon(lambda: current(app, form.data_token), "the look at the new file")
        await settle(pilot)
        assert form.data_token != first  # it looked at the new file...
        assert len(builds) == 1  # ...and read nothing again
        assert picker.value == "lisi" and picker.member_id == people["李四"]
