"""Every line our widgets draw by hand carries a style, because Textual 8.2's NO_COLOR filter
(Monochrome) crashes on a segment without one: ``Strip.blank(width)`` with no style stopped the
app under NO_COLOR (docs/TEXTUAL_NO_COLOR.md, fault (a)).

The screens are drawn under NO_COLOR by tests/screens/test_colourless_screens.py, but only in the
states those tests reach (an empty week, a roster filter with no questions left...). This reads
the source instead: no ``Strip.blank`` without its style, no ``Segment`` with only its text, in
screens/ and tui/. Once Textual's filter copes with an unstyled segment (see the doc) this test
and the styles it asks for can go.
"""

from __future__ import annotations

import ast

from tests.paths import ROOT

SOURCES = sorted(path for top in ("screens", "tui") for path in (ROOT / top).rglob("*.py"))


def unstyled(tree: ast.AST) -> list[int]:
    """The lines of ``tree`` that make a Strip.blank or a Segment without a style."""
    found: list[int] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        keywords = {keyword.arg for keyword in node.keywords}
        if (owner, name) == ("Strip", "blank") and len(node.args) < 2 and "style" not in keywords:
            found.append(node.lineno)
        if (owner, name) == ("", "Segment") and len(node.args) < 2 and "style" not in keywords:
            found.append(node.lineno)
    return found


def test_the_scan_finds_an_unstyled_line() -> None:
    bad = "Strip.blank(width)\nSegment(text)\nStrip.blank(width, style)\nSegment(text, style)\n"
    assert unstyled(ast.parse(bad)) == [1, 2]


def test_no_line_is_drawn_without_a_style() -> None:
    assert SOURCES, "no sources found"
    found = {
        str(path.relative_to(ROOT)): lines
        for path in SOURCES
        if (lines := unstyled(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, f"unstyled segments (file: lines): {found}"
