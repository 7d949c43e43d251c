"""The volunteer patrol team: teams, zones, shifts and recurring shift templates.

- model: :class:`Team`, :class:`Zone`, :class:`Shift`, :class:`ShiftTemplate`, ``shift_hours``
- validation: ``validate_team``, ``validate_zone``, ``validate_shift``, ``validate_shift_template``
"""
