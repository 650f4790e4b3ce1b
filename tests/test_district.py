"""联考 / district analysis: the 均衡 indices against hand computations and statsmodels, schools
against the district as classes against their grade, 总分 and its ranks, the per-school
通报反馈 and the command. Reference values are plain numpy/pandas written here, independent of
the kit's grouping code, or statsmodels."""

import re

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.district.analysis import analyse_district
from qualitykit.district.balance import balance_indices, icc_oneway, quartile_gap, weighted_cv
from qualitykit.district.feedback import school_feedback
from qualitykit.district.league_sample import LEAGUE_SUBJECTS, league_sample_path
from qualitykit.district.load import CHECKED_FOLDER, forget_checked, load_district, parse_groups
from qualitykit.district.pages import feedback_pages, feedback_tables
from qualitykit.district.report import write_district, write_feedback
from qualitykit.district.schools import TOTAL, district_totals, with_totals
from qualitykit.io.problems import ScoreFileError

from conftest import realdata


@pytest.fixture(scope="module")
def sample():
    data = load_district()
    return data, analyse_district(data)


def constructed(sizes=(12, 20, 8, 15), shifts=(0.0, 4.0, -3.0, 1.5), seed=3):
    """Four schools of unequal size, one subject, with school shifts."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, (n, shift) in enumerate(zip(sizes, shifts)):
        for k in range(n):
            rows.append({"school": f"校{i}", "class_id": str(k % 2 + 1), "student_id": str(k),
                         "subject": "数学", "score": float(round(70 + shift + rng.normal(0, 6))),
                         "status": "sat", "full_mark": 100.0})
    return pd.DataFrame(rows)


# ---- 均衡 indices ---------------------------------------------------------------------------

def test_weighted_cv_is_the_supervision_formula_by_hand():
    # means 80, 70, 60 with 10, 20, 10 pupils: X̄ = (800 + 1400 + 600) / 40 = 70,
    # S = √((10·100 + 0 + 10·100) / 40) = √50
    assert weighted_cv([80, 70, 60], [10, 20, 10]) == pytest.approx(np.sqrt(50) / 70)
    assert np.isnan(weighted_cv([80], [10]))


def test_icc_is_the_one_way_anova_estimator_on_unequal_groups():
    t = constructed()
    groups = [g["score"].to_numpy() for _, g in t.groupby("school")]
    n = np.array([len(g) for g in groups], float)
    N, k = n.sum(), len(groups)
    grand = np.concatenate(groups).mean()
    msb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups) / (k - 1)
    msw = sum(((g - g.mean()) ** 2).sum() for g in groups) / (N - k)
    n0 = (N - (n ** 2).sum() / N) / (k - 1)
    assert icc_oneway(groups) == pytest.approx((msb - msw) / (msb + (n0 - 1) * msw))
    # the same MSB and MSW as scipy's one-way ANOVA F
    from scipy import stats
    assert msb / msw == pytest.approx(stats.f_oneway(*groups).statistic)


def test_icc_equals_the_mixed_model_share_on_a_balanced_set():
    """On balanced groups the ANOVA estimator is REML's σ²_b / (σ²_b + σ²_w) (statsmodels)."""
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(11)
    effects = rng.normal(0, 4, 12)
    frame = pd.DataFrame([{"g": f"u{i}", "y": 60 + e + rng.normal(0, 8)}
                          for i, e in enumerate(effects) for _ in range(25)])
    fit = smf.mixedlm("y ~ 1", frame, groups=frame["g"]).fit(reml=True)
    between, within = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    groups = [g["y"].to_numpy() for _, g in frame.groupby("g")]
    assert icc_oneway(groups) == pytest.approx(between / (between + within), abs=1e-4)


def test_quartile_gap_by_hand():
    assert quartile_gap([60, 70, 80, 90]) == (1, 30.0)
    # ten schools: ⌈10/4⌉ = 3 at each end
    assert quartile_gap(list(range(10))) == (3, pytest.approx((9 + 8 + 7 - 0 - 1 - 2) / 3))


