"""What each role may do, enforced in the store so no key or command can get around it.

The UI asks :func:`allowed` to hide what a role can't do; every mutating store call asks
:func:`require`, which refuses with a sentence the UI can show as it is.
"""

from __future__ import annotations

from enum import StrEnum

from store.actor import Actor, Role
from store.errors import PermissionDenied
from store.i18n import N_, _


class Action(StrEnum):
    """Things a person can do that not every role may."""

    EDIT_MEMBERS = "edit_members"
    DELETE_MEMBERS = "delete_members"
    SEE_CONTACT_DETAILS = "see_contact_details"
    EXPORT = "export"
    IMPORT = "import"
    EDIT_SCHEDULE = "edit_schedule"
    CHECK_IN = "check_in"
    CHECK_IN_OTHERS = "check_in_others"
    SWAP_SHIFTS = "swap_shifts"
    EDIT_TRAINING = "edit_training"
    SEE_TRAINING = "see_training"  # everyone's hours, attendance and certificates
    MANAGE_USERS = "manage_users"
    EDIT_SETTINGS = "edit_settings"
    RESTORE = "restore"
    VIEW_AUDIT = "view_audit"


_COORDINATOR = frozenset(
    {
        Action.EDIT_MEMBERS,
        Action.SEE_CONTACT_DETAILS,
        Action.EXPORT,
        Action.IMPORT,
        Action.EDIT_SCHEDULE,
        Action.CHECK_IN,
        Action.CHECK_IN_OTHERS,
        Action.SWAP_SHIFTS,
        Action.EDIT_TRAINING,
        Action.SEE_TRAINING,
        Action.VIEW_AUDIT,
    }
)

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.COORDINATOR: _COORDINATOR,
    Role.VOLUNTEER: frozenset({Action.CHECK_IN, Action.SWAP_SHIFTS}),
}

_REFUSALS: dict[Action, str] = {
    Action.EDIT_MEMBERS: N_("Only coordinators and admins can change the roster."),
    Action.DELETE_MEMBERS: N_("Only an admin can delete a member for good; archive instead."),
    Action.SEE_CONTACT_DETAILS: N_("Only coordinators and admins can see phones and addresses."),
    Action.EXPORT: N_("Only coordinators and admins can export data."),
    Action.IMPORT: N_("Only coordinators and admins can import data."),
    Action.EDIT_SCHEDULE: N_("Only coordinators and admins can change the patrol schedule."),
    Action.CHECK_IN: N_("You can only check in for your own shifts."),
    Action.CHECK_IN_OTHERS: N_("Only coordinators and admins can check in other people."),
    Action.SWAP_SHIFTS: N_("You can only offer or take shifts as yourself."),
    Action.EDIT_TRAINING: N_("Only coordinators and admins can change training records."),
    Action.SEE_TRAINING: N_(
        "Only coordinators and admins can see other members' training records."
    ),
    Action.MANAGE_USERS: N_("Only an admin can manage user accounts."),
    Action.EDIT_SETTINGS: N_("Only an admin can change settings."),
    Action.RESTORE: N_("Only an admin can restore a backup."),
    Action.VIEW_AUDIT: N_("Only coordinators and admins can read the change log."),
}


def allowed(actor: Actor, action: Action) -> bool:
    """Whether ``actor``'s role permits ``action``."""
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def refusal(actor: Actor, action: Action) -> str | None:
    """The sentence that says why ``actor``'s role may not do ``action``; None if it may."""
    return None if allowed(actor, action) else _(_REFUSALS[action])


def require(actor: Actor, action: Action) -> None:
    """Refuse with a clear PermissionDenied unless ``actor`` may do ``action``."""
    refused = refusal(actor, action)
    if refused is not None:
        raise PermissionDenied(refused)
