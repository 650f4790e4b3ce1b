"""The bundled sample school: a seeded generator and one loader.

Model (documented so that later analyses can check they recover it)
-----------------------------------------------------------------
One primary school (青禾实验小学), grades 1–6, 3–5 classes per cohort, 40–48 pupils per class,
three school years (2023-2024 … 2025-2026) × two terms × 期中/期末.

* Each pupil has an ability ``theta ~ N(0, 1)`` that persists: from one year to the next it
  moves by ``N(0, 0.2)``; each subject adds a pupil-specific ``N(0, 0.5)``.
* Each cohort (届) has an effect ``N(0, 0.15)``; each class an effect ``N(0, 0.15)``; each
  paper (exam × grade × subject) a difficulty ``N(0, 0.2)``; each sitting a noise
  ``N(0, 0.45)``.
* Each teacher (per subject) has a value-added effect ``N(0, 0.25)``
  (``sample_data/truth/teacher_effects.csv``): over a school year he adds it to the latent of
  every pupil he teaches, half in each term (a quarter by 期中), and what is learnt stays
  with the pupil. So a class's gain from one 期末 to the next is its teacher's effect, which
  is what value-added models estimate.
* The score is ``full_mark × sigmoid(1.6 + latent)``, rounded to 0.5. Grades 1–2 sit no paper
  exam (2021 rules): only 等级 优秀/良好/合格/待合格 at 90/80/60 are recorded.
* Each sitting: 1.2 % absent (缺考), 0.3 % on leave (请假). Between years about 3 % transfer out
  and a few pupils transfer in; one pupil per grade transfers out between 期中 and 期末 of the
  spring term and appears as 转学 in that 期末. Teachers usually keep a class from year to year;
  about one class-subject in six changes teacher each year, and one changes mid-year.
* In 2025-2026-1 期末, grades 3–6, 数学 is marked item by item (20 小题 with max marks and
  knowledge points: 8 选择题 right or wrong, 4 填空题, 8 解答题 with partial credit, each
  answered as a 2PL item by the pupil's latent); its total is the sum of the items. The file
  holds the letters chosen on the 选择题 with the key in its 小题信息 sheet, as marking
  systems export them. 选择题 6 is ambiguous: a distractor draws the stronger pupils, so its
  discrimination is negative (the kind of item the paper analysis must flag).

The files are written as a school has them: year 1 with one sheet per class and a 填写说明
sheet; year 2 one sheet per grade with short headers (语/数/英/科), class names like ``5(1)``,
markers 缺/Q and a few scores typed as text or full-width digits; year 3 as an exam-system
export with a two-row merged header (subject over 得分/班次) and "缺考，不计排名".
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import SAMPLE_DATA

__all__ = ["simulate", "write_sample", "load_sample", "sample_path", "sample_files",
           "term_files", "previous_exam", "SAMPLE_DIR", "SampleSchool"]

SCHOOL = "青禾实验小学"
YEARS = ("2023-2024", "2024-2025", "2025-2026")
EXAM_KINDS = ("期中", "期末")
GRADE_CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
TERM_CN = {1: "一", 2: "二"}
LEVEL_ONLY_GRADES = (1, 2)
ITEM_EXAM = "2025-2026-1 期末"
ITEM_SUBJECT = "数学"
FLAWED_ITEM = "6"
TAUGHT_BY = {"期中": 0.25, "期末": 0.5}  # share of a teacher's yearly effect taught by the exam  # in every grade's item paper: the stronger pupils fall for a distractor
SAMPLE_DIR = Path(os.environ.get("QUALITYKIT_SAMPLE_DATA", SAMPLE_DATA))
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_GIVEN = list("子梓浩宇轩涵欣怡雨萱一诺思彤俊杰佳琪晨曦博文嘉懿若汐宸睿泽昊然紫馨语桐可馨奕辰沐阳安琪雅婷明哲天佑书瑶子墨梦琪浩然诗涵欣妍嘉怡沛霖锦程")
_KNOWLEDGE = ["数与运算", "数量关系", "图形与几何", "测量", "统计与概率", "综合与实践"]


def _subjects(grade: int) -> list[str]:
    return ["语文", "数学"] + (["英语", "科学"] if grade >= 3 else [])


def exam_names() -> list[str]:
    """All sample exams in time order: ``"2023-2024-1 期中"`` … ``"2025-2026-2 期末"``."""
    return [f"{y}-{t} {k}" for y in YEARS for t in (1, 2) for k in EXAM_KINDS]


@dataclass
class SampleSchool:
    """Everything the generator made, before it is written as messy school files."""

    scores: pd.DataFrame  # canonical long table (truth)
    roster: pd.DataFrame  # one row per student × school_year
    teachers: pd.DataFrame  # canonical teacher table
    items: pd.DataFrame  # item-level scores
    item_info: pd.DataFrame  # item_id, item_max, knowledge_point, item_type per grade
    teacher_effects: pd.DataFrame  # teacher, subject, effect (the generator's truth)


def simulate(seed: int = 20240901) -> SampleSchool:
    """Simulate the sample school (see the module docstring for the model).

    Returns
    -------
    SampleSchool
        ``scores`` (the canonical columns less the source ones, plus ``teacher``), ``roster``
        (``school_year``, ``student_id``, ``name``, ``school``, ``grade``, ``class_id``,
        ``class_name``), ``teachers`` (the canonical teacher table), ``items``
        (``student_id``, ``exam``, ``grade``, ``class_id``, ``subject``, ``item_id``,
        ``score``), ``item_info`` (``grade``, ``item_id``, ``item_max``, ``knowledge_point``,
        ``item_type``, ``difficulty``, ``discrimination``) and ``teacher_effects``
        (``teacher``, ``subject``, ``effect``).
    """
    sim = _Simulation(np.random.default_rng(seed))
    sim.enrol_cohorts()
    sim.assign_teachers()
    item_info = _item_bank(sim.rng)
    for yi, year in enumerate(YEARS):
        sim.school_year(yi, year, item_info)
    return SampleSchool(scores=pd.DataFrame(sim.rows), roster=pd.DataFrame(sim.roster_rows),
                        teachers=sim.teacher_table(), items=pd.DataFrame(sim.item_rows),
                        item_info=item_info, teacher_effects=pd.DataFrame([
                            {"teacher": t, "subject": s, "effect": eff}
                            for t, (s, eff) in sim.teacher_effect.items()]))


class _Simulation:
    """The sample school while it is simulated: pupils, classes, teachers and what they sat.

    Every random draw is made in one fixed order from ``rng``, so that a seed gives the same
    school (and the bundled files stay what ``make sample`` writes).
    """

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        # cohorts: entry year index e (grade 1 in year e); years 0..2, grades 1..6 -> e in -5..2
        self.cohorts = {e: {"n_classes": int(rng.integers(3, 6)), "effect": rng.normal(0, 0.15)}
                        for e in range(-5, 3)}
        self.students: dict[str, dict] = {}
        self.class_effect: dict[tuple[int, int], float] = {}
        self.serial = 0
        self.teacher_names: list[str] = []
        self.teacher_effect: dict[str, tuple[str, float]] = {}
        self.assignment: dict[tuple, str] = {}  # (year, term, cohort, class, subject) -> teacher
        self.difficulty: dict[tuple, float] = {}  # (exam, grade, subject) -> the paper's
        self.rows: list[dict] = []
        self.roster_rows: list[dict] = []
        self.item_rows: list[dict] = []

    def new_student(self, entry: int, cls: int) -> str:
        """A pupil of cohort ``entry`` joining class ``cls``; their id."""
        rng = self.rng
        self.serial += 1
        sid = f"{2023 + entry}{self.serial:04d}"
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN, size=int(rng.integers(1, 3))))
        self.students[sid] = {"name": name, "entry": entry, "class": cls,
                              "theta": rng.normal(0, 1), "subj": rng.normal(0, 0.5, 4),
                              "active": True,
                              "gain": {}}  # subject -> what the pupil's teachers added so far
        return sid

    def new_teacher(self, subject: str) -> str:
        """A new teacher of ``subject`` with a value-added effect; their name."""
        name = f"教师{len(self.teacher_names) + 1:03d}"
        self.teacher_names.append(name)
        self.teacher_effect[name] = (subject, self.rng.normal(0, 0.25))
        return name

    def enrol_cohorts(self) -> None:
        """Every cohort's classes (each with its effect) and their first pupils."""
        for e, c in self.cohorts.items():
            for k in range(1, c["n_classes"] + 1):
                self.class_effect[(e, k)] = self.rng.normal(0, 0.15)
                for _ in range(int(self.rng.integers(40, 49))):
                    self.new_student(e, k)

    def assign_teachers(self) -> None:
        """A teacher per year, term, class and subject: kept from last year with p = 5/6, and
        one mid-year change (五年级(2)班 数学 in the second year)."""
        mid_year_change_done = False
        for yi, _ in enumerate(YEARS):
            for e, c in self.cohorts.items():
                grade = yi - e + 1
                if not 1 <= grade <= 6:
                    continue
                for k in range(1, c["n_classes"] + 1):
                    for subject in _subjects(grade):
                        prev = self.assignment.get((yi - 1, 2, e, k, subject))
                        keep = prev is not None and self.rng.random() > 1 / 6
                        teacher = prev if keep else self.new_teacher(subject)
                        self.assignment[(yi, 1, e, k, subject)] = teacher
                        if (not mid_year_change_done and yi == 1 and grade == 5 and k == 2
                                and subject == "数学"):
                            teacher = self.new_teacher(subject)  # a mid-year change, visible in trends
                            mid_year_change_done = True
                        self.assignment[(yi, 2, e, k, subject)] = teacher

    def school_year(self, yi: int, year: str, item_info: pd.DataFrame) -> None:
        """One school year: pupils move on, the roster, four exams, what teachers add."""
        if yi > 0:
            self.between_years(yi)
        enrolled = [sid for sid, s in self.students.items()
                    if s["active"] and 1 <= yi - s["entry"] + 1 <= 6]
        for sid in enrolled:
            s = self.students[sid]
            grade = yi - s["entry"] + 1
            self.roster_rows.append({"school_year": year, "student_id": sid, "name": s["name"],
                                     "school": SCHOOL, "grade": grade,
                                     "class_id": f"{grade}-{s['class']}", "class_name":
                                     f"{GRADE_CN[grade]}({s['class']})班"})
        leaving_mid_year = {}
        for e, c in self.cohorts.items():
            grade = yi - e + 1
            if 1 <= grade <= 6:
                pool = [sid for sid in enrolled if self.students[sid]["entry"] == e]
                leaving_mid_year[self.rng.choice(pool)] = True
        for term in (1, 2):
            for kind in EXAM_KINDS:
                for sid in enrolled:
                    transferred = leaving_mid_year.get(sid) and term == 2 and kind == "期末"
                    self.sit(sid, yi, term, kind, transferred, item_info)
            self.learn(yi, term, enrolled)
        for sid in leaving_mid_year:  # gone from next year on
            self.students[sid]["active"] = False

    def between_years(self, yi: int) -> None:
        """Ability drifts, about 3 % leave, a few join; classes kept at 40–48."""
        rng = self.rng
        for sid, s in self.students.items():
            s["theta"] += rng.normal(0, 0.2)
            if s["active"] and yi - s["entry"] + 1 >= 2 and rng.random() < 0.03:
                s["active"] = False
        for e, c in self.cohorts.items():  # transfers in: a few, and classes kept at 40–48
            grade = yi - e + 1
            if not 2 <= grade <= 6:
                continue
            for k in range(1, c["n_classes"] + 1):
                size = sum(1 for t in self.students.values()
                           if t["active"] and t["entry"] == e and t["class"] == k)
                joiners = max(40 - size, 0) + int(rng.integers(0, 2))
                for _ in range(min(joiners, 48 - size)):
                    self.new_student(e, k)

    def sit(self, sid: str, yi: int, term: int, kind: str, transferred, item_info) -> None:
        """A pupil's sitting of one exam: a row per subject (and the items of the item paper)."""
        s = self.students[sid]
        e, k = s["entry"], s["class"]
        grade = yi - e + 1
        exam = f"{YEARS[yi]}-{term} {kind}"
        absent_all = self.rng.random() < 0.012
        leave_all = self.rng.random() < 0.003
        for si, subject in enumerate(_subjects(grade)):
            teacher = self.assignment[(yi, term, e, k, subject)]
            latent = self.latent(s, si, subject, exam, grade, teacher, kind)
            score = float(np.clip(np.round(200 / (1 + np.exp(-(1.6 + latent)))) / 2, 0, 100))
            status = "sat"
            if transferred:
                status = "transferred"
            elif absent_all or self.rng.random() < 0.004:
                status = "absent"
            elif leave_all:
                status = "excused"
            if exam == ITEM_EXAM and subject == ITEM_SUBJECT and grade >= 3 and status == "sat":
                score = self.sit_items(sid, exam, grade, k, subject, latent, item_info)
            level = None
            if grade in LEVEL_ONLY_GRADES and status == "sat":
                level = ("优秀" if score >= 90 else "良好" if score >= 80
                         else "合格" if score >= 60 else "待合格")
            self.rows.append({
                "student_id": sid, "name": s["name"], "school": SCHOOL, "grade": grade,
                "class_id": f"{grade}-{k}", "class_name": f"{GRADE_CN[grade]}({k})班",
                "subject": subject, "exam": exam,
                "score": score if status == "sat" and grade not in LEVEL_ONLY_GRADES else np.nan,
                "status": status, "full_mark": 100.0, "level": level, "teacher": teacher})

    def latent(self, s: dict, si: int, subject: str, exam: str, grade: int, teacher: str,
               kind: str) -> float:
        """The pupil's latent on this paper: ability, subject, cohort, class, what teachers
        added (so far, and this year by ``kind``), the paper's difficulty and noise."""
        e, k = s["entry"], s["class"]
        key = (exam, grade, subject)
        if key not in self.difficulty:
            self.difficulty[key] = self.rng.normal(0, 0.2)
        taught = self.teacher_effect[teacher][1] * TAUGHT_BY[kind]
        return (0.9 * s["theta"] + s["subj"][si] + self.cohorts[e]["effect"]
                + self.class_effect[(e, k)] + s["gain"].get(subject, 0.0) + taught
                + self.difficulty[key] + self.rng.normal(0, 0.45))

    def sit_items(self, sid, exam, grade, k, subject, latent, item_info) -> float:
        """The item paper: each item's points (recorded); the paper's total."""
        items = _answer_items(self.rng, item_info[item_info["grade"] == grade], latent)
        for item_id, pts in items:
            self.item_rows.append({"student_id": sid, "exam": exam, "grade": grade,
                                   "class_id": f"{grade}-{k}", "subject": subject,
                                   "item_id": item_id, "score": pts})
        return float(sum(p for _, p in items))

    def learn(self, yi: int, term: int, enrolled: list[str]) -> None:
        """What this term's teachers added stays with the pupil."""
        for sid in enrolled:
            s = self.students[sid]
            for subject in _subjects(yi - s["entry"] + 1):
                teacher = self.assignment[(yi, term, s["entry"], s["class"], subject)]
                s["gain"][subject] = (s["gain"].get(subject, 0.0)
                                      + self.teacher_effect[teacher][1] * TAUGHT_BY["期末"])

    def teacher_table(self) -> pd.DataFrame:
        """The canonical teacher table of every assignment."""
        return pd.DataFrame([
            {"teacher": t, "teacher_id": "", "school": SCHOOL, "school_year": YEARS[yi],
             "term": str(term), "grade": yi - e + 1, "class_id": f"{yi - e + 1}-{k}",
             "class_name": f"{GRADE_CN[yi - e + 1]}({k})班", "subject": subject}
            for (yi, term, e, k, subject), t in sorted(self.assignment.items(), key=lambda kv: (
                kv[0][0], kv[0][1], -kv[0][2], kv[0][3], kv[0][4]))])


