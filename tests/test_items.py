"""试卷分析: item import, item statistics, distractors and knowledge points.

Numbers are checked against hand computations here and against published tables in
test_items_realdata.py.
"""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit import Standard

SMALL = Standard(item_min_students=3)


def wide_items(rows, maxima=None, ids=None):
    frame = pd.DataFrame(rows, columns=[f"Q{i + 1}" for i in range(len(rows[0]))])
    maxima = maxima or {c: 1 for c in frame.columns}
    return qk.item_table(frame.assign(sid=ids or [f"s{i}" for i in range(len(frame))]),
                         student_id="sid", item_max=maxima)


# ---- statistics by hand ----------------------------------------------------------------------
def test_alpha_difficulty_and_correlations_by_hand():
    rows = [[1, 1, 1], [1, 0, 1], [0, 0, 1], [0, 0, 0]]
    result = qk.item_analysis(wide_items(rows), standard=SMALL)
    paper = result.paper.iloc[0]
    # item variances (ddof 1): 1/3, 1/4, 1/4; totals 3, 2, 1, 0 → var 5/3
    assert paper["alpha"] == pytest.approx(3 / 2 * (1 - (1 / 3 + 1 / 4 + 1 / 4) / (5 / 3)))
    assert paper["alpha"] == pytest.approx(0.75)
    assert paper["method"] == "KR-20" and paper["difficulty"] == pytest.approx(6 / 12)
    items = result.items.set_index("item_id")
    assert items.loc["Q1", "difficulty"] == 0.5 and items.loc["Q3", "difficulty"] == 0.75
    # RIT of Q1: corr([1,1,0,0], [3,2,1,0]); RIR: corr([1,1,0,0], [2,1,1,0])
    assert items.loc["Q1", "rit"] == pytest.approx(np.corrcoef([1, 1, 0, 0], [3, 2, 1, 0])[0, 1])
    assert items.loc["Q1", "rir"] == pytest.approx(np.corrcoef([1, 1, 0, 0], [2, 1, 1, 0])[0, 1])
    # α without Q1: items Q2, Q3 → variances 1/4, 1/4; totals [2,1,1,0] var 2/3
    assert items.loc["Q1", "alpha_if_dropped"] == pytest.approx(2 * (1 - 0.5 / (2 / 3)))
    # Feldt, as in pingouin: 1 − (1 − α)·F.isf(.025, n−1, (n−1)(k−1))
    from scipy import stats
    assert paper["alpha_low"] == pytest.approx(1 - 0.25 * stats.f.isf(0.025, 3, 6))
    assert paper["sem"] == pytest.approx(np.sqrt(5 / 3) * np.sqrt(0.25))


def test_discrimination_groups_break_ties_by_row_order():
    # 10 students, totals with a tie across the 27 % cut (g = round(2.7) = 3)
    q1 = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    q2 = [1, 1, 1, 0, 0, 1, 0, 0, 1, 0]
    q3 = [1, 1, 0, 1, 0, 1, 0, 0, 1, 1]
    rows = [list(r) for r in zip(q1, q2, q3)]
    totals = np.sum(rows, axis=1)  # 3 2 2 2 0 3 0 1 3 1
    assert totals.tolist() == [3, 2, 2, 2, 0, 3, 0, 1, 3, 1]
    items = qk.item_analysis(wide_items(rows), standard=SMALL).items.set_index("item_id")
    # lower 3: the two 0s (rows 4, 6) and the first 1 (row 7); upper 3: the three 3s
    lower, upper = [4, 6, 7], [0, 5, 8]
    for name, col in (("Q1", q1), ("Q2", q2), ("Q3", q3)):
        want = np.mean([col[i] for i in upper]) - np.mean([col[i] for i in lower])
        assert items.loc[name, "discrimination"] == pytest.approx(want)
    # ULI: thirds of 10 by rank → sizes 4, 3, 3 (floor(3·rank/10)); lowest 4 = rows 4, 6, 7, 9
    uli_low, uli_high = [4, 6, 7, 9], [8, 0, 5]  # top 3: the 3s
    want = np.mean([q3[i] for i in uli_high]) - np.mean([q3[i] for i in uli_low])
    assert items.loc["Q3", "uli"] == pytest.approx(want)


