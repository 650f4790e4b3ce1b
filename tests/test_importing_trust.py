"""The importer on the files schools really have: each case was seen giving a wrong table
without a word (merged classes, statistics rows, error cells, misnamed formats …).

Expected values are written by hand from the rows each test builds.
"""

import numpy as np
import pytest

import qualitykit as qk


def table(report):
    """{(class_id, subject): (n_sat, mean)} of an import."""
    d = report.data
    sat = d[d["status"] == "sat"]
    out = {}
    for (c, s), g in d.groupby(["class_id", "subject"]):
        x = sat[(sat["class_id"] == c) & (sat["subject"] == s)]["score"]
        out[(c, s)] = (len(x), round(float(x.mean()), 6) if len(x) else None)
    return out


def errors(report):
    return report.problems[report.problems["severity"] == "error"]


def accounted(report):
    return report.rows_read == report.rows_imported + report.rows_skipped


# ---- merged cells ----------------------------------------------------------------------------
def test_class_merged_down_fills_every_pupil(xlsx):
    rows = [["五年级期末成绩"], ["班级", "学号", "姓名", "语文"]]
    rows += [[None, f"a{k}", f"甲{k}", 80 + k] for k in range(3)]
    rows += [[None, f"b{k}", f"乙{k}", 60 + k] for k in range(3)]
    merges = [(0, 0, 0, 3, "五年级期末成绩"), (2, 0, 4, 0, "五(1)班"), (5, 0, 7, 0, "五(2)班")]
    report = qk.check_scores(xlsx({"成绩": rows}, {"成绩": merges}))
    assert report.ok and accounted(report)
    assert table(report) == {("5-1", "语文"): (3, 81.0), ("5-2", "语文"): (3, 61.0)}