def _item_bank(rng) -> pd.DataFrame:
    rows = []
    for grade in range(3, 7):
        maxima = [2] * 8 + [3] * 4 + [5] * 4 + [12, 12, 14, 14]  # 100 points, 20 items
        for i, m in enumerate(maxima, start=1):
            rows.append({"grade": grade, "item_id": f"{i}", "item_max": float(m),
                         "knowledge_point": _KNOWLEDGE[(i * 7 + grade) % len(_KNOWLEDGE)],
                         "item_type": "选择题" if i <= 8 else "填空题" if i <= 12 else "解答题",
                         "difficulty": rng.normal(-1.3, 0.7), "discrimination": rng.uniform(0.8, 1.8)})
    return pd.DataFrame(rows)


def _answer_items(rng, info: pd.DataFrame, latent: float) -> list[tuple[str, float]]:
    out = []
    for it in info.itertuples():
        p = 1 / (1 + np.exp(-it.discrimination * (latent - it.difficulty)))
        if it.item_id == FLAWED_ITEM:  # an ambiguous 选择题: the stronger pupils pick a trap
            p = 0.6 - 0.2 * np.tanh(latent)
        pts = float(rng.binomial(int(it.item_max), p))
        if it.item_type == "选择题":  # all or nothing: right only when every mark is earned
            pts = it.item_max if pts == it.item_max else 0.0
        out.append((it.item_id, pts))
    return out


