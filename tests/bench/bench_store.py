"""The store against stock TinyDB, on the same members, in the same run.

Each size gets one seeded file and a byte-identical copy. Our side goes through the public API
(``Database.transaction``/``snapshot``); the baseline is ``TinyDB(path)`` with its default
JSONStorage, which is what a plain TinyDB app would do: re-read the whole file for every query,
rewrite it in place for every change. Operations alternate ours/stock so drift on the machine
(another job, the page cache) falls on both.

Reading is what the screens do: the compact read model (``members_of``: one summary per member,
store/members/summary.py), and a search over it (the roster's substring test on each member's
name and pinyin keys); the baseline reads and searches whole documents, as TinyDB does.

Two situations matter for a shared data file and are measured apart:

* nothing changed since we last read: our model is reused (one ``stat``);
* another session saved meanwhile: we must read the file again. That is simulated by bumping
  the file's mtime between repetitions, which changes its stat key exactly as a foreign
  ``os.replace`` does, without the cost of writing being timed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tests.bench.measure import CHILD_FAILED, compared, failed, ms_since, timed
from tests.bench.members import NAME_QUERIES, PINYIN_QUERIES, make_member, make_members
from tests.bench.members import write_database as seed_file
from tests.bench.report import Row

ROOT = Path(__file__).resolve().parents[2]
# DESIGN.md, Budgets: one committed edit, search keystroke, peak memory (of the whole app).
EDIT_TARGET_MS = {5_000: 20.0, 20_000: 60.0}
SEARCH_TARGET_MS = {20_000: 25.0}
MEMORY_TARGET_MIB = {20_000: 60.0}
STOCK = "stock TinyDB"
# Fields the store adds itself on insert.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})


def _touch(path: Path) -> None:
    """Change the file's stat key as another session's save would (new mtime)."""
    stamp = time.time_ns()
    os.utime(path, ns=(stamp, stamp))


def _any_key_has(query: str) -> Callable[[Any], bool]:
    """For stock TinyDB's ``where("search_keys").test``: the query inside one of the keys."""

    def test(keys: Any) -> bool:
        return any(query in key for key in keys)

    return test


class _Pair:
    """Our database and a stock TinyDB over byte-identical copies of one seeded file."""

    def __init__(self, work: Path, count: int) -> None:
        from tinydb import TinyDB

        from store.actor import Actor, Role
        from store.engine.database import Database

        self.count = count
        self.ours_path = work / f"ours-{count}.json"
        self.stock_path = work / f"stock-{count}.json"
        members = make_members(count, seed=count)
        seed_file(self.ours_path, members)
        shutil.copyfile(self.ours_path, self.stock_path)
        # Versions and doc_ids we know, so updates need no extra read on either side.
        self.versions = {doc["id"]: 1 for doc in members}
        self.doc_ids = {doc["id"]: doc_id for doc_id, doc in enumerate(members, start=1)}
        self.rng = random.Random(count)
        self.db = Database(self.ours_path)
        self.actor = Actor("bench", Role.ADMIN)
        # encoding pinned so a LANG=C shell still reads the UTF-8 file; otherwise stock.
        self.stock = TinyDB(self.stock_path, encoding="utf-8")
        self.table = self.stock.table("members")

    def close(self) -> None:
        self.stock.close()

    def ours_update(self) -> float:
        record_id = self.rng.choice(list(self.versions))
        version = self.versions[record_id]
        phone = f"139{self.rng.randint(0, 99_999_999):08d}"
        start = time.perf_counter()
        with self.db.transaction(self.actor) as tx:
            tx.update("members", record_id, {"phone": phone}, expected_version=version)
        elapsed = ms_since(start)
        self.versions[record_id] = version + 1
        return elapsed

    def stock_update(self) -> float:
        record_id = self.rng.choice(list(self.doc_ids))
        phone = f"139{self.rng.randint(0, 99_999_999):08d}"
        doc_id = self.doc_ids[record_id]
        return timed(lambda: self.table.update({"phone": phone}, doc_ids=[doc_id]))

    def new_member(self) -> dict[str, Any]:
        """One more member, inserted on both sides so their searches keep agreeing."""
        return make_member(self.rng)

    def ours_insert(self, doc: dict[str, Any]) -> float:
        fields = {k: v for k, v in doc.items() if k not in BOOKKEEPING}
        start = time.perf_counter()
        with self.db.transaction(self.actor) as tx:
            record = tx.insert("members", fields)
        elapsed = ms_since(start)
        self.versions[record["id"]] = 1
        return elapsed

    def stock_insert(self, doc: dict[str, Any]) -> float:
        return timed(lambda: self.table.insert(doc))

    def ours_read(self) -> float:
        from store.members.summary import members_of

        return timed(lambda: members_of(self.db.snapshot()))

    def stock_read(self) -> float:
        return timed(self.table.all)

    def ours_search(self, query: str, keys: bool) -> tuple[float, int]:
        """The roster's search: one substring test per summary (name, or name and pinyin)."""
        from store.members.summary import members_of

        start = time.perf_counter()
        model = members_of(self.db.snapshot())
        if keys:
            hits = [m for m in model if query in m.name_blob]
        else:
            hits = [m for m in model if query in m.name]
        return ms_since(start), len(hits)

    def stock_search(self, query: Any) -> tuple[float, int]:
        start = time.perf_counter()
        hits = self.table.search(query)
        return ms_since(start), len(hits)


