"""Seeded generator of messy school score files, each with an independent truth.

Each case: build(g, d) -> dict(file, truth (list of rows), planted (list of groups of (sheet,row,col)),
options, id_key ('id'|'name'|'count'), exam_map, levels).  expect in {import, refuse, either}.
Run:  python gen.py OUTDIR   (writes every file + truth.json) — run.py calls build_all().
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import zlib


from rt_common import (CN, NaN, Cell, Formula, Gen, L, Pupil, class_label, truth_rows,
                    write_csv, write_html_xls, write_ods, write_xls, write_xlsx, write_xlsxwriter, write_xml2003)

SEED = 20250611
CASES = []

PRI = ["语文", "数学", "英语", "科学", "道德与法治"]
HEAD = {"道德与法治": "道法"}


def case(name, expect, note=""):
    def deco(fn):
        CASES.append(dict(name=name, expect=expect, build=fn, note=note))
        return fn
    return deco


def cellv(p, s):
    v = p.cells.get(s)
    return None if v == "" else v


def wide(pupils, cols):
    grid = [[h for h, _ in cols]]
    for p in pupils:
        grid.append([f(p) for _, f in cols])
    return grid


ID = ("学号", lambda p: p.id)
NAME = ("姓名", lambda p: p.name)


def CLS(style, h="班级"):
    return (h, lambda p: class_label(p.grade, p.cls, style))


def SUB(s, h=None):
    return (h or HEAD.get(s, s), lambda p, s=s: cellv(p, s))


def TOTAL(subs, h="总分"):
    return (h, lambda p: sum(p.truth[s][0] for s in subs if p.truth.get(s) and p.truth[s][1] == "sat"))


def locate(grid, pred, r0=0, c0=0, sheet=None):
    out = []
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            vv = v.value if isinstance(v, (Cell, Formula)) else v
            if pred(i, j, vv):
                out.append([(sheet, i + 1 + r0, L(j + 1 + c0))])
    return out


def comp_rank(vals):
    """competition rank, higher is better; None for missing."""
    ok = sorted([v for v in vals if v is not None], reverse=True)
    return [None if v is None else 1 + sum(1 for w in ok if w > v) for v in vals]


def sat(p, s):
    t = p.truth.get(s)
    return t[0] if t and t[1] == "sat" else None


def R(file, truth, planted=(), options=None, **kw):
    return dict(file=file, truth=truth, planted=list(planted), options=options or {}, **kw)


# ====================================================================== 阅卷系统 exports
@case("c01_zhixue_two_row_header_ranks", "import")
def _(g, d):
    subs = ["语文", "数学", "英语", "物理", "化学"]
    fm = {"语文": 120, "数学": 120, "英语": 120, "物理": 70, "化学": 50}
    ps = g.pupils(9, [1, 2, 3], 28, subs, fm, id_fn=lambda c, k: f"2409{c:02d}{k + 1:02d}", markers=["缺考"], p_mark=0.03)
    tot = [sum(sat(p, s) or 0 for s in subs) for p in ps]
    h1 = ["考号", "姓名", "班级", "总分", None, None]
    h2 = [None, None, None, "得分", "校次", "班次"]
    for s in subs:
        h1 += [s, None, None]
        h2 += ["得分", "校次", "班次"]
    srank = {s: comp_rank([sat(p, s) for p in ps]) for s in subs + ["总分"]}
    srank["总分"] = comp_rank(tot)
    grid = [["2024-2025学年第一学期九年级期末考试成绩单"], h1, h2]
    for i, p in enumerate(ps):
        same = [j for j, q in enumerate(ps) if q.cls == p.cls]
        crk = lambda s: comp_rank([sat(ps[j], s) if s != "总分" else tot[j] for j in same])[same.index(i)]
        row = [p.id, p.name, class_label(9, p.cls, "plain"), tot[i], srank["总分"][i], crk("总分")]
        for s in subs:
            row += [p.cells[s], srank[s][i], crk(s) if sat(p, s) is not None else None]
        grid.append(row)

    def post(wb):
        ws = wb.active
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(h1))
        for c in range(1, 4):
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        for k in range(len(subs) + 1):
            ws.merge_cells(start_row=2, start_column=4 + 3 * k, end_row=2, end_column=6 + 3 * k)
    f = os.path.join(d, "九年级期末成绩单(智学网导出).xlsx")
    write_xlsx(f, [("成绩单", grid)], post)
    return R(f, truth_rows(ps), options=dict(full_marks=fm))


@case("c02_liankao_school_column", "import")
def _(g, d):
    subs = ["语文", "数学", "英语", "物理", "化学", "道德与法治", "历史"]
    fm = {"语文": 120, "数学": 120, "英语": 120, "物理": 80, "化学": 70, "道德与法治": 60, "历史": 60}
    ps = []
    for si, sch in enumerate(["城关一中", "实验中学", "东关初级中学"]):
        ps += g.pupils(9, [1, 2], 22, subs, fm, school=sch, id_fn=lambda c, k, si=si: f"{si + 1}9{c:02d}{k + 1:03d}",
                       markers=["缺考", "缺"], p_mark=0.02)
    tot = [sum(sat(p, s) or 0 for s in subs) for p in ps]
    rk = comp_rank(tot)
    cols = [("学校", lambda p: p.school), ("考号", lambda p: p.id), NAME, CLS("fparen")] + [SUB(s) for s in subs]
    grid = [["2024年秋季学期九年级联考成绩汇总"]] + wide(ps, cols)
    grid[1] += ["总分", "联考名次"]
    for i in range(len(ps)):
        grid[i + 2] += [tot[i], rk[i]]
    f = os.path.join(d, "联考成绩(七天网络).xlsx")
    write_xlsx(f, [("联考成绩", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks=fm))


@case("c03_xingaokao_raw_and_fufen_pairs", "import")
def _(g, d):
    core = ["语文", "数学", "英语"]
    fm = {s: 150 for s in core}
    ps = g.pupils(11, [1, 2, 3], 25, core, fm, id_fn=lambda c, k: f"2311{c:02d}{k + 1:02d}", markers=["缺考"], p_mark=0.02)
    re_opts = ["化学", "生物", "政治", "地理"]
    raw = {}
    for p in ps:
        first = g.rng.choice(["物理", "历史"])
        v = g.score(100)
        p.cells[first] = v
        p.truth[first] = (float(v), "sat", None)
        two = g.rng.sample(re_opts, 2)
        for s in re_opts:
            if s in two:
                r = g.score(100)
                fu = min(100, max(30, int(r * 0.6 + 40)))
                raw[(p.id, s)] = r
                p.cells[s] = fu
                p.truth[s] = (float(fu), "sat", None)
            else:
                p.cells[s] = None
                p.truth[s] = None
        for s in ["物理", "历史"]:
            if s != first:
                p.cells[s] = None
                p.truth[s] = None
    cols = [("考号", lambda p: p.id), NAME, CLS("paren")] + [SUB(s) for s in core + ["物理", "历史"]]
    for s in re_opts:
        cols += [(s + "原始分", lambda p, s=s: raw.get((p.id, s))), (s + "赋分", lambda p, s=s: cellv(p, s))]
    grid = wide(ps, cols)
    f = os.path.join(d, "高二期末(好分数).xlsx")
    write_xlsx(f, [("总成绩", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks=fm, electives=["物理", "历史"] + re_opts))


@case("c04_html_saved_as_xls_rowspan", "import")
def _(g, d):
    subs = ["语文", "数学", "英语", "物理", "道德与法治"]
    fm = {"语文": 120, "数学": 120, "英语": 120}
    ps = g.pupils(8, [1, 2, 3], 20, subs, fm, markers=["缺考"], p_mark=0.02)
    rows = [[("八年级期中考试成绩", 1, 3 + 2 * len(subs))],
            [("班级", 2, 1), ("考号", 2, 1), ("姓名", 2, 1)] + [(HEAD.get(s, s), 1, 2) for s in subs],
            [x for s in subs for x in (("分数", 1, 1), ("班排", 1, 1))]]
    for c in [1, 2, 3]:
        cps = [p for p in ps if p.cls == c]
        cr = {s: comp_rank([sat(p, s) for p in cps]) for s in subs}
        for i, p in enumerate(cps):
            r = [(class_label(8, c, "paren"), len(cps), 1)] if i == 0 else []
            r += [(p.id, 1, 1), (p.name, 1, 1)]
            for s in subs:
                r += [(p.cells[s], 1, 1), (cr[s][i], 1, 1)]
            rows.append(r)
    f = os.path.join(d, "八年级期中成绩.xls")
    write_html_xls(f, rows)
    return R(f, truth_rows(ps), options=dict(full_marks=fm))


@case("c05_yunyuejuan_csv_gbk_with_info_line", "import")
def _(g, d):
    subs = PRI[:4]
    ps = g.pupils(6, [1, 2], 30, subs, markers=["缺考"], p_mark=0.03, id_fn=lambda c, k: f"600{c}{k + 1:02d}")
    cols = [("准考证号", lambda p: p.id), NAME, CLS("paren")]
    for s in subs:
        rk = dict(zip([p.id for p in ps], comp_rank([sat(p, s) for p in ps])))
        cols += [SUB(s), (s + "排名", lambda p, rk=rk: rk[p.id])]
    grid = [["考试名称：2024-2025学年第二学期六年级期末质量检测", None, None]] + wide(ps, cols)
    f = os.path.join(d, "六年级期末_云阅卷.csv")
    write_csv(f, grid, "gbk")
    return R(f, truth_rows(ps))


@case("c06_score0_but_remark_says_absent", "either", "备注列写“语文缺考”，语文格填 0")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    remarks = {}
    for p in g.rng.sample(ps, 3):
        s = g.rng.choice(["语文", "数学"])
        p.cells[s] = 0
        p.truth[s] = (NaN, "absent", None)
        remarks[p.id] = f"{s}缺考"
    cols = [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]] + [("备注", lambda p: remarks.get(p.id))]
    grid = wide(ps, cols)
    planted = locate(grid, lambda i, j, v: j == 6 and v and "缺考" in str(v), sheet="Sheet1")
    f = os.path.join(d, "五年级期末.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c07_both_xuehao_and_kaohao_columns", "import")
def _(g, d):
    ps = g.pupils(4, [1, 2], 24, PRI[:3], id_fn=lambda c, k: f"G3201022015{c:02d}{k + 1:04d}")
    kh = {p.id: f"0{p.cls}{i + 1:03d}" for i, p in enumerate(ps)}
    cols = [("考号", lambda p: kh[p.id]), ("学籍号", lambda p: p.id), NAME, CLS("fparen")] + [SUB(s) for s in PRI[:3]]
    f = os.path.join(d, "四年级期末.xlsx")
    write_xlsx(f, [("成绩", wide(ps, cols))])
    return R(f, truth_rows(ps), id_key="name")


@case("c08_level_column_next_to_score", "import")
def _(g, d):
    subs = ["物理", "化学", "生物"]
    ps = g.pupils(10, [1, 2], 25, subs, halves=subs)
    lv = lambda v: None if not isinstance(v, (int, float)) else ("A" if v >= 85 else "B" if v >= 70 else "C" if v >= 60 else "D")
    cols = [ID, NAME, CLS("paren")]
    for s in subs:
        cols += [SUB(s), (s + "等级", lambda p, s=s: lv(p.cells[s]))]
    f = os.path.join(d, "高一物化生.xlsx")
    write_xlsx(f, [("成绩", wide(ps, cols))])
    return R(f, truth_rows(ps))


# ====================================================================== 教务 / 学籍
@case("c09_xueji_long_format", "import")
def _(g, d):
    subs = PRI
    ps = g.pupils(3, [1, 2, 3], 20, subs, id_fn=lambda c, k: f"G32010220160{c}{k + 1:06d}", markers=["缺考", "请假"],
                  p_mark=0.02)
    grid = [["学籍号", "姓名", "性别", "班级", "科目", "成绩"]]
    for p in ps:
        sx = g.rng.choice("男女")
        for s in subs:
            grid.append([p.id, p.name, sx, class_label(3, p.cls, "nparen"), HEAD.get(s, s), cellv(p, s)])
    f = os.path.join(d, "学籍系统成绩导出.xlsx")
    write_xlsx(f, [("成绩明细", grid)])
    return R(f, truth_rows(ps))


@case("c10_id18_text_birthdate_gender", "import")
def _(g, d):
    ps = g.pupils(7, [1, 2], 25, ["语文", "数学", "英语"], {"语文": 120, "数学": 120, "英语": 120},
                  id_fn=lambda c, k: f"3201022012{c:02d}{k + 1:02d}{g.rng.randint(100, 999)}{g.rng.choice('0123456789X')}")
    bd = {p.id: dt.datetime(2012, g.rng.randint(1, 12), g.rng.randint(1, 28)) for p in ps}
    cols = [("身份证号", lambda p: p.id), NAME, ("性别", lambda p: g.rng.choice("男女")),
            ("出生日期", lambda p: bd[p.id]), ("民族", lambda p: "汉"), CLS("nianji")] + [SUB(s) for s in ["语文", "数学", "英语"]]
    f = os.path.join(d, "七年级学生成绩.xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, cols))])
    return R(f, truth_rows(ps), options=dict(full_marks={"语文": 120, "数学": 120, "英语": 120}))


@case("c11_id18_stored_as_number_collide", "refuse", "18位学籍号以数字存储，末位丢失，多人变成同一号")
def _(g, d):
    base = {}
    def idf(c, k):
        b = f"32010220120{c}{(k - 1 if k in (5, 12) else k):03d}"      # two pairs share the first 15 digits
        base_id = b + f"{g.rng.randint(100, 999)}"
        base[base_id] = b
        return base_id
    ps = g.pupils(7, [1, 2], 20, ["语文", "数学"], id_fn=idf)
    # what Excel keeps of an 18-digit number: 15 significant digits
    cols = [("学籍号", lambda p: float(base[p.id] + "000")), NAME, CLS("paren"), SUB("语文"), SUB("数学")]
    grid = wide(ps, cols)
    seen = {}
    for i, p in enumerate(ps):
        seen.setdefault(base[p.id], []).append(i)
    planted = [[("Sheet1", i + 2, "A") for i in idx] for idx in seen.values() if len(idx) > 1]
    assert len(planted) == 4, planted
    f = os.path.join(d, "七年级成绩(学籍号).xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, planted)


@case("c12_utf16_tab_text_named_xls", "import")
def _(g, d):
    ps = g.pupils(8, [1, 2, 3], 18, ["语文", "数学", "英语", "物理"], {"语文": 120, "数学": 120, "英语": 120},
                  markers=["缺考"], p_mark=0.02)
    cols = [ID, NAME, CLS("plain")] + [SUB(s) for s in ["语文", "数学", "英语", "物理"]]
    f = os.path.join(d, "教务系统导出.xls")
    write_csv(f, wide(ps, cols), "utf-16", "\t")
    return R(f, truth_rows(ps), options=dict(full_marks={"语文": 120, "数学": 120, "英语": 120}))


@case("c13_long_format_two_exams", "either", "明细表里有期中、期末两次考试（考试名称列）")
def _(g, d):
    subs = ["语文", "数学"]
    ps = g.pupils(5, [1, 2], 20, subs)
    ps2 = [Pupil(p.id, p.name, p.school, p.grade, p.cls) for p in ps]
    for p in ps2:
        for s in subs:
            v = g.score(100)
            p.cells[s] = v
            p.truth[s] = (float(v), "sat", None)
    grid = [["考试名称", "学号", "姓名", "班级", "科目", "分数"]]
    for ex, pp in [("2024-2025学年第一学期期中", ps), ("2024-2025学年第一学期期末", ps2)]:
        for p in pp:
            for s in subs:
                grid.append([ex, p.id, p.name, class_label(5, p.cls, "paren"), s, p.cells[s]])
    f = os.path.join(d, "五年级成绩明细.xlsx")
    write_xlsx(f, [("明细", grid)])
    return R(f, truth_rows(ps, exam="期中") + truth_rows(ps2, exam="期末"), [[("明细", None, "A")]],
             exam_map=True)


# ====================================================================== teachers' hand-made sheets
@case("c14_handmade_title_merged_class_stats_footer", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 26, PRI, markers=["缺考", "请假", "转学"], p_mark=0.02)
    grid = [["青山小学2024—2025学年第一学期五年级期末检测成绩统计表"], ["班级", "序号", "学号", "姓名", "语文", "数学",
                                                                 "英语", "科学", "道法", "总分", "班名次"]]
    merges = []
    for c in [1, 2, 3]:
        cps = [p for p in ps if p.cls == c]
        tot = [sum(sat(p, s) or 0 for s in PRI) for p in cps]
        rk = comp_rank(tot)
        start = len(grid)
        for i, p in enumerate(cps):
            grid.append([class_label(5, c, "fparen") if i == 0 else None, i + 1, p.id, p.name] +
                        [cellv(p, s) for s in PRI] + [tot[i], rk[i]])
        merges.append((start + 1, len(grid)))
        for lab, fn in [("平均分", lambda xs: round(sum(xs) / len(xs), 2)), ("及格率", lambda xs: f"{100 * sum(x >= 60 for x in xs) / len(xs):.1f}%"),
                        ("最高分", max)]:
            grid.append([None, None, None, lab] + [fn([sat(p, s) for p in cps if sat(p, s) is not None]) for s in PRI])
    grid += [[], ["制表人：李老师", None, None, None, "审核：", None, None, "打印日期：2025年1月20日"]]

    def post(wb):
        ws = wb.active
        ws.merge_cells("A1:K1")
        for a, b in merges:
            ws.merge_cells(start_row=a, start_column=1, end_row=b, end_column=1)
    f = os.path.join(d, "五年级期末成绩统计.xlsx")
    write_xlsx(f, [("五年级", grid)], post)
    return R(f, truth_rows(ps))


@case("c15_perclass_sheets_plus_huizong_copy", "either", "每班一页 + 汇总页（同一批学生再列一次）")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 22, PRI[:3], markers=["缺考"], p_mark=0.02)
    sheets = []
    for c in [1, 2, 3]:
        sheets.append((class_label(5, c, "paren"), wide([p for p in ps if p.cls == c], [ID, NAME] + [SUB(s) for s in PRI[:3]])))
    sheets.append(("汇总", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])))
    f = os.path.join(d, "五年级成绩(分班).xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps), [[("汇总", None, None)]])


@case("c16_per_subject_sheets_generic_header", "either", "每科一页，表头只写“成绩”")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(4, [1, 2], 25, subs, markers=["缺考"], p_mark=0.02)
    sheets = [(s, wide(ps, [CLS("paren"), ID, NAME, ("成绩", lambda p, s=s: cellv(p, s))])) for s in subs]
    f = os.path.join(d, "四年级各科成绩.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps), [[(s, 1, "D")] for s in subs])


@case("c17_formulas_with_cached_values", "import")
def _(g, d):
    subs = PRI[:4]
    ps = g.pupils(5, [1, 2], 25, subs)
    grid = [["班级", "学号", "姓名", "语文", "数学", "英语", "科学", "总分", "平均分"]]
    for i, p in enumerate(ps):
        r = i + 2
        row = [class_label(5, p.cls, "paren"), p.id, p.name]
        for s in subs:
            v = p.cells[s]
            if s == "语文":   # 卷面 + 作文 as a formula
                row.append(Formula(f"={v - 25}+25", v))
            else:
                row.append(v)
        tot = sum(p.cells[s] for s in subs)
        row += [Formula(f"=SUM(D{r}:G{r})", tot), Formula(f"=AVERAGE(D{r}:G{r})", tot / 4)]
        grid.append(row)
    n = len(ps) + 1
    grid.append([None, None, "平均分"] + [Formula(f"=AVERAGE({L(4 + k)}2:{L(4 + k)}{n})",
                                              sum(p.cells[s] for p in ps) / len(ps)) for k, s in enumerate(subs)])
    f = os.path.join(d, "五年级期末(公式).xlsx")
    write_xlsxwriter(f, [("成绩", grid)])
    return R(f, truth_rows(ps))


@case("c18_formulas_without_cached_values", "refuse")
def _(g, d):
    ps = g.pupils(5, [1], 30, ["语文", "数学"])
    grid = [["学号", "姓名", "班级", "语文基础", "语文作文", "语文", "数学"]]
    for i, p in enumerate(ps):
        v = p.cells["语文"]
        grid.append([p.id, p.name, class_label(5, 1, "paren"), v - 25, 25, Formula(f"=D{i + 2}+E{i + 2}"), p.cells["数学"]])
    planted = [[("Sheet1", i + 2, "F")] for i in range(len(ps))][:1]
    f = os.path.join(d, "五1班成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, planted)


@case("c19_vlookup_sheet_plus_source_sheet", "either", "成绩页用 VLOOKUP 从“原始数据”页取分（两页同一批学生）")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 20, subs)
    src = wide(ps, [("考号", lambda p: p.id), NAME, CLS("paren")] + [SUB(s) for s in subs])
    main = [["学号", "姓名", "班级"] + subs]
    for i, p in enumerate(ps):
        r = i + 2
        main.append([p.id, p.name, class_label(5, p.cls, "paren")] +
                    [Formula(f"=VLOOKUP(A{r},原始数据!A:F,{4 + k},0)", p.cells[s]) for k, s in enumerate(subs)])
    f = os.path.join(d, "五年级成绩(VLOOKUP).xlsx")
    write_xlsxwriter(f, [("班级成绩", main), ("原始数据", src)])
    return R(f, truth_rows(ps), [[("原始数据", None, None), ("班级成绩", None, None)]])


@case("c20_protected_sheet", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI[:4], markers=["缺考"], p_mark=0.02)

    def post(wb):
        ws = wb.active
        ws.protection.sheet = True
        ws.protection.password = "123456"
    f = os.path.join(d, "六年级成绩(保护).xlsx")
    write_xlsx(f, [("成绩", wide(ps, [CLS("dash"), ID, NAME] + [SUB(s) for s in PRI[:4]]))], post)
    return R(f, truth_rows(ps))


@case("c21_colour_only_absent_with_note", "either", "缺考只用黄色底纹标在 0 分格上，表尾注明")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    yel = set()
    for p in g.rng.sample(ps, 3):
        s = g.rng.choice(PRI[:3])
        p.cells[s] = Cell(0, fill="FFFF00")
        p.truth[s] = (NaN, "absent", None)
        yel.add((p.id, s))
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    grid += [[], ["注：黄色底纹表示缺考"]]
    planted = locate(grid, lambda i, j, v: isinstance(grid[i][j], Cell), sheet="Sheet1")
    f = os.path.join(d, "五年级期末(颜色标记).xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c22_blank_rows_and_blank_column", "import")
def _(g, d):
    ps = g.pupils(4, [1, 2, 3], 20, PRI[:3], markers=["缺考"], p_mark=0.02)
    grid = [["班级", "学号", "姓名", None] + PRI[:3]]
    for c in [1, 2, 3]:
        for p in ps:
            if p.cls == c:
                grid.append([class_label(4, c, "paren"), p.id, p.name, None] + [cellv(p, s) for s in PRI[:3]])
        grid += [[], []]
    f = os.path.join(d, "四年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c23_data_starts_C5", "import")
def _(g, d):
    ps = g.pupils(3, [1, 2], 24, PRI[:3], markers=["缺考"], p_mark=0.02)
    grid = wide(ps, [CLS("cn"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "三年级期中.xlsx")
    write_xlsx(f, [("Sheet1", grid)], r0=4, c0=2)
    return R(f, truth_rows(ps))


@case("c24_header_in_row_40", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI[:3])
    notes = [["六年级期末质量检测成绩表"], ["填表说明："]] + [[f"{k}. 请按学籍顺序填写，缺考写“缺考”，不得留空（第{k}条）。"]
                                                      for k in range(1, 38)]
    grid = notes + wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    assert len(notes) == 39
    f = os.path.join(d, "六年级期末.xlsx")
    write_xlsx(f, [("成绩", grid)])
    return R(f, truth_rows(ps))


@case("c25_autofilter_hides_other_classes", "import", "自动筛选只显示一班，其余行被隐藏（仍是数据）")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 20, PRI[:3], markers=["缺考"], p_mark=0.02)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])

    def post(wb):
        ws = wb.active
        ws.auto_filter.ref = f"A1:F{len(grid)}"
        ws.auto_filter.add_filter_column(0, [class_label(5, 1, "paren")])
        for i, p in enumerate(ps):
            if p.cls != 1:
                ws.row_dimensions[i + 2].hidden = True
    f = os.path.join(d, "五年级(筛选).xlsx")
    write_xlsx(f, [("成绩", grid)], post)
    return R(f, truth_rows(ps))


@case("c26_hidden_duplicate_subject_column", "either", "隐藏的 D 列是上次的“数学”，E 列是本次“数学”")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, ["语文", "数学"])
    old = {p.id: g.score(100) for p in ps}
    grid = wide(ps, [CLS("paren"), ID, NAME, ("数学", lambda p: old[p.id]), SUB("数学"), SUB("语文")])

    def post(wb):
        wb.active.column_dimensions["D"].hidden = True
    f = os.path.join(d, "五年级数学语文.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps), [[("Sheet1", None, "D"), ("Sheet1", None, "E")]])


@case("c27_outline_grouped_class_subtotals", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 20, PRI[:3], markers=["缺考"], p_mark=0.02)
    grid = [["班级", "学号", "姓名"] + PRI[:3]]
    groups = []
    for c in [1, 2, 3]:
        a = len(grid) + 1
        cps = [p for p in ps if p.cls == c]
        for p in cps:
            grid.append([class_label(5, c, "paren"), p.id, p.name] + [cellv(p, s) for s in PRI[:3]])
        groups.append((a, len(grid)))
        grid.append([class_label(5, c, "paren") + " 汇总", None, None] +
                    [Formula("=1", round(sum(sat(p, s) for p in cps if sat(p, s) is not None) /
                                         sum(1 for p in cps if sat(p, s) is not None), 2)) for s in PRI[:3]])
    grid.append(["总计", None, None] + [Formula("=1", 0) for s in PRI[:3]])

    def post(wb, ws, name):
        for a, b in groups:
            for r in range(a, b + 1):
                ws.set_row(r - 1, None, None, {"level": 1, "hidden": True})
    f = os.path.join(d, "五年级分组汇总.xlsx")
    write_xlsxwriter(f, [("成绩", grid)], post)
    return R(f, truth_rows(ps))


@case("c28_header_repeated_for_printing", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 30, PRI[:4], markers=["缺考"], p_mark=0.02)
    cols = [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:4]]
    full = wide(ps, cols)
    grid = []
    for k in range(0, len(ps), 25):
        grid += [["五年级期末成绩（续）" if k else "五年级期末成绩"], full[0]] + full[1 + k:1 + k + 25] + [[f"第{k // 25 + 1}页"]]
    f = os.path.join(d, "五年级打印版.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c29_text_scores_units_fullwidth_spaces", "import")
def _(g, d):
    ps = g.pupils(4, [1, 2], 25, PRI[:3])
    fw = str.maketrans("0123456789.", "０１２３４５６７８９．")
    for p in ps:
        for s in PRI[:3]:
            v = p.cells[s]
            r = g.rng.random()
            p.cells[s] = f"{v}分" if r < 0.15 else str(v).translate(fw) if r < 0.3 else f" {v} " if r < 0.4 else str(v) if r < 0.5 else v
    f = os.path.join(d, "四年级(文本分数).xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    return R(f, truth_rows(ps))


@case("c30_makeup_score_suffix", "either", "“85.5(补)”：补考成绩")
def _(g, d):
    ps = g.pupils(8, [1], 30, ["数学", "物理"], halves=["数学"])
    for p in g.rng.sample(ps, 2):
        p.cells["数学"] = f"{p.cells['数学']}(补)"
    grid = wide(ps, [ID, NAME, CLS("paren"), SUB("数学"), SUB("物理")])
    planted = locate(grid, lambda i, j, v: isinstance(v, str) and "补" in v, sheet="Sheet1")
    f = os.path.join(d, "初二1班.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c31_numeric_ids_consistent", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3], id_fn=lambda c, k: str(50100 + 100 * c + k + 1))
    grid = wide(ps, [("考号", lambda p: int(p.id)), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c32_ids_with_custom_zero_format", "either", "考号是数字 501001，单元格格式 0000000 显示为 0501001")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3], id_fn=lambda c, k: f"05{c:02d}{k + 1:03d}")
    grid = wide(ps, [("考号", lambda p: Cell(int(p.id), fmt="0000000")), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级考号.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, "A")]])


@case("c33_duplicate_names_with_ids", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    ps[3].name = ps[4].name = "王芳"
    ps[30].name = "王芳"
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c34_duplicate_names_without_ids", "either", "无学号，同班两个“王芳”")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    ps[3].name = ps[4].name = "王芳"
    grid = wide(ps, [CLS("paren"), NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级无学号.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 5, None), ("Sheet1", 6, None)]], id_key="count")


@case("c35_class_as_number_grade_in_filename", "either", "班级列只写 1、2、3，年级只在文件名")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 20, PRI[:3])
    grid = wide(ps, [("班级", lambda p: p.cls), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级期末成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, "A")]])


@case("c36_class_as_number_with_grade_option", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 20, PRI[:3])
    grid = wide(ps, [("班级", lambda p: p.cls), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "期末成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(grade=5))


def two_exam_book(g, d, hidden=False):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 20, subs)
    ps2 = [Pupil(p.id, p.name, p.school, p.grade, p.cls) for p in ps]
    for p in ps2:
        for s in subs:
            v = g.score(100)
            p.cells[s], p.truth[s] = v, (float(v), "sat", None)
    cols = [CLS("paren"), ID, NAME] + [SUB(s) for s in subs]

    def post(wb):
        if hidden:
            wb["期中"].sheet_state = "hidden"
    f = os.path.join(d, "五年级2024-2025第一学期.xlsx")
    write_xlsx(f, [("期中", wide(ps, cols)), ("期末", wide(ps2, cols))], post)
    return f, ps, ps2


@case("c37_midterm_and_final_sheets", "either", "一个工作簿里“期中”“期末”两页，同一批学生")
def _(g, d):
    f, ps, ps2 = two_exam_book(g, d)
    return R(f, truth_rows(ps, exam="期中") + truth_rows(ps2, exam="期末"), [[("期中", None, None), ("期末", None, None)]],
             exam_map=True)


@case("c38_midterm_and_final_sheet_option", "import")
def _(g, d):
    f, ps, ps2 = two_exam_book(g, d)
    return R(f, truth_rows(ps2), options=dict(sheet="期末"))


@case("c39_hidden_midterm_sheet", "import", "期中页被隐藏，只应读期末")
def _(g, d):
    f, ps, ps2 = two_exam_book(g, d, hidden=True)
    return R(f, truth_rows(ps2))


@case("c40_perclass_sheets_reverse_order", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 22, PRI[:3], markers=["缺考"], p_mark=0.02)
    sheets = [(f"{CN[5]}（{c}）班", wide([p for p in ps if p.cls == c], [ID, NAME] + [SUB(s) for s in PRI[:3]])) for c in [3, 2, 1]]
    f = os.path.join(d, "五年级分班成绩.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps))


@case("c41_class_only_in_title_row", "either", "单个 Sheet1，班级只在标题“五年级（2）班期末成绩”")
def _(g, d):
    ps = g.pupils(5, [2], 30, PRI[:3])
    grid = [["五年级（2）班期末成绩"]] + wide(ps, [ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "期末成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, None)]])


@case("c42_english_headers", "import")
def _(g, d):
    subs = ["语文", "数学", "英语", "科学"]
    ps = g.pupils(5, [1, 2], 25, subs)
    en = {"语文": "Chinese", "数学": "Math", "英语": "English", "科学": "Science"}
    grid = wide(ps, [("Student ID", lambda p: p.id), ("Name", lambda p: p.name), CLS("dash", "Class")] +
                [SUB(s, en[s]) for s in subs])
    f = os.path.join(d, "G5_final_scores.xlsx")
    write_xlsx(f, [("Scores", grid)])
    return R(f, truth_rows(ps))


@case("c43_english_markers_absent", "either", "英文表里缺考写 Absent / ABS")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(5, [1, 2], 25, subs)
    for p in g.rng.sample(ps, 3):
        s = g.rng.choice(subs)
        p.cells[s] = g.rng.choice(["Absent", "ABS"])
        p.truth[s] = (NaN, "absent", None)
    en = {"语文": "Chinese", "数学": "Maths", "英语": "English"}
    grid = wide(ps, [("ID", lambda p: p.id), ("Name", lambda p: p.name), CLS("dash", "Class")] + [SUB(s, en[s]) for s in subs])
    planted = locate(grid, lambda i, j, v: v in ("Absent", "ABS"), sheet="Sheet1")
    f = os.path.join(d, "grade5.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c44_mixed_class_spellings_primary", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 20, PRI[:3])
    styles = ["paren", "fparen", "dash", "num3", "digits", "cn", "nparen"]
    grid = wide(ps, [("班级", lambda p: class_label(5, p.cls, g.rng.choice(styles))), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c45_junior_class_spellings", "import")
def _(g, d):
    subs = ["语文", "数学", "英语", "生物", "地理"]
    ps = g.pupils(7, [3, 12], 20, subs, {"语文": 120, "数学": 120, "英语": 120})
    lab = lambda p: g.rng.choice([f"初一{p.cls}班", f"初一({p.cls})班", f"七年级{p.cls}班", f"七年级（{p.cls}）班", f"7-{p.cls}"])
    grid = wide(ps, [("班级", lab), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, "初一期中.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks={"语文": 120, "数学": 120, "英语": 120}))


@case("c46_senior_class_spellings", "import")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(10, [3, 11], 20, subs, {s: 150 for s in subs})
    lab = lambda p: g.rng.choice([f"高一({p.cls})班", f"高一{p.cls}班", f"高一年级{p.cls}班", f"高一（{p.cls}）班"])
    grid = wide(ps, [("班级", lab), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, "高一月考.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks={s: 150 for s in subs}))


def set_levels(g, ps, s, words):
    for p in ps:
        w = g.rng.choice(words)
        p.cells[s] = w
        lvl = {"优秀": "优秀", "良好": "良好", "合格": "合格", "待合格": "待合格", "A": "优秀", "B": "良好", "C": "合格",
               "D": "待合格", "优": "优秀", "良": "良好"}.get(w)
        p.truth[s] = (NaN, "sat", lvl)


@case("c47_grade1_levels_words_and_letters", "import")
def _(g, d):
    ps = g.pupils(1, [1, 2], 25, ["语文", "数学"])
    set_levels(g, ps, "语文", ["优秀"] * 4 + ["良好"] * 3 + ["合格"] * 2 + ["待合格"])
    set_levels(g, ps, "数学", ["A"] * 4 + ["B"] * 3 + ["C"] * 2 + ["D"])
    grid = wide(ps, [CLS("paren"), ID, NAME, SUB("语文"), SUB("数学")])
    f = os.path.join(d, "一年级期末等级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), levels=True)


@case("c48_grade2_scores_and_level_subject", "import")
def _(g, d):
    ps = g.pupils(2, [1, 2], 25, ["语文", "数学", "道德与法治"])
    set_levels(g, ps, "道德与法治", ["优秀"] * 4 + ["良好"] * 3 + ["合格"] * 2)
    grid = wide(ps, [CLS("paren"), ID, NAME, SUB("语文"), SUB("数学"), SUB("道德与法治")])
    f = os.path.join(d, "二年级期末.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), levels=True)


@case("c49_unknown_level_word", "either", "等级表里出现“优+”")
def _(g, d):
    ps = g.pupils(1, [1], 30, ["语文"])
    set_levels(g, ps, "语文", ["优秀", "良好", "合格"])
    ps[5].cells["语文"] = "优+"
    ps[5].truth["语文"] = (NaN, "sat", "优秀")
    grid = wide(ps, [CLS("paren"), ID, NAME, SUB("语文")])
    f = os.path.join(d, "一年级1班.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 7, "D")]], levels=True)


@case("c50_fullmark120_without_option", "refuse")
def _(g, d):
    ps = g.pupils(7, [1, 2], 25, ["语文", "数学"], {"语文": 120, "数学": 120})
    grid = wide(ps, [CLS("plain"), ID, NAME, SUB("语文"), SUB("数学")])
    planted = locate(grid, lambda i, j, v: i > 0 and j >= 3 and isinstance(v, (int, float)) and v > 100, sheet="Sheet1")
    f = os.path.join(d, "初一成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, planted)


@case("c51_meishu60_yinyue_fullmarks_option", "import")
def _(g, d):
    subs = ["语文", "数学", "美术", "音乐"]
    fm = {"语文": 120, "数学": 120, "美术": 60, "音乐": 60}
    ps = g.pupils(8, [1, 2], 25, subs, fm, markers=["缺考"], p_mark=0.02)
    grid = wide(ps, [CLS("plain"), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, "八年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks=fm))


@case("c52_full_mark_in_header", "either", "表头写“数学(120分)”而未给 full_marks")
def _(g, d):
    subs = ["语文", "数学"]
    ps = g.pupils(7, [1, 2], 25, subs, {"语文": 120, "数学": 120})
    grid = wide(ps, [CLS("plain"), ID, NAME, SUB("语文", "语文(120分)"), SUB("数学", "数学(120分)")])
    planted = locate(grid, lambda i, j, v: i > 0 and j >= 3 and isinstance(v, (int, float)) and v > 100, sheet="Sheet1")
    f = os.path.join(d, "初一期中.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


def planted_one(g, d, bad, fname, subs=("语文", "数学", "英语")):
    ps = g.pupils(5, [1, 2], 25, list(subs))
    i = g.rng.randrange(len(ps))
    ps[i].cells["数学"] = bad
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, fname)
    write_xlsx(f, [("成绩", grid)])
    return R(f, None, [[("成绩", i + 2, "E")]])


@case("c53_over_full_mark", "refuse")
def _(g, d):
    return planted_one(g, d, 105, "五年级a.xlsx")


@case("c54_negative_score", "refuse")
def _(g, d):
    return planted_one(g, d, -3, "五年级b.xlsx")


@case("c55_percent_text", "refuse")
def _(g, d):
    return planted_one(g, d, "48.5%", "五年级c.xlsx")


@case("c56_error_value_NA", "refuse")
def _(g, d):
    return planted_one(g, d, "#N/A", "五年级d.xlsx")


@case("c57_level_word_among_scores", "refuse")
def _(g, d):
    return planted_one(g, d, "良", "五年级e.xlsx")


@case("c58_duplicate_id_across_classes", "refuse")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    ps[30].id = ps[2].id
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级f.xlsx")
    write_xlsx(f, [("成绩", grid)])
    return R(f, None, [[("成绩", 4, "B"), ("成绩", 32, "B"), ("成绩", 4, None), ("成绩", 32, None)]])


@case("c59_scores_without_id_or_name", "refuse")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    ps[10].id = None
    ps[10].name = None
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级g.xlsx")
    write_xlsx(f, [("成绩", grid)])
    return R(f, None, [[("成绩", 12, None), ("成绩", 12, "B"), ("成绩", 12, "C")]])


@case("c60_first_pupil_without_class", "refuse")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    grid[1][0] = None
    f = os.path.join(d, "五年级h.xlsx")
    write_xlsx(f, [("成绩", grid)])
    return R(f, None, [[("成绩", 2, "A"), ("成绩", 2, None)]])


@case("c61_header_only_class_sheet", "refuse")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    sheets = [(class_label(5, c, "paren"), wide([p for p in ps if p.cls == c], [ID, NAME] + [SUB(s) for s in PRI[:3]]))
              for c in [1, 2]]
    sheets.append(("五(3)班", [["学号", "姓名"] + PRI[:3]]))
    f = os.path.join(d, "五年级分班i.xlsx")
    write_xlsx(f, sheets)
    return R(f, None, [[("五(3)班", None, None)]])


@case("c62_pdf_renamed_xlsx", "refuse")
def _(g, d):
    f = os.path.join(d, "成绩单.xlsx")
    with open(f, "wb") as fh:
        fh.write(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return R(f, None)


@case("c63_empty_file", "refuse")
def _(g, d):
    f = os.path.join(d, "空文件.xls")
    open(f, "wb").close()
    return R(f, None)


# ====================================================================== formats
@case("c64_gbk_csv_named_xlsx", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI, markers=["缺考", "请假"], p_mark=0.02)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI])
    f = os.path.join(d, "六年级成绩.xlsx")
    write_csv(f, grid, "gbk")
    return R(f, truth_rows(ps))


@case("c65_xlsx_named_xls", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI[:3], markers=["缺考"], p_mark=0.02)
    f = os.path.join(d, "六年级成绩.xls")
    tmp = f + ".tmp.xlsx"
    write_xlsx(tmp, [("Sheet1", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    os.replace(tmp, f)
    return R(f, truth_rows(ps))


@case("c66_real_xls_biff_merged_class", "import")
def _(g, d):
    ps = g.pupils(4, [1, 2], 25, PRI[:4], markers=["缺考"], p_mark=0.02)
    grid = [["四年级期末成绩"], ["班级", "学号", "姓名"] + [HEAD.get(s, s) for s in PRI[:4]]]
    merges = [(0, 0, 0, 6)]
    for c in [1, 2]:
        a = len(grid)
        for i, p in enumerate([p for p in ps if p.cls == c]):
            grid.append([class_label(4, c, "paren") if i == 0 else None, p.id, p.name] + [cellv(p, s) for s in PRI[:4]])
        merges.append((a, 0, len(grid) - 1, 0))
    f = os.path.join(d, "四年级期末.xls")
    write_xls(f, [("Sheet1", grid)], {"Sheet1": merges})
    return R(f, truth_rows(ps))


@case("c67_excel2003_xml", "import")
def _(g, d):
    ps = g.pupils(3, [1, 2], 25, PRI[:3], markers=["缺考"], p_mark=0.02)
    f = os.path.join(d, "三年级.xls")
    write_xml2003(f, [("成绩", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    return R(f, truth_rows(ps))


@case("c68_gb18030_bom_tab_rare_names", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    rare = ["李𬌗", "王䶮", "张𪚥", "陈堃", "赵𬭎"]
    for p, n in zip(ps[::7], rare):
        p.name = n
    f = os.path.join(d, "五年级.csv")
    write_csv(f, wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]), "gb18030", "\t", bom=True)
    return R(f, truth_rows(ps), check_names=True)


@case("c69_utf8bom_csv_title_and_totals", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3], markers=["缺考"], p_mark=0.03)
    grid = [["五年级期末成绩"]] + wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    grid.append([None, None, "平均分"] + [round(sum(sat(p, s) for p in ps if sat(p, s) is not None) /
                                             sum(1 for p in ps if sat(p, s) is not None), 2) for s in PRI[:3]])
    grid.append(["合计", None, None] + [sum(sat(p, s) or 0 for p in ps) for s in PRI[:3]])
    f = os.path.join(d, "五年级期末.csv")
    write_csv(f, grid, "utf-8", bom=True)
    return R(f, truth_rows(ps))


@case("c70_wps_et_extension", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI[:3])
    f = os.path.join(d, "六年级成绩.et")
    tmp = f + ".xlsx"
    write_xlsx(tmp, [("Sheet1", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    os.replace(tmp, f)
    return R(f, truth_rows(ps))


@case("c71_ods", "import")
def _(g, d):
    ps = g.pupils(6, [1, 2], 25, PRI[:3], markers=["缺考"], p_mark=0.02)
    f = os.path.join(d, "六年级成绩.ods")
    write_ods(f, [("Sheet1", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    return R(f, truth_rows(ps))


@case("c72_sci_notation_ids_lossy_csv", "refuse", "12 位考号在 CSV 里成了 2.02405E+11")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3], id_fn=lambda c, k: f"2024050{c}{k + 1:04d}")
    grid = wide(ps, [("考号", lambda p: f"{int(p.id):.5E}"), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]])
    seen = {}
    for i, r in enumerate(grid[1:]):
        seen.setdefault(r[0], []).append(i + 2)
    planted = [[(None, rr, "A") for rr in v] for v in seen.values() if len(v) > 1][:3]
    f = os.path.join(d, "五年级考号.csv")
    write_csv(f, grid, "gbk")
    return R(f, None, planted)


@case("c73_sci_notation_ids_lossless_csv", "import")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3], id_fn=lambda c, k: f"{100000 + c * 1000 + (k + 1) * 10}")
    def sci(x):
        s = f"{int(x):E}"           # 1.010100E+05
        m, e = s.split("E")
        return m.rstrip("0").rstrip(".") + "E" + e
    grid = wide(ps, [("考号", lambda p: sci(p.id)), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级考号2.csv")
    write_csv(f, grid, "utf-8")
    return R(f, truth_rows(ps))


@case("c74_xuanke_blanks_no_option", "either", "7选3：未选科目留空，未给 electives")
def _(g, d):
    core = ["语文", "数学", "英语"]
    el = ["物理", "化学", "生物", "政治", "历史", "地理"]
    ps = g.pupils(11, [1, 2], 25, core, {s: 150 for s in core})
    for p in ps:
        ch = g.rng.sample(el, 3)
        for s in el:
            if s in ch:
                v = g.score(100)
                p.cells[s], p.truth[s] = v, (float(v), "sat", None)
            else:
                p.cells[s], p.truth[s] = None, None
    grid = wide(ps, [ID, NAME, CLS("paren")] + [SUB(s) for s in core + el])
    f = os.path.join(d, "高二选考.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, None)]], options=dict(full_marks={s: 150 for s in core}))


@case("c75_xuanke_N_dash_and_real_absent", "import")
def _(g, d):
    core = ["语文", "数学", "英语"]
    el = ["物理", "化学", "生物", "政治", "历史", "地理"]
    ps = g.pupils(12, [1, 2], 25, core, {s: 150 for s in core})
    for p in ps:
        ch = g.rng.sample(el, 3)
        for s in el:
            if s in ch:
                if g.rng.random() < 0.03:
                    p.cells[s], p.truth[s] = "缺考", (NaN, "absent", None)
                else:
                    v = g.score(100)
                    p.cells[s], p.truth[s] = v, (float(v), "sat", None)
            else:
                p.cells[s], p.truth[s] = g.rng.choice(["N", "-"]), None
    grid = wide(ps, [ID, NAME, CLS("plain")] + [SUB(s) for s in core + el])
    f = os.path.join(d, "高三一模.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks={s: 150 for s in core}))


@case("c76_total_disagrees_extra_numeric_cols", "import", "总分错、进退步/上次名次/座号等数字列")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:4])
    cols = [("座号", lambda p: g.rng.randint(1, 50)), CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:4]] + \
           [("总分", lambda p: sum(p.cells[s] for s in PRI[:4]) + (10 if g.rng.random() < 0.1 else 0)),
            ("上次名次", lambda p: g.rng.randint(1, 50)), ("进退步", lambda p: g.rng.randint(-20, 20)),
            ("身高cm", lambda p: g.rng.randint(130, 160))]
    f = os.path.join(d, "五年级.xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, cols))])
    return R(f, truth_rows(ps))


@case("c77_score_band_table_to_the_right", "import", "同一页右侧有分数段统计小表")
def _(g, d):
    ps = g.pupils(5, [1], 40, ["语文", "数学"])
    grid = wide(ps, [ID, NAME, CLS("paren"), SUB("语文"), SUB("数学")])
    bands = [("分数段", "语文人数", "数学人数")] + [(f"{a}-{a + 9}", 0, 0) for a in range(90, -1, -10)]
    for k, b in enumerate(bands):
        grid[k] += [None, None, *b]
    f = os.path.join(d, "五1班.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c78_two_classes_side_by_side", "either", "打印版：一班在 A–E 列，二班在 G–K 列")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, ["语文", "数学"])
    a = wide([p for p in ps if p.cls == 1], [ID, NAME, SUB("语文"), SUB("数学")])
    b = wide([p for p in ps if p.cls == 2], [ID, NAME, SUB("语文"), SUB("数学")])
    grid = [["五(1)班", None, None, None, None, "五(2)班"]] + [ra + [None] + rb for ra, rb in zip(a, b)]
    f = os.path.join(d, "五年级并排.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, "F"), ("Sheet1", None, "G"), ("Sheet1", None, None)]])


@case("c79_class_means_summary_sheet", "either", "每班一页 + “年级汇总”页（只有各班均分）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    sheets = [(class_label(5, c, "paren"), wide([p for p in ps if p.cls == c], [ID, NAME] + [SUB(s) for s in PRI[:3]]))
              for c in [1, 2]]
    summ = [["班级"] + PRI[:3]] + [[class_label(5, c, "paren")] + [round(sum(p.cells[s] for p in ps if p.cls == c) / 25, 2)
                                                                   for s in PRI[:3]] for c in [1, 2]]
    sheets.insert(0, ("年级汇总", summ))
    f = os.path.join(d, "五年级各班.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps), [[("年级汇总", None, None)]])


@case("c80_hidden_template_and_instructions", "import")
def _(g, d):
    ps = g.pupils(4, [1, 2], 25, PRI[:3])
    tmpl = [["班级", "学号", "姓名"] + PRI[:3], ["四(1)班", "示例001", "张三", 90, 85, 80]]
    ins = [["填写说明"], ["1. 缺考填“缺考”"], ["2. 分数填整数"]]

    def post(wb):
        wb["模板"].sheet_state = "hidden"
    f = os.path.join(d, "四年级.xlsx")
    write_xlsx(f, [("填写说明", ins), ("模板", tmpl), ("成绩", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))],
               post)
    return R(f, truth_rows(ps))


@case("c81_row_merged_transfer_across_subjects", "import", "转学学生的各科格合并成一格写“转学”")
def _(g, d):
    subs = PRI[:4]
    ps = g.pupils(5, [1, 2], 25, subs)
    tr = [ps[7], ps[33]]
    for p in tr:
        for s in subs:
            p.cells[s], p.truth[s] = ("转学" if s == subs[0] else None), (NaN, "transferred", None)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])

    def post(wb):
        ws = wb.active
        for p in tr:
            r = ps.index(p) + 2
            ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=7)
    f = os.path.join(d, "五年级转学.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps))


@case("c82_vertical_merged_absent", "import")
def _(g, d):
    ps = g.pupils(5, [1], 30, PRI[:3])
    for p in ps[10:12]:
        p.cells["英语"], p.truth["英语"] = "缺考", (NaN, "absent", None)
    ps[11].cells["英语"] = None
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])

    def post(wb):
        wb.active.merge_cells("F12:F13")
    f = os.path.join(d, "五1班.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps))


@case("c83_score_cells_with_date_format", "either", "几个分数格被设成日期格式（显示 1900/3/25）")
def _(g, d):
    ps = g.pupils(5, [1], 30, PRI[:3])
    for p in ps[3:6]:
        p.cells["数学"] = Cell(p.cells["数学"], fmt="yyyy/m/d")
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    planted = [[("Sheet1", i + 2, "E")] for i in range(3, 6)]
    f = os.path.join(d, "五1班日期.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c84_nbsp_and_zero_width_in_scores", "either", "网页复制来的分数带不换行空格/零宽空格")
def _(g, d):
    ps = g.pupils(5, [1], 30, PRI[:3])
    for p in ps[2:5]:
        p.cells["语文"] = f"{p.cells['语文']}\u00a0"
    for p in ps[8:10]:
        p.cells["数学"] = f"\u200b{p.cells['数学']}"
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    planted = locate(grid, lambda i, j, v: isinstance(v, str) and ("\u00a0" in v or "\u200b" in v), sheet="Sheet1")
    f = os.path.join(d, "五1班网页.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c85_liankao_overlapping_school_ids", "either", "联考：各校自编学号重复（学校列区分）")
def _(g, d):
    subs = ["语文", "数学"]
    ps = []
    for sch in ["红星小学", "向阳小学"]:
        ps += g.pupils(6, [1, 2], 20, subs, school=sch, id_fn=lambda c, k: f"6{c}{k + 1:02d}")
    grid = wide(ps, [("学校", lambda p: p.school), ID, NAME, CLS("paren")] + [SUB(s) for s in subs])
    f = os.path.join(d, "六年级联考.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 42, "B"), ("Sheet1", 42, None)]])


@case("c86_liankao_sheet_per_school", "either", "联考：每校一页（页名即校名），无学校列")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps, sheets = [], []
    for si, sch in enumerate(["第一中学", "第二中学", "育才中学"]):
        sp = g.pupils(8, [1, 2], 15, subs, {s: 120 for s in subs}, school=sch, id_fn=lambda c, k, si=si: f"8{si}{c}{k + 1:02d}")
        ps += sp
        sheets.append((sch, wide(sp, [("考号", lambda p: p.id), NAME, CLS("plain")] + [SUB(s) for s in subs])))
    f = os.path.join(d, "八年级联考.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps), [[(s, None, None) for s, _ in sheets]], options=dict(full_marks={s: 120 for s in subs}))


@case("c87_marker_variety", "import")
def _(g, d):
    subs = PRI[:4]
    mk = ["缺", "Q", "请假", "免考", "转学", "作弊", "未扫", "缺考，不计排名", "36，剔除", "缺考"]
    ps = g.pupils(5, [1, 2], 25, subs, markers=mk, p_mark=0.06)
    ps[0].cells["语文"], ps[0].truth["语文"] = 0, (0.0, "sat", None)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, "五年级标记.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c88_unlisted_markers", "either", "违纪 / 缓考 / 免修 / 病假")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 25, subs)
    m = {"违纪": "cheated", "缓考": "excused", "免修": "excused", "病假": "excused"}
    for p, w in zip(g.rng.sample(ps, 4), m):
        s = g.rng.choice(subs)
        p.cells[s], p.truth[s] = w, (NaN, m[w], None)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])
    planted = locate(grid, lambda i, j, v: v in m, sheet="Sheet1")
    f = os.path.join(d, "五年级标记2.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c89_class_heading_blocks_columns_reordered", "import", "按班分块，第二块表头列顺序不同、学号写成考号")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 22, subs, markers=["缺考"], p_mark=0.03)
    grid = [["五年级（1）班"], ["学号", "姓名"] + subs] + [[p.id, p.name] + [cellv(p, s) for s in subs] for p in ps if p.cls == 1]
    grid += [[], ["五年级（2）班"], ["姓名", "考号", "数学", "语文", "英语"]]
    grid += [[p.name, p.id, cellv(p, "数学"), cellv(p, "语文"), cellv(p, "英语")] for p in ps if p.cls == 2]
    f = os.path.join(d, "五年级分块.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c90_perclass_sheets_columns_reordered", "import", "每班一页，各页科目列顺序不同")
def _(g, d):
    subs = PRI[:4]
    ps = g.pupils(4, [1, 2, 3], 20, subs)
    sheets = []
    for c in [1, 2, 3]:
        order = subs[:]
        g.rng.shuffle(order)
        sheets.append((f"{c}班", wide([p for p in ps if p.cls == c], [NAME, ID] + [SUB(s) for s in order])))
    f = os.path.join(d, "四年级期末.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps), options=dict(grade=4))


@case("c91_special_needs_excluded_by_remark", "either", "备注“随班就读，不计入统计”但有分数")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 25, subs)
    rem = {}
    for p in [ps[5], ps[40]]:
        rem[p.id] = "随班就读，不计入统计"
        for s in subs:
            p.truth[s] = (NaN, "excluded", None)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs] + [("备注", lambda p: rem.get(p.id))])
    planted = locate(grid, lambda i, j, v: v == "随班就读，不计入统计", sheet="Sheet1")
    f = os.path.join(d, "五年级随班就读.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c92_pupil_with_all_blank_row", "import")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(5, [1, 2], 25, subs)
    for p in [ps[24], ps[49]]:
        for s in subs:
            p.cells[s], p.truth[s] = None, (NaN, "absent", None)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])
    f = os.path.join(d, "五年级新生.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c93_header_with_newline_and_spaces", "import")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(8, [1, 2], 25, subs, {s: 120 for s in subs})
    grid = wide(ps, [("学 号", lambda p: p.id), ("姓  名", lambda p: p.name), CLS("plain", "班 级")] +
                [SUB(s, f"{s[0]} {s[1]}\n成绩") for s in subs])
    f = os.path.join(d, "八年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), options=dict(full_marks={s: 120 for s in subs}))


@case("c94_score_zero_vs_absent_remark_in_name", "either", "姓名格写“张三(缺考)”，分数留空/0")
def _(g, d):
    subs = ["语文", "数学"]
    ps = g.pupils(5, [1], 30, subs)
    p = ps[6]
    p.name_cell = p.name + "(缺考)"
    for s in subs:
        p.cells[s], p.truth[s] = 0, (NaN, "absent", None)
    grid = wide(ps, [CLS("paren"), ID, ("姓名", lambda q: getattr(q, "name_cell", q.name))] + [SUB(s) for s in subs])
    f = os.path.join(d, "五1班缺考.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 8, "C"), ("Sheet1", 8, "D"), ("Sheet1", 8, "E")]])


@case("c95_two_header_rows_subject_then_raw_fufen", "import", "两行表头：化学 下分 原始分/赋分/等级")
def _(g, d):
    subs = ["化学", "生物"]
    ps = g.pupils(12, [1, 2], 20, [])
    grid = [["学号", "姓名", "班级", "化学", None, None, "生物", None, None],
            [None, None, None, "原始分", "赋分", "等级", "原始分", "赋分", "等级"]]
    for p in ps:
        row = [p.id, p.name, class_label(12, p.cls, "plain")]
        for s in subs:
            r = g.score(100)
            fu = min(100, max(30, int(r * 0.6 + 40)))
            p.truth[s] = (float(fu), "sat", None)
            row += [r, fu, "A" if fu >= 86 else "B" if fu >= 71 else "C"]
        grid.append(row)

    def post(wb):
        ws = wb.active
        for c in range(1, 4):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        ws.merge_cells("D1:F1")
        ws.merge_cells("G1:I1")
    f = os.path.join(d, "高三化生赋分.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps))


@case("c96_gbk_csv_semicolon_sep_with_sum_row", "either", "分号分隔的 GBK 文本")
def _(g, d):
    ps = g.pupils(6, [1, 2], 20, PRI[:3])
    f = os.path.join(d, "六年级导出.csv")
    write_csv(f, wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]), "gbk", ";")
    return R(f, truth_rows(ps), [[(None, 1, None)]])


@case("c97_sheet_named_class_with_class_col_conflict", "either", "页名“五(2)班”但班级列写“五(1)班”（复制页后未改）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    s1 = wide([p for p in ps if p.cls == 1], [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    s2 = wide([p for p in ps if p.cls == 2], [("班级", lambda p: "五(1)班"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级复制页.xlsx")
    write_xlsx(f, [("五(1)班", s1), ("五(2)班", s2)])
    return R(f, truth_rows(ps), [[("五(2)班", None, "A"), ("五(2)班", 2, "A"), ("五(2)班", None, None)]])


@case("c98_per_class_sheets_named_sheet1_2_with_class_col", "import")
def _(g, d):
    ps = g.pupils(3, [1, 2, 3], 20, PRI[:3], markers=["缺考"], p_mark=0.02)
    sheets = [(f"Sheet{c}", wide([p for p in ps if p.cls == c], [CLS("nianji"), ID, NAME] + [SUB(s) for s in PRI[:3]]))
              for c in [1, 2, 3]]
    f = os.path.join(d, "三年级.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps))


@case("c99_scores_decimal_fufen_float_noise", "import", "公式缓存值带浮点误差 87.49999999999999")
def _(g, d):
    ps = g.pupils(10, [1, 2], 25, ["物理", "化学"], halves=["物理", "化学"])
    grid = [["学号", "姓名", "班级", "物理", "化学"]]
    for p in ps:
        grid.append([p.id, p.name, class_label(10, p.cls, "paren"),
                     Formula("=1", p.cells["物理"] - 1e-13 if p.cells["物理"] % 1 else p.cells["物理"]), p.cells["化学"]])
        if p.cells["物理"] % 1:
            p.truth["物理"] = (p.cells["物理"] - 1e-13, "sat", None)
    f = os.path.join(d, "高一物化.xlsx")
    write_xlsxwriter(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c100_id_trailing_dot_zero_csv", "either", "pandas 导出的 CSV：学号写成 20230501.0")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3], id_fn=lambda c, k: f"2023050{c}{k + 1:02d}")
    grid = wide(ps, [("学号", lambda p: p.id + ".0"), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "export.csv")
    write_csv(f, grid, "utf-8")
    return R(f, truth_rows(ps), [[(None, None, "A")]])



# ====================================================================== round 2: more adversarial layouts
@case("c101_xlsx_two_row_header_fenshu_banpai", "import", "同 c04 的两行表头（分数/班排）但存为 xlsx")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(8, [1, 2], 20, subs, markers=["缺考"], p_mark=0.02)
    h1, h2 = ["班级", "考号", "姓名"], [None, None, None]
    for s in subs:
        h1 += [s, None]
        h2 += ["分数", "班排"]
    grid = [h1, h2]
    for c in [1, 2]:
        cps = [p for p in ps if p.cls == c]
        cr = {s: comp_rank([sat(p, s) for p in cps]) for s in subs}
        for i, p in enumerate(cps):
            grid.append([class_label(8, c, "paren"), p.id, p.name] + [x for s in subs for x in (p.cells[s], cr[s][i])])

    def post(wb):
        ws = wb.active
        for c in range(1, 4):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        for k in range(len(subs)):
            ws.merge_cells(start_row=1, start_column=4 + 2 * k, end_row=1, end_column=5 + 2 * k)
    f = os.path.join(d, "八年级期中成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps))


@case("c102_excel_subtotal_pingjunzhi", "import", "Excel 分类汇总（平均值）：“五(1)班 平均值”“总计平均值”行")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = [["班级", "学号", "姓名"] + PRI[:3]]
    for c in [1, 2]:
        cps = [p for p in ps if p.cls == c]
        for p in cps:
            grid.append([class_label(5, c, "paren"), p.id, p.name] + [cellv(p, s) for s in PRI[:3]])
        grid.append([class_label(5, c, "paren") + " 平均值", None, None] +
                    [Formula("=1", sum(p.cells[s] for p in cps) / len(cps)) for s in PRI[:3]])
    grid.append(["总计平均值", None, None] + [Formula("=1", sum(p.cells[s] for p in ps) / len(ps)) for s in PRI[:3]])
    f = os.path.join(d, "五年级分类汇总.xlsx")
    write_xlsxwriter(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c103_repeated_header_same_names_reordered", "import", "全年级一张表，中间重复的表头把 语文/数学 两列换了位置")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(5, [1, 2], 20, subs)
    grid = [["班级", "学号", "姓名"] + subs] + [[class_label(5, 1, "paren"), p.id, p.name] + [p.cells[s] for s in subs]
                                             for p in ps if p.cls == 1]
    grid += [["班级", "学号", "姓名", "数学", "语文", "英语"]]
    grid += [[class_label(5, 2, "paren"), p.id, p.name, p.cells["数学"], p.cells["语文"], p.cells["英语"]] for p in ps if p.cls == 2]
    f = os.path.join(d, "五年级合并表.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c104_class_block_missing_subject_column", "import", "按班分块，二班的块少了“英语”列（二班还没考）")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(5, [1, 2], 20, subs)
    for p in ps:
        if p.cls == 2:
            p.truth["英语"] = None
    grid = [["五年级（1）班"], ["学号", "姓名"] + subs] + [[p.id, p.name] + [p.cells[s] for s in subs] for p in ps if p.cls == 1]
    grid += [["五年级（2）班"], ["学号", "姓名", "语文", "数学"]] + [[p.id, p.name, p.cells["语文"], p.cells["数学"]]
                                                           for p in ps if p.cls == 2]
    f = os.path.join(d, "五年级分块2.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c105_subtotal_rows_with_count_labels", "either", "表尾统计行用“实考人数/及格人数/优秀人数/平均分名次/综合得分”等标签")
def _(g, d):
    ps = g.pupils(5, [1], 30, PRI[:3])
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    n = len(ps)
    labs = [("应考人数", [n] * 3), ("实考人数", [n] * 3), ("及格人数", [sum(p.cells[s] >= 60 for p in ps) for s in PRI[:3]]),
            ("优秀人数", [sum(p.cells[s] >= 85 for p in ps) for s in PRI[:3]]), ("低分人数", [sum(p.cells[s] < 40 for p in ps) for s in PRI[:3]]),
            ("平均分名次", [2, 1, 3]), ("综合得分", [78.5, 80.2, 77.1]), ("年级名次", [3, 2, 2]), ("三率一分名次", [1, 2, 2])]
    for lab, vals in labs:
        grid.append([None, None, lab] + vals)
    planted = [[("Sheet1", n + 2 + k, None)] for k in range(len(labs))]
    f = os.path.join(d, "五1班统计.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c106_teacher_row_and_full_mark_row", "either", "表头下一行“满分 120 120 100”，表尾一行“任课教师 李老师 …”")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    fm = {"语文": 120, "数学": 120, "英语": 100}
    ps = g.pupils(7, [1], 30, subs, fm)
    grid = wide(ps, [CLS("plain"), ID, NAME] + [SUB(s) for s in subs])
    grid.insert(1, [None, None, "满分", 120, 120, 100])
    grid.append([None, None, "任课教师", "李老师", "王老师", "张老师"])
    f = os.path.join(d, "初一1班.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 2, None)], [("Sheet1", len(grid), None)]], options=dict(full_marks=fm))


@case("c107_class_average_row_labelled_with_class", "either", "姓名列写“五(1)班”、学号空的一行是班级均分")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = [["班级", "学号", "姓名"] + PRI[:3]]
    for c in [1, 2]:
        cps = [p for p in ps if p.cls == c]
        grid += [[class_label(5, c, "paren"), p.id, p.name] + [p.cells[s] for s in PRI[:3]] for p in cps]
        grid.append([None, None, class_label(5, c, "paren")] + [round(sum(p.cells[s] for p in cps) / len(cps), 1) for s in PRI[:3]])
    planted = [[("Sheet1", 22, None)], [("Sheet1", 43, None)]]
    f = os.path.join(d, "五年级均分行.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c108_one_percent_typed_cell", "either", "一格里打了“85%”，Excel 存成 0.85（百分比格式）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 25, PRI[:3])
    p = ps[17]
    p.cells["数学"] = Cell(p.cells["数学"] / 100, fmt="0%")
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级百分.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 19, "E")]])


@case("c109_class_typed_as_decimal_7_10", "either", "班级写成 7.1 … 7.10，Excel 把 7.10 存成数字 7.1")
def _(g, d):
    ps = g.pupils(7, list(range(1, 11)), 8, ["语文", "数学"])
    grid = wide(ps, [("班级", lambda p: float(f"7.{p.cls}")), ID, NAME, SUB("语文"), SUB("数学")])
    planted = [[("Sheet1", None, "A")] + [("Sheet1", 2 + i, "A") for i, p in enumerate(ps) if p.cls == 10]]
    f = os.path.join(d, "七年级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), planted)


@case("c110_class_5_1_became_date", "either", "班级“5-1”被 Excel 自动变成日期 5月1日")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 15, PRI[:3])
    grid = wide(ps, [("班级", lambda p: Cell(dt.datetime(2025, 5, p.cls), fmt='m"月"d"日"')), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级日期班级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, "A"), ("Sheet1", 2, "A")]])


@case("c111_no_class_column_whole_grade", "refuse", "全年级一张表、没有班级列、没有分页")
def _(g, d):
    ps = g.pupils(5, [1, 2, 3], 15, PRI[:3])
    grid = wide(ps, [ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级期末.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, [[("Sheet1", None, None)]])


@case("c112_single_class_file_named_with_class", "either", "无班级列，文件名“五(1)班数学成绩.xlsx”")
def _(g, d):
    ps = g.pupils(5, [1], 35, ["数学"])
    grid = wide(ps, [ID, NAME, SUB("数学")])
    f = os.path.join(d, "五(1)班数学成绩.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, None)]])


@case("c113_roster_option", "import", "成绩表无班级，用 roster 补")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    f = os.path.join(d, "五年级无班级.xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, [ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    fr = os.path.join(d, "学生信息表.xlsx")
    write_xlsx(fr, [("Sheet1", wide(ps, [ID, NAME, ("性别", lambda p: "男"), CLS("paren")]))])
    return R(f, truth_rows(ps), options=dict(roster=fr))


@case("c114_exact_duplicate_row", "refuse", "同一学生整行复制了两次")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    grid.insert(12, list(grid[11]))
    f = os.path.join(d, "五年级重复行.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, [[("Sheet1", 12, None), ("Sheet1", 13, None), ("Sheet1", 12, "B"), ("Sheet1", 13, "B")]])


@case("c115_duplicate_id_hidden_by_trailing_space", "refuse", "同一学号一次带尾随空格，一次不带")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    grid[30][1] = grid[5][1] + " "
    f = os.path.join(d, "五年级空格学号.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, None, [[("Sheet1", 6, None), ("Sheet1", 31, None), ("Sheet1", 6, "B"), ("Sheet1", 31, "B")]])


@case("c116_parent_name_column_no_ids", "import", "无学号；有“家长姓名”“班主任”两列也含人名")
def _(g, d):
    ps = g.pupils(4, [1, 2], 20, PRI[:3])
    par = {p.name: g.name() for p in ps}
    grid = wide(ps, [CLS("paren"), ("家长姓名", lambda p: par[p.name]), NAME, ("班主任", lambda p: ["李华", "周敏"][p.cls - 1])] +
                [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "四年级家长.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), id_key="name")


@case("c117_two_grades_sheets_class_number_only", "either", "一个文件两页“五年级”“六年级”，班级列只写 1、2")
def _(g, d):
    p5 = g.pupils(5, [1, 2], 15, PRI[:3], id_fn=lambda c, k: f"5{c}{k:02d}")
    p6 = g.pupils(6, [1, 2], 15, PRI[:3], id_fn=lambda c, k: f"6{c}{k:02d}")
    cols = [("班级", lambda p: f"{p.cls}班"), ID, NAME] + [SUB(s) for s in PRI[:3]]
    f = os.path.join(d, "高年级期末成绩.xlsx")
    write_xlsx(f, [("五年级", wide(p5, cols)), ("六年级", wide(p6, cols))])
    return R(f, truth_rows(p5 + p6), [[("五年级", None, "A"), ("五年级", None, None), ("六年级", None, None)]])


@case("c118_whole_school_sheets_per_grade", "import", "全校一个工作簿：三、四、五年级各一页")
def _(g, d):
    sheets, ps = [], []
    for gr in [3, 4, 5]:
        subs = PRI[:2] if gr == 3 else PRI[:3]
        pp = g.pupils(gr, [1, 2], 15, subs, id_fn=lambda c, k, gr=gr: f"{gr}{c}{k:02d}", markers=["缺考"], p_mark=0.02)
        ps += pp
        sheets.append((f"{CN[gr]}年级", wide(pp, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])))
    f = os.path.join(d, "全校期末成绩.xlsx")
    write_xlsx(f, sheets)
    return R(f, truth_rows(ps))


@case("c119_pingshi_qimo_zongping", "either", "两行表头：语文 下分 平时/期末/总评")
def _(g, d):
    subs = ["语文", "数学"]
    ps = g.pupils(4, [1, 2], 20, subs)
    h1, h2 = ["班级", "学号", "姓名"], [None, None, None]
    for s in subs:
        h1 += [s, None, None]
        h2 += ["平时", "期末", "总评"]
    grid = [h1, h2]
    for p in ps:
        row = [class_label(4, p.cls, "paren"), p.id, p.name]
        for s in subs:
            ps_ = g.score(100)
            row += [ps_, p.cells[s], round(0.3 * ps_ + 0.7 * p.cells[s], 1)]
        grid.append(row)

    def post(wb):
        ws = wb.active
        for c in range(1, 4):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        ws.merge_cells("D1:F1")
        ws.merge_cells("G1:I1")
    f = os.path.join(d, "四年级总评.xlsx")
    write_xlsx(f, [("Sheet1", grid)], post)
    return R(f, truth_rows(ps), [[("Sheet1", None, "D"), ("Sheet1", None, "E"), ("Sheet1", None, "F"), ("Sheet1", 1, None),
                                  ("Sheet1", 2, None)]])


@case("c120_subject_plus_parts_columns", "import", "“语文基础 / 语文阅读 / 语文作文 / 语文”，最后一列是总分")
def _(g, d):
    ps = g.pupils(6, [1, 2], 20, ["语文", "数学"])
    parts = {}
    for p in ps:
        v = p.cells["语文"]
        a = min(v, g.rng.randint(20, 40)); b = min(v - a, g.rng.randint(10, 30)); parts[p.id] = (a, b, v - a - b)
    grid = wide(ps, [CLS("paren"), ID, NAME, ("语文基础", lambda p: parts[p.id][0]), ("语文阅读", lambda p: parts[p.id][1]),
                     ("语文作文", lambda p: parts[p.id][2]), SUB("语文"), SUB("数学")])
    f = os.path.join(d, "六年级语文分项.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c121_math_plus_bonus_column", "import", "“数学”与“数学附加题”两列")
def _(g, d):
    ps = g.pupils(6, [1, 2], 20, ["语文", "数学"])
    grid = wide(ps, [CLS("paren"), ID, NAME, SUB("语文"), SUB("数学"), ("数学附加题", lambda p: g.rng.choice([0, 5, 10, 20]))])
    f = os.path.join(d, "六年级附加题.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c122_raw_named_plain_and_fufen", "either", "新高考：“化学”(原始分) 与 “化学赋分” 两列")
def _(g, d):
    ps = g.pupils(11, [1, 2], 20, [])
    grid = [["学号", "姓名", "班级", "化学", "化学赋分", "生物", "生物赋分"]]
    for p in ps:
        row = [p.id, p.name, class_label(11, p.cls, "paren")]
        for s in ["化学", "生物"]:
            r = g.score(100)
            fu = min(100, max(30, int(r * 0.6 + 40)))
            p.truth[s] = (float(fu), "sat", None)
            row += [r, fu]
        grid.append(row)
    f = os.path.join(d, "高二化生.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 1, "D"), ("Sheet1", 1, "E"), ("Sheet1", None, "D")]])


@case("c123_empty_subject_column_not_examined", "either", "模板里“科学”整列空着（本次没考）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]] + [("科学", lambda p: None)])
    f = os.path.join(d, "五年级空科学.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 1, "G"), ("Sheet1", None, "G")]])


@case("c124_fill_down_across_stats_row", "either", "二班第一行漏写班级，上面隔着一班的平均分行")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = [["班级", "学号", "姓名"] + PRI[:3]]
    for c in [1, 2]:
        cps = [p for p in ps if p.cls == c]
        for i, p in enumerate(cps):
            grid.append([class_label(5, c, "paren") if (i == 0 and c == 1) else None, p.id, p.name] + [p.cells[s] for s in PRI[:3]])
        grid.append([None, None, "平均分"] + [round(sum(p.cells[s] for p in cps) / len(cps), 2) for s in PRI[:3]])
        grid.append([])
    f = os.path.join(d, "五年级漏班级.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 24, "A"), ("Sheet1", 24, None)]])


@case("c125_html_gb2312_nbsp_th_leading_zero", "import", "GB2312 网页表格 .xls：<th> 表头、空格子是 &nbsp;、考号有前导 0")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(6, [1, 2], 20, subs, id_fn=lambda c, k: f"060{c}{k + 1:02d}", markers=[""], p_mark=0.04)
    out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><table border=1>',
           "<thead><tr><th>考号</th><th>姓名</th><th>班级</th>" + "".join(f"<th>{s}</th>" for s in subs) + "</tr></thead><tbody>"]
    for p in ps:
        cells = [p.id, p.name, class_label(6, p.cls, "paren")] + [cellv(p, s) for s in subs]
        out.append("<tr>" + "".join(f'<td style="mso-number-format:\'\\@\'">{"&nbsp;" if v is None else v}</td>' for v in cells) + "</tr>")
    out.append("</tbody></table></body></html>")
    f = os.path.join(d, "六年级成绩导出.xls")
    with open(f, "wb") as fh:
        fh.write("\n".join(out).encode("gb2312"))
    return R(f, truth_rows(ps))


@case("c126_xml2003_sparse_ss_index_and_merge", "import", "Excel 2003 XML：空格子省略（ss:Index）、班级 ss:MergeDown")
def _(g, d):
    subs = ["语文", "数学", "英语", "科学"]
    ps = g.pupils(4, [1, 2], 20, subs, markers=[""], p_mark=0.08)
    from xml.sax.saxutils import escape as esc
    rows = ['<Row>' + "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in ["班级", "学号", "姓名"] + subs) + '</Row>']
    for c in [1, 2]:
        cps = [p for p in ps if p.cls == c]
        for i, p in enumerate(cps):
            cells, last = [], 0
            if i == 0:
                cells.append(f'<Cell ss:MergeDown="{len(cps) - 1}"><Data ss:Type="String">{class_label(4, c, "paren")}</Data></Cell>')
                last = 1
            vals = [("String", p.id), ("String", p.name)] + [("Number", cellv(p, s)) for s in subs]
            for col, (t, v) in enumerate(vals, start=2):
                if v is None:
                    continue
                idx = f' ss:Index="{col}"' if col != last + 1 else ""
                cells.append(f'<Cell{idx}><Data ss:Type="{t}">{esc(str(v))}</Data></Cell>')
                last = col
            rows.append("<Row>" + "".join(cells) + "</Row>")
    xml = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="成绩"><Table>' + "".join(rows) +
           '</Table></Worksheet></Workbook>')
    f = os.path.join(d, "四年级XML.xls")
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(xml)
    return R(f, truth_rows(ps))


@case("c127_ods_repeated_cells_and_rows", "import", "ODS：相同相邻格用 number-columns-repeated 压缩，空行 number-rows-repeated")
def _(g, d):
    from xml.sax.saxutils import escape as esc
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(3, [1, 2], 20, subs)
    for p in ps[3:5]:
        for s in subs:
            p.cells[s], p.truth[s] = "缺考", (NaN, "absent", None)
    for p in ps[8:9]:
        p.cells["数学"] = p.cells["英语"] = p.cells["语文"]
        p.truth["数学"] = p.truth["英语"] = p.truth["语文"]

    def cell(v, n):
        rep = f' table:number-columns-repeated="{n}"' if n > 1 else ""
        if v is None:
            return f"<table:table-cell{rep}/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell{rep} office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell{rep} office:value-type="string"><text:p>{esc(str(v))}</text:p></table:table-cell>'

    def row(vals):
        out, i = [], 0
        while i < len(vals):
            j = i
            while j + 1 < len(vals) and vals[j + 1] == vals[i] and type(vals[j + 1]) is type(vals[i]):
                j += 1
            out.append(cell(vals[i], j - i + 1))
            i = j + 1
        return "<table:table-row>" + "".join(out) + "</table:table-row>"
    body = [row(["班级", "学号", "姓名"] + subs)]
    for c in [1, 2]:
        body += [row([class_label(3, c, "paren"), p.id, p.name] + [cellv(p, s) for s in subs]) for p in ps if p.cls == c]
        body.append('<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="6"/></table:table-row>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">' + "".join(body) +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    import zipfile
    f = os.path.join(d, "三年级.ods")
    with zipfile.ZipFile(f, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return R(f, truth_rows(ps))


def _patch_xlsx(path, fn):
    import zipfile, shutil
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for it in zin.infolist():
            data = zin.read(it.filename)
            zout.writestr(it, fn(it.filename, data))
    shutil.move(tmp, path)


@case("c128_xlsx_wrong_dimension_tag", "import", "生成程序写了错误的 <dimension ref=\"A1:F10\">（实际 60 行）")
def _(g, d):
    import re as _re
    ps = g.pupils(5, [1, 2], 30, PRI[:3])
    f = os.path.join(d, "阅卷导出.xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]]))])
    _patch_xlsx(f, lambda n, b: _re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:F10"', b) if n.startswith("xl/worksheets/") else b)
    return R(f, truth_rows(ps))


@case("c129_xlsx_inline_strings_no_r_attrs", "import", "POI/EasyExcel 式 xlsx：inlineStr、单元格没有 r 属性、数字存成 t=\"str\"")
def _(g, d):
    from xml.sax.saxutils import escape as esc
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(6, [1, 2], 20, subs, markers=["缺考"], p_mark=0.03)
    grid = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in subs])
    rows = []
    for i, r in enumerate(grid):
        cs = []
        for v in r:
            if v is None:
                cs.append('<c t="inlineStr"><is><t></t></is></c>')
            elif isinstance(v, (int, float)) and g.rng.random() < 0.5:
                cs.append(f'<c t="str"><v>{v}</v></c>')
            elif isinstance(v, (int, float)):
                cs.append(f'<c><v>{v}</v></c>')
            else:
                cs.append(f'<c t="inlineStr"><is><t>{esc(str(v))}</t></is></c>')
        rows.append("<row>" + "".join(cs) + "</row>")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData>' + "".join(rows) + '</sheetData></worksheet>')
    f = os.path.join(d, "好分数导出.xlsx")
    write_xlsx(f, [("Sheet1", [["x"]])])
    _patch_xlsx(f, lambda n, b: sheet.encode() if n == "xl/worksheets/sheet1.xml" else b)
    return R(f, truth_rows(ps))


@case("c130_wenli_math_columns", "either", "老高考：“数学(文)”“数学(理)”两列，每人只有一列有分")
def _(g, d):
    ps = g.pupils(12, [1, 2], 20, ["语文"], {"语文": 150})
    wl = {}
    for p in ps:
        wl[p.id] = "文" if p.cls == 1 else "理"
        v = g.score(150)
        p.cells["数学"], p.truth["数学"] = v, (float(v), "sat", None)
    grid = wide(ps, [CLS("paren"), ID, NAME, SUB("语文"), ("数学(文)", lambda p: p.cells["数学"] if wl[p.id] == "文" else None),
                     ("数学(理)", lambda p: p.cells["数学"] if wl[p.id] == "理" else None)])
    f = os.path.join(d, "高三文理.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 1, "E"), ("Sheet1", 1, "F"), ("Sheet1", None, "E"), ("Sheet1", None, "F")]],
             options=dict(full_marks={"语文": 150, "数学": 150}))


@case("c131_status_column_all_zero", "either", "阅卷导出：“考试状态”列写“缺考”，该生各科都是 0")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(8, [1, 2], 20, subs)
    st = {}
    for p in [ps[4], ps[25]]:
        st[p.id] = "缺考"
        for s in subs:
            p.cells[s], p.truth[s] = 0, (NaN, "absent", None)
    grid = wide(ps, [("考号", lambda p: p.id), NAME, CLS("plain"), ("考试状态", lambda p: st.get(p.id, "正常"))] + [SUB(s) for s in subs]
                + [("总分", lambda p: sum(p.cells[s] for s in subs))])
    f = os.path.join(d, "八年级(阅卷导出).xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 6, None)], [("Sheet1", 27, None)]])


@case("c132_class_heading_in_kv_cell", "either", "无班级列；表头上方一格“年级：五年级    班级：3班”")
def _(g, d):
    ps = g.pupils(5, [3], 30, PRI[:3])
    grid = [["2024-2025学年第一学期期末成绩登记表"], ["年级：五年级    班级：3班    班主任：李华"]] + wide(ps, [ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "成绩登记表.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", None, None)]])


@case("c133_class_written_wu1", "import", "班级写“五1”“五2”（没有“班”字）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    grid = wide(ps, [("班级", lambda p: f"五{p.cls}"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    f = os.path.join(d, "五年级简写.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c134_long_format_subject_abbrev_and_english", "import", "明细表：科目写“语”“数”“英”")
def _(g, d):
    subs = ["语文", "数学", "英语"]
    ps = g.pupils(4, [1, 2], 20, subs, markers=["缺考"], p_mark=0.03)
    ab = {"语文": "语", "数学": "数", "英语": "英"}
    grid = [["学号", "姓名", "班级", "学科", "得分"]]
    for p in ps:
        for s in subs:
            grid.append([p.id, p.name, class_label(4, p.cls, "paren"), ab[s], cellv(p, s)])
    f = os.path.join(d, "四年级明细.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c135_lizong_wenzong_300", "either", "“理综”“文综”（满分 300）")
def _(g, d):
    ps = g.pupils(12, [1, 2], 20, ["语文"], {"语文": 150})
    grid = [["学号", "姓名", "班级", "语文", "理综", "文综"]]
    for p in ps:
        v = g.score(300)
        s = "理科综合" if p.cls == 1 else "文科综合"   # canonical names the kit uses
        p.cells[s], p.truth[s] = v, (float(v), "sat", None)
        grid.append([p.id, p.name, class_label(12, p.cls, "paren"), p.cells["语文"], v if p.cls == 1 else None,
                     v if p.cls == 2 else None])
    f = os.path.join(d, "高三一模.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps), [[("Sheet1", 1, "E"), ("Sheet1", 1, "F"), ("Sheet1", None, "E"), ("Sheet1", None, "F"),
                                  ("Sheet1", None, None)]], options=dict(full_marks={"语文": 150, "理综": 300, "文综": 300, "理科综合": 300, "文科综合": 300}))


@case("c136_huizong_copy_with_one_correction", "refuse", "每班一页 + 汇总页；汇总页里改正了一个分数，班级页没改")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3])
    sheets = [(class_label(5, c, "paren"), wide([p for p in ps if p.cls == c], [ID, NAME] + [SUB(s) for s in PRI[:3]])) for c in [1, 2]]
    hz = wide(ps, [CLS("paren"), ID, NAME] + [SUB(s) for s in PRI[:3]])
    hz[8][4] = hz[8][4] + 10 if hz[8][4] <= 90 else hz[8][4] - 10
    sheets.append(("汇总", hz))
    f = os.path.join(d, "五年级分班改分.xlsx")
    write_xlsx(f, sheets)
    return R(f, None, [[("汇总", 9, "E"), ("五(1)班", 9, "D"), ("汇总", 9, None), ("五(1)班", 9, None)]])


@case("c137_utf8_nobom_csv_mostly_ascii", "import", "UTF-8 无 BOM 的 CSV，英文表头，只有姓名是中文")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, ["语文", "数学", "英语"])
    en = {"语文": "Chinese", "数学": "Math", "英语": "English"}
    grid = wide(ps, [("ID", lambda p: p.id), ("Name", lambda p: p.name), CLS("dash", "Class")] + [SUB(s, en[s]) for s in en])
    f = os.path.join(d, "scores.csv")
    write_csv(f, grid, "utf-8")
    return R(f, truth_rows(ps), check_names=True)


@case("c138_csv_ids_with_leading_zeros", "import", "CSV 里的考号 0050101（文本，前导 0）")
def _(g, d):
    ps = g.pupils(5, [1, 2], 20, PRI[:3], id_fn=lambda c, k: f"005{c:02d}{k + 1:02d}")
    f = os.path.join(d, "五年级考号.csv")
    write_csv(f, wide(ps, [("考号", lambda p: p.id), NAME, CLS("paren")] + [SUB(s) for s in PRI[:3]]), "gbk")
    return R(f, truth_rows(ps))


@case("c139_class_heading_with_teacher_and_count", "import", "班级标题行“五年级（2）班    班主任：王敏    人数：22”")
def _(g, d):
    ps = g.pupils(5, [1, 2], 22, PRI[:3], markers=["缺考"], p_mark=0.03)
    grid = []
    for c in [1, 2]:
        grid += [[f"五年级（{c}）班    班主任：{['李华', '王敏'][c - 1]}    人数：22"], ["学号", "姓名"] + PRI[:3]]
        grid += [[p.id, p.name] + [cellv(p, s) for s in PRI[:3]] for p in ps if p.cls == c]
    f = os.path.join(d, "五年级分块3.xlsx")
    write_xlsx(f, [("Sheet1", grid)])
    return R(f, truth_rows(ps))


@case("c140_bare_dengji_after_each_subject", "import", "每科后面一列表头只写“等级”（优/良/及格）")
def _(g, d):
    subs = PRI[:3]
    ps = g.pupils(4, [1, 2], 20, subs)
    lv = lambda v: "优" if v >= 85 else "良" if v >= 75 else "及格" if v >= 60 else "待及格"
    cols = [CLS("paren"), ID, NAME]
    for s in subs:
        cols += [SUB(s), ("等级", lambda p, s=s: lv(p.cells[s]))]
    f = os.path.join(d, "四年级等级列.xlsx")
    write_xlsx(f, [("Sheet1", wide(ps, cols))])
    return R(f, truth_rows(ps))

def build_all(outdir):
    os.makedirs(outdir, exist_ok=True)
    res = []
    for c in CASES:
        d = os.path.join(outdir, c["name"])
        os.makedirs(d, exist_ok=True)
        g = Gen(zlib.crc32(f"{SEED}:{c['name']}".encode()))
        r = c["build"](g, d)
        r.update(name=c["name"], expect=c["expect"], note=c["note"])
        res.append(r)
    return res


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/redteam_files"
    cases = build_all(out)
    print(len(cases), "cases written to", out)
