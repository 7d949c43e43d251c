"""What the tests of the users screen and its account dialogs share: a small community of
members and accounts, the way to the screen, a row of it, and an account as stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.manage.users import UsersScreen
from store.actor import Actor, Role
from store.engine.database import Database
from store.users import ops as users
from tests.screens.helpers import add_records, add_user, enter_as, log_in, screen_lines, settle


def stored(db_path: Path, username: str) -> dict[str, Any]:
    """Account ``username`` as the data file holds it."""
    accounts = Database(db_path).snapshot().all("users")
    return next(dict(d) for d in accounts if d["username"] == username)


def community(db_path: Path) -> dict[str, str]:
    """Three members (two found by ``zs``) and four accounts (li.ming linked to 李四, old
    disabled); returns member ids by name."""
    add_records(
        db_path,
        "members",
        [
            {"name": "张三", "birth_date": "1958-03-12", "search_keys": ["张三", "zhangsan", "zs"]},
            {"name": "张山", "birth_date": "1960-01-01", "search_keys": ["张山", "zs"]},
            {"name": "李四", "search_keys": ["李四", "lisi", "ls"]},
        ],
    )
    ids = {doc["name"]: doc["id"] for doc in Database(db_path).snapshot().all("members")}
    add_user(db_path, "admin", Role.ADMIN, display_name="王芳")
    add_user(db_path, "li.ming", Role.COORDINATOR, display_name="李明")
    add_user(db_path, "xiao", Role.VOLUNTEER, display_name="小张")
    add_user(db_path, "old", Role.VOLUNTEER, display_name="老赵")
    users.update_user(Database(db_path), Actor.os_user(), "li.ming", member_id=ids["李四"])
    users.set_disabled(Database(db_path), Actor.os_user(), "old", True)
    return ids


async def open_users(pilot: Pilot[Any], *, log_in_as: str = "") -> UsersScreen:
    """Log in (as ``log_in_as`` for real, else as the test admin), then 5, Users, Enter."""
    if log_in_as:
        await settle(pilot)
        await log_in(pilot, log_in_as)
    else:
        await enter_as(pilot, Role.ADMIN)
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, UsersScreen)
    return screen


def row_of(app: Any, username: str) -> str:
    """The line of the list that shows ``username``."""
    return next(line for line in screen_lines(app) if line.strip().startswith(username + " "))


async def highlight(pilot: Pilot[Any], screen: UsersScreen, username: str) -> None:
    """Move the list's highlight to ``username``."""
    await pilot.press("home")
    while screen.current is not None and screen.current.username != username:
        await pilot.press("down")
