"""The measuring loop every benchmark repeats: a call timed N times, the samples summed up as a
median (or a mean), and the :class:`~tests.bench.report.Row` built beside its baseline.

The in-process benchmarks (store, import, patrols, training, the roster's store search) used to
carry their own copies of the same few lines: ``perf_counter`` before and after, a list of
milliseconds, then a ``Row`` whose ``ours``/``baseline`` are the medians and whose ``samples``
keep the raw runs. One copy here keeps every figure computed the same way; a benchmark module
then says only what it measures. Measuring inside a running app (bytes and frames per key) is
tests/bench/meter.py.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence

from tests.bench.report import Row, Target, median

CHILD_FAILED = (RuntimeError, subprocess.TimeoutExpired)
"""What a measurement in a child process raises when it could not measure (a failed row)."""

Summary = Callable[[Sequence[float]], float | None]


def ms_since(start: float) -> float:
    """Milliseconds since ``start`` (a ``time.perf_counter()`` reading)."""
    return (time.perf_counter() - start) * 1000


def timed(call: Callable[[], object]) -> float:
    """One run of ``call``, in milliseconds."""
    start = time.perf_counter()
    call()
    return ms_since(start)


def repeated(call: Callable[[], object], repeat: int) -> list[float]:
    """``repeat`` runs of ``call``, each in milliseconds, in order."""
    return [timed(call) for _ in range(repeat)]


def average(values: Sequence[float]) -> float | None:
    """The mean, or None for no values (as :func:`~tests.bench.report.median`)."""
    return statistics.mean(values) if values else None


def compared(
    name: str,
    ours: Sequence[float],
    baseline: Sequence[float],
    baseline_name: str,
    *,
    unit: str = "ms",
    target: float | None = None,
    note: str = "",
    summary: Summary = median,
) -> Row:
    """Our samples beside the baseline's as one row: each side's ``summary`` (the median unless
    said), the raw samples kept, a value ``target`` when there is one."""
    return Row(
        name=name,
        unit=unit,
        ours=summary(ours),
        baseline=summary(baseline),
        baseline_name=baseline_name,
        target=Target(target) if target is not None else None,
        note=note,
        samples={"ours": list(ours), "baseline": list(baseline)},
    )


def failed(name: str, unit: str, baseline_name: str, error: BaseException) -> Row:
    """The row of a figure that could not be measured, saying why."""
    return Row(name, unit, None, None, baseline_name, error=str(error))
