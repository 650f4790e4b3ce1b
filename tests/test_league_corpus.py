"""联考 files the kit's authors never saw, run as an organiser runs them (``qualitykit.cli.main``
with the arguments of a command line), judged against truth computed from the generator's
values with plain pandas/numpy (tests/league_corpus/truth.py), never with the kit.

Cases: the school column as 学校 / 学校名称 / 单位 / 考点 / 校名; every school has a 1班; a
school of one class, one of three pupils, one that did not take 英语; 缺考 marks, pupils with
0, roster rows of pupils who sat nothing; 总分 given (once wrong); a 片区 column; 3+1+2
选考 with and without 赋分 columns, one sheet per school; a csv in GBK; 10 000 pupils;
--lines as scores and as shares, --method ratio and mean, --previous, --groups, the duckdb
engine against pandas.
"""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pandas as pd
import pytest

from league_corpus import generate as G
from league_corpus import truth as T
from qualitykit.cli import main

BASIC_MARKS = "语文=150,数学=150,英语=150"
ELECTIVE_MARKS = BASIC_MARKS + ",物理=100,历史=100,化学=100,生物=100,政治=100,地理=100"
SCHOOLS = {"一中": [30, 28, 31], "二中": [25], "三中": [3], "四中": [27, 26], "五中": [29, 30]}


