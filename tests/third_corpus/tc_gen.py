"""Third corpus: ordinary but unusual school situations, run end to end through the commands.

Each case is written by a seeded generator from plain values (pupils, classes, scores, teachers)
and carries its own truth computed here with plain pandas/numpy from those values — never with
the kit's functions. ``tc_judge.py`` runs the commands a teacher types and compares.

    python tests/third_corpus/tc_judge.py [substring ...]   -> prints a table of outcomes
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐思源佳琪俊杰诗涵宇航若曦嘉怡明轩晨阳梦琪天佑紫萱博文雅婷"
CN_GRADE = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}
LINES = {"pass": 0.60, "excellent": 0.85, "low": 0.40}  # the kit's documented defaults


def pupil_name(rng: np.random.Generator, used: set[str]) -> str:
    """A Chinese name not used yet in this case (identical names are planted on purpose)."""
    while True:
        name = rng.choice(list(SURNAMES)) + "".join(rng.choice(list(GIVEN), rng.integers(1, 3)))
        if name not in used:
            used.add(name)
            return name


def scores_for(rng, n: int, full: float, *, mean=0.72, sd=0.16, step=1.0) -> np.ndarray:
    """``n`` scores out of ``full`` on a ``step`` grid (0.5 gives half points)."""
    raw = np.clip(rng.normal(mean, sd, n), 0, 1) * full
    return np.clip(np.round(raw / step) * step, 0, full)


def make_pupils(rng, classes: dict[str, str], sizes: dict[str, int], subjects: dict[str, float],
                *, first_id=20250001, step=1.0, id_width=0) -> pd.DataFrame:
    """One row per pupil: student_id, name, class (as written), class_label (as the kit shows
    it), and one column per subject (NaN = 缺考)."""
    used: set[str] = set()
    rows, sid = [], first_id
    for written, label in classes.items():
        for _ in range(sizes[written]):
            ident = str(sid).zfill(id_width) if id_width else str(sid)
            rows.append({"student_id": ident, "name": pupil_name(rng, used),
                         "class": written, "class_label": label})
            sid += 1
    pupils = pd.DataFrame(rows)
    for subject, full in subjects.items():
        pupils[subject] = scores_for(rng, len(pupils), full, step=step)
    return pupils


def write_wide(path: Path, pupils: pd.DataFrame, subjects: list[str], *, title: str | None,
               id_header="学号", absent="缺考", ids_as_numbers=False) -> Path:
    """A school's wide score sheet: title row, 学号/姓名/班级 and one column per subject."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("成绩")
    r = 0
    if title:
        ws.write(0, 0, title)
        r = 1
    for c, h in enumerate([id_header, "姓名", "班级", *subjects]):
        ws.write(r, c, h)
    for _, p in pupils.iterrows():
        r += 1
        ws.write(r, 0, int(p["student_id"]) if ids_as_numbers else p["student_id"])
        ws.write(r, 1, p["name"])
        ws.write(r, 2, p["class"])
        for c, s in enumerate(subjects, start=3):
            v = p[s]
            ws.write(r, c, absent if pd.isna(v) else float(v))
    wb.close()
    return path


