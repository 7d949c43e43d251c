"""The test suite, the Makefile and CI read nothing from outside the checkout.

A clone in an empty folder must pass ``make test``: a test that reads the folder ``shared``
beside the checkout, climbs above the repository from ``__file__`` or names a developer's own
folder passes on the developers' machines and fails for everyone else. This scans tests/, the
Makefile, .ci/ and pyproject.toml for such paths. Its own module is left out: it holds the bad
examples that prove the scan catches them.

Python is read as a syntax tree: how far an expression climbs from ``__file__`` is followed
through ``.parent``, ``.parents[N]``, ``os.path.dirname`` and module-level names (also names
imported from other test modules, such as ``ROOT``), and any ``..`` segment in a string is
refused outright. Shell and make text is read line by line: a ``..`` path is resolved against
the repository root (``$(dirname "$0")`` standing for the script's folder).
"""

from __future__ import annotations

import ast
import posixpath
import re
from pathlib import Path

import pytest

from tests.paths import ROOT

SELF = Path(__file__).resolve()
# Where a developer's own files sit; a fresh machine has none of them. System tools (/usr,
# /bin, /proc, /dev, /run) and /tmp are the machine's, not the checkout's neighbours.
PRIVATE_TOPS = {"work", "home", "root", "srv", "opt", "mnt", "media"}
PARENT_SEGMENT = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)")
PRIVATE_PATH = re.compile(r"(?<![\w.$}])/(?:" + "|".join(sorted(PRIVATE_TOPS)) + r")(?:/|\b)")
SCRIPT_DIR = re.compile(
    r"\$\(\s*dirname\s+(?:\"\$0\"|\$0|\"\$\{BASH_SOURCE\[0\]\}\")\s*\)|\$\{0%/\*\}"
)
TEXT_PATH = re.compile(r"[\w.\-/$]*\.\.[\w.\-/]*")
HOME_USE = re.compile(r"(?<![\w])~/|\$\{?HOME\b")
DIRNAME = {"os.path.dirname", "path.dirname", "dirname"}
TEXT_SUFFIXES = {".sh", ".cfg", ".ini", ".toml", ".txt", ".mk"}


