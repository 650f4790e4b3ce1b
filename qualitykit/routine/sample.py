"""The sample school's filled 教学常规检查记录 (seeded): its teachers of 2025-2026 第一学期 from
``sample_data/教学编排表.xlsx``, one 月查 a month, two 抽查, the leaders' 听课/评课/教研 — with a
few months missed and a few counts short, so that the output has something to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np

from .rules import RoutineRules, routine_rules
from .workbooks import write_record

#: The sample school's term (its record's checks lie in it; the rules file need not say it).
SAMPLE_TERM = (dt.date(2025, 9, 1), dt.date(2026, 1, 16))

__all__ = ["SAMPLE_RECORD", "simulate_record", "write_sample_record"]

SAMPLE_RECORD = Path(__file__).resolve().parents[2] / "sample_data" / "教学常规检查记录.xlsx"
_GRADES = ("优", "良", "中", "差")
#: Who misses what (by position among the teachers sorted by name): months without a 月查, a
#: single 抽查, a 教研组长 short of 听课 and 教研.
_MISSED_MONTHS = {10: ("2025-11",), 25: ("2025-12", "2026-01")}
_ONE_SPOT_CHECK = 40


def _teachers(school_year: str = "2025-2026", term: str = "1") -> list[tuple]:
    """(教师, 学科, 职务, 任教班级) of the sample's 教学编排表: the first three by name lead the
    school, the next of each subject leads its 教研组."""
    from ..io.scores import read_teachers

    plan = read_teachers(SAMPLE_RECORD.parent / "教学编排表.xlsx")
    plan = plan[(plan["school_year"] == school_year) & (plan["term"] == term)]
    rows = plan.groupby("teacher").agg(subject=("subject", "first"),
                                       classes=("class_name", lambda c: "、".join(sorted(c))))
    roles, leaders = {}, set()
    for i, (name, subject) in enumerate(rows["subject"].items()):
        if i < 3:
            roles[name] = ("校长", "副校长", "教导主任")[i]
        elif subject not in leaders:
            roles[name] = "教研组长"
            leaders.add(subject)
    return [(n, r.subject, roles.get(n, "教师"), r.classes) for n, r in rows.iterrows()]


def _school_days(rules: RoutineRules, month: str) -> list[dt.date]:
    day, days = rules.term_start, []
    while day <= rules.term_end:
        if day.weekday() < 5 and f"{day:%Y-%m}" == month:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _spread(total: int, parts: int, rng) -> list[int]:
    """``total`` split into ``parts`` positive counts."""
    cuts = np.sort(rng.choice(np.arange(1, total), size=parts - 1, replace=False))
    return list(np.diff(np.concatenate([[0], cuts, [total]])).astype(int))


def simulate_record(seed: int = 19, rules: RoutineRules | None = None
                    ) -> tuple[list[tuple], list[tuple]]:
    """The sample's check rows (in the order of :data:`RECORD_HEADERS`) and teacher rows."""
    rules = rules or replace(routine_rules(), term_start=SAMPLE_TERM[0], term_end=SAMPLE_TERM[1])
    rng = np.random.default_rng(seed)
    teachers = _teachers()
    months = rules.term_months()
    rows: list[tuple] = []
    short = next(i for i, t in enumerate(teachers) if t[2] == "教研组长")
    for i, (name, subject, role, _) in enumerate(teachers):
        quality = rng.dirichlet((4, 3, 2, 1) if i % 7 else (1, 2, 3, 3))
        for month in months:
            if month in _MISSED_MONTHS.get(i, ()):
                continue
            day = rng.choice(_school_days(rules, month))
            for item in ("备课", "作业批改") + (("反思",) if month[-1] in "13579" else ()):
                rows.append((day, "月查", name, subject, item, "", rng.choice(_GRADES, p=quality),
                             "教导处", ""))
            if month in ("2025-11", "2026-01"):
                rows.append((day, "月查", name, subject, "检测", "", int(rng.integers(70, 99)),
                             "教导处", "单元检测质量"))
        days = rng.choice(_school_days(rules, "2025-10") + _school_days(rules, "2025-12"),
                          size=1 if i == _ONE_SPOT_CHECK else 2, replace=False)
        for day in sorted(days):
            for item in ("上课", "辅导"):
                rows.append((day, "抽查", name, subject, item, "", rng.choice(_GRADES, p=quality),
                             "校长室", ""))
        rows += _leader_rows(name, subject, role, i == short, months, rules, rng)
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows, teachers


def _leader_rows(name, subject, role, short: bool, months, rules, rng) -> list[tuple]:
    """听课、评课 (a monthly total) and 教研 (weekly) of the school's and the groups' leaders."""
    wanted = {"校长": {"听课": 22, "评课": 21}, "副校长": {"听课": 20, "评课": 18},
              "教导主任": {"听课": 24, "评课": 20},
              "教研组长": {"听课": 26 if short else 32}}.get(role, {"听课": 8})
    rows = []
    for item, total in wanted.items():
        for month, n in zip(months, _spread(total, len(months), rng)):
            rows.append((_school_days(rules, month)[-1], "月查", name, subject, item, int(n), "",
                         "教导处", "本月合计"))
    if role == "教研组长":
        weeks = (rules.term_weeks or 0) - (3 if short else 0)
        for week in range(weeks):
            day = rules.term_start + dt.timedelta(days=7 * week + 2)
            rows.append((day, "月查", name, subject, "教研", 1, "", "教导处", "教研组活动"))
    return rows


def write_sample_record(path: str | Path = SAMPLE_RECORD, seed: int = 19) -> Path:
    """Write the sample record (``sample_data/教学常规检查记录.xlsx``)."""
    rows, teachers = simulate_record(seed)
    return write_record(path, [tuple(v.item() if isinstance(v, np.generic) else v for v in r)
                               for r in rows], teachers)
