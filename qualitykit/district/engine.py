"""Beyond one machine: the canonical long table as Parquet, and the 三率一分 group-bys on DuckDB.

:func:`convert_scores` reads score files with the kit's importer (each file checked, its rows
accounted for in its import report) and has DuckDB write the long table to Parquet with
columnar types: text columns dictionary-encoded by DuckDB's writer wherever a row group
repeats them (schools, classes, subjects, exams, statuses), ``grade`` as int8, ``source_row``
as int32, and float32 scores and full marks when every value of the files is exactly a float32
(half points are; 87.3 is not), else float64; zstd-compressed; the import counts go into the
file's key-value metadata. :func:`summary_duckdb` computes :func:`qualitykit.summary`'s table with DuckDB over
such files (a path, a glob or a list), out of core: the rows are counted in SQL and the counts
finished by :func:`qualitykit.term.indicators.summary_from_counts`, the same step as the pandas
engine's, so the definitions (who counts, the lines as a share of the full mark, the Wilson
intervals, 超均率, 综合分) are the kit's own. :func:`read_parquet_scores` reads a converted file
back as the canonical table (the pandas engine).

DuckDB is the only library used for Parquet: it scans the kit's DataFrames (numpy columns and
pandas' own text columns) and returns its results as DataFrames without pyarrow, which the kit
does not install (it would switch pandas' text storage kit-wide). duckdb is imported inside the
functions: ``import qualitykit`` does not load it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import STATUSES
from ..standard import Standard, get_standard
from ..term.indicators import summary_from_counts
from ..term.level_scale import level_codes
from .schools import TOTAL

__all__ = ["convert_scores", "read_parquet_scores", "summary_duckdb", "write_parquet",
           "parquet_metadata", "parquet_files", "DICTIONARY_COLUMNS", "METADATA_KEY"]

#: Text columns whose values repeat on many rows: DuckDB's Parquet writer stores a column
#: dictionary-encoded (each row group's values once) wherever that is smaller, which it is for
#: schools, classes, subjects, exams and statuses; ids repeat within a row group only in small
#: files (the long table runs subject by subject), elsewhere they are stored plain. Not DuckDB
#: ENUMs: an ENUM column is written with the whole ENUM in every row group (a province's
#: classes hundreds of times).
DICTIONARY_COLUMNS = ("student_id", "school", "class_id", "class_name", "subject", "exam",
                      "status", "level", "source_file", "source_sheet", "area")
#: Integer columns and their Parquet (DuckDB) type.
INTEGER_COLUMNS = {"grade": "TINYINT", "source_row": "INTEGER"}
#: The key of the kit's metadata (rows read, sources) in the Parquet file.
METADATA_KEY = "qualitykit"
#: Columns of the pupil's row copied onto his 总分 row (as :func:`with_totals` does).
_TOTAL_KEYS = ("exam", "school", "student_id", "name", "grade", "class_id", "area")
_SCORE_COLUMNS = ("score", "full_mark")


def _connection():
    """A new in-memory DuckDB connection (duckdb imported here, not by ``import qualitykit``)."""
    import duckdb

    return duckdb.connect()


#: What to do when DuckDB cannot read or write a file (the start of the message names the file).
_READ_ADVICE = "请确认它是 qualitykit convert 写出的完整文件，必要时重新转换"
_WRITE_ADVICE = "请确认文件夹可以写入、磁盘有空间、文件没有被其他程序打开"


@contextmanager
def _duckdb_errors(what: str, advice: str) -> Iterator[None]:
    """DuckDB's errors (a damaged file, a folder that cannot be written) as one Chinese line
    that says which file and what to do, DuckDB's own words after it."""
    import duckdb

    try:
        yield
    except duckdb.Error as exc:
        detail = " ".join(str(exc).split()).split(" LINE 1:")[0]
        raise ValueError(f"{what}时出错：{advice} (duckdb: {detail})。") from exc


