"""Importing a roster spreadsheet: ``shequ import members`` on a 5,000-row CSV.

Ours is the whole import (decode, map headers, validate every row, compute pinyin search keys,
match against the roster, one transaction). The baseline is stock TinyDB inserting the same
rows as they are, unchecked, which is the least any import into a TinyDB file costs: the ratio
is what validation and search keys add.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

from tests.bench.measure import compared, ms_since
from tests.bench.members import make_members
from tests.bench.report import Row

HEADERS = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生年月",
    "join_date": "入党时间",
    "phone": "联系电话",
    "address": "家庭住址",
    "category": "党员类别",
    "management": "管理方式",
    "notes": "备注",
}
GENDER = {"male": "男", "female": "女"}


def write_roster(path: Path, count: int) -> list[dict[str, str]]:
    """A roster as an office exports it (Chinese headers, UTF-8 with BOM); returns its rows."""
    rows = [
        {
            HEADERS[key]: GENDER.get(str(doc[key]), str(doc[key]))
            if key == "gender"
            else str(doc[key])
            for key in HEADERS
        }
        for doc in make_members(count, seed=7)
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HEADERS.values()))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _ours(csv_path: Path, db_path: Path) -> tuple[float, int]:
    from store.actor import Actor
    from store.engine.database import Database
    from store.members.importing import apply_import, plan_import

    db = Database(db_path)
    start = time.perf_counter()
    plan = plan_import(db, csv_path)
    apply_import(db, Actor.os_user(), plan)
    elapsed = ms_since(start)
    return elapsed, db.snapshot().count("members")


def _stock(rows: list[dict[str, str]], db_path: Path) -> tuple[float, int]:
    from tinydb import TinyDB

    start = time.perf_counter()
    with TinyDB(db_path) as stock:
        stock.table("members").insert_multiple(rows)
        count = len(stock.table("members"))
    return ms_since(start), count


def run(count: int, repeat: int, work: Path) -> list[Row]:
    """Import ``count`` rows into an empty database ``repeat`` times, beside stock TinyDB."""
    csv_path = work / f"roster-{count}.csv"
    rows = write_roster(csv_path, count)
    ours: list[float] = []
    stock: list[float] = []
    imported = 0
    for n in range(repeat):
        ours_db, stock_db = work / f"import-{n}.json", work / f"stock-{n}.json"
        elapsed, imported = _ours(csv_path, ours_db)
        ours.append(elapsed)
        stock.append(_stock(rows, stock_db)[0])
        for path in (ours_db, stock_db):
            os.unlink(path)
    note = f"{imported} of {count} rows imported (the rest refused by validation)"
    return [
        compared(
            f"import {count:,} roster rows (CSV)",
            ours,
            stock,
            "stock TinyDB, rows unchecked",
            note=note,
        )
    ]
