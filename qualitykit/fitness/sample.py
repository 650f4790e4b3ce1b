"""The sample school's 体质测试 files: ``sample_data/fitness/体质测试_2025.xlsx`` (school year
2025-2026) and ``体质测试_2024.xlsx`` (2024-2025), for the pupils of the sample rosters (the same
student ids as the score samples, so that year-on-year matching works).

Model: each pupil has a persistent fitness ``f ~ N(0, 1)`` (sex drawn once per pupil), each
class a yearly effect ``c ~ N(0, 0.4)`` (its PE lessons); an item's value is its mean for grade
and sex plus ``sd × (0.6 (f + c) + 0.8 e)`` with ``e ~ N(0, 1)`` each year, in the direction in
which the item is better (height and BMI: ``sd × e``). Means and spreads follow the usual
magnitude of Chinese pupils' results (heights, BMI, times); they are illustrative, not norms.
About 1 % of item cells are 免测/缺测/病假. The files are written as schools have them:

* 2025: one sheet per grade under a title row; 学籍号, 姓名, 性别 男/女, 班级 五(1)班; headers
  with units (“50米跑（秒）”, “肺活量(毫升)”); 50米×8往返跑 as ``1'48"``; a few messy cells
  (a typo, an unreadable word, a duplicated row), a 平均 row and a footer.
* 2024: the national upload template: 年级编号 11–16, 班级编号, 班级名称, 性别 1/2, 民族代码,
  and 50米×8往返跑 as minutes.seconds numbers (``1.48``).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.sample import SAMPLE_DIR, load_sample

__all__ = ["simulate_fitness", "write_fitness_sample", "fitness_sample_path", "FITNESS_YEARS"]

#: Test year → school year of the roster.
FITNESS_YEARS = {2024: "2024-2025", 2025: "2025-2026"}
SEED = 20251101
_GRADE_CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
#: item → (mean at grade 1 for 男, change per grade, 女 minus 男, sd, higher is better)
_MODEL = {
    "height": (122.0, 5.8, -0.5, 5.5, None),
    "bmi": (15.9, 0.45, -0.4, 2.3, None),
    "vital_capacity": (1100.0, 200.0, -120.0, 300.0, True),
    "sprint_50m": (11.2, -0.42, 0.45, 0.85, False),
    "sit_and_reach": (7.5, -0.3, 4.0, 5.0, True),
    "rope_skipping": (72.0, 15.0, 6.0, 28.0, True),
    "sit_ups": (22.0, 3.5, -1.0, 8.0, True),
    "shuttle_50x8": (118.0, -4.0, 4.0, 10.0, False),
}
#: The items of the 2014 standard by grade (primary school).
_GRADE_ITEMS = {g: ["height", "weight", "vital_capacity", "sprint_50m", "sit_and_reach",
                    "rope_skipping"] + (["sit_ups"] if g >= 3 else [])
                + (["shuttle_50x8"] if g >= 5 else []) for g in range(1, 7)}
_REASONS = ("免测", "缺测", "病假")
_FIXED_TIME = _dt.datetime(2026, 1, 1)  # the files' metadata: the same bytes on every run


def _value(item: str, grade: int, sex: str, f: float, e: float) -> float:
    mean, step, girls, sd, up = _MODEL[item]
    base = mean + step * (grade - 1) + (girls if sex == "女" else 0.0)
    sign = 1.0 if up is None else (1.0 if up else -1.0)
    shared = 0.6 * f * sign if up is not None else 0.0
    return base + sd * (shared + (0.8 if up is not None else 1.0) * e)


def simulate_fitness(seed: int = SEED) -> pd.DataFrame:
    """The true measurements of both years: ``year``, the roster's pupil columns, ``sex``,
    ``item``, ``value`` (times in seconds; ``weight`` from height and BMI)."""
    rng = np.random.default_rng(seed)
    roster = load_sample("roster")
    roster = roster[roster["school_year"].isin(FITNESS_YEARS.values())]
    ids = sorted(roster["student_id"].unique())
    sex = dict(zip(ids, rng.choice(["男", "女"], size=len(ids))))
    fit = dict(zip(ids, rng.normal(0, 1, size=len(ids))))
    rows = []
    for year, school_year in FITNESS_YEARS.items():
        this_year = roster[roster["school_year"] == school_year]
        classes = sorted(this_year["class_id"].unique())
        effect = dict(zip(classes, rng.normal(0, 0.4, size=len(classes))))
        for p in this_year.itertuples():
            f = fit[p.student_id] + effect[p.class_id]
            values = {item: _value(item, p.grade, sex[p.student_id], f, rng.normal())
                      for item in _MODEL}
            values["weight"] = values.pop("bmi") * (values["height"] / 100) ** 2
            for item in _GRADE_ITEMS[p.grade]:
                rows.append({"year": year, "student_id": p.student_id, "name": p.name,
                             "school": p.school, "grade": p.grade, "class_id": p.class_id,
                             "class_name": p.class_name, "sex": sex[p.student_id],
                             "item": item, "value": _rounded(item, values[item])})
    return pd.DataFrame(rows)


def _rounded(item: str, value: float) -> float:
    if item in ("vital_capacity", "rope_skipping", "sit_ups", "shuttle_50x8"):
        return float(max(0, round(value)))
    return round(value, 1)


def fitness_sample_path(year: int = 2025) -> Path:
    """The sample school's 体质测试 file of ``year`` (2024 or 2025).

    >>> fitness_sample_path(2025).name
    '体质测试_2025.xlsx'
    """
    if year not in FITNESS_YEARS:
        raise ValueError(f"示例学校只有 {'、'.join(map(str, FITNESS_YEARS))} 年的体质测试 (year)，"
                         f"收到 {year!r}。")
    return SAMPLE_DIR / "fitness" / f"体质测试_{year}.xlsx"


_HEADERS_2025 = {"height": "身高(cm)", "weight": "体重(kg)", "vital_capacity": "肺活量(毫升)",
                 "sprint_50m": "50米跑（秒）", "sit_and_reach": "坐位体前屈(cm)",
                 "rope_skipping": "1分钟跳绳（次）", "sit_ups": "1分钟仰卧起坐（次）",
                 "shuttle_50x8": "50米×8往返跑"}
_TEMPLATE_2024 = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期",
                  "身高", "体重", "肺活量", "50米跑", "立定跳远", "坐位体前屈", "800米跑", "1000米跑",
                  "一分钟仰卧起坐", "引体向上", "一分钟跳绳", "50米×8往返跑"]
_TEMPLATE_ITEMS = {"身高": "height", "体重": "weight", "肺活量": "vital_capacity",
                   "50米跑": "sprint_50m", "坐位体前屈": "sit_and_reach",
                   "一分钟仰卧起坐": "sit_ups", "一分钟跳绳": "rope_skipping",
                   "50米×8往返跑": "shuttle_50x8"}


def _wide(truth: pd.DataFrame, rng) -> pd.DataFrame:
    """One row per pupil, one column per item; about 1 % of cells a not-measured word."""
    keys = ["student_id", "name", "school", "grade", "class_id", "class_name", "sex"]
    wide = truth.pivot_table(index=keys, columns="item", values="value", aggfunc="first")
    wide = wide.reset_index().sort_values(["grade", "class_id", "student_id"],
                                          key=lambda s: s.map(_order_key) if s.name == "class_id"
                                          else s).reset_index(drop=True).astype(object)
    for item in [i for i in _HEADERS_2025 if i in wide]:
        for i in np.flatnonzero(wide[item].notna().to_numpy()):
            if rng.random() < 0.01:
                wide.at[i, item] = str(rng.choice(_REASONS))
    return wide


def _order_key(class_id: str):
    grade, _, number = str(class_id).partition("-")
    return int(grade) * 100 + int(number or 0)


def _time_text(seconds) -> object:
    """A time in seconds as 1'48\" (text); words stay as they are."""
    if isinstance(seconds, str) or pd.isna(seconds):
        return seconds
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}'{rest:02d}\""