def write_rows(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A plain workbook: {sheet: rows} (dates written as Excel dates)."""
    wb = xlsxwriter.Workbook(str(path))
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_format)
                elif v is not None:
                    ws.write(r, c, v)
    wb.close()
    return path


def truth_summary(pupils: pd.DataFrame, full_marks: dict[str, float]) -> pd.DataFrame:
    """Per class label × subject, from the generator's values with plain pandas:
    应考, 实考, mean, 及格/优秀/低分/满分 counts (lines at 60/85/40 % of the full mark)."""
    rows = []
    for (label, subject), g in (pupils.melt(id_vars=["class_label"], value_vars=list(full_marks),
                                             var_name="subject", value_name="score")
                                .groupby(["class_label", "subject"], sort=False)):
        full = full_marks[subject]
        sat = g["score"].dropna()
        rows.append({"class": label, "subject": subject, "full": full, "n": len(g),
                     "n_sat": len(sat), "mean": sat.mean() if len(sat) else np.nan,
                     "n_pass": int((sat >= LINES["pass"] * full - 1e-9).sum()),
                     "n_excellent": int((sat >= LINES["excellent"] * full - 1e-9).sum()),
                     "n_low": int((sat < LINES["low"] * full - 1e-9).sum()),
                     "n_full": int((sat == full).sum())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# score-sheet cases: each returns {"name", "note", "file", "options", "truth", "extra", ...}
# --------------------------------------------------------------------------------------------
def grade_classes(grade: int, numbers, style="{g}({n})班") -> dict[str, str]:
    """Written class name → the label the kit shows (grade-number)."""
    return {style.format(g=CN_GRADE.get(grade, grade), n=n): f"{grade}-{n}" for n in numbers}


def score_case(folder: Path, name: str, note: str, pupils: pd.DataFrame,
               full_marks: dict[str, float], *, title: str, options=(), **extra) -> dict:
    file = write_wide(folder / f"{name}.xlsx", pupils, list(full_marks), title=title,
                      **extra.pop("sheet", {}))
    return {"name": name, "note": note, "kind": "scores", "file": str(file),
            "options": list(options), "truth": truth_summary(pupils, full_marks),
            "pupils": pupils, **extra}


TITLE = "第三实验学校2025—2026学年第一学期{grade}期末检测成绩统计表"
THREE = {"语文": 100.0, "数学": 100.0, "英语": 100.0}


def case_tiny_classes(folder, rng):
    classes = grade_classes(5, [1, 2, 3, 4])
    sizes = dict(zip(classes, [30, 1, 2, 3]))
    pupils = make_pupils(rng, classes, sizes, THREE)
    return score_case(folder, "tiny_classes", "classes of 1, 2 and 3 pupils beside one of 30",
                      pupils, THREE, title=TITLE.format(grade="五年级"))


def case_subject_absent_in_class(folder, rng):
    marks = {**THREE, "科学": 100.0}
    classes = grade_classes(5, [1, 2, 3, 4])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 25), marks)
    pupils.loc[pupils["class"] == "五(2)班", "科学"] = np.nan
    pupils.loc[[3, 40], "数学"] = np.nan  # two ordinary absences elsewhere
    return score_case(folder, "subject_absent_in_class", "every pupil of 五(2)班 缺考 in 科学",
                      pupils, marks, title=TITLE.format(grade="五年级"))


def case_all_fail_all_full(folder, rng):
    classes = grade_classes(6, [1, 2, 3])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 24), THREE)
    fail = pupils["class"] == "六(2)班"
    pupils.loc[fail, "数学"] = rng.integers(5, 60, fail.sum()).astype(float)
    full = pupils["class"] == "六(3)班"
    pupils.loc[full, "语文"] = 100.0
    return score_case(folder, "all_fail_all_full",
                      "六(2)班 all fail 数学; 六(3)班 all full marks in 语文",
                      pupils, THREE, title=TITLE.format(grade="六年级"))


def case_one_class(folder, rng):
    classes = grade_classes(3, [1])
    pupils = make_pupils(rng, classes, {"三(1)班": 38}, THREE)
    return score_case(folder, "one_class", "a grade of one class only",
                      pupils, THREE, title=TITLE.format(grade="三年级"))


def case_many_classes(folder, rng):
    classes = grade_classes(10, range(1, 33), style="高一({n})班")
    marks = {"语文": 150.0, "数学": 150.0, "英语": 150.0}
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 8), marks, step=0.5)
    return score_case(folder, "many_classes", "32 classes 高一(1)班…高一(32)班, out of 150",
                      pupils, marks, title="第三实验学校2025—2026学年第一学期高一期末考试成绩",
                      options=["--full-marks", "语文=150,数学=150,英语=150"])


def case_dash_classes(folder, rng):
    classes = {f"7-{n}": f"7-{n}" for n in range(1, 13)}
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 20), THREE)
    return score_case(folder, "dash_classes", "12 classes named 7-1 … 7-12 (7-10 after 7-9)",
                      pupils, THREE, title=TITLE.format(grade="七年级"))


def case_chuer_classes(folder, rng):
    classes = {f"初二{n}班": f"8-{n}" for n in range(1, 5)}
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 30), THREE)
    return score_case(folder, "chuer_classes", "classes named 初二1班 … 初二4班",
                      pupils, THREE, title=TITLE.format(grade="八年级"))


def case_experimental_classes(folder, rng):
    classes = {"实验班": "实验班", "平行1班": "平行1班", "平行2班": "平行2班"}
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 30), THREE)
    return score_case(folder, "experimental_classes", "classes 实验班, 平行1班, 平行2班 (--grade 8)",
                      pupils, THREE, title=TITLE.format(grade="八年级"), options=["--grade", "8"],
                      labels_free=True)


def case_mixed_full_marks(folder, rng):
    marks = {"语文": 120.0, "数学": 150.0, "道德与法治": 50.0}
    classes = grade_classes(7, [1, 2, 3])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 30), marks, step=0.5)
    pupils.loc[5, "道德与法治"] = 50.0  # one full mark out of 50
    pupils.loc[6, "语文"] = 72.0  # exactly on the pass line of 120
    pupils.loc[7, "数学"] = 127.5  # exactly on the excellent line of 150
    return score_case(folder, "mixed_full_marks",
                      "语文 out of 120, 数学 150, 道德与法治 50, half points, scores on the lines",
                      pupils, marks, title=TITLE.format(grade="七年级"),
                      options=["--full-marks", "语文=120,数学=150,道德与法治=50"])


def case_same_names(folder, rng):
    classes = grade_classes(4, [1, 2])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 26), THREE)
    pupils.loc[[1, 2], "name"] = "张伟"  # two 张伟 in 四(1)班, different 学号
    pupils.loc[30, "name"] = "张伟"  # and one in 四(2)班
    return score_case(folder, "same_names", "two pupils named 张伟 in one class, one more in another",
                      pupils, THREE, title=TITLE.format(grade="四年级"))


def case_numeric_ids(folder, rng):
    classes = grade_classes(5, [1, 2])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 25), THREE, first_id=1201,
                         id_width=6)
    return score_case(folder, "numeric_ids", "学号 with leading zeros written as numbers (1201)",
                      pupils, THREE, title=TITLE.format(grade="五年级"),
                      sheet={"ids_as_numbers": True})


def teacher_rows(assignments: list[tuple[str, str, str]], year="2025-2026", term="1"):
    """A 教学编排表 as schools keep it: 学年, 学期, 班级名称, 科目, 教师姓名."""
    return [["学年", "学期", "班级名称", "科目", "教师姓名"],
            *[[year, term, c, s, t] for c, s, t in assignments]]


def truth_teachers(pupils: pd.DataFrame, assignments) -> pd.DataFrame:
    """Per teacher × subject over the classes she teaches (classes absent from the scores
    add nobody): n_sat and mean, with plain pandas."""
    rows = []
    table = pd.DataFrame(assignments, columns=["class", "subject", "teacher"])
    for (teacher, subject), g in table.groupby(["teacher", "subject"], sort=False):
        sat = pupils.loc[pupils["class"].isin(g["class"]), subject].dropna()
        if len(sat):
            rows.append({"teacher": teacher, "subject": subject, "n_sat": len(sat),
                         "mean": sat.mean()})
    return pd.DataFrame(rows)


def case_teachers(folder, rng):
    marks = {**THREE, "科学": 100.0}
    classes = grade_classes(5, range(1, 7))
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 22), marks)
    names = list(classes)
    assignments = []
    for i, c in enumerate(names):
        assignments.append((c, "语文", f"语文{i + 1}老师"))
        assignments.append((c, "英语", "英语甲老师" if i < 3 else "英语乙老师"))
        assignments.append((c, "数学", "王芳" if i < 3 else f"数学{i + 1}老师"))
        assignments.append((c, "科学", "王芳" if i == 0 else "科学老师"))
    assignments.append(("五(9)班", "数学", "赵磊"))  # a class the score sheet does not have
    case = score_case(folder, "teachers", "王芳 teaches 数学 in three classes and 科学 in one; "
                      "the 教学编排表 names 五(9)班, absent from the scores",
                      pupils, marks, title=TITLE.format(grade="五年级"))
    case["teachers"] = str(write_rows(folder / "teachers_编排.xlsx",
                                      {"教学编排": teacher_rows(assignments)}))
    case["teacher_truth"] = truth_teachers(pupils, assignments)
    return case


def case_teacher_change(folder, rng):
    classes = grade_classes(5, [1, 2, 3])
    pupils = make_pupils(rng, classes, dict.fromkeys(classes, 25), THREE)
    assignments = [(c, s, f"{s}{i}老师") for i, c in enumerate(classes, 1) for s in THREE]
    assignments.append(("五(2)班", "语文", "接任老师"))  # mid-term change: two teachers
    case = score_case(folder, "teacher_change", "五(2)班 语文 has two teachers (mid-term change)",
                      pupils, THREE, title=TITLE.format(grade="五年级"))
    case["teachers"] = str(write_rows(folder / "teacher_change_编排.xlsx",
                                      {"教学编排": teacher_rows(assignments)}))
    case["teachers_refused"] = "五(2)班|5-2"
    return case


def case_previous_redivided(folder, rng):
    """Last term 四年级 (four classes, 品德) → this term 五年级 re-divided (科学 instead of 品德):
    five pupils left, six joined; this term's 学号 keep leading zeros as text, last term's
    were typed as numbers."""
    before_marks = {**THREE, "品德": 100.0}
    now_marks = {**THREE, "科学": 100.0}
    before_classes = grade_classes(4, [1, 2, 3, 4])
    before = make_pupils(rng, before_classes, dict.fromkeys(before_classes, 24), before_marks,
                         first_id=12001, id_width=6)
    stay = before.drop(index=rng.choice(before.index, 5, replace=False))
    now_classes = grade_classes(5, [1, 2, 3, 4])
    new_class = rng.permutation(np.repeat(list(now_classes), int(np.ceil(len(stay) / 4))))
    now = stay[["student_id", "name"]].assign(**{"class": new_class[:len(stay)]})
    used = set(before["name"])
    joined = pd.DataFrame({"student_id": [str(13001 + i).zfill(6) for i in range(6)],
                           "name": [pupil_name(rng, used) for _ in range(6)],
                           "class": list(now_classes)[:4] + list(now_classes)[:2]})
    now = pd.concat([now, joined], ignore_index=True)
    now["class_label"] = now["class"].map(now_classes)
    for subject, full in now_marks.items():
        now[subject] = scores_for(rng, len(now), full)
    prev_file = write_wide(folder / "previous_四年级下期末.xlsx", before, list(before_marks),
                           title="第三实验学校2024—2025学年第二学期四年级期末检测成绩统计表",
                           ids_as_numbers=True)
    case = score_case(folder, "previous_redivided", "re-divided classes, 5 left, 6 joined, "
                      "科学 added and 品德 dropped, 学号 as text now and as numbers before",
                      now, now_marks, title=TITLE.format(grade="五年级"))
    case["previous"] = str(prev_file)
    case["matched"] = len(stay)
    case["left"], case["joined"] = 5, 6
    return case


SCORE_CASES = [case_tiny_classes, case_subject_absent_in_class, case_all_fail_all_full,
               case_one_class, case_many_classes, case_dash_classes, case_chuer_classes,
               case_experimental_classes, case_mixed_full_marks, case_same_names,
               case_numeric_ids, case_teachers, case_teacher_change, case_previous_redivided]


def build_scores(folder: str | Path, seed: int = 20261202) -> list[dict]:
    """Every score-sheet case written into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder, np.random.default_rng([seed, i]))
            for i, make in enumerate(SCORE_CASES)]


