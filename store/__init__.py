"""shequ's data and rules, with no UI import (docs/ARCHITECTURE.md).

The domain packages that add a step to a file upgrade register it when imported (the engine
knows no domain; store/engine/migrations.py): importing them here puts every step in place
before any code can open a file.
"""

from store import members as _members  # noqa: F401  (registers the members' upgrade step)
from store import named as _named  # noqa: F401  (teams', zones' and sessions' keys)
