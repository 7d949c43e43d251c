"""Benchmark results: one row per figure, printed beside its same-run baseline and target.

Machines differ and timings drift, so a figure means little alone: every row carries a baseline
measured in the same run (stock TinyDB, a bare Textual app) and the ratio between them. Targets
come from DESIGN.md's Budgets; a row says whether it meets its target, but nothing here fails a
build on a timing (the smoke test only checks that each benchmark still runs).
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Target:
    """A budget from DESIGN.md: a limit on our figure, or on the ratio ours/baseline."""

    limit: float
    on: Literal["value", "ratio"] = "value"

    def met(self, row: Row) -> bool | None:
        """Whether ``row`` is within the budget; None when the row has no figure."""
        value = row.ratio if self.on == "ratio" else row.ours
        return None if value is None else value <= self.limit


@dataclass(slots=True)
class Row:
    """One measured figure (a median) beside its baseline; ``samples`` keep the raw runs."""

    name: str
    unit: str
    ours: float | None
    baseline: float | None
    baseline_name: str
    target: Target | None = None
    note: str = ""
    error: str | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """ours / baseline, the figure that survives a change of machine."""
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values (a benchmark that could not run)."""
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "-"
    if unit == "ms":
        decimals = 2 if value < 10 else 1 if value < 100 else 0
        return f"{value:.{decimals}f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "KB":
        return f"{value:.1f} KB"
    return f"{value:g} {unit}"


def _target_text(row: Row) -> str:
    target = row.target
    if target is None:
        return ""
    if target.on == "ratio":
        limit = f"<= {target.limit:g}x"
    else:
        limit = f"<= {_fmt(target.limit, row.unit)}"
    met = target.met(row)
    verdict = "" if met is None else ("  ok" if met else "  MISSED")
    return limit + verdict


def format_rows(title: str, rows: Iterable[Row]) -> str:
    """A plain-text table (ASCII-safe apart from names) for the terminal and CI logs."""
    header = ("benchmark", "ours", "baseline", "ratio", "target")
    lines: list[tuple[str, ...]] = []
    notes: list[str] = []
    for row in rows:
        if row.error:
            lines.append((row.name, "FAILED", "", "", ""))
            notes.append(f"  {row.name}: {row.error}")
            continue
        ratio = row.ratio
        lines.append(
            (
                row.name,
                _fmt(row.ours, row.unit),
                f"{_fmt(row.baseline, row.unit)} ({row.baseline_name})",
                "-" if ratio is None else f"{ratio:.2f}x",
                _target_text(row),
            )
        )
        if row.note:
            notes.append(f"  {row.name}: {row.note}")
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    out = [title, "=" * len(title)]
    for i, line in enumerate([header, *lines]):
        numbers = [c.rjust(w) for c, w in zip(line[1:4], widths[1:4], strict=True)]
        cells = [line[0].ljust(widths[0]), *numbers]
        out.append("  ".join([*cells, line[4]]).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def environment() -> dict[str, Any]:
    """What the figures were measured on, so two result files can be compared fairly."""
    import os
    from importlib.metadata import version

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "textual": version("textual"),
        "tinydb": version("tinydb"),
        "orjson": version("orjson"),
    }


def row_json(row: Row) -> dict[str, Any]:
    """A row with its derived ratio and verdict, for results/latest.json."""
    data = asdict(row)
    data["ratio"] = row.ratio
    data["target_met"] = row.target.met(row) if row.target else None
    return data


def write_json(path: Path, sections: dict[str, list[Row]], settings: dict[str, Any]) -> None:
    """Save every row (with raw samples) for comparing runs later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "environment": environment(),
        "settings": settings,
        "sections": {name: [row_json(r) for r in rows] for name, rows in sections.items()},
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
