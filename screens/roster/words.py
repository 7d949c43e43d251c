"""What the roster says in words: short column words, labels for filters, and the delete
question. Textual-free, like :mod:`screens.roster.view`, which builds the rows."""

from __future__ import annotations

from store.engine.database import Database
from store.enums import Category, Gender, Management, MemberStatus, coerce, label
from store.errors import StoreError
from store.i18n import N_, _, join_list, ngettext
from store.members.belongings import Belongings, belongings
from store.textsafe import clean_line

# Short column words (the full labels, "Mobile (moved in)", do not fit a column at 80x24).
GENDER_SHORT = {Gender.MALE: N_("M"), Gender.FEMALE: N_("F")}
CATEGORY_SHORT = {
    Category.IN_SERVICE: N_("In service"),
    Category.RETIRED: N_("Retired"),
    Category.MOBILE_IN: N_("Moved in"),
    Category.MOBILE_OUT: N_("Away"),
    Category.OTHER: N_("Other"),
}
MANAGEMENT_SHORT = {
    Management.DIRECT: N_("Direct"),
    Management.ENTRUSTED: N_("Entrusted"),
    Management.ASSISTED: N_("Assisted"),
}


def category_label(value: str) -> str:
    """A category's short word ("Retired", "退休"); the value itself if unknown."""
    found = coerce(Category, value)
    return _(CATEGORY_SHORT[found]) if found else clean_line(value)


def management_label(value: str) -> str:
    """A management mode's short word."""
    found = coerce(Management, value)
    return _(MANAGEMENT_SHORT[found]) if found else clean_line(value)


def status_label(value: str) -> str:
    """A status in words ("Archived")."""
    found = coerce(MemberStatus, value)
    return label(found) if found else clean_line(value)


def gender_label(value: str) -> str:
    """A gender's short column word ("M", "男")."""
    found = coerce(Gender, value)
    return _(GENDER_SHORT[found]) if found else ""


def deletion_question(name: str, member_id: str, db: Database) -> str:
    """The delete dialog's question: exactly what goes with the member, and what stays.

    Counted from the file as it is (a file that can't be read now fails the delete itself).
    """
    try:
        things = belongings(db.snapshot(), member_id)
    except StoreError:
        things = Belongings()
    removed = things.removed()
    if removed:
        question = _(
            "Delete {name} for good? Removed with no way back (the change log keeps a copy): "
            "their record, {what}."
        ).format(name=name, what=join_list(removed))
    else:
        question = _(
            "Delete {name} for good? Their record is removed and cannot be brought back "
            "(the change log keeps a copy)."
        ).format(name=name)
    if things.accounts:
        question += " " + ngettext(
            "{count} account linked to them stays, unlinked.",
            "{count} accounts linked to them stay, unlinked.",
            things.accounts,
        ).format(count=things.accounts)
    return question
