"""What a corpus case is: the file, the read options, the truth and what the importer must do.

The truth is the generator's own: every pupil's school, canonical class, normalised id, name
and, per subject, a score, a level or a status. It never comes from the kit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: What the importer may do with a case.
EXPECTATIONS = ("import", "refuse", "either")

#: The kinds of mess the corpus must cover (the numbered list of the issue; 10 = found beyond it).
KINDS = {
    1: "merged cells (class per block, titles, two-row headers)",
    2: "statistics rows, footers, class heading rows, stacked tables",
    3: "formulas without values, error cells",
    4: "level words among numbers, level-only columns",
    5: "hidden sheets",
    6: "other silent losses (empty sheet, BOM, duplicate subject, 赋分, English, %, ids, 总分)",
    7: "misnamed and exotic formats",
    8: "联考 (several schools in one file)",
    9: "everyday messiness",
    10: "beyond the issue",
}


@dataclass(frozen=True)
class Result:
    """One pupil × subject as the generator made it.

    ``status`` is a canonical status (``sat``, ``absent``, ``excused``, ``transferred``,
    ``cheated``, ``not_scanned``, ``excluded``); ``score`` is the number written on the sheet
    (also for ``excluded`` cells such as "36，剔除"); ``level`` the canonical level word or letter
    of a level-graded cell.
    """

    status: str
    score: float | None = None
    level: str | None = None


@dataclass
class Pupil:
    """A pupil of the truth; ``row``/``sheet`` are where the generator wrote him (Excel row)."""

    school: str
    class_id: str
    student_id: str
    name: str
    results: dict[str, Result]
    extra: dict[str, object] = field(default_factory=dict)
    row: int | None = None
    sheet: str | None = None


@dataclass
class Truth:
    """The pupils a correct import yields, and the full mark of each scored subject.

    ``key`` is the column that identifies a pupil in the comparison: ``student_id``, or
    ``name`` for sheets that carry no id at all (the importer then makes its own ids).
    """

    pupils: list[Pupil]
    full_marks: dict[str, float]
    key: str = "student_id"


@dataclass(frozen=True)
class Refusal:
    """What a refusal's message must name.

    ``cells`` are A1 references of the planted bad cells (row and column letter must both be
    named), ``rows`` Excel rows that must be named, ``columns`` letters of bad columns,
    ``words`` groups of alternatives of which one must appear (e.g. ``("PDF",)``). The file
    name is always required, the sheet when given.
    """

    sheet: str | None = None
    cells: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()
    words: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Reported:
    """These Excel rows of ``sheet`` must appear in ``report.problems`` (rows skipped and said)."""

    rows: tuple[int, ...]
    sheet: str | None = None
    what: str = "skipped rows"


@dataclass(frozen=True)
class Warned:
    """The warnings about ``word`` must name exactly these Excel rows."""

    rows: tuple[int, ...]
    word: str


@dataclass(frozen=True)
class SheetNoted:
    """The sheet must be named in ``report.sheets`` or ``report.problems`` (a skipped hidden
    sheet, for instance)."""

    sheet: str


@dataclass
class Case:
    """One file of the corpus.

    ``write(path)`` writes the file; ``filename`` is its name in the corpus folder (the
    extension is part of the mess: an HTML table is named ``.xls``).
    """

    name: str
    description: str
    kinds: tuple[int, ...]
    filename: str
    write: Callable[[Path], None]
    expect: str
    truth: Truth | None = None
    options: dict = field(default_factory=dict)
    refusal: Refusal | None = None
    checks: tuple = ()

    @property
    def format(self) -> str:
        """What the file really is, for the report table (the writer's name)."""
        return getattr(self.write, "format", "?")

    def __post_init__(self):
        if self.expect not in EXPECTATIONS:
            raise ValueError(f"{self.name}: expect must be one of {EXPECTATIONS}")
        if self.expect in ("import", "either") and self.truth is None:
            raise ValueError(f"{self.name}: a case that may import needs its truth")
        if self.expect == "refuse" and self.refusal is None:
            raise ValueError(f"{self.name}: a refused case says what the message must name")
