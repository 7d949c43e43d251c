"""Accounts: who may log in, their role, PIN or password hashes and the lockout.

- model: :class:`User`; validation: ``validate_user``, ``validate_username``
- ops: authenticate, first admin, add, reset, disable; passwords: argon2id hashing
"""
