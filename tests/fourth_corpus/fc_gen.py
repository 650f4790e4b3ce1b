"""Fourth corpus: several exams of one cohort over time, platform 小题分 exports, and the
researcher's API. Each case is written by a seeded generator from plain values (pupils, classes,
scores, items) and carries its own truth computed here with plain pandas/numpy from those
values — never with the kit's functions. ``test_fourth_corpus.py`` runs the commands a teacher
types and the functions a researcher calls, and compares.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐思源佳琪俊杰诗涵宇航若曦嘉怡明轩晨阳梦琪天佑紫萱博文雅婷"
CN = {7: "七", 8: "八", 9: "九"}
LINES = {"pass": 0.60, "excellent": 0.85, "low": 0.40}  # the kit's documented defaults
SCHOOL = "城南中学"


# ---- pupils and scores ------------------------------------------------------------------------
def pupil_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` different Chinese names."""
    used: list[str] = []
    while len(used) < n:
        name = rng.choice(list(SURNAMES)) + "".join(rng.choice(list(GIVEN), rng.integers(1, 3)))
        if name not in used:
            used.append(name)
    return used


def cohort(rng, n_classes: int, size: int, first_id: int = 2024001) -> pd.DataFrame:
    """One row per pupil: student_id, name, class number (1…), ability."""
    n = n_classes * size
    return pd.DataFrame({"student_id": [str(first_id + i) for i in range(n)],
                         "name": pupil_names(rng, n),
                         "class_no": np.repeat(np.arange(1, n_classes + 1), size),
                         "ability": rng.normal(0, 1, n)})


def exam_scores(rng, pupils: pd.DataFrame, full: dict[str, float], *, drift=None,
                step=1.0) -> pd.DataFrame:
    """``pupils`` with one column per subject: a score out of ``full`` from the pupil's ability
    (plus ``drift[student_id]`` in SD units) and noise, on a ``step`` grid."""
    out = pupils.copy()
    shift = pupils["student_id"].map(drift or {}).fillna(0.0).to_numpy()
    for subject, fm in full.items():
        z = 0.8 * pupils["ability"].to_numpy() + 0.6 * rng.normal(0, 1, len(pupils)) + shift
        raw = np.clip(0.70 + 0.15 * z, 0, 1) * fm
        out[subject] = np.clip(np.round(raw / step) * step, 0, fm)
    return out


# ---- writing sheets ---------------------------------------------------------------------------
def write_sheet(ws, table: pd.DataFrame, subjects: list[str], *, title: str | None,
                class_of, id_of=str, absent="缺考", headers=None) -> None:
    """A wide score sheet on worksheet ``ws``: title row, 学号/姓名/班级 and one column per
    subject (NaN written as ``absent``; ``headers`` renames a subject's column, e.g.
    数学(120分))."""
    r = 0
    if title:
        ws.write(0, 0, title)
        r = 1
    shown = [(headers or {}).get(s, s) for s in subjects]
    for j, h in enumerate(["学号", "姓名", "班级", *shown]):
        ws.write(r, j, h)
    for i, row in enumerate(table.itertuples(index=False), start=r + 1):
        d = row._asdict()
        ws.write(i, 0, id_of(d["student_id"]))
        ws.write(i, 1, d["name"])
        ws.write(i, 2, class_of(d))
        for j, s in enumerate(subjects, start=3):
            v = getattr(row, s)
            if pd.isna(v):
                ws.write(i, j, absent)
            else:
                ws.write_number(i, j, float(v))


def write_book(path: Path, sheets: dict[str, dict]) -> Path:
    """A workbook with one sheet per entry: {sheet name: write_sheet keyword arguments}."""
    wb = xlsxwriter.Workbook(str(path))
    for name, kw in sheets.items():
        write_sheet(wb.add_worksheet(name), **kw)
    wb.close()
    return path


def class_label(grade: int, no: int) -> str:
    return f"{CN[grade]}({no})班"


# ---- truth ------------------------------------------------------------------------------------
def summary_truth(table: pd.DataFrame, full: dict[str, float], grade: int) -> pd.DataFrame:
    """Per class × subject: n, n_sat, mean, full mark, pass/excellent/low/full-mark counts
    (plain pandas)."""
    rows = []
    for (no, ), part in table.groupby(["class_no"]):
        for s, fm in full.items():
            x = part[s].dropna().to_numpy(dtype=float)
            rows.append({"class": class_label(grade, no), "subject": s, "n": len(part),
                         "n_sat": len(x), "mean": x.mean() if len(x) else np.nan, "full": fm,
                         "n_full": int((x == fm).sum()),
                         "n_pass": int((x >= LINES["pass"] * fm).sum()),
                         "n_excellent": int((x >= LINES["excellent"] * fm).sum()),
                         "n_low": int((x < LINES["low"] * fm).sum())})
    return pd.DataFrame(rows)