def _row(
    name: str,
    ours: list[float],
    stock: list[float],
    target: float | None = None,
    note: str = "",
) -> Row:
    """A figure beside stock TinyDB's."""
    return compared(name, ours, stock, STOCK, target=target, note=note)


def bench_size(count: int, repeat: int, work: Path) -> list[Row]:
    """Every store figure at one roster size."""
    from tinydb import where

    pair = _Pair(work, count)
    prefix = f"{count:,} members: "
    try:
        # The first transaction of the day also copies the file into backups/: timed apart,
        # kept out of the medians. Stock TinyDB's first call is its first read.
        first_edit = pair.ours_update()
        pair.stock_update()

        edits: tuple[list[float], list[float]] = ([], [])
        cold_edits: list[float] = []
        inserts: tuple[list[float], list[float]] = ([], [])
        reads: tuple[list[float], list[float]] = ([], [])
        cold_reads: list[float] = []
        for _ in range(repeat):
            edits[0].append(pair.ours_update())
            edits[1].append(pair.stock_update())
            _touch(pair.ours_path)
            cold_edits.append(pair.ours_update())
            doc = pair.new_member()
            inserts[0].append(pair.ours_insert(doc))
            inserts[1].append(pair.stock_insert(doc))
            pair.ours_read()  # after our own saves the model may need reading once
            reads[0].append(pair.ours_read())
            reads[1].append(pair.stock_read())
            _touch(pair.ours_path)
            cold_reads.append(pair.ours_read())

        # Each repetition types a different query: TinyDB caches a repeated one in memory,
        # which a volunteer typing a name never benefits from.
        searches: dict[str, tuple[list[float], list[float]]] = {"name": ([], []), "keys": ([], [])}
        for rep in range(repeat):
            query = NAME_QUERIES[rep % len(NAME_QUERIES)]
            ours_ms, ours_hits = pair.ours_search(query, keys=False)
            stock_ms, stock_hits = pair.stock_search(where("name").search(re.escape(query)))
            _same_hits("name", query, ours_hits, stock_hits)
            searches["name"][0].append(ours_ms)
            searches["name"][1].append(stock_ms)

            query = PINYIN_QUERIES[rep % len(PINYIN_QUERIES)]
            ours_ms, ours_hits = pair.ours_search(query, keys=True)
            stock_ms, stock_hits = pair.stock_search(
                where("name").search(re.escape(query))
                | where("search_keys").test(_any_key_has(query))
            )
            _same_hits("keys", query, ours_hits, stock_hits)
            searches["keys"][0].append(ours_ms)
            searches["keys"][1].append(stock_ms)
    finally:
        pair.close()

    edit_target = EDIT_TARGET_MS.get(count)
    search_target = SEARCH_TARGET_MS.get(count)
    rows = [
        _row(
            prefix + "one committed edit",
            *edits,
            edit_target,
            note=f"first edit of the day, which also takes the daily backup: {first_edit:.1f} ms",
        ),
        _row(
            prefix + "one committed edit, after another session saved",
            cold_edits,
            edits[1],
            edit_target,
            note=(
                "finds the tables again (a byte scan, no parse); baseline: the same stock "
                "edit samples"
            ),
        ),
        _row(prefix + "one insert", *inserts),
        _row(
            prefix + "read all (the read model), nothing changed",
            *reads,
            note="ours: members_of(snapshot); stock: table.all()",
        ),
        _row(
            prefix + "read all (the read model), after another session saved",
            cold_reads,
            reads[1],
            note="reads the file again; baseline: the same stock table.all() samples",
        ),
        _row(prefix + "search name (substring)", *searches["name"], search_target),
        _row(prefix + "search name or pinyin keys", *searches["keys"], search_target),
    ]
    rows.append(_memory_row(prefix, count, work, min(repeat, 3)))
    return rows