def test_balance_indices_equal_plain_group_bys():
    t = constructed()
    row = balance_indices(t).iloc[0]
    means = t.groupby("school")["score"].mean()
    sizes = t.groupby("school").size()
    assert row["n_units"] == 4 and row["n_sat"] == len(t)
    assert row["mean"] == pytest.approx(t["score"].mean())
    assert row["unit_mean_min"] == pytest.approx(means.min())
    assert row["cv_means"] == pytest.approx(weighted_cv(means, sizes))
    gap = means.sort_values().iloc[-1] - means.sort_values().iloc[0]  # ⌈4/4⌉ = 1 each end
    assert row["quartile_gap"] == pytest.approx(gap)
    assert row["quartile_gap_sd"] == pytest.approx(gap / t["score"].std(ddof=1))
    # classes: a class is identified within its school (8 classes, not 2)
    assert balance_indices(t, unit="class_id").iloc[0]["n_units"] == 8


# ---- schools against the district ------------------------------------------------------------

def test_school_means_and_readings_follow_the_intervals(sample):
    data, a = sample
    hand = data.scores[data.scores["status"].eq("sat")].groupby(["school", "subject"])["score"]
    got = a.schools[a.schools["subject"] != TOTAL].set_index(["school", "subject"])["mean"]
    pd.testing.assert_series_equal(got.sort_index(), hand.mean().sort_index(),
                                   check_names=False)
    c = a.school_comparison.classes.merge(a.schools[["school", "subject", "vs_district"]])
    assert (c.loc[c["vs_district"] == "above", "diff_low"] > 0).all()
    assert (c.loc[c["vs_district"] == "below", "diff_high"] < 0).all()
    similar = c[c["vs_district"] == "similar"]
    assert ((similar["diff_low"] <= 0) & (similar["diff_high"] >= 0)).all()
    assert {"above", "below", "similar"} <= set(c["vs_district"])


def test_totals_are_sums_and_competition_ranks():
    data = load_district()
    t = district_totals(data.scores)
    sat = data.scores[data.scores["status"].eq("sat")]
    hand = sat.groupby(["school", "student_id"])["score"].sum()
    got = t.set_index(["school", "student_id"])["total"]
    pd.testing.assert_series_equal(got.sort_index(), hand.sort_index(), check_names=False)
    assert t["rank"].tolist() == t["total"].rank(method="min", ascending=False).astype(int).tolist()
    in_school = t.groupby("school")["total"].rank(method="min", ascending=False).astype(int)
    assert t["school_rank"].tolist() == in_school.tolist()
    rows = with_totals(data.scores, t)
    assert (rows["subject"] == TOTAL).sum() == data.n_sat


def test_groups_and_value_added_are_present_on_the_sample(sample):
    data, a = sample
    assert set(a.groups["area"]) == {"城区", "乡镇"}
    town = data.scores[data.scores["area"].eq("城区") & data.scores["status"].eq("sat")]
    row = a.groups[(a.groups["area"] == "城区") & (a.groups["subject"] == "语文")].iloc[0]
    assert row["mean"] == pytest.approx(town.loc[town["subject"] == "语文", "score"].mean())
    assert set(a.value_added.units["school"]) == set(data.schools)


# ---- reading the file ---------------------------------------------------------------------

def test_a_file_of_one_school_is_refused(tmp_path):
    sheet = pd.read_excel(league_sample_path(), engine="calamine")
    one = tmp_path / "one.xlsx"
    sheet[sheet["学校"] == "城东中学"].to_excel(one, index=False)
    with pytest.raises(ScoreFileError, match="只有一所学校"):
        load_district(one, full_marks=LEAGUE_SUBJECTS)


def test_groups_must_name_every_school_of_the_file():
    with pytest.raises(ScoreFileError, match="没有给出"):
        load_district(groups={"城东中学": "城区"})
    with pytest.raises(ValueError, match="学校=片区"):
        parse_groups("城东中学城区,西=")
    assert parse_groups("甲=城区，乙=乡镇") == {"甲": "城区", "乙": "乡镇"}