def test_polytomous_discrimination_is_divided_by_the_item_max():
    rows = [[4, 1], [3, 1], [2, 0], [1, 1], [0, 0], [4, 1], [2, 1], [0, 0]]
    items = qk.item_analysis(wide_items(rows, {"Q1": 4, "Q2": 1}), standard=SMALL).items
    q1 = items.set_index("item_id").loc["Q1"]
    # totals 5 4 2 2 0 5 3 0; g = round(8·0.27 = 2.16) = 2; lower rows 4, 7; upper rows 0, 5
    assert q1["discrimination"] == pytest.approx(((4 + 4) / 2 - (0 + 0) / 2) / 4)
    assert q1["difficulty"] == pytest.approx(np.mean([4, 3, 2, 1, 0, 4, 2, 0]) / 4)


def test_small_groups_get_no_discrimination_or_alpha():
    rows = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 1]]
    result = qk.item_analysis(wide_items(rows))  # default: at least 20 students
    assert result.items["discrimination"].isna().all() and result.items["rir"].isna().all()
    assert np.isnan(result.paper["alpha"].iloc[0])
    assert "少于 20 人" in result.paper["note"].iloc[0]
    assert result.items["difficulty"].notna().all()  # P is still given


def test_missing_policies():
    rows = [[1, 1, 1], [1, np.nan, 1], [0, 0, 1], [0, 0, 0], [1, 1, 0]]
    items = wide_items(rows)
    zero = qk.item_analysis(items, standard=SMALL, missing="zero").paper.iloc[0]
    listwise = qk.item_analysis(items, standard=SMALL, missing="listwise").paper.iloc[0]
    pairwise = qk.item_analysis(items, standard=SMALL, missing="pairwise").paper.iloc[0]
    filled = np.nan_to_num(np.array(rows, dtype=float))
    assert zero["alpha"] == pytest.approx(qk.cronbach_alpha(filled)[0])
    complete = np.array([r for r in rows if not np.isnan(r).any()], dtype=float)
    assert listwise["alpha"] == pytest.approx(qk.cronbach_alpha(complete)[0])
    assert listwise["n_students"] == 4 and zero["n_students"] == 5
    C = pd.DataFrame(rows).cov().to_numpy()
    assert pairwise["alpha"] == pytest.approx(1.5 * (1 - np.trace(C) / C.sum()))
    assert zero["n_missing_cells"] == 1
    with pytest.raises(ValueError, match="missing 应为"):
        qk.item_analysis(items, missing="median")


def test_flags_and_bands():
    rng = np.random.default_rng(1)
    ability = rng.normal(size=200)
    good = (ability + rng.normal(0, 0.5, 200) > 0).astype(int)
    reversed_ = (ability + rng.normal(0, 0.5, 200) < 0).astype(int)
    easy = (rng.random(200) < 0.97).astype(int)
    rows = [list(r) for r in zip(good, reversed_, easy, good)]
    items = qk.item_analysis(wide_items(rows)).items.set_index("item_id")
    assert items.loc["Q2", "flags"] == "negative_d" and items.loc["Q2", "ebel"] == "poor"
    assert "请核对答案" in items.loc["Q2", "reading"]
    assert "very_easy" in items.loc["Q3", "flags"]
    assert items.loc["Q1", "ebel"] == "very_good" and items.loc["Q1", "flags"] == ""


# ---- distractors ------------------------------------------------------------------------------
def test_distractor_shares_by_group_by_hand():
    # 10 students; Q1 is keyed B; totals come from Q2..Q4
    options = ["B", "B", "C", "A", "C", "B", "", "B", "C", "A"]
    rest = [[1, 1, 1], [1, 1, 0], [0, 0, 0], [0, 1, 0], [1, 1, 1], [1, 0, 1], [0, 0, 0],
            [1, 1, 1], [0, 0, 1], [0, 0, 0]]
    frame = pd.DataFrame({"sid": [f"s{i}" for i in range(10)], "Q1": options,
                          **{f"Q{j + 2}": [r[j] for r in rest] for j in range(3)}})
    key = {"Q1": "B"}
    items = qk.item_table(frame, student_id="sid", key=key, item_max=1)
    scored = items[items["item_id"] == "Q1"]["score"].tolist()
    assert scored == [1, 1, 0, 0, 0, 1, 0, 1, 0, 0]  # a blank answer scores 0
    table = qk.distractors(items, standard=SMALL).set_index("option")
    totals = np.array(scored) + np.sum(rest, axis=1)  # 4 3 0 1 3 3 0 4 1 0
    order = np.argsort(totals, kind="stable")
    lower, upper = set(order[:3]), set(order[-3:])  # g = round(2.7) = 3
    for opt in ("A", "B", "C", ""):
        up = np.mean([options[i] == opt for i in upper])
        low = np.mean([options[i] == opt for i in lower])
        assert table.loc[opt, "share_upper"] == pytest.approx(up)
        assert table.loc[opt, "share_lower"] == pytest.approx(low)
    assert table.loc["B", "is_key"] and table.loc["B", "share"] == pytest.approx(0.4)
    assert table.loc["C", "flag"] in ("", "attracts_upper")


