"""Domains' own tests for ``shequ check``, registered when their package is imported.

The engine knows no domain: a domain package registers what only it can tell (the members
register their pinyin keys' test, store/members/__init__.py), as it registers its upgrade steps
(store/engine/migrations.py ``upgrade_records``). A module of its own, this small, because
every start imports the domain packages and so this registry, while the check itself
(store/engine/check.py) is imported only by ``shequ check``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

RecordCheck = Callable[[Mapping[str, Any]], str | None]
"""A domain's own test of one record of its table: what is wrong with it (one line), or None."""

RECORD_CHECKS: dict[str, list[RecordCheck]] = {}
"""The tests of each table, in the order registered."""


def check_records(table: str, test: RecordCheck) -> None:
    """Have ``shequ check`` ask ``test`` about every record of ``table`` that has a valid id."""
    RECORD_CHECKS.setdefault(table, []).append(test)
