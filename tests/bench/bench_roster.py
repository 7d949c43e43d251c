"""The roster screen in a real (headless) app at 80x24: opening it, searching, and bytes per key.

Each measurement runs in a fresh interpreter (``python -m tests.bench.roster_app MODE ...``)
with the environment of an SSH session: ``TERM=xterm-256color`` (256 colours), no ``COLORTERM``,
and the defaults ``shequ`` sets for itself (``tui.env``: no animations, no smooth scrolling).
Textual reads those when it is first imported, which in the benchmark runner (or pytest) has
already happened; the baseline apps get the same environment, so the comparison is fair.

Bytes and frames are counted by :class:`~tests.bench.meter.Meter` (tests/bench/meter.py): what
Textual would send down the SSH connection, and when. A terminal that answers Textual's
synchronized-output query gets 16 more bytes per frame (``ESC[?2026h`` ... ``ESC[?2026l``) in
both apps; none is counted here.

Figures:

* open: from pressing 2 (logged in, on the first screen) until the first frame that shows the
  roster's first row (its name is in the bytes written): the database read,
  :func:`~screens.roster.view.build_roster`, the list and the paint. Baseline: a bare app with
  Textual's stock ``DataTable`` given the same members' display columns (name, sex, age,
  category, grid, phone; ``rich.text.Text`` cells, as DataTable parses ``str`` cells as
  markup), from ``add_rows`` until the first frame showing a row. Its rows are built
  beforehand: the baseline does not read the database at all.
* search: per keystroke while typing ``zhang``, ``zs`` and ``138`` into ``#roster-search``.
  ``refill`` is what the screen does per key (the search over every row, in sort order, and
  handing the hits to the list); "end to end" is from the key event being sent until the last
  frame it caused was written. Baseline: ``store.members.ops.MemberIndex.search``, the store's own
  search (an index built once, one substring test per member) for the same prefixes. Each
  word is typed ``runs`` times, as a user would type it, in one app.
* bytes for a burst: ``zhangw`` typed into the search box as one burst (six keys sent together,
  as a fast typist or an IME over a slow link delivers them), from the first key to quiet: what
  the whole search costs on the wire. Baseline: the same burst into a stock Input whose app
  echoes a count (as the search figure's baseline).
* bytes per Down key at 80x24, from the top of the list: while the cursor moves within the
  page, when the list scrolls, and the mean over 100 Downs. Baseline: stock ``DataTable``
  (``cursor_type="row"``) between a stock Header and Footer, on the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.bench.children import measure_in_child
from tests.bench.measure import CHILD_FAILED, average, compared, failed
from tests.bench.report import Row, median

if TYPE_CHECKING:
    pass

SEARCH_WORDS = ("zhang", "zs", "138")
BURST_WORD = "zhangw"
BURST_TARGET_KB = 6.0
DOWNS = 100
# DESIGN.md, Budgets.
SEARCH_TARGET_MS = {20_000: 25.0}
BYTES_TARGET_KB = 1.0
TABLE_COLUMNS = ("姓名", "性别", "年龄", "类别", "网格", "电话")


# -- the parent side: databases, child processes, rows -------------------------------------------


def measure(mode: str, db_path: Path, work: Path, *args: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return what it reported."""
    return measure_in_child("tests.bench.roster_app", mode, db_path, work, *args)


def open_rows(members: int, runs: int, db_path: Path, work: Path, note: str) -> list[Row]:
    """Opening the roster at ``members``: median of ``runs`` fresh apps, beside DataTable."""
    name = f"{members:,} members: open the roster (2 to rows on screen)"
    baseline_name = "stock DataTable, all rows"
    try:
        ours = measure("open", db_path, work, str(runs))
        table = measure("open-table", db_path, work, str(runs))
    except CHILD_FAILED as error:
        return [failed(name, "ms", baseline_name, error)]
    return [
        compared(
            name,
            ours["samples"],
            table["samples"],
            baseline_name,
            note=(
                f"{note}; ours reads the file and builds {ours['rows']:,} rows, the DataTable "
                "gets the same rows' display columns ready-made (6 Text cells each)"
            ),
        )
    ]


