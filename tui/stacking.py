"""Nothing under an opaque screen is drawn: a key on a screen opened over another (a member
over the roster, a checklist over the sessions, a shift over the week) repaints only what
changed, not the whole terminal.

Textual counts the screen right under the top one as visible whatever the top screen's
background (``App._background_screens``), and since 8.x a visible background screen asks for
a repaint of itself after each of its own repaints: on every idle moment, that is after each
key, the screen under the top one marked the whole terminal dirty, and every key cost a full
frame (the attendance checklist: 12 KB per key where the roster's list costs well under 1 KB;
on a 64 kbit/s link most of two seconds). A top screen with an opaque background hides
everything under it, so under one nothing counts as visible; under a dialog (whose background
lets the screen below show through) Textual's rule stands.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


class OpaqueStackApp(App[None]):
    """An App whose screens under an opaque top screen are not drawn (see the module)."""

    @property
    def _background_screens(self) -> list[Screen[Any]]:
        stack = self._screen_stack
        if stack and stack[-1].styles.background.a >= 1:
            return []
        return super()._background_screens