def _sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _sql_list(files: list[str]) -> str:
    """A SQL list literal of file names."""
    return "[" + ", ".join(_sql_text(f) for f in files) + "]"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _float32_exact(column: pd.Series) -> bool:
    """True when every value of ``column`` is exactly a float32 (NaN allowed)."""
    x = column.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(over="ignore"):
        back = x.astype(np.float32).astype(float)
    return bool(np.all((back == x) | np.isnan(x)))


def _scores_exact(scores: pd.DataFrame) -> bool:
    """True when every score and full mark of ``scores`` is exactly a float32."""
    return all(_float32_exact(scores[c]) for c in _SCORE_COLUMNS if c in scores)


def _duckdb_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """The columns as DuckDB scans them natively: scores as float64 (NaN is read as NULL),
    integers as Int64, every other column as pandas text (missing values as NaN, read as
    NULL; a number in an object column becomes its text)."""
    out = {}
    for name in scores.columns:
        column = scores[name]
        if name in _SCORE_COLUMNS:
            out[name] = column.to_numpy(dtype=float, na_value=np.nan)
        elif name in INTEGER_COLUMNS:
            out[name] = pd.array(column, dtype="Int64")
        else:
            out[name] = column if isinstance(column.dtype, pd.StringDtype) else column.astype("str")
    return pd.DataFrame(out, index=pd.RangeIndex(len(scores)))


def _typed_select(columns: list[str], relation: str, float32: bool) -> str:
    """The SELECT of ``relation``'s columns with their Parquet types."""
    types = {c: "FLOAT" if float32 else "DOUBLE" for c in _SCORE_COLUMNS} | INTEGER_COLUMNS
    typed = [f"CAST({_quoted(c)} AS {types.get(c, 'VARCHAR')}) AS {_quoted(c)}" for c in columns]
    return f"SELECT {', '.join(typed)} FROM {relation}"


def _copy(con, relation: str, out: Path, float32: bool, metadata: dict | None) -> None:
    """Write ``relation`` (a view or a table function) to the Parquet file ``out``, in order,
    with the kit's types and ``metadata`` under :data:`METADATA_KEY`."""
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
    options = ["FORMAT parquet", "COMPRESSION zstd"]  # a third of snappy's size, same speed
    if metadata is not None:
        text = json.dumps(metadata, ensure_ascii=False)
        options.append(f"KV_METADATA {{{METADATA_KEY}: {_sql_text(text)}}}")
    con.execute(f"COPY ({_typed_select(columns, relation, float32)}) TO {_sql_text(out)} "
                f"({', '.join(options)})")


def write_parquet(scores: pd.DataFrame, out: str | Path, *, float32: bool | None = None,
                  metadata: dict | None = None) -> bool:
    """Write the canonical long table to a Parquet file with columnar types, by DuckDB.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (:func:`qualitykit.read_scores`).
    out : path
        The Parquet file (replaced).
    float32 : bool, optional
        Store ``score`` and ``full_mark`` as float32; by default when every value is exactly
        a float32 (checked), else float64.
    metadata : dict, optional
        Stored as JSON under :data:`METADATA_KEY` (:func:`parquet_metadata` reads it).

    Returns
    -------
    bool
        Whether the scores were stored as float32.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from qualitykit.io.scores import read_scores
    >>> from qualitykit.district.league_sample import league_sample_path, LEAGUE_SUBJECTS
    >>> scores = read_scores(league_sample_path(), full_marks=LEAGUE_SUBJECTS)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "league.parquet"
    >>> write_parquet(scores, out), read_parquet_scores(out).equals(scores)
    (True, True)
    """
    if float32 is None:
        float32 = _scores_exact(scores)
    con = _connection()
    try:
        con.register("frame", _duckdb_frame(scores))
        with _duckdb_errors(f"写出 Parquet 文件 {out}", _WRITE_ADVICE):
            _copy(con, "frame", Path(out), float32, metadata)
    finally:
        con.close()
    return float32


def _import_one(path: Path, options: dict):
    """One score file read and checked by the kit's importer (stops on errors)."""
    from ..io.problems import raise_if_errors
    from ..io.scores import check_scores

    report = check_scores(path, **{k: v for k, v in options.items() if v})
    raise_if_errors(report, path, strict=True)
    return report


