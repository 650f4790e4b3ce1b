"""位次奖: a county 通报 sheet built here, every amount computed by hand in the comments."""

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import realdata

from qualitykit.cli import main
from qualitykit.cycle.awards import award_rules, awards, band_amounts, rank_units
from qualitykit.io.problems import ScoreFileError
from qualitykit.io.rankings import read_rankings

RULES = award_rules()

# 学校, 年级, 科目, 班级, 教师, 位次, 参评数 — 20 units ranked in each subject
ROWS = [
    ("甲校", "七年级", "数学", "七(1)班", "张老师", 1, 20),
    ("乙校", "七年级", "数学", "七(2)班", "李老师", 9, 20),
    ("丙校", "七年级", "数学", "七(1)班", "王老师", 18, 20),
    ("丙校", "七年级", "数学", "七(2)班", "赵老师", 19, 20),
    ("乙校", "七年级", "数学", "七(3)班", "孙老师", 3, 20),   # tied 3rd with 周老师
    ("丁校", "七年级", "数学", "七(1)班", "周老师", 3, 20),
    ("甲校", "七年级", "语文", "七(2)班", "陈老师", 5, 20),   # two courses
    ("甲校", "七年级", "英语", "七(3)班", "陈老师", 10, 20),
    ("丁校", "七年级", "语文", "七(2)班", "吴老师", 20, 20),  # two courses, one 倒数第1
    ("丁校", "七年级", "英语", "七(2)班", "吴老师", 2, 20),
]


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    """The 通报 as counties send it: a title row, the header, a footer."""
    path = tmp_path_factory.mktemp("awards") / "七年级期末成绩通报.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某县2024—2025学年第二学期七年级期末成绩通报"])
    ws.append(["学校", "年级", "科目", "班级", "教师", "位次", "参评数"])
    for row in ROWS:
        ws.append(list(row))
    ws.append(["制表人：教研室"])
    wb.save(path)
    return path


def _amounts(table):
    paid = table[table["basis"].ne("course") | ~table["teacher"].duplicated(keep=False)]
    return dict(zip(paid["teacher"], paid["amount"]))


def test_the_sheet_is_read_like_every_other(bulletin):
    t = read_rankings(bulletin)
    assert len(t) == len(ROWS)
    assert t["grade"].eq(7).all() and t["class_id"].iloc[0] == "7-1"
    assert t["rank"].tolist() == [r[5] for r in ROWS] and t["n_ranked"].eq(20).all()
    report = t.attrs["report"]
    assert report.problems["problem"].str.contains("表尾").any()  # the footer, listed


def test_non_graduating_amounts_by_hand(bulletin):
    table = awards(read_rankings(bulletin), RULES["non_graduating"])
    got = _amounts(table)
    # 张: 倒数20 → positions 4–20: 6×20 + 5×30 + 6×50 = 570, + 300 (first) = 870
    # 李: 倒数12 → 6×20 + 3×30 = 210
    # 王: 倒数3 → nothing counted; 赵: 倒数2 → nothing (no exclusion in this preset)
    # 孙, 周: tied 3rd → 倒数18 → 6×20 + 5×30 + 4×50 = 470, + 100 (third) = 570 each
    # 陈: 语文 倒数16, 英语 倒数11 → mean 13.5 → 倒数13 → 6×20 + 4×30 = 240
    # 吴: 语文 倒数1, 英语 倒数19 → mean 10 → 6×20 + 1×30 = 150
    assert got == {"张老师": 870, "李老师": 210, "王老师": 0, "赵老师": 0, "孙老师": 570,
                   "周老师": 570, "陈老师": 240, "吴老师": 150}
    chen = table[table["teacher"].eq("陈老师")]
    assert chen["basis"].tolist() == ["course", "course", "mean"]
    assert chen["rank_from_bottom"].tolist() == [16, 11, 13]
    assert chen["amount"].isna().tolist() == [True, True, False]  # paid once, on the mean row
    zhang = table[table["teacher"].eq("张老师")].iloc[0]
    assert (zhang["band_1_positions"], zhang["band_1_amount"]) == (6, 120)
    assert (zhang["band_2_positions"], zhang["band_2_amount"]) == (5, 150)
    assert (zhang["band_3_positions"], zhang["band_3_amount"], zhang["special"]) == (6, 300, 300)


