"""Key bindings whose descriptions follow the language chosen at start-up.

Textual builds a class's bindings when the class is created, long before the language is known
(and tests start the app in Chinese and in English in one process), so ``BINDINGS`` here hold
English msgids marked with ``N_`` and every node translates its own copy when it is created with
:func:`translate_bindings`. The footer, the help screen and the command palette then all show
the translated text.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from store.i18n import N_, _

# Descriptions of bindings that Textual itself defines on screens and widgets we use, marked here
# so the catalog carries them; translate_bindings and the help screen look them up by msgid.
TEXTUAL_DESCRIPTIONS = (
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    # Input's (every form field, search box, the login and the lock): help lists them.
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character right"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
)


def translated(binding: Binding) -> Binding:
    """``binding`` with its description, tooltip and group label in the current language."""
    group = binding.group
    if group is not None and group.description:
        group = dataclasses.replace(group, description=_(group.description))
    return dataclasses.replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


def translate_bindings(node: DOMNode) -> None:
    """Translate the bindings of one node (an App, Screen or Widget) in place.

    Call from ``__init__``, after ``super().__init__()``. Each node owns a shallow copy of its
    class's bindings map; we replace the lists in that copy and never touch the class's.
    """
    bindings = node._bindings  # Textual keeps no public setter for a node's own bindings.
    bindings.key_to_bindings = {
        key: [translated(binding) for binding in key_bindings]
        for key, key_bindings in bindings.key_to_bindings.items()
    }