def _file_line(path: Path, report, rows: int) -> str:
    """The Chinese line of one converted file: rows read, imported, skipped, and warnings."""
    warned = int(report.problems["severity"].eq("warning").sum())
    return (f"  {path.name}：读入 {report.rows_read} 行，导入 {report.rows_imported} 行，"
            f"跳过 {report.rows_skipped} 行 → 长表 {rows} 行" +
            (f"；有 {warned} 条提示，qualitykit check {path.name} 可查看" if warned else ""))


def _copy_parts(parts: list[str], out: Path, float32: bool, metadata: dict) -> None:
    """The parts copied, in order, into one Parquet file (columns by name; a column missing
    from a part is null on its rows)."""
    con = _connection()
    try:
        with _duckdb_errors(f"写出 Parquet 文件 {out}", _WRITE_ADVICE):
            _copy(con, f"read_parquet({_sql_list(parts)}, union_by_name = true)", out, float32,
                  metadata)
    finally:
        con.close()


def convert_scores(files: Sequence[str | Path], out: str | Path, *, exam: str | None = None,
                   full_marks: dict | None = None, sheet: str | None = None,
                   standard: Standard | str | None = None, log=print) -> dict:
    """Read score files with the kit's importer and write their long table as one Parquet file.

    File by file: each is read and checked (a file with errors stops the conversion with its
    import report's message), written to a part by DuckDB, and dropped from memory; DuckDB
    then copies the parts, in order, into ``out`` with one set of columns (a column missing
    from a file is empty on its rows) and the import counts as metadata. A province's data
    converts in the memory of its largest file.

    Parameters
    ----------
    files : paths
        Score files (.xlsx, .xls, .csv) of one exam, any number of schools each.
    out : path
        The Parquet file to write (replaced).
    exam, full_marks, sheet, standard
        As for :func:`qualitykit.read_scores` (full marks: the standard's, then these).
    log : callable
        Called with one Chinese line per file.

    Returns
    -------
    dict
        ``path``, ``rows`` (rows of the long table written), ``float32`` (scores stored as
        float32), ``files``: per file ``file``, ``rows_read``, ``rows_imported``,
        ``rows_skipped``, ``rows`` (its long rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from qualitykit.district.league_sample import league_sample_path, LEAGUE_SUBJECTS
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "league.parquet"
    >>> r = convert_scores([league_sample_path()], out, full_marks=LEAGUE_SUBJECTS, log=None)
    >>> r["rows"], r["float32"], r["files"][0]["rows_read"]
    (2660, True, 532)
    """
    import tempfile

    out, paths = Path(out), [Path(f) for f in files]
    out.parent.mkdir(parents=True, exist_ok=True)
    marks = get_standard(standard).full_marks_with(dict(full_marks or {}))
    options = {"exam": exam, "full_marks": marks, "sheet": sheet}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".qk-convert-") as tmp:
        parts, info, exact, exams = [], [], True, {}
        for i, path in enumerate(paths):
            report = _import_one(path, options)
            scores = report.data
            exams[path.name] = list(dict.fromkeys(scores["exam"].dropna().astype(str)))
            exact &= _scores_exact(scores)
            info.append({"file": path.name, "rows_read": report.rows_read,
                         "rows_imported": report.rows_imported,
                         "rows_skipped": report.rows_skipped, "rows": len(scores)})
            if log:
                log(_file_line(path, report, len(scores)))
            if len(paths) == 1:  # one file: written as it is, no part to copy
                write_parquet(scores, out, float32=exact, metadata={"files": info})
            else:
                parts.append(str(Path(tmp) / f"part-{i}.parquet"))
                write_parquet(scores, parts[-1], float32=False)
            del report, scores
        if parts:
            _copy_parts(parts, out, exact, {"files": info})
    if log and exam is None and several_exams_note(exams):
        log(several_exams_note(exams))
    return {"path": out, "rows": sum(f["rows"] for f in info), "float32": exact, "files": info}


