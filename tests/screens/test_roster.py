"""The roster (section 2): list, search, filter, sort, archive, restore and delete by keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.roster.list import RosterList
from screens.roster.view import RosterFilter
from store.actor import Role
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members
from tests.screens.helpers import (
    add_records,
    footer_text,
    foreign_sequences,
    screen_text,
    settle,
    terminal_output,
    type_text,
    wait_until,
)
from tests.screens.roster_helpers import ADMIN, PEOPLE, add_people, listed, move_to, open_roster
from tui.factory import make_app

SnapCompare = Callable[..., bool]


def stored(db_path: Path, member_id: str) -> Mapping[str, Any] | None:
    return Database(db_path).snapshot().get("members", member_id)


async def test_lists_members_with_counts_and_columns(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        text = screen_text(app)
        assert "4 members · 2 mobile" in text
        assert "Showing 4 · sorted by name" in text
        for heading in ("Name", "Sex", "Age", "Category", "Managed", "Grid", "Phone"):
            assert heading in text
        assert "13800138000" in text and "Retired" in text and "第1网格" in text
        # Sorted by pinyin, a surname by its surname reading: li, wang, zeng (曾), zhang.
        assert listed(app) == ["李四", "王芳", "曾国强", "张三丰"]
        # The most used keys, then Help, Lock and Quit; Filter and Sort are in F1 at 80 columns.
        for key in ("/ Search", "n New", "e Edit", "Del Archive", "Ctrl+L Lock", "Ctrl+Q Quit"):
            assert key in footer_text(app)


async def test_chinese_screen(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        text = screen_text(app)
        assert "4 名党员" in text and "姓名" in text and "离退休党员" in text
        assert "搜索" in footer_text(app)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zsf", ["张三丰"]),  # pinyin initials
        ("zhangsanfeng", ["张三丰"]),  # full pinyin
        ("zengguo", ["曾国强"]),  # 曾: both readings
        ("cengguo", ["曾国强"]),
        ("139 0013", ["李四"]),  # phone digits, with a space
        ("3栋2单元", ["王芳"]),  # address
        ("张", ["张三丰"]),
        ("nobody", []),
    ],
)
async def test_search_as_you_type(db_path: Path, typed: str, found: list[str]) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await pilot.press("slash")
        await type_text(pilot, typed)
        await wait_until(pilot, lambda: listed(app) == found, f"{typed!r} to find {found}")
        assert f"Showing {len(found)}" in screen_text(app)
        # Down goes to the list, Esc empties the search and shows everyone again.
        await pilot.press("down")
        assert app.focused is app.screen.query_one(RosterList)
        await pilot.press("escape")
        assert len(listed(app)) == len(PEOPLE)


async def test_volunteer_sees_masked_phones_and_no_changing_keys(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roster(pilot, Role.VOLUNTEER)
        text = screen_text(app)
        assert "138****8000" in text and "13800138000" not in text
        assert "name or pinyin (zs)" in text and "address" not in text  # no address to find
        footer = footer_text(app)
        assert "/ Search" in footer and "New" not in footer and "Archive" not in footer
        # A hidden phone can't be found by trying its digits.
        await pilot.press("slash")
        await type_text(pilot, "00138")
        await wait_until(pilot, lambda: listed(app) == [], "no match on hidden digits")
        # Keys forced anyway change nothing.
        await pilot.press("escape")
        for key in ("n", "e", "delete", "i", "x"):
            await pilot.press(key)
        await settle(pilot)
        assert app.screen is screen
        assert all(doc["status"] == "active" for doc in Database(db_path).snapshot().all("members"))


async def test_filter_by_category_grid_and_contact(db_path: Path) -> None:
    ids = add_people(db_path)
    long_ago = (date.today() - timedelta(days=200)).isoformat()
    add_records(db_path, "contacts", [{"member_id": ids["李四"], "date": long_ago}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        assert "1 overdue (!!)" in screen_text(app)
        # Category: the second line; Right twice from "any" is In service, Retired...
        await pilot.press("f", "down", "right", "right", "enter")
        await settle(pilot)
        assert listed(app) == ["张三丰"]
        assert "only: Retired" in screen_text(app)
        # Backspace clears everything; then grid 第1网格.
        await pilot.press("f", "backspace", "down", "down", "down", "right", "enter")
        await settle(pilot)
        assert listed(app) == ["曾国强", "张三丰"]
        # Contact overdue only.
        await pilot.press("f", "backspace", "up", "right", "right", "enter")
        await settle(pilot)
        assert listed(app) == ["李四"]
        assert "contact overdue" in screen_text(app)
        # Esc in the dialog keeps the filter as it was.
        await pilot.press("f", "backspace", "escape")
        await settle(pilot)
        assert listed(app) == ["李四"]


async def test_sort_cycles_and_says_so(db_path: Path) -> None:
    ids = add_people(db_path)
    add_records(
        db_path,
        "contacts",
        [
            {"member_id": ids["张三丰"], "date": (date.today() - timedelta(days=3)).isoformat()},
            {"member_id": ids["李四"], "date": (date.today() - timedelta(days=9)).isoformat()},
        ],
    )
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await pilot.press("s")
        assert "sorted by last contact, oldest first" in screen_text(app)
        # Never contacted first (by name), then the oldest contact.
        assert listed(app) == ["王芳", "曾国强", "李四", "张三丰"]
        await pilot.press("s")
        assert "sorted by grid" in screen_text(app)
        assert listed(app)[-1] == "王芳"  # no grid: last


async def test_archive_asks_then_hides_and_restore_brings_back(db_path: Path) -> None:
    ids = add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await move_to(pilot, "李四")
        await pilot.press("delete")
        await settle(pilot)
        assert "Archive 李四?" in screen_text(app)
        await pilot.press("escape")  # the safe answer: nothing happens
        await settle(pilot)
        assert stored(db_path, ids["李四"])["status"] == "active"  # type: ignore[index]
        await pilot.press("delete", "y")
        await wait_until(pilot, lambda: "李四" not in listed(app), "李四 to leave the list")
        assert stored(db_path, ids["李四"])["status"] == "archived"  # type: ignore[index]
        assert "3 members" in screen_text(app)
        # f: status "archived" (Right twice from current members: transferred out, deceased,
        # archived... whichever order, pick it by checking the dialog's words).
        await pilot.press("f")
        await settle(pilot)
        for _ in range(5):
            if "‹ Archived ›" in screen_text(app):
                break
            await pilot.press("right")
        await pilot.press("enter")
        await settle(pilot)
        assert listed(app) == ["李四"]
        assert "r Restore" in footer_text(app) and "Archive" not in footer_text(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: listed(app) == [], "李四 to leave the archived list")
        assert stored(db_path, ids["李四"])["status"] == "active"  # type: ignore[index]


async def test_admin_deletes_archived_member_after_typing_the_name(db_path: Path) -> None:
    ids = add_people(db_path)
    db = Database(db_path)
    doc = stored(db_path, ids["王芳"])
    assert doc is not None
    members.set_status(db, ADMIN, ids["王芳"], MemberStatus.ARCHIVED, doc["version"])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await pilot.press("f", "left", "enter")  # status: everyone (last answer)
        await settle(pilot)
        await move_to(pilot, "王芳")
        assert "Del Delete" in footer_text(app)
        await pilot.press("delete")
        await settle(pilot)
        assert "Delete 王芳 for good?" in screen_text(app)
        await type_text(pilot, "王")
        await pilot.press("enter")
        await settle(pilot)
        assert "That is not the name" in screen_text(app)
        assert stored(db_path, ids["王芳"]) is not None
        await type_text(pilot, "芳")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "王芳" not in listed(app), "王芳 to be deleted")
        assert stored(db_path, ids["王芳"]) is None


async def test_the_delete_dialog_says_exactly_what_goes(db_path: Path) -> None:
    """Contacts, certificates, shift places and training records go with the member."""
    from store.engine.check import check

    ids = add_people(db_path)
    wang = ids["王芳"]
    with Database(db_path).transaction(ADMIN) as tx:
        for day in ("2024-01-02", "2024-01-03", "2024-01-04"):
            tx.insert("contacts", {"member_id": wang, "date": day, "method": "phone"})
        tx.insert("certificates", {"member_id": wang, "name": "红十字救护员证"})
        tx.insert("shifts", {"date": "2024-01-05", "assignments": [{"member_id": wang}]})
        tx.insert("users", {"username": "wang", "member_id": wang, "role": "volunteer"})
    doc = stored(db_path, wang)
    assert doc is not None
    members.set_status(Database(db_path), ADMIN, wang, MemberStatus.ARCHIVED, doc["version"])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await pilot.press("f", "left", "enter")
        await settle(pilot)
        await move_to(pilot, "王芳")
        await pilot.press("delete")
        await settle(pilot)
        said = " ".join(re.sub("[█▀▄]", " ", screen_text(app)).split())  # lines, no frame
        assert "their record, 3 contacts, 1 certificate, 1 shift place." in said, said
        assert "1 account linked to them stays, unlinked." in said
        await type_text(pilot, "王芳")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "王芳" not in listed(app), "王芳 to be deleted")
    snap = Database(db_path).snapshot()
    assert snap.count("contacts") == snap.count("certificates") == 0
    assert snap.all("shifts")[0]["assignments"] == []
    assert check(Database(db_path)) == []


async def test_coordinator_cannot_delete_for_good(db_path: Path) -> None:
    ids = add_people(db_path)
    doc = stored(db_path, ids["王芳"])
    assert doc is not None
    members.set_status(Database(db_path), ADMIN, ids["王芳"], MemberStatus.ARCHIVED, doc["version"])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roster(pilot, Role.COORDINATOR)
        await pilot.press("f", "left", "enter")
        await settle(pilot)
        await move_to(pilot, "王芳")
        assert "Delete" not in footer_text(app) and "r Restore" in footer_text(app)
        await pilot.press("delete")
        await settle(pilot)
        assert app.screen is screen
        assert stored(db_path, ids["王芳"]) is not None


async def test_archive_meets_a_change_made_meanwhile(db_path: Path) -> None:
    """Another session edited the member after the roster was read: nothing is overwritten."""
    ids = add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        await move_to(pilot, "李四")
        doc = stored(db_path, ids["李四"])
        assert doc is not None
        members.update(Database(db_path), ADMIN, ids["李四"], {"grid": "第9网格"}, doc["version"])
        await pilot.press("delete", "y")
        await settle(pilot)
        await wait_until(pilot, lambda: "第9网格" in screen_text(app), "the newer data to show")
        after = stored(db_path, ids["李四"])
        assert after is not None and after["status"] == "active" and after["grid"] == "第9网格"


async def test_user_data_is_shown_literally(db_path: Path) -> None:
    add_records(db_path, "members", [{"name": "[b]红\x1b]0;pwn\x07"}, {"name": "x[/]\x9b2J"}])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        text = screen_text(app)
        assert "[b]红" in text and "x[/]" in text and "pwn" not in text
        assert "\x1b" not in foreign_sequences(terminal_output(app))


async def test_many_members_scroll_by_half_pages(db_path: Path) -> None:
    # Written raw: their keys are computed when read (zhou, after 张三丰 and the others).
    add_records(db_path, "members", [{"name": f"周{i:04d}"} for i in range(500)])
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        roster = app.screen.query_one(RosterList)
        height = roster.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("down")
        assert roster.cursor == height
        # One step past the bottom scrolled half a screen, not one line.
        assert roster.scroll_offset.y == height // 2 + 1
        await pilot.press("end")
        assert roster.current is not None and roster.current.name == "周0499"
        assert "周0499" in screen_text(app)


async def roster_shown(pilot: Pilot[Any]) -> None:
    await open_roster(pilot)


def test_snapshot(snap_compare: SnapCompare, db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里社区 Happiness Lane"}])
    add_people(db_path, [{k: v for k, v in p.items()} for p in PEOPLE])
    assert snap_compare(
        make_app(db_path, lang="en"), terminal_size=(80, 24), run_before=roster_shown
    )


async def test_without_colour_the_cursor_and_overdue_rows_still_show(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the cursor row is reverse video and an overdue row bold, not a colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    ids = add_people(db_path)
    long_ago = (date.today() - timedelta(days=400)).isoformat()
    add_records(db_path, "contacts", [{"member_id": ids["王芳"], "date": long_ago}])
    app = make_app(db_path, lang="en")
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        roster = app.screen.query_one(RosterList)
        assert [row.name for row in roster.rows][:2] == ["李四", "王芳"]

        def styles(y: int) -> tuple[bool, bool]:
            segments = list(roster.render_line(y))
            style = segments[0].style
            assert style is not None
            return bool(style.reverse), bool(style.bold)

        assert styles(0) == (True, False)  # the cursor
        assert styles(1) == (False, True)  # 王芳: overdue (and marked !!)
        assert screen_text(app).splitlines()[6].startswith("!!王芳")
        await pilot.press("down")
        assert styles(0) == (False, False) and styles(1)[0]
        # Reverse video (SGR 7) reaches the terminal.
        assert re.search(r"\x1b\[(?:\d+;)*7(?:;\d+)*m", terminal_output(app))


@pytest.mark.parametrize(
    ("role", "said"),
    [
        (Role.COORDINATOR, "No members yet: press n to add one, or i to bring in a spreadsheet."),
        (Role.VOLUNTEER, "No members on the roster yet."),
    ],
)
async def test_an_empty_roster_says_how_members_get_there(
    db_path: Path, role: Role, said: str
) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot, role)
        assert said in screen_text(app)
        assert "0 members" in screen_text(app)


async def test_the_list_scrolls_right_after_a_search_narrows_and_widens_it(db_path: Path) -> None:
    """The list's length changes without a layout pass: its scroll range must follow."""
    # Written raw: their keys are computed when read (zhou, after 张三丰 and the others).
    add_records(db_path, "members", [{"name": f"周{i:04d}"} for i in range(500)])
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_roster(pilot)
        roster = app.screen.query_one(RosterList)
        await pilot.press("end")
        assert roster.scroll_offset.y > 400
        await pilot.press("slash")
        await type_text(pilot, "zsf")
        await wait_until(pilot, lambda: listed(app) == ["张三丰"], "the search")
        assert roster.scroll_offset.y == 0 and roster.max_scroll_y == 0
        assert roster.vertical_scrollbar.window_virtual_size == 1  # the thumb fills the bar
        assert "张三丰" in screen_text(app)
        await pilot.press("escape")  # everyone again, still on 张三丰
        await wait_until(pilot, lambda: len(listed(app)) == 504, "everyone")
        assert roster.max_scroll_y == 504 - roster.scrollable_content_region.height
        assert roster.vertical_scrollbar.window_virtual_size == 504
        await pilot.press("end")
        assert roster.current is not None and roster.current.name == "周0499"
        assert "周0499" in screen_text(app)


