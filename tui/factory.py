"""The one factory that builds the App, for the CLI and the tests (``make_app``).

Its own module so that choosing the language, opening the database and reading the terminal's
limits happen in one place before the App exists, and tui/app.py holds only the App.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from store.engine.database import Database, open_database
from store.i18n import N_, _
from tui.app import Clock, ShequApp
from tui.css_cache import CssCache
from tui.i18n import chinese_unavailable, setup_language, terminal_lacks_cjk

NO_CHINESE_NOTICE = N_(
    "In English: no Chinese on this console. For Chinese, use an SSH client (PuTTY)."
)


def make_app(
    db_path: Path,
    *,
    lang: str | None = None,
    environ: Mapping[str, str] | None = None,
    clock: Clock = time.monotonic,
    db: Database | None = None,
    css_cache: CssCache | None = None,
) -> ShequApp:
    """Build the app for ``db_path``: the one factory the CLI and the tests use.

    Chooses and installs the language first (``--lang``, else the locale in ``environ``, which
    defaults to ``os.environ``; English on the Linux console, where the login screen says why,
    and only the glyphs its font has: tui/console.py). Run the result with
    ``app.run(mouse=False)``; ``tui.env.apply_terminal_defaults`` must have run before Textual
    was first imported. ``clock`` is what the idle lock measures time with (tests pass their own).
    ``db`` is that file already opened (the CLI reads the settings before Textual starts).
    ``css_cache`` keeps parsed stylesheets between runs (the CLI's; tests parse every time).
    """
    setup_language(lang, environ)
    english_here = _(NO_CHINESE_NOTICE) if chinese_unavailable(lang, environ) else ""
    if db is None:
        db = open_database(db_path, environ)
    warning = db.check_permissions()
    return ShequApp(
        db,
        notices=[warning] if warning else [],
        gate_notice=english_here,
        console=terminal_lacks_cjk(environ),
        clock=clock,
        css_cache=css_cache,
    )
