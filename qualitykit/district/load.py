"""Reading a 联考 file once: every school kept apart, 参考 counted as the organiser does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io.checked import CHECKED_FOLDER, checked_path, forget_checked, kept
from ..io.checked import keep as keep_checked
from ..io.problems import ImportReport, ScoreFileError, raise_if_errors
from ..schema import sat_mask, schools_in, student_keys
from ..standard import Standard, get_standard
from ..subjects import subjects_in_order
from .league_sample import (
    LEAGUE_EXAMS,
    LEAGUE_SUBJECTS,
    SAMPLE_GROUPS,
    league_sample_path,
)

__all__ = ["DistrictData", "load_district", "parse_groups", "forget_checked", "GROUP",
           "CHECKED_FOLDER"]

#: The column of the school's group (城乡 / 片区) in :attr:`DistrictData.scores`.
GROUP = "area"
@dataclass(frozen=True)
class DistrictData:
    """Everything the district report needs, read and checked once.

    Attributes
    ----------
    scores : DataFrame
        The canonical long table of the 联考 (all schools; ``area`` added when ``groups`` is
        given).
    previous : DataFrame or None
        An earlier 联考 of the same pupils (school value added).
    report : ImportReport
        How the score file was read.
    exam, source : str
        The exam's name; the score file's name (or “联考示例”).
    schools, subjects : list of str
        Schools in the file's order of names; subjects in teaching order.
    standard : Standard
    groups : dict
        School → 片区 / 城乡 group (empty when not given).
    n_sat : int
        参考人数: pupils with a score in at least one subject.
    n_without_scores : int
        Rows of pupils read from the file with no score in any subject (缺考 or on the roster
        only: not 参考), as the file's rows read less :attr:`n_sat`.
    engine : {"pandas", "duckdb"}
        Which engine computes the per-school and per-class 三率一分 tables
        (:func:`qualitykit.district.engine.summary_duckdb` over :attr:`parquet`).
    parquet : tuple of str
        The Parquet files read (``qualitykit convert``), empty for a score sheet.
    """

    scores: pd.DataFrame
    previous: pd.DataFrame | None
    report: ImportReport
    exam: str
    source: str
    schools: list[str]
    subjects: list[str]
    standard: Standard
    groups: dict = field(default_factory=dict)
    n_sat: int = 0
    n_without_scores: int = 0
    engine: str = "pandas"
    parquet: tuple = ()

    @property
    def title(self) -> str:
        """The report's title, e.g. “2025-2026-1 期末 联考分析”."""
        return f"{self.exam} 联考分析"


def parse_groups(groups: Mapping[str, str] | str | Path | None) -> dict[str, str]:
    """School → group from a mapping, ``"甲中=城区,乙中=乡镇"`` or a two-column sheet.

    A sheet (.xlsx/.csv) has a header row with a 学校 and a 片区 (城乡, 区域 …) column, or just
    two columns (school, group); the 联考 file itself serves when it holds a 片区 column.

    >>> parse_groups("甲中=城区，乙中=乡镇")
    {'甲中': '城区', '乙中': '乡镇'}
    """
    if not groups:
        return {}
    if isinstance(groups, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in groups.items()}
    text = str(groups)
    if "=" in text and not Path(text).suffix.lower() in (".xlsx", ".xls", ".csv"):
        pairs = [p.split("=", 1) for p in text.replace("，", ",").split(",") if p.strip()]
        bad = [p[0] for p in pairs if len(p) != 2 or not p[1].strip()]
        if bad:
            raise ValueError(f"分组写法有误：{bad}；应写成 学校=片区，用逗号分开，"
                             "如 甲中=城区,乙中=乡镇 (groups)。")
        return {k.strip(): v.strip() for k, v in pairs}
    return _groups_sheet(Path(text))


#: Headers of the 片区 / 城乡 column in a groups sheet (or in the 联考 file itself).
GROUP_HEADERS = ("片区", "城乡", "城乡类别", "区域", "学区", "分组", "组别", "类别", "地区", "乡镇")