def several_exams_note(exams: dict[str, list[str]]) -> str:
    """The warning for files of several exam names (without --exam each is named by its title
    or its file name: 一区.xlsx and 二区.xlsx are two exams), or "" for one exam."""
    names = list(dict.fromkeys(n for found in exams.values() for n in found))
    if len(names) < 2:
        return ""
    each = "；".join(f"{file}：{'、'.join(found)}" for file, found in exams.items())
    return (f"注意：这几个成绩表的考试名称不同（{each}；取自表头标题或文件名），文件里是 "
            f"{len(names)} 次考试。同一次联考分区、分校的表，请加 --exam 考试名称 重新转换，"
            "否则 qualitykit district 会停下（它一次分析一次考试）。")


def parquet_files(source: str | Path | Sequence[str | Path]) -> list[str]:
    """The Parquet files of a path, a glob or a list of them (sorted; globs expanded)."""
    import glob

    items = [source] if isinstance(source, (str, Path)) else list(source)
    files: list[str] = []
    for item in items:
        text = str(item)
        found = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text]
        if not found or not all(Path(f).is_file() for f in found):
            raise FileNotFoundError(f"找不到 Parquet 文件 {text} (parquet source)；请先用 "
                                    "qualitykit convert 把成绩表转换为 .parquet 文件。")
        files += found
    return files


def parquet_metadata(source) -> dict:
    """The kit's metadata of converted files (``files``: rows read per score file), merged."""
    files: list = []
    con = _connection()
    try:
        for path in parquet_files(source):
            with _duckdb_errors(f"读取 Parquet 文件 {path}", _READ_ADVICE):
                rows = con.execute(f"SELECT value FROM parquet_kv_metadata({_sql_text(path)}) "
                                   f"WHERE decode(key) = {_sql_text(METADATA_KEY)}").fetchall()
            for (value,) in rows:
                files += json.loads(bytes(value).decode("utf-8")).get("files", [])
    finally:
        con.close()
    return {"files": files, "rows_read": sum(int(f.get("rows_read", 0)) for f in files)}


def read_parquet_scores(source) -> pd.DataFrame:
    """A converted Parquet file (or files) as the canonical long table (the pandas engine).

    Read by DuckDB. Text columns come back as text (not categoricals), ``grade`` and
    ``source_row`` as Int64, scores and full marks as float64: the table
    :func:`qualitykit.read_scores` gives.
    """
    files = parquet_files(source)
    con = _connection()
    try:
        with _duckdb_errors(f"读取 Parquet 文件 {'、'.join(files)}", _READ_ADVICE):
            table = con.execute(f"SELECT * FROM read_parquet({_sql_list(files)}, "
                                "union_by_name = true)").df()
    finally:
        con.close()
    out = {}
    for name in table.columns:
        column = table[name]
        if name in _SCORE_COLUMNS:
            out[name] = column.astype(float)
        elif name in INTEGER_COLUMNS:
            out[name] = column.astype("Int64")
        elif name == "level":
            out[name] = column.astype(object).where(column.notna(), None)
        else:
            out[name] = column.astype("str")
    return pd.DataFrame(out)


def _connect(files: list[str], with_totals: bool):
    """A DuckDB connection with the view ``scores`` over the files (and 总分 rows)."""
    con = _connection()
    try:
        con.execute("CREATE TEMP VIEW base AS SELECT * FROM read_parquet("
                    f"{_sql_list(files)}, union_by_name = true, filename = true, "
                    "file_row_number = true)")
        columns = [r[0] for r in con.execute("DESCRIBE base").fetchall()
                   if r[0] not in ("filename", "file_row_number")]
        _check_columns(con, columns)
        select = "SELECT * EXCLUDE (filename, file_row_number) FROM base"
        if with_totals:
            select += f" UNION ALL BY NAME ({_total_rows_sql(columns)})"
        con.execute(f"CREATE TEMP VIEW scores AS {select}")
    except BaseException:
        con.close()
        raise
    return con, columns


