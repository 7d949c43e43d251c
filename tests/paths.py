"""Where tests find the repository and its sample rosters.

The rosters live in ``tests/fixtures`` inside the checkout, so a clone with nothing beside it
runs the whole suite; ``tests/test_self_contained.py`` keeps anything from reading outside.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
