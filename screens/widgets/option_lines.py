"""The base of our option lists: the ``text-style: reverse`` a stylesheet asks for reaches the
terminal under ``NO_COLOR``.

Textual 8.2 draws an OptionList's lines in the style :meth:`Widget.get_visual_style` builds
from the CSS, which keeps bold, dim, italic, underline and strike but drops reverse (so even
Textual's own ``:nocolor`` rules for its lists ask for it in vain). In colour the highlighted
line still shows by the cursor's colours; under ``NO_COLOR`` those become two close greys and
only the bold was left. Here reverse is added back when the app has no colour, so the cursor
line is reversed on any terminal; in colour nothing changes (the highlighted line keeps the
theme's cursor colours and bold, not their swap). docs/TEXTUAL_NO_COLOR.md has the fault, its
reproduction and when this can go; the command palette's list, which is Textual's, is
underlined by the App's stylesheet instead.
"""

from __future__ import annotations

from textual.style import Style as VisualStyle
from textual.widgets import OptionList

REVERSE = VisualStyle(reverse=True)


class OptionLines(OptionList):
    """An OptionList that keeps its CSS's reverse under ``NO_COLOR`` (see the module), and
    asks for it on the focused list's cursor line, so every list shows it alike."""

    DEFAULT_CSS = """
    OptionLines:focus > .option-list--option-highlighted {
        text-style: bold reverse;
    }
    """

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> VisualStyle:
        style = super().get_visual_style(*component_classes, partial=partial)
        if self.app.no_color and any(
            self.get_component_styles(name).text_style.reverse for name in component_classes
        ):
            return style + REVERSE
        return style