def _groups_sheet(path: Path) -> dict[str, str]:
    """School → group from a sheet: the columns headed 学校 (学校名称, 单位 …) and 片区 (城乡,
    区域 …), or the two columns of a two-column sheet. The 联考 file itself serves when it has
    a 片区 column; a school given two different groups is refused (a wrong column)."""
    from io import StringIO

    from ..io._headers import SCHOOL_ALIASES
    from ..io._textfiles import decode
    from ..io.files import input_file

    path = input_file(path, "groups")
    sheet = pd.read_csv(StringIO(decode(path.read_bytes(), path.name)[0]), dtype=str) \
        if path.suffix.lower() == ".csv" else pd.read_excel(path, dtype=str, engine="calamine")
    headers = [str(c).strip() for c in sheet.columns]
    school = next((i for i, h in enumerate(headers) if h.lower() in SCHOOL_ALIASES), 0)
    group = next((i for i, h in enumerate(headers) if h in GROUP_HEADERS), None)
    if group is None and sheet.shape[1] == 2:
        group = 1 - school
    if group is None or group == school:
        raise ValueError(f"分组表 {path.name} 中找不到片区列 (groups file)：表头应有“学校”和“片区”"
                         f"（或“城乡”“区域”）两列，收到 {'、'.join(headers[:8])}。请把片区那一列的表头"
                         "改为“片区”，或另做一个两列（学校、片区）的表。")
    pairs = sheet.iloc[:, [school, group]].dropna()
    pairs = pairs.set_axis(["school", "group"], axis=1).apply(lambda c: c.str.strip())
    _one_group_each(pairs, path.name, headers[group])
    return dict(zip(pairs["school"], pairs["group"]))


def _one_group_each(pairs: pd.DataFrame, name: str, header: str) -> None:
    """Refuse a school written with two different groups (Excel rows named)."""
    seen = pairs.groupby("school", sort=False)["group"].unique()
    mixed = seen[seen.map(len) > 1]
    if len(mixed):
        school, groups = mixed.index[0], list(mixed.iloc[0])
        rows = [int(i) + 2 for i in pairs.index[(pairs["school"] == school)
                                                 & (pairs["group"] == groups[1])][:3]]
        raise ValueError(
            f"分组表 {name} 的“{header}”列里，{school} 既是“{groups[0]}”又是“{groups[1]}”"
            f"（第 {'、'.join(map(str, rows))} 行等）(one group per school)：每所学校只能属于一个"
            f"片区。请改正这些行；如果“{header}”不是片区列，请把片区那一列的表头改为“片区”。")


