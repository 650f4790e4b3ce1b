"""The list of case factories and the helpers every case uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .grid import Grid, SheetBuilder
from .model import Case, Pupil, Refusal, Truth
from .people import CN_GRADE, SCHOOL, Cohort, Writing, make_pupils, rng_for
from .tables import class_col, id_col, name_col, subject_col
from .writers import Writer

FACTORIES: list[Callable[[], Case]] = []

#: writers whose files have sheets with names a pupil's ``source_sheet`` must equal
WORKBOOK_FORMATS = ("xlsx", "xls (")


def case(func: Callable[[], Case]) -> Callable[[], Case]:
    """Register a factory of one case."""
    FACTORIES.append(func)
    return func


def variants(*pairs: tuple[str, Writer]):
    """Register one factory per (extension, writer): ``func(name, writer, ext)``, named
    ``<func>_<ext>``."""
    def register(func):
        for ext, writer in pairs:
            def factory(func=func, ext=ext, writer=writer):
                return func(f"{func.__name__}_{ext}", writer, ext)
            factory.__name__ = f"{func.__name__}_{ext}"
            FACTORIES.append(factory)
        return func
    return register


def title(grade: int, school: str = SCHOOL, exam: str = "期末检测") -> str:
    return f"{school}2024—2025学年第一学期{CN_GRADE[grade]}年级{exam}成绩统计表"


def bind(writer: Writer, grids: Sequence[Grid]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        writer(path, grids)
    write.format = writer.format
    return write


def full_marks_of(cohort: Cohort, pupils: Sequence[Pupil]) -> dict[str, float]:
    subjects = {s for p in pupils for s in p.results}
    return {s: cohort.full(s) for s in subjects}


def make_case(name: str, description: str, kinds: tuple[int, ...], filename: str,
              writer: Writer, grids: Sequence[Grid], pupils: Sequence[Pupil] | None,
              cohort: Cohort | None = None, *, expect: str = "import",
              options: dict | None = None, refusal: Refusal | None = None,
              checks: tuple = (), key: str = "student_id", school_option: bool = True) -> Case:
    """A case from its grids and pupils: the read options get ``school=`` (the school's own
    file names no school) and the subjects' full marks unless told otherwise."""
    options = dict(options or {})
    if school_option:
        options.setdefault("school", SCHOOL)
    truth = None
    if pupils is not None and cohort is not None:
        if not str(writer.format).startswith(WORKBOOK_FORMATS):
            for p in pupils:
                p.sheet = None
        marks = full_marks_of(cohort, pupils)
        odd = {s: m for s, m in marks.items() if m != 100}
        if odd:
            options.setdefault("full_marks", odd)
        truth = Truth(list(pupils), marks, key=key)
    return Case(name=name, description=description, kinds=kinds, filename=filename,
                write=bind(writer, grids), expect=expect, truth=truth, options=options,
                refusal=refusal, checks=checks)


def basic_columns(rng: np.random.Generator, subjects: Sequence[str], writing: Writing | None = None,
                  class_style: str = "五(1)班", id_header: str = "学号") -> list:
    """学号, 姓名, 班级 and one column per subject: the plainest school sheet."""
    return [id_col(id_header), name_col(), class_col(class_style),
            *[subject_col(s, rng, writing) for s in subjects]]


def plain_sheet(name: str, grade: int, *, classes=(1, 2), subjects=("语文", "数学", "英语"),
                size=(9, 13), sheet: str = "成绩", writing: Writing | None = None,
                with_title: bool = True):
    """The common start of many cases: rng, cohort, pupils and a builder with title and header
    (pupils not yet laid out)."""
    rng = rng_for(name)
    cohort = Cohort(grade=grade, classes=classes, subjects=subjects, size=size)
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder(sheet, basic_columns(rng, subjects, writing))
    if with_title:
        b.banner(title(grade))
    b.header()
    return rng, cohort, pupils, b