def test_a_wrong_key_is_flagged(xlsx):
    """A raw-answer file with one wrong key entry: negative D and the key reversed."""
    rng = np.random.default_rng(7)
    n, k = 240, 10
    ability = rng.normal(size=n)
    difficulty = np.linspace(-1.5, 1.5, k)
    correct = rng.random((n, k)) < 1 / (1 + np.exp(-1.5 * (ability[:, None] - difficulty)))
    true_key = list("ABCDABCDAB")
    letters = np.array(list("ABCD"))
    answers = [[true_key[j] if correct[i, j] else rng.choice(letters[letters != true_key[j]])
                for j in range(k)] for i in range(n)]
    wrong = list(true_key)
    wrong[3] = "A"  # item 4's key typed wrongly (should be D)
    rows = [["学号", "姓名", "班级", *[f"第{j + 1}题" for j in range(k)]]]
    rows += [[f"2024{i:04d}", f"学生{i}", f"七({i % 4 + 1})班", *answers[i]] for i in range(n)]
    info = [["题号", "满分", "题型", "答案"]] + [[j + 1, 3, "选择题", wrong[j]] for j in range(k)]
    path = xlsx({"作答": rows, "小题信息": info}, name="七年级 数学 2025-2026-1 期末 作答.xlsx")
    items = qk.read_items(path)
    assert set(items["item_max"]) == {3.0} and items["grade"].iloc[0] == 7
    assert items["exam"].iloc[0] == "2025-2026-1 期末" and items["subject"].iloc[0] == "数学"
    result = qk.item_analysis(items).items.set_index("item_id")
    assert result.loc["4", "discrimination"] < 0 and "negative_d" in result.loc["4", "flags"]
    others = result.drop(index="4")
    assert (others["discrimination"] > 0.2).all()
    table = qk.distractors(items)
    flagged = table[(table["item_id"] == "4") & (table["flag"] == "key_reversed")]
    assert flagged["option"].tolist() == ["A"]
    true_option = table[(table["item_id"] == "4") & (table["option"] == "D")].iloc[0]
    assert true_option["flag"] == "attracts_upper"  # the right answer, chosen by the strong


# ---- knowledge points -------------------------------------------------------------------------
def test_knowledge_point_rates_with_a_q_matrix_by_hand():
    items = pd.DataFrame({
        "student_id": ["a"] * 3 + ["b"] * 3,
        "class_id": ["7-1"] * 3 + ["7-2"] * 3,
        "item_id": ["1", "2", "3"] * 2,
        "score": [2.0, 1.0, 0.0, 1.0, 3.0, 4.0],
        "item_max": [2.0, 3.0, 4.0] * 2,
        "knowledge_point": ["分数、小数", "分数", "方程"] * 2})
    kp = qk.knowledge_points(items, standard=Standard()).set_index(["class_id",
                                                                    "knowledge_point"])
    # 分数: items 1 (max 2) and 2 (max 3); a earns 3/5, b 4/5 → grade 7/10
    assert kp.loc[("全年级", "分数"), "rate"] == pytest.approx(7 / 10)
    assert kp.loc[("7-1", "分数"), "rate"] == pytest.approx(3 / 5)
    assert kp.loc[("全年级", "小数"), "rate"] == pytest.approx(3 / 4)
    assert kp.loc[("全年级", "方程"), "rate"] == pytest.approx(4 / 8)
    # a loses 方程 (0 < 60 %), b does not (100 %); a loses 分数 (60 % is not below the line)
    assert kp.loc[("全年级", "方程"), "share_losing"] == 0.5
    assert kp.loc[("全年级", "分数"), "share_losing"] == 0.0
    assert kp.loc[("全年级", "分数"), "n_items"] == 2 and kp.loc[("全年级", "分数"), "points"] == 5
    # weights: item 1 counts half toward 分数
    q = pd.DataFrame({"item_id": ["1", "2", "3"], "分数": [0.5, 1, 0], "方程": [0, 0, 1]})
    weighted = qk.knowledge_points(items, q=q, by=None).set_index("knowledge_point")
    assert weighted.loc["分数", "rate"] == pytest.approx((0.5 * 3 + 4) / (0.5 * 4 + 6))