def _same_hits(kind: str, query: str, ours: int, stock: int) -> None:
    """Both sides hold the same members, so a different hit count means a broken benchmark."""
    if ours != stock:
        raise AssertionError(f"search {kind} {query!r}: {ours} hits here, {stock} in stock TinyDB")


# Child processes for peak memory: a fresh interpreter that opens the file, reads every member
# (ours: the compact read model the screens use), saves one edit and searches once, then reports
# its own high-water mark (VmHWM).
_VMHWM = """
def vmhwm_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
"""
_OURS_CHILD = (
    _VMHWM
    + """
import sys
from store.actor import Actor, Role
from store.engine.database import Database
from store.members.summary import members_of
db = Database(sys.argv[1])
members = list(members_of(db.snapshot()))
target = members[len(members) // 2]
with db.transaction(Actor("bench", Role.ADMIN)) as tx:
    tx.update("members", target.id, {"phone": "13800000000"}, expected_version=target.version)
hits = [m for m in members_of(db.snapshot()) if "伟" in m.name]
print(vmhwm_mib())
"""
)
_STOCK_CHILD = (
    _VMHWM
    + """
import sys
from tinydb import Query, TinyDB
table = TinyDB(sys.argv[1], encoding="utf-8").table("members")
members = table.all()
target = members[len(members) // 2]
table.update({"phone": "13800000000"}, doc_ids=[target.doc_id])
hits = table.search(Query().name.search("伟"))
print(vmhwm_mib())
"""
)


def _child_peak_mib(code: str, path: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return float(done.stdout.strip().splitlines()[-1])


def _memory_row(prefix: str, count: int, work: Path, repeat: int) -> Row:
    name = prefix + "peak RSS: open, read all, one edit, one search"
    ours_path, stock_path = work / f"ours-{count}.json", work / f"stock-{count}.json"
    ours: list[float] = []
    stock: list[float] = []
    try:
        for _ in range(repeat):
            ours.append(_child_peak_mib(_OURS_CHILD, ours_path))
            stock.append(_child_peak_mib(_STOCK_CHILD, stock_path))
    except CHILD_FAILED as error:
        return failed(name, "MiB", STOCK, error)
    target = MEMORY_TARGET_MIB.get(count)
    return compared(
        name,
        ours,
        stock,
        STOCK,
        unit="MiB",
        target=target,
        note="fresh interpreter each; the target is the whole app's budget" if target else "",
    )


def run(sizes: Iterable[int], repeat: int, work: Path) -> list[Row]:
    """All store rows for each size, smallest first."""
    rows: list[Row] = []
    for count in sorted(sizes):
        rows += bench_size(count, repeat, work)
    return rows