def load_district(score_file: str | Path | None = None, *, previous_file: str | Path | None = None,
                  exam: str | None = None, full_marks: Mapping[str, float] | None = None,
                  groups: Mapping[str, str] | str | Path | None = None,
                  standard: Standard | str | None = None,
                  sheet: str | None = None, engine: str = "pandas",
                  checked_dir: str | Path | None = None,
                  keep_checked: bool = False) -> DistrictData:
    """Read a 联考 file (and an earlier one) for the district report.

    Parameters
    ----------
    score_file : path, optional
        The organiser's file with every school's pupils (a 学校 column); None or "": the
        bundled 联考 sample (six schools, 片区 城区 / 乡镇, with its earlier exam).
    previous_file : path, optional
        An earlier 联考 of the same pupils (same 考号): school value added.
    exam : str, optional
        The exam's name (by default from the title row or the file name).
    full_marks : mapping, optional
        Subject → full mark (语数英 are often 150); the standard's own come first.
    groups : mapping, text or path, optional
        School → 片区 / 城乡 (:func:`parse_groups`).
    standard : Standard, preset name or TOML path
    sheet : str, optional
        The sheet of pupils' scores when the workbook has summary sheets beside it (e.g. 分数).
    engine : {"pandas", "duckdb"}
        ``duckdb``: the per-school and per-class 三率一分 tables are computed by DuckDB over
        the Parquet file (``score_file`` a ``.parquet`` written by ``qualitykit convert``; its
        exam and full marks were set when it was converted); either engine reads one.
    checked_dir : path, optional
        The folder where ``qualitykit district`` keeps the tables it read and checked for its
        notebook (in the output folder, removed after the run): a score sheet is read from
        there when it holds this very file (same size, time and content: a SHA-256 of the
        bytes) read with the same options, so the notebook's kernel does not read it again.
    keep_checked : bool
        Write the checked tables into ``checked_dir`` (the command does; the notebook reads).

    Returns
    -------
    DistrictData

    Raises
    ------
    ScoreFileError
        A sheet with errors, a file of a single school, or a group for a school the file does
        not hold.

    Examples
    --------
    >>> d = load_district()
    >>> d.schools[:2], d.n_sat, d.groups["城东中学"]
    (['城东中学', '城西中学'], 526, '城区')
    """
    sample = not score_file
    if sample:
        score_file, previous_file = league_sample_path(), league_sample_path(LEAGUE_EXAMS[0])
        full_marks, groups = {**LEAGUE_SUBJECTS, **(full_marks or {})}, groups or SAMPLE_GROUPS
    std = get_standard(standard)
    marks = std.full_marks_with(dict(full_marks or {}))
    parquet = _parquet_source(score_file, engine, exam, full_marks, sheet)
    kept = {"folder": checked_dir, "keep": keep_checked}
    report, scores = _read_parquet(parquet) if parquet else \
        _read(score_file, exam, marks, sheet, **kept)
    schools = schools_in(scores)
    source = "联考示例" if sample else Path(score_file).name
    _one_exam(scores, source, score_file)
    if len(schools) < 2:
        raise ScoreFileError(f"成绩表 {source} 只有一所学校（{'、'.join(schools) or '未写学校'}），"
                             f"不是联考成绩：联考分析需要“学校”一列分出各校 (one school only)。{_ONE}",
                             file=str(score_file))
    named = parse_groups(groups)
    previous = _read(previous_file, None, marks, sheet, **kept)[1] if previous_file else None
    _same_pupils(scores, previous, previous_file)
    return DistrictData(
        scores=_with_groups(scores, named, source), previous=previous, report=report,
        exam=str(scores["exam"].iloc[0]), source=source, schools=schools,
        subjects=subjects_in_order(scores["subject"].unique()), standard=std, groups=named,
        n_sat=_n_pupils(scores[sat_mask(scores)]),
        n_without_scores=max(0, report.rows_read - _n_pupils(scores[sat_mask(scores)])),
        engine=engine, parquet=tuple(parquet))


def _one_exam(scores: pd.DataFrame, source: str, score_file) -> None:
    """Refuse a table of several exams (a Parquet file converted from 一区.xlsx and 二区.xlsx
    without --exam): each was analysed as its own 联考 — its own lines, ranks and district
    means — under the first one's name."""
    exams = list(dict.fromkeys(scores["exam"].dropna().astype(str)))
    if len(exams) > 1:
        raise ScoreFileError(
            f"{source} 中有 {len(exams)} 次考试（{'、'.join(exams[:6])}）(several exams)：联考分析一次"
            "分析一次考试。如果这是同一次联考分区、分校的表，请在 qualitykit convert 时加 --exam "
            "考试名称（各表同一个名称）重新转换；上一次的联考请另存一个文件，用 --previous 给出。",
            file=str(score_file))


def _same_pupils(scores: pd.DataFrame, previous: pd.DataFrame | None, previous_file) -> None:
    """Refuse an earlier 联考 without one pupil of this one (same school and 考号): the value
    added was an empty table that the report read as “与预期无明显差别” everywhere."""
    if previous is None:
        return
    keys = student_keys(scores, previous)
    now = scores[keys].drop_duplicates()
    if not len(now.merge(previous[keys].drop_duplicates(), on=keys)):
        raise ScoreFileError(
            f"上次联考 {Path(previous_file).name} 与本次没有一名相同的学生（{'+'.join(_KEY_WORDS[k] for k in keys)}"
            "都相同）(no pupil in both exams)：学校增值要用同一批学生两次的成绩。请检查是否选错了"
            "文件，两次的学校名称、考号写法是否一致（如考号换了编排）；不需要增值时去掉 --previous。",
            file=str(previous_file))