# --------------------------------------------------------------------------------------------
# 小题分 (item) cases
# --------------------------------------------------------------------------------------------
def item_case(folder: Path, name: str, note: str, item_max: list[float], points: np.ndarray,
              classes: list[str], **extra) -> dict:
    """An item file (学号, 姓名, 班级, 第1题…) with a 小题信息 sheet; truth: each item's P
    (mean ÷ max) and the number of pupils."""
    n, k = points.shape
    used: set[str] = set()
    head = ["学号", "姓名", "班级", *[f"第{i + 1}题" for i in range(k)]]
    rows = [head] + [[str(30001 + r), pupil_name(np.random.default_rng(r), used), classes[r],
                      *[float(v) for v in points[r]]] for r in range(n)]
    info = [["题号", "满分", "知识点", "题型", "答案"]] + [
        [str(i + 1), item_max[i], ["数与运算", "图形与几何", "统计与概率"][i % 3], "解答题", None]
        for i in range(k)]
    file = write_rows(folder / f"2025-2026-1 期末 五年级 数学 {name} 小题分.xlsx",
                      {"小题得分": rows, "小题信息": info})
    truth = pd.DataFrame({"item": [str(i + 1) for i in range(k)], "max": item_max,
                          "p": points.mean(axis=0) / np.asarray(item_max, dtype=float)})
    return {"name": name, "note": note, "kind": "items", "file": str(file), "truth": truth,
            "n": n, **extra}


