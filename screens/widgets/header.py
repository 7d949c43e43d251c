"""The one-line header every section shows: the community's name and where you are.

No clock and nothing that changes by itself: every repaint costs bytes on a slow link.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from store.textsafe import clean_line

SEPARATOR = " · "


class SectionHeader(Widget):
    """``<community name> · <section>``; the community name is user data, shown literally."""

    DEFAULT_CSS = """
    SectionHeader {
        dock: top;
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    """

    community: reactive[str] = reactive("")
    section: reactive[str] = reactive("")

    def __init__(self, section: str, community: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(SectionHeader.section, section)
        self.set_reactive(SectionHeader.community, community)

    def render(self) -> Content:
        community = clean_line(self.community)
        if not community:
            return Content(self.section)
        return Content(community + SEPARATOR + self.section)
