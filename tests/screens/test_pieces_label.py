"""Figures joined by " · " wrap between the figures, never inside one (screens/widgets/text.py):
"该联系 3 人" is never cut into "该联系 3" and "人", at any width, and a narrower terminal wraps the
line again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from screens.widgets.text import PiecesLabel, wrap_between
from tests.screens.helpers import screen_lines

SEPARATOR = " · "
FIGURES = ["待办：联系超期 15 人", "缺人班次 1 个", "缺勤 3 人次", "学时落后 44 人", "该联系 3 人"]
TEXT = SEPARATOR.join(FIGURES)


def test_a_line_breaks_only_between_figures() -> None:
    assert wrap_between(TEXT, SEPARATOR, 40).splitlines() == [
        "待办：联系超期 15 人 · 缺人班次 1 个",
        "缺勤 3 人次 · 学时落后 44 人",
        "该联系 3 人",
    ]
    assert wrap_between(TEXT, SEPARATOR, 200) == TEXT
    assert wrap_between(TEXT, SEPARATOR, 0) == TEXT  # not laid out yet: the label wraps it


@given(
    st.lists(st.text(alphabet="人个 0123456789联系", min_size=1, max_size=12), min_size=1),
    st.integers(min_value=1, max_value=60),
)
def test_every_figure_stays_whole_and_lines_fit_unless_one_figure_cannot(
    figures: list[str], width: int
) -> None:
    lines = wrap_between(SEPARATOR.join(figures), SEPARATOR, width).split("\n")
    assert [piece for line in lines for piece in line.split(SEPARATOR)] == figures
    for line in lines:
        assert cell_len(line) <= width or SEPARATOR not in line  # only a lone figure is wider


class Figures(App[None]):
    def compose(self) -> ComposeResult:
        yield PiecesLabel("…", id="todo")

    def on_mount(self) -> None:
        self.query_one(PiecesLabel).update(TEXT)


async def test_the_label_wraps_at_its_width_and_again_when_it_changes() -> None:
    app = Figures()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        assert [line.rstrip() for line in screen_lines(app)[:3]] == [
            "待办：联系超期 15 人 · 缺人班次 1 个",
            "缺勤 3 人次 · 学时落后 44 人",
            "该联系 3 人",
        ]
        await pilot.resize_terminal(28, 8)
        await pilot.pause()
        await pilot.pause()
        assert [line.rstrip() for line in screen_lines(app)[:5]] == [
            "待办：联系超期 15 人",
            "缺人班次 1 个 · 缺勤 3 人次",
            "学时落后 44 人 · 该联系 3 人",
            "",
            "",
        ]