class _Climb(ast.NodeVisitor):
    """Follows path expressions rooted at ``__file__``; a depth below 0 is outside the root.

    Depth counts folders below the repository root: ``tests/paths.py`` itself is 2 deep, its
    ``.parent`` (tests/) 1, ``.parents[1]`` the root, 0.
    """

    def __init__(self, relative: Path, imported: dict[str, dict[str, int]]) -> None:
        self.file_depth = len(relative.parts)
        self.imported = imported
        self.names: dict[str, int] = {}
        self.found: list[tuple[int, str]] = []

    def depth(self, node: ast.expr) -> int | None:  # noqa: PLR0911 - one case per path form
        """How many folders below the root this expression points, if it is a known path."""
        match node:
            case ast.Name(id="__file__"):
                return self.file_depth
            case ast.Name(id=name):
                return self.names.get(name)
            case ast.Call(func=func, args=[arg]) if _called(func) in {"Path", "pathlib.Path"}:
                return self.depth(arg)
            case ast.Call(func=func, args=[arg]) if _called(func) in {
                "os.path.abspath",
                "os.path.realpath",
                "os.path.normpath",
            }:
                return self.depth(arg)
            case ast.Call(func=func, args=[arg]) if _called(func) in DIRNAME:
                return _minus(self.depth(arg), 1)
            case ast.Call(func=ast.Attribute(value=inner, attr="resolve" | "absolute")):
                return self.depth(inner)
            case ast.Attribute(value=inner, attr="parent"):
                return _minus(self.depth(inner), 1)
            case ast.Subscript(
                value=ast.Attribute(value=inner, attr="parents"), slice=ast.Constant(value=int(n))
            ):
                return _minus(self.depth(inner), n + 1)
            case ast.BinOp(left=left, op=ast.Div(), right=ast.Constant(value=str(part))):
                return _minus(self.depth(left), -len(Path(part).parts))
        return None

    def check(self, node: ast.expr) -> None:
        got = self.depth(node)
        if got is not None and got < 0:
            self.found.append((node.lineno, f"climbs {-got} above the repository root"))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        got = self.depth(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and got is not None:
                self.names[target.id] = got

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = self.imported.get(node.module or "", {})
        for alias in node.names:
            if alias.name in names:
                self.names[alias.asname or alias.name] = names[alias.name]

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.check(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.check(node)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.check(node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.check(node)
        self.generic_visit(node)


def _called(func: ast.expr) -> str:
    """``os.path.dirname`` for the call ``os.path.dirname(...)``; "" if not a dotted name."""
    match func:
        case ast.Name(id=name):
            return name
        case ast.Attribute(value=value, attr=attr):
            prefix = _called(value)
            return f"{prefix}.{attr}" if prefix else ""
    return ""


def _minus(depth: int | None, levels: int) -> int | None:
    return None if depth is None else depth - levels


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants: prose may name a folder beside the checkout to explain."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def python_escapes(
    source: str, relative: Path, imported: dict[str, dict[str, int]] | None = None
) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """What in a Python file points outside the root, and its module-level path names' depths."""
    tree = ast.parse(source)
    climb = _Climb(relative, imported or {})
    climb.visit(tree)
    found = list(climb.found)
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "pardir":
            found.append((node.lineno, "os.pardir"))
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in prose:
            continue
        if PARENT_SEGMENT.search(node.value) or node.value == "..":
            found.append((node.lineno, f"'..' in {node.value!r}"))
        if PRIVATE_PATH.match(node.value):
            found.append((node.lineno, f"a path outside the checkout: {node.value!r}"))
    return sorted(set(found)), climb.names


def text_escapes(text: str, relative: Path) -> list[tuple[int, str]]:
    """What in a Makefile or shell script points outside the root (run from the root)."""
    here = posixpath.dirname(relative.as_posix()) or "."
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#!") else ""
        code = SCRIPT_DIR.sub(here, code).replace("$(CURDIR)", ".")
        for token in TEXT_PATH.findall(code):
            if PARENT_SEGMENT.search(token) or token == "..":
                resolved = posixpath.normpath(token.lstrip("/") if token.startswith("/") else token)
                if token.startswith("/") or resolved == ".." or resolved.startswith("../"):
                    found.append((number, f"{token!r} leaves the repository"))
        if PRIVATE_PATH.search(code):
            found.append((number, "a path outside the checkout"))
        if HOME_USE.search(code):
            found.append((number, "reads the user's home folder"))
    return found


def scanned_files() -> list[Path]:
    files = [ROOT / "Makefile", ROOT / "pyproject.toml", *sorted((ROOT / ".ci").iterdir())]
    for path in sorted((ROOT / "tests").rglob("*")):
        if "__snapshots__" in path.parts or "__pycache__" in path.parts or path == SELF:
            continue
        if path.suffix == ".py" or path.suffix in TEXT_SUFFIXES:
            files.append(path)
    return [path for path in files if path.is_file()]


def _module_name(relative: Path) -> str:
    return ".".join(relative.with_suffix("").parts)


def test_nothing_reads_from_outside_the_checkout() -> None:
    files = scanned_files()
    assert ROOT / "Makefile" in files and ROOT / ".ci" / "run" in files
    assert ROOT / "tests" / "paths.py" in files
    python = [path for path in files if path.suffix == ".py"]
    # Modules whose names others import come first: tests.paths, then the rest in two rounds.
    depths: dict[str, dict[str, int]] = {}
    for _round in range(2):
        for path in python:
            relative = path.relative_to(ROOT)
            _, names = python_escapes(path.read_text(encoding="utf-8"), relative, depths)
            depths[_module_name(relative)] = names
    assert depths["tests.paths"]["ROOT"] == 0
    assert depths["tests.paths"]["FIXTURES"] == 2
    problems = []
    for path in files:
        relative = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            found, _ = python_escapes(text, relative, depths)
        else:
            found = text_escapes(text, relative)
        problems += [f"{relative}:{line}: {what}" for line, what in found]
    assert problems == []


def test_the_sample_rosters_are_in_the_checkout() -> None:
    from tests.paths import FIXTURES

    assert FIXTURES.is_relative_to(ROOT)
    for name in ("roster-utf8-bom.csv", "roster-gbk.csv", "roster-hostile.csv", "README.md"):
        assert (FIXTURES / name).is_file(), name
    assert (FIXTURES / "roster-utf8-bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")


TESTS_PY = Path("tests/store/test_x.py")
# The bad examples below are built from pieces, so a plain-text scan of this file finds no path
# out of the checkout (the before-stop check greps for them).
UP = "../"


@pytest.mark.parametrize(
    "source",
    [
        'FIXTURES = Path(__file__).resolve().parents[3] / "shared"',
        "SHARED = Path(__file__).parent.parent.parent.parent / " + '"shared"',
        "ROOT = Path(__file__).resolve().parents[2]\nSHARED = ROOT.parent / 'shared'",
        "ROOT = Path(__file__).parents[2]\nX = (ROOT / 'tests').parents[1]",
        "from os.path import dirname\nX = dirname(dirname(dirname(dirname(__file__))))",
        "import os\nF = __file__\n"
        "X = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(F))))",
        'X = ROOT / "' + UP + 'shared/fixtures"',
        "import os\nX = os.path.join(HERE, os.pardir)",
        'X = Path("/work/shared/fixtures/roster-gbk.csv")',
        'X = Path(os.environ.get("SHEQU_FIXTURES", "/home/dev/shared"))',
    ],
)
def test_the_scan_catches_python_that_leaves(source: str) -> None:
    found, _ = python_escapes(source, TESTS_PY)
    assert found, source


def test_the_scan_follows_names_imported_from_other_test_modules() -> None:
    _, names = python_escapes("ROOT = Path(__file__).resolve().parents[1]", Path("tests/paths.py"))
    found, _ = python_escapes(
        "from tests.paths import ROOT\nX = ROOT.parent", TESTS_PY, {"tests.paths": names}
    )
    assert found == [(2, "climbs 1 above the repository root")]


@pytest.mark.parametrize(
    "source",
    [
        "ROOT = Path(__file__).resolve().parents[2]\nX = ROOT / 'tests' / 'fixtures'",
        "X = Path(__file__).parent.parent.parent",
        '"""Once read from ' + UP + 'shared/fixtures."""\nX = 1',
        'SSHD = Path("/usr/sbin/sshd")\nTMP = "/tmp"\nSEARCH = "/zsf"',
    ],
)
def test_the_scan_lets_paths_inside_the_checkout_be(source: str) -> None:
    assert python_escapes(source, TESTS_PY)[0] == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("test:\n\tcp -r " + UP + "shared/fixtures tests/\n", "Makefile"),
        ('cd "$(dirname "$0")/../.."\n', ".ci/run"),
        ("cd ..\nmake test\n", ".ci/run"),
        ("export SHEQU_FIXTURES=/work/shared/fixtures\n", ".ci/run"),
        ("cp ~/fixtures/*.csv tests/\n", ".ci/run"),
        (
            "pytest: $(TEST_STAMP)\n\tSHEQU_FIXTURES=$(CURDIR)/" + UP + "shared $(BIN)/pytest\n",
            "Makefile",
        ),
    ],
)
def test_the_scan_catches_make_and_shell_that_leave(text: str, where: str) -> None:
    assert text_escapes(text, Path(where)), text


def test_the_scan_lets_ci_go_to_the_root() -> None:
    text = '#!/usr/bin/env bash\ncd "$(dirname "$0")/.."\n[ -x /usr/sbin/sshd ]\n'
    assert text_escapes(text, Path(".ci/run")) == []
