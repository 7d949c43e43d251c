"""Training at scale: five years of sessions for 5,000 members.

The data: 5,000 members (tests/bench/members.py) in four branches, and for each of the last
five years a monthly session per branch whose checklist lists the whole branch (about 1,250
marks a session, 300,000 in all: present, absent, excused, some make-ups), written straight to
disk in TinyDB's layout, one record per line as the store writes it.

Figures (medians, in this process unless said):

* the behind-pace list for this year (:func:`store.training.hours.behind_pace`: the yearly
  totals from the study-hours index, store/training/index.py; a meter per member behind,
  sorted) and one member's meter (:func:`store.training.hours.meter`), each from the kept
  index and first after a save in this session (the index follows the change); target under
  50 ms each. Also the list on a version nobody has read yet (the index built afresh: a
  session opening, or another session's save until issue 23 follows it), without a target.
  Baseline: a bare loop over every attendance row of every session summing this year's hours
  per member, the floor of any one-pass method over this storage.
* the yearly hours report written as CSV (:func:`store.training.exporting.export_report`,
  whole-file write included). Baseline: ``csv.writer`` writing the same number of 7-cell
  rows to a file.
* bytes per key in the attendance checklist at 80x24 (a child process, as
  tests/bench/bench_roster.py measures the roster): ``a`` (all present), then Space, x and u
  down the list, each marking a member and moving on; mean under 1 KB. Baseline: a stock
  ``DataTable`` of the same rows, the same number of Down keys.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import random
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tests.bench.children import measure_in_child
from tests.bench.measure import CHILD_FAILED, average, compared, failed, repeated, timed
from tests.bench.meter import LANG, SIZE
from tests.bench.report import Row

YEARS = 5
TARGET_MS = 50.0
BYTES_TARGET_KB = 1.0
KEYS = 60


def make_training_db(path: Path, members: int, today: date, seed: int = 11) -> str:
    """Members plus ``YEARS`` years of monthly branch sessions; returns the busiest member."""
    from store.engine.layout import encode
    from store.engine.migrations import SCHEMA_VERSION
    from tests.bench.members import make_members

    docs = make_members(members, seed=members)
    rng = random.Random(seed)
    branches: dict[str, list[str]] = {}
    for doc in docs:
        branches.setdefault(str(doc.get("branch")), []).append(str(doc["id"]))
    sessions: dict[str, dict[str, Any]] = {}
    number = 0
    for year in range(today.year - YEARS + 1, today.year + 1):
        for month in range(1, 13):
            day = date(year, month, 10)
            if day > today:
                break
            for branch, ids in sorted(branches.items()):
                number += 1
                sessions[str(number)] = _session(rng, number, day, branch, ids, today)
    data = {
        "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "members": {str(i): doc for i, doc in enumerate(docs, start=1)},
        "trainings": sessions,
    }
    path.write_bytes(encode(data).bytes())  # one record per line, as the store writes it
    path.chmod(0o600)
    return str(docs[0]["id"])


def _session(
    rng: random.Random, number: int, day: date, branch: str, ids: list[str], today: date
) -> dict[str, Any]:
    attendance = []
    for member_id in ids:
        status = rng.choices(("present", "absent", "excused", "make_up"), (80, 8, 8, 4))[0]
        row: dict[str, Any] = {"member_id": member_id, "status": status, "hours": 0.0}
        if status == "present":
            row["hours"] = 3.0
        elif status == "make_up":
            made = date.fromordinal(day.toordinal() + rng.randint(3, 25))
            row.update(hours=3.0, date=min(made, today).isoformat())
        attendance.append(row)
    stamp = f"{day.isoformat()}T09:00:00+00:00"
    return {
        "id": f"{number:032x}",
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
        "title": f"第{number}次集中学习",
        "kind": "theory",
        "date": day.isoformat(),
        "start": "09:00",
        "rule": "given",
        "hours": 3.0,
        "service_hours": 0.0,
        "trainer": "社区党委",
        "place": "党群服务中心",
        "audience": "branch",
        "audience_value": branch,
        "audience_ids": [],
        "attendance": attendance,
        "note": "",
    }


def _bare_scan(snapshot: Any, year: int) -> dict[str, float]:
    """The baseline: every attendance row once, this year's hours summed per member."""
    totals: dict[str, float] = {}
    prefix = str(year)
    for doc in snapshot.all("trainings"):
        day = doc.get("date") or ""
        for row in doc.get("attendance") or ():
            when = row.get("date") or day
            if when.startswith(prefix) and row.get("status") in ("present", "make_up"):
                member = row["member_id"]
                totals[member] = totals.get(member, 0.0) + row.get("hours", 0.0)
    return totals