async def test_a_search_typed_ahead_in_one_packet_lands_in_the_box(db_path: Path) -> None:
    """Over a slow link "/zsf", Enter, Enter arrive together: the letters must go into the
    search box, not reach the list as keys (s sorts, e edits), and the Enters open the match."""
    from textual import events

    from screens.member.detail import MemberScreen

    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roster(pilot)
        driver = app._driver
        assert driver is not None
        burst = [("slash", "/"), ("z", "z"), ("s", "s"), ("f", "f")]
        for key, char in [*burst, ("enter", "\r"), ("enter", "\r")]:
            event = events.Key(key, char)
            event.set_sender(app)
            driver.send_message(event)
        await wait_until(pilot, lambda: isinstance(app.screen, MemberScreen), "张三丰 opened")
        await settle(pilot)
        assert "张三丰" in screen_text(app)
        assert screen.search.value == "zsf" and screen.sort == "name"


async def test_a_burst_of_typed_letters_refills_the_list_once(db_path: Path) -> None:
    """Letters arriving together (a fast typist, an IME, a slow link) refill the list once,
    after the burst, and it shows what the whole word finds; a key typed alone still refills."""
    add_people(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roster(pilot)
        refills: list[str] = []
        real = screen.refill

        def counted(*, keep: str | None = None) -> None:
            refills.append(screen.search.value)
            real(keep=keep)

        screen.refill = counted  # type: ignore[method-assign]
        await pilot.press("slash")
        await type_text(pilot, "zhangsan")
        await settle(pilot)
        assert refills == ["zhangsan"]
        assert listed(app) == ["张三丰"]
        await pilot.press("backspace")
        await settle(pilot)
        assert refills == ["zhangsan", "zhangsa"]
        await pilot.press("escape")
        await settle(pilot)
        assert refills[-1] == "" and len(listed(app)) == 4


async def test_an_empty_result_says_why_and_how_to_see_everyone_again(db_path: Path) -> None:
    add_people(db_path)
    app = make_app(db_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        roster = await open_roster(pilot)
        roster.filter = RosterFilter(category="retired")
        roster.refill()
        await pilot.press("slash")
        await type_text(pilot, "qqqq")
        await wait_until(pilot, lambda: listed(app) == [], "nothing to match")
        await pilot.pause()
        text = screen_text(app)
        assert "没有符合搜索和筛选条件的成员。" in text
        assert "按 f 再按 Backspace 清除筛选" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: listed(app) == ["张三丰"], "the filter's one member")
        roster.filter = RosterFilter()
        roster.refill()
        await pilot.press("slash")
        await type_text(pilot, "qqqq")
        await wait_until(pilot, lambda: listed(app) == [], "nothing to match")
        await pilot.pause()
        assert "没有符合搜索的成员。" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(listed(app)) == len(PEOPLE), "everyone again")
        assert "没有符合" not in screen_text(app)
