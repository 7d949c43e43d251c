"""The one-line header every section shows: the community, where you are and who is logged in.

No clock and nothing that changes by itself: every repaint costs bytes on a slow link. The
user is shown at the right, so whoever sits down at a shared terminal sees whose session it is;
when the line is too narrow the community's name gives way first.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from store.textsafe import clean_line

SEPARATOR = " · "
GAP = 2


class SectionHeader(Widget):
    """``<community> · <section>      <user (role)>``; community and user are user data."""

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
    user: reactive[str] = reactive("")

    def __init__(
        self, section: str, community: str = "", *, user: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.set_reactive(SectionHeader.section, section)
        self.set_reactive(SectionHeader.community, community)
        self.set_reactive(SectionHeader.user, user)

    def render(self) -> Content:
        community = clean_line(self.community)
        left = community + SEPARATOR + self.section if community else self.section
        user = clean_line(self.user)
        if not user:
            return Content(left)
        width = self.content_region.width or self.size.width
        room = width - cell_len(user) - GAP
        if room < cell_len(self.section):
            left = self.section  # too narrow for both: where you are matters more
        if room <= 0:
            return Content(user)
        left_content = Content(left).truncate(room, ellipsis=True)
        padding = " " * max(GAP, width - left_content.cell_length - cell_len(user))
        return Content.assemble(left_content, padding, user)
