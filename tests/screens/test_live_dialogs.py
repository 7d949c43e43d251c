"""Open dialogs that show store data follow another session's change within 2 seconds, keeping
the search text and the selection (screens/shell/live.py, on the App's one DataChanged signal).

The other session writes the file through the store, as another process would; the dialog
learns it from the App's stat watcher, the same path every section screen uses.
"""

from __future__ import annotations

from pathlib import Path

from store.engine.database import Database
from store.members import ops as members
from store.patrols import assign
from tests.screens.helpers import screen_lines, settle, type_text, wait_until
from tests.screens.live_helpers import (
    app_for,
    line_of,
    open_assign,
    pick_member,
    soon,
)
from tests.screens.patrol_helpers import MONDAY, ROOT, TODAY, fixed_clock, patrol_week
from tui.factory import make_app

SIZE = (80, 24)


async def test_the_assign_list_follows_another_sessions_assignment(db_path: Path) -> None:
    world = patrol_week(db_path)
    db = Database(db_path, clock=fixed_clock())
    for name, born in (("王六", "1961-01-01"), ("王七", "1963-01-01")):
        members.add(db, ROOT, {"name": name, "birth_date": born, "category": "retired"})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_assign(pilot, world["shifts"][TODAY.isoformat()])
        await type_text(pilot, "/w")
        await pilot.press("down", "down")  # on to the list, the second line
        await settle(pilot)
        chosen = dialog.list.current
        assert chosen and dialog.search.value == "w"
        name = next(c.name for c in dialog.shown if c.member_id == chosen)
        others = [c.member_id for c in dialog.shown]
        assert "never · month 0 · year 0" in line_of(app, name)

        # Another session puts them on Monday's shift: their hint changes under the cursor.
        assign.assign(db, ROOT, world["shifts"][MONDAY.isoformat()], chosen)
        await soon(lambda: "0w ago · month 0 · year 1" in line_of(app, name), "the new hint")
        assert app.screen is dialog
        assert dialog.search.value == "w"
        assert dialog.list.current == chosen
        assert app.focused is dialog.list
        assert sorted(c.member_id for c in dialog.shown) == sorted(others)


async def test_the_member_picker_follows_another_sessions_new_member(db_path: Path) -> None:
    db = Database(db_path)
    members.add(db, ROOT, {"name": "王五", "birth_date": "1965-01-01"})
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        _form, picker = await pick_member(pilot, "wang")
        await wait_until(pilot, lambda: picker.member_id not in (None, ""), "a match")
        chosen = picker.member_id

        members.add(db, ROOT, {"name": "王小明", "birth_date": "1970-05-01"})
        await soon(lambda: "王小明" in " ".join(screen_lines(app)), "the new member")
        assert picker.value == "wang"
        assert picker.member_id == chosen  # the highlighted member stays
        assert app.focused is picker.input