def _answer_letters(items: pd.DataFrame, info: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, dict]:
    """The option each pupil chose on the 选择题 (A–D), consistent with the item scores.

    Right answers get the key. Wrong answers pick a distractor: weaker pupils (by the paper
    total) lean to the first distractor; on the ambiguous item ``FLAWED_ITEM`` the second
    distractor draws the stronger pupils (the distractor analysis should flag it); 1 % of
    wrong answers are left blank (未作答).
    """
    rng = np.random.default_rng(seed)
    letters = np.array(list("ABCD"))
    mc = info[info["item_type"] == "选择题"]
    keys = {(r.grade, r.item_id): letters[rng.integers(0, 4)] for r in mc.itertuples()}
    total = items.groupby("student_id")["score"].sum()
    strength = ((total - total.mean()) / total.std()).clip(-2.5, 2.5)
    out = items.copy()
    out["option"] = None
    for i, r in enumerate(items.itertuples()):
        key = keys.get((r.grade, r.item_id))
        if key is None:
            continue
        if r.score > 0:
            out.iat[i, out.columns.get_loc("option")] = key
            continue
        others = [x for x in letters if x != key]
        z = strength[r.student_id]
        tilt = 2 * z if r.item_id == FLAWED_ITEM else -z
        weights = np.exp(np.array([-0.8 * z, 0.9 * tilt, 0.0]))
        choice = "" if rng.random() < 0.01 else others[rng.choice(3, p=weights / weights.sum())]
        out.iat[i, out.columns.get_loc("option")] = choice
    return out, keys