def _check_columns(con, columns: list[str]) -> None:
    """The columns every summary reads, and known statuses (as the pandas engine checks)."""
    missing = [c for c in ("score", "status", "full_mark", "subject") if c not in columns]
    if missing:
        raise ValueError(f"Parquet 文件缺少列 {missing} (summary_duckdb)；请用 qualitykit convert "
                         "从成绩表生成。")
    known = ", ".join(f"'{s}'" for s in STATUSES)
    bad = con.execute(f"SELECT DISTINCT status FROM base WHERE status IS NULL "
                      f"OR status NOT IN ({known}) LIMIT 3").fetchall()
    if bad:
        raise ValueError(f"Parquet 文件中有未知的考试状态 {[b[0] for b in bad]} (status)；"
                         f"可用：{'、'.join(STATUSES)}。")


def _total_rows_sql(columns: list[str]) -> str:
    """Each pupil's 总分 as a sat row without a full mark (:func:`with_totals`): the sum of his
    scores with a full mark, on the columns of his first row in the files."""
    if "school" not in columns or "student_id" not in columns:
        raise ValueError("总分需要 school 和 student_id 两列 (with_totals)。")
    keys = ", ".join(f"base.{_quoted(c)}" for c in _TOTAL_KEYS if c in columns)
    by = [k for k in ("exam", "school", "student_id") if k in columns]
    return (f"SELECT p.* EXCLUDE (total_score), p.total_score AS score, '{TOTAL}' AS subject, "
            "'sat' AS status, CAST(NULL AS DOUBLE) AS full_mark FROM ("
            f"SELECT DISTINCT ON (base.school, base.student_id) {keys}, t.total_score FROM base "
            f"JOIN (SELECT {', '.join(by)}, sum(CAST(score AS DOUBLE)) AS total_score FROM base "
            "WHERE status = 'sat' AND score IS NOT NULL AND full_mark IS NOT NULL "
            f"GROUP BY {', '.join(by)}) t USING (school, student_id) "
            "ORDER BY base.school, base.student_id, filename, file_row_number) p")


def _scalar(con, sql: str):
    """The one value of a one-row query (the result fetched to its end)."""
    return con.execute(sql).fetchall()[0][0]


def _duckdb_keys(con, columns: list[str], by) -> list[str]:
    """:func:`qualitykit.schema.group_keys` on the Parquet data: ``school`` before ``class_id``
    when it holds several schools, ``exam`` first when several exams."""
    from ..schema import UNIT_COLUMNS

    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in columns]
    if missing:
        raise ValueError(f"by= 中的列 {missing} 不在成绩表中 (not in scores)；可用的列：{columns}。")
    if "school" not in keys and "school" in columns and _scalar(
            con, "SELECT count(DISTINCT school) FROM base WHERE trim(school) <> ''") > 1:
        pos = next((i for i, k in enumerate(keys) if k in UNIT_COLUMNS), None)
        keys = keys if pos is None else keys[:pos] + ["school"] + keys[pos:]
    if "exam" in columns and "exam" not in keys and _scalar(
            con, "SELECT count(DISTINCT exam) FROM base") > 1:
        keys = ["exam"] + keys
    return keys


def _register_lines(con, columns: list[str], std: Standard) -> None:
    """The table ``cut`` of the pass / excellent / low lines of each distinct full mark ×
    grade (a share of the full mark, by :meth:`Standard.line`, as the pandas engine)."""
    grade = "grade" if "grade" in columns else "CAST(NULL AS BIGINT)"
    pairs = con.execute(f"SELECT DISTINCT CAST(full_mark AS DOUBLE) AS f, {grade} AS g "
                        "FROM scores WHERE full_mark IS NOT NULL").df()
    lines = pd.DataFrame({"f": pairs["f"].astype(float),
                          "g": pd.array(pairs["g"], dtype="Int64")})
    for which in ("pass", "excellent", "low"):
        lines[f"{which}_line"] = [std.line(which, f, None if pd.isna(g) else int(g))
                                  for f, g in zip(lines["f"], lines["g"])]
    con.register("cut", lines)


def _register_levels(con, columns: list[str], std: Standard) -> bool:
    """The table ``lv`` of each written level's code (0 = 优秀 … 3 = 待合格) for sitters with a
    level and no score; False when there are none."""
    if "level" not in columns:
        return False
    written = con.execute("SELECT DISTINCT level FROM scores WHERE status = 'sat' AND "
                          "score IS NULL AND level IS NOT NULL").df()["level"]
    if not len(written):
        return False
    con.register("lv", pd.DataFrame({"level": written.astype(object),
                                     "code": level_codes(written.astype(object), std)}))
    return True


