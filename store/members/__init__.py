"""The member roster: the member model, its validation, its operations (add, update, archive,
restore, delete for good, duplicates, search), pinyin search keys, and spreadsheet import/export.

- model: :class:`Member`, ``age``, ``format_address``, ``field_label``
- validation: ``validate_member``, ``split_address``
- ops: what a screen or the CLI does to members, in a transaction
- search_keys: pinyin keys computed when a name is written
- importing / exporting: CSV and XLSX in and out
"""