def test_schools_stay_in_the_order_of_the_file_in_every_table(tmp_path):
    # the README: “表中学校按成绩表里的顺序排列”; a group-by listed 一中, 三中, 二中, 五中,
    # 六中, 四中 (by character code), in the workbook, the report and the 上线 tables
    names = dict(zip(["城东中学", "城西中学", "实验中学", "江南中学", "山口中学", "湖畔中学"],
                     ["一中", "二中", "三中", "四中", "五中", "六中"]))
    files = []
    for exam in ("2024-2025-2 期末联考", "2025-2026-1 期末联考"):
        sheet = pd.read_excel(league_sample_path(exam), engine="calamine")
        files.append(tmp_path / f"{exam}.xlsx")
        sheet.assign(学校=sheet["学校"].map(names)).to_excel(files[-1], index=False)
    data = load_district(files[1], previous_file=files[0], full_marks=LEAGUE_SUBJECTS)
    a = analyse_district(data, lines="特控=0.1,本科=0.5")
    order = list(names.values())
    assert data.schools == order
    for table in (a.schools, a.classes, a.bands, a.school_class_balance, a.totals,
                  a.school_comparison.classes,
                  a.value_added.units, a.lines.schools, a.lines.classes,
                  a.lines.effective_schools, a.lines.critical):
        assert list(dict.fromkeys(table["school"])) == order
    # the tables of several blocks (each line, each subject) keep their blocks
    assert a.lines.schools["line_name"].tolist() == ["特控"] * 6 + ["本科"] * 6
    assert a.lines.schools["school"].tolist() == order * 2
    assert a.value_added.units["school"].tolist()[:6] == order
    # and the rows of a school are the rows it had (same numbers, only moved)
    subjects = a.schools[a.schools["subject"] != TOTAL]
    assert subjects.set_index(["school", "subject"])["mean"].to_dict() == pytest.approx(
        data.scores[data.scores["status"] == "sat"].groupby(["school", "subject"])["score"]
        .mean().to_dict())


def test_groups_from_the_score_file_s_own_column_or_a_sheet_by_its_headers(tmp_path):
    # --groups 联考.xlsx took the file's first two columns (学校, 考号): each school's 片区
    # became a pupil's 考号, without a word. The 片区 column is found by its header now.
    sheet = pd.read_excel(league_sample_path(), engine="calamine")
    sheet.insert(1, "片区", sheet["学校"].map({"城东中学": "城区", "城西中学": "城区"})
                 .fillna("乡镇"))
    with_area = tmp_path / "联考.xlsx"
    sheet.to_excel(with_area, index=False)
    expected = {s: ("城区" if s in ("城东中学", "城西中学") else "乡镇")
                for s in sheet["学校"].unique()}
    assert parse_groups(with_area) == expected
    # a list of schools with their code before the 片区, in GBK (as Excel saves a csv here)
    listing = tmp_path / "学校.csv"
    listing.write_bytes("学校名称,学校代码,城乡\n城东中学,0101,城区\n山口中学,0105,乡镇\n"
                        .encode("gbk"))
    assert parse_groups(listing) == {"城东中学": "城区", "山口中学": "乡镇"}
    # no 片区 column: refused, naming the headers; a school in two groups: refused with rows
    with pytest.raises(ValueError, match="找不到片区列.*学校、考号、姓名"):
        parse_groups(league_sample_path())
    sheet.loc[3, "片区"] = "乡镇"
    sheet.to_excel(with_area, index=False)
    with pytest.raises(ValueError, match="城东中学 既是“城区”又是“乡镇”（第 5 行等）"):
        parse_groups(with_area)

# ---- 通报反馈 --------------------------------------------------------------------------------

def test_feedback_is_the_schools_rows_beside_the_district(sample):
    data, a = sample
    f = school_feedback(data, a, "山口中学")
    own = a.schools[a.schools["school"] == "山口中学"]
    assert f.subjects["mean"].tolist() == own["mean"].tolist()
    district = a.district.set_index("subject")
    assert f.subjects.set_index("subject")["district_mean"].drop(TOTAL).to_dict() == \
        pytest.approx(district["mean"].drop(TOTAL).to_dict())
    assert set(f.classes["school"]) == {"山口中学"}
    # the 总分 sentence says what the interval says
    total = f.subjects[f.subjects["subject"] == TOTAL].iloc[0]
    word = {"above": "高于区域", "below": "低于区域", "similar": "与区域无明显差别"}
    assert word[total["vs_district"]] in f.conclusions[1]
    # district shares of each band sum to 1 per subject
    assert f.bands.groupby("subject")["district_share"].sum().tolist() == \
        pytest.approx([1.0] * f.bands["subject"].nunique())
    with pytest.raises(ValueError, match="没有学校"):
        school_feedback(data, a, "不存在中学")


