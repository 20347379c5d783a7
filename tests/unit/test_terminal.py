"""Text for a terminal: widths in columns, cutting with an ellipsis, aligned tables."""

from hypothesis import given
from hypothesis import strategies as st

from orderbook._terminal import ELLIPSIS, clip, columns, table

# Letters of one column, of two (CJK) and a combining accent, which takes none.
texts = st.text(alphabet=st.sampled_from(["a", "Z", "7", " ", "é", "茶", "東", "\u0301", "-"]))


@given(texts, st.integers(min_value=-2, max_value=30))
def test_a_clipped_text_fits_and_is_the_text_or_a_prefix_of_it_marked_as_cut(text, width):
    cut = clip(text, width)
    assert columns(cut) <= max(width, 0)
    if columns(text) <= width:
        assert cut == text
    elif width > 0:
        assert cut.endswith(ELLIPSIS)
        assert text.startswith(cut[:-1])
        assert columns(cut) >= width - 1  # as much as fits is kept


cells = texts.map(str.strip)
rows_of_three = st.tuples(cells, cells, cells.filter(bool)).map(list)  # the last one shows


@given(st.lists(rows_of_three, max_size=6))
def test_every_line_of_a_right_aligned_table_takes_the_same_columns(rows):
    headers = ["one", "two", "茶茶"]
    lines = table(headers, rows, right=[0, 1, 2], footer=rows[:1]).splitlines()
    assert len({columns(line) for line in lines}) == 1
    assert len(lines) == 2 + len(rows) + (2 if rows else 0)


def test_wide_letters_take_two_columns_and_accents_none():
    assert columns("茶") == 2
    assert columns("e\u0301") == 1
    assert table(["name", "n"], [["茶屋", "1"], ["Tea", "22"]], right=[1]).splitlines() == [
        "name   n",
        "----  --",
        "茶屋   1",
        "Tea   22",
    ]
