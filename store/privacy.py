"""What a role may see of the records where people's phones, addresses and free text live.

Volunteers work the roster at shared terminals, often with someone looking over their
shoulder, so they see phones masked (138****0001) and no address, whereabouts, contact person
or free text: a member's notes and a contact's note are where addresses, new phone numbers and
health end up ("上门 新住址 9栋3单元801"). A volunteer sees their own record, and the contacts
logged with them, whole.

:func:`withheld` is that rule, written once: which fields of which table a role does not see,
and how (masked or hidden). Everything that shows or searches such records goes through
:func:`visible` (or its names :func:`member_view` and :func:`contact_view`): the member screens,
the contact log (:func:`store.contacts.ops.for_member`), the roster search (searching the
visible view means hidden digits or text cannot be found by trying), and the change log
(:func:`read_changes`, :func:`change_view`). The roles that may import a spreadsheet (whose
warnings quote cells) or read the change log are roles that see everything; a test keeps it so.
The roster, which lists compact summaries rather than records (store/members/summary.py), asks
the same rule through :func:`sees_whole`, :func:`phone_for` and :func:`search_blob`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from store.actor import Actor
from store.parse import mask_phone
from store.permissions import Action, allowed, require

if TYPE_CHECKING:
    from store.members.summary import MemberSummary

How = Literal["mask", "hide"]

PRIVATE: Mapping[str, Mapping[str, How]] = {
    "members": {
        "phone": "mask",
        "contact_phone": "mask",
        "building": "hide",
        "unit": "hide",
        "room": "hide",
        "address": "hide",
        "whereabouts": "hide",
        "contact_person": "hide",
        "notes": "hide",
        "workplace": "hide",
        "id_number": "mask",
    },
    "contacts": {"note": "hide"},
}
"""Per table, each field a role without :attr:`Action.SEE_CONTACT_DETAILS` does not see whole."""

HIDDEN = "_hidden"
"""The key of a view listing the fields whose text it left out (screens say "(hidden)")."""

_OWNER = {"members": "id", "contacts": "member_id"}  # the field naming whose record it is


def withheld(table: str, doc: Mapping[str, Any], actor: Actor) -> Mapping[str, How]:
    """The one rule: the fields of ``doc`` (a record of ``table``) ``actor`` may not see whole.

    Empty for coordinators and admins, and for a volunteer's own member record and the
    contacts logged with them.
    """
    if allowed(actor, Action.SEE_CONTACT_DETAILS):
        return {}
    owner = _OWNER.get(table)
    if actor.member_id is not None and owner is not None and doc.get(owner) == actor.member_id:
        return {}
    return PRIVATE.get(table, {})


def visible(table: str, doc: Mapping[str, Any], actor: Actor) -> Mapping[str, Any]:
    """``doc`` as ``actor`` may see it: the record itself, or a copy with fields withheld.

    The copy keeps every other field (id, version, name, search keys), so screens and the
    search use it like the record; :data:`HIDDEN` lists the fields whose text was left out.
    """
    rules = withheld(table, doc, actor)
    if not rules:
        return doc
    view = dict(doc)
    hidden = []
    for key, how in rules.items():
        value = view.get(key)
        if not value:
            continue
        if how == "mask" and isinstance(value, str):
            view[key] = mask_phone(value)
        else:
            view[key] = ""
            hidden.append(key)
    view[HIDDEN] = tuple(hidden)
    return view


def hidden_in(view: Mapping[str, Any]) -> frozenset[str]:
    """The fields whose text :func:`visible` left out of ``view`` (none for a whole record)."""
    found = view.get(HIDDEN)
    return frozenset(found) if isinstance(found, tuple | list) else frozenset()


def member_view(doc: Mapping[str, Any], actor: Actor) -> Mapping[str, Any]:
    """A member as ``actor`` may see them (see :func:`visible`)."""
    return visible("members", doc, actor)


def contact_view(doc: Mapping[str, Any], actor: Actor) -> Mapping[str, Any]:
    """A logged contact as ``actor`` may see it: for a volunteer, date, method, who, no note."""
    return visible("contacts", doc, actor)


def change_view(entry: Mapping[str, Any], actor: Actor) -> Mapping[str, Any]:
    """A change log entry with its before and after values as ``actor`` may see them."""
    table = str(entry.get("table") or "")
    if not withheld(table, {}, actor):
        return entry
    shown = dict(entry)
    for side in ("before", "after"):
        values = entry.get(side)
        if isinstance(values, Mapping):
            # A diff carries no owner field: the rule applies as to someone else's record.
            shown[side] = {k: v for k, v in visible(table, values, actor).items() if k != HIDDEN}
    return shown


def read_changes(
    path: Path, actor: Actor, last_tx: object = None, *, newest_first: bool = False
) -> Iterator[Mapping[str, Any]]:
    """The change log at ``path`` for a person at the keyboard: only for a role that may read
    it, and each before and after as that role may see the record (:func:`change_view`).

    ``last_tx`` is the data file's ``_meta.last_tx`` (see :func:`store.engine.audit.read`).
    ``newest_first`` reads from the log's end only as far as the caller iterates
    (:func:`store.engine.audit_tail.newest`): a screen showing a page reads a page."""
    from store.engine import audit, audit_tail

    require(actor, Action.VIEW_AUDIT)
    entries = audit_tail.newest(path, last_tx) if newest_first else audit.read(path, last_tx)
    return (change_view(entry, actor) for entry in entries)


def can_see_details(actor: Actor) -> bool:
    """Whether ``actor`` sees phones, addresses and free text whole (no column is hidden)."""
    return allowed(actor, Action.SEE_CONTACT_DETAILS)


# -- the compact read model (store/members/summary.py): the same rule, for a summary ----------


def sees_whole(actor: Actor, member_id: str) -> bool:
    """Whether ``actor`` sees this member's phone and address (:func:`withheld` is empty)."""
    return not withheld("members", {"id": member_id}, actor)


def phone_for(actor: Actor, member_id: str, phone: str) -> str:
    """A member's phone as ``actor`` may see it (masked, 138****0001, when not allowed)."""
    return phone if not phone or sees_whole(actor, member_id) else mask_phone(phone)


def search_blob(member: MemberSummary, actor: Actor) -> str:
    """What ``actor``'s roster search may match in a member, as searching :func:`member_view`
    would: everything, or the name, its pinyin and the masked phone (never a hidden phone's
    digits or the address)."""
    from store.members.search_keys import SEPARATOR, fold

    if sees_whole(actor, member.id):
        return member.blob
    parts = [member.name_blob]
    if member.phone:  # its visible pieces, as search_text has them: no match spans the ****
        parts.extend(fold(piece) for piece in mask_phone(member.phone).split("*"))
    return SEPARATOR.join(dict.fromkeys(part for part in parts if part))
