"""A section that is not built yet says so plainly, in the section's own name.

Used for the roster, patrols and training until their screens exist, so that the keys, the
header and the footer already work the way they will.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Label

from screens.shell.base import SectionScreen
from screens.shell.session import Session
from store.i18n import _


class ComingSoonScreen(SectionScreen):
    """The placeholder screen of a section (its mode's base screen)."""

    def __init__(self, session: Session, title: str, mode: str) -> None:
        super().__init__(session, title, id=f"{mode}-coming")

    def compose_body(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(
                _("{section}: this section is coming soon.").format(section=self.section_title),
                id="coming-soon",
                markup=False,
            )