def case_items_extremes(folder, rng):
    item_max = [2, 2, 4, 4, 5, 5, 10, 10]
    n = 60
    ability = rng.normal(0, 1, n)
    points = np.column_stack([
        np.round(np.clip(0.6 + 0.2 * ability + rng.normal(0, 0.15, n), 0, 1) * m)
        for m in item_max]).astype(float)
    points[:, 0] = 2  # everyone right
    points[:, 1] = 0  # everyone wrong
    points[:, 2] = 2  # everyone the same half mark: zero variance
    classes = ["五(1)班"] * 20 + ["五(2)班"] * 20 + ["五(3)班"] * 20
    return item_case(folder, "items_extremes", "an item everyone got right, one everyone got "
                     "wrong, one with the same half mark for all", item_max, points, classes)


def case_items_one_item(folder, rng):
    points = np.round(rng.uniform(0, 10, (40, 1)))
    return item_case(folder, "items_one_item", "a paper of a single item (no α possible)",
                     [10], points, ["五(1)班"] * 40)


def case_items_small_class(folder, rng):
    item_max = [5, 5, 10]
    points = np.column_stack([np.round(rng.uniform(0, m, 12)) for m in item_max])
    return item_case(folder, "items_small_class", "12 pupils only (no D, no α under 20)",
                     item_max, points, ["五(1)班"] * 12)