def _rows_sql(columns: list[str], keys: list[str], levels: bool) -> str:
    """Every row with its flags (``sat``, ``passed``, ``excellent``, ``low``, ``full``), ``x``
    (the score of a sitter) and ``code`` (the level of a sitter with a level and no score)."""
    grade = "s.grade" if "grade" in columns else "CAST(NULL AS BIGINT)"
    picked = ", ".join(f"s.{_quoted(k)}" for k in keys)
    level_join = ("LEFT JOIN lv ON s.status = 'sat' AND s.score IS NULL AND s.level = lv.level"
                  if levels else "")
    code = "lv.code" if levels else "CAST(NULL AS DOUBLE)"
    return f"""
        SELECT {picked}, CAST(s.score AS DOUBLE) AS score, CAST(s.full_mark AS DOUBLE) AS fm,
               coalesce(s.status = 'sat' AND s.score IS NOT NULL, false) AS sat,
               cut.pass_line, cut.excellent_line, cut.low_line, {code} AS code
        FROM scores s
        LEFT JOIN cut ON CAST(s.full_mark AS DOUBLE) = cut.f AND {grade} IS NOT DISTINCT FROM cut.g
        {level_join}"""


def _count(condition: str, name: str) -> str:
    """The SQL of a count of rows where ``condition`` holds (an int64 column ``name``)."""
    return f"CAST(count_if({condition}) AS BIGINT) AS {name}"


def _counts_sql(rows: str, keys: list[str], ref_keys: list[str]) -> str:
    """Per group: the counts :func:`summary_from_counts` finishes, with the group's reference
    (its exam × subject)."""
    ref_on = " AND ".join(f"f.{_quoted(c)} IS NOT DISTINCT FROM r.{_quoted(c)}"
                          for c in ref_keys) or "true"
    ref_by = f"GROUP BY {', '.join(_quoted(c) for c in ref_keys)}" if ref_keys else ""
    ref_cols = ", ".join(_quoted(c) for c in ref_keys) + ", " if ref_keys else ""
    eps = "1e-9"
    return f"""
        WITH rows AS ({rows}),
        flags AS (
            SELECT *, CASE WHEN sat THEN score END AS x,
                   coalesce(sat AND score >= pass_line - {eps}, false) AS passed,
                   coalesce(sat AND score >= excellent_line - {eps}, false) AS excellent,
                   coalesce(sat AND score < low_line - {eps}, false) AS low,
                   coalesce(sat AND abs(score - fm) < {eps}, false) AS "full"
            FROM rows),
        ref AS (SELECT {ref_cols} avg(x) AS ref_mean, {_count("passed", "ref_pass")},
                       {_count("sat", "ref_n")} FROM flags {ref_by})
        SELECT {', '.join('f.' + _quoted(c) for c in keys)}, min(fm) AS full_mark,
               count(DISTINCT fm) + max(CASE WHEN fm IS NULL THEN 1 ELSE 0 END) AS n_marks,
               CAST(count(*) AS BIGINT) AS n_enrolled, {_count("sat", "n_sat")},
               avg(x) AS mean, stddev_samp(x) AS sd, median(x) AS median, min(x) AS min,
               max(x) AS max, {_count("passed", "n_pass")}, {_count("excellent", "n_excellent")},
               {_count("low", "n_low")}, {_count('"full"', "n_full")},
               {_count("code IS NOT NULL", "lv_sat")}, {_count("code <= 2", "lv_pass")},
               {_count("code = 0", "lv_excellent")}, any_value(r.ref_mean) AS ref_mean,
               any_value(r.ref_pass) AS ref_pass, any_value(r.ref_n) AS ref_n,
               {_count(f"sat AND x >= r.ref_mean - {eps}", "n_above")}
        FROM flags f LEFT JOIN ref r ON {ref_on}
        GROUP BY {', '.join('f.' + _quoted(c) for c in keys)}"""