_KEY_WORDS = {"school": "学校", "student_id": "考号"}
_ONE = "如果表中有学校一列而表头写的是别的名称，请把表头改为“学校”；一所学校的质量分析请用 qualitykit report。"


def _read(path, exam, marks, sheet, *, folder=None, keep=False) -> tuple[ImportReport,
                                                                          pd.DataFrame]:
    """One 联考 file read and checked (stops on errors), or its checked tables from ``folder``
    (:data:`CHECKED_FOLDER`'s file of the same file and options), written there with ``keep``."""
    from ..io.scores import check_scores

    options = {"exam": exam, "full_marks": marks, "sheet": sheet}
    place = checked_path(folder, [path], options) if folder else None
    done = kept(place) if place is not None else None
    if done is not None:
        return done
    report = check_scores(path, **{k: v for k, v in options.items() if v})
    raise_if_errors(report, path, strict=True)
    if place is not None and keep:
        keep_checked(place, (report, report.data))
    return report, report.data


def _parquet_source(score_file, engine: str, exam, full_marks, sheet) -> list[str]:
    """The Parquet files to read (empty for a score sheet); ``duckdb`` needs them, and the
    options that only apply when a sheet is read are refused (not silently ignored)."""
    if engine not in ("pandas", "duckdb"):
        raise ValueError(f"engine 应为 pandas 或 duckdb，收到 {engine!r}。")
    if not score_file or not str(score_file).lower().endswith(".parquet"):
        if engine == "duckdb":
            raise ScoreFileError(
                "--engine duckdb 读取 Parquet 文件 (engine)：请先运行 qualitykit convert "
                f"{Path(str(score_file or '成绩表.xlsx')).name} --out 联考.parquet，"
                "再用 qualitykit district 联考.parquet --engine duckdb。",
                file=str(score_file or ""))
        return []
    given = [name for name, value in (("--exam", exam), ("--full-marks", full_marks),
                                      ("--sheet", sheet)) if value]
    if given:
        raise ScoreFileError(f"Parquet 文件的考试名称、满分和工作表在 qualitykit convert 时已定 "
                             f"({'、'.join(given)})：请在转换时给出，这里省略。",
                             file=str(score_file))
    from .engine import parquet_files

    return parquet_files(score_file)


def _read_parquet(files: list[str]) -> tuple[ImportReport, pd.DataFrame]:
    """A converted 联考 and its import counts (rows read per score file, from the Parquet
    metadata) as an :class:`ImportReport`."""
    from .engine import parquet_metadata, read_parquet_scores

    scores = read_parquet_scores(files)
    counts = pd.DataFrame(parquet_metadata(files)["files"],
                          columns=["file", "rows_read", "rows_imported", "rows_skipped", "rows"])
    sheets = counts.assign(sheet="", used=True)
    return ImportReport(sheets=sheets, data=scores), scores


def _n_pupils(rows: pd.DataFrame) -> int:
    """Pupils (a pupil within his school) among ``rows``."""
    return len(rows.drop_duplicates(["school", "student_id"]))


def _with_groups(scores: pd.DataFrame, groups: dict[str, str], source: str) -> pd.DataFrame:
    """``scores`` with the :data:`GROUP` column; every school must have a group."""
    if not groups:
        return scores
    schools = schools_in(scores)
    unknown = sorted(set(groups) - set(schools))
    missing = [s for s in schools if s not in groups]
    if unknown or missing:
        raise ScoreFileError(
            f"分组与成绩表 {source} 的学校对不上 (groups)：" +
            (f"表中没有 {'、'.join(unknown)}；" if unknown else "") +
            (f"没有给出 {'、'.join(missing)} 的片区；" if missing else "") +
            f"表中的学校有：{'、'.join(schools)}。请照表中的写法给每所学校写一个片区。")
    return scores.assign(**{GROUP: scores["school"].map(groups)})
