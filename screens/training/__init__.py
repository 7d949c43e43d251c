"""Section 4, training: sessions, the attendance checklist, study hours against the
requirement, and certificates."""