def _minutes_dot(seconds) -> object:
    """A time in seconds as the template's minutes.seconds number (108 → 1.48)."""
    if isinstance(seconds, str) or pd.isna(seconds):
        return seconds
    minutes, rest = divmod(int(round(seconds)), 60)
    return round(minutes + rest / 100, 2)


def _write_rows(sheet, first_row: int, rows: list[list]) -> None:
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            sheet.write(first_row + r, c, v)


def _write_2025(path: Path, wide: pd.DataFrame) -> None:
    """One sheet per grade under a title, as a school's own 体测 workbook."""
    import xlsxwriter

    with xlsxwriter.Workbook(path) as wb:
        wb.set_properties({"created": _FIXED_TIME})
        for grade, part in wide.groupby("grade", sort=True):
            sheet = wb.add_worksheet(f"{_GRADE_CN[grade]}年级")
            header = ["序号", "学籍号", "姓名", "性别", "班级", *_HEADERS_2025.values()]
            sheet.merge_range(0, 0, 0, len(header) - 1,
                              f"青禾实验小学2025年{_GRADE_CN[grade]}年级国家学生体质健康标准测试成绩")
            sheet.write_row(1, 0, header)
            rows = [[i + 1, p.student_id, p.name, p.sex, p.class_name,
                     *[_time_text(getattr(p, item)) if item == "shuttle_50x8"
                       else getattr(p, item, None) for item in _HEADERS_2025]]
                    for i, p in enumerate(part.itertuples())]
            rows = _mess_2025(grade, rows)
            _write_rows(sheet, 2, rows)