def _duckdb_counts(files: list[str], by, std: Standard, with_totals: bool):
    """The per-group counts of :func:`summary_duckdb` and the group keys, counted by DuckDB."""
    con, columns = _connect(files, with_totals)
    try:
        keys = _duckdb_keys(con, columns, by)
        _register_lines(con, columns, std)
        levels = _register_levels(con, columns, std)
        ref_keys = [k for k in ("exam", "subject") if k in keys]
        counts = con.execute(_counts_sql(_rows_sql(columns, keys, levels), keys, ref_keys)).df()
    finally:
        con.close()
    return counts, keys


def _as_pandas_keys(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Key columns with the pandas engine's types (text, Int64 grade), sorted as its
    group-by sorts (missing keys last)."""
    for k in keys:
        counts[k] = counts[k].astype("Int64") if k in INTEGER_COLUMNS else \
            counts[k].astype(object).where(counts[k].notna(), np.nan).astype("str")
    return counts.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)


def _refuse_unsupported(std: Standard) -> None:
    """What the DuckDB engine does not compute (yet): say so instead of a different number."""
    if std.rank_lines:
        raise ValueError("DuckDB 引擎不支持按名次划定的优秀线/及格线 (rank_lines)；"
                         "请用 --engine pandas，或用按满分比例划线的标准。")
    if "all_pass_rate" in std.composite_weights:
        raise ValueError("DuckDB 引擎的综合分不含全科合格率 (composite_weights.all_pass_rate)；"
                         "请用 --engine pandas，或换一个综合分不计全科合格率的标准。")


def summary_duckdb(source, *, by: Sequence[str] | str = ("class_id", "subject"),
                   standard: Standard | str | None = None, confidence: float = 0.95,
                   with_totals: bool = False) -> pd.DataFrame:
    """:func:`qualitykit.summary` computed by DuckDB over Parquet, out of core.

    The rows are read and counted by DuckDB (a province's files need not fit in memory); the
    per-group counts are finished by :func:`summary_from_counts`, as in :func:`summary`. The
    table is the same (same rows, same order, numbers equal to 1e-9).

    Parameters
    ----------
    source : path, glob or list of them
        Parquet files written by :func:`convert_scores`.
    by : column names
        Groups; ``school`` is put before ``class_id`` when the files hold several schools, and
        ``exam`` first when several exams (:func:`qualitykit.schema.group_keys`).
    standard : Standard, preset name or TOML path
        Lines as a share of the full mark (``rank_lines`` and a 综合分 weighing 全科合格率
        are refused: use :func:`summary`).
    confidence : float
    with_totals : bool
        Add each pupil's 总分 as the subject :data:`TOTAL` (the district report's tables:
        :func:`qualitykit.district.schools.with_totals`; one exam per source).

    Returns
    -------
    DataFrame
        :func:`qualitykit.summary`'s columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from qualitykit.district.league_sample import league_sample_path, LEAGUE_SUBJECTS
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "league.parquet"
    >>> _ = convert_scores([league_sample_path()], out, full_marks=LEAGUE_SUBJECTS, log=None)
    >>> s = summary_duckdb(out, by=["school", "subject"])
    >>> s[["school", "subject", "n_sat", "pass_rate"]].head(2)
      school subject  n_sat  pass_rate
    0   城东中学      语文    102   0.745098
    1   城东中学      数学    103   0.679612
    """
    std = get_standard(standard)
    _refuse_unsupported(std)
    files = parquet_files(source)
    with _duckdb_errors(f"读取 Parquet 文件 {'、'.join(files)}", _READ_ADVICE):
        counts, keys = _duckdb_counts(files, by, std, with_totals)
    counts = _as_pandas_keys(counts, keys)
    mixed = counts[counts["n_marks"] > 1]
    if len(mixed):
        first = tuple(mixed.iloc[0][keys])
        raise ValueError(f"同一组内满分不一致 (mixed full marks in a group)：{first}；"
                         "请按科目分组（by 中加入 subject）。")
    return summary_from_counts(counts.drop(columns="n_marks"), keys, standard=std,
                               confidence=confidence)