def z_scores(table: pd.DataFrame, subjects: list[str], ddof: int) -> pd.DataFrame:
    """Z within the exam per subject, indexed by student_id."""
    t = table.set_index("student_id")[subjects].astype(float)
    return (t - t.mean()) / t.std(ddof=ddof)


# ---- 小题分 (item) exports --------------------------------------------------------------------
def item_responses(rng, n: int, n_choice: int, subjective: list[float], key: str
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``n`` pupils' answers to ``n_choice`` multiple-choice items (letters A–D, right with a
    probability rising with ability) and their scores on subjective items of the given maxima
    (half points)."""
    ability = rng.normal(0, 1, n)
    letters = np.empty((n, n_choice), dtype=object)
    for j in range(n_choice):
        p_right = 1 / (1 + np.exp(-(1.2 * ability + 1.0 - 0.25 * j)))
        right = rng.random(n) < p_right
        wrong = rng.choice([c for c in "ABCD" if c != key[j]], n)
        letters[:, j] = np.where(right, key[j], wrong)
    subj = np.column_stack([
        np.clip(np.round(2 * m * (0.6 + 0.2 * ability + rng.normal(0, 0.15, n))) / 2, 0, m)
        for m in subjective])
    return letters, subj


# ---- the cases --------------------------------------------------------------------------------
FULL7 = {"语文": 100, "数学": 100, "英语": 100}
FULL8 = {"语文": 100, "数学": 120, "英语": 100, "物理": 100}
#: (title, grade, full marks) of the cohort's four exams, in the order sat
COHORT_EXAMS = [("2024-2025学年第一学期七年级期中", "2024-2025-1 期中", 7, FULL7),
                ("2024-2025学年第一学期七年级期末", "2024-2025-1 期末", 7, FULL7),
                ("2024-2025学年第二学期七年级期末", "2024-2025-2 期末", 7, FULL7),
                ("2025-2026学年第一学期八年级期末", "2025-2026-1 期末", 8, FULL8)]


def cohort_case(folder: Path, seed: int = 41) -> dict:
    """One 届 over four exams, a file each: 七(n)班 become 八(n)班 and six pupils are moved to
    another class; two pupils leave after the first term, two join, one repeats the year (not
    in 八年级); 物理 starts in 八年级 and 数学 is out of 120 there (header 数学(120分)); two
    pupils of different classes share a name. Truth: each exam's pupils and scores, who moved,
    left and joined."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    base = cohort(rng, 3, 30)
    base.loc[45, "name"] = base.loc[5, "name"]  # 七(1)班 and 七(2)班 share a name
    newcomers = cohort(rng, 1, 2, first_id=2024901).assign(class_no=[1, 3])
    left, repeats = ["2024010", "2024070"], "2024033"
    moved = {"2024002": 2, "2024003": 3, "2024031": 1, "2024032": 3, "2024061": 1, "2024062": 2}
    tables, files = [], []
    for i, (title, exam, grade, full) in enumerate(COHORT_EXAMS):
        pupils = base if i < 2 else pd.concat([base[~base["student_id"].isin(left)], newcomers])
        if grade == 8:
            pupils = pupils[pupils["student_id"].ne(repeats)].copy()
            pupils["class_no"] = pupils["student_id"].map(moved).fillna(pupils["class_no"]).astype(int)
        table = exam_scores(rng, pupils.reset_index(drop=True), full).assign(exam=exam, grade=grade)
        file = folder / f"{title}.xlsx"
        write_book(file, {"成绩": dict(
            table=table, subjects=list(full), title=f"{SCHOOL}{title}成绩表",
            headers={s: f"{s}({m}分)" for s, m in full.items() if m != 100},
            class_of=lambda d, g=grade: class_label(g, d["class_no"]))})
        tables.append(table)
        files.append(file)
    return {"files": files, "tables": tables, "exams": [e[1] for e in COHORT_EXAMS],
            "moved": set(moved), "left": set(left) | {repeats}, "joined": set(newcomers["student_id"]),
            "all_ids": set(base["student_id"]) | set(newcomers["student_id"])}