def test_xls_merged_class_and_error_cell(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    ws = wb.add_sheet("s")
    for c, v in enumerate(["班级", "学号", "姓名", "数学"]):
        ws.write(0, c, v)
    ws.write_merge(1, 3, 0, 0, "五(1)班")
    for i in range(3):
        ws.write(1 + i, 1, f"{i}")
        ws.write(1 + i, 2, f"丙{i}")
    ws.write(1, 3, 70)
    ws.write(2, 3, 80)
    ws.row(3).set_cell_error(3, 0x2A)  # #N/A
    hidden = wb.add_sheet("旧模板")
    hidden.write(0, 0, "学号")
    hidden.visibility = 1
    path = tmp_path / "成绩.xls"
    wb.save(str(path))
    report = qk.check_scores(path)
    assert set(report.data["class_id"]) == {"5-1"}
    e = errors(report)
    assert e[["row", "column"]].values.tolist() == [[4, "D"]]
    assert "#N/A" in e["problem"].iloc[0] and "第 4 行" in e["problem"].iloc[0]
    with pytest.raises(qk.ScoreFileError, match="#N/A"):
        qk.read_scores(path)


def test_vertically_merged_header_cells_and_a_two_row_header(xlsx):
    rows = [["学号", "姓名", "语文", None, "数学", None],
            [None, None, "得分", "班次", "得分", "班次"],
            ["1", "甲", 90, 1, 70, 2], ["2", "乙", 80, 2, 75, 1]]
    merges = [(0, 0, 1, 0, "学号"), (0, 1, 1, 1, "姓名"), (0, 2, 0, 3, "语文"),
              (0, 4, 0, 5, "数学")]
    report = qk.check_scores(xlsx({"s": rows}, {"s": merges}), grade=5)
    assert report.ok
    assert sorted(report.data["subject"].unique()) == ["数学", "语文"]
    assert report.data.groupby("subject")["score"].mean().to_dict() == {"数学": 72.5, "语文": 85.0}


# ---- statistics, footers, class headings ---------------------------------------------------
def test_statistics_footers_and_class_headings_are_not_pupils(xlsx):
    rows = [["实验小学五年级期末成绩"], ["学号", "姓名", "语文", "数学"],
            ["五年级（1）班"],
            ["a1", "张一", 90, 80], ["a2", "张二", 70, 60],
            [None, "平均分", 80, 70], ["", "及格率", "100%", "100%"], ["999", "均分", 80, 70],
            ["五年级（2）班"], ["学号", "姓名", "语文", "数学"],
            ["b1", "李一", 50, 40], ["b2", "李二", 100, 90],
            ["—", "最高分", 100, 90], ["参考人数", None, 2, 2], ["90-100", "1", "50%", None],
            ["制表人：王老师"], ["打印日期：2025-01-10"], ["第1页，共1页"]]
    report = qk.check_scores(xlsx({"s": rows}, {"s": [(15, 0, 15, 3, "制表人：王老师")]}))
    assert report.ok and accounted(report)
    assert table(report) == {("5-1", "语文"): (2, 80.0), ("5-1", "数学"): (2, 70.0),
                             ("5-2", "语文"): (2, 75.0), ("5-2", "数学"): (2, 65.0)}
    skipped = report.problems[report.problems["action"].str.startswith("已跳过")]
    # Excel rows: headings 3 and 9, statistics 6–8 and 13–15, repeated header 10, footers 16–18
    assert sorted(skipped["row"].tolist()) == [3, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18]


def test_stacked_class_tables_each_with_its_title(xlsx):
    rows = [["五年级（1）班期末成绩统计表"], ["学号", "姓名", "语文"], ["a1", "甲", 90],
            [None], ["五年级（2）班期末成绩统计表"], ["学号", "姓名", "语文"], ["b1", "乙", 60],
            ["b2", "丙", 70]]
    report = qk.check_scores(xlsx({"s": rows}))
    assert table(report) == {("5-1", "语文"): (1, 90.0), ("5-2", "语文"): (2, 65.0)}


def test_class_written_once_per_block_without_merging_is_filled_and_said(xlsx):
    rows = [["班级", "学号", "姓名", "语文"], ["五(1)班", "1", "甲", 90], [None, "2", "乙", 80],
            [None, "3", "丙", 70], ["五(2)班", "4", "丁", 60], [None, "5", "戊", 50]]
    report = qk.check_scores(xlsx({"s": rows}))
    assert report.ok
    assert table(report) == {("5-1", "语文"): (3, 80.0), ("5-2", "语文"): (2, 55.0)}
    filled = report.problems[report.problems["problem"].str.contains("once per block")]
    assert filled["row"].tolist() == [3, 6] and (filled["severity"] == "warning").all()


def test_a_blank_class_in_a_sheet_not_ordered_by_class_is_an_error(xlsx):
    rows = [["班级", "学号", "姓名", "语文"], ["五(1)班", "1", "甲", 90], ["五(2)班", "2", "乙", 80],
            [None, "3", "丙", 70], ["五(1)班", "4", "丁", 60]]
    report = qk.check_scores(xlsx({"s": rows}))
    assert errors(report)[["row", "column"]].values.tolist() == [[4, "A"]]


# ---- cells that are not what they show -------------------------------------------------------
def test_uncached_formulas_and_error_cells_are_errors_naming_the_cell(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成绩"
    ws.append(["学号", "姓名", "班级", "语文", "数学", "总分"])
    ws.append(["1", "甲", "五(1)班", 80, "#N/A", "=D2+E2"])
    ws.append(["2", "乙", "五(1)班", "=40+40", 70, "=SUM(D3:E3)"])
    ws.append(["3", "丙", "五(1)班", "#DIV/0!", 60, "=SUM(D4:E4)"])
    path = tmp_path / "公式.xlsx"
    wb.save(path)
    report = qk.check_scores(path)
    e = errors(report).sort_values("row")
    assert e[["row", "column"]].values.tolist() == [[2, "E"], [3, "D"], [4, "D"]]
    assert "公式" in e["problem"].iloc[1] and "打开并保存" in e["problem"].iloc[1]
    assert "#DIV/0!" in e["problem"].iloc[2]
    assert not e["header"].eq("总分").any()  # uncached 总分 formulas: a column not imported


def test_xlsxwriter_formulas_with_a_stale_zero_are_not_zero_scores(tmp_path):
    import xlsxwriter

    path = tmp_path / "生成.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("s")
    ws.write_row(0, 0, ["学号", "姓名", "班级", "语文"])
    ws.write_row(1, 0, ["1", "甲", "五(1)班"])
    ws.write_formula(1, 3, "=50+40")  # cached value 0; Excel would recalculate on opening
    wb.close()
    report = qk.check_scores(path)
    assert errors(report)[["row", "column"]].values.tolist() == [[2, "D"]]


def test_level_words_among_numbers_are_errors_a_level_column_is_levels(xlsx):
    mixed = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "语文"], ["1", "甲", "一(1)班", 90],
                                        ["2", "乙", "一(1)班", "优"], ["3", "丙", "一(1)班", 80]]}))
    assert errors(mixed)[["row", "column"]].values.tolist() == [[3, "D"]]
    levels = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "语文"], ["1", "甲", "一(1)班", "优秀"],
                                         ["2", "乙", "一(1)班", "良好"], ["3", "丙", "一(1)班", "缺考"]]},
                                  name="等级.xlsx"))
    assert levels.ok
    d = levels.data.set_index("student_id")
    assert d["level"].tolist()[:2] == ["优秀", "良好"] and d.loc["3", "status"] == "absent"


def test_a_column_of_shares_is_refused(xlsx):
    report = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "语文", "数学"],
                                         ["1", "甲", "五(1)班", 0.485, 80], ["2", "乙", "五(1)班", 0.9, 70],
                                         ["3", "丙", "五(1)班", 0.75, 70]]}))
    e = errors(report)
    assert e["column"].tolist() == ["D"] and "0.485" in e["problem"].iloc[0]
    assert table(report)[("5-1", "数学")] == (3, round(220 / 3, 6))


# ---- sheets, columns and ids ---------------------------------------------------------------
def test_hidden_sheets_are_skipped_unless_named(xlsx, tmp_path):
    import xlsxwriter

    path = tmp_path / "隐藏.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("五(1)班")
    ws.write_row(0, 0, ["学号", "姓名", "语文"])
    ws.write_row(1, 0, ["1", "甲", 90])
    old = wb.add_worksheet("模板")
    old.write_row(0, 0, ["学号", "姓名", "语文"])
    old.write_row(1, 0, ["x1", "张三", 99])
    old.hide()
    wb.close()
    report = qk.check_scores(path)
    assert report.data["student_id"].tolist() == ["1"]
    assert report.problems["problem"].str.contains("hidden sheet").any()
    named = qk.read_scores(path, sheet="模板", grade=5)
    assert named["student_id"].tolist() == ["x1"]


