"""Small-number suppression (DOMAIN.md §8, "Publication") on tables worked out by hand.

Notation: a table [[...]] with its row totals, column totals and grand total; "<5" a small cell,
"×" a cell hidden because a total would give a small one away.
"""
import pytest

from services.suppression import DERIVED, SMALL, suppress


def shown(t):
    """The table as a reader sees it: each row with its total, then the totals row."""
    rows = [[c.shown for c in row] + [total.shown] for row, total in zip(t.cells, t.row_totals)]
    return rows + [[c.shown for c in t.col_totals] + [t.grand.shown]]


def test_nothing_small_nothing_hidden():
    t = suppress([[5, 10], [7, 0]])
    assert shown(t) == [["5", "10", "15"], ["7", "0", "7"], ["12", "10", "22"]]
    assert t.hidden_entries() == []


def test_zero_is_shown_and_never_counts_as_small():
    assert shown(suppress([[0, 0], [0, 0]])) == [["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"]]


def test_one_row_the_small_cell_and_the_next_smallest_go():
    # [3, 10, 7] = 20. 3 is small; the row total 20 would give it away (20 − 10 − 7), so the next
    # smallest cell, 7, goes too. Column 3 is then 7 over its total 7: that total goes as well.
    # Column 1 (3 over 3): both small. A reader knows only x + y = 10 with x < 5.
    t = suppress([[3, 10, 7]])
    assert shown(t) == [["<5", "10", "×", "20"], ["<5", "10", "×", "20"]]
    assert t.cells[0][0].mark == SMALL and t.cells[0][2].mark == DERIVED
    assert t.col_totals[0].mark == SMALL and t.col_totals[2].mark == DERIVED


def test_two_by_two_one_small_cell_hides_the_inner_four():
    # [[2, 8], [6, 9]]: totals 10, 15 / 8, 17 / 25. 2 is small. Row 1 gives it away from 10: hide 8.
    # Column 1 gives 2 away from 8 (8 − 6): hide 6. Column 2 now gives 8 away from 17: hide 9.
    # Row 2 has 6 and 9 hidden: safe. All totals stay.
    t = suppress([[2, 8], [6, 9]])
    assert shown(t) == [["<5", "×", "10"], ["×", "×", "15"], ["8", "17", "25"]]


def test_small_totals_are_small_cells_too():
    # [[0, 0], [0, 4]]: the 4, its row total, its column total and the grand total are all 4.
    t = suppress([[0, 0], [0, 4]])
    assert shown(t) == [["0", "0", "0"], ["0", "<5", "<5"], ["0", "<5", "<5"]]


def test_two_small_cells_in_a_row_protect_each_other():
    # [[1, 2, 9]] = 12: 1 and 2 hidden in the row (two unknowns: safe); their column totals are
    # small too. Column 3 (9 over 9) has nothing hidden. Nothing else goes.
    t = suppress([[1, 2, 9]])
    assert shown(t) == [["<5", "<5", "9", "12"], ["<5", "<5", "9", "12"]]


def test_the_totals_row_is_a_line_of_its_own():
    # [[3, 6], [0, 8]]: totals 9, 8 / 3, 14 / 17. The 3 and its column total 3 are small.
    # Row 1 (3, 6 = 9) would give 3 away: hide 6. The totals row (3, 14 = 17) would give the small
    # column total away: hide 14. Column 1 (3 over 0, total 3) and column 2 (6 and 14 hidden, 8
    # shown) each hold two unknowns; nothing else goes. A reader is left with x + y = 9, y + 8 = z,
    # x + z = 17: one equation short of any of them.
    t = suppress([[3, 6], [0, 8]])
    assert shown(t) == [["<5", "×", "9"], ["0", "8", "8"], ["<5", "×", "17"]]


def test_no_published_line_holds_exactly_one_hidden_entry():
    import random

    rng = random.Random(7)
    for _ in range(300):
        counts = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 12, 30]) for _ in range(rng.randint(1, 5))]]
        counts += [[rng.choice([0, 1, 3, 5, 8, 20]) for _ in counts[0]] for _ in range(rng.randint(0, 4))]
        t = suppress(counts)
        grid = [row + [total] for row, total in zip(t.cells, t.row_totals)] + [t.col_totals + [t.grand]]
        lines = grid + [list(col) for col in zip(*grid)]
        for line in lines:
            hidden = sum(1 for c in line if c.hidden)
            assert hidden != 1 or sum(c.value for c in line[:-1]) == 0, (counts, [c.shown for c in line])
        assert all(c.shown != str(c.value) for row in grid for c in row if 0 < c.value < 5)


def test_rows_of_unequal_length_are_an_error():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