def run(capsys, *args):
    """One command as typed; (exit code, printed lines, error text)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as stop:  # argparse's own complaints
        code = stop.code
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err.strip()


def book(path):
    return pd.read_excel(path, sheet_name=None, engine="calamine")


def near(shown, exact, unit=0.1):
    """A number shown rounded to ``unit`` is the exact one (half a unit, plus float noise)."""
    return abs(float(shown) - float(exact)) <= unit / 2 + 1e-9


#: What a command printed, by command (the district run's lines are read by a test).
PRINTED: dict[str, str] = {}


# ---- the basic 联考: five schools, 语数英 ----------------------------------------------------

@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("league")
    league = G.league(1, SCHOOLS, absent=0.02, zeros=4, not_taken={"四中": "英语"}, sat_nothing=2)
    earlier = G.league(11, SCHOOLS, absent=0.02, not_taken={"四中": "英语"})
    files = {"now": G.write_xlsx(folder / "期末联考.xlsx",
                                 {"成绩": G.cells(league, school_header="学校名称", area=True)}),
             "before": G.write_xlsx(folder / "期中联考.xlsx", {"成绩": G.cells(earlier)})}
    return league, files, folder


@pytest.fixture(scope="module")
def district_run(basic):
    league, files, folder = basic
    out = folder / "联考分析"
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code = main(["district", str(files["now"]), "--full-marks", BASIC_MARKS,
                     "--previous", str(files["before"]), "--groups", str(files["now"]),
                     "--lines", "特控=0.2,本科=300", "--method", "mean",
                     "--formats", "html,docx", "--out", str(out)])
    assert code == 0
    PRINTED["district"] = printed.getvalue()
    return league, book(next(out.glob("*联考分析.xlsx"))), out


def test_a_school_without_a_subject_is_named_when_the_file_is_read(district_run):
    # 四中 did not sit 英语: its 总分 has one subject less than the others' (not comparable)
    notes = [line for line in PRINTED["district"].splitlines() if "提醒" in line]
    assert len(notes) == 1 and "四中 的英语没有一名学生有成绩" in notes[0]
    assert "总分、上线和名次与其他学校不可比" in notes[0]


def test_school_means_and_rates_are_the_truth(district_run):
    league, sheets, _ = district_run
    want = T.school_table(league.pupils, league.subjects).set_index(["学校", "科目"])
    got = sheets["各校三率一分"].set_index(["学校", "科目"])
    # a subject a school did not sit at all (四中 英语) has no mean and no rates
    assert got.loc[("四中", "英语"), "实考人数"] == 0 and pd.isna(got.loc[("四中", "英语"), "平均分"])
    for key, row in want.iterrows():
        assert got.loc[key, "实考人数"] == row["实考人数"], key
        assert near(got.loc[key, "平均分"], row["平均分"]), key
        for rate in ("及格率", "优秀率", "低分率"):
            assert near(got.loc[key, f"{rate}(%)"], 100 * row[rate]), (key, rate)


def test_schools_in_file_order_and_every_school_has_its_feedback(district_run):
    league, sheets, out = district_run
    assert list(dict.fromkeys(sheets["各校三率一分"]["学校"])) == league.schools
    assert sorted(p.stem for p in (out / "通报反馈").glob("*.html")) == sorted(league.schools)
    assert sorted(p.stem for p in (out / "通报反馈").glob("*.docx")) == sorted(league.schools)
    # one-class school, three-pupil school: their pages name them and their 总分 mean
    x = T.sitters(league.pupils, league.subjects)
    for school in ("二中", "三中"):
        text = (out / "通报反馈" / f"{school}.html").read_text(encoding="utf-8")
        mean = x.loc[x["学校"] == school, "总分"].mean()
        assert f"总分平均分 {mean:.1f}" in text


def test_totals_and_ranks_are_the_organisers(district_run):
    league, sheets, _ = district_run
    x = T.sitters(league.pupils, league.subjects).set_index(["学校", "考号"])
    shown = sheets["学生总分与排名（仅供教研室）"].astype({"学号": str}).set_index(["学校", "学号"])
    assert len(shown) == len(x)  # 参考 = at least one score; the rows who sat nothing are not
    shown = shown.loc[x.index]
    assert (shown["总分"].to_numpy() == x["总分"].to_numpy()).all()
    assert (shown["名次"].to_numpy() == x["位次"].to_numpy()).all()
    assert (shown["校排名"].to_numpy() == x["校位次"].to_numpy()).all()


def test_lines_as_share_and_score_and_the_mean_method(district_run):
    league, sheets, _ = district_run
    x = T.sitters(league.pupils, league.subjects)
    by_school = sheets["上线_学校"]
    for name, value in (("特控", 0.2), ("本科", 300)):
        cut = T.line_score(x["总分"], value)
        rows = by_school[by_school["分数线"] == name].set_index("学校")
        assert (rows["线分数"] == cut).all()
        assert rows["上线人数"].to_dict() == T.over_by_school(x, cut).to_dict()
        assert rows["实考人数"].to_dict() == x.groupby("学校").size().to_dict()
    cut = T.line_score(x["总分"], 0.2)
    effective = sheets["单科有效分"].set_index("科目")
    both = sheets["有效分两种算法"].set_index("科目")
    for subject in league.subjects:
        assert near(effective.loc[subject, "单科有效分"], T.effective(x, subject, cut, "mean"), 0.01)
        assert both.loc[subject, "比例法有效分"] == T.effective(x, subject, cut, "ratio")


def test_groups_from_the_file_s_own_column(district_run):
    league, sheets, _ = district_run
    groups = sheets["片区"]
    area = league.pupils.drop_duplicates("学校").set_index("学校")["片区"]
    for group, part in league.pupils.groupby("片区"):
        n = part["语文"].notna().sum()
        assert groups.set_index(["片区", "科目"]).loc[(group, "语文"), "实考人数"] == n
    assert set(groups["片区"]) == set(area)


def test_value_added_has_every_school_that_sat_both(district_run):
    league, sheets, _ = district_run
    va = sheets["学校增值"]
    assert set(va["学校"]) <= set(league.schools) and {"一中", "二中", "五中"} <= set(va["学校"])
    assert not ((va["学校"] == "四中") & (va["科目"] == "英语")).any()


# ---- the school column under its other names ------------------------------------------------

@pytest.mark.parametrize("header", ["学校", "单位", "考点", "校名"])
def test_the_school_column_under_its_usual_names(basic, header, capsys):
    league, _, folder = basic
    path = G.write_xlsx(folder / f"{header}.xlsx", {"分数": G.cells(league, school_header=header)})
    code, out, err = run(capsys, "lines", path, "--full-marks", BASIC_MARKS,
                         "--lines", "线=250", "--out", folder / f"{header}.xlsx.out.xlsx")
    assert code == 0, err
    rows = book(folder / f"{header}.xlsx.out.xlsx")["上线_学校"].set_index("学校")
    x = T.sitters(league.pupils, league.subjects)
    assert rows["实考人数"].to_dict() == x.groupby("学校").size().to_dict()
    assert rows["上线人数"].to_dict() == T.over_by_school(x, 250).to_dict()


def test_a_wrong_total_is_named_with_its_row(basic, capsys):
    league, _, folder = basic
    path = G.write_xlsx(folder / "总分错.xlsx", {"分数": G.cells(league, total="wrong")})
    code, out, err = run(capsys, "check", path, "--full-marks", BASIC_MARKS)
    assert code == 0 and "第 2 行，" in out and "与各科成绩之和" in out


def test_a_typo_in_a_cell_is_refused_naming_file_row_and_column(basic, capsys):
    league, _, folder = basic
    rows = G.cells(league)
    rows[7][5] = 1050  # 数学 of the 7th pupil
    path = G.write_xlsx(folder / "笔误.xlsx", {"分数": rows})
    code, out, err = run(capsys, "district", path, "--full-marks", BASIC_MARKS,
                         "--formats", "html", "--out", folder / "笔误")
    assert code == 2
    assert "文件 笔误.xlsx，工作表「分数」，第 8 行，F 列「数学」：数学 成绩 1050 超过满分 150" in err


# ---- 新高考 3+1+2: electives, 赋分, one sheet per school, GBK csv ------------------------------

@pytest.fixture(scope="module")
def electives(tmp_path_factory):
    folder = tmp_path_factory.mktemp("electives")
    league = G.league(5, {"甲中": [40, 38, 42], "乙中": [35, 36], "丙中": [45], "丁中": [3]},
                      electives=True, absent=0.01, zeros=3, sat_nothing=1,
                      not_taken={"丙中": "地理"})
    return league, folder


@pytest.mark.parametrize("shape", ["one sheet per school", "csv in GBK"])
def test_electives_lines_and_national2021(electives, shape, capsys):
    league, folder = electives
    path = G.write_xlsx(folder / "选考.xlsx", G.by_school(league)) if shape.startswith("one") \
        else G.write_csv(folder / "选考.csv", G.cells(league))
    out = folder / f"{path.suffix[1:]}上线.xlsx"
    code, printed, err = run(capsys, "lines", path, "--full-marks", ELECTIVE_MARKS,
                             "--lines", "特控=0.1,本科=500", "--scale", "national2021",
                             "--out", out)
    assert code == 0, err
    sheets = book(out)
    x = T.sitters(league.pupils, league.subjects)
    lines = sheets["分数线"].set_index("分数线")
    assert lines.loc["特控", "线分数"] == T.line_score(x["总分"], 0.1)
    assert lines.loc["本科", "上线人数"] == (x["总分"] >= 500).sum()
    assert lines["实考人数"].tolist() == [len(x)] * 2
    cut = T.line_score(x["总分"], 0.1)
    effective = sheets["单科有效分"].set_index("科目")
    for subject in league.subjects:  # 比例法 over each subject's own sitters
        assert effective.loc[subject, "单科有效分"] == T.effective(x, subject, cut, "ratio")
        assert effective.loc[subject, "实考人数"] == league.pupils[subject].notna().sum()
    scaled = sheets["赋分"].astype({"学号": str})
    for subject in G.SECOND:
        want = pd.Series(T.national2021(league.pupils[subject]).to_numpy(),
                         index=league.pupils["考号"]).dropna()
        got = scaled[scaled["科目"] == subject].set_index("学号")["赋分"]
        assert got.sort_index().to_dict() == want.sort_index().to_dict(), subject


def test_electives_are_not_absences_in_a_school_sheet_without_one_of_them(electives, capsys):
    league, folder = electives
    path = G.write_xlsx(folder / "各校.xlsx", G.by_school(league))
    code, out, err = run(capsys, "district", path, "--full-marks", ELECTIVE_MARKS,
                         "--formats", "html", "--out", folder / "各校")
    assert code == 0, err
    got = book(next((folder / "各校").glob("*.xlsx")))["各校三率一分"].set_index(["学校", "科目"])
    # 应考 of an elective = pupils who took it (sat or marked 缺考) and the rows who sat nothing
    taken = league.pupils[list(league.subjects)].notna()
    for (school, subject), n in got["应考人数"].items():
        if subject == "总分":
            continue
        rows = league.pupils["学校"] == school
        marked = sum(1 for (i, s) in league.marks if s == subject and rows[i])
        nothing = (~taken[rows].any(axis=1)).sum()
        present = subject in G.BASIC or taken.loc[rows, subject].any()
        expected = taken.loc[rows, subject].sum() + marked + (nothing if present else 0)
        assert n == expected, (school, subject)


def test_scaled_columns_in_the_file_are_the_scores_read(electives, capsys):
    league, folder = electives
    scaled = {s: T.national2021(league.pupils[s]) for s in G.SECOND}
    path = G.write_xlsx(folder / "赋分.xlsx", {"分数": G.cells(league, scaled=scaled)})
    out = folder / "赋分上线.xlsx"
    code, printed, err = run(capsys, "lines", path, "--full-marks", ELECTIVE_MARKS,
                             "--lines", "特控=0.1", "--out", out)
    assert code == 0, err
    values = league.pupils.assign(**{s: scaled[s] for s in G.SECOND})
    x = T.sitters(values, league.subjects)
    assert book(out)["分数线"]["线分数"].iloc[0] == T.line_score(x["总分"], 0.1)


# ---- engines, 10 000 pupils -----------------------------------------------------------------

def test_duckdb_and_pandas_agree_on_a_converted_league(basic, capsys):
    league, files, folder = basic
    parquet = folder / "联考.parquet"
    code, out, err = run(capsys, "convert", files["now"], "--full-marks", BASIC_MARKS,
                         "--out", parquet)
    assert code == 0, err
    from qualitykit.district.engine import summary_duckdb
    from qualitykit.io.scores import read_scores
    from qualitykit.term.indicators import summary

    by = ["school", "class_id", "subject"]
    duck = summary_duckdb(str(parquet), by=by).sort_values(by).reset_index(drop=True)
    scores = read_scores(files["now"], full_marks={"语文": 150, "数学": 150, "英语": 150})
    plain = summary(scores, by=by).sort_values(by).reset_index(drop=True)
    pd.testing.assert_frame_equal(duck[plain.columns], plain, check_dtype=False, atol=1e-9)
    want = T.school_table(league.pupils, league.subjects)
    means = duck.groupby(["school", "subject"]).apply(
        lambda g: np.average(g["mean"], weights=g["n_sat"]) if g["n_sat"].sum() else np.nan,
        include_groups=False)
    for _, row in want.iterrows():
        assert means[(row["学校"], row["科目"])] == pytest.approx(row["平均分"])


def test_ten_thousand_pupils(tmp_path, capsys):
    sizes = {f"第{i + 1}中学": [50] * 20 for i in range(10)}
    league = G.league(7, sizes, absent=0.01, zeros=20, sat_nothing=5)
    assert len(league.pupils) == 10_000
    path = G.write_xlsx(tmp_path / "全区.xlsx", {"成绩": G.cells(league)})
    out = tmp_path / "上线.xlsx"
    code, printed, err = run(capsys, "lines", path, "--full-marks", BASIC_MARKS,
                             "--lines", "特控=0.05,本科=0.4", "--method", "mean", "--out", out)
    assert code == 0, err
    x = T.sitters(league.pupils, league.subjects)
    rows = book(out)["上线_学校"]
    for name, share in (("特控", 0.05), ("本科", 0.4)):
        cut = T.line_score(x["总分"], share)
        got = rows[rows["分数线"] == name].set_index("学校")
        assert got["上线人数"].to_dict() == T.over_by_school(x, cut).to_dict()
        assert list(got.index) == league.schools
    assert math.isclose(book(out)["单科有效分"].set_index("科目").loc["数学", "单科有效分"],
                        T.effective(x, "数学", T.line_score(x["总分"], 0.05), "mean"),
                        abs_tol=0.005)
