"""The ``shequ`` command line.

- main: the parser, the entry point (``shequ = tui.cli.main:main``), starting the app, and the
  whole-file commands (demo, check, backup, restore)
- common: what the subcommands share (a database that must exist, tables that line up)
- members, transfer (import/export), users: one module per group of subcommands
- output: stdout/stderr that cannot be written never end in a traceback; the exit codes
- argparse_i18n: argparse's own words from our catalog
Subcommand modules import ``common`` and ``output``, never ``main``, which imports them.
"""
