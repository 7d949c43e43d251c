"""``shequ import members`` with a cell over the csv module's 128 KB default, as a real process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.e2e.cli import no_traceback, shequ


def test_a_huge_cell_refuses_its_row_and_the_good_rows_go_in(tmp_path: Path) -> None:
    db = tmp_path / "data" / "shequ.json"
    sheet = tmp_path / "花名册.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "联系电话", "备注"])
        writer.writerow(["张三", "13800000001", ""])
        writer.writerow(["李四", "13800000002", "长" * 140_000])  # over 128 KB, and then some
        writer.writerow(["王五", "13800000003", ""])
    result = shequ("import", "members", str(sheet), db=db)
    no_traceback(result)
    assert result.returncode == 1  # a row was refused
    assert "Row 3: 备注: 140000 characters; a cell holds at most 32767." in result.stdout
    assert "2 added" in result.stdout and "1 refused" in result.stdout
    data = json.loads(db.read_bytes())
    assert sorted(doc["name"] for doc in data["members"].values()) == ["张三", "王五"]
