"""The storage engine: bytes on disk, the lock, the parse cache, transactions, the change log,
migrations, backups and the integrity check. It knows records and tables, never what a member or a
shift is: the domain packages beside it build on it, never the other way round.

- database: :class:`Database` (one file shared by many processes), ``open_database``
- transaction: :class:`Transaction` (the record-level API inside a lock), :class:`Snapshot`
- storage: atomic writes, the stat-keyed parse cache; files: modes, groups, folders
- audit: the change log; backups; migrations: the schema version; check: ``shequ check``
"""
