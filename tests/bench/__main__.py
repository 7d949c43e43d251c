"""``python -m tests.bench``: run the benchmarks, print each figure beside its baseline.

``make bench`` runs the full set (several minutes on a 2-core machine); ``--size small`` is a
quick look while working. Nothing here asserts a timing: figures are for people, beside a
baseline measured in the same run and the target from DESIGN.md. Results also go to
``tests/bench/results/latest.json`` (git-ignored) with every raw sample.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.bench import (
    bench_import,
    bench_live,
    bench_patrols,
    bench_roster,
    bench_sessions,
    bench_startup,
    bench_store,
    bench_training,
)
from tests.bench.report import Row, environment, format_rows, write_json

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
AREAS = ("store", "import", "startup", "roster", "patrols", "training", "live", "sessions")


@dataclass(frozen=True, slots=True)
class Settings:
    """How much to measure: roster sizes and repetitions per area."""

    store_sizes: tuple[int, ...]
    store_repeat: int
    start_members: int
    start_runs: int
    growth_sizes: tuple[int, ...]
    growth_runs: int
    import_rows: int
    roster_sizes: tuple[int, ...]
    roster_runs: int
    patrol_sizes: tuple[int, ...] = (5_000,)  # the community: 5,000 members
    training_members: int = 5_000  # issue 11: five years of sessions for this many members
    live_members: int = 5_000  # issue 12: a save in one session painted in another
    live_samples: int = 15
    session_sizes: tuple[int, ...] = (5_000, 20_000)  # issue 23: N sessions on one file
    session_counts: tuple[int, ...] = (1, 10, 30)


SIZES = {
    # DESIGN's budgets are stated at 5,000 and 20,000 members.
    "full": Settings(
        (5_000, 20_000), 9, 5_000, 5, bench_startup.GROWTH_SIZES, 2, 5_000, (5_000, 20_000), 3
    ),
    "small": Settings(
        (1_000,),
        3,
        1_000,
        2,
        (),
        0,
        1_000,
        (1_000,),
        2,
        (1_000,),
        1_000,
        1_000,
        6,
        (1_000,),
        (1, 3),
    ),
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument(
        "--only", choices=AREAS, action="append", help="run only this area (repeatable)"
    )
    parser.add_argument("--repeat", type=int, help="repetitions per figure (overrides --size)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to save the results")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = SIZES[args.size]
    areas = args.only or list(AREAS)
    store_repeat = args.repeat or settings.store_repeat
    start_runs = args.repeat or settings.start_runs
    env = environment()
    print(
        f"shequ benchmarks ({args.size}): Python {env['python']}, Textual {env['textual']}, "
        f"TinyDB {env['tinydb']}, {env['cpus']} CPUs; medians of {store_repeat} (store) and "
        f"{start_runs} (start-up) runs\n",
        flush=True,
    )
    began = time.perf_counter()
    sections: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="shequ-bench-") as tmp:
        work = Path(tmp)
        if "store" in areas:
            sections["store (ours = Database transaction/snapshot)"] = bench_store.run(
                settings.store_sizes, store_repeat, work
            )
            _print_section(sections)
        if "import" in areas:
            sections["import (ours = shequ import members)"] = bench_import.run(
                settings.import_rows, store_repeat, work
            )
            _print_section(sections)
        if "startup" in areas:
            sections["start-up and quit in an 80x24 pty (ours = shequ)"] = bench_startup.run(
                settings.start_members,
                start_runs,
                work,
                growth=settings.growth_sizes,
                growth_runs=settings.growth_runs,
            )
            _print_section(sections)
        if "roster" in areas:
            sections["roster screen in a headless 80x24 app (ours = RosterScreen)"] = (
                bench_roster.run(settings.roster_sizes, args.repeat or settings.roster_runs, work)
            )
            _print_section(sections)
        if "patrols" in areas:
            sections["patrol schedule (ours = store.patrols, PatrolsScreen)"] = bench_patrols.run(
                settings.patrol_sizes, store_repeat, work
            )
            _print_section(sections)
        if "training" in areas:
            sections["training (ours = store.training and the checklist screen)"] = (
                bench_training.run(settings.training_members, store_repeat, work)
            )
            _print_section(sections)
        if "live" in areas:
            sections["live refresh between sessions (ours = the App's stat watcher)"] = (
                bench_live.run(settings.live_members, settings.live_samples, work)
            )
            _print_section(sections)
        if "sessions" in areas:
            sections["many sessions on one file while CLI adds run (ours = following the log)"] = (
                bench_sessions.run(settings.session_sizes, settings.session_counts, work)
            )
            _print_section(sections)
    elapsed = time.perf_counter() - began
    write_json(
        args.json,
        sections,
        {**asdict(settings), "size": args.size, "areas": areas, "seconds": round(elapsed, 1)},
    )
    print(f"\n{elapsed:.0f} s in all; results saved to {args.json}")
    failed = [row.name for rows in sections.values() for row in rows if row.error]
    return 1 if failed else 0


def _print_section(sections: dict[str, list[Row]]) -> None:
    title, rows = list(sections.items())[-1]
    print(format_rows(title, rows) + "\n", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
