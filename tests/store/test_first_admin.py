"""The first administrator is made in the app only on an empty database.

Anyone can open the app at a shared terminal or over SSH: on a database that already holds
members (made with ``shequ members add`` or ``shequ import members``) and has no account, the
first to open it would make themselves admin and read every phone. The store refuses that;
such a database gets its first admin from the command line on the server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.errors import FirstAdminExists, FirstAdminNotHere
from store.members import ops as members
from store.settings import ops as settings
from store.users import ops as users

CLI = Actor.os_user()


def test_an_empty_database_gets_its_first_admin(db: Database) -> None:
    actor = users.create_first_admin(db, "admin", "管理员", "1234")
    assert actor.role is Role.ADMIN
    assert users.may_create_first_admin(db.snapshot()) is False


def test_a_file_with_nothing_in_it_yet_is_empty(db: Database) -> None:
    with db.transaction(CLI):
        pass  # a new file: only the store's own facts (data format, created at)
    assert db.exists()
    assert users.may_create_first_admin(db.snapshot())
    users.create_first_admin(db, "admin", "", "1234")


@pytest.mark.parametrize("what", ["a member", "a contact", "the settings"])
def test_a_database_with_data_and_no_account_refuses(db: Database, what: str) -> None:
    if what == "the settings":
        settings.update(db, CLI, {"community_name": "幸福里"}, 0)
    elif what == "a member":
        members.add(db, CLI, {"name": "张三", "phone": "13800000001"})
    else:  # a contact left over, with no member
        with db.transaction(CLI) as tx:
            tx.insert(contacts.TABLE, {"member_id": "gone", "date": "2024-01-05", "note": "x"})
    assert not users.has_users(db.snapshot())
    assert not users.may_create_first_admin(db.snapshot())
    before = db.path.read_bytes()
    with pytest.raises(FirstAdminNotHere) as refused:
        users.create_first_admin(db, "admin", "", "1234")
    assert f"shequ users add NAME --role admin --db {db.path}" in str(refused.value)
    assert db.path.read_bytes() == before  # nothing written
    assert not users.has_users(db.snapshot())


def test_the_server_adds_the_first_admin_of_such_a_database(db: Database) -> None:
    members.add(db, CLI, {"name": "张三"})
    users.add_user(db, CLI, username="admin", display_name="", role="admin", secret="1234")
    assert users.authenticate(db, "admin", "1234").role is Role.ADMIN
    with pytest.raises(FirstAdminExists):
        users.create_first_admin(db, "other", "", "1234")


def test_the_command_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    path = tmp_path / "my data" / "shequ.json"
    assert users.first_admin_command(path).endswith(f"--db '{path}'")
