"""Processes for the follow tests (issue 23): writers saving, and a session following them.

``python -m tests.store.follow_workers COMMAND DB``, talking JSON lines on stdin/stdout:

``writer``
    One change per line (``{"db": PATH, "op": ..., "n": ...}``: add, edit, archive, delete,
    contact, uncontact, import, user, backup, restore), each in its own transaction through the
    same store functions the app and the CLI call; replies ``{"ok": ...}`` once it is
    committed. One writer serves any number of files (a Hypothesis example each).
``follower DB``
    A long-lived session: reads the file and builds its models, then looks again every few
    milliseconds in a thread (as the App's watcher does, faster), so a SIGSTOP lands in the
    middle of a look. ``digest`` replies with what its models hold now (:func:`digest`) and how
    many times it read the file whole; ``quit`` ends it.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from pathlib import Path
from typing import Any

import msgspec
import orjson

from tests.store.workers import _lines, _say

MEMBERS_AND_CONTACTS = ("members", "contacts")


def digest(snapshot: Any) -> str:
    """A fingerprint of everything a session holds of one version: the members' and contacts'
    models (order included), every other table's records in order, and the first members'
    records and contact logs as a member's page finds them."""
    from store.contacts.summary import contacts_of
    from store.members.summary import members_of

    hashed = hashlib.sha256()
    hashed.update(msgspec.json.encode(list(members_of(snapshot))))
    hashed.update(msgspec.json.encode(sorted(contacts_of(snapshot).by_member.items())))
    for table in sorted(snapshot.tables()):
        if table not in MEMBERS_AND_CONTACTS:
            hashed.update(orjson.dumps([table, list(snapshot.all(table))]))
    for member in list(members_of(snapshot))[:3]:  # as a member's page reads them
        found = snapshot.get("members", member.id)
        logged = snapshot.where("contacts", "member_id", member.id)
        hashed.update(orjson.dumps([found, logged]))
    return hashed.hexdigest()


class FullReads:
    """Counts the times this process read the data file whole (not followed from the log)."""

    def __init__(self) -> None:
        from store.engine import storage

        self.count = 0
        real = storage.open_version

        def counting(path: Path) -> Any:
            self.count += 1
            return real(path)

        storage.open_version = counting


def _admin() -> Any:
    from store.actor import Actor, Role

    return Actor("writer", Role.ADMIN, user_id="u-writer")


def change(db: Any, op: str, n: int, folder: Path) -> object:  # noqa: PLR0911
    """Make change ``op`` (``n`` picks the member, the day...) as an admin; what it returns."""
    from datetime import timedelta

    from store.contacts import ops as contacts
    from store.enums import MemberStatus
    from store.members import ops as members

    admin = _admin()
    snap = db.snapshot()
    people = snap.all("members")
    if op == "add" or (not people and op in ("edit", "archive", "delete", "contact")):
        return members.add(db, admin, {"name": f"王{n}", "phone": f"138{n:08d}"})["id"]
    if op == "edit":
        who = people[n % len(people)]
        fields = {"name": f"曾{n}", "address": f"幸福里{n}栋"}
        return members.update(db, admin, who["id"], fields, who["version"])["version"]
    if op == "archive":
        who = people[n % len(people)]
        status = MemberStatus.ARCHIVED if who.get("status") != "archived" else MemberStatus.ACTIVE
        members.set_status(db, admin, who["id"], status, who["version"])
        return who["id"]
    if op == "delete":
        who = people[n % len(people)]
        members.delete(db, admin, who["id"], who["version"])
        return who["id"]
    if op == "contact":
        day = (db.today() - timedelta(days=n % 400)).isoformat()
        return contacts.add_contact(db, admin, people[n % len(people)]["id"], {"date": day})["id"]
    if op == "uncontact":
        logged = snap.all("contacts")
        if not logged:
            return None
        entry = logged[n % len(logged)]
        contacts.delete_contact(db, admin, entry["id"], entry["version"])
        return entry["id"]
    return _bulk(db, op, n, folder)


def _bulk(db: Any, op: str, n: int, folder: Path) -> object:
    from store.members.importing import apply_import, plan_import
    from store.users import ops as users

    admin = _admin()
    if op == "import":
        sheet = folder / f"import-{n}.csv"
        rows = [f"{i},导入{n}_{i},{n % 3 + 1}栋" for i in range(1, 4)]
        sheet.write_text("序号,姓名,家庭住址\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return apply_import(db, admin, plan_import(db, sheet)).added
    if op == "user":
        name = f"user{n}"
        if any(user["username"] == name for user in db.snapshot().all("users")):
            return None  # Hypothesis may draw the same n twice; a user name is taken once
        return users.add_user(
            db,
            admin,
            username=name,
            display_name=f"用户{n}",
            role="volunteer",
            secret=f"{n % 9000 + 1000}",
        )["id"]
    if op == "backup":
        return str(db.backup())
    if op == "restore":
        saved = sorted((folder / "backups").glob("*manual*"))
        if not saved:
            return None
        db.restore(saved[-1], admin)
        return saved[-1].name
    raise ValueError(op)


def writer() -> None:
    from store.engine.database import Database
    from store.errors import StoreError

    opened: dict[str, Database] = {}
    for line in _lines():
        command = orjson.loads(line)
        if command["op"] == "quit":
            return
        db = opened.get(command["db"])
        if db is None:
            db = opened[command["db"]] = Database(command["db"])
        try:
            reply: dict[str, Any] = {"ok": change(db, command["op"], command["n"], db.path.parent)}
        except StoreError as error:
            reply = {"error": type(error).__name__, "message": str(error)}
        _say(orjson.dumps(reply).decode())


def follower(path: str) -> None:
    from store.contacts.summary import contacts_of
    from store.engine.database import Database
    from store.members.summary import members_of

    reads = FullReads()
    db = Database(path)
    lock = threading.Lock()

    def look() -> Any:
        with lock:
            snap = db.snapshot()
            members_of(snap), contacts_of(snap)
            return snap

    look()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            look()
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _say("ready")
    for line in _lines():
        if line == "quit":
            break
        found = digest(look())
        _say(orjson.dumps({"digest": found, "full_reads": reads.count}).decode())
    stop.set()
    watcher.join()


if __name__ == "__main__":
    if sys.argv[1] == "writer":
        writer()
    else:
        follower(*sys.argv[2:])
