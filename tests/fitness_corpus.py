"""A seeded corpus of school 体测 exports with the truth built in (the fitness reader's yardstick).

Each case writes one file as schools and their upload systems produce it, and keeps, for every
cell of every pupil row, what a person reading the sheet knows it holds:

- ``Cell(value=…)``: a measurement, in the kit's unit (seconds, cm, ml, kg, counts), whatever
  way the sheet writes it (``1.48`` 分.秒 in a column of 分.秒, ``4'05"``, ``4′05″``, an Excel
  time, a number stored as text);
- ``Cell(reason=…)``: not measured, with the word written (免测, 病假, 缺测);
- ``Cell(bad=…)``: a cell nobody can read (``8..5``), which must be named in the import report.

The layouts: the national upload template (年级编号/班级编号/性别 1–2 codes, 民族代码 and other
columns the kit does not import, a merged title row, 往返跑 in 分.秒), one sheet per class with
the class only in the sheet's name and 耐力跑 as 4'05", a GB18030 CSV with a BOM, and an .xls
whose 1000米/800米 cells are Excel times. Nothing binary is committed: ``build(folder)`` writes
the files at test time. ``tests/test_fitness_corpus.py`` is the judge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from messy_sheets.grid import Grid, letter
from messy_sheets.writers import csv_gb18030_bom, xls_xlwt, xlsx_openpyxl

SEED = 2014
#: Plausible values of each item (low, high, step), in the kit's units.
RANGES = {
    "height": (110.0, 185.0, 0.1), "weight": (18.0, 80.0, 0.1),
    "vital_capacity": (600, 4500, 1), "sprint_50m": (6.8, 14.0, 0.1),
    "sit_and_reach": (-8.0, 25.0, 0.1), "rope_skipping": (20, 200, 1), "sit_ups": (5, 60, 1),
    "shuttle_50x8": (90, 150, 1), "standing_long_jump": (120, 260, 1), "pull_ups": (0, 18, 1),
    "run_1000m": (200, 330, 1), "run_800m": (190, 300, 1),
}
CHINESE_CLASS = "一二三四五六"


@dataclass(frozen=True)
class Cell:
    """What one cell of a pupil row holds (exactly one of value, reason, bad)."""

    value: float | None = None
    reason: str = ""
    bad: str = ""


@dataclass
class Row:
    """A pupil row as written: its Excel row (1-based), sheet, and cells by (item, column)."""

    student_id: str
    sex: str
    grade: int
    class_id: str
    sheet: str
    excel_row: int
    cells: dict[str, tuple[str, Cell]] = field(default_factory=dict)  # item → (column, cell)


@dataclass
class FitnessCase:
    """One file of the corpus: how it is written and the truth of every pupil row."""

    name: str
    filename: str
    description: str
    grids: list[Grid]
    rows: list[Row]
    writer: Callable

    def write(self, path: Path) -> None:
        self.writer(path, self.grids)


def _draw(rng, item: str) -> float:
    low, high, step = RANGES[item]
    n = int(round((high - low) / step))
    value = low + step * int(rng.integers(0, n + 1))
    return round(value, 1) if step < 1 else float(int(round(value)))


def _items(grade: int, sex: str) -> list[str]:
    """The items a pupil of ``grade`` and ``sex`` is tested on (2014 standard)."""
    body = ["height", "weight", "vital_capacity", "sprint_50m", "sit_and_reach"]
    if grade <= 6:
        extra = ["rope_skipping"] + (["sit_ups"] if grade >= 3 else []) + \
            (["shuttle_50x8"] if grade >= 5 else [])
    else:
        extra = ["standing_long_jump"] + (["pull_ups", "run_1000m"] if sex == "男"
                                          else ["sit_ups", "run_800m"])
    return body + extra


def _cell(rng, item: str, *, reasons=("免测", "病假", "缺测"), p_reason=0.03) -> Cell:
    if rng.random() < p_reason:
        return Cell(reason=str(rng.choice(reasons)))
    return Cell(value=_draw(rng, item))


def _mmss(seconds: float, style: str) -> object:
    """A time in seconds as a school writes it."""
    m, s = divmod(int(seconds), 60)
    return {"quote": f"{m}'{s:02d}\"", "prime": f"{m}′{s:02d}″", "dot": float(f"{m}.{s:02d}"),
            "excel": dt.time(0, m, s), "colon": f"{m}:{s:02d}"}[style]


def _written(cell: Cell, item: str, style: str) -> object:
    """The text or number in the file for ``cell``."""
    if cell.reason:
        return cell.reason
    if cell.bad:
        return cell.bad
    if item in ("shuttle_50x8", "run_800m", "run_1000m") and style != "seconds":
        return _mmss(cell.value, style)
    return int(cell.value) if float(cell.value).is_integer() and item not in (
        "height", "weight", "sprint_50m", "sit_and_reach") else cell.value


def _pupils(rng, grade: int, classes: int, size: int, first_id: int):
    """(student_id, name, sex, class number) of each pupil, class by class."""
    surnames, given = "王李张刘陈杨黄赵吴周", "子涵浩然欣怡梓轩雨桐宇航诗琪俊杰"
    out, sid = [], first_id
    for k in range(1, classes + 1):
        for _ in range(size):
            name = rng.choice(list(surnames)) + "".join(rng.choice(list(given), 2))
            out.append((f"G{sid:08d}", name, "男" if rng.random() < 0.5 else "女", k))
            sid += 1
    return out


def national_template_xlsx(seed: int = SEED) -> FitnessCase:
    """五年级, the national upload template's columns and codes; 往返跑 in 分.秒; a title row
    merged across the table; a bad 50米跑 cell."""
    rng = np.random.default_rng(seed)
    items = ["height", "weight", "vital_capacity", "sprint_50m", "sit_and_reach",
             "rope_skipping", "sit_ups", "shuttle_50x8"]
    heads = ["身高", "体重", "肺活量", "50米跑", "坐位体前屈", "一分钟跳绳", "一分钟仰卧起坐",
             "50米×8往返跑"]
    header = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期",
              "家庭住址", *heads]
    grid = Grid("Sheet1", rows=[["青禾实验小学2025年国家学生体质健康标准测试数据（上报）"], header])
    grid.merges.append((0, 0, 0, len(header) - 1))
    rows = []
    for i, (sid, name, sex, k) in enumerate(_pupils(rng, 5, 3, 30, 25001)):
        row = Row(sid, sex, 5, f"5-{k}", "Sheet1", len(grid.rows) + 1)
        line = [15, 1500 + k, f"五({k})班", sid, "01", name, 1 if sex == "男" else 2,
                "2014-09-01", "县城"]
        for j, item in enumerate(items):
            cell = Cell(bad="8..5") if (item == "sprint_50m" and i % 29 == 7) else _cell(rng, item)
            row.cells[item] = (letter(len(header) - len(items) + j), cell)
            line.append(_written(cell, item, "dot"))
        grid.rows.append(line)
        rows.append(row)
    return FitnessCase("national_template_xlsx", "2025体测上报.xlsx",
                       "上报模板：年级编号 15、班级编号、性别 1/2、民族代码等不导入的列，合并的标题行，"
                       "往返跑写成分.秒（1.48），一个 50米跑 写成 8..5", [grid], rows, xlsx_openpyxl)


def sheet_per_class_xlsx(seed: int = SEED + 1) -> FitnessCase:
    """初二, one sheet per class named 初二(k)班 with no class column; 耐力跑 as 4'05" or
    4′05″ by sex; 引体向上 (男) and 1分钟仰卧起坐 (女) in two columns."""
    rng = np.random.default_rng(seed)
    header = ["学籍号", "姓名", "性别", "年级", "身高(cm)", "体重(kg)", "肺活量(毫升)", "50米跑(秒)",
              "坐位体前屈(cm)", "立定跳远(cm)", "引体向上(次)", "1分钟仰卧起坐(次)", "耐力跑"]
    column = {"height": 4, "weight": 5, "vital_capacity": 6, "sprint_50m": 7, "sit_and_reach": 8,
              "standing_long_jump": 9, "pull_ups": 10, "sit_ups": 11, "run_1000m": 12,
              "run_800m": 12}
    grids, rows = [], []
    for k in range(1, 4):
        grid = Grid(f"初二({k})班", rows=[header])
        for sid, name, sex, _ in _pupils(rng, 8, 1, 28, 80001 + 100 * k):
            row = Row(sid, sex, 8, f"8-{k}", grid.name, len(grid.rows) + 1)
            line = [sid, name, sex, "初二"] + [""] * (len(header) - 4)
            for item in _items(8, sex):
                cell = _cell(rng, item)
                row.cells[item] = (letter(column[item]), cell)
                line[column[item]] = _written(cell, item, "quote" if sex == "男" else "prime")
            grid.rows.append(line)
            rows.append(row)
        grids.append(grid)
    return FitnessCase("sheet_per_class_xlsx", "初二体测成绩.xlsx",
                       "每班一个工作表（班级只在工作表名中），耐力跑一列按性别读作 1000米/800米，"
                       "写成 4'05\" 或 4′05″", grids, rows, xlsx_openpyxl)


def gb18030_csv(seed: int = SEED + 2) -> FitnessCase:
    """六年级, a GB18030 CSV with a BOM: 班级 as 六(k)班, numbers as text, 往返跑 in seconds."""
    rng = np.random.default_rng(seed)
    items = _items(6, "男")
    heads = ["身高", "体重", "肺活量", "50米跑", "坐位体前屈", "1分钟跳绳", "1分钟仰卧起坐",
             "50米×8往返跑(秒)"]
    header = ["学号", "姓名", "性别", "班级", *heads]
    grid = Grid("csv", rows=[header])
    rows = []
    for sid, name, sex, k in _pupils(rng, 6, 2, 35, 60001):
        row = Row(sid, sex, 6, f"6-{k}", "", len(grid.rows) + 1)
        line = [sid, name, sex, f"{CHINESE_CLASS[5]}({k})班"]
        for j, item in enumerate(items):
            cell = _cell(rng, item)
            row.cells[item] = (letter(4 + j), cell)
            line.append(_written(cell, item, "seconds"))
        grid.rows.append(line)
        rows.append(row)
    return FitnessCase("gb18030_csv", "六年级体测.csv", "GB18030 编码（带 BOM）的 CSV，班级写成六(1)班，"
                       "往返跑写秒数", [grid], rows, csv_gb18030_bom)


def excel_time_xls(seed: int = SEED + 3) -> FitnessCase:
    """初三 in an .xls (BIFF8): 1000米跑 and 800米跑 columns as Excel times (mm:ss format)."""
    rng = np.random.default_rng(seed)
    header = ["学籍号", "姓名", "性别", "班级", "身高", "体重", "肺活量", "50米跑", "坐位体前屈",
              "立定跳远", "引体向上", "一分钟仰卧起坐", "1000米跑", "800米跑"]
    column = {"height": 4, "weight": 5, "vital_capacity": 6, "sprint_50m": 7, "sit_and_reach": 8,
              "standing_long_jump": 9, "pull_ups": 10, "sit_ups": 11, "run_1000m": 12,
              "run_800m": 13}
    grid = Grid("初三", rows=[["初三年级体质健康测试成绩"], header])
    grid.merges.append((0, 0, 0, len(header) - 1))
    rows = []
    for sid, name, sex, k in _pupils(rng, 9, 2, 30, 90001):
        r = len(grid.rows)
        row = Row(sid, sex, 9, f"9-{k}", "初三", r + 1)
        line = [sid, name, sex, f"初三({k})班"] + [""] * (len(header) - 4)
        for item in _items(9, sex):
            cell = _cell(rng, item)
            row.cells[item] = (letter(column[item]), cell)
            if item.startswith("run_") and cell.value is not None:
                line[column[item]] = cell.value / 86400  # an Excel time: a fraction of a day
                grid.formats[(r, column[item])] = "mm:ss"
            else:
                line[column[item]] = _written(cell, item, "seconds")
        grid.rows.append(line)
        rows.append(row)
    return FitnessCase("excel_time_xls", "初三体测.xls", ".xls，1000米跑/800米跑 存成 Excel 时间"
                       "（mm:ss 格式），合并的标题行", [grid], rows, xls_xlwt)


CASES = (national_template_xlsx, sheet_per_class_xlsx, gb18030_csv, excel_time_xls)


def build(folder: Path) -> dict[str, tuple[FitnessCase, Path]]:
    """Write every case into ``folder``; name → (case, path)."""
    out = {}
    for factory in CASES:
        case = factory()
        path = Path(folder) / case.filename
        case.write(path)
        out[case.name] = (case, path)
    return out
