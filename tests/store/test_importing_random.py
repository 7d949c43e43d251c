"""Any file someone may pick, as bytes or as a table of text, is read or refused in words.

Reading a spreadsheet must never crash the import screen: whatever the bytes, ``plan_import``
gives a plan (each bad row with its message) or refuses the file with ImportRefused, and
applying the plan stores exactly the rows it said it would add.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from store.actor import Actor, Role
from store.engine.database import Database
from store.members.importing import ImportRefused, apply_import, plan_import

ADMIN = Actor("import", Role.ADMIN)
HEADERS = ["姓名", "性别", "出生年月", "联系电话", "入党时间", "党员类别", "家庭住址", "备注", "x"]
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["张三", "1958年3月", "1958.03", "138 0013 8000", "+86 139", "=1+1", "男"]),
)


def _plan(data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(data)
        db = Database(Path(folder) / "shequ.json")
        try:
            plan = plan_import(db, path)
        except ImportRefused as refused:
            assert str(refused)
            return
        for problem in plan.refused:
            assert problem.row >= 2 and problem.message
        result = apply_import(db, ADMIN, plan)
        stored = db.snapshot().all("members") if db.exists() else []
        assert len(stored) == result.added == len(plan.added)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_csv(data: bytes) -> None:
    _plan(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_as_xlsx(data: bytes) -> None:
    _plan(data, ".xlsx")


@settings(max_examples=60, deadline=None)
@given(
    # Mostly a roster (a name column somewhere), sometimes not.
    header=st.lists(st.sampled_from(HEADERS[1:]), max_size=5, unique=True).flatmap(
        lambda rest: st.permutations([*rest, "姓名"]) | st.just(rest)
    ),
    rows=st.lists(st.lists(cells, max_size=7), max_size=6),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]),
)
def test_any_table_of_text(header: list[str], rows: list[list[str]], encoding: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = out.getvalue().encode("utf-8")
    _plan(data)
