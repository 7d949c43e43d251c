"""What a role may see of a member on a shared screen.

Volunteers work the roster at shared terminals, often with someone looking over their
shoulder, so they see phones masked (138****0001) and no address, whereabouts, contact person
or notes (free text, where addresses and health end up). Their own record they see whole.
Every screen, and the roster search, shows members through :func:`member_view` (a whole
record) or :func:`sees_whole`, :func:`phone_for` and :func:`search_blob` (a compact summary,
store/members/summary.py): searching the masked view means digits of a hidden phone cannot be
found by trying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from store.actor import Actor
from store.members.search_keys import SEPARATOR, fold
from store.parse import mask_phone
from store.permissions import Action, allowed

if TYPE_CHECKING:
    from store.members.summary import MemberSummary

MASKED_PHONES = ("phone", "contact_phone")
HIDDEN = ("building", "unit", "room", "address", "whereabouts", "contact_person", "notes")


def member_view(doc: Mapping[str, Any], actor: Actor) -> Mapping[str, Any]:
    """``doc`` as ``actor`` may see it: the record itself, or a copy with details hidden.

    The copy keeps every other field (id, version, name, search keys), so screens and the
    search index use it like the record.
    """
    if allowed(actor, Action.SEE_CONTACT_DETAILS) or (
        actor.member_id is not None and doc.get("id") == actor.member_id
    ):
        return doc
    view = dict(doc)
    for key in MASKED_PHONES:
        value = view.get(key)
        if isinstance(value, str) and value:
            view[key] = mask_phone(value)
    for key in HIDDEN:
        if view.get(key):
            view[key] = ""
    return view


def can_see_details(actor: Actor) -> bool:
    """Whether ``actor`` sees phones and addresses whole (the UI hides their columns if not)."""
    return allowed(actor, Action.SEE_CONTACT_DETAILS)


def sees_whole(actor: Actor, member_id: str) -> bool:
    """Whether ``actor`` sees this member's phone and address (their role, or their own)."""
    return allowed(actor, Action.SEE_CONTACT_DETAILS) or (
        actor.member_id is not None and member_id == actor.member_id
    )


def phone_for(actor: Actor, member_id: str, phone: str) -> str:
    """A member's phone as ``actor`` may see it (masked, 138****0001, when not allowed)."""
    return phone if not phone or sees_whole(actor, member_id) else mask_phone(phone)


def search_blob(member: MemberSummary, actor: Actor) -> str:
    """What ``actor``'s search may match in a member: everything, or the name, its pinyin and
    the masked phone (never a hidden phone's digits or the address)."""
    if sees_whole(actor, member.id):
        return member.blob
    parts = [member.name_blob]
    if member.phone:
        parts.append(fold(mask_phone(member.phone)))
    return SEPARATOR.join(part for part in parts if part)
