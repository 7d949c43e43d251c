"""argparse's own words ("usage:", "options:", its error messages) in the user's language.

argparse translates through gettext: it does ``from gettext import gettext as _, ngettext`` at
import and calls those module-level names for every word it prints. They look in the process's
global gettext domain, chosen from the environment, not in ours, chosen by ``--lang``; so
:func:`install` points argparse's two names at :mod:`store.i18n`, and the words below are in
our catalog. They are marked here with ``N_`` so that extraction, and the catalog-completeness
test, cover them. The msgids are argparse's exactly (Python 3.11); a future Python that rewords
one only falls back to English for that word.
"""

from __future__ import annotations

import argparse

from store import i18n
from store.i18n import N_, ngettext

# Every message argparse may show a person (not the ones for programming mistakes).
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _plural_words() -> None:
    """Never called: marks argparse's one plural message for extraction."""
    ngettext("expected %s argument", "expected %s arguments", 2)


def install() -> None:
    """Make argparse look its words up in our catalog, in the language in use."""
    # typeshed does not declare argparse's private gettext names; they are plain module globals.
    vars(argparse).update(_=i18n._, ngettext=i18n.ngettext)
