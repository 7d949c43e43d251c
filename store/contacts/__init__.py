"""The contact log: when someone reached a member, and the due/overdue rule built on it.

- model: :class:`Contact`; validation: ``validate_contact``
- ops: add and delete contacts, ``contact_state``, ``lapsing``
"""
