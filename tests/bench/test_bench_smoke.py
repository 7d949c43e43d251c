"""Every benchmark runs once at a tiny size, so none can rot unnoticed between ``make bench`` runs.

Timings are never asserted here (they mean nothing at 50 members on a busy CI machine): only that
each benchmark still runs, produces a figure and its baseline, and that the report and JSON
writers accept what it produced.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.bench import __main__ as runner
from tests.bench import bench_import, bench_roster, bench_startup, bench_store, bench_training
from tests.bench.members import make_members
from tests.bench.report import Row, format_rows, write_json

TINY = 50


def _assert_measured(rows: list[Row]) -> None:
    assert rows
    for row in rows:
        assert row.error is None, f"{row.name}: {row.error}"
        assert row.ours is not None and math.isfinite(row.ours) and row.ours >= 0, row.name
        assert row.baseline is not None and row.baseline > 0, row.name


def test_members_look_like_the_roster() -> None:
    docs = make_members(20)
    assert len({doc["id"] for doc in docs}) == 20
    assert all(doc["search_keys"][0] == doc["name"] for doc in docs)
    assert make_members(5) == make_members(5)  # seeded: every run measures the same data


def test_members_carry_the_keys_the_store_writes() -> None:
    """The store reads these keys as they are (no pypinyin): were they not the store's own, every
    benchmark would time the fallback that works them out for a hand-written file."""
    from store.members.search_keys import doc_keys, keys_fit, sort_key

    for doc in make_members(300):
        assert doc["sort_key"] == sort_key(doc["name"]), doc["name"]
        assert keys_fit(doc["name"], doc["search_keys"])
        assert doc_keys(doc) == (doc["search_keys"], doc["sort_key"])  # taken, not worked out


def test_store_benchmarks_run(tmp_path: Path) -> None:
    rows = bench_store.run([TINY], repeat=1, work=tmp_path)
    _assert_measured(rows)
    assert any("committed edit" in row.name for row in rows)
    assert any("search" in row.name for row in rows)
    print(format_rows("store", rows))


def test_import_benchmark_runs(tmp_path: Path) -> None:
    rows = bench_import.run(TINY, repeat=1, work=tmp_path)
    _assert_measured(rows)
    assert "rows imported" in rows[0].note
    print(format_rows("import", rows))


@pytest.mark.slow
def test_startup_benchmarks_run(tmp_path: Path) -> None:
    missing = bench_startup.app_missing()
    rows = bench_startup.run(TINY, runs=1, work=tmp_path, growth=(TINY,), growth_runs=1)
    if missing:
        # The harness and the bare baseline must still work while the app is being written.
        assert all(row.error is None and row.baseline is not None for row in rows)
        pytest.skip(f"shequ's start-up not measured: {missing}")
    _assert_measured(rows)
    names = " ".join(row.name for row in rows)
    assert "first screen" in names and "quit" in names and "peak RSS" in names
    assert "usable roster" in names and "roster open" in names
    assert "beside plain Textual showing them" in names
    typed = next(row for row in rows if row.name.startswith("Enter on the PIN to the dashboard"))
    assert typed.baseline_name == "the PIN check alone"
    assert "signed in to the dashboard" in names
    print(format_rows("startup", rows))


@pytest.mark.slow
def test_roster_benchmarks_run(tmp_path: Path) -> None:
    # Enough Downs for both lists to scroll at least once (about 17 and 21 rows in view).
    rows = bench_roster.run([TINY], runs=1, work=tmp_path, downs=25)
    _assert_measured(rows)
    names = " ".join(row.name for row in rows)
    assert "open the roster" in names and "search keystroke" in names
    assert "typed in a burst" in names
    assert "within the page" in names and "scrolls" in names and "mean over 25" in names
    print(format_rows("roster", rows))


@pytest.mark.slow
def test_training_benchmarks_run(tmp_path: Path) -> None:
    rows = bench_training.run(TINY, repeat=1, work=tmp_path, keys=12)
    _assert_measured(rows)
    names = " ".join(row.name for row in rows)
    assert "behind-pace list" in names and "meter" in names and "report" in names
    assert "checklist" in names
    print(format_rows("training", rows))


def test_runner_writes_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The command line end to end, minus the slow areas' real sizes.
    out = tmp_path / "latest.json"
    runner.SIZES["tiny"] = runner.Settings((TINY,), 1, TINY, 1, (), 0, TINY, (TINY,), 1)
    try:
        code = runner.main(["--size", "tiny", "--only", "store", "--json", str(out)])
    finally:
        del runner.SIZES["tiny"]
    assert code == 0
    assert "committed edit" in capsys.readouterr().out
    saved = json.loads(out.read_text(encoding="utf-8"))
    rows = next(iter(saved["sections"].values()))
    assert rows and all("ratio" in row and row["samples"]["ours"] for row in rows)


def test_report_handles_missing_figures(tmp_path: Path) -> None:
    rows = [
        Row("ok", "ms", 1.0, 2.0, "stock"),
        Row("no figure", "ms", None, 2.0, "stock"),
        Row("broken", "ms", None, None, "stock", error="it crashed"),
    ]
    text = format_rows("t", rows)
    assert "0.50x" in text and "FAILED" in text and "it crashed" in text
    write_json(tmp_path / "r.json", {"t": rows}, {})
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["sections"]["t"]


@pytest.mark.slow
def test_patrol_benchmarks_run(tmp_path: Path) -> None:
    from tests.bench import bench_patrols

    rows = bench_patrols.run([TINY * 5], repeat=1, work=tmp_path, keys=8)
    _assert_measured(rows)  # every figure beside its baseline, the grid's too
    names = " ".join(row.name for row in rows)
    assert "assign list" in names and "generate a year" in names and ".ics" in names
    assert "open (3 to the grid painted)" in names and "time per arrow key" in names
    assert "bytes per arrow key" in names
    print(format_rows("patrols", rows))


@pytest.mark.slow
def test_live_benchmarks_run(tmp_path: Path) -> None:
    from tests.bench import bench_live

    rows = bench_live.run(TINY, 2, tmp_path, idle_seconds=1.0)
    for row in rows:
        assert row.error is None, f"{row.name}: {row.error}"
        assert row.ours is not None and math.isfinite(row.ours) and row.ours >= 0, row.name
    names = " ".join(row.name for row in rows)
    assert "painted in another session, median" in names and "95th percentile" in names
    assert "bytes per refresh" in names and "idle minute" in names
    idle_bytes = next(row for row in rows if "bytes written per idle minute" in row.name)
    assert idle_bytes.ours == 0
    print(format_rows("live", rows))


@pytest.mark.slow
def test_sessions_benchmark_runs(tmp_path: Path) -> None:
    from tests.bench import bench_sessions

    rows = bench_sessions.run((TINY,), (2,), tmp_path)
    _assert_measured(rows)
    assert any("CPU per session per change" in row.name for row in rows)
    assert any("shows all 10" in row.name for row in rows)
    print(format_rows("sessions", rows))
