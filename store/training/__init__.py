"""Training records: sessions with attendance, and certificates.

- model: :class:`TrainingSession`, :class:`Attendance`, :class:`Certificate`
- validation: ``validate_training``, ``validate_certificate``
"""
