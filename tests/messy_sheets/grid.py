"""A sheet as the generator lays it out, before any file format: cells, merges, formats.

Row ``i`` of ``Grid.rows`` is Excel row ``i + 1``. A merged range keeps its text in its first
cell and ``None`` elsewhere, as Excel does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .model import Pupil


@dataclass(frozen=True)
class Formula:
    """A formula cell (``=SUM(E3:H3)``); the writer decides whether a value is cached."""

    text: str


@dataclass(frozen=True)
class ErrorCell:
    """An Excel error value: ``#N/A``, ``#DIV/0!``, ``#VALUE!``, ``#REF!``."""

    code: str


@dataclass
class Grid:
    """One sheet: ``rows`` of cell values, ``merges`` as 0-based inclusive (r0, c0, r1, c1)."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    state: str = "visible"  # or "hidden", "veryHidden"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def covered(self) -> set[tuple[int, int]]:
        """Cells inside a merged range other than its first cell."""
        out = set()
        for r0, c0, r1, c1 in self.merges:
            out |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        return out


@dataclass
class Column:
    """A column of a wide score sheet.

    ``header`` is a text, or ``(top, sub)`` for a two-row header. ``value(pupil, seq)`` gives
    the cell of a pupil row (``seq`` counts pupils from 1 within the block). ``subject`` is set
    for the column that carries that subject's score or level.
    """

    header: str | tuple[str | None, str | None]
    value: Callable[[Pupil, int], object]
    subject: str | None = None
    role: str = "other"  # seq, id, name, class, school, subject, total, rank, other


class SheetBuilder:
    """Lays out a sheet row by row and records where every pupil went."""

    def __init__(self, name: str, columns: Sequence[Column] = ()):
        self.grid = Grid(name)
        self.columns = list(columns)

    # ---- plain rows -----------------------------------------------------------------------
    @property
    def next_row(self) -> int:
        """The Excel row the next added row will have."""
        return len(self.grid.rows) + 1

    def row(self, values: Sequence[object]) -> int:
        """Add a row; return its Excel row number."""
        self.grid.rows.append(list(values))
        return len(self.grid.rows)

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.row([])

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Merge a range given in 0-based (row, column) coordinates."""
        for r in range(r0, r1 + 1):
            row = self.grid.rows[r]
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and c < len(row) and row[c] not in (None, ""):
                    raise ValueError(f"merging over a value at {(r, c)}: {row[c]!r}")
        self.grid.merges.append((r0, c0, r1, c1))

    def banner(self, text: str, merge: bool = True, col: int = 0) -> int:
        """A title or footer: text in one cell, merged across the table when ``merge``."""
        excel_row = self.row([None] * col + [text])
        width = max(len(self.columns), col + 1)
        if merge and width > col + 1:
            self.merge(excel_row - 1, col, excel_row - 1, width - 1)
        return excel_row

    # ---- the table ------------------------------------------------------------------------
    def header(self, merge_vertical: bool = True) -> int:
        """One header row, or two when a column has a ``(top, sub)`` header; merges as Excel."""
        two = any(isinstance(c.header, tuple) for c in self.columns)
        if not two:
            return self.row([c.header for c in self.columns])
        tops, subs = [], []
        for c in self.columns:
            top, sub = c.header if isinstance(c.header, tuple) else (c.header, None)
            tops.append(top)
            subs.append(sub)
        first = self.next_row - 1
        shown = [t if i == 0 or t != tops[i - 1] or subs[i] is None else None
                 for i, t in enumerate(tops)]
        self.row(shown)
        self.row(subs)
        i = 0
        while i < len(tops):
            j = i
            while j + 1 < len(tops) and subs[i] is not None and tops[j + 1] == tops[i] \
                    and subs[j + 1] is not None and shown[j + 1] is None:
                j += 1
            if j > i:
                self.merge(first, i, first, j)
            elif subs[i] is None and merge_vertical:
                self.merge(first, i, first + 1, i)
            i = j + 1
        return first + 1

    def pupils(self, pupils: Sequence[Pupil], *, class_once: bool = False,
               class_merge: bool = False, start: int = 1) -> list[int]:
        """Add one row per pupil; return their Excel rows.

        ``class_once`` writes the class only on the first row of each run of one class;
        ``class_merge`` also merges the class cell down that run (the 班级 column of
        many school sheets).
        """
        rows = []
        runs: list[tuple[int, int]] = []
        for k, p in enumerate(pupils):
            values = [c.value(p, start + k) for c in self.columns]
            excel_row = self.row(values)
            p.row, p.sheet = excel_row, self.grid.name
            rows.append(excel_row)
            if runs and pupils[k - 1].class_id == p.class_id and pupils[k - 1].school == p.school:
                runs[-1] = (runs[-1][0], excel_row)
            else:
                runs.append((excel_row, excel_row))
        if class_once or class_merge:
            self._class_once(runs, class_merge)
        return rows

    def _class_once(self, runs, merge: bool) -> None:
        col = next(i for i, c in enumerate(self.columns) if c.role == "class")
        for first, last in runs:
            for r in range(first + 1, last + 1):
                self.grid.rows[r - 1][col] = None
            if merge and last > first:
                self.merge(first - 1, col, last - 1, col)

    def column_index(self, subject: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.subject == subject)

    def role_index(self, role: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.role == role)

    def done(self, state: str = "visible") -> Grid:
        self.grid.state = state
        return self.grid


def letter(index: int) -> str:
    """Excel column letter of a 0-based index (independent of the kit's own helper).

    >>> letter(0), letter(25), letter(26)
    ('A', 'Z', 'AA')
    """
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