def _after_a_save(db: Any, actor: Any, call: Callable[[Any], object], repeat: int) -> list[float]:
    """``call(snapshot)`` timed right after a save in this session (one mark of the newest
    session changed back and forth; the save itself untimed): the read models follow it."""
    from store.training import ops

    newest = max(db.snapshot().all("trainings"), key=lambda doc: (doc["date"], doc["id"]))
    member = newest["attendance"][0]["member_id"]
    samples = []
    for n in range(repeat):
        version = db.snapshot().get("trainings", newest["id"])["version"]
        mark = "absent" if n % 2 == 0 else "present"
        ops.record_attendance(db, actor, newest["id"], {member: mark}, version)
        samples.append(timed(lambda: call(db.snapshot())))  # the snapshot counts: it follows
    return samples


def _built_afresh(db_path: Path, call: Callable[[Any], object], repeat: int) -> list[float]:
    """``call(snapshot)`` timed on a version nobody has read yet (a session opening, or another
    session's save until its change-log entries are followed), the members' read model
    already held (the roster and the dashboard build it first)."""
    from store.engine.database import Database
    from store.members.summary import members_of

    samples = []
    for _ in range(repeat):
        snapshot = Database(db_path).snapshot()
        members_of(snapshot)
        samples.append(timed(partial(call, snapshot)))
    return samples


def store_rows(members: int, repeat: int, db_path: Path, busiest: str, work: Path) -> list[Row]:
    """Behind-pace list, one meter and the report export, beside their baselines."""
    from store.actor import Actor, Role
    from store.engine.database import Database
    from store.training import exporting, hours

    db = Database(db_path)
    snapshot = db.snapshot()
    today, actor = db.today(), Actor("bench", Role.ADMIN)
    year = today.year
    marks = sum(len(doc.get("attendance") or ()) for doc in snapshot.all("trainings"))
    sessions = snapshot.count("trainings")
    behind = hours.behind_pace(snapshot, actor, year, today)
    scan = repeated(lambda: _bare_scan(snapshot, year), repeat)

    def listing_of(snap: Any) -> object:
        return hours.behind_pace(snap, actor, year, today)

    def meter_of(snap: Any) -> object:
        return hours.meter(snap, actor, busiest, year, today)

    listing = repeated(lambda: listing_of(snapshot), repeat)
    meter = repeated(lambda: meter_of(snapshot), repeat)
    saved_listing = _after_a_save(db, actor, listing_of, repeat)
    saved_meter = _after_a_save(db, actor, meter_of, repeat)
    fresh = _built_afresh(db_path, listing_of, repeat)
    out = work / "hours.csv"
    report = repeated(lambda: exporting.export_report(db, actor, year, out, "csv"), repeat)
    rows = [["张三", "离退休党员", "第1党支部", "32", "30", "", "2"]] * members
    plain = repeated(lambda: _plain_csv(work / "plain.csv", rows), repeat)
    data = f"{members:,} members, {sessions} sessions over {YEARS} years, {marks:,} marks"
    baseline = "bare loop over every mark"
    return [
        compared(
            f"{members:,} members, {YEARS} years: behind-pace list",
            listing,
            scan,
            baseline,
            target=TARGET_MS,
            note=f"{data}; {len(behind):,} behind pace this year; from the kept index",
        ),
        compared(
            f"{members:,} members, {YEARS} years: behind-pace list, first after a save",
            saved_listing,
            scan,
            baseline,
            target=TARGET_MS,
            note="a mark saved in this session: the index follows the change (store/training/"
            "index.py), nothing is summed again",
        ),
        compared(
            f"{members:,} members, {YEARS} years: behind-pace list, index built afresh",
            fresh,
            scan,
            baseline,
            note="a version no one has read: opening, or another session's save until its "
            "change-log entries are followed (issue 23); every mark decoded and summed once",
        ),
        compared(
            f"{members:,} members, {YEARS} years: one member's meter",
            meter,
            scan,
            baseline,
            target=TARGET_MS,
            note="the member detail's meter, from the kept index",
        ),
        compared(
            f"{members:,} members, {YEARS} years: one member's meter, first after a save",
            saved_meter,
            scan,
            baseline,
            target=TARGET_MS,
            note="a mark saved in this session: the index follows the change",
        ),
        compared(
            f"{members:,} members: yearly hours report to CSV",
            report,
            plain,
            "csv.writer, same rows",
            note="totals, a meter per member, BOM, formula-safe cells, atomic write",
        ),
    ]


