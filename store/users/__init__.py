"""Accounts: who may log in, their role, PIN or password hashes and the lockout.

- model: :class:`User`; validation: ``validate_user``, ``validate_username``
- ops: authenticate and the lockout, and the one import for every users' store call below
- records: reading accounts (no hash); accounts: first admin, add, reset, disable, unlock
- passwords: argon2id hashing
"""