def test_graduating_amounts_by_hand_with_the_exclusion(bulletin):
    table = awards(read_rankings(bulletin), RULES["graduating"])
    got = _amounts(table)
    # 张: 倒数20 of 20: 6×50 + 5×100 + 倒数15–17 (to 顺数第4) 3×150 + 顺数3–1 3×500 = 2750
    # 李: 倒数12 → 6×50 + 3×100 = 600;  王: 倒数3 → 0;  赵: 倒数2 → excluded, 0
    # 孙, 周: 倒数18 → 6×50 + 5×100 + 3×150 + 1×500 (顺数第3) = 1750
    # 陈: mean 倒数13 → 6×50 + 4×100 = 700
    # 吴: 语文 倒数第1 → excluded although her mean (倒数10) would pay 6×50 + 1×100
    assert got == {"张老师": 2750, "李老师": 600, "王老师": 0, "赵老师": 0, "孙老师": 1750,
                   "周老师": 1750, "陈老师": 700, "吴老师": 0}
    excluded = table[table["excluded"].fillna(False).astype(bool)]
    assert set(excluded["teacher"]) == {"赵老师", "吴老师"}
    assert excluded["note"].str.contains("不享受嘉奖").all()


def test_flat_reading_is_an_option():
    from dataclasses import replace

    flat = replace(RULES["non_graduating"], counting="flat")
    assert band_amounts(12, 20, flat)["amount"] == 9 * 30  # every position at the band reached
    assert band_amounts(12, 20, RULES["non_graduating"])["amount"] == 6 * 20 + 3 * 30


def test_ranks_from_a_league_file_lexicographic_with_ties():
    # four classes, 合格率 first, then 均分, then 优秀率; A and B equal on all three
    scores = {"A": [90, 70, 50, 95], "B": [95, 70, 50, 90], "C": [86, 80, 50, 50],
              "D": [100, 60, 61, 20]}
    rows = [{"student_id": f"{c}{i}", "name": f"{c}{i}", "school": "甲校" if c < "C" else "乙校",
             "grade": 7, "class_id": f"7-{c}", "subject": "数学", "exam": "联考",
             "score": float(v), "status": "sat", "full_mark": 100.0}
            for c, vs in scores.items() for i, v in enumerate(vs)]
    ranks = rank_units(pd.DataFrame(rows), RULES["non_graduating"])
    got = dict(zip(ranks["class_id"], ranks["rank"]))
    # 合格率: A, B, D 0.75, C 0.50; among the 0.75: 均分 A = B = 76.25 > D = 60.25;
    # A and B also equal on 优秀率 (2/4) → both 1st; D 3rd; C 4th
    assert got == {"7-A": 1, "7-B": 1, "7-D": 3, "7-C": 4}
    assert ranks["n_ranked"].eq(4).all()
    weighted = rank_units(pd.DataFrame(rows), RULES["non_graduating"].__class__(
        **{**RULES["non_graduating"].__dict__, "ranking": "composite"}))
    # composite 100×(0.4×均分/100 + 0.3×合格率 + 0.3×优秀率): A = B = 30.5+22.5+15 = 68.0,
    # C = 0.4×66.5 + 15 + 7.5 = 49.1, D = 0.4×60.25 + 22.5 + 7.5 = 54.1
    assert dict(zip(weighted["class_id"], weighted["rank"])) == {"7-A": 1, "7-B": 1, "7-D": 3,
                                                                 "7-C": 4}
    assert weighted.set_index("class_id")["composite"].round(6).to_dict() == \
        {"7-A": 68.0, "7-B": 68.0, "7-C": 49.1, "7-D": 54.1}


