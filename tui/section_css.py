"""Each part of the app's stylesheet read when a screen that uses it is first shown.

Textual parses every stylesheet the App names before the first frame; the patrols, training,
member and import/export files (378 of our 668 lines of CSS) style screens that a volunteer
who signs in to look something up in the roster never opens. They are read when the first
screen of their package is shown (:func:`load_for`), and the new rules are parsed alone
(tui/stylesheet.py): the screens already shown are not styled again, as no rule in these files
reaches outside its package's screens (the member page's ``#patrols-heading`` takes a rule
from patrols.tcss, so the member package reads that file too).
"""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

STYLES = Path(__file__).resolve().parent / "styles"
AT_START = ("app.tcss", "roster.tcss")
"""Read before the first frame: the shell (login, lock, dialogs, help, dashboard, manage) and
the roster (whose file also styles the shell's TypeToConfirmDialog)."""

BY_PACKAGE = {
    "screens.member": ("member.tcss", "member_form.tcss", "patrols.tcss"),
    "screens.patrols": ("patrols.tcss",),
    "screens.training": ("training.tcss",),
    "screens.transfer": ("transfer.tcss",),
}
"""The files each package's screens need, read when the first of them is shown."""


def load_for(stylesheet: Stylesheet, screen: Screen[object]) -> bool:
    """Add the files ``screen``'s package needs to ``stylesheet`` if they are not in it yet;
    whether any was added (the screen itself, styled already, is then styled again)."""
    module = type(screen).__module__
    added = False
    for package, names in BY_PACKAGE.items():
        if module.startswith(package + "."):
            for name in names:
                path = STYLES / name
                if not stylesheet.has_source(str(path), ""):
                    stylesheet.read(path)
                    added = True
    return added
