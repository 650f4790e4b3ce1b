"""The DuckDB engine over Parquet (``qualitykit convert``, ``district --engine duckdb``).

The reference is the pandas engine (:func:`qualitykit.summary`, itself checked against hand
computations and statsmodels in test_indicators): both engines must give the same table —
same rows in the same order, same numbers to 1e-9 — on the bundled 联考, on a constructed
table of edge cases (checked by hand as well) and on the real Wenzhou 联考. The Parquet file
must hold exactly the imported table. Parquet is written and read by DuckDB alone: nothing on
these paths may need pyarrow (the kit does not install it).
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.district.analysis import analyse_district
from qualitykit.district.engine import (
    convert_scores,
    parquet_metadata,
    read_parquet_scores,
    summary_duckdb,
    write_parquet,
)
from qualitykit.district.league_sample import LEAGUE_EXAMS, LEAGUE_SUBJECTS, league_sample_path
from qualitykit.district.load import load_district
from qualitykit.district.schools import with_totals
from qualitykit.io.problems import ScoreFileError
from qualitykit.standard import Standard

from conftest import realdata

TOL = {"rtol": 1e-9, "atol": 1e-9}
BY = (["school", "subject"], ["class_id", "subject"], "subject")


def same_tables(scores: pd.DataFrame, parquet, *, totals: bool = True, standard=None, by=BY):
    """Both engines on the same data: identical tables (pandas is the reference)."""
    reference = with_totals(scores) if totals else scores
    for keys in by:
        expected = qk.summary(reference, by=keys, standard=standard)
        got = summary_duckdb(parquet, by=keys, standard=standard, with_totals=totals)
        pd.testing.assert_frame_equal(got, expected, **TOL)
    return got


@pytest.fixture(scope="module")
def league(tmp_path_factory):
    """The bundled 联考 as read from its sheet, and converted to Parquet."""
    out = tmp_path_factory.mktemp("engine") / "league.parquet"
    result = convert_scores([league_sample_path()], out, full_marks=LEAGUE_SUBJECTS, log=None)
    scores = qk.read_scores(league_sample_path(), full_marks=LEAGUE_SUBJECTS)
    return scores, out, result


# ---- the Parquet file ------------------------------------------------------------------------

def test_parquet_holds_exactly_the_imported_table(league):
    scores, out, result = league
    pd.testing.assert_frame_equal(read_parquet_scores(out), scores)
    assert result["rows"] == len(scores) == 2660
    # every row of the sheet accounted for, as the import report says
    report = qk.check_scores(league_sample_path(), full_marks=LEAGUE_SUBJECTS)
    assert parquet_metadata(out)["files"] == [{
        "file": league_sample_path().name, "rows_read": report.rows_read,
        "rows_imported": report.rows_imported, "rows_skipped": report.rows_skipped,
        "rows": len(scores)}]


def query(sql: str, params=None) -> list:
    """All rows of ``sql`` on a fresh DuckDB connection (the files seen as any reader sees them)."""
    with duckdb.connect() as con:
        return con.execute(sql, params or []).fetchall()


def parquet_types(path) -> dict:
    """Each column's Parquet physical type and its converted (logical) type, as the file's
    schema says (read by DuckDB's ``parquet_schema``)."""
    rows = query("SELECT name, type, converted_type FROM parquet_schema(?) "
                 "WHERE num_children IS NULL", [str(path)])
    return {name: (kind, converted) for name, kind, converted in rows}


def parquet_encodings(path) -> dict:
    """Each column's encodings and compressions over the file's row groups."""
    rows = query("SELECT path_in_schema, encodings, compression FROM parquet_metadata(?)",
                 [str(path)])
    found: dict = {}
    for name, encodings, compression in rows:
        found.setdefault(name, set()).update([*encodings.split(", "), compression])
    return found


def test_parquet_types_are_columnar(league):
    _, out, result = league
    encodings = parquet_encodings(out)
    for name in ("student_id", "school", "class_id", "subject", "exam", "status"):
        assert any("DICTIONARY" in e for e in encodings[name]), (name, encodings[name])
    assert all("ZSTD" in e for e in encodings.values())
    types = parquet_types(out)
    # the sample's scores are whole numbers: float32 holds them exactly
    assert result["float32"] and types["score"] == ("FLOAT", None)
    assert types["full_mark"] == ("FLOAT", None)
    assert types["source_row"] == ("INT32", "INT_32") and types["grade"] == ("INT32", "INT_8")
    assert types["school"] == ("BYTE_ARRAY", "UTF8")


def test_float32_only_when_every_score_is_exact(tmp_path):
    t = pd.DataFrame({"score": [87.5, 90.0, np.nan], "full_mark": [100.0, 100.0, 100.0]})
    assert write_parquet(t, tmp_path / "a.parquet") is True
    assert parquet_types(tmp_path / "a.parquet")["score"] == ("FLOAT", None)
    # 87.3 is not a float32: stored as float64, read back unchanged; NaN stored as a null
    t.loc[0, "score"] = 87.3
    assert write_parquet(t, tmp_path / "b.parquet") is False
    assert parquet_types(tmp_path / "b.parquet")["score"] == ("DOUBLE", None)
    values = query("SELECT score FROM read_parquet(?)", [str(tmp_path / "b.parquet")])
    assert values == [(87.3,), (90.0,), (None,)]
    pd.testing.assert_frame_equal(read_parquet_scores(tmp_path / "b.parquet"), t)


def test_text_round_trips_with_chinese_missing_and_empty(tmp_path):
    # pandas 3's text columns (python storage, missing as NaN), an object column with None,
    # empty strings and Chinese: DuckDB reads them from the DataFrame without pyarrow
    t = pd.DataFrame({
        "student_id": pd.Series(["001", "", "王小明", np.nan], dtype="str"),
        "school": pd.Series(["城东中学", "城东中学", "山口中学", "山口中学"], dtype="str"),
        "name": pd.Series(["张三", None, "", "李四"], dtype=object),
        "score": [0.0, np.nan, 99.5, 100.0], "full_mark": [100.0] * 4,
        "grade": pd.array([9, 9, None, 9], dtype="Int64"),
        "level": pd.Series([None, "优秀", None, "A"], dtype=object)})
    out = tmp_path / "text.parquet"
    write_parquet(t, out)
    # in the file: missing text is a null, an empty string stays an empty string
    rows = query("SELECT student_id, name, level, grade FROM read_parquet(?)", [str(out)])
    assert rows == [("001", "张三", None, 9), ("", None, "优秀", 9), ("王小明", "", None, None),
                    (None, "李四", "A", 9)]
    back = read_parquet_scores(out)
    expected = t.assign(name=t["name"].astype("str"))
    pd.testing.assert_frame_equal(back, expected)
    assert back["name"].isna().tolist() == [False, True, False, False]
    assert back.loc[2, "name"] == "" and back.loc[1, "student_id"] == ""


def test_metadata_survives_quotes_and_chinese_in_file_names(tmp_path):
    source = tmp_path / "O'Neil 联考.xlsx"
    shutil.copy(league_sample_path(), source)
    out = tmp_path / "it's 联考.parquet"
    result = convert_scores([source], out, full_marks=LEAGUE_SUBJECTS, log=None)
    meta = parquet_metadata(out)
    assert [f["file"] for f in meta["files"]] == ["O'Neil 联考.xlsx"]
    assert meta["rows_read"] == result["files"][0]["rows_read"] == 532
    # the stored JSON itself, as any Parquet reader sees it
    [(stored,)] = query("SELECT decode(value) FROM parquet_kv_metadata(?) "
                        "WHERE decode(key) = 'qualitykit'", [str(out)])
    assert json.loads(stored)["files"][0]["file"] == "O'Neil 联考.xlsx"


def test_float32_is_decided_over_all_files_of_a_conversion(tmp_path):
    # a.csv has whole and half points only; b.csv has 87.3 (not a float32): converted together
    # every score is stored as float64 (unchanged), a.csv alone as float32
    head = "学校,考号,姓名,班级,语文,数学\n"
    (tmp_path / "a.csv").write_text(head + "甲中,1,张三,1,90,87.5\n甲中,2,李四,1,缺考,60\n"
                                    "乙中,3,王五,2,70,59.5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(head + "丙中,4,赵六,1,87.3,100\n丙中,5,钱七,2,,40\n",
                                    encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    both = convert_scores(files, tmp_path / "ab.parquet", log=None)
    alone = convert_scores(files[:1], tmp_path / "a.parquet", log=None)
    assert (both["float32"], both["rows"], alone["float32"], alone["rows"]) == (False, 10, True, 6)
    assert parquet_types(tmp_path / "ab.parquet")["score"] == ("DOUBLE", None)
    assert parquet_types(tmp_path / "a.parquet")["score"] == ("FLOAT", None)
    expected = pd.concat([qk.read_scores(f) for f in files], ignore_index=True)
    back = read_parquet_scores(tmp_path / "ab.parquet")
    pd.testing.assert_frame_equal(back, expected)
    assert 87.3 in back["score"].tolist() and back["score"].isna().sum() == 2
    assert [f["rows_read"] for f in parquet_metadata(tmp_path / "ab.parquet")["files"]] == [3, 2]


def test_files_are_converted_one_by_one_into_one_table(tmp_path):
    files = [league_sample_path(LEAGUE_EXAMS[0]), league_sample_path()]
    out = tmp_path / "two.parquet"
    result = convert_scores(files, out, full_marks=LEAGUE_SUBJECTS, log=None)
    parts = [qk.read_scores(f, full_marks=LEAGUE_SUBJECTS) for f in files]
    both = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(read_parquet_scores(out), both)
    assert [f["rows"] for f in result["files"]] == [len(p) for p in parts]
    # two exams: the exam becomes the first key in both engines
    got = same_tables(both, out, totals=False, by=(["school", "subject"],))
    assert got.columns[0] == "exam" and got["exam"].nunique() == 2


# ---- both engines, same tables ---------------------------------------------------------------

def test_engines_agree_on_the_league_sample(league):
    scores, out, _ = league
    got = same_tables(scores, out)
    assert "总分" in set(got["subject"])


def test_district_analysis_on_duckdb_equals_pandas(league):
    _, out, _ = league
    pandas_run = analyse_district(load_district(out))
    duckdb_run = analyse_district(load_district(out, engine="duckdb"))
    sheet_run = analyse_district(load_district(league_sample_path(), full_marks=LEAGUE_SUBJECTS))
    for name in ("schools", "classes"):
        pd.testing.assert_frame_equal(getattr(duckdb_run, name), getattr(pandas_run, name), **TOL)
        pd.testing.assert_frame_equal(getattr(duckdb_run, name), getattr(sheet_run, name), **TOL)


def edge_table() -> pd.DataFrame:
    """Two schools; 数学 of 100 and 物理 of 120 (lines 72 / 102 / 48); class 乙中 2 all absent
    in 物理; an absentee in 甲中 1; scores on the lines and at the full mark."""
    rows = []

    def add(school, cls, sid, subject, score, status="sat", mark=100.0):
        rows.append({"student_id": sid, "name": f"生{sid}", "school": school, "grade": 9,
                     "class_id": cls, "subject": subject, "exam": "期末", "score": score,
                     "status": status, "full_mark": mark})

    for sid, (math, physics) in enumerate([(60, 72), (59.5, 71.5), (100, 120), (85, 102)]):
        add("甲中", "1", f"a{sid}", "数学", math)
        add("甲中", "1", f"a{sid}", "物理", physics, mark=120.0)
    add("甲中", "1", "a9", "数学", np.nan, "absent")
    add("甲中", "1", "a9", "物理", np.nan, "absent", 120.0)
    for sid, math in enumerate([70, 40, 90]):
        add("乙中", "2", f"b{sid}", "数学", math)
        add("乙中", "2", f"b{sid}", "物理", np.nan, "absent", 120.0)
    add("乙中", "3", "c0", "数学", 80)
    add("乙中", "3", "c0", "物理", 47.5, mark=120.0)
    return pd.DataFrame(rows).astype({"grade": "Int64"})


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    out = tmp_path_factory.mktemp("edges") / "edges.parquet"
    scores = edge_table()
    write_parquet(scores, out)
    return scores, out


def test_engines_agree_on_edge_cases_and_by_hand(edges):
    scores, out = edges
    same_tables(scores, out)
    t = summary_duckdb(out, by=["class_id", "subject"]).set_index(["school", "class_id", "subject"])
    # 乙中 class 2 sat no 物理: 应考 3, 实考 0, no mean and no rates
    row = t.loc[("乙中", "2", "物理")]
    assert (row["n_enrolled"], row["n_sat"], row["n_absent"]) == (3, 0, 3)
    assert np.isnan(row["mean"]) and np.isnan(row["pass_rate"]) and np.isnan(row["pass_rate_low"])
    # 甲中 class 1 物理 (full mark 120): 72, 71.5, 120, 102 → pass ≥ 72: 3; excellent ≥ 102: 2;
    # low < 48: 0; mean 91.375; one absentee
    row = t.loc[("甲中", "1", "物理")]
    assert (row["full_mark"], row["n_sat"], row["n_absent"]) == (120, 4, 1)
    assert (row["n_pass"], row["n_excellent"], row["n_low"]) == (3, 2, 0)
    assert row["mean"] == pytest.approx(91.375, abs=1e-12)
    assert row["full_mark_rate"] == pytest.approx(0.25)
    # 乙中 class 3 物理 47.5 < 48 (40 % of 120) is a low score
    assert t.loc[("乙中", "3", "物理"), "n_low"] == 1
    # Wilson 95 % of 3 / 4 (statsmodels proportion_confint(3, 4, method="wilson"))
    assert row["pass_rate_low"] == pytest.approx(0.30064184258, abs=1e-9)
    assert row["pass_rate_high"] == pytest.approx(0.95441273919, abs=1e-9)


@pytest.mark.parametrize("variant", ["relative_mean", "relative_rate", "share_above"])
def test_engines_agree_under_each_above_mean_variant(edges, variant):
    scores, out = edges
    same_tables(scores, out, standard=Standard(above_mean_variant=variant))


def test_duckdb_refuses_what_it_does_not_compute(edges):
    _, out = edges
    with pytest.raises(ValueError, match="rank_lines"):
        summary_duckdb(out, standard=Standard(rank_lines={"excellent": 0.2}))
    with pytest.raises(ValueError, match="all_pass_rate"):
        summary_duckdb(out, standard="primary_grade")
    with pytest.raises(ValueError, match="不在成绩表中"):
        summary_duckdb(out, by=["teacher"])
    with pytest.raises(FileNotFoundError, match="qualitykit convert"):
        summary_duckdb(out.parent / "none-*.parquet")


def test_mixed_full_marks_in_a_group_are_refused_as_by_pandas(edges):
    scores, out = edges
    with pytest.raises(ValueError, match="满分不一致"):
        qk.summary(scores, by="school")
    with pytest.raises(ValueError, match="满分不一致"):
        summary_duckdb(out, by="school")


# ---- loading and the command -----------------------------------------------------------------

def test_duckdb_needs_a_parquet_file_and_parquet_takes_no_sheet_options(league):
    with pytest.raises(ScoreFileError, match="qualitykit convert"):
        load_district(league_sample_path(), engine="duckdb")
    with pytest.raises(ScoreFileError, match="--full-marks"):
        load_district(league[1], full_marks={"语文": 120}, engine="duckdb")


def test_files_of_one_league_named_by_their_files_are_said_and_refused(tmp_path, capsys):
    # the README's `convert 一区.xlsx 二区.xlsx` without --exam: each file's exam was its file
    # name, so district drew each 区's own lines and ranks and called the whole 联考 “一区”
    sheet = pd.read_excel(league_sample_path(), engine="calamine")
    east = sheet["学校"].isin(["城东中学", "城西中学", "实验中学"])
    parts = [tmp_path / "一区.xlsx", tmp_path / "二区.xlsx"]
    sheet[east].to_excel(parts[0], index=False)
    sheet[~east].to_excel(parts[1], index=False)
    marks = "语文=150,数学=150,英语=150"
    out = tmp_path / "全市.parquet"
    assert main(["convert", *map(str, parts), "--full-marks", marks, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "考试名称不同（一区.xlsx：一区；二区.xlsx：二区；" in printed
    assert main(["district", str(out), "--engine", "duckdb", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "全市.parquet 中有 2 次考试（一区、二区）" in err and len(err.splitlines()) == 1
    # with --exam the two files are one 联考: the line is drawn over every pupil
    assert main(["convert", *map(str, parts), "--full-marks", marks, "--exam", "期末联考",
                 "--out", str(out)]) == 0
    assert "考试名称不同" not in capsys.readouterr().out
    data = load_district(out)
    assert data.exam == "期末联考" and data.n_sat == load_district().n_sat


def test_convert_command_and_its_errors(tmp_path, capsys):
    out = tmp_path / "联考.parquet"
    args = ["convert", str(league_sample_path()), "--out", str(out),
            "--full-marks", "语文=150,数学=150,英语=150"]
    assert main(args) == 0
    assert "长表 2660 行" in capsys.readouterr().out
    assert main(["convert", str(league_sample_path()), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert ".parquet" in capsys.readouterr().err
    assert main(["district", str(league_sample_path()), "--engine", "duckdb",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "qualitykit convert" in err and "Traceback" not in err and err.count("\n") == 1


def test_a_damaged_or_unwritable_parquet_file_is_one_chinese_line(tmp_path, capsys):
    bad = tmp_path / "坏.parquet"
    bad.write_bytes(b"not a parquet file")
    for engine in ("duckdb", "pandas"):
        assert main(["district", str(bad), "--engine", engine, "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert "读取 Parquet 文件" in err and "qualitykit convert" in err, err
        assert "Traceback" not in err and err.count("\n") == 1
    with pytest.raises(ValueError, match="读取 Parquet 文件.*重新转换"):
        summary_duckdb(bad)
    with pytest.raises(ValueError, match="写出 Parquet 文件.*文件夹可以写入"):
        write_parquet(edge_table(), tmp_path / "no such folder" / "x.parquet")


# ---- real data: the Wenzhou 联考 (语数英日 150) -----------------------------------------------

def test_engines_agree_on_the_wenzhou_league(tmp_path):
    path = realdata("cn-league-wenzhou", "联盟考试A2026.2.4.xlsx")
    marks = {"语文": 150, "数学": 150, "英语": 150, "日语": 150}
    out = tmp_path / "wenzhou.parquet"
    convert_scores([path], out, full_marks=marks, log=None)
    data = load_district(path, full_marks=marks)
    pd.testing.assert_frame_equal(read_parquet_scores(out), data.scores)
    got = same_tables(data.scores, out, by=(["school", "subject"], ["class_id", "subject"]))
    assert got["school"].nunique() == 10
    duckdb_data = load_district(out, engine="duckdb")
    assert (duckdb_data.n_sat, duckdb_data.n_without_scores) == (data.n_sat,
                                                                data.n_without_scores)


def test_engines_agree_on_groups_with_levels_and_no_scores(tmp_path):
    # 一、二年级: sitters with a 等级 and no score; the group's basis is "level"
    rows = [{"student_id": str(i), "school": school, "grade": 1, "class_id": "1",
             "subject": "语文", "exam": "期末", "score": np.nan, "status": "sat",
             "full_mark": 100.0, "level": level}
            for i, (school, level) in enumerate([("甲小", "优秀"), ("甲小", "良好"),
                                                 ("甲小", "待合格"), ("乙小", "A"),
                                                 ("乙小", "合格"), ("乙小", None)])]
    scores = pd.DataFrame(rows).astype({"grade": "Int64", "level": object})
    out = tmp_path / "levels.parquet"
    write_parquet(scores, out)
    got = same_tables(scores, out, totals=False, by=(["school", "subject"],))
    # by hand: 甲小 3 with a level, 2 合格 or better, 1 优秀; 乙小 2 (one has none), 2, 1 (A)
    t = got.set_index("school")
    for school, counts in {"甲小": (3, 2, 1), "乙小": (2, 2, 1)}.items():
        assert t.loc[school, "basis"] == "level"
        assert tuple(t.loc[school, ["n_sat", "n_pass", "n_excellent"]]) == counts


#: Run in a fresh interpreter (and, through PYTHONPATH, in the notebook's kernel) where pyarrow
#: cannot be imported even if some environment had it: the whole convert → district --engine
#: duckdb path, then which Parquet libraries ended up loaded and pandas' text storage.
NO_PYARROW_RUN = """
import sys
import pandas as pd
import qualitykit as qk
from qualitykit.cli import main
from qualitykit.district.league_sample import league_sample_path

out, folder = sys.argv[1], sys.argv[2]
assert main(["convert", str(league_sample_path()), "--out", out,
             "--full-marks", "语文=150,数学=150,英语=150"]) == 0
qk.read_parquet_scores(out)
qk.summary_duckdb(out, by=["school", "class_id", "subject"], with_totals=True)
assert main(["district", out, "--engine", "duckdb", "--formats", "html", "--out", folder]) == 0
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in ("pyarrow", "fastparquet")))
print("STORAGE", pd.Series(["语文"]).dtype.storage)
"""


@pytest.fixture(scope="module")
def run_without_pyarrow(tmp_path_factory):
    """The command-line path run where ``import pyarrow`` fails: its output folder and stdout."""
    tmp = tmp_path_factory.mktemp("nopyarrow")
    shadow = tmp / "shadow" / "pyarrow"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        'raise ModuleNotFoundError("pyarrow is blocked in this test", name="pyarrow")\n')
    paths = [str(tmp / "shadow"), os.environ.get("PYTHONPATH", ""), str(Path.cwd())]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    folder = tmp / "out"
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(NO_PYARROW_RUN),
                           str(tmp / "联考.parquet"), str(folder)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder, done.stdout


def test_convert_and_district_on_duckdb_need_no_pyarrow(run_without_pyarrow):
    _, stdout = run_without_pyarrow
    assert "LOADED []" in stdout
    # pandas keeps its own text storage: the kit's behaviour and speed elsewhere are unchanged
    assert "STORAGE python" in stdout
    assert "6 所学校" in stdout and "长表 2660 行" in stdout


def test_district_command_on_duckdb_writes_the_pandas_tables(run_without_pyarrow, tmp_path):
    folder, _ = run_without_pyarrow
    workbook = next(folder.glob("*.xlsx"))
    written = pd.read_excel(workbook, sheet_name="各校三率一分", engine="calamine")
    data = load_district(league_sample_path(), full_marks=LEAGUE_SUBJECTS)
    pandas_table = qk.to_display(analyse_district(data).schools, intervals=True)
    expected = pd.read_excel(_sheet(tmp_path / "ref.xlsx", pandas_table), engine="calamine")
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)


def _sheet(path, table):
    """``table`` written and read back as the workbook's sheets are (the same cell types)."""
    from qualitykit.io.excel import write_sheets

    write_sheets(path, {"各校三率一分": table})
    return path
