"""What the validation tests share: the refusal helper and the "anything at all" input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

from store.errors import ValidationError


def errors_of(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    """The per-field messages ``call`` refuses with; each must be a real sentence."""
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert all(isinstance(m, str) and m for m in caught.value.errors.values())
    return caught.value.errors


# Anything a form, the CLI or a spreadsheet cell could hand a validator.
values = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