def test_common_weakness_needs_both_a_low_rate_and_many_students_losing_it():
    items = pd.DataFrame({
        "student_id": [f"s{i}" for i in range(10)], "class_id": "7-1", "item_id": "1",
        "score": [0, 0, 0, 0, 0, 0, 0, 10, 10, 10.0], "item_max": 10.0,
        "knowledge_point": "函数"})
    kp = qk.knowledge_points(items).set_index("class_id")
    assert kp.loc["全年级", "rate"] == pytest.approx(0.3) and kp.loc["全年级", "weak"]
    items["score"] = [4, 4, 4, 4, 4, 4, 4, 1, 1, 1.0]  # 31 %, but 100 % below the line
    kp = qk.knowledge_points(items).set_index("class_id")
    assert kp.loc["全年级", "weak"]
    items["score"] = [10, 10, 10, 0, 0, 0, 0, 0, 0, 2.0]  # 32 %, 70 % losing → weak
    assert qk.knowledge_points(items).set_index("class_id").loc["全年级", "weak"]
    strict = Standard(knowledge_weak_share=0.8)
    assert not qk.knowledge_points(items, standard=strict).set_index("class_id").loc["全年级", "weak"]


# ---- import ------------------------------------------------------------------------------------
def test_wide_sheet_with_info_rows_markers_and_accounting(xlsx):
    rows = [
        ["七年级数学期末小题分"],
        ["学号", "姓名", "班级", "1(2分)", "2", "3", "总分"],
        ["满分", None, None, None, 5, 8, 15],
        ["知识点", None, None, "有理数", "方程、有理数", "几何", None],
        ["001", "张三", "七(1)班", 2, 4, 6.5, 12.5],
        ["002", "李四", "七(1)班", 0, "３", None, 3],
        ["003", "王五", "七(2)班", "缺考", None, None, None],
        ["004", "赵六", "七(2)班", None, None, None, None],
        ["005", "钱七", "七(2)班", 1, 2, 3, 6],
        [],
        ["平均", None, None, 1, 3, 4.8, None],
    ]
    report = qk.check_items(xlsx({"Sheet1": rows}, name="小题.xlsx"), exam="2025-2026-1 期末",
                            subject="数学")
    assert report.ok, report.to_text()
    data = report.data
    sheet = report.sheets.set_index("sheet").loc["Sheet1"]
    assert sheet["rows_read"] == 8 and sheet["rows_imported"] == 3 and sheet["rows_skipped"] == 5
    assert report.rows_read == report.rows_imported + report.rows_skipped
    assert sorted(data["student_id"].unique()) == ["001", "002", "005"]
    assert data.groupby("item_id")["item_max"].first().to_dict() == {"1": 2, "2": 5, "3": 8}
    assert data.set_index(["student_id", "item_id"]).loc[("002", "2"), "score"] == 3  # full-width
    assert np.isnan(data.set_index(["student_id", "item_id"]).loc[("002", "3"), "score"])
    problems = report.problems
    assert problems["problem"].str.contains("002 李四 的第 3 题为空").any()
    assert problems["problem"].str.contains("003 王五 标记为缺考").any()
    assert problems["problem"].str.contains("004 赵六 没有任何小题得分").any()
    assert problems["problem"].str.contains("总分").any()  # the set-aside column is listed
    assert data.set_index("item_id").loc["2", "knowledge_point"].iloc[0] == "方程、有理数"
    assert data["grade"].iloc[0] == 7 and data["class_id"].iloc[0] == "7-1"


def test_item_errors_name_the_place_and_the_fix(xlsx):
    rows = [["学号", "姓名", "第1题", "第2题", "第3题"],
            ["满分", None, 2, 3, None],
            ["01", "甲", 3, 1, "B"],
            ["02", "乙", 1, "好", "A"],
            ["02", "丙", 1, 1, "A"]]
    path = xlsx({"小题": rows})
    with pytest.raises(qk.ScoreFileError) as err:
        qk.read_items(path)
    text = str(err.value)
    assert "第 3 行" in text and "C 列" in text and "超过该题满分 2 分" in text
    report = qk.check_items(path)
    problems = "\n".join(report.errors["problem"])
    assert "不是小题得分，也不是选项字母" in problems and "第 4 行" in problems
    assert "没有答案 (key)" in problems
    assert "duplicated student_id" in problems
    fixed = qk.read_items(path, key={"3": "A"}, strict=False)
    assert fixed.set_index(["student_id", "item_id"]).loc[("01", "3"), "score"] == 0


