"""Seeded pupils, scores and statuses, and how a school writes them into a cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .model import Pupil, Result

SCHOOL = "青禾实验小学"
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN = ("子涵欣怡梓轩浩宇雨桐一诺思远嘉懿俊杰晨阳佳琪明轩若曦博文诗雨天佑梦瑶泽宇雅婷"
         "昊然心怡宇航紫萱皓轩芷若睿哲安琪景行书瑶振华晓峰丽娟志强秀英海燕建国春燕")
CN_GRADE = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}
CN_CLASS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九",
            10: "十", 11: "十一", 12: "十二"}
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def rng_for(name: str) -> np.random.Generator:
    """One generator per case, seeded by the case name: adding a case changes no other."""
    seed = int.from_bytes(name.encode("utf-8"), "little") % (2**63)
    return np.random.default_rng(seed)


def names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` different Chinese names of two or three characters."""
    out: list[str] = []
    seen = set()
    while len(out) < n:
        surname = SURNAMES[rng.integers(len(SURNAMES))]
        k = 2 * int(rng.integers(len(GIVEN) // 2))
        given = GIVEN[k:k + 2] if rng.random() < 0.7 else GIVEN[k]
        name = surname + given
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


@dataclass
class Cohort:
    """How to make the pupils of one file."""

    grade: int
    classes: Sequence[int] = (1, 2)
    size: tuple[int, int] = (9, 14)
    subjects: Sequence[str] = ("语文", "数学", "英语")
    full_marks: dict[str, float] = field(default_factory=dict)
    school: str = SCHOOL
    halves: bool = False  # half points
    id_of: Callable[[str, int, int, int], str] | None = None  # (school, grade, class, k) -> id

    def full(self, subject: str) -> float:
        return float(self.full_marks.get(subject, 100))


def default_id(school: str, grade: int, klass: int, k: int) -> str:
    return f"2025{grade:02d}{klass:02d}{k:02d}"


def make_pupils(rng: np.random.Generator, cohort: Cohort) -> list[Pupil]:
    """Pupils of every class with a score in every subject (statuses are planted afterwards).

    Each class has its own level so that a pupil counted in the wrong class moves a mean.
    """
    pupils = []
    id_of = cohort.id_of or default_id
    sizes = [int(rng.integers(cohort.size[0], cohort.size[1] + 1)) for _ in cohort.classes]
    all_names = names(rng, sum(sizes))
    it = iter(all_names)
    for klass, size in zip(cohort.classes, sizes):
        shift = rng.normal(0, 0.05)
        for k in range(1, size + 1):
            results = {s: Result("sat", _score(rng, cohort.full(s), shift, cohort.halves))
                       for s in cohort.subjects}
            pupils.append(Pupil(cohort.school, f"{cohort.grade}-{klass}",
                                id_of(cohort.school, cohort.grade, klass, k), next(it), results))
    return pupils


def _score(rng, full: float, shift: float, halves: bool) -> float:
    x = rng.normal(0.74 + shift, 0.14) * full
    step = 2 if halves else 1
    x = round(x * step) / step
    return float(min(max(x, 0.0), full))


def plant(rng: np.random.Generator, pupils: Sequence[Pupil], subject: str, status: str,
          k: int = 1, *, keep_score: bool = False, exclude: set[int] | None = None) -> list[Pupil]:
    """Give ``k`` pupils (not yet planted in ``subject``) ``status`` there; return them."""
    free = [i for i, p in enumerate(pupils)
            if subject in p.results and p.results[subject].status == "sat"
            and p.results[subject].level is None and i not in (exclude or set())]
    chosen = [pupils[i] for i in sorted(rng.choice(free, size=k, replace=False))]
    for p in chosen:
        old = p.results[subject]
        p.results[subject] = Result(status, old.score if keep_score else None)
    return chosen


def set_score(pupil: Pupil, subject: str, score: float) -> None:
    pupil.results[subject] = Result("sat", float(score))


# --------------------------------------------------------------------------------------------
# how the cell is written
# --------------------------------------------------------------------------------------------
DEFAULT_MARKERS = {
    "absent": ("缺考",), "excused": ("请假",), "transferred": ("转学",), "cheated": ("作弊",),
    "not_scanned": ("未扫",),
}


@dataclass
class Writing:
    """How one school writes score cells.

    ``numbers``: ``"number"`` (typed numbers), ``"text"`` (numbers stored as text),
    ``"mixed"`` (some of each, with full-width digits and "85分"). ``markers`` maps a status
    to the words used for it ("" is a blank cell). ``not_taken`` is the cell of an unchosen
    elective.
    """

    numbers: str = "number"
    markers: dict[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_MARKERS))
    excluded: str = "{score}，剔除"
    not_taken: object = None

    def cell(self, result: Result | None, rng: np.random.Generator) -> object:
        if result is None:
            return self.not_taken
        if result.level is not None:
            return result.level if result.status == "sat" else self._marker(result, rng)
        if result.status == "sat":
            return self._number(result.score, rng)
        if result.status == "excluded":
            return self.excluded.format(score=_fmt(result.score))
        return self._marker(result, rng)

    def _marker(self, result: Result, rng) -> object:
        words = self.markers[result.status]
        word = words[int(rng.integers(len(words)))]
        return word if word != "" else None

    def _number(self, score: float, rng) -> object:
        if self.numbers == "number":
            return int(score) if float(score).is_integer() else score
        if self.numbers == "text":
            return _fmt(score)
        choice = rng.integers(5)
        return [int(score) if float(score).is_integer() else score, _fmt(score),
                _fmt(score).translate(FULLWIDTH), _fmt(score) + "分", f" {_fmt(score)} "][choice]

    def with_markers(self, **markers: Sequence[str]) -> Writing:
        return replace(self, markers={**self.markers, **markers})


def _fmt(score: float) -> str:
    return f"{score:g}"


# --------------------------------------------------------------------------------------------
# class names as schools write them
# --------------------------------------------------------------------------------------------
def class_number(p: Pupil) -> tuple[int, int]:
    g, c = p.class_id.split("-")
    return int(g), int(c)


SPELLINGS: dict[str, Callable[[int, int], str]] = {
    "五(1)班": lambda g, c: f"{CN_GRADE.get(g, g)}({c})班",
    "五（1）班": lambda g, c: f"{CN_GRADE.get(g, g)}（{c}）班",
    "5(1)": lambda g, c: f"{g}({c})",
    "5-1": lambda g, c: f"{g}-{c}",
    "501": lambda g, c: f"{g}{c:02d}",
    "五年级一班": lambda g, c: f"{CN_GRADE.get(g, g)}年级{CN_CLASS[c]}班",
    "五年级（1）班": lambda g, c: f"{CN_GRADE.get(g, g)}年级（{c}）班",
    "初一12班": lambda g, c: f"初{CN_GRADE[g - 6]}{c}班",
    "七年级12班": lambda g, c: f"{CN_GRADE[g]}年级{c}班",
    "初三(7)班": lambda g, c: f"初{CN_GRADE[g - 6]}({c})班",
    "高一(1)班": lambda g, c: f"高{CN_GRADE[g - 9]}({c})班",
    "高一1班": lambda g, c: f"高{CN_GRADE[g - 9]}{c}班",
    "二班": lambda g, c: f"{CN_CLASS[c]}班",
    "number": lambda g, c: c,
}


def spell(p: Pupil, style: str) -> object:
    """The class of ``p`` written in the shape of ``style`` (a key of ``SPELLINGS``)."""
    g, c = class_number(p)
    return SPELLINGS[style](g, c)