def test_a_sheet_with_a_header_and_no_pupils_is_an_error(xlsx):
    with pytest.raises(qk.ScoreFileError, match="no pupils under the header"):
        qk.read_scores(xlsx({"s": [["学号", "姓名", "班级", "语文"]]}))


def test_duplicate_subject_columns_error_and_raw_scaled_pairs(xlsx):
    dup = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "数学", "语文", "数学"],
                                      ["1", "甲", "五(1)班", 90, 80, 70]]}))
    e = errors(dup)
    assert e["column"].tolist() == ["F"] and "D 列" in e["problem"].iloc[0]
    pair = qk.read_scores(xlsx({"s": [["学号", "姓名", "班级", "物理原始分", "物理赋分"],
                                      ["1", "甲", "高二(1)班", 60, 75]]}, name="赋分.xlsx"))
    assert pair[["subject", "score"]].values.tolist() == [["物理", 75.0]]


def test_english_headers(xlsx):
    report = qk.check_scores(xlsx({"s": [["Student ID", "Name", "Class", "Chinese", "Math", "Total"],
                                         ["1", "A", "5-1", 90, 80, 170]]}))
    assert report.ok
    assert report.data[["subject", "score"]].values.tolist() == [["语文", 90.0], ["数学", 80.0]]


def test_ids_in_scientific_notation_and_with_an_apostrophe(xlsx):
    report = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "语文"],
                                         ["1.0051E+05", "甲", "五(1)班", 80],
                                         ["'00123", "乙", "五(1)班", 70]]}))
    assert sorted(report.data["student_id"]) == ["00123", "100510"]
    assert report.problems["problem"].str.contains("stored as a number").any()
    collapsed = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "语文"],
                                            ["2.00801E+11", "甲", "五(1)班", 80],
                                            ["2.00801E+11", "乙", "五(1)班", 70]]}, name="b.xlsx"))
    assert errors(collapsed)["row"].tolist() == [3]


def test_total_that_differs_from_the_subjects_is_a_warning_per_row(xlsx):
    rows = [["学号", "姓名", "班级", "语文", "数学", "总分"]]
    rows += [[str(i), f"生{i}", "五(1)班", 60, 70, 130] for i in range(6)]
    rows[3][5] = 140
    report = qk.check_scores(xlsx({"s": rows}))
    w = report.problems[report.problems["problem"].str.contains("total differs")]
    assert w["row"].tolist() == [4] and (w["severity"] == "warning").all() and report.ok


def test_a_wrong_total_is_named_in_a_sheet_of_electives_too(xlsx):
    # 3+1+2: each pupil has 物理 or 历史 and two of 化学/生物/政治/地理, the rest blank (not
    # taken). No row had every subject filled, so a wrong 总分 went by without a word; the sum
    # of the subjects a pupil took is checked now (row 4: 90+80+70+60+50+40 = 390, 总分 400)
    subjects = ["语文", "数学", "英语", "物理", "历史", "化学", "生物", "政治", "地理"]
    rows = [["学号", "姓名", "班级", *subjects, "总分"]]
    for i in range(8):
        first = [60, None] if i % 2 else [None, 60]
        second = [50, 40, None, None] if i % 3 else [None, None, 50, 40]
        rows.append([str(i), f"生{i}", "高二(1)班", 90, 80, 70, *first, *second, 390])
    rows[3][-1] = 400
    rows[5][5] = "缺考"  # a pupil absent from a subject he took: not checked (as before)
    report = qk.check_scores(xlsx({"s": rows}))
    w = report.problems[report.problems["problem"].str.contains("total differs")]
    assert w["row"].tolist() == [4] and "与各科成绩之和 390" in w["problem"].iloc[0]
    assert report.ok


# ---- formats read from the content ---------------------------------------------------------
TEXT = "学号,姓名,班级,语文\n001,甲,五(1)班,80\n002,乙,五(1)班,缺考\n"


