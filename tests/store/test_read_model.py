"""The compact read model: what it holds, that it follows our own saves, and the version 2 upgrade.

docs/READ_MODEL.md says why: a session keeps one small summary per member and the contact log
folded per member, never the documents.
"""

from __future__ import annotations

import gc
import json
import shutil
import types
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.engine.storage
from screens.roster.view import RosterFilter, build_roster
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.contacts.summary import build as build_contacts
from store.contacts.summary import contacts_of
from store.engine.database import Database
from store.engine.layout import file_order, scan
from store.engine.migrations import SCHEMA_VERSION
from store.enums import MemberStatus
from store.members import ops as members
from store.members.search_keys import sort_key
from store.members.summary import build as build_members
from store.members.summary import members_of

ADMIN = Actor("admin", Role.ADMIN)
VOLUNTEER = Actor("vol", Role.VOLUNTEER)
V1_FILE = Path(__file__).parent / "data" / "v1-demo.json"  # written by shequ's main at f65dc9a


@pytest.fixture
def big_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Members and contacts count as big (read from the file, never kept parsed)."""
    monkeypatch.setattr(store.engine.storage, "SMALL", 200)


_CODE = (
    type,
    types.FunctionType,
    types.MethodType,
    types.ModuleType,
    types.BuiltinFunctionType,
    types.CodeType,
)


def _reachable(*roots: object, limit: int = 500_000) -> list[object]:
    """The data reachable from ``roots`` (the garbage collector's view of references), not
    following code: functions and classes lead to module globals, which are not held data."""
    seen: set[int] = set()
    found: list[object] = []
    todo = list(roots)
    while todo and len(found) < limit:
        item = todo.pop()
        if id(item) in seen or isinstance(item, _CODE):
            continue
        seen.add(id(item))
        found.append(item)
        todo.extend(gc.get_referents(item))
    return found


def test_the_roster_holds_no_contact_documents(tmp_path: Path, big_tables: None) -> None:
    db = Database(tmp_path / "shequ.json")
    ids = [members.add(db, ADMIN, {"name": f"成员{i}"})["id"] for i in range(20)]
    today = db.today()
    for i in range(120):
        day = (today - timedelta(days=i * 3)).isoformat()
        contacts.add_contact(db, ADMIN, ids[i % 20], {"date": day, "note": f"谈话{i}"})
    snap = Database(db.path).snapshot()  # a session that only reads
    roster = build_roster(snap, ADMIN, today)
    assert roster.rows[0].last is not None
    held = _reachable(roster, snap)
    documents = [item for item in held if isinstance(item, dict) and "member_id" in item]
    assert documents == []  # no contact log entry, whole or in part
    assert not [item for item in held if isinstance(item, dict) and "search_keys" in item]
    assert contacts_of(snap).get(ids[0]) is not None  # the folded log is there instead
    assert contacts_of(snap).get(ids[0]).count == 6  # type: ignore[union-attr]


def test_a_members_page_still_reads_their_whole_log(tmp_path: Path, big_tables: None) -> None:
    db = Database(tmp_path / "shequ.json")
    first, second = (members.add(db, ADMIN, {"name": n})["id"] for n in ("甲", "乙"))
    for i in range(6):
        contacts.add_contact(db, ADMIN, (first, second)[i % 2], {"date": f"2024-01-0{i + 1}"})
    log = contacts.for_member(db.snapshot(), first, ADMIN)
    assert [doc["date"] for doc in log] == ["2024-01-05", "2024-01-03", "2024-01-01"]
    assert db.snapshot().get("members", second)["name"] == "乙"  # type: ignore[index]


OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "archive", "delete", "contact", "uncontact"]),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_the_model_after_our_own_saves_equals_a_fresh_read(ops: list[tuple[str, int]]) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="shequ-follow-"))
    try:
        db = Database(folder / "shequ.json")
        today = db.today()
        for op, n in ops:
            snap = db.snapshot()
            members_of(snap), contacts_of(snap)  # built, so the save can carry them over
            people = list(members_of(snap))
            logged = snap.all("contacts")
            if op == "add" or not people:
                members.add(db, ADMIN, {"name": f"王{n}", "phone": f"138{n:08d}"})
            elif op == "edit":
                who = people[n % len(people)]
                members.update(db, ADMIN, who.id, {"name": f"曾{n}"}, who.version)
            elif op == "archive":
                who = people[n % len(people)]
                members.set_status(db, ADMIN, who.id, MemberStatus.ARCHIVED, who.version)
            elif op == "delete":
                who = people[n % len(people)]
                members.delete(db, ADMIN, who.id, who.version)
            elif op == "contact":
                day = (today - timedelta(days=n % 400)).isoformat()
                contacts.add_contact(db, ADMIN, people[n % len(people)].id, {"date": day})
            elif logged:
                entry = logged[n % len(logged)]
                contacts.delete_contact(db, ADMIN, entry["id"], entry["version"])
            mine = db.snapshot()
            fresh = Database(db.path).snapshot()
            assert members_of(mine).members == build_members(fresh).members  # same order too
            assert contacts_of(mine).by_member == build_contacts(fresh).by_member
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_our_own_save_is_followed_not_read_again(
    tmp_path: Path, big_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "shequ.json")
    first = members.add(db, ADMIN, {"name": "张三"})
    members.add(db, ADMIN, {"name": "李四"})
    members_of(db.snapshot())
    builds: list[str] = []
    real = store.members.summary.build

    def counting(snapshot: Any) -> Any:
        builds.append("members")
        return real(snapshot)

    monkeypatch.setattr(store.members.summary, "build", counting)
    members.update(db, ADMIN, first["id"], {"name": "张山"}, first["version"])
    assert members_of(db.snapshot()).get(first["id"]).name == "张山"  # type: ignore[union-attr]
    assert builds == []


def test_a_reader_meeting_the_model_made_whole_meanwhile_still_finds_the_member(
    tmp_path: Path,
) -> None:
    """The roster's worker reads a member while another thread's pass makes the followed model
    whole (``by_id``: its changes folded into the base) between the reader's check and read."""
    from store.members.summary import Members

    db = Database(tmp_path / "shequ.json")
    first = members.add(db, ADMIN, {"name": "张三"})
    second = members.add(db, ADMIN, {"name": "李四"})
    built = build_members(db.snapshot())
    one, two = built.get(first["id"]), built.get(second["id"])
    assert one is not None and two is not None
    model = Members(None, {one.id: one}, {})

    class Interleaved(dict[str, Any]):
        """The changes, made whole by "another thread" right after a reader's check."""

        def __contains__(self, key: object) -> bool:
            found = super().__contains__(key)
            if not made_whole:
                made_whole.append(True)
                model.by_id  # noqa: B018 -- the other thread's pass, between check and read
            return found

    made_whole: list[bool] = []
    model._changes = Interleaved({two.id: two})
    assert model.get(two.id) is two
    assert made_whole and not model._changes  # the interleaving did happen
    assert model.get(one.id) is one and model.get(two.id) is two


def test_a_search_finds_the_same_members_in_the_roster_and_the_command(tmp_path: Path) -> None:
    db = Database(tmp_path / "shequ.json")
    for i, name in enumerate(["张三", "曾小明", "单田芳", "李四", "Zhang Wei"]):
        members.add(
            db, ADMIN, {"name": name, "phone": f"1380013{i:04d}", "address": f"幸福里{i}栋"}
        )
    snap = db.snapshot()
    for actor in (ADMIN, VOLUNTEER):
        roster = build_roster(snap, actor, db.today())
        for query in ("zs", "zeng", "ceng", "shan", "dan", "0013", "1380001", "幸福里", "zhang"):
            shown = {row.id for row in roster.select(query, RosterFilter(), "name")}
            listed = {doc["id"] for doc in members.search(snap, query, actor=actor)}
            assert shown == listed, (actor.role, query)


# -- the version 2 upgrade, on a file written by version 1 ---------------------------------------


def test_a_version_1_file_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "shequ.json"
    shutil.copyfile(V1_FILE, path)
    original = path.read_bytes()
    old = json.loads(original)
    assert old["_meta"]["1"]["schema_version"] == 1 and b"\n" not in original.strip()

    db = Database(path)
    reader = db.snapshot()  # read as it is, before any save
    names = [m.name for m in sorted(members_of(reader), key=lambda m: m.sort_key)]
    # Version 1 stored no sort keys (it sorted 曾 by its first reading, ceng): a member without
    # them has them computed when read (store/members/search_keys.py name_keys), so even
    # before the upgrade's save 曾 is read as Zeng, after W.
    assert names.index("曾小明") > names.index("王娟小")

    with db.transaction(ADMIN):
        pass  # any save (a login) upgrades the file first

    backups = sorted(db.backup_dir.iterdir())
    assert [b.name.endswith("-migration.json") for b in backups] == [True]
    assert backups[0].read_bytes() == original
    new = json.loads(path.read_bytes())
    assert new["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3
    with open(path, "rb") as handle:
        # the same tables, the small ones read at start first (store/engine/layout.HEAD)
        assert [r.name for r in scan(handle.fileno(), len(path.read_bytes()))] == file_order(old)
    for table in old:
        if table not in ("members", "_meta"):  # teams, zones, sessions: keys added (named.py)
            derived = {"search_keys": [], "sort_key": ""}  # teams and zones: their order too
            assert {i: {**d, **derived} for i, d in new[table].items()} == {
                i: {**d, **derived} for i, d in old[table].items()
            }
    for doc_id, member in old["members"].items():
        upgraded = new["members"][doc_id]
        derived = ("sort_key", "search_keys")
        assert {k: v for k, v in upgraded.items() if k not in derived} == {
            k: v for k, v in member.items() if k not in derived
        }
        assert upgraded["sort_key"] == sort_key(member["name"])
        # Only the readings in common use are kept (issue 17): 王 is no longer yu.
        assert set(upgraded["search_keys"]) <= set(member["search_keys"])
        assert upgraded["search_keys"][:2] == [member["name"], sort_key_spelling(member)]
    after = [m.name for m in sorted(members_of(db.snapshot()), key=lambda m: m.sort_key)]
    assert after.index("曾小明") > after.index("王娟小")  # Zeng, after W
    assert after.index("单田芳") > after.index("欧阳娜娜")  # Shan, after O


def sort_key_spelling(member: dict[str, Any]) -> str:
    """The member's first full spelling: the surname's reading, then each first reading."""
    from store.members.search_keys import primary_keys

    return primary_keys(sort_key(member["name"]))[0]


def test_the_upgraded_file_reads_and_logs_in_as_before(tmp_path: Path) -> None:
    from store.users import ops as users

    path = tmp_path / "shequ.json"
    shutil.copyfile(V1_FILE, path)
    db = Database(path)
    actor = users.authenticate(db, "coordinator", "2345")  # the login saves: the upgrade runs
    assert actor.role is Role.COORDINATOR
    snap = db.snapshot()
    assert snap.meta["schema_version"] == SCHEMA_VERSION
    assert len(members_of(snap)) == 12
    assert sum(found.count for found in contacts_of(snap).by_member.values()) == snap.count(
        "contacts"
    )
    roster = build_roster(snap, actor, date(2026, 12, 6))
    assert len(roster.rows) == 12


def test_screens_reading_at_once_share_one_model(tmp_path: Path, big_tables: None) -> None:
    """The dashboard's and the roster's workers ask together after a login: one version, one
    model (two would hold the roster twice, 10 MiB at 20,000 members)."""
    import threading

    path = tmp_path / "shequ.json"
    writer = Database(path)
    for i in range(30):
        members.add(writer, ADMIN, {"name": f"成员{i}"})
    for _ in range(20):
        db = Database(path)  # a session that has read nothing yet
        barrier = threading.Barrier(4)
        found: list[object] = []

        def read(
            db: Database = db, barrier: threading.Barrier = barrier, found: list[object] = found
        ) -> None:
            barrier.wait()
            found.append(members_of(db.snapshot()))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(model) for model in found}) == 1
