"""No test module imports another: shared setup lives in helper modules.

A test module that imports from another (``from tests.screens.test_roster import open_roster``)
ties the two together: renaming a helper in one breaks the other, a private ``_same`` ends up
used elsewhere, and moving a test moves what others stand on. Shared setup belongs in a helper
module (``tests/screens/helpers.py``, ``roster_helpers.py``, ``tests/e2e/cli.py``...), shared
fixtures in a ``conftest.py``. This reads every module under tests/ as a syntax tree and
refuses an import of any module named ``test_*``.
"""

from __future__ import annotations

import ast

import pytest

from tests.paths import ROOT

TESTS = ROOT / "tests"


def imports_of_test_modules(source: str, package: str) -> list[tuple[int, str]]:
    """The lines of ``source`` (a module in ``package``) that import a test module, and what."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join(
                [*(base if node.level else []), *([node.module] if node.module else [])]
            )
            # ``from tests.screens import test_roster`` names the module among the names.
            targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, t) for t in targets if t.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_no_test_module_imports_another() -> None:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(ROOT)
        package = ".".join(relative.parent.parts)
        for line, module in imports_of_test_modules(path.read_text(encoding="utf-8"), package):
            found.append(f"{relative}:{line} imports {module}")
    assert not found, "move what they share into a helper module:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from tests.screens.test_roster import open_roster",
        "def f():\n    from tests.screens.test_footer import check_footer",
        "import tests.e2e.test_cli",
        "from . import test_roster",
        "from tests.screens import helpers, test_roster",
        "from .test_roster import ADMIN",
        "from ..screens.test_jump import jump",
    ],
)
def test_the_scan_catches_an_import_of_a_test_module(source: str) -> None:
    assert imports_of_test_modules(source, "tests.screens"), source


@pytest.mark.parametrize(
    "source",
    [
        "from tests.screens.roster_helpers import open_roster",
        "from tests.screens.helpers import SIZE, check_footer",
        "import tests.e2e.cli",
        "from . import helpers",
        "from textual.widgets import Footer",
        "from tests.store.patrol_data import ADMIN  # test_patrols_export had it",
    ],
)
def test_the_scan_lets_helper_modules_be_imported(source: str) -> None:
    assert imports_of_test_modules(source, "tests.screens") == []