def _printed_text(html_text: str) -> str:
    text = re.sub(r"<style.*?</style>", "", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_feedback_report_reads_as_a_teacher_reads_it(sample, tmp_path):
    data, a = sample
    files = write_feedback(tmp_path, data, a, "江南中学", formats=("html", "docx"))
    text = _printed_text(files["html"].read_text(encoding="utf-8"))
    assert text.index("主要结论") < text.index("各科与区域比较")
    assert "江南中学" in text and "与区域无明显差别" in text
    # no identifiers, file names or function names in the printed text
    assert not re.search(r"[a-z]+_[a-z_]+|\.xlsx|\.py\b|\bnan\b|None", text), \
        re.findall(r"[a-z]+_[a-z_]+|\.xlsx|\.py\b|\bnan\b|None", text)[:5]
    import docx

    words = "\n".join(p.text for p in docx.Document(files["docx"]).paragraphs)
    assert "主要结论" in words and "江南中学" in words
    assert len(feedback_pages(data, school_feedback(data, a, "江南中学"))) == 1
    assert all(t is None or len(t) for t in feedback_tables(school_feedback(data, a, "江南中学"))
               .values())


def test_write_district_writes_one_feedback_per_school(sample, tmp_path):
    data, a = sample
    files = write_district(tmp_path, data, a, formats=("html",), log=lambda line: None)
    assert set(files["feedback"]) == set(data.schools)
    assert all(f["html"].exists() for f in files["feedback"].values())
    book = pd.read_excel(files["xlsx"], sheet_name=None, engine="calamine")
    assert "学生总分与排名（仅供教研室）" in book and "校际均衡" in book
    assert write_district("", data, a) == {}


# ---- the command --------------------------------------------------------------------------

def test_district_command_on_the_sample(tmp_path, capsys):
    assert main(["district", "--out", str(tmp_path), "--formats", "html,docx"]) == 0
    out = capsys.readouterr().out
    assert "通报反馈（每校一份，共 6 所学校）" in out
    assert len(list((tmp_path / "通报反馈").glob("*.html"))) == 6
    html_files = [p for p in tmp_path.glob("*.html")]
    text = _printed_text(html_files[0].read_text(encoding="utf-8"))
    assert text.index("主要结论") < text.index("基本情况")
    assert "526" in text and "城东中学" in text
    assert not (tmp_path / CHECKED_FOLDER).exists()  # the kernel's checked tables are removed


def test_checked_tables_are_read_once_for_the_same_file_and_options(tmp_path, monkeypatch):
    import os

    import qualitykit.io.scores as scores_module

    sheet = tmp_path / "联考.xlsx"
    sheet.write_bytes(league_sample_path().read_bytes())
    marks = dict(LEAGUE_SUBJECTS)
    kept = load_district(sheet, full_marks=marks, checked_dir=tmp_path, keep_checked=True)
    assert len(list((tmp_path / CHECKED_FOLDER).iterdir())) == 1
    calls = []
    real = scores_module.check_scores
    monkeypatch.setattr(scores_module, "check_scores",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    again = load_district(sheet, full_marks=marks, checked_dir=tmp_path)  # as the kernel does
    assert calls == []  # read from the checked tables, not from the sheet
    pd.testing.assert_frame_equal(again.scores, kept.scores)
    assert again.n_sat == kept.n_sat and again.report.rows_read == kept.report.rows_read
    load_district(sheet, full_marks={**marks, "语文": 160}, checked_dir=tmp_path)
    stat = sheet.stat()
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the file saved again
    load_district(sheet, full_marks=marks, checked_dir=tmp_path)
    assert len(calls) == 2  # other options, a changed file: read from the sheet
    forget_checked(tmp_path)
    assert not (tmp_path / CHECKED_FOLDER).exists()


def test_district_command_errors_are_one_chinese_line(tmp_path, capsys):
    sheet = pd.read_excel(league_sample_path(), engine="calamine")
    one = tmp_path / "one.xlsx"
    sheet[sheet["学校"] == "城东中学"].to_excel(one, index=False)
    assert main(["district", str(one), "--full-marks", "语文=150,数学=150,英语=150",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "只有一所学校" in err and "Traceback" not in err
    assert main(["district", "--groups", "城东中学=城区", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "没有给出" in err and "Traceback" not in err
    assert main(["district", "--groups", "没有.xlsx", "--out", str(tmp_path / "o")]) == 2
    assert "Traceback" not in capsys.readouterr().err


# ---- real data: a 联盟 exam of ten Wenzhou high schools ----------------------------------

WENZHOU = ("cn-league-wenzhou", "联盟考试A2026.2.4.xlsx")
MARKS = {"语文": 150, "数学": 150, "英语": 150, "日语": 150}


@pytest.fixture(scope="module")
def wenzhou():
    path = realdata(*WENZHOU)
    data = load_district(path, full_marks=MARKS)
    return path, data, analyse_district(data)


def test_wenzhou_counts_sitters_as_the_organiser(wenzhou):
    _, data, a = wenzhou
    assert data.n_sat == 6015  # 参加人数 合计 on the organiser's sheets
    assert data.n_without_scores == 3374  # roster rows with 总分 0 and no score
    n = a.schools[a.schools["subject"] == TOTAL].set_index("school")["n_sat"]
    assert n.to_dict() == {"鳌江中学": 814, "塘下中学": 760, "泰顺中学": 747, "乐清二中": 655,
                           "乐清市三中": 625, "温州科技": 617, "灵溪中学": 545, "苍南星汇": 506,
                           "虹桥中学": 499, "温州外国语": 247}


def test_wenzhou_school_means_equal_the_organisers_sheet(wenzhou):
    path, _, a = wenzhou
    sheet = pd.read_excel(path, sheet_name="平均分", header=None, engine="calamine")
    schools = sheet.iloc[1, 2:12].tolist()
    checked = 0
    for r in range(2, len(sheet)):
        if sheet.iloc[r, 1] != "平均分" or pd.isna(sheet.iloc[r, 0]):
            continue
        subject = str(sheet.iloc[r, 0]).strip()
        ours = a.schools[a.schools["subject"] == subject].set_index("school")["mean"]
        if ours.empty:
            continue
        for school, value in zip(schools, sheet.iloc[r, 2:12]):
            assert ours[school] == pytest.approx(float(value), abs=1e-6), (subject, school)
            checked += 1
        district = a.district.set_index("subject").loc[subject, "mean"]
        assert district == pytest.approx(float(sheet.iloc[r, 27]), abs=1e-6)  # 联盟 column
    assert checked >= 90  # 9 subjects × 10 schools


def test_wenzhou_league_rank_equals_the_kits_total_rank_on_every_row(wenzhou):
    path, data, a = wenzhou
    raw = pd.read_excel(path, sheet_name="分数", engine="calamine")
    raw["source_row"] = raw.index + 2  # the Excel row of each pupil
    rows = data.scores.drop_duplicates(["school", "student_id"])[
        ["school", "student_id", "source_row"]]
    ours = a.totals.merge(rows, on=["school", "student_id"])
    both = raw.merge(ours, on="source_row", how="left")
    sat = both["total"].notna()
    assert sat.sum() == 6015
    assert (both.loc[sat, "rank"].astype(int) == both.loc[sat, "联盟排名"].astype(int)).all()
    assert (both.loc[sat, "school_rank"].astype(int) == both.loc[sat, "总分校排名"]
            .astype(int)).all()
    assert (both.loc[sat, "total"] == both.loc[sat, "总分"]).all()
    # non-sitters: the organiser puts them all at 6016, after every sitter; the kit ranks none
    assert (both.loc[~sat, "联盟排名"] == 6016).all()


def test_wenzhou_every_school_gets_its_feedback(wenzhou, tmp_path):
    _, data, a = wenzhou
    files = write_district(tmp_path, data, a, formats=("html",), log=lambda line: None)
    assert len(files["feedback"]) == 10
    for school, written in files["feedback"].items():
        text = _printed_text(written["html"].read_text(encoding="utf-8"))
        assert school in text and "主要结论" in text


def test_school_means_chart_draws_the_comparison(sample):
    _, a = sample
    fig = qk.plot_school_means(a, subject=TOTAL)
    ax = fig.axes[0]
    cmp = a.school_comparison.classes
    cmp = cmp[cmp["subject"] == TOTAL]
    drawn = ax.collections[-1].get_offsets()[:, 0]  # the points: each school's mean
    assert sorted(drawn) == pytest.approx(sorted(cmp["mean"]))
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert [name for _, name in ticks][::-1] == cmp["school"].tolist()  # top: the first school
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_classes_in_natural_order_in_the_feedback(wenzhou):
    _, data, a = wenzhou
    f = school_feedback(data, a, "乐清二中")
    tables = feedback_tables(f)
    classes = tables["二、各班总分与区域比较"]["班级"].tolist()
    assert classes == sorted(classes, key=int) and len(classes) == 14


def test_bundled_league_sample_is_what_the_generator_writes(tmp_path):
    from qualitykit.district.league_sample import LEAGUE_EXAMS, write_league

    for fresh in write_league(tmp_path):
        exam = fresh.stem
        assert exam in LEAGUE_EXAMS
        bundled = pd.read_excel(league_sample_path(exam), engine="calamine")
        pd.testing.assert_frame_equal(pd.read_excel(fresh, engine="calamine"), bundled)


def test_compare_classes_without_pairs_gives_the_same_class_rows():
    scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    full, bare = qk.compare_classes(scores), qk.compare_classes(scores, posthoc=None)
    assert bare.pairs.empty
    pd.testing.assert_frame_equal(bare.classes, full.classes)
    shown = bare.omnibus.loc[bare.omnibus["anova_p"] < 0.05, "reading"]
    assert len(shown) and not shown.str.contains("没有哪两个班").any()
    with pytest.raises(ValueError, match="或 None"):
        qk.compare_classes(scores, posthoc="scheffe")


def test_the_workbook_has_every_class_position_by_the_award_ranking(sample):
    # 合格率 first, then 均分 (the 位次奖 rule), among the district's classes of a subject
    from qualitykit.district.report import _class_positions

    data = sample[0]
    table = _class_positions(data)
    chem = table[table["科目"] == "化学"]
    sat = data.scores[(data.scores["subject"] == "化学") & (data.scores["status"] == "sat")]
    sat = sat.assign(passed=sat["score"] >= data.standard.pass_line * sat["full_mark"])
    by = sat.groupby(["school", "class_id"])
    plain = pd.DataFrame({"pass": by["passed"].mean(), "mean": by["score"].mean()}
                         ).sort_values(["pass", "mean"], ascending=False)
    expected = [f"{s}{c}" for s, c in plain.index]
    assert [f"{s}{c}" for s, c in zip(chem["学校"], chem["班级"])] == expected
    assert chem["名次"].tolist() == list(range(1, len(plain) + 1))
    assert (chem["参评数"] == len(plain)).all()


def test_school_band_table_of_many_schools_by_hand_and_without_a_fragmented_frame():
    # 120 schools (more than pandas' 100 blocks before it warns); school k has k pupils in the
    # band 50–100 and 1 in 0–50, school 0 no row of the band 50–100 (its count there is 0)
    import types
    import warnings

    rows = [{"school": f"校{k:03d}", "subject": TOTAL, "band": band, "lower": lower,
             "count": count, "share": count / (k + 1)}
            for k in range(120)
            for band, lower, count in (("50-100", 50, k), ("0-50", 0, 1))
            if count or band == "0-50"]
    analysis = types.SimpleNamespace(bands=pd.DataFrame(rows))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # PerformanceWarning (fragmented frame) included
        table = qk.school_band_table(analysis)
    assert table["分数段"].tolist() == ["50-100", "0-50"]
    assert table["校000 人数"].tolist() == [0, 1] and table["校000 占比%"].tolist() == [0, 100]
    assert table["校119 人数"].tolist() == [119, 1]
    assert table["校119 占比%"].tolist() == [round(119 / 120 * 100, 1), round(100 / 120, 1)]
    assert table.shape == (2, 241)


def test_a_district_larger_than_an_excel_sheet_gets_its_pupils_over_several_sheets(
        tmp_path, monkeypatch):
    # the row limit lowered to 200 (Excel's is 1,048,575 rows below the header): the pupils'
    # sheet is split in order, every pupil kept, each part with the header, and the run says so
    import qualitykit.io.excel as excel
    from qualitykit.district.report import PUPILS_SHEET, workbook_sheets

    data = load_district()
    analysis = analyse_district(data)
    whole = workbook_sheets(data, analysis)[PUPILS_SHEET]
    unsplit = pd.read_excel(qk_write_one(tmp_path, whole), engine="calamine")
    monkeypatch.setattr(excel, "ROW_LIMIT", 200)
    said = []
    files = write_district(tmp_path, data, analysis, formats=(), log=said.append)
    back = pd.read_excel(files["xlsx"], sheet_name=None, engine="calamine")
    n = -(-len(whole) // 200)
    parts = [f"{PUPILS_SHEET}（{k}）" for k in range(1, n + 1)]
    assert n >= 3 and PUPILS_SHEET not in back and all(p in back for p in parts)
    assert [len(back[p]) for p in parts] == [200] * (n - 1) + [len(whole) - 200 * (n - 1)]
    joined = pd.concat([back[p] for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(joined, unsplit)
    assert any(f"工作表“{PUPILS_SHEET}”有 {len(whole):,} 行" in line
               and f"分成 {n} 张工作表" in line for line in said)
    other = [s for s in back if not s.startswith(PUPILS_SHEET)]  # the rest as before
    assert other == [s for s in workbook_sheets(data, analysis) if s != PUPILS_SHEET]


def qk_write_one(tmp_path, table):
    from qualitykit.io.excel import write_sheets

    return write_sheets(tmp_path / "one.xlsx", {"pupils": table})


def test_school_feedbacks_are_each_school_s_feedback():
    # the tables cut by school once for all schools: every school's tables and sentences are
    # those of school_feedback for that school alone
    import dataclasses

    from qualitykit.district.feedback import school_feedbacks

    data = load_district()
    analysis = analyse_district(data)
    every = school_feedbacks(data, analysis)
    assert list(every) == data.schools
    for school, feedback in every.items():
        alone = dataclasses.asdict(school_feedback(data, analysis, school))
        for field, value in dataclasses.asdict(feedback).items():
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(value, alone[field], check_exact=True)
            else:
                assert value == alone[field]


def test_many_schools_are_one_grid_of_schools_by_subjects():
    # 100 schools: one page of a grid (two columns of 50 schools), not a chart 167 inches tall;
    # each cell holds the school's difference from the district, framed where significant
    import types

    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from qualitykit.district.plots import MANY_SCHOOLS

    rng = np.random.default_rng(5)
    schools = [f"第{k}中学" for k in range(100, 0, -1)]  # the file's order, not sorted
    rows = [dict(school=s, subject=subj, diff=d, mean=70 + d, diff_low=d - 3, diff_high=d + 3,
                 significant=abs(d) > 3, grade_mean=70.0)
            for s in schools for subj in ("语文", "数学", TOTAL)
            for d in [float(rng.normal(0, 4))]]
    table = pd.DataFrame(rows)
    fig = qk.plot_school_means(types.SimpleNamespace(
        school_comparison=types.SimpleNamespace(classes=table)))
    assert len(schools) > MANY_SCHOOLS and fig.get_size_inches()[1] < 11
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 2
    shown = [t.get_text() for ax in panels for t in ax.get_yticklabels()]
    assert shown == schools
    for ax, part in zip(panels, (table.iloc[:150], table.iloc[150:])):
        texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
                 for t in ax.texts}
        frames = {(round(p.get_y() + 0.42), round(p.get_x() + 0.46)) for p in ax.patches
                  if isinstance(p, Rectangle)}
        for k, r in enumerate(part.itertuples()):
            cell = (k // 3, k % 3)
            assert float(texts[cell]) == pytest.approx(r.diff, abs=0.05)
            assert (cell in frames) == r.significant
    plt.close(fig)


def test_each_school_feedback_is_made_when_its_school_comes(sample):
    import inspect

    from qualitykit.district.feedback import each_school_feedback

    data, a = sample
    each = each_school_feedback(data, a)
    assert inspect.isgenerator(each)  # the first school's pages can be written before the rest
    assert next(each)[0] == data.schools[0]
