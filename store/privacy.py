"""What a role may see of a member on a shared screen.

Volunteers work the roster at shared terminals, often with someone looking over their
shoulder, so they see phones masked (138****0001) and no address, whereabouts, contact person
or notes (free text, where addresses and health end up). Their own record they see whole.
Every screen, and the roster search, shows members through :func:`member_view`: searching
the masked view means digits of a hidden phone cannot be found by trying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.actor import Actor
from store.parse import mask_phone
from store.permissions import Action, allowed

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
