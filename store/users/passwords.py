"""PINs and passwords: what counts as one, and argon2id hashes that carry their own parameters.

The parameters (RFC 9106's / OWASP's second recommendation: 19 MiB, 2 passes, 1 lane) make one
hash or verify cost about 27 ms on this project's 2-core machines, so a login stays well under a
second on a Raspberry Pi, while each guess at a stolen file still costs 19 MiB of memory. They
are written into every hash (``$argon2id$v=19$m=19456,t=2,p=1$...``), so raising them later only
makes :func:`needs_rehash` true: old hashes keep verifying and are upgraded at the next login.

argon2 is imported inside the functions: nothing on the start-up path needs it.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from store.errors import ValidationError
from store.i18n import _

if TYPE_CHECKING:
    from argon2 import PasswordHasher

TIME_COST = 2
MEMORY_COST = 19456  # KiB
PARALLELISM = 1
HASH_LEN = 32
SALT_LEN = 16

PIN_MIN, PIN_MAX = 4, 12
PASSWORD_MIN, PASSWORD_MAX = 8, 64

# The hash of a random secret nobody knows, with the parameters above (a test keeps them in
# step). A login for an unknown username verifies against it, so it costs the same hash work
# as a real one and its timing does not tell who has an account.
DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$kQ7P2Y03pjsOjpZreark7Q"
    "$Flh20bg5yCXiyACJ4nFaNJ952SjlRgp6U07uIy9TNWM"
)

_hasher: PasswordHasher | None = None


def _ph() -> PasswordHasher:
    global _hasher  # noqa: PLW0603 - one hasher per process, built on first use
    if _hasher is None:
        from argon2 import PasswordHasher, Type

        _hasher = PasswordHasher(
            time_cost=TIME_COST,
            memory_cost=MEMORY_COST,
            parallelism=PARALLELISM,
            hash_len=HASH_LEN,
            salt_len=SALT_LEN,
            type=Type.ID,
        )
    return _hasher


def normalise(secret: str) -> str:
    """The form a secret is hashed in: NFKC (full-width digits and letters from a Chinese IME
    become ASCII) without surrounding whitespace, so "１２３４ " and "1234" are the same PIN."""
    return unicodedata.normalize("NFKC", secret).strip()


def validate_secret(secret: object) -> str:
    """A PIN of 4-12 digits or a password of 8-64 characters, normalised; else ValidationError.

    Anything made only of digits is a PIN and needs 4 to 12 of them (a 13-digit one is too long
    to type reliably, and 4-11 digits would be a weak password). Controls are refused: they
    cannot be typed the same way twice.
    """
    text = normalise(secret) if isinstance(secret, str) else ""
    if not text:
        raise ValidationError({"pin": _("Enter a PIN of 4 to 12 digits, or a password.")})
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValidationError({"pin": _("A PIN or password cannot contain control characters.")})
    if text.isascii() and text.isdigit():
        if not PIN_MIN <= len(text) <= PIN_MAX:
            raise ValidationError({"pin": _("A PIN has 4 to 12 digits.")})
        return text
    if len(text) < PASSWORD_MIN:
        raise ValidationError(
            {"pin": _("A password needs at least 8 characters (or use a PIN of 4 to 12 digits).")}
        )
    if len(text) > PASSWORD_MAX:
        raise ValidationError({"pin": _("A password can have at most 64 characters.")})
    return text


def hash_secret(secret: str) -> str:
    """The argon2id hash of an already validated secret, parameters and salt included."""
    return _ph().hash(secret)


def _usable(stored: str) -> bool:
    """Whether ``stored`` is an argon2 hash we are willing to verify against.

    An empty or hand-edited hash must still cost one verify (of the dummy), and a hash
    demanding absurd memory must not let a file edit stall every login.
    """
    from argon2 import extract_parameters
    from argon2.exceptions import InvalidHashError

    try:
        params = extract_parameters(stored)
    except (InvalidHashError, ValueError):
        return False
    return params.memory_cost <= 1 << 20 and params.time_cost <= 16


def verify(stored: str, secret: str) -> bool:
    """Whether ``secret`` matches ``stored``; always exactly one argon2 verify.

    An unusable stored hash is replaced by :data:`DUMMY_HASH` so the work (and the time) is the
    same as for a real account; the answer is then always False.
    """
    from argon2.exceptions import VerificationError

    usable = _usable(stored)
    try:
        matched = _ph().verify(stored if usable else DUMMY_HASH, normalise(secret))
    except VerificationError:  # includes VerifyMismatchError
        return False
    return usable and matched


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than today's (upgrade at login)."""
    from argon2.exceptions import InvalidHashError

    try:
        return _ph().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True