ITEM_CASES = [case_items_extremes, case_items_one_item, case_items_small_class]


# --------------------------------------------------------------------------------------------
# 体测 (fitness) cases
# --------------------------------------------------------------------------------------------
FIT_HEAD = ["序号", "学籍号", "姓名", "性别", "班级", "身高(cm)", "体重(kg)", "肺活量(毫升)",
            "50米跑（秒）", "坐位体前屈(cm)", "1分钟跳绳（次）", "1分钟仰卧起坐（次）", "50米×8往返跑"]


def fitness_row(rng, i: int, grade: int, klass: str, used: set[str]) -> list:
    """One pupil's measurements as the 体测 form has them (仰卧起坐 from grade 3, 50米×8 from
    grade 5)."""
    row = [i, str(20250000 + i), pupil_name(rng, used), rng.choice(["男", "女"]), klass,
           round(float(rng.normal(125 + 5 * grade, 6)), 1),
           round(float(rng.normal(22 + 3 * grade, 4)), 1), int(rng.normal(900 + 250 * grade, 250)),
           round(float(rng.normal(11.5 - 0.3 * grade, 0.8)), 1), round(float(rng.normal(8, 4)), 1),
           int(rng.normal(70 + 12 * grade, 25)),
           int(rng.normal(20 + 3 * grade, 7)) if grade >= 3 else None,
           f"1'{int(rng.integers(35, 59))}\"" if grade >= 5 else None]
    return row