def test_long_table_and_key_argument(xlsx):
    rows = [["学号", "姓名", "班级", "题号", "得分"],
            ["01", "甲", "初一1班", "1", 2], ["01", "甲", "初一1班", "2", "A"],
            ["02", "乙", "初一1班", "1", 0], ["02", "乙", "初一1班", "2", "C"]]
    items = qk.read_items(xlsx({"明细": rows}), key={"2": "a"}, item_max={"1": 2},
                          subject="数学", exam="月考")
    table = items.set_index(["student_id", "item_id"])
    assert table.loc[("01", "2"), "score"] == 1 and table.loc[("02", "2"), "score"] == 0
    assert table.loc[("01", "2"), "option"] == "A" and table.loc[("01", "1"), "item_max"] == 2
    assert items["class_id"].iloc[0] == "7-1"


def test_no_item_header_is_a_clear_error(xlsx):
    with pytest.raises(qk.ScoreFileError, match="没有找到小题分表"):
        qk.read_items(xlsx({"S": [["学号", "姓名", "语文"], ["1", "甲", 90]]}))


def test_sample_items_add_up_to_the_math_score():
    items = qk.read_items(qk.sample_path(kind="items", grade=5))
    assert items.groupby("student_id")["item_max"].sum().eq(100).all()
    total = items.groupby("student_id")["score"].sum()
    scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    math = scores[(scores["subject"] == "数学") & (scores["status"] == "sat")].set_index(
        "student_id")["score"]
    assert sorted(total.index) == sorted(math.index)
    assert np.allclose(total.loc[math.index], math)
    # the letters on the 选择题 were scored with the key from the 小题信息 sheet
    mc = items[items["item_type"] == "选择题"]
    assert mc["option"].notna().all() and mc["key"].notna().all()
    assert ((mc["option"] == mc["key"]) == (mc["score"] == mc["item_max"])).all()
    # and the ambiguous item 6 is caught
    result = qk.item_analysis(items).items.set_index("item_id")
    assert "negative_d" in result.loc["6", "flags"]
    flags = qk.distractors(items).query("item_id == '6'").set_index("option")["flag"]
    assert (flags == "attracts_upper").any()


def test_standard_validates_item_thresholds():
    with pytest.raises(ValueError, match="item_very_hard"):
        Standard(item_hard=0.8)
    with pytest.raises(ValueError, match="item_min_students"):
        Standard(item_min_students=2)


def test_a_paper_of_one_item_is_read_and_gets_no_discrimination(xlsx):
    """A single 第1题 column (a paper of one item) is an item sheet, not a missing header; its
    D, item–total correlations and α would compare the item with itself, so they are left
    out and the paper table says why. Its difficulty is the mean ÷ the item's full mark."""
    points = [float(v % 11) for v in range(25)]
    path = xlsx({"小题得分": [["学号", "姓名", "班级", "第1题"]]
                 + [[f"{i:03d}", f"学生{i}", "五(1)班", p] for i, p in enumerate(points)],
                 "小题信息": [["题号", "满分"], ["1", 10]]}, name="数学 小题分.xlsx")
    items = qk.read_items(path)
    assert items["item_id"].unique().tolist() == ["1"] and len(items) == 25
    result = qk.item_analysis(items)
    row = result.items.iloc[0]
    assert row["difficulty"] == pytest.approx(np.mean(points) / 10)
    assert np.isnan(row["discrimination"]) and np.isnan(row["rit"])
    assert np.isnan(result.paper.iloc[0]["alpha"]) and "只有 1 道题" in result.paper.iloc[0]["note"]


def test_a_bare_number_column_alone_is_not_an_item_sheet(xlsx):
    """One column headed only “1” beside 学号/姓名 could be anything: still no item sheet."""
    path = xlsx({"表": [["学号", "姓名", "1"], ["001", "甲", 3], ["002", "乙", 4]]})
    with pytest.raises(qk.ScoreFileError, match="没有找到小题分表"):
        qk.read_items(path)


def test_paper_total_mean_is_labelled_as_a_paper_total():
    """试卷整体's mean of the totals is 平均总分; 平均学年总分 belongs to the 体测 tables."""
    from qualitykit.labels import label

    assert label("mean_total") == "平均总分"
    assert label("mean_total_score") == "平均学年总分"
