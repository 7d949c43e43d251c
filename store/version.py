"""Which shequ this is: the program's version and the data format it understands.

"Which version?" is the first question on the phone; ``shequ --version`` and the help screen
(F1) answer it with the same two numbers. The program's version comes from the installed
package's metadata (pyproject.toml), so it is never a second copy to forget; the data format is
:data:`store.engine.migrations.SCHEMA_VERSION` (a file of a newer format is refused).
"""

from __future__ import annotations

from store.engine.migrations import SCHEMA_VERSION
from store.i18n import _

DISTRIBUTION = "shequ"


def program_version() -> str:
    """The installed package's version ("0.1.0"), or a word saying it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return _("unknown (not installed)")


def data_format() -> int:
    """The newest data format (schema version) this program reads and writes."""
    return SCHEMA_VERSION
