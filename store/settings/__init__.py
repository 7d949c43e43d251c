"""The one settings record: community name, study-hour targets, contact and lock timings.

- model: :class:`Settings`; validation: ``validate_settings``; ops: ``current``, ``update``
"""