# --------------------------------------------------------------------------------------------
# writing the files as a school has them
# --------------------------------------------------------------------------------------------
def write_sample(school: SampleSchool, out_dir: str | Path = SAMPLE_DIR, seed: int = 7) -> Path:
    """Write the sample school's files (score sheets, rosters, teacher table, items, truth)."""
    import xlsxwriter  # noqa: F401  (fail early with a clear ImportError)

    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    (out / "scores").mkdir(parents=True, exist_ok=True)
    for (exam, grade), frame in school.scores.groupby(["exam", "grade"], sort=False):
        year = exam[:9]
        style = YEARS.index(year)
        path = out / "scores" / exam / f"{GRADE_CN[grade]}年级.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_scores(path, frame, exam, grade, style, rng)
    (out / "rosters").mkdir(exist_ok=True)
    for year, frame in school.roster.groupby("school_year"):
        _write_table(out / "rosters" / f"{year}学年 学生信息表.xlsx", "学生信息", frame.rename(columns={
            "student_id": "学号", "name": "姓名", "school": "学校名称", "class_name": "班级名称"})[
            ["学校名称", "学号", "姓名", "班级名称"]])
    _write_table(out / "教学编排表.xlsx", "教学编排", school.teachers.rename(columns={
        "school_year": "学年", "term": "学期", "class_name": "班级名称", "teacher": "教师姓名",
        "subject": "科目"})[["学年", "学期", "班级名称", "科目", "教师姓名"]])
    (out / "items").mkdir(exist_ok=True)
    answered, keys = _answer_letters(school.items, school.item_info, seed + 1)
    for grade, frame in answered.groupby("grade"):
        info = school.item_info[school.item_info["grade"] == grade].copy()
        info["key"] = [keys.get((grade, i), "") for i in info["item_id"]]
        # 选择题 as the letters chosen (the kit scores them with the key), the rest as points
        frame = frame.assign(cell=frame["option"].where(frame["option"].notna(), frame["score"]))
        wide = frame.pivot(index="student_id", columns="item_id", values="cell")
        wide = wide[[c for c in info["item_id"]]]
        names = school.scores[school.scores["exam"] == ITEM_EXAM].drop_duplicates(
            "student_id").set_index("student_id")
        wide.insert(0, "班级", names.loc[wide.index, "class_name"].to_numpy())
        wide.insert(0, "姓名", names.loc[wide.index, "name"].to_numpy())
        wide = wide.reset_index().rename(columns={"student_id": "学号"})
        wide.columns = [f"第{c}题" if str(c).isdigit() else c for c in wide.columns]
        meta = info.rename(columns={"item_id": "题号", "item_max": "满分",
                                    "knowledge_point": "知识点", "item_type": "题型",
                                    "key": "答案"})[["题号", "满分", "知识点", "题型", "答案"]]
        _write_table(out / "items" / f"{ITEM_EXAM} {GRADE_CN[grade]}年级 {ITEM_SUBJECT} 小题分.xlsx",
                     "小题得分", wide, extra={"小题信息": meta})
    (out / "truth").mkdir(exist_ok=True)
    school.teacher_effects.to_csv(out / "truth" / "teacher_effects.csv", index=False,
                                  float_format="%.6f")
    return out