def workbook_case(folder: Path, seed: int = 42) -> dict:
    """One workbook, one sheet per exam named 七上期中 / 七上期末 / 七下期末, no title rows."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    base = cohort(rng, 3, 25)
    names = ["七上期中", "七上期末", "七下期末"]
    tables = {n: exam_scores(rng, base, FULL7) for n in names}
    file = write_book(folder / "七年级历次考试成绩.xlsx", {n: dict(
        table=t, subjects=list(FULL7), title=None, class_of=lambda d: class_label(7, d["class_no"]))
        for n, t in tables.items()})
    return {"file": file, "tables": tables, "exams": names}


def missing_class_case(folder: Path, seed: int = 43) -> dict:
    """This exam (三个班) and the previous one, whose file lacks 七(3)班 entirely."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    base = cohort(rng, 3, 28)
    now = exam_scores(rng, base, FULL7)
    before = exam_scores(rng, base[base["class_no"] != 3], FULL7)
    files = {}
    for key, table, title in (("now", now, "2024-2025学年第二学期七年级期末"),
                              ("before", before, "2024-2025学年第二学期七年级期中")):
        files[key] = write_book(folder / f"{title}.xlsx", {"成绩": dict(
            table=table, subjects=list(FULL7), title=title,
            class_of=lambda d: class_label(7, d["class_no"]))})
    return {"files": files, "now": now, "before": before}