def _mess_2025(grade: int, rows: list[list]) -> list[list]:
    """The few messy cells of the 2025 file (the import report shows each)."""
    if grade == 3:
        rows[2][8] = "8..5"  # 50米跑 typed twice a point
        rows[5][3] = ""  # 性别 left blank
        rows.append(list(rows[7]))  # a pupil pasted twice
        rows[-1][0] = len(rows)
    if grade == 5:
        rows[4][12] = "1'75\""  # 75 seconds cannot be
        rows[6][10] = "未到"  # a word the kit does not know
    if grade == 6:
        rows.append(["平均", "", "", "", "", *[""] * len(_HEADERS_2025)])
        rows.append(["制表人：体育组", *[""] * (4 + len(_HEADERS_2025))])
    return rows


def _write_2024(path: Path, wide: pd.DataFrame) -> None:
    """The national upload template: one sheet, codes for grade and sex, minutes.seconds."""
    import xlsxwriter

    with xlsxwriter.Workbook(path) as wb:
        wb.set_properties({"created": _FIXED_TIME})
        sheet = wb.add_worksheet("体测数据")
        sheet.write_row(0, 0, _TEMPLATE_2024)
        rows = []
        for p in wide.itertuples():
            cells = {"年级编号": 10 + p.grade, "班级编号": p.class_id.split("-")[1],
                     "班级名称": p.class_name, "学籍号": p.student_id, "民族代码": 1,
                     "姓名": p.name, "性别": 1 if p.sex == "男" else 2}
            for header, item in _TEMPLATE_ITEMS.items():
                value = getattr(p, item, None)
                cells[header] = _minutes_dot(value) if item == "shuttle_50x8" else value
            rows.append([cells.get(h) for h in _TEMPLATE_2024])
        _write_rows(sheet, 1, rows)


def write_fitness_sample(out_dir: str | Path | None = None, seed: int = SEED) -> Path:
    """Write both sample files into ``out_dir`` (default ``sample_data/fitness``)."""
    out = Path(out_dir) if out_dir else SAMPLE_DIR / "fitness"
    out.mkdir(parents=True, exist_ok=True)
    truth = simulate_fitness(seed)
    rng = np.random.default_rng(seed + 1)
    _write_2025(out / "体质测试_2025.xlsx", _wide(truth[truth["year"] == 2025], rng))
    _write_2024(out / "体质测试_2024.xlsx", _wide(truth[truth["year"] == 2024], rng))
    return out
