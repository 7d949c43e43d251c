"""Where tests find the shared fixtures: ``../shared/fixtures`` beside the checkout.

CI clones the repository with a copy of ``shared/`` beside it, as the developers have it;
``SHEQU_FIXTURES`` points elsewhere when needed.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("SHEQU_FIXTURES", ROOT.parent / "shared" / "fixtures"))
