"""``python -m tui.cli``: the same as the ``shequ`` command (the tests run it this way)."""

from tui.cli.main import main

raise SystemExit(main())
