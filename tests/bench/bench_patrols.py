"""The patrol schedule: a year of shifts for 200 volunteers in a community of N members.

Figures, each beside a baseline measured in the same run:

* the assign list for one shift (:class:`~store.patrols.assign.CandidateIndex`: fairness of
  every member from a year of shifts, the rules for each, fairest first); baseline: the
  roster's own search index over the same snapshot (``MemberIndex`` built and listed whole).
  Target: under 50 ms.
* generating a year of shifts from a weekly template (``templates.generate``: the template's
  dates, validation, one transaction); baseline: inserting the same number of ready-made
  records in one transaction (``insert_many``).
* exporting a year of shifts as .ics (icalendar, with the time zone); baseline: the same
  shifts as CSV.
* the week grid in a headless 80x24 app (a child process, as bench_roster): from pressing 3
  to the grid painted, then per arrow key the time to its last frame and the bytes written.
  Baseline for all three: a stock ``DataTable`` with a cell cursor between a stock Header and
  Footer, given the same week ready-made (the grid's slot labels and cell texts as ``Text``),
  timed from ``add_rows`` to the first frame showing a row, then the same arrow keys from the
  same first day. Target: a mean under 1 KB per key.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from tests.bench.children import measure_in_child
from tests.bench.measure import CHILD_FAILED, average, compared, failed, repeated, timed
from tests.bench.members import make_members
from tests.bench.meter import KEY_CHARACTERS, LANG, SIZE, Meter, rows_shown_ms, table_app
from tests.bench.report import Row

VOLUNTEERS = 200
CANDIDATE_TARGET_MS = 50.0
BYTES_TARGET_KB = 1.0
ARROWS = ("right", "right", "down", "left", "up", "right", "down", "left")
STAMP = "2026-01-01T00:00:00+00:00"


def _record(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        **fields,
        "id": uuid.uuid4().hex,
        "version": 1,
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def write_patrol_database(
    path: Path, members: int, today: dt.date, seed: int = 7
) -> dict[str, str]:
    """A database of ``members`` members and a year of shifts (two a day) ending in a month.

    Returns ids the measurements use: a shift this week, and an unused template.
    """
    from store.engine.migrations import SCHEMA_VERSION

    rng = random.Random(seed)
    docs = [_record(doc) for doc in make_members(members)]
    volunteers = [doc["id"] for doc in docs[:VOLUNTEERS]]
    zones = [_record({"name": name}) for name in ("东区", "西区")]
    teams = [
        _record({"name": "巡逻一队", "member_ids": volunteers[:100]}),
        _record({"name": "巡逻二队", "member_ids": volunteers[100:]}),
    ]
    template = _record(
        {
            "name": "晚间巡逻",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "start": "19:00",
            "end": "21:00",
            "zone_id": zones[0]["id"],
            "team_id": teams[0]["id"],
            "min_people": 2,
            "max_people": 4,
            "active_from": None,
            "active_to": None,
            "skip_dates": [],
        }
    )
    shifts = []
    first = today - dt.timedelta(days=335)
    for offset in range(365):
        day = first + dt.timedelta(days=offset)
        for (start, end), zone, team in zip(
            (("07:00", "09:00"), ("19:00", "21:00")), zones, teams, strict=True
        ):
            people = rng.sample(team["member_ids"], rng.randint(1, 4))
            shifts.append(
                _record(
                    {
                        "date": day.isoformat(),
                        "start": start,
                        "end": end,
                        "zone_id": zone["id"],
                        "team_id": team["id"],
                        "min_people": 2,
                        "max_people": 4,
                        "assignments": [
                            {"member_id": p, "status": "present" if day < today else "scheduled"}
                            for p in people
                        ],
                    }
                )
            )
    data: dict[str, Any] = {
        "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "members": {str(i): doc for i, doc in enumerate(docs, start=1)},
        "zones": {str(i): doc for i, doc in enumerate(zones, start=1)},
        "teams": {str(i): doc for i, doc in enumerate(teams, start=1)},
        "shift_templates": {"1": template},
        "shifts": {str(i): doc for i, doc in enumerate(shifts, start=1)},
    }
    path.write_bytes(orjson.dumps(data))
    path.chmod(0o600)
    this_week = next(s["id"] for s in shifts if s["date"] == today.isoformat())
    return {"shift": this_week, "template": template["id"]}


def store_rows(members: int, repeat: int, work: Path) -> list[Row]:
    """The assign list, a year generated, a year of .ics: each beside its baseline."""
    from store.actor import Actor, Role
    from store.engine.database import Database
    from store.members.ops import MemberIndex
    from store.patrols import exporting, templates
    from store.patrols.assign import CandidateIndex

    today = dt.date.today()
    path = work / f"patrols-{members}.json"
    ids = write_patrol_database(path, members, today)
    actor = Actor("bench", Role.COORDINATOR)
    db = Database(path)
    snapshot = db.snapshot()
    shifts = snapshot.count("shifts")
    ours = repeated(lambda: CandidateIndex(snapshot, actor, ids["shift"]).search(""), repeat)
    base = repeated(lambda: MemberIndex(snapshot, actor).search(""), repeat)
    prefix = f"{members:,} members, {shifts:,} shifts"
    rows = [
        compared(
            f"{prefix}: assign list with fairness hints, one shift",
            ours,
            base,
            "MemberIndex build + list all",
            target=CANDIDATE_TARGET_MS,
            note="fairness from every shift of the year, the rules per candidate, fairest first",
        )
    ]
    gen_ours, gen_base = [], []
    year_end = today + dt.timedelta(days=364)
    for n in range(repeat):
        copy = work / f"gen-{members}-{n}.json"
        shutil.copy(path, copy)
        gen_db = Database(copy)
        gen_db.snapshot()
        gen_ours.append(
            timed(
                lambda db=gen_db: templates.generate(  # type: ignore[misc]
                    db, actor, ids["template"], year_end, confirmed=True
                )
            )
        )
        made = [s for s in gen_db.snapshot().all("shifts") if s.get("template_id")]
        rows_plain = [{k: v for k, v in s.items() if k not in ("id", "version")} for s in made]
        copy2 = work / f"ins-{members}-{n}.json"
        shutil.copy(path, copy2)
        ins_db = Database(copy2)
        ins_db.snapshot()

        def insert(db: Database = ins_db, rows: list[dict[str, Any]] = rows_plain) -> None:
            with db.transaction(actor) as tx:
                tx.insert_many("shifts", rows, audit_each=False)

        gen_base.append(timed(insert))
    rows.append(
        compared(
            f"{prefix}: generate a year from a weekly template",
            gen_ours,
            gen_base,
            "insert_many of the same records",
            note="365 shifts: dates, validation, idempotence check, one transaction",
        )
    )
    everything = exporting.Selection()
    ics = repeated(lambda: exporting.render(snapshot, everything, "ics", today), repeat)
    csv = repeated(lambda: exporting.render(snapshot, everything, "csv", today), repeat)
    rows.append(
        compared(
            f"{prefix}: export a year as .ics",
            ics,
            csv,
            "the same shifts as CSV",
            note="icalendar, one VEVENT per shift, VTIMEZONE Asia/Shanghai",
        )
    )
    return rows


def _child(mode: str, path: Path, work: Path, keys: int) -> dict[str, Any]:
    """Run ``python -m tests.bench.bench_patrols MODE ...`` and return what it measured."""
    return measure_in_child("tests.bench.bench_patrols", mode, path, work, str(keys))


def grid_rows(members: int, keys: int, work: Path) -> list[Row]:
    """The week grid in a headless app: opening it, and per arrow key, beside a DataTable of
    the same week."""
    path = work / f"grid-{members}.json"
    write_patrol_database(path, members, dt.date.today())
    prefix = f"week grid ({members:,} members, a year of shifts, 80x24)"
    baseline_name = "stock DataTable, same week"
    try:
        ours = _child("grid", path, work, keys)
        table = _child("grid-table", path, work, keys)
    except CHILD_FAILED as error:
        return [failed(prefix, "ms", baseline_name, error)]
    ours_ms, table_ms = [k["ms"] for k in ours["keys"]], [k["ms"] for k in table["keys"]]
    table_bytes = [k["bytes"] / 1024 for k in table["keys"]]
    ours_bytes = [k["bytes"] / 1024 for k in ours["keys"]]
    return [
        compared(
            f"{prefix}: open (3 to the grid painted)",
            [ours["open_ms"]],
            [table["open_ms"]],
            baseline_name + ", add_rows to painted",
            note="ours reads the file and builds the week; the DataTable gets its cells ready-made",
        ),
        compared(
            f"{prefix}: time per arrow key (to its last frame)",
            ours_ms,
            table_ms,
            baseline_name + ", cell cursor",
            note=f"{len(ours_ms)} keys: {' '.join(ARROWS)}...",
        ),
        compared(
            f"{prefix}: bytes per arrow key, mean",
            ours_bytes,
            table_bytes,
            baseline_name + ", cell cursor",
            unit="KB",
            target=BYTES_TARGET_KB,
            note="two cells repainted and the line under the grid",
            summary=average,
        ),
    ]


def run(sizes: Sequence[int], repeat: int, work: Path, *, keys: int = 40) -> list[Row]:
    rows: list[Row] = []
    for members in sizes:
        rows += store_rows(members, repeat, work)
        rows += grid_rows(members, keys, work)
    return rows


# -- the child: the grid in a headless app ---------------------------------------------------------


async def grid(db_path: Path, keys: int) -> dict[str, Any]:
    from screens.patrols.week import PatrolsScreen
    from store.actor import Role
    from tests.screens.helpers import enter_as, settle
    from tui.factory import make_app

    KEY_CHARACTERS.update(dict.fromkeys(("right", "left", "up", "home"), None))  # keys, not letters
    app = make_app(db_path, lang=LANG)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot, Role.COORDINATOR)
        await settle(pilot)
        meter = Meter.attach(app)
        began = meter.key("3")
        await meter.until(
            lambda: isinstance(app.screen, PatrolsScreen) and app.screen.loaded, "the grid"
        )
        await meter.quiet()
        open_ms = (meter.frames[-1][0] - began) * 1000 if meter.frames else 0.0
        await meter.until(lambda: not any(w.is_running for w in app.workers), "the workers")
        await asyncio.sleep(0.5)  # anything the load started (a toast, a late frame) is out
        meter.key("home")  # Monday, so every arrow below moves (today may be a Sunday)
        await meter.quiet()
        return {"open_ms": open_ms, "keys": await _arrows(meter, keys)}


async def _arrows(meter: Meter, keys: int) -> list[dict[str, float]]:
    """Press the arrow keys in turn; per key, the bytes written and the time to its last frame."""
    pressed = []
    for n in range(keys):
        written, ms = await meter.press(ARROWS[n % len(ARROWS)])
        pressed.append({"bytes": written, "ms": ms})
    return pressed


async def grid_table(db_path: Path, keys: int) -> dict[str, Any]:
    """The baseline: a stock DataTable with a cell cursor holding the same week's grid."""
    from rich.text import Text
    from textual.widgets import DataTable

    from screens.patrols.view import build_week
    from store.engine.database import Database
    from store.enums import weekday_label
    from store.i18n import _
    from store.patrols.weeks import monday_of
    from tui.i18n import setup_language

    KEY_CHARACTERS.update(dict.fromkeys(("right", "left", "up", "down"), None))
    setup_language(LANG, None)
    db = Database(db_path)
    today = db.today()
    week = build_week(db.snapshot(), monday_of(today), today)
    titles = [_("Time and place")]
    titles += [f"{weekday_label(day.isoweekday())} {day:%m-%d}" for day in week.days]
    cells = [
        (Text(row.label), *(Text(c.text() if c else "·") for c in row.cells)) for row in week.rows
    ]
    first = week.rows[0].label.split()[0]  # its times: never split by a style change

    app = table_app(titles, cursor_type="cell", title="GridTable")  # the same week, stock
    async with app.run_test(size=SIZE) as pilot:
        open_ms, meter = await rows_shown_ms(pilot, cells, first)
        await meter.quiet()
        app.query_one(DataTable).move_cursor(row=0, column=1)  # Monday, as the grid starts from
        await meter.quiet()
        return {"open_ms": open_ms, "keys": await _arrows(meter, keys)}


def child_main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_patrols")
    parser.add_argument("mode", choices=("grid", "grid-table"))
    parser.add_argument("db", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int, nargs="?", default=20)
    args = parser.parse_args(argv)
    measure = grid if args.mode == "grid" else grid_table
    result = asyncio.run(measure(args.db, args.n))
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    child_main()
