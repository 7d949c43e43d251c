"""Rosters laid out as offices print them: title and fill-in lines above the header, blank
rows, totals and signature lines below; each file built here with the csv module."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.actor import Actor
from store.engine.database import Database
from store.members import ops as members
from store.members.importing import ImportPlan, ImportRefused, apply_import, plan_import

HEADER = ["序号", "姓名", "性别", "出生年月", "入党时间", "联系电话", "党员类别"]
PEOPLE = [
    ["1", "张三", "男", "1950.03", "1975.07", "13800000001", "退休"],
    ["2", "李四", "女", "1962年5月", "1990-07-01", "13800000002", "在职"],
    ["3", "王五", "男", "1970/8/8", "1969.01", "13800000003", "流入"],  # joined before born
]
TITLE = ["幸福里社区党员花名册（2026年11月）"]
FILL_IN = ["填表单位：幸福里党支部", "", "", "", "填表日期：2026-11-01"]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json")


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def content(plan: ImportPlan) -> list[dict[str, Any]]:
    """The members a plan would add, without what depends on the file's layout."""
    return [{k: v for k, v in row.doc.items() if k != "id"} for row in plan.added]


def test_title_fill_in_totals_and_signature_lines(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    rows = [
        TITLE,
        FILL_IN,
        [],
        HEADER,
        PEOPLE[0],
        ["", "", "", "", "", "", ""],  # a blank row in the middle
        PEOPLE[1],
        PEOPLE[2],
        ["合计：3人"],
        ["制表人：赵六", "", "", "审核人：钱七"],
        ["1. 本表每年十一月更新", "张某"],  # under the signature: not a member
    ]
    plan = plan_import(db, write(tmp_path / "花名册.csv", rows))
    assert [row.name for row in plan.added] == ["张三", "李四", "王五"]
    assert [row.row for row in plan.added] == [5, 7, 8]  # spreadsheet rows, as Excel shows
    assert not plan.refused
    assert (plan.header_row, plan.skipped_above, plan.totals, plan.ended_at) == (4, 2, [9], 10)
    assert [w.message for w in plan.warnings] == [
        "Row 8 (No. 3): 入党时间 “1969.01” is before 出生年月 “1970/8/8”. Left empty; please check."
    ]
    result = apply_import(db, actor, plan)
    assert (result.added, result.refused) == (3, 0)
    assert sorted(d["name"] for d in db.snapshot().all(members.TABLE)) == ["张三", "李四", "王五"]


def test_english_totals_and_signature_lines(db: Database, tmp_path: Path) -> None:
    rows = [
        ["Happiness Lane members, November 2026"],
        ["Name", "Phone", "Birth date"],
        ["Zhang San", "13800000001", "1950-03-01"],
        ["Sub-total: 1", "", ""],
        ["Total", "1", ""],
        ["Li Si", "13800000002", "1960-01-01"],
        ["Prepared by: Wang", "", ""],
        ["Zhao Liu", "13800000003", ""],
    ]
    plan = plan_import(db, write(tmp_path / "en.csv", rows, "utf-8"))
    assert [row.name for row in plan.added] == ["Zhang San", "Li Si"]
    assert (plan.skipped_above, plan.totals, plan.ended_at) == (1, [4, 5], 7)


def test_subtotals_between_branches_are_skipped_not_the_end(db: Database, tmp_path: Path) -> None:
    rows = [HEADER, PEOPLE[0], ["小计", "1人"], PEOPLE[1], ["共2人"], ["总计：2人"]]
    plan = plan_import(db, write(tmp_path / "b.csv", rows))
    assert [row.name for row in plan.added] == ["张三", "李四"]
    assert plan.totals == [3, 5, 6] and plan.ended_at is None


def test_a_gbk_file_with_title_lines(db: Database, tmp_path: Path) -> None:
    rows = [TITLE, FILL_IN, HEADER, *PEOPLE, ["合计：3人"]]
    plan = plan_import(db, write(tmp_path / "gbk.csv", rows, "gbk"))
    assert plan.encoding == "gb18030"
    assert [row.name for row in plan.added] == ["张三", "李四", "王五"]
    assert plan.skipped_above == 2


def test_a_title_line_without_commas_still_finds_the_comma_header(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("幸福里社区党员花名册\n姓名,联系电话\n张三,13800000001\n", encoding="utf-8")
    plan = plan_import(db, path)
    assert [row.doc["phone"] for row in plan.added] == ["13800000001"]


def test_the_header_is_the_row_naming_the_most_columns(db: Database, tmp_path: Path) -> None:
    """A fill-in line that happens to say 姓名 does not beat the real header."""
    rows = [["姓名", "（填表人）"], HEADER, PEOPLE[0]]
    plan = plan_import(db, write(tmp_path / "h.csv", rows))
    assert plan.header_row == 2
    assert [row.name for row in plan.added] == ["张三"]


def test_no_name_column_in_the_first_rows_is_said(db: Database, tmp_path: Path) -> None:
    rows = [TITLE, ["电话", "地址"], ["13800000001", "1栋"]]
    with pytest.raises(ImportRefused, match=r"no name column .* first 20 rows"):
        plan_import(db, write(tmp_path / "n.csv", rows))


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.integers(min_value=0, max_value=9),
    blank_lines=st.lists(st.booleans(), min_size=9, max_size=9),
)
def test_any_number_of_title_lines_gives_the_same_import(
    tmp_path: Path, titles: int, blank_lines: list[bool]
) -> None:
    db = Database(tmp_path / "never-written.json")
    plain = plan_import(db, write(tmp_path / "plain.csv", [HEADER, *PEOPLE]))
    above = [
        [] if blank else [f"第{n}行标题", "", "填表人：某某"]
        for n, blank in zip(range(titles), blank_lines, strict=False)
    ]
    with_titles = plan_import(db, write(tmp_path / "titled.csv", [*above, HEADER, *PEOPLE]))
    assert content(with_titles) == content(plain)
    assert [w.reason for w in with_titles.warnings] == [w.reason for w in plain.warnings]
    shift = len(above)
    assert [w.row - shift for w in with_titles.warnings] == [w.row for w in plain.warnings]
    assert with_titles.skipped_above == sum(1 for line in above if line)
    assert not with_titles.refused and not db.path.exists()


def test_more_header_words_and_columns_not_imported(db: Database, tmp_path: Path) -> None:
    rows = [
        [
            "姓名",
            "生日",
            "手机号码",
            "现住址",
            "工作单位",
            "人员类别",
            "所在党支部",
            "转正时间",
            "鞋码",
        ],
        [
            "张三",
            "1950-03-01",
            "13800000001",
            "3栋2单元502室",
            "幸福里小学",
            "在职",
            "一支部",
            "1976.07",
            "42",
        ],
    ]
    plan = plan_import(db, write(tmp_path / "w.csv", rows))
    assert plan.unknown_columns == ["鞋码"]
    (row,) = plan.added
    doc = row.doc
    assert (doc["birth_date"], doc["phone"], doc["building"], doc["room"]) == (
        "1950-03-01",
        "13800000001",
        "3",
        "502",
    )
    assert (doc["workplace"], doc["category"], doc["branch"]) == (
        "幸福里小学",
        "in_service",
        "一支部",
    )
    assert doc["join_date"] == "1976-07-01"  # 转正时间 stands in for the missing 入党时间


def test_a_fallback_header_is_not_imported_beside_the_real_one(
    db: Database, tmp_path: Path
) -> None:
    rows = [["转正时间", "姓名", "入党时间"], ["1976.07", "张三", "1975.07"]]
    plan = plan_import(db, write(tmp_path / "f.csv", rows))
    assert plan.unknown_columns == ["转正时间"]
    assert plan.added[0].doc["join_date"] == "1975-07-01"


@pytest.mark.parametrize(
    ("word", "category", "status", "tags"),
    [
        ("离退休", "retired", "active", []),
        ("离休干部", "retired", "active", []),
        ("流动党员（流入）", "mobile_in", "active", []),
        ("外出务工", "mobile_out", "active", []),
        ("在职、预备党员", "in_service", "active", ["预备党员"]),
        ("预备党员", "other", "active", ["预备党员"]),
        ("退休 已故", "retired", "deceased", []),
        ("正式党员", "other", "active", []),
    ],
)
def test_short_category_words(
    db: Database, tmp_path: Path, word: str, category: str, status: str, tags: list[str]
) -> None:
    rows = [["姓名", "党员类别"], ["张三", word]]
    plan = plan_import(db, write(tmp_path / "c.csv", rows))
    assert not plan.warnings
    doc = plan.added[0].doc
    assert (doc["category"], doc["status"], doc["tags"]) == (category, status, tags)


def test_a_category_word_naming_nothing_is_a_field_warning(db: Database, tmp_path: Path) -> None:
    rows = [["姓名", "党员类别", "联系电话"], ["张三", "火星党员", "13800000001"]]
    plan = plan_import(db, write(tmp_path / "u.csv", rows))
    (warning,) = plan.warnings
    assert warning.message.startswith("Row 2: 党员类别 “火星党员”: Unknown value")
    assert warning.message.endswith("Left empty; please check.")
    (row,) = plan.added
    assert (row.doc["category"], row.doc["to_check"]) == ("other", ["category"])