def search_rows(members: int, rounds: int, db_path: Path, work: Path) -> list[Row]:
    """Per-keystroke search figures at ``members``: refill, end to end, beside the store.

    Every word is typed ``rounds`` times (emptying the box in between), in one app.
    """
    prefix = f"{members:,} members: search keystroke"
    baseline_name = "MemberIndex.search"
    try:
        found = measure("search", db_path, work, str(rounds))
    except CHILD_FAILED as error:
        return [failed(prefix, "ms", baseline_name, error)]
    target = SEARCH_TARGET_MS.get(members)
    store = found["store_ms"]
    try:
        bare: dict[str, Any] | None = measure("search-bare", db_path, work, str(rounds))
    except CHILD_FAILED:
        bare = None
    typed = " ".join(repr(word) for word in SEARCH_WORDS)
    return [
        compared(
            f"{prefix}, refill (select + list)",
            found["refill_ms"],
            store,
            baseline_name,
            target=target,
            note=(
                f"typing {typed} {rounds}x ({len(store)} keys); worst key "
                f"{max(found['refill_ms']):.1f} ms; baseline: the store's search, same snapshot"
            ),
        ),
        compared(
            f"{prefix}, key to last frame written",
            found["e2e_ms"],
            bare["e2e_ms"] if bare else [],
            "a bare Textual Input, same keys",
            target=target,
            note=(
                f"worst key {max(found['e2e_ms']):.1f} ms, {median(found['kbytes']):.1f} KB "
                "written per key; from the key event to the last frame it caused: dispatch, the "
                "Input's Changed message, refill, layout and paint; baseline: the same keys "
                "typed into a stock Input whose app only echoes a count (Textual's own floor)"
            ),
        ),
    ]


def burst_rows(members: int, rounds: int, db_path: Path, work: Path) -> list[Row]:
    """Bytes (and time) for a six-letter search typed in one burst, beside a bare Input."""
    name = f"{members:,} members: bytes for a {len(BURST_WORD)}-letter search typed in a burst"
    baseline_name = "a bare Textual Input, same burst"
    try:
        ours = measure("burst", db_path, work, str(rounds))
        bare = measure("burst-bare", db_path, work, str(rounds))
    except CHILD_FAILED as error:
        return [failed(name, "KB", baseline_name, error)]
    return [
        compared(
            name,
            ours["kbytes"],
            bare["kbytes"],
            baseline_name,
            unit="KB",
            target=BURST_TARGET_KB,
            note=(
                f"{BURST_WORD!r} x{rounds}, 80x24; {median(ours['frames']):g} frames and "
                f"{median(ours['refills']):g} refills of the list per burst here; the burst "
                f"ends {median(ours['ms']):.0f} ms after its first key (bare: "
                f"{median(bare['ms']):.0f} ms)"
            ),
        )
    ]


def bytes_rows(members: int, db_path: Path, work: Path, downs: int = DOWNS) -> list[Row]:
    """Bytes per Down key: in view, scrolling, and the mean over ``downs``, beside DataTable."""
    prefix = f"bytes per Down key ({members:,} members, 80x24)"
    baseline_name = "stock DataTable"
    try:
        ours = measure("bytes", db_path, work, str(downs))
        table = measure("bytes-table", db_path, work, str(downs))
    except CHILD_FAILED as error:
        return [failed(prefix, "KB", baseline_name, error)]

    def split(result: dict[str, Any]) -> tuple[list[float], list[float], list[float]]:
        keys = result["keys"]
        every = [key["bytes"] / 1024 for key in keys]
        in_view = [key["bytes"] / 1024 for key in keys if not key["scrolled"]]
        scrolled = [key["bytes"] / 1024 for key in keys if key["scrolled"]]
        return every, in_view, scrolled

    ours_all, ours_view, ours_scroll = split(ours)
    table_all, table_view, table_scroll = split(table)
    return [
        compared(
            f"{prefix}: cursor within the page",
            ours_view,
            table_view,
            baseline_name,
            unit="KB",
            note=(
                f"medians; {ours['rows_in_view']} rows in view here, {table['rows_in_view']} in "
                f"the DataTable between Header and Footer; {ours['color_system']} colours, "
                "zh_CN, headless driver counting what Textual would write"
            ),
        ),
        compared(
            f"{prefix}: when the list scrolls",
            ours_scroll,
            table_scroll,
            baseline_name,
            unit="KB",
            note=(
                f"{len(ours_scroll)} of {downs} Downs scrolled here (half a page each), "
                f"{len(table_scroll)} in the DataTable (a line each)"
            ),
        ),
        compared(
            f"{prefix}: mean over {downs} Downs from the top",
            ours_all,
            table_all,
            baseline_name,
            unit="KB",
            target=BYTES_TARGET_KB,
            note=(f"{sum(ours_all):.1f} KB in all here, {sum(table_all):.1f} KB for the DataTable"),
            summary=average,
        ),
    ]


def run(sizes: Sequence[int], runs: int, work: Path, *, downs: int = DOWNS) -> list[Row]:
    """Every roster figure: opening at each size, search at the largest, bytes at the smallest.

    ``runs`` fresh apps per opening figure; ``downs`` Down keys per bytes figure.
    """
    from tests.bench.bench_startup import make_demo_db

    sizes = sorted(sizes)
    paths: dict[int, Path] = {}
    rows: list[Row] = []
    for members in sizes:
        path = paths[members] = work / f"roster-demo-{members}.json"
        note = make_demo_db(path, members)
        rows += open_rows(members, runs, path, work, note)
    rows += search_rows(sizes[-1], runs, paths[sizes[-1]], work)
    rows += burst_rows(sizes[0], runs, paths[sizes[0]], work)
    rows += bytes_rows(sizes[0], paths[sizes[0]], work, downs)
    return rows