def test_cli_writes_the_workbook(bulletin, tmp_path, capsys):
    out = tmp_path / "位次奖.xlsx"
    assert main(["awards", str(bulletin), "--preset", "graduating", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    table, rule = sheets["位次奖"], sheets["规则"]
    assert {"位次", "参评数", "倒数位次", "特殊奖", "奖金(元)"} <= set(table.columns)
    assert "倒数第4至倒数第9名·位次数" in table.columns
    assert rule.iloc[:, 0].str.contains("单科成绩位居全县倒数一、二名").any()
    assert "位次奖" in capsys.readouterr().out


def test_cli_errors_are_one_chinese_line(tmp_path, capsys):
    bad = tmp_path / "通报.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["学校", "科目", "教师", "位次", "参评数"])
    wb.active.append(["甲校", "数学", "张", 25, 20])
    wb.save(bad)
    assert main(["awards", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "位次" in err and "Traceback" not in err
    wb.active.append(["甲校", "数学", "张", 5, 20])
    wb.active.append(["甲校", "数学", "张", 5, 20])  # the same row twice would be paid twice
    wb.save(bad)
    with pytest.raises(ScoreFileError, match="与第 3 行重复"):
        read_rankings(bad)
    assert main(["awards", str(bad), "--preset", "nope"]) == 2
    assert "preset" in capsys.readouterr().err


def test_ranks_on_the_real_league_match_an_independent_count():
    path = realdata("cn-league-wenzhou", "联盟考试A2026.2.4.xlsx")
    import qualitykit as qk

    # 语数英 (and 日语) are out of 150 here (as a teacher says with --full-marks)
    scores = qk.read_scores(path, sheet="分数", full_marks={"语文": 150, "数学": 150, "英语": 150,
                                                                "日语": 150})
    ranks = rank_units(scores, RULES["non_graduating"])
    chinese = ranks[ranks["subject"].eq("语文")].set_index(["school", "class_id"])
    # independent: the raw sheet with pandas, 语文 sitters = non-blank cells
    raw = pd.read_excel(path, sheet_name="分数", dtype={"班级": str}, engine="calamine")
    raw = raw[raw["语文"].notna()]
    full = 150
    g = raw.groupby(["学校", raw["班级"].astype(str).str.lstrip("0")])["语文"]  # 01 is 1
    mine = pd.DataFrame({"pass": g.apply(lambda x: (x >= 0.6 * full).mean()),
                         "mean": g.mean(), "exc": g.apply(lambda x: (x >= 0.85 * full).mean())})
    keyed = mine.round(9).apply(tuple, axis=1)
    expected = keyed.map(lambda k: 1 + int((keyed > k).sum()))
    expected.index = expected.index.set_names(["school", "class_id"])
    assert len(chinese) == len(expected) > 100
    pd.testing.assert_series_equal(chinese["rank"].sort_index(), expected.sort_index(),
                                   check_names=False, check_dtype=False)
    assert chinese["n_ranked"].eq(len(expected)).all()


def test_cli_ranks_a_league_file(tmp_path, capsys):
    # a 联考 sheet: four classes of two schools; ranked 合格率 → 均分 → 优秀率
    path = tmp_path / "2024-2025学年第二学期七年级期末联考成绩.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["学校", "班级", "学号", "姓名", "数学"])
    marks = {("甲校", "七(1)班"): [90, 70, 50, 95], ("甲校", "七(2)班"): [95, 70, 50, 90],
             ("乙校", "七(1)班"): [86, 80, 50, 50], ("乙校", "七(2)班"): [100, 60, 61, 20]}
    for n, ((school, cls), values) in enumerate(marks.items()):
        for i, v in enumerate(values):
            ws.append([school, cls, f"{n}{i:02d}", f"生{n}{i}", v])
    wb.save(path)
    out = tmp_path / "位次奖.xlsx"
    assert main(["awards", "--league", str(path), "--out", str(out)]) == 0
    table = pd.read_excel(out, sheet_name="位次奖", engine="calamine")
    got = dict(zip(table["学校"] + table["班级"], table["位次"]))
    # as test_ranks_from_a_league_file_lexicographic_with_ties: two tied first, then 3rd, 4th
    assert got == {"甲校7-1": 1, "甲校7-2": 1, "乙校7-2": 3, "乙校7-1": 4}
    # 4 ranked: 倒数位次 4, 4, 2, 1. 倒数第4 is one position at 20 元 ("倒数第15名至顺数第1名"
    # is empty with 4 units) + 300 for the (tied) first; the third gets its 100 special
    assert dict(zip(table["学校"] + table["班级"], table["奖金(元)"])) == {
        "甲校7-1": 320, "甲校7-2": 320, "乙校7-2": 100, "乙校7-1": 0}
    assert main(["awards", str(out), "--league", str(path)]) == 2
    assert "二者选一" in capsys.readouterr().err


def _pairwise_rank(values: pd.DataFrame) -> list[int]:
    """The rank by its definition, every pair compared (the implementation before issue 18's
    scale work): 1 + the rows whose rounded key tuple is greater (NaN lowest)."""
    import math

    rows = [tuple(-math.inf if pd.isna(v) else round(float(v), 9) for v in r)
            for r in values.itertuples(index=False)]
    return [1 + sum(other > mine for other in rows) for mine in rows]


@pytest.mark.parametrize("seed", range(5))
def test_competition_rank_equals_the_pairwise_count(seed):
    from qualitykit.cycle.awards import _competition_rank

    rng = np.random.default_rng(seed)
    n = 300
    values = pd.DataFrame({  # few distinct values: many ties on each key, NaN among them
        "pass_rate": rng.integers(0, 5, n) / 4, "mean": rng.integers(50, 55, n) + 1 / 3,
        "excellent_rate": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 3, n) / 3)},
        index=rng.permutation(n) + 1000)
    values.iloc[:5, 1] = [51 + 1 / 3 + 1e-12] * 5  # equal to 51⅓ once rounded to 10⁻⁹
    got = _competition_rank(values)
    assert got.index.equals(values.index)
    assert got.tolist() == _pairwise_rank(values)
    assert _competition_rank(values[["mean"]]).tolist() == _pairwise_rank(values[["mean"]])


def test_rank_units_leaves_the_table_it_is_given_as_it_was():
    # a file without 学校: rank_units adds the column to its own copy only
    rows = pd.DataFrame({"student_id": ["1", "2"], "name": ["甲", "乙"], "grade": [7, 7],
                         "class_id": ["7-1", "7-2"], "subject": ["数学", "数学"],
                         "exam": ["联考", "联考"], "score": [90.0, 50.0],
                         "status": ["sat", "sat"], "full_mark": [100.0, 100.0]})
    before = rows.copy()
    ranks = rank_units(rows, RULES["non_graduating"])
    assert dict(zip(ranks["class_id"], ranks["rank"])) == {"7-1": 1, "7-2": 2}
    pd.testing.assert_frame_equal(rows, before)


def test_classes_written_7_1_are_read_not_taken_for_score_bands(tmp_path):
    """班级 7-1, 7-10 look like a score band (70–100 written short): every row of such a 通报
    was skipped as a statistics row and 位次奖 came out empty with exit 0. By hand (non-graduating
    preset): 倒数位次 16 → 6 × 20 + 5 × 30 + 2 × 50 = 370 元; 倒数位次 20 → 6 × 20 + 5 × 30 +
    6 × 50 + the first place's 300 = 870 元."""
    path = tmp_path / "通报.xlsx"
    wb = openpyxl.Workbook()
    for row in [["学校", "年级", "科目", "班级", "教师", "位次", "参评数"],
                ["一中", "七年级", "数学", "7-1", "甲老师", 5, 20],
                ["一中", "七年级", "语文", "7-10", "乙老师", 1, 20], ["平均分", None, None]]:
        wb.active.append(row)
    wb.save(path)
    t = read_rankings(path)
    assert t["class_id"].tolist() == ["7-1", "7-10"]
    assert _amounts(awards(t, RULES["non_graduating"])) == {"甲老师": 370, "乙老师": 870}


def test_a_bulletin_without_any_ranking_row_is_refused(tmp_path):
    path = tmp_path / "通报.xlsx"
    wb = openpyxl.Workbook()
    for row in [["学校", "年级", "科目", "班级", "教师", "位次", "参评数"], ["合计", None, None]]:
        wb.active.append(row)
    wb.save(path)
    with pytest.raises(ScoreFileError, match="通报.xlsx 的成绩通报表中没有读到任何一行位次"):
        read_rankings(path)