def case_fitness_mixed(folder, rng):
    """One sheet mixing 三年级 and 五年级 pupils; 免测 pupils; blank (missing) items."""
    used: set[str] = set()
    rows, grades = [FIT_HEAD], []
    for i, (grade, klass) in enumerate([(3, "三(1)班")] * 25 + [(5, "五(2)班")] * 25, start=1):
        rows.append(fitness_row(rng, i, grade, klass, used))
        grades.append(grade)
    for r in (3, 30):  # 免测 for every item of two pupils (excused, e.g. ill)
        rows[r][5:] = ["免测"] * 8 if rows[r][12] else ["免测"] * 7 + [None]
    rows[10][8] = None  # a blank 50米跑
    rows[40][10] = None  # a blank 跳绳
    file = write_rows(folder / "fitness_mixed_体测.xlsx", {"体测成绩": rows})
    return {"name": "fitness_mixed", "note": "三年级 and 五年级 in one sheet, 免测, blank items",
            "kind": "fitness", "file": str(file), "n": len(grades),
            "per_class": {"三(1)班": 25, "五(2)班": 25}}


FITNESS_CASES = [case_fitness_mixed]


# --------------------------------------------------------------------------------------------
# 教学常规 (routine) cases
# --------------------------------------------------------------------------------------------
def case_routine_empty_month(folder, rng):
    """Five teachers checked every month of the autumn term except November (no check at all)."""
    teachers = [("李红", "语文", "教研组长"), ("王刚", "数学", "教师"), ("赵敏", "英语", "教师"),
                ("周平", "科学", "教师"), ("孙校长", "语文", "校长")]
    records = [["日期", "检查类型", "教师", "学科", "项目", "数量", "等级或得分", "检查人", "备注"]]
    grades = ["优", "良", "中", "差"]
    for month in (9, 10, 12):
        for name, subject, _ in teachers:
            for item in ("备课", "作业批改"):
                records.append([dt.date(2025, month, 10), "月查", name, subject, item, None,
                                str(rng.choice(grades)), "教导处", None])
    for name, subject, _ in teachers:
        for day in (dt.date(2025, 9, 20), dt.date(2025, 12, 5)):
            records.append([day, "抽查", name, subject, "上课", None, "良", "教导处", None])
        records.append([dt.date(2025, 10, 15), "月查", name, subject, "听课", 6, None, "教导处",
                        None])
    people = [["教师", "学科", "职务", "任教班级"]] + [[n, s, d, "五(1)班"] for n, s, d in teachers]
    file = write_rows(folder / "routine_empty_month_检查记录.xlsx",
                      {"检查记录": records, "教师": people})
    weights = {"备课": 0.25, "上课": 0.20, "作业批改": 0.25, "辅导": 0.10, "检测": 0.10, "反思": 0.10}
    points = {"优": 95, "良": 85, "中": 75, "差": 60}  # templates/常规考核.toml [default]
    return {"name": "routine_empty_month", "note": "no check at all in November", "kind": "routine",
            "file": str(file), "teachers": [t[0] for t in teachers], "empty_month": 11,
            "truth": routine_truth(records, weights, points)}


ROUTINE_CASES = [case_routine_empty_month]


def build(kind_cases, folder: str | Path, seed: int = 20261202) -> list[dict]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [make(folder, np.random.default_rng([seed, 100 + i]))
            for i, make in enumerate(kind_cases)]


# --------------------------------------------------------------------------------------------
# 预警 (alerts) and 回头看 (register → review)
# --------------------------------------------------------------------------------------------
def case_alerts_weak_class(folder, rng):
    """One cohort over three school years (三年级 → 五年级, 第二学期期末), three classes of 30; the
    third class is one standard deviation below the others every year, the others alike."""
    files = []
    ids = [str(20200001 + i) for i in range(90)]
    used: set[str] = set()
    names = [pupil_name(rng, used) for _ in ids]
    for k, (year, grade) in enumerate([("2022-2023", 3), ("2023-2024", 4), ("2024-2025", 5)]):
        classes = grade_classes(grade, [1, 2, 3])
        pupils = pd.DataFrame({"student_id": ids, "name": names,
                               "class": np.repeat(list(classes), 30)})
        for subject in THREE:
            shift = np.where(pupils["class"].str.contains("3"), -0.16, 0.0)
            pupils[subject] = np.clip(np.round((rng.normal(0.75, 0.10, 90) + shift) * 100), 0, 100)
        title = f"第三实验学校{year[:4]}—{year[5:]}学年第二学期{CN_GRADE[grade]}年级期末检测成绩统计表"
        files.append(str(write_wide(folder / f"alerts_{year}.xlsx", pupils, list(THREE),
                                    title=title)))
    return {"name": "alerts_weak_class", "note": "a class far below the others three years running",
            "kind": "alerts", "files": files, "weak": "5-3", "years": 3}


