"""The volunteer patrol team: teams, zones, shifts, weekly templates, swaps and hours.

- model / validation: the records and how input becomes them
- reads: every read, as functions over a Snapshot returning models
- ops: teams, zones, shifts; assign: put people on (with the rules), check-in, the assign list
- rules: clashes, days in a row, hours in a day, who may patrol, fairness
- recurrence (which dates) and templates (their operations); swaps; hours
- exporting: .ics (ics.py), CSV and the printable weekly sheet (sheet.py); weeks: 2026-W49
"""
