"""The "add a team member" dialog (a on a team's members) follows the members while it is open,
as every member picker does (screens/shell/live.py ``LiveMembers``).

Another session writes through the store on the same file, as another process would; the dialog
learns it from the App's stat watcher. A member added meanwhile is found by typing and added; the
chosen member deleted meanwhile is said at the field and Enter adds nothing; a contact or a shift
saved elsewhere reads no new index. What was typed stays throughout. Checked at 80x24, on screen
and in the data file; the index builds are counted by wrapping ``MemberIndex``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.team_members import PickMemberDialog, TeamMembersScreen
from screens.widgets.member_picker import MemberPicker
from store.actor import Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.errors import DatabaseBusy
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

NO_MATCH = "No member matches; type a name, or Esc."  # not a form's "link nobody"


async def open_picker(pilot: Pilot[Any]) -> tuple[PickMemberDialog, MemberPicker]:
    """As a coordinator, the teams and zones (z), the members of 巡逻一队 (m), then a: the
    dialog, its first index read."""
    await open_places(pilot, Role.COORDINATOR)
    await pilot.press("m")
    screen = await on_top(pilot, TeamMembersScreen, lambda screen: screen.loaded)
    await settle(pilot)
    assert screen.view.team is not None
    await pilot.press("a")
    dialog = await on_top(pilot, PickMemberDialog)
    await settle(pilot)  # the index read (no more workers)
    return dialog, dialog.query_one(MemberPicker)


def add_zhao(db_path: Path) -> str:
    """赵六, on the roster and on no team, added by another session."""
    return str(
        members.add(Database(db_path), OTHER, {"name": "赵六", "birth_date": "1958-02-02"})["id"]
    )


async def test_a_member_added_elsewhere_is_found_by_typing_and_added(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    builds = count_calls(monkeypatch, members, "MemberIndex")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, picker = await open_picker(pilot)
        read = len(builds)
        await type_text(pilot, "zhao")  # nobody of that name yet
        await settle(pilot)
        assert picker.member_id is None
        assert squeezed(NO_MATCH) in squeezed(widget_text(app, picker))

        zhao = add_zhao(db_path)
        await soon(lambda: len(builds) > read, "the read after a member was added")
        # The search runs again on what was typed: the newcomer is listed and chosen.
        await wait_until(pilot, lambda: picker.member_id == zhao, "the newcomer matched")
        await settle(pilot)
        assert "赵六  1958" in screen_text(app)  # the match under the field
        assert squeezed(NO_MATCH) not in squeezed(widget_text(app, picker))
        assert picker.value == "zhao" and app.focused is picker.input

        await type_text(pilot, "liu")  # the whole name in pinyin: still them
        await settle(pilot)
        assert picker.member_id == zhao
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: zhao in stored_teams(db_path)["巡逻一队"].member_ids, "the add"
        )
        await wait_until(pilot, lambda: app.screen is not dialog, "the dialog closed")
        await wait_until(pilot, lambda: "赵六" in screen_text(app), "the team's new line")
    team = stored_teams(db_path)["巡逻一队"]
    assert sorted(team.member_ids) == sorted([*world["people"].values(), zhao])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_chosen_member_deleted_elsewhere_is_said_and_not_added(
    db_path: Path, lang: str
) -> None:
    patrol_week(db_path)
    zhao = add_zhao(db_path)
    before = stored_teams(db_path)["巡逻一队"]
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog, picker = await open_picker(pilot)
        await type_text(pilot, "zhaoliu")
        await wait_until(pilot, lambda: picker.member_id == zhao, "赵六 chosen")

        delete_elsewhere(db_path, zhao)
        await until_said_gone(pilot, picker, lang)
        await pilot.press("enter")
        await settle(pilot)
        # Enter adds nothing: the dialog stays, saying so at the field, what was typed kept.
        assert app.screen is dialog and app.focused is picker.input
        assert says_gone(picker, lang)
        assert picker.value == "zhaoliu"
        assert "赵六" not in screen_text(app)  # no match offers them

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TeamMembersScreen), "the team")
        await settle(pilot)
    after = stored_teams(db_path)["巡逻一队"]
    assert (after.member_ids, after.version) == (before.member_ids, before.version)


async def test_what_was_typed_and_the_member_chosen_stay_across_a_new_index(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patrol_week(db_path)
    zhao = add_zhao(db_path)
    builds = count_calls(monkeypatch, members, "MemberIndex")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, picker = await open_picker(pilot)
        read = len(builds)
        await type_text(pilot, "zh")  # 张三 and 赵六 both match: 赵六 chosen with Down
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert picker.member_id == zhao

        # Another session adds 钟七 (zq), who matches "zh" too and would come first.
        members.add(Database(db_path), OTHER, {"name": "钟七", "birth_date": "1950-01-01"})
        await soon(lambda: len(builds) > read, "the read after a member was added")
        await wait_until(pilot, lambda: "钟七" in screen_text(app), "the new match listed")
        await settle(pilot)
        assert app.screen is dialog
        assert picker.value == "zh" and app.focused is picker.input
        assert picker.member_id == zhao  # still the member chosen, not the new first match
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: zhao in stored_teams(db_path)["巡逻一队"].member_ids, "the add"
        )


async def test_a_contact_or_a_shift_saved_elsewhere_reads_no_new_index(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = patrol_week(db_path)
    people = world["people"]
    builds = count_calls(monkeypatch, members, "MemberIndex")
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, picker = await open_picker(pilot)
        await type_text(pilot, "lisi")
        await wait_until(pilot, lambda: picker.member_id == people["李四"], "a match")
        read, first = len(builds), dialog.data_token
        assert first is not None

        contacts.add_contact(Database(db_path), OTHER, people["李四"], {"date": "2026-12-01"})
        await soon(lambda: current(app, dialog.data_token), "the look at the new file")
        await settle(pilot)
        second = dialog.data_token
        assert second != first  # it looked at the new file...
        assert len(builds) == read  # ...and read nothing again

        base = {"zone_id": world["zone"], "team_id": world["team"], "date": "2026-12-05"}
        patrol_ops.add_shift(Database(db_path), OTHER, {**base, "start": "06:00", "end": "08:00"})
        await soon(lambda: current(app, dialog.data_token), "the look at the new file")
        await settle(pilot)
        assert dialog.data_token != second
        assert len(builds) == read
        assert picker.value == "lisi" and picker.member_id == people["李四"]


async def test_members_that_cannot_be_read_are_said_at_the_picker(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patrol_week(db_path)
    said = "The data file is busy; try again."  # the store's sentence, as it comes

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise DatabaseBusy(said)

    monkeypatch.setattr(members, "MemberIndex", refused)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog, picker = await open_picker(pilot)
        await wait_until(
            pilot, lambda: squeezed(said) in squeezed(widget_text(app, picker)), "the message"
        )
        assert app.screen is dialog and app.focused is picker.input
