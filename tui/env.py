"""Terminal defaults that save bytes on slow links, applied before Textual is imported.

Textual reads these settings from the environment once, when ``textual.constants`` is first
imported, so :func:`apply_terminal_defaults` must run before anything imports ``textual`` (the CLI
calls it first thing, before ``tui.app``). Every value is a default: a variable the user already
set wins. This module imports only the standard library.

Why each value:

* ``TEXTUAL_ANIMATIONS=none``: animations repaint many frames; on a 64 kbit/s link each frame
  costs real time and nobody asked for them.
* ``TEXTUAL_SMOOTH_SCROLL=0``: no pixel-level scrolling; we scroll by whole lines and pages.
* ``ESCDELAY=200``: how long (ms) Textual waits after an ESC byte before deciding it was the
  Escape key rather than the start of an arrow or function key sequence. Textual's default of
  100 ms is tuned for local terminals; over a slow or congested SSH link the bytes of one key
  (``ESC [ A`` for Up) can arrive split, and a split read as Escape would mean "back/cancel".
  200 ms halves that risk while Escape still feels immediate (Textual polls every 100 ms, so a
  lone Escape takes 200-300 ms). Keys typed together arriving in one packet are not helped by
  any delay (ESC then ``q`` reads as Alt+q), which is why nothing destructive sits on Escape or
  on an Alt chord.
* Low-bandwidth mode (``--low-bandwidth`` or ``SHEQU_LOW_BANDWIDTH=1``) also sets
  ``TEXTUAL_COLOR_SYSTEM=standard`` (16 colours: about 30% fewer bytes than 256 colours) and
  ``TEXTUAL_FPS=15``, so bursts of changes (typing, holding a key down) are painted together in
  fewer, larger updates.

``NO_COLOR`` needs no variable from us: Textual honours it and draws in greys. The screens never
carry meaning by colour alone, and where Textual's greys would leave the cursor unseen the
widgets add reverse video themselves (screens/widgets/option_lines.py; checked per screen by
tests/screens/test_colourless_screens.py; why, with reproductions: docs/TEXTUAL_NO_COLOR.md).
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from typing import Any

LOW_BANDWIDTH_VARIABLE = "SHEQU_LOW_BANDWIDTH"

DEFAULTS: dict[str, str] = {
    "TEXTUAL_ANIMATIONS": "none",
    "TEXTUAL_SMOOTH_SCROLL": "0",
    "ESCDELAY": "200",
}

LOW_BANDWIDTH_DEFAULTS: dict[str, str] = {
    "TEXTUAL_COLOR_SYSTEM": "standard",
    "TEXTUAL_FPS": "15",
}

_TRUE = frozenset({"1", "yes", "true", "on"})


def low_bandwidth_requested(environ: MutableMapping[str, str]) -> bool:
    """Whether ``SHEQU_LOW_BANDWIDTH`` asks for low-bandwidth mode."""
    return environ.get(LOW_BANDWIDTH_VARIABLE, "").strip().lower() in _TRUE


def apply_terminal_defaults(
    environ: MutableMapping[str, str], *, low_bandwidth: bool = False
) -> bool:
    """Set our defaults in ``environ`` (normally ``os.environ``) where the user set nothing.

    ``low_bandwidth`` is the ``--low-bandwidth`` flag; the environment variable turns the mode
    on as well. Returns whether low-bandwidth mode is on.
    """
    low = low_bandwidth or low_bandwidth_requested(environ)
    settings = {**DEFAULTS, **(LOW_BANDWIDTH_DEFAULTS if low else {})}
    for name, value in settings.items():
        environ.setdefault(name, value)
    if low:
        environ[LOW_BANDWIDTH_VARIABLE] = "1"
    return low


def skip_tls() -> bool:
    """Keep Python's TLS support (``ssl`` and OpenSSL's libraries) out of the TUI's process.

    Textual runs on asyncio, which imports ``ssl`` in case a program opens a TLS connection;
    shequ opens none (its one file is local, its sessions come in over SSH). Loading it cost
    every session 4.2 MiB of resident memory (1.2 MiB of it its own, the rest OpenSSL's
    library pages, which sessions share) and a few ms of start-up. A ``None`` in
    ``sys.modules`` makes ``import ssl`` fail as if Python had been built without it, which
    asyncio expects. Call it before anything imports asyncio (the CLI does, first thing when
    the TUI starts; tests/test_start_imports.py imports every module of the app after it). Does
    nothing, and returns False, if ``ssl`` or asyncio is loaded already.
    """
    modules: dict[str, Any] = sys.modules  # None: "not available", as importlib reads it
    if "ssl" in modules or "asyncio" in modules:
        return False
    modules["ssl"] = None
    return True