@pytest.mark.parametrize("name, data", [
    ("gb18030_bom.csv", b"\x84\x31\x95\x33" + TEXT.encode("gb18030")),
    ("utf16.csv", TEXT.replace(",", "\t").encode("utf-16")),
    ("tab.csv", TEXT.replace(",", "\t").encode("utf-8")),
    ("gbk_named.xlsx", TEXT.encode("gbk")),
    ("quoted.csv", TEXT.replace("001", '="001"').replace("002", "'002").encode("utf-8-sig")),
])
def test_text_files_whatever_their_name(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    report = qk.check_scores(path)
    assert report.ok
    assert sorted(report.data["student_id"]) == ["001", "002"]
    assert table(report) == {("5-1", "语文"): (1, 80.0)}


def test_html_table_saved_as_xls_with_spans(tmp_path):
    page = """<html><head><meta charset="gbk"><style>td {mso-number-format:"\\@";}</style></head>
    <body><table><tr><td colspan="4">五年级期末成绩</td></tr>
    <tr><th>班级</th><th>学号</th><th>姓名</th><th>语文</th></tr>
    <tr><td rowspan="2">五(1)班</td><td>001</td><td>张三</td><td>85</td></tr>
    <tr><td>002</td><td>李四</td><td>缺考</td></tr>
    <tr><td rowspan="1">五(2)班</td><td>003</td><td>王五</td><td x:num="77.5">77.50</td></tr>
    </table></body></html>"""
    path = tmp_path / "阅卷导出.xls"
    path.write_bytes(page.encode("gbk"))
    report = qk.check_scores(path)
    assert report.ok and any("HTML" in n for n in report.notes)
    assert table(report) == {("5-1", "语文"): (1, 85.0), ("5-2", "语文"): (1, 77.5)}
    assert sorted(report.data["student_id"].unique()) == ["001", "002", "003"]


def test_spreadsheetml_saved_as_xls(tmp_path):
    ss = "urn:schemas-microsoft-com:office:spreadsheet"

    def cell(v, t="String", extra=""):
        return f'<Cell{extra}><Data ss:Type="{t}">{v}</Data></Cell>'

    across, down = ' ss:MergeAcross="3"', ' ss:MergeDown="1"'
    xml = (f'<?xml version="1.0"?><Workbook xmlns="{ss}" xmlns:ss="{ss}">'
           '<Worksheet ss:Name="成绩"><Table>'
           f'<Row>{cell("五年级期末", extra=across)}</Row>'
           f'<Row>{cell("班级")}{cell("学号")}{cell("姓名")}{cell("语文")}</Row>'
           f'<Row>{cell("五(2)班", extra=down)}{cell("007")}{cell("王五")}'
           f'{cell(77.5, "Number")}</Row>'
           f'<Row><Cell ss:Index="2"><Data ss:Type="String">008</Data></Cell>{cell("赵六")}'
           f'{cell("#DIV/0!", "Error")}</Row>'
           '</Table></Worksheet></Workbook>')
    path = tmp_path / "xml.xls"
    path.write_text(xml, encoding="utf-8")
    report = qk.check_scores(path)
    assert set(report.data["class_id"]) == {"5-2"}
    assert errors(report)[["row", "column"]].values.tolist() == [[4, "D"]]


def test_xlsx_named_xls_is_read(xlsx, tmp_path):
    src = xlsx({"s": [["学号", "姓名", "班级", "语文"], ["1", "甲", "五(1)班", 88]]})
    path = tmp_path / "renamed.xls"
    path.write_bytes(src.read_bytes())
    report = qk.check_scores(path)
    assert report.ok and report.data["score"].tolist() == [88.0]
    assert any("扩展名" in n for n in report.notes)


@pytest.mark.parametrize("name, data, words", [
    ("empty.xlsx", b"", "空文件"),
    ("doc.xlsx", b"%PDF-1.4 ...", "PDF"),
    ("noise.xlsx", bytes(range(256)) * 8, "不是表格文件"),
])
def test_files_that_are_not_sheets_say_what_they_are(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(qk.ScoreFileError, match=words):
        qk.check_scores(path)


def test_a_directory_and_a_missing_file(tmp_path):
    with pytest.raises(qk.ScoreFileError, match="文件夹"):
        qk.check_scores(tmp_path)
    with pytest.raises(qk.ScoreFileError, match="找不到文件"):
        qk.check_scores(tmp_path / "无.xlsx")


def test_word_document_renamed_xlsx(tmp_path):
    import zipfile

    path = tmp_path / "成绩.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(qk.ScoreFileError, match="Word"):
        qk.check_scores(path)


def test_no_score_lost_on_a_messy_sheet(xlsx):
    """Every row read is a pupil or a reported skip; numbers equal a hand computation."""
    rows = [["XX小学2024—2025学年第一学期五年级期末检测成绩统计表"],
            ["序号", "班级", "学号", "姓名", "语文", "数学", "总分", "班名次"],
            [1, "五(1)班", "001", "张 三", "９５", "缺考", 95, 2],
            [2, None, "002", "李四", 0, "88分", 88, 3],
            [3, "五（2）班", "003", "王五", "请假", 90.5, 90.5, 1],
            [None, None, None, None, None, None, None, None],
            ["合计", None, None, None, 95, 178.5, None, None],
            ["注：缺考不计入平均分"]]
    report = qk.check_scores(xlsx({"s": rows}))
    assert accounted(report) and report.rows_imported == 3
    assert table(report) == {("5-1", "语文"): (2, 47.5), ("5-1", "数学"): (1, 88.0),
                             ("5-2", "语文"): (0, None), ("5-2", "数学"): (1, 90.5)}
    assert np.isnan(report.data.set_index(["student_id", "subject"]).loc[("001", "数学"), "score"])


# ---- long sheets ------------------------------------------------------------------------------
def test_long_sheet_one_row_per_pupil_and_subject(xlsx):
    rows = [["学号", "姓名", "班级", "科目", "成绩", "满分"],
            ["1", "甲", "五(1)班", "语文", 100, 120], ["1", "甲", "五(1)班", "数学", 80, 100],
            ["2", "乙", "五(1)班", "语文", "缺考", 120], ["2", "乙", "五(1)班", "数学", 90, 100],
            ["2", "乙", "五(1)班", "数学", 91, 100],  # the same pupil and subject again
            [None, "平均分", None, "数学", 85, None]]
    report = qk.check_scores(xlsx({"明细": rows}))
    assert accounted(report) and report.rows_imported == 4
    assert table(report) == {("5-1", "语文"): (1, 100.0), ("5-1", "数学"): (2, 85.0)}
    assert report.data.set_index(["student_id", "subject"]).loc[("1", "语文"), "full_mark"] == 120
    assert errors(report)["row"].tolist() == [6]


def test_one_sheet_per_subject(tmp_path):
    import xlsxwriter

    path = tmp_path / "分科.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for subject, values in (("语文", [90, 80]), ("数学", [70, "缺考"])):
        ws = wb.add_worksheet(subject)
        ws.write_row(0, 0, ["学号", "姓名", "班级", "成绩"])
        for i, v in enumerate(values):
            ws.write_row(i + 1, 0, [str(i), f"生{i}", "五(2)班", v])
    wb.close()
    report = qk.check_scores(path)
    assert report.ok
    assert table(report) == {("5-2", "语文"): (2, 85.0), ("5-2", "数学"): (1, 70.0)}


def test_a_summary_sheet_beside_the_class_sheets_is_read_once(xlsx):
    head = ["学号", "姓名", "语文"]
    c1, c2 = [["1", "甲", 90], ["2", "乙", 80]], [["3", "丙", 70]]
    report = qk.check_scores(xlsx({"五(1)班": [head, *c1], "五(2)班": [head, *c2],
                                   "年级汇总": [head, *c1, *c2]}))
    assert report.ok and len(report.data) == 3
    assert table(report) == {("5-1", "语文"): (2, 85.0), ("5-2", "语文"): (1, 70.0)}
    assert report.problems["problem"].str.contains("copy of other sheets").any()
    assert accounted(report)
    summary_first = qk.check_scores(xlsx({"年级汇总": [head, *c1, *c2], "五(1)班": [head, *c1],
                                          "五(2)班": [head, *c2]}, name="b.xlsx"), grade=5)
    assert summary_first.ok and table(summary_first) == table(report)
    differs = qk.check_scores(xlsx({"五(1)班": [head, *c1],
                                    "年级汇总": [head, ["1", "甲", 91], *c2]}, name="c.xlsx"))
    assert errors(differs)[["sheet", "row"]].values.tolist() == [["年级汇总", 2]]


def test_league_file_blank_school_cells(xlsx):
    head = ["学校", "学号", "姓名", "班级", "语文"]
    ordered = [head, ["一中", "1", "甲", "9-1", 90], [None, "2", "乙", "9-1", 80],
               ["二中", "3", "丙", "9-1", 70]]
    report = qk.check_scores(xlsx({"s": ordered}), school="二中")  # school= never fills a cell
    assert report.ok
    assert report.data.groupby("school")["student_id"].apply(sorted).to_dict() == {
        "一中": ["1", "2"], "二中": ["3"]}
    mixed = [head, ["一中", "1", "甲", "9-1", 90], ["二中", "3", "丙", "9-1", 70],
             [None, "2", "乙", "9-1", 80], ["一中", "4", "丁", "9-1", 60]]
    report = qk.check_scores(xlsx({"s": mixed}, name="b.xlsx"))
    assert errors(report)[["row", "column"]].values.tolist() == [[4, "A"]]


# ---- what a sheet says around the scores ---------------------------------------------------
def test_status_written_in_remarks_a_status_column_or_after_the_name(xlsx):
    rows = [["班级", "学号", "姓名", "语文", "数学", "备注"],
            ["五(1)班", "1", "甲", 0, 80, "语文缺考"],          # 0 with 语文缺考: absent
            ["五(1)班", "2", "乙(请假)", 0, 0, None],            # a mark after the name
            ["五(1)班", "3", "丙", 70, 90, "随班就读，不计入统计"],  # excluded, scores kept aside
            ["五(1)班", "4", "丁", 60, 60, "数学缺考"],          # a score although 缺考: error
            ["五(1)班", "5", "戊", 50, 40, None]]
    report = qk.check_scores(xlsx({"s": rows}))
    d = report.data.set_index(["student_id", "subject"])
    assert d.loc[("1", "语文"), "status"] == "absent" and d.loc[("1", "数学"), "status"] == "sat"
    assert d.loc[("2", "语文"), "status"] == d.loc[("2", "数学"), "status"] == "excused"
    assert set(d.loc["2", "name"]) == {"乙"}
    assert set(d.loc["3", "status"]) == {"excluded"}
    assert errors(report)[["row", "column"]].values.tolist() == [[5, "F"]]
    status = qk.check_scores(xlsx({"s": [["考号", "姓名", "班级", "考试状态", "语文"],
                                         ["1", "甲", "八(1)班", "正常", 80],
                                         ["2", "乙", "八(1)班", "缺考", 0]]}, name="b.xlsx"))
    assert table(status) == {("8-1", "语文"): (1, 80.0)}


def test_a_note_that_colour_marks_absence_names_the_coloured_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["班级", "学号", "姓名", "语文"])
    for i, v in enumerate([80, 0, 70]):
        ws.append(["五(1)班", str(i), f"生{i}", v])
    ws["D3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.append([])
    ws.append(["注：黄色底纹表示缺考"])
    path = tmp_path / "颜色.xlsx"
    wb.save(path)
    e = errors(qk.check_scores(path))
    assert e[["row", "column"]].values.tolist() == [[3, "D"]] and "颜色" in e["problem"].iloc[0]


def test_electives_seen_in_the_sheet_are_not_absences(xlsx):
    rows = [["学号", "姓名", "班级", "语文", "物理", "化学", "生物", "政治", "历史", "地理"]]
    choices = ["物理化学生物", "物理化学地理", "政治历史地理", "物理生物地理", "化学政治历史"]
    for i, pick in enumerate(choices):
        row = [str(i), f"生{i}", "高二(1)班", 100]
        row += [70 + i if s in pick else None for s in ("物理", "化学", "生物", "政治", "历史", "地理")]
        rows.append(row)
    report = qk.check_scores(xlsx({"s": rows}), full_marks={"语文": 150})
    assert report.ok and set(report.data["status"]) == {"sat"}
    assert report.data.groupby("subject").size().to_dict() == {
        "语文": 5, "物理": 3, "化学": 3, "生物": 2, "政治": 2, "历史": 2, "地理": 3}
    assert report.problems["problem"].str.contains("electives detected").any()



def test_a_pupil_with_0_in_every_subject_he_took_did_not_sit_in_a_sheet_of_electives(xlsx):
    # the roster row of a 3+1+2 pupil who did not sit, written as 0 in his four subjects and
    # blank in the electives he did not take, was four real 0s (参考, pulling every mean down);
    # in a sheet without electives the same row was already read as absent
    rows = [["学号", "姓名", "班级", "语文", "物理", "历史", "化学", "生物", "政治", "地理"]]
    picks = ["物理化学生物", "历史政治地理", "物理生物政治", "历史化学地理", "物理化学地理", "历史生物政治"]
    for i, pick in enumerate(picks * 2):
        rows.append([str(i), f"生{i}", "高二(1)班", 90] +
                    [70 if s in pick else None for s in rows[0][4:]])
    rows[3] = rows[3][:3] + [0] + [None if v is None else 0 for v in rows[3][4:]]
    report = qk.check_scores(xlsx({"s": rows}), full_marks={"语文": 150})
    pupil = report.data[report.data["student_id"] == "2"]
    assert pupil["subject"].tolist() == ["语文", "物理", "生物", "政治"]
    assert set(pupil["status"]) == {"absent"}
    assert report.problems["problem"].str.contains("第 4 行：生2 各科都是 0 分").any()
    # a real 0 beside other scores stays a score
    assert (report.data.loc[report.data["student_id"] == "3", "status"] == "sat").all()


def test_electives_of_a_school_sheet_where_nobody_took_one_of_them(xlsx):
    # a 联考 workbook with one sheet per school (3+1+2): at 丙中 nobody took 地理, so its
    # column is empty and a pupil has 2 or 3 of the other five filled. Every blank was read as
    # 缺考 (about half of 丙中 absent in each elective, without a word); and a school of
    # three pupils, too few to see the pattern, follows the sheets before it.
    header = ["学校", "考号", "姓名", "班级", "语文", "物理", "历史", "化学", "生物", "政治", "地理"]
    picks = ["物理化学生物", "物理化学政治", "历史生物政治", "物理生物地理", "历史化学地理",
             "物理化学生物", "历史政治地理", "物理生物政治"]

    def pupil(school, i, pick):
        own = [60 + i if s in pick else None for s in header[5:]]
        return [school, f"{school}{i:02d}", f"生{i}", "1班", 100, *own]

    sheets = {"甲中": [header] + [pupil("甲中", i, p) for i, p in enumerate(picks)],
              "丙中": [header] + [pupil("丙中", i, p.replace("地理", "")) for i, p in enumerate(picks)],
              "丁中": [header] + [pupil("丁中", i, p) for i, p in enumerate(picks[:3])]}
    report = qk.check_scores(xlsx(sheets), full_marks={"语文": 150})
    assert report.ok and set(report.data["status"]) == {"sat"}
    # every filled elective cell is a row, no blank one is
    filled = sum(sum(v is not None for v in row[5:]) for rows in sheets.values()
                 for row in rows[1:])
    assert (report.data["subject"] != "语文").sum() == filled
    notes = report.problems[report.problems["problem"].str.contains("electives detected")]
    assert notes["sheet"].tolist() == ["甲中", "丙中", "丁中"]

def test_one_of_two_columns_of_a_subject(xlsx):
    rows = [["学号", "姓名", "班级", "数学(文)", "数学(理)"], ["1", "甲", "高三(1)班", 90, None],
            ["2", "乙", "高三(2)班", None, 120]]
    report = qk.check_scores(xlsx({"s": rows}), full_marks={"数学": 150})
    assert report.ok and table(report) == {("12-1", "数学"): (1, 90.0), ("12-2", "数学"): (1, 120.0)}


def test_a_copy_sheet_with_one_changed_score_names_the_cell(xlsx):
    head = ["学号", "姓名", "语文", "数学"]
    c1 = [["1", "甲", 90, 85], ["2", "乙", 80, 70]]
    changed = [["1", "甲", 90, 95], ["2", "乙", 80, 70]]
    e = errors(qk.check_scores(xlsx({"五(1)班": [head, *c1], "汇总": [head, *changed]})))
    assert e[["sheet", "row", "column"]].values.tolist() == [["汇总", 2, "D"]]
    assert "85" in e["problem"].iloc[0] and "95" in e["problem"].iloc[0]


def test_an_exam_column(xlsx):
    rows = [["考试名称", "学号", "姓名", "班级", "科目", "分数"],
            ["2024-2025学年第一学期期中", "1", "甲", "五(1)班", "语文", 80],
            ["2024-2025学年第一学期期末", "1", "甲", "五(1)班", "语文", 90]]
    report = qk.check_scores(xlsx({"s": rows}))
    assert report.ok and sorted(report.data["exam"]) == ["2024-2025-1 期中", "2024-2025-1 期末"]
    one = qk.read_scores(xlsx({"s": rows}, name="b.xlsx"), exam="2024-2025-1 期末")
    assert one["score"].tolist() == [90.0]
    wide = [["考试", "学号", "姓名", "班级", "语文"], ["期中", "1", "甲", "五(1)班", 80],
            ["期末", "1", "甲", "五(1)班", 90]]
    assert "several exams" in errors(qk.check_scores(xlsx({"s": wide}, name="c.xlsx")))[
        "problem"].iloc[0]


def test_ids_shown_with_leading_zeros_by_a_number_format(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["考号", "姓名", "班级", "语文"])
    ws.append([501001, "甲", "五(1)班", 90])
    ws["A2"].number_format = "0000000"
    path = tmp_path / "考号.xlsx"
    wb.save(path)
    assert qk.read_scores(path)["student_id"].tolist() == ["0501001"]


def test_class_from_a_label_above_the_header_and_from_the_file_name(xlsx):
    rows = [["2024-2025学年第一学期期末成绩登记表"], ["年级：五年级    班级：3班    班主任：李华"],
            ["学号", "姓名", "语文"], ["1", "甲", 90]]
    assert set(qk.read_scores(xlsx({"Sheet1": rows}))["class_id"]) == {"5-3"}
    named = xlsx({"Sheet1": [["学号", "姓名", "语文"], ["1", "甲", 90]]}, name="五(1)班数学成绩.xlsx")
    assert set(qk.read_scores(named)["class_id"]) == {"5-1"}


def test_a_header_that_differs_starts_a_new_block(xlsx):
    rows = [["班级", "学号", "姓名", "语文", "数学"], ["五(1)班", "01", "甲", 90, 60],
            ["班级", "学号", "姓名", "数学", "语文"], ["五(2)班", "02", "乙", 50, 80]]
    d = qk.read_scores(xlsx({"s": rows})).set_index(["student_id", "subject"])["score"]
    assert d.to_dict() == {("01", "语文"): 90.0, ("01", "数学"): 60.0,
                           ("02", "数学"): 50.0, ("02", "语文"): 80.0}


def test_headings_with_teacher_and_count_and_decimal_classes(xlsx):
    rows = [["五年级（1）班    班主任：李华    人数：1"], ["学号", "姓名", "语文"], ["01", "甲", 90],
            ["五年级（2）班    班主任：王敏    人数：1"], ["学号", "姓名", "语文"], ["02", "乙", 80]]
    assert table(qk.check_scores(xlsx({"s": rows}))) == {("5-1", "语文"): (1, 90.0),
                                                          ("5-2", "语文"): (1, 80.0)}
    decimals = [["班级", "学号", "姓名", "语文"], [7.1, "1", "甲", 90], [7.2, "2", "乙", 80],
                [7.1, "3", "丙", 70]]  # the last is 7.10 as Excel stores it
    e = errors(qk.check_scores(xlsx({"s": decimals}, name="b.xlsx")))
    assert e[["row", "column"]].values.tolist() == [[4, "A"]]


def test_sheet_named_after_another_class_and_fill_down_across_a_statistics_row(xlsx):
    head = ["班级", "学号", "姓名", "语文"]
    copied = qk.check_scores(xlsx({"五(1)班": [head, ["五(1)班", "1", "甲", 90]],
                                   "五(2)班": [head, ["五(1)班", "2", "乙", 80]]}))
    assert errors(copied)[["sheet", "row"]].values.tolist() == [["五(2)班", 2]]
    rows = [head, ["五(1)班", "1", "甲", 90], [None, "2", "乙", 80], [None, "平均分", None, 85],
            [None, "3", "丙", 70], ["五(2)班", "4", "丁", 60]]
    e = errors(qk.check_scores(xlsx({"s": rows}, name="b.xlsx")))
    assert e[["row", "column"]].values.tolist() == [[5, "A"]]


def test_one_percentage_among_scores_and_invisible_characters(xlsx):
    report = qk.check_scores(xlsx({"s": [["学号", "姓名", "班级", "数学"], ["1", "甲", "五(1)班", 90],
                                         ["2", "乙", "五(1)班", 0.85], ["3", "丙", "五(1)班", 0.5],
                                         ["4", "丁", "五(1)班", "\u200b78"]]}))
    assert errors(report)[["row", "column"]].values.tolist() == [[3, "D"]]
    assert report.data.set_index("student_id").loc[["3", "4"], "score"].tolist() == [0.5, 78.0]


# ---- zeros -----------------------------------------------------------------------------------
def test_a_pupil_with_0_in_every_subject_did_not_sit(xlsx):
    # exports keep a row for every pupil on the roster; one who did not sit has 0 everywhere
    # (平湖 七上期中: 61 such rows pulled the 语文 mean from 76.4 down to 71.1)
    rows = [["班级", "学号", "姓名", "语文", "数学"], ["5-1", "1", "甲", 80, 70],
            ["5-1", "2", "乙", 0, 0], ["5-1", "3", "丙", 60, 0], ["5-1", "4", "丁", 90, 50]]
    report = qk.check_scores(xlsx({"成绩": rows}), exam="期末", grade=5)
    assert report.ok and accounted(report)
    d = report.data
    assert d.loc[d["student_id"] == "2", "status"].tolist() == ["absent", "absent"]
    assert table(report) == {("5-1", "语文"): (3, round(230 / 3, 6)),
                             ("5-1", "数学"): (3, 40.0)}  # 丙's lone 0 stays a score
    warned = report.problems[report.problems["severity"] == "warning"]
    assert "乙 各科都是 0 分" in warned.loc[warned["row"] == 3, "problem"].iloc[0]
    # 丙: a 0 beside 60 % elsewhere is kept, with a warning naming the cell and the fix
    lone = warned[(warned["row"] == 4) & (warned["header"] == "数学")]
    assert len(lone) == 1 and "缺考" in lone["problem"].iloc[0] and "60%" in lone["problem"].iloc[0]


def test_a_0_beside_low_scores_or_in_a_one_subject_sheet_is_not_questioned(xlsx):
    rows = [["班级", "学号", "姓名", "语文", "数学"], ["5-1", "1", "甲", 20, 0],
            ["5-1", "2", "乙", 80, 70]]
    report = qk.check_scores(xlsx({"成绩": rows}), exam="期末", grade=5)
    assert report.ok and report.problems.empty  # 甲 scores 20 % elsewhere: a 0 is believable
    one = qk.check_scores(xlsx({"成绩": [["班级", "学号", "姓名", "语文"], ["5-1", "1", "甲", 0],
                                          ["5-1", "2", "乙", 80]]}), exam="期末", grade=5)
    assert one.ok and one.problems.empty and (one.data["status"] == "sat").all()


def test_many_pupils_with_0_everywhere_are_one_warning_listing_rows(xlsx):
    rows = [["班级", "学号", "姓名", "语文", "数学"]]
    rows += [["5-1", str(k), f"甲{k}", 0, 0] for k in range(25)]
    rows += [["5-1", "99", "乙", 70, 80]]
    report = qk.check_scores(xlsx({"成绩": rows}), exam="期末", grade=5)
    warned = report.problems[report.problems["severity"] == "warning"]
    assert len(warned) == 1 and "等 25 行" in warned["problem"].iloc[0]
    assert (report.data["status"] == "absent").sum() == 50


def test_a_previous_exam_with_ids_typed_as_numbers_is_matched_and_said(xlsx):
    # this term 学号 written as text (012001); last term typed as numbers, Excel dropped the 0
    now = xlsx({"期末": [["学号", "姓名", "班级", "语文"],
                         ["012001", "甲", "7-1", 80], ["012002", "乙", "7-1", 70],
                         ["012003", "丙", "7-2", 90]]}, name="2025-2026-1 期末.xlsx")
    before = xlsx({"期中": [["学号", "姓名", "班级", "语文"],
                            [12001, "甲", "7-1", 75], [12002, "乙", "7-1", 72],
                            [12009, "丁", "7-2", 60]]}, name="2025-2026-1 期中.xlsx")
    term = qk.load_term(now, previous_file=before)
    assert sorted(term.previous["student_id"].unique()) == ["012001", "012002", "12009"]
    notes = [n for n in term.report.notes if "学号开头的 0" in n]
    assert len(notes) == 1 and "2025-2026-1 期中.xlsx）中 2 名学生" in notes[0]
    assert "012001" in notes[0] and "文本" in notes[0]  # says how to fix the sheet
    assert notes[0] in term.report.summary_lines()  # in the import report


def test_a_paper_out_of_150_is_summed_up_once_with_the_likely_full_mark(xlsx):
    # a 联考 sheet of 高中 papers out of 150 read with the default 100: one line per subject
    # says how many, the best score and the full mark to give, before the per-cell errors
    rows = [["学号", "姓名", "班级", "语文", "物理"]]
    rows += [[f"{i:03d}", f"学生{i}", "1班", 90 + i, 60 + i % 7] for i in range(1, 31)]
    path = xlsx({"成绩": rows})
    with pytest.raises(qk.ScoreFileError) as caught:
        qk.read_scores(path)
    message = str(caught.value)
    lines = message.splitlines()
    assert lines[1] == ("- 语文：20 个成绩超过满分 100（最高 120 分），满分可能是 120 或 150："
                        "请用 --full-marks 语文=150 这样指定（函数中 full_marks={'语文': 150}），"
                        "满分以试卷为准。")
    assert "物理：" not in message  # no score of 物理 is over its full mark
    assert qk.read_scores(path, full_marks={"语文": 120})["score"].max() == 120
