"""Two sessions and the command line on one file, interleaved at random against a model.

Hypothesis drives edits (a form opened, then saved later), archives, deletions (with a contact
log to take along), imports (planned, then applied after other steps), backups and restores,
each through the store functions the screens and the CLI call, on real files. After every step:
the file holds exactly what the model says, ``shequ check`` finds nothing, no transaction is
left open in the change log, and replaying the committed log (a restore: the backup it names)
gives exactly the data in the file.

The model predicts every outcome, including the ones issue 22 was about: a form begun before a
restore meets a conflict, an import leaves members changed since its preview alone, a deletion
takes its contacts along, a restore never prunes the backup it restores.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    precondition,
    rule,
)

from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine import audit
from store.engine.check import check
from store.engine.database import Database
from store.enums import MemberStatus
from store.errors import Conflict, NotFound
from store.members import ops as members
from store.members.importing import ImportPlan, apply_import, plan_import

NOISE = {"version", "updated_at", "updated_by"}  # what changes on every save and the log leaves out
GRIDS = ("一网格", "二网格", "三网格")
NAMES = ("张三", "李四", "王芳", "赵六", "钱七")


@dataclass(frozen=True)
class Person:
    """The model of one member: what the test checks, and a token that changes on every save."""

    name: str
    phone: str
    grid: str
    status: str
    token: int


@dataclass(frozen=True)
class Form:
    """A member form open in one session: who, at which version, and the token it saw."""

    session: int
    member_id: str
    version: int
    token: int


@dataclass(frozen=True)
class Planned:
    """An import read (previewed) but not yet applied, and what the model expects of it."""

    plan: ImportPlan
    updates: dict[str, tuple[int, str]]  # member id -> (token at the preview, new grid)
    adds: dict[str, tuple[str, str]]  # phone -> (name, grid)


class Sessions(RuleBasedStateMachine):
    people = Bundle("people")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="shequ-model-"))
        path = self.folder / "shequ.json"
        self.actors = [
            Actor("会话甲", Role.COORDINATOR, user_id="u1"),
            Actor("会话乙", Role.ADMIN, user_id="u2"),
        ]
        self.cli_actor = Actor.os_user()
        self.sessions = [Database(path), Database(path)]
        self.cli = Database(path)
        self.model: dict[str, Person] = {}
        self.contact_of: dict[str, str] = {}  # contact id -> member id
        self.backups: list[tuple[Path, dict[str, Person], dict[str, str]]] = []
        self.forms: list[Form] = []
        self.planned: Planned | None = None
        self.tokens = itertools.count(1)
        self.phones = itertools.count(1)
        self.replayed: dict[str, dict[str, dict[str, Any]]] = {}
        self.seen = 0  # committed log entries replayed so far

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    def _token(self) -> int:
        return next(self.tokens)

    def _version(self, db: Database, member_id: str) -> int:
        doc = db.snapshot().get(members.TABLE, member_id)
        assert doc is not None
        return int(doc["version"])

    # -- rules -----------------------------------------------------------------------------------

    @initialize(target=people)
    def two_members(self) -> Any:
        from hypothesis.stateful import multiple

        return multiple(self.add_member(0, "张三"), self.add_member(1, "李四"))

    @rule(target=people, session=st.integers(0, 1), name=st.sampled_from(NAMES))
    def add_member(self, session: int, name: str) -> str:
        phone = f"1380000{next(self.phones):04d}"
        doc = members.add(
            self.sessions[session], self.actors[session], {"name": name, "phone": phone}
        )
        self.model[doc["id"]] = Person(name, phone, "", "active", self._token())
        return str(doc["id"])

    @rule(session=st.integers(0, 1), member_id=people)
    def open_form(self, session: int, member_id: str) -> None:
        if member_id in self.model:
            version = self._version(self.sessions[session], member_id)
            self.forms.append(Form(session, member_id, version, self.model[member_id].token))

    @precondition(lambda self: bool(self.forms))
    @rule(which=st.integers(0, 100), grid=st.sampled_from(GRIDS))
    def save_form(self, which: int, grid: str) -> None:
        """Ctrl+S on a form opened earlier: only the grid was changed in it."""
        form = self.forms.pop(which % len(self.forms))
        db, actor = self.sessions[form.session], self.actors[form.session]
        person = self.model.get(form.member_id)
        try:
            members.update(db, actor, form.member_id, {"grid": grid}, form.version)
        except Conflict:
            assert person is not None and person.token != form.token, "a conflict from nothing"
            event("a form met a conflict")
            return
        except NotFound:
            assert person is None, "a member in the model was not found"
            event("a form's member was gone")
            return
        assert person is not None and person.token == form.token, "saved over a newer version"
        self.model[form.member_id] = replace(person, grid=grid, token=self._token())

    @rule(session=st.integers(0, 1), member_id=people)
    def archive_or_bring_back(self, session: int, member_id: str) -> None:
        person = self.model.get(member_id)
        if person is None:
            return
        status = "active" if person.status == "archived" else "archived"
        db = self.sessions[session]
        members.set_status(
            db, self.actors[session], member_id, MemberStatus(status), self._version(db, member_id)
        )
        self.model[member_id] = replace(person, status=status, token=self._token())

    @rule(session=st.integers(0, 1), member_id=people)
    def log_a_contact(self, session: int, member_id: str) -> None:
        if member_id not in self.model:
            return
        raw = {"date": "2024-01-02", "method": "phone", "note": "电话联系"}
        doc = contacts.add_contact(self.sessions[session], self.actors[session], member_id, raw)
        self.contact_of[str(doc["id"])] = member_id

    @rule(member_id=consumes(people))
    def delete_for_good(self, member_id: str) -> None:
        if member_id not in self.model:
            return
        db = self.sessions[1]  # the admin's session
        members.delete(db, self.actors[1], member_id, self._version(db, member_id))
        del self.model[member_id]
        self.contact_of = {c: m for c, m in self.contact_of.items() if m != member_id}

    @precondition(lambda self: self.planned is None)
    @rule(
        data=st.data(),
        new=st.lists(st.sampled_from(NAMES), max_size=2),
        grid=st.sampled_from(GRIDS),
    )
    def read_a_spreadsheet(self, data: st.DataObject, new: list[str], grid: str) -> None:
        """The CLI or the import screen reads a file: the preview, nothing written yet."""
        known = sorted(self.model)
        chosen = (
            data.draw(st.lists(st.sampled_from(known), unique=True, max_size=3)) if known else []
        )
        added = [(name, f"1390000{next(self.phones):04d}", grid) for name in new]
        rows = [(self.model[m].name, self.model[m].phone, grid) for m in chosen] + added
        if not rows:
            return
        sheet = self.folder / "花名册.csv"
        lines = ["姓名,联系电话,网格", *(",".join(row) for row in rows)]
        sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
        plan = plan_import(self.cli, sheet)
        updates = {m: (self.model[m].token, grid) for m in chosen if self.model[m].grid != grid}
        adds = {phone: (name, g) for name, phone, g in added}
        assert {row.member_id for row in plan.updated} == set(updates)
        assert {row.doc["phone"] for row in plan.added} == set(adds)
        self.planned = Planned(plan, updates, adds)

    @precondition(lambda self: self.planned is not None)
    @rule()
    def import_it(self) -> None:
        """Ctrl+S (or the CLI's write) after whatever happened since the preview."""
        assert self.planned is not None
        planned, self.planned = self.planned, None
        result = apply_import(self.cli, self.cli_actor, planned.plan)
        expect_updated = {
            m
            for m, (token, _grid) in planned.updates.items()
            if m in self.model and self.model[m].token == token
        }
        taken = {p.phone for p in self.model.values()}
        expect_added = {phone for phone in planned.adds if phone not in taken}
        stale = {row.member_id or row.doc["phone"] for row in result.stale}
        assert stale == (set(planned.updates) - expect_updated) | (set(planned.adds) - expect_added)
        assert (result.updated, result.added) == (len(expect_updated), len(expect_added))
        if result.stale:
            event("an import left members changed meanwhile alone")
        for member_id in expect_updated:
            grid = planned.updates[member_id][1]
            self.model[member_id] = replace(self.model[member_id], grid=grid, token=self._token())
        by_phone = {str(d["phone"]): str(d["id"]) for d in self.cli.snapshot().all(members.TABLE)}
        for phone in expect_added:
            name, grid = planned.adds[phone]
            self.model[by_phone[phone]] = Person(name, phone, grid, "active", self._token())

    @precondition(lambda self: self.cli.exists())  # `shequ backup` refuses a missing file
    @rule()
    def backup(self) -> None:
        path = self.cli.backup()
        self.backups.append((path, dict(self.model), dict(self.contact_of)))

    @precondition(lambda self: bool(self.backups))
    @rule(which=st.integers(0, 100))
    def restore(self, which: int) -> None:
        kept = [b for b in self.backups if b[0].exists()]
        self.backups = kept
        if not kept:
            return
        path, people, contact_of = kept[which % len(kept)]
        self.cli.restore(path, self.cli_actor)
        assert path.exists(), "the restore pruned the backup it restored"
        event("a restore")
        # Every version is new: no form or preview opened before may write over it.
        self.model = {m: replace(p, token=self._token()) for m, p in people.items()}
        self.contact_of = dict(contact_of)

    # -- after every step ------------------------------------------------------------------------

    @invariant()
    def the_file_is_what_the_model_says(self) -> None:
        snap = Database(self.cli.path).snapshot()
        stored = {
            str(d["id"]): (d["name"], d["phone"], d["grid"], d["status"])
            for d in snap.all(members.TABLE)
        }
        assert stored == {m: (p.name, p.phone, p.grid, p.status) for m, p in self.model.items()}
        assert {str(c["id"]): c["member_id"] for c in snap.all("contacts")} == self.contact_of

    @invariant()
    def check_finds_nothing_and_the_log_is_settled(self) -> None:
        if self.cli.exists():
            assert check(self.cli) == []
            assert audit.unsettled(self.cli.audit_path) == []

    @invariant()
    def the_committed_log_replays_to_the_file(self) -> None:
        if not self.cli.exists():
            return
        snap = Database(self.cli.path).snapshot()
        entries = list(audit.read(self.cli.audit_path, last_tx=snap.meta.get("last_tx")))
        for entry in entries[self.seen :]:
            _replay(self.replayed, entry)
        self.seen = len(entries)
        data = orjson.loads(self.cli.path.read_bytes())
        assert _tables(self.replayed) == _tables(data)


def _replay(state: dict[str, dict[str, dict[str, Any]]], entry: dict[str, Any]) -> None:
    op, table, record_id = entry["op"], entry.get("table"), entry.get("id")
    if op == "restore":  # the whole file became the backup it names, which must still exist
        source = orjson.loads(Path(entry["after"]["from"]).read_bytes())
        state.clear()
        for name, docs in source.items():
            if name != "_meta":
                state[name] = {str(doc["id"]): dict(doc) for doc in docs.values()}
    elif op == "insert":
        state.setdefault(str(table), {})[str(record_id)] = dict(entry["after"])
    elif op == "update":
        state[str(table)][str(record_id)].update(entry["after"])
    elif op == "delete":
        del state[str(table)][str(record_id)]
    elif op == "import" and table == "_meta":
        pass  # the import's summary line (file, counts): its records have their own lines
    else:
        raise AssertionError(f"an unexpected change in the log: {entry}")


def _tables(data: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every table but _meta, by record id, without what changes on every save."""
    return {
        name: {
            str(doc["id"]): {k: v for k, v in doc.items() if k not in NOISE}
            for doc in docs.values()
        }
        for name, docs in data.items()
        if name != "_meta" and docs
    }


TestSessions = Sessions.TestCase
TestSessions.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
