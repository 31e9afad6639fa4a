"""Small-number suppression for published aggregate tables (DOMAIN.md §8, "Publication").

A pure function: counts in, the same table with every cell marked out. A cell of 1 to 4 shows "<5"
(primary). Every row and column is an equation "cells add up to the total"; where such a line holds
exactly one hidden entry, a reader could subtract it back, so the smallest other non-zero cell of
that line is hidden too (secondary; a zero is skipped because hiding it would protect nothing), or,
when the line has none, its total. Totals are cells like the others: the row of column totals and
the column of row totals, with the grand total, are lines too. Repeated until no line gives one away.
"""
from dataclasses import dataclass

THRESHOLD = 5
SMALL, DERIVED = "small", "derived"
REASONS = {SMALL: "数值小于 5，可能识别到个人", DERIVED: "可由合计减出被隐去的小数，一并隐去"}


@dataclass(frozen=True)
class Cell:
    value: int
    mark: str | None = None  # None (shown) | SMALL | DERIVED

    @property
    def shown(self):
        if self.mark == SMALL:
            return f"<{THRESHOLD}"
        if self.mark == DERIVED:
            return "×"
        return str(self.value)

    @property
    def hidden(self):
        return self.mark is not None


@dataclass(frozen=True)
class Suppressed:
    """cells[r][c], row_totals[r], col_totals[c], grand: each a Cell."""

    cells: list
    row_totals: list
    col_totals: list
    grand: Cell

    def hidden_entries(self):
        """(row index or None for the totals row, column index or None for the totals column, Cell)."""
        out = []
        for r, row in enumerate(self.cells):
            out += [(r, c, cell) for c, cell in enumerate(row) if cell.hidden]
            if self.row_totals[r].hidden:
                out.append((r, None, self.row_totals[r]))
        out += [(None, c, cell) for c, cell in enumerate(self.col_totals) if cell.hidden]
        if self.grand.hidden:
            out.append((None, None, self.grand))
        return out


def suppress(counts, threshold=THRESHOLD):
    """Mark the cells of a table of counts (a list of equally long rows of ints) for publication."""
    rows = len(counts)
    cols = len(counts[0]) if rows else 0
    if any(len(r) != cols for r in counts):
        raise ValueError("rows of unequal length")
    # the extended grid: row totals in the last column, column totals in the last row
    grid = [list(r) + [sum(r)] for r in counts]
    grid.append([sum(counts[r][c] for r in range(rows)) for c in range(cols)] + [sum(map(sum, counts))])
    marks = {(r, c): SMALL for r in range(rows + 1) for c in range(cols + 1) if 0 < grid[r][c] < threshold}
    lines = ([[(r, c) for c in range(cols + 1)] for r in range(rows + 1)]
             + [[(r, c) for r in range(rows + 1)] for c in range(cols + 1)])
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for p in line if p in marks) != 1:
                continue
            *parts, total = line
            candidates = [p for p in parts if p not in marks and grid[p[0]][p[1]] > 0]
            if candidates:
                marks[min(candidates, key=lambda p: (grid[p[0]][p[1]], p))] = DERIVED
            elif total not in marks:
                marks[total] = DERIVED
            else:  # the one hidden entry is the total and every cell is zero: nothing to give away
                continue
            changed = True

    def cell(r, c):
        return Cell(grid[r][c], marks.get((r, c)))

    return Suppressed(cells=[[cell(r, c) for c in range(cols)] for r in range(rows)],
                      row_totals=[cell(r, cols) for r in range(rows)],
                      col_totals=[cell(rows, c) for c in range(cols)], grand=cell(rows, cols))