_FIXED_TIME = _dt.datetime(2026, 1, 1)


def _workbook(path: Path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": _FIXED_TIME, "author": "qualitykit sample"})
    return wb


def _write_table(path: Path, sheet: str, frame: pd.DataFrame, extra: dict | None = None) -> None:
    wb = _workbook(path)
    for name, table in {sheet: frame, **(extra or {})}.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, list(table.columns))
        for r, row in enumerate(table.itertuples(index=False), start=1):
            ws.write_row(r, 0, [None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    wb.close()


def _cell(row, style: int, grade: int, rng) -> object:
    """The cell as a school would have typed it."""
    if row.status == "absent":
        return ["缺考", "缺", "缺考，不计排名"][style] if rng.random() > 0.15 or style == 2 else "Q"
    if row.status == "excused":
        return "请假"
    if row.status == "transferred":
        return "转学"
    if grade in LEVEL_ONLY_GRADES:
        return row.level
    value = row.score
    if style == 1 and rng.random() < 0.01:  # typed as text, sometimes full-width
        text = f"{value:g}"
        return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) if rng.random() < 0.5 else text
    return value


class _ScoreFile:
    """One grade's scores of one exam, as the writers lay them out: subjects, pupils in class
    order, each pupil's cells as typed (drawing from ``rng``) and total."""

    def __init__(self, frame: pd.DataFrame, grade: int, style: int, rng):
        self.frame, self.grade, self.style, self.rng = frame, grade, style, rng
        self.subjects = list(dict.fromkeys(frame["subject"]))
        self.order = frame.drop_duplicates("student_id").sort_values(
            ["class_id", "student_id"],
            key=lambda s: s.map(_class_key) if s.name == "class_id" else s)
        self.cells = {(r.student_id, r.subject): r for r in frame.itertuples()}
        self.papers = grade not in LEVEL_ONLY_GRADES

    def values(self, sid) -> list:
        """The pupil's subject cells as the school typed them."""
        return [_cell(self.cells[(sid, s)], self.style, self.grade, self.rng)
                if (sid, s) in self.cells else None for s in self.subjects]

    def total(self, sid) -> float | None:
        """The pupil's 总分 (None for grades graded in levels, or nothing sat)."""
        vals = [self.cells[(sid, s)].score for s in self.subjects if (sid, s) in self.cells]
        return float(np.nansum(vals)) if self.papers and not all(np.isnan(vals)) else None


def _write_scores(path: Path, frame: pd.DataFrame, exam: str, grade: int, style: int, rng) -> None:
    """One grade's score file of one exam, written in the style of its school year."""
    scores = _ScoreFile(frame, grade, style, rng)
    term, kind = exam[10], exam.split(" ")[1]
    title = (f"{SCHOOL}{exam[:4]}—{exam[5:9]}学年第{TERM_CN[int(term)]}学期"
             f"{GRADE_CN[grade]}年级{kind}检测成绩统计表")
    wb = _workbook(path)
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    if style == 0:
        _class_sheets(wb, scores, title, bold, title_fmt)
    elif style == 1:
        _grade_sheet(wb, scores, title, bold, title_fmt)
    else:
        _export_sheet(wb, scores, title, bold, title_fmt)
    wb.close()


def _class_sheets(wb, scores: _ScoreFile, title: str, bold, title_fmt) -> None:
    """Year 1: one sheet per class (序号, 学号, 姓名, subjects, 总分, 班名次, an 平均分 row),
    with an instruction sheet first."""
    grade, subjects, papers = scores.grade, scores.subjects, scores.papers
    ws = wb.add_worksheet("填写说明")
    for i, line in enumerate(["说明：", "1. 每班一个工作表，成绩填数字", "2. 缺考填“缺考”，请假填“请假”",
                              "3. 转学学生保留姓名，成绩填“转学”"]):
        ws.write(i, 0, line)
    for class_id, group in scores.order.groupby("class_id", sort=False):
        k = int(class_id.split("-")[1])
        ws = wb.add_worksheet(f"{GRADE_CN[grade]}({k})班")
        header = ["序号", "学号", "姓名", *subjects] + (["总分", "班名次"] if papers else [])
        ws.merge_range(0, 0, 0, len(header) - 1, title, title_fmt)
        ws.write_row(1, 0, header, bold)
        totals = {sid: scores.total(sid) for sid in group["student_id"]}
        ranked = pd.Series(totals, dtype=float).rank(ascending=False, method="min")
        for i, sid in enumerate(group["student_id"], start=1):
            row = [i, sid, group.set_index("student_id").at[sid, "name"], *scores.values(sid)]
            if papers:
                row += [totals[sid], None if np.isnan(ranked[sid]) else int(ranked[sid])]
            ws.write_row(i + 1, 0, row)
        if papers:  # the summary row teachers add under each class
            in_class = scores.frame[scores.frame["student_id"].isin(group["student_id"])]
            means = in_class.groupby("subject")["score"].mean()
            ws.write_row(len(group) + 2, 0, ["", "", "平均分"] + [
                round(float(means[s]), 1) for s in subjects])


def _grade_sheet(wb, scores: _ScoreFile, title: str, bold, title_fmt) -> None:
    """Year 2: one sheet for the grade, short headers (语/数/英/科), classes written 5(1) or
    501, formatted empty rows below."""
    grade, order = scores.grade, scores.order
    short = {"语文": "语", "数学": "数", "英语": "英", "科学": "科"}
    ws = wb.add_worksheet(f"{GRADE_CN[grade]}年级")
    header = (["序号", "班级", "学号", "姓名", *[short[s] for s in scores.subjects]]
              + (["总分"] if scores.papers else []))
    ws.merge_range(0, 0, 0, len(header) - 1, title, title_fmt)
    ws.write_row(1, 0, header, bold)
    for i, r in enumerate(order.itertuples(), start=1):
        k = r.class_id.split("-")[1]
        cls = f"{grade}({k})" if i % 2 else f"{grade}0{k}"
        row = [i, cls, r.student_id, r.name, *scores.values(r.student_id)]
        if scores.papers:
            row.append(scores.total(r.student_id))
        ws.write_row(i + 1, 0, row)
    blank = wb.add_format({"border": 1})
    for extra in range(len(order) + 2, len(order) + 40):  # trailing formatted empty rows
        ws.write_blank(extra, 0, None, blank)


def _export_sheet(wb, scores: _ScoreFile, title: str, bold, title_fmt) -> None:
    """Year 3: an exam-system export, a two-row merged header (subject over 得分/班次)."""
    grade, subjects, papers, order = scores.grade, scores.subjects, scores.papers, scores.order
    ws = wb.add_worksheet("成绩汇总")
    fixed = ["考号", "班级", "姓名"]
    groups = (["总分"] if papers else []) + subjects
    width = len(fixed) + (2 * len(groups) if papers else len(groups))
    ws.merge_range(0, 0, 0, width - 1, title, title_fmt)
    for j, h in enumerate(fixed):
        ws.merge_range(1, j, 2, j, h, bold)
    col = len(fixed)
    for g in groups:
        if papers:
            ws.merge_range(1, col, 1, col + 1, g, bold)
            ws.write_row(2, col, ["得分", "班次"], bold)
            col += 2
        else:
            ws.write(1, col, g, bold)
            ws.write(2, col, "等级", bold)
            col += 1
    class_rank = _class_ranks(scores, groups) if papers else {}
    for i, r in enumerate(order.itertuples(), start=3):
        k = r.class_id.split("-")[1]
        row = [r.student_id, f"{GRADE_CN[grade]}年级{k}班", r.name]
        vals = scores.values(r.student_id)
        for g in groups:
            v = scores.total(r.student_id) if g == "总分" else vals[subjects.index(g)]
            if papers:
                rk = class_rank[g].get(r.student_id, np.nan)
                row += [v, None if np.isnan(rk) or isinstance(v, str) else int(rk)]
            else:
                row.append(v)
        ws.write_row(i, 0, row)


def _class_ranks(scores: _ScoreFile, groups: list[str]) -> dict[str, pd.Series]:
    """Each pupil's 班次 in 总分 and in each subject, as an export prints it."""
    class_rank = {}
    cls = scores.order.set_index("student_id")["class_id"]
    for g in groups:
        vals = pd.Series({r.student_id: (scores.total(r.student_id) if g == "总分"
                                         else scores.cells[(r.student_id, g)].score)
                          for r in scores.order.itertuples()}, dtype=float)
        class_rank[g] = vals.groupby(cls).rank(ascending=False, method="min")
    return class_rank


def _class_key(class_id: str) -> int:
    g, _, k = class_id.partition("-")
    return int(g) * 100 + int(k)


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def _require_dir() -> Path:
    if not SAMPLE_DIR.is_dir():
        raise FileNotFoundError(
            f"找不到示例数据目录 (sample data) {SAMPLE_DIR}。请在项目目录中运行，"
            "或设置环境变量 QUALITYKIT_SAMPLE_DATA 指向 sample_data 目录。")
    return SAMPLE_DIR


def sample_files() -> pd.DataFrame:
    """The bundled score files: ``exam``, ``grade``, ``path``, in time order."""
    root = _require_dir()
    rows = []
    for exam in exam_names():
        for grade in range(1, 7):
            path = root / "scores" / exam / f"{GRADE_CN[grade]}年级.xlsx"
            if path.exists():
                rows.append({"exam": exam, "grade": grade, "path": path})
    return pd.DataFrame(rows)


def sample_path(exam: str = "2025-2026-1 期末", grade: int = 5, kind: str = "scores") -> Path:
    """Path of one bundled file.

    Parameters
    ----------
    exam : str
        One of the sample exams (``"2023-2024-1 期中"`` … ``"2025-2026-2 期末"``).
    grade : int
        1–6.
    kind : {"scores", "roster", "teachers", "items"}
        ``roster`` takes the school year from ``exam``; ``items`` exists for
        ``2025-2026-1 期末``, grades 3–6.

    Examples
    --------
    >>> sample_path("2025-2026-1 期末", grade=5).name
    '五年级.xlsx'
    """
    root = _require_dir()
    if kind == "scores":
        path = root / "scores" / exam / f"{GRADE_CN[grade]}年级.xlsx"
    elif kind == "roster":
        path = root / "rosters" / f"{exam[:9]}学年 学生信息表.xlsx"
    elif kind == "teachers":
        path = root / "教学编排表.xlsx"
    elif kind == "items":
        path = root / "items" / f"{exam} {GRADE_CN[grade]}年级 {ITEM_SUBJECT} 小题分.xlsx"
    else:
        raise ValueError(f"kind 应为 'scores'、'roster'、'teachers' 或 'items'，收到 {kind!r}。")
    if not path.exists():
        raise FileNotFoundError(f"示例数据中没有这个文件 (no such sample file)：{path.name}"
                                f"（exam={exam!r}, grade={grade!r}, kind={kind!r}）。")
    return path


def previous_exam(exam: str, grade: int) -> tuple[str, int] | None:
    """The sample school's exam before ``exam`` for the same pupils: last term's 期末.

    Returns
    -------
    tuple or None
        ``(exam, grade)`` of that exam; None when the sample has none (its first school year,
        or grade 1).

    Examples
    --------
    >>> previous_exam("2025-2026-1 期末", 5)
    ('2024-2025-2 期末', 4)
    >>> previous_exam("2025-2026-2 期中", 5)
    ('2025-2026-1 期末', 5)
    """
    year, term = exam[:9], exam[10:11]
    if term == "2":
        return f"{year}-1 期末", grade
    i = YEARS.index(year) if year in YEARS else -1
    if i <= 0 or grade <= 1:
        return None
    return f"{YEARS[i - 1]}-2 期末", grade - 1


def term_files(exam: str = "2025-2026-1 期末", grade: int = 5) -> dict[str, Path | None]:
    """The sample school's files that the term analysis of ``exam`` and ``grade`` reads.

    Parameters
    ----------
    exam : str
        One of the sample exams (``"2023-2024-1 期中"`` … ``"2025-2026-2 期末"``).
    grade : int
        1–6.

    Returns
    -------
    dict
        ``score_file`` (the grade's score sheet), ``teacher_file`` (the 教学编排表),
        ``item_file`` (the 小题分 file; None but for 2025-2026-1 期末, grades 3–6) and
        ``previous_file`` (the score sheet of :func:`previous_exam`; None when there is none).

    Raises
    ------
    FileNotFoundError
        The sample has no score sheet of that exam and grade.

    Examples
    --------
    >>> files = term_files("2025-2026-1 期末", 5)
    >>> files["score_file"].name, files["item_file"].name, files["previous_file"].parent.name
    ('五年级.xlsx', '2025-2026-1 期末 五年级 数学 小题分.xlsx', '2024-2025-2 期末')
    >>> term_files("2023-2024-1 期中", 3)["previous_file"] is None
    True
    """
    files = {"score_file": sample_path(exam, grade=grade),
             "teacher_file": sample_path(exam, grade, kind="teachers")}
    try:
        files["item_file"] = sample_path(exam, grade, kind="items")
    except FileNotFoundError:
        files["item_file"] = None
    before = previous_exam(exam, grade)
    files["previous_file"] = sample_path(before[0], grade=before[1]) if before else None
    return files


@lru_cache(maxsize=None)
def _load(name: str, exam: str | None, grade: int | None) -> pd.DataFrame:
    from .scores import read_roster, read_scores, read_teachers

    if name == "scores":
        files = sample_files()
        if exam is not None:
            files = files[files["exam"] == exam]
        if grade is not None:
            files = files[files["grade"] == grade]
        if files.empty:
            raise ValueError(f"示例数据中没有 exam={exam!r}, grade={grade!r} 的成绩。")
        return pd.concat([read_scores(p, exam=e) for e, p in zip(files["exam"], files["path"])],
                         ignore_index=True)
    if name == "roster":
        years = [exam[:9]] if exam else list(YEARS)
        frames = []
        for year in years:
            frame = read_roster(sample_path(f"{year}-1 期中", kind="roster"))
            frame.insert(0, "school_year", year)
            frames.append(frame if grade is None else frame[frame["grade"] == grade])
        return pd.concat(frames, ignore_index=True)
    if name == "teachers":
        table = read_teachers(sample_path(kind="teachers"))
        if exam is not None:
            table = table[(table["school_year"] == exam[:9]) & (table["term"] == exam[10])]
        return table if grade is None else table[table["grade"] == grade].reset_index(drop=True)
    raise ValueError(f"name 应为 'scores'、'roster' 或 'teachers'，收到 {name!r}。")


def load_sample(name: str = "scores", *, exam: str | None = None,
                grade: int | None = None) -> pd.DataFrame:
    """Load the bundled sample school through the real importer.

    Parameters
    ----------
    name : {"scores", "roster", "teachers"}
        The canonical scores, the roster (with ``school_year``) or the teacher table.
    exam : str, optional
        Keep one exam (scores), its school year (roster) or its term (teachers).
    grade : int, optional
        Keep one grade.

    Examples
    --------
    >>> scores = load_sample("scores", exam="2025-2026-1 期末", grade=5)
    >>> sorted(scores["subject"].unique())
    ['数学', '科学', '英语', '语文']
    """
    return _load(name, exam, grade).copy()


if __name__ == "__main__":  # `make sample`: regenerate sample_data/ from the seed
    print(f"已生成示例数据：{write_sample(simulate())}")