def _plain_csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def measure(mode: str, db_path: Path, work: Path, keys: int) -> dict[str, Any]:
    """Run one checklist measurement in a fresh interpreter and return what it reported."""
    return measure_in_child("tests.bench.bench_training", mode, db_path, work, str(keys))


def bytes_rows(db_path: Path, work: Path, keys: int) -> list[Row]:
    """Bytes per key in the checklist, beside a stock DataTable's Down keys."""
    name = f"checklist at 80x24: bytes per key, mean over {keys + 1} keys"
    try:
        ours = measure("bytes", db_path, work, keys)
        table = measure("bytes-table", db_path, work, keys)
    except CHILD_FAILED as error:
        return [failed(name, "KB", "stock DataTable", error)]
    mine = [b / 1024 for b in ours["bytes"]]
    theirs = [b / 1024 for b in table["bytes"]]
    return [
        compared(
            name,
            mine,
            theirs,
            "stock DataTable, Down keys",
            unit="KB",
            target=BYTES_TARGET_KB,
            note=(
                f"a, then Space/x/u down {ours['rows']:,} members (each marks and moves on); "
                f"worst key {max(mine):.1f} KB; {ours['color_system']} colours, zh_CN"
            ),
            summary=average,
        )
    ]


def run(members: int, repeat: int, work: Path, *, keys: int = KEYS) -> list[Row]:
    """Every training figure at ``members`` members."""
    today = date.today()
    db_path = work / f"training-{members}.json"
    busiest = make_training_db(db_path, members, today)
    return store_rows(members, repeat, db_path, busiest, work) + bytes_rows(db_path, work, keys)


# -- the child side --------------------------------------------------------------------------


def _marking_keys(count: int) -> list[str]:
    """Mostly Space (present, already: toggles off), with an absent and an excused now and then."""
    pattern = ["space", "space", "x", "space", "u", "space", "down", "space"]
    return [pattern[i % len(pattern)] for i in range(count)]


async def bytes_ours(db_path: Path, keys: int) -> dict[str, Any]:
    from screens.training.checklist import Checklist, ChecklistScreen
    from screens.training.screen import TrainingScreen
    from tests.bench.meter import KEY_CHARACTERS, logged_in
    from tui.factory import make_app

    KEY_CHARACTERS.update({"space": " ", "x": "x", "u": "u", "a": "a", "enter": "\r"})
    app = make_app(db_path, lang=LANG)
    async with app.run_test(size=SIZE) as pilot:
        meter = await logged_in(pilot)
        meter.key("4")
        await meter.until(
            lambda: isinstance(app.screen, TrainingScreen) and app.screen.loaded, "the sessions"
        )
        await meter.quiet()
        meter.key("enter")
        await meter.until(
            lambda: isinstance(app.screen, ChecklistScreen) and app.screen.loaded, "the checklist"
        )
        await meter.quiet()
        written = [(await meter.press(key))[0] for key in ["a", *_marking_keys(keys)]]
        checklist = app.screen.query_one(Checklist)
        return {
            "bytes": written,
            "rows": len(checklist.rows),
            "color_system": app.console.color_system,
        }


async def bytes_table(db_path: Path, keys: int) -> dict[str, Any]:
    from rich.text import Text

    from store.engine.database import Database
    from tests.bench.meter import filled_table, table_app

    snapshot = Database(db_path).snapshot()
    newest = max(snapshot.all("trainings"), key=lambda d: (d["date"], d["id"]))
    names = {str(m["id"]): m for m in snapshot.all("members")}
    rows = [
        tuple(
            Text(c)
            for c in (names[r["member_id"]]["name"], r["status"], "3", "离退休党员", "第1党支部")
        )
        for r in newest["attendance"]
    ]

    app = table_app(("姓名", "出勤", "学时", "类别", "支部"), rows)
    async with app.run_test(size=SIZE) as pilot:
        _table, meter = await filled_table(pilot)
        written = [(await meter.press("down"))[0] for _ in range(keys + 1)]
        return {"bytes": written, "rows": len(rows), "color_system": app.console.color_system}


def child_main(argv: Sequence[str] | None = None) -> None:
    """``python -m tests.bench.bench_training MODE DB OUT N``: measure, write JSON to OUT."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_training")
    parser.add_argument("mode", choices=("bytes", "bytes-table"))
    parser.add_argument("db", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    args = parser.parse_args(argv)
    run_child = bytes_ours if args.mode == "bytes" else bytes_table
    result = asyncio.run(run_child(args.db, args.n))
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    child_main()