def two_cohorts_case(folder: Path, seed: int = 44) -> dict:
    """七年级期末 of two 届 (2023-2024 and 2024-2025), different pupils and sizes; 数学 out of
    100 the first year and 120 the second."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    out = {"files": [], "tables": []}
    for year, size, shift, full in (("2023-2024", 26, 0.0, FULL7),
                                    ("2024-2025", 32, 0.5, {**FULL7, "数学": 120})):
        pupils = cohort(rng, 2, size, first_id=int(year[:4]) * 1000 + 1)
        table = exam_scores(rng, pupils, full, drift=dict.fromkeys(pupils["student_id"], shift))
        title = f"{year}学年第二学期七年级期末"
        out["files"].append(write_book(folder / f"{title}.xlsx", {"成绩": dict(
            table=table, subjects=list(full), title=title,
            headers={s: f"{s}({m}分)" for s, m in full.items() if m != 100},
            class_of=lambda d: class_label(7, d["class_no"]))}))
        out["tables"].append(table.assign(exam=f"{year}-2 期末"))
        out.setdefault("full", []).append(full)
    return out


def hedges(a: np.ndarray, b: np.ndarray) -> float:
    """Hedges g of ``a`` against ``b`` (pooled SD, J = 1 − 3/(4(n₁+n₂) − 9)), by hand."""
    na, nb = len(a), len(b)
    sp = np.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2))
    return (1 - 3 / (4 * (na + nb) - 9)) * (np.mean(a) - np.mean(b)) / sp


ITEM_KEY = "ABCDABCDAB"
#: the subjective items and their full marks (16: everyone 2 of 4; 17: everyone 0)
SUBJECTIVE = {"11": 4, "12": 6, "13": 8, "14": 10, "15": 12, "16": 4, "17": 6}
OPTIONAL = {"22": 10, "23": 10}


def item_case(folder: Path, seed: int = 45, n: int = 96) -> dict:
    """A platform-style 小题分 export (智学网/七天-like): 考号, 姓名, 班级, 总分, then 客观题 1–10
    as letters with a 标准答案 row and a 满分 row under the header, 主观题 11–17 with half points
    (16 the same score for all, 17 zero for all; 10 right for all), 选做 22/23 (each pupil a
    score in one), two 缺考 pupils with every item blank, a 总分 that disagrees with the sum for
    one pupil, and a 知识点 sheet without item 23. Truth: P, D (top/bottom 27 % by total, ties
    by row order), α with the 选做 pair as one item, option shares, by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    letters, subj = item_responses(rng, n, 10, list(SUBJECTIVE.values())[:5], ITEM_KEY)
    letters[:, 9] = ITEM_KEY[9]
    subj = np.column_stack([subj, np.full(n, 2.0), np.zeros(n)])
    chosen = np.clip(np.round(2 * 10 * (0.55 + 0.18 * rng.normal(0, 1, n))) / 2, 0, 10)
    picks22 = rng.random(n) < 0.45
    absent = {7, 50}
    choice_pts = (letters == np.array(list(ITEM_KEY))) * 3.0
    S = np.column_stack([choice_pts, subj, np.where(picks22, chosen, np.nan),
                         np.where(picks22, np.nan, chosen)])
    ids = [str(2025001 + i) for i in range(n)]
    names = pupil_names(rng, n)
    classes = [class_label(8, 1 + i * 3 // n) for i in range(n)]
    file = folder / "2025-2026-1 期末 八年级 数学 小题分.xlsx"
    item_ids = [str(j + 1) for j in range(10)] + list(SUBJECTIVE) + list(OPTIONAL)
    maxima = [3.0] * 10 + list(SUBJECTIVE.values()) + list(OPTIONAL.values())
    wrong_total = 12
    wb = xlsxwriter.Workbook(str(file))
    ws = wb.add_worksheet("小题得分")
    ws.write_row(0, 0, ["考号", "姓名", "班级", "总分", *item_ids])
    ws.write_row(1, 0, ["标准答案", "", "", "", *ITEM_KEY])
    ws.write_row(2, 0, ["满分", "", "", 100, *maxima])
    for i in range(n):
        r = i + 3
        ws.write_row(r, 0, [ids[i], names[i], classes[i]])
        if i in absent:
            continue
        ws.write_number(r, 3, float(np.nansum(S[i])) + (5 if i == wrong_total else 0))
        ws.write_row(r, 4, list(letters[i]))
        for j, v in enumerate(S[i, 10:], start=14):
            if not np.isnan(v):
                ws.write_number(r, j, float(v))
    kp = wb.add_worksheet("知识点")
    kp.write_row(0, 0, ["题号", "知识点"])
    points = ["数与式", "方程与不等式", "函数", "图形与几何"]
    for j, item in enumerate(item_ids[:-1]):
        kp.write_row(j + 1, 0, [item, points[j % 4]])
    wb.close()
    sat = np.array([i not in absent for i in range(n)])
    return {"file": file, "item_ids": item_ids, "maxima": np.array(maxima), "S": S[sat],
            "letters": letters[sat], "ids": [x for x, s in zip(ids, sat) if s],
            "classes": [c for c, s in zip(classes, sat) if s], "absent": [ids[i] for i in absent],
            "wrong_total": ids[wrong_total], "points": dict(zip(item_ids[:-1], (points * 5)[:18])),
            "truth": item_truth(S[sat], np.array(maxima), item_ids)}


def item_truth(S: np.ndarray, maxima: np.ndarray, item_ids: list[str]) -> dict:
    """P, D, α and the paper's full mark of a students × items matrix whose last two columns
    are a 选做 pair (NaN = not chosen), by hand."""
    n = len(S)
    total = np.nansum(S, axis=1)
    rank = np.empty(n, dtype=int)
    rank[np.argsort(total, kind="stable")] = np.arange(n)
    g = int(np.floor(0.27 * n + 0.5))
    lower, upper = rank < g, rank >= n - g
    with np.errstate(invalid="ignore"):
        p = np.nanmean(S, axis=0) / maxima
        d = (np.nanmean(S[upper], axis=0) - np.nanmean(S[lower], axis=0)) / maxima
    merged = np.column_stack([S[:, :-2], np.nansum(S[:, -2:], axis=1)])
    k = merged.shape[1]
    alpha = k / (k - 1) * (1 - merged.var(axis=0, ddof=1).sum() / merged.sum(axis=1).var(ddof=1))
    return {"p": dict(zip(item_ids, p)), "d": dict(zip(item_ids, d)), "alpha": alpha,
            "max_total": maxima[:-2].sum() + maxima[-2:].max(), "n": n,
            "n_chosen": {"22": int((~np.isnan(S[:, -2])).sum()),
                         "23": int((~np.isnan(S[:, -1])).sum())}}


def id_change_case(folder: Path, seed: int = 47) -> dict:
    """七下期末 with 学号 2024001 …, 八上期末 with G2024001 … (the platform's new format); two
    pupils of different classes share a name."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    base = cohort(rng, 3, 25)
    base.loc[30, "name"] = base.loc[3, "name"]
    files = []
    for title, grade, id_of in (("2024-2025学年第二学期七年级期末", 7, str),
                                ("2025-2026学年第一学期八年级期末", 8, lambda s: "G" + s)):
        files.append(write_book(folder / f"{title}.xlsx", {"成绩": dict(
            table=exam_scores(rng, base, FULL7), subjects=list(FULL7), title=title, id_of=id_of,
            class_of=lambda d, g=grade: class_label(g, d["class_no"]))}))
    return {"files": files, "n": len(base), "n_same_name": len(base) - 2}


def long_item_file(case: dict, folder: Path) -> Path:
    """The same pupils' item scores as a 好分数-like long export (考号, 姓名, 班级, 题号, 得分;
    the unchosen 选做 item has no row) with a 小题信息 sheet of full marks."""
    rows = [{"考号": sid, "姓名": f"学生{sid[-3:]}", "班级": cls, "题号": item, "得分": v}
            for sid, cls, scores in zip(case["ids"], case["classes"], case["S"])
            for item, v in zip(case["item_ids"], scores) if not np.isnan(v)]
    path = folder / "2025-2026-1 期末 八年级 数学 小题明细.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="明细", index=False)
        pd.DataFrame({"题号": case["item_ids"], "满分": case["maxima"]}).to_excel(
            writer, sheet_name="小题信息", index=False)
    return path