def case_register_review(folder, rng):
    """期中 then 期末 of one grade: the 期中's 存在问题 go into the 台账, the 期末 is reviewed."""
    classes = grade_classes(6, [1, 2, 3])
    mid = make_pupils(rng, classes, dict.fromkeys(classes, 28), THREE)
    mid.loc[mid["class"] == "六(2)班", "数学"] -= 25  # a clear 低分率 problem in 6-2
    mid["数学"] = mid["数学"].clip(lower=0)
    end = mid.copy()
    for subject in THREE:
        end[subject] = scores_for(rng, len(end), 100.0)
    files = {}
    for exam, table in (("期中", mid), ("期末", end)):
        files[exam] = str(write_wide(
            folder / f"register_{exam}.xlsx", table, list(THREE),
            title=f"第三实验学校2025—2026学年第一学期六年级{exam}检测成绩统计表"))
    return {"name": "register_review", "note": "期中 problems into the 台账, 期末 reviewed",
            "kind": "cycle", "files": files, "truth_mid": truth_summary(mid, THREE),
            "truth_end": truth_summary(end, THREE)}


CYCLE_CASES = [case_alerts_weak_class, case_register_review]


def routine_truth(records: list[list], weights: dict[str, float],
                  points: dict[str, float]) -> dict[str, float]:
    """常规考核得分 by the template's rule, by hand: each item's mean points, weighted over the
    weighted items that have a score (reweighted)."""
    frame = pd.DataFrame(records[1:], columns=records[0])
    frame = frame[frame["项目"].isin(weights) & frame["等级或得分"].notna()]
    frame = frame.assign(points=frame["等级或得分"].map(points))
    means = frame.groupby(["教师", "项目"])["points"].mean().reset_index()
    means["w"] = means["项目"].map(weights)
    return {t: float((g["points"] * g["w"]).sum() / g["w"].sum())
            for t, g in means.groupby("教师")}


# 学校, 年级, 科目, 班级, 教师, 位次, 参评数 — and the amount of the non-graduating preset by hand
AWARD_ROWS = [("一中", "七年级", "数学", "7-1", "甲老师", 5, 20),   # 倒数16: 6×20+5×30+2×50
              ("一中", "七年级", "语文", "7-10", "乙老师", 1, 20),  # 倒数20: 120+150+6×50+300
              ("一中", "七年级", "数学", "7-2", "丙老师", 10, 20),  # two courses: 倒数 11 and 9,
              ("一中", "七年级", "科学", "7-2", "丙老师", 4, 12),   # mean 10: 6×20 + 1×30
              ("一中", "七年级", "英语", "7-1", "丁老师", 1, 1),    # alone ranked: 1st's 300
              ("一中", "七年级", "数学", "7-3", "戊老师", 20, 20)]  # last: nothing
AWARD_TRUTH = {"甲老师": 370, "乙老师": 870, "丙老师": 150, "丁老师": 300, "戊老师": 0}


def case_awards_dash_classes(folder, rng):
    rows = [["学校", "年级", "科目", "班级", "教师", "位次", "参评数"], *map(list, AWARD_ROWS)]
    file = write_rows(folder / "awards_通报.xlsx", {"通报": rows})
    return {"name": "awards_dash_classes", "note": "通报 with classes 7-1, 7-10; one teacher of two "
            "courses; a subject ranked alone", "kind": "awards", "file": str(file),
            "truth": AWARD_TRUTH}
