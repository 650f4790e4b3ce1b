"""Admission lines (特控线 / 本科线 or the district's top x %): 上线, 单科有效分, 双上线, 临界生.

A line is given as a score (``特控=700``) or as a share of the sitters ranked by 总分
(``特控=0.05``: the top 5 %; the pupil at rank ⌈0.05 × n⌉ and everyone tied with him are over
it). 总分 is each pupil's sum over the subjects he sat (:func:`qualitykit.student_totals`);
every pupil with a 总分 is a sitter (参考), as 联考 organisers count.

单科有效分 (the subject's "effective" line belonging to a 总分 line), two usual methods:

- 比例法 (``"ratio"``): the subject score at the same rank share as the 总分 line — with
  ``p`` = 总分上线人数 / 参考人数, the score of the subject's pupil at rank ⌈p × n⌉ (ties in);
- 均值法 (``"mean"``): the mean subject score of the pupils at or over the 总分 line.

From it: 单科上线 (subject ≥ its line), 双上线 (单科 and 总分 both over), 命中率 = 双上线 /
单科上线 and 贡献率 = 双上线 / 总分上线. Staff-facing only: pupils' ranks are not for pupils or
parents (DOMAIN.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import check_scores_table, sat_mask, student_keys, unit_keys
from ..subjects import in_teaching_order
from ..term.distribution import student_totals
from ..term.indicators import rank_line, wilson_interval

__all__ = ["AdmissionLine", "parse_lines", "line_scores", "admission_lines",
           "effective_scores", "critical_students", "EFFECTIVE_METHODS"]

EFFECTIVE_METHODS = ("ratio", "mean", "given")


@dataclass(frozen=True)
class AdmissionLine:
    """One admission line: a name and either a score or a share of the sitters (top share).

    >>> AdmissionLine("特控", share=0.05)
    AdmissionLine(name='特控', score=None, share=0.05)
    """

    name: str
    score: float | None = None
    share: float | None = None

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValueError("分数线要有名称，如 特控=700 中的“特控”。")
        if (self.score is None) == (self.share is None):
            raise ValueError(f"分数线“{self.name}”应给出分数 (score) 或比例 (share) 之一。")
        if self.share is not None and not 0 < self.share < 1:
            raise ValueError(f"分数线“{self.name}”的比例应在 0 与 1 之间（如 0.05 或 5% 表示前 5%）；"
                             f"收到 {self.share!r}。")
        if self.score is not None and not (math.isfinite(self.score) and self.score > 0):
            raise ValueError(f"分数线“{self.name}”应为大于 0 的分数（如 700）或比例（如 0.05 即"
                             f"前 5%）；收到 {self.score:g}（线为 0 时人人上线）。")


def _one_line(name: str, value) -> AdmissionLine:
    if isinstance(value, str):
        text = value.strip()
        percent = text.endswith(("%", "％"))
        try:
            number = float(text.rstrip("%％"))
        except ValueError:
            raise ValueError(f"分数线“{name}”的值“{value}”不是数字；写成 特控=700（分数）或 "
                             "特控=0.05 / 特控=5%（前 5%）。") from None
        value = number / 100 if percent else number
    value = float(value)
    return AdmissionLine(name, share=value) if 0 < value < 1 else AdmissionLine(name, score=value)


def parse_lines(lines) -> tuple[AdmissionLine, ...]:
    """Lines from ``"特控=0.05,本科=0.40"``, ``"特控=700"``, a mapping or AdmissionLine objects.

    A value below 1 (or written with %) is a share of the sitters from the top; 1 or more is a
    score. Full-width ＝ ， ％ are accepted.

    >>> [(x.name, x.score, x.share) for x in parse_lines("特控＝700，本科=40%")]
    [('特控', 700.0, None), ('本科', None, 0.4)]
    """
    if isinstance(lines, AdmissionLine):
        return (lines,)
    if isinstance(lines, str):
        pairs = []
        for part in re.split(r"[,，;；]", lines.replace("＝", "=")):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                raise ValueError(f"分数线的写法应为 名称=分数 或 名称=比例，如 特控=700 或 "
                                 f"本科=0.40；收到“{part.strip()}”。")
            pairs.append((name.strip(), value))
        out = tuple(_one_line(n, v) for n, v in pairs)
    elif isinstance(lines, Mapping):
        out = tuple(_one_line(str(n), v) for n, v in lines.items())
    else:
        out = tuple(x if isinstance(x, AdmissionLine) else _one_line(*x) for x in lines)
    if not out:
        raise ValueError("没有给出分数线 (lines)：写成 特控=700 或 特控=0.05,本科=0.40。")
    names = [x.name for x in out]
    if len(set(names)) < len(names):
        raise ValueError(f"分数线名称重复：{names}；每条线的名称应不同。")
    return out


def _totals(scores: pd.DataFrame, subjects: Sequence[str] | None) -> pd.DataFrame:
    check_scores_table(scores, where="admission_lines")
    totals = student_totals(scores, rank_among="all", subjects=subjects)
    if totals.empty:
        raise ValueError("成绩表中没有参考学生的成绩，无法划线 (no sitters)。")
    return totals


def _exams(totals: pd.DataFrame) -> list:
    return list(dict.fromkeys(totals["exam"])) if "exam" in totals else [None]


def _of_exam(table: pd.DataFrame, exam) -> pd.Series:
    return table["exam"].eq(exam) if exam is not None else pd.Series(True, index=table.index)


def line_scores(totals: pd.DataFrame, lines) -> pd.DataFrame:
    """Each line in points, per exam: a share becomes the 总分 of the last pupil inside it.

    Returns
    -------
    DataFrame
        ``exam`` (when present), ``line_name``, ``line_share`` (as given, or empty),
        ``line_score``.
    """
    rows = []
    for exam in _exams(totals):
        total = totals.loc[_of_exam(totals, exam), "total"]
        for line in parse_lines(lines):
            score = line.score if line.share is None else rank_line(total, line.share)
            rows.append({"exam": exam, "line_name": line.name,
                         "line_share": np.nan if line.share is None else line.share,
                         "line_score": float(score)})
    out = pd.DataFrame(rows)
    return out if "exam" in totals else out.drop(columns="exam")


def _with_lines(totals: pd.DataFrame, lines) -> pd.DataFrame:
    """One row per pupil × line: the pupil's 总分 and rank, the line, and ``over``."""
    table = line_scores(totals, lines)
    on = ["exam"] if "exam" in totals else []
    joined = totals.merge(table, on=on, how="left") if on else totals.merge(table, how="cross")
    joined["over"] = joined["total"] >= joined["line_score"] - 1e-9
    return joined


def admission_lines(scores: pd.DataFrame, *, lines, by: Sequence[str] | str = ("school",),
                    subjects: Sequence[str] | None = None,
                    confidence: float = 0.95) -> pd.DataFrame:
    """上线人数 and 上线率 per group and line.

    Parameters
    ----------
    scores : DataFrame
        Canonical long scores of the whole 联考 (:func:`qualitykit.read_scores`).
    lines : str, mapping or AdmissionLine objects
        ``"特控=0.05,本科=0.40"`` (top shares of the sitters) or scores ``"特控=700"``
        (:func:`parse_lines`). Shares are taken over the whole table (the district).
    by : column names
        Groups, e.g. ``("school",)`` (default), ``("school", "class_id")``, or ``()`` for the
        whole district. A class is named within its school.
    subjects : list of str, optional
        The subjects of 总分 (default: every subject a pupil sat).
    confidence : float
        Level of the Wilson interval of 上线率.

    Returns
    -------
    DataFrame
        ``exam`` (when present), the ``by`` keys, ``line_name``, ``line_share`` (the share as
        given, or empty for a score line), ``line_score``, ``n_sat`` (pupils with a 总分),
        ``n_over`` (总分 ≥ line), ``over_rate``, ``over_rate_low``, ``over_rate_high``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> t = admission_lines(s, lines="前10%=0.10", by=())
    >>> int(t["n_over"].iloc[0]) >= 0.10 * int(t["n_sat"].iloc[0])
    True
    """
    joined = _with_lines(_totals(scores, subjects), lines)
    keys = unit_keys(joined, [by] if isinstance(by, str) else list(by))
    keys = (["exam"] if "exam" in joined else []) + [k for k in keys if k != "exam"]
    missing = [k for k in keys if k not in joined.columns]
    if missing:
        raise ValueError(f"by= 中的列 {missing} 不在成绩表中；可用：school、class_id 等。")
    out = joined.groupby([*keys, "line_name"], sort=False, dropna=False).agg(
        line_share=("line_share", "first"), line_score=("line_score", "first"),
        n_sat=("total", "size"), n_over=("over", "sum")).reset_index()
    out["over_rate"] = out["n_over"] / out["n_sat"]
    out["over_rate_low"], out["over_rate_high"] = wilson_interval(out["n_over"], out["n_sat"],
                                                                  confidence)
    order = {x.name: i for i, x in enumerate(parse_lines(lines))}
    out = out.sort_values(["line_name", *keys], key=lambda c: c.map(order)
                          if c.name == "line_name" else c, kind="stable")
    return out[[*keys, "line_name", "line_share", "line_score", "n_sat", "n_over", "over_rate",
                "over_rate_low", "over_rate_high"]].reset_index(drop=True)


def _one_total_line(line) -> AdmissionLine:
    if isinstance(line, (int, float)) and not isinstance(line, bool):
        return AdmissionLine("总分线", score=float(line))
    parsed = parse_lines(line)
    if len(parsed) != 1:
        raise ValueError(f"单科有效分只对一条总分线计算，收到 {len(parsed)} 条："
                         f"{[x.name for x in parsed]}；请用 line= 指定一条，如 line=\"特控=700\"。")
    return parsed[0]


def _subject_rows(scores: pd.DataFrame, totals: pd.DataFrame,
                  subjects: Sequence[str] | None) -> pd.DataFrame:
    """The sitters' subject rows of 总分, each with the pupil's 总分 line columns."""
    rows = scores[sat_mask(scores, with_full_mark=True)]
    if subjects:
        rows = rows[rows["subject"].isin(list(subjects))]
    on = [k for k in ("exam", *student_keys(scores)) if k in rows.columns]
    cols = [*on, "total", "line_name", "line_score", "over"]
    return rows.merge(totals[cols], on=on, how="inner", validate="many_to_one")


def _subject_line(x: pd.DataFrame, method: str, share: float,
                  given: Mapping[str, float] | None) -> float:
    """The 单科有效分 of one exam × subject (``x``: its sitters' rows with ``over``)."""
    if method == "ratio":  # nobody over the 总分 line: no share, no line
        return rank_line(x["score"], share) if share > 0 else np.nan
    if method == "mean":
        over = x.loc[x["over"], "score"]
        return float(over.mean()) if len(over) else np.nan
    return float(given[x["subject"].iloc[0]])


def _known_lines(given: Mapping[str, float], rows: pd.DataFrame) -> Mapping[str, float]:
    """The given subject lines, each a subject of the table (only those subjects are counted)."""
    unknown = [k for k in given if k not in set(rows["subject"])]
    if unknown:
        raise ValueError(f"subject_lines 中的科目 {unknown} 不在成绩表中（或没有人参考）；"
                         f"表中的科目：{list(dict.fromkeys(rows['subject']))}。")
    return given


def _effective_lines(rows: pd.DataFrame, totals: pd.DataFrame, method: str,
                     given: Mapping[str, float] | None) -> pd.DataFrame:
    """``effective_line`` per exam × subject, added to every row."""
    keys = [k for k in ("exam", "subject") if k in rows.columns]
    share = totals.groupby([k for k in ("exam",) if k in totals] or (lambda _: 0))["over"].mean()
    lines = {}
    for ident, group in rows.groupby(keys, sort=False):
        ident = ident if isinstance(ident, tuple) else (ident,)
        exam_share = share.iloc[0] if "exam" not in keys else share[ident[0]]
        lines[ident] = _subject_line(group, method, exam_share, given)
    index = pd.MultiIndex.from_frame(rows[keys]) if len(keys) > 1 else rows[keys[0]]
    rows = rows.assign(effective_line=pd.Series(lines).reindex(index).to_numpy(float))
    rows["over_subject"] = rows["score"] >= rows["effective_line"] - 1e-9
    rows["double"] = rows["over_subject"] & rows["over"]
    return rows


def effective_scores(scores: pd.DataFrame, *, line, method: str = "ratio",
                     subject_lines: Mapping[str, float] | None = None,
                     by: Sequence[str] | str = ("school",),
                     subjects: Sequence[str] | None = None) -> pd.DataFrame:
    """单科有效分 of one 总分 line, with 单科上线, 双上线, 命中率 and 贡献率 per group × subject.

    Parameters
    ----------
    scores : DataFrame
        Canonical long scores of the whole 联考.
    line : str, AdmissionLine or number
        The 总分 line: ``"特控=700"``, ``"特控=0.05"`` (top 5 %) or a score.
    method : {"ratio", "mean", "given"}
        比例法 (default), 均值法, or the lines in ``subject_lines`` (an organiser's own).
        The output says which (``effective_method``).
    subject_lines : mapping, optional
        Subject → 有效分, for ``method="given"`` (given alone, it sets that method); only
        these subjects are counted.
    by : column names
        Groups (default ``("school",)``; ``()`` for the district).
    subjects : list of str, optional
        The subjects of 总分 (default: every subject a pupil sat).

    Returns
    -------
    DataFrame
        ``exam`` (when present), the ``by`` keys, ``subject``, ``effective_method``,
        ``line_name``, ``total_line``, ``effective_line``, ``n_sat`` (the subject's sitters with a
        总分), ``n_over_total`` (of them, 总分 ≥ line), ``n_over_subject`` (单科上线),
        ``n_double`` (双上线), ``hit_rate`` (命中率 = n_double / n_over_subject),
        ``contribution_rate`` (贡献率 = n_double / n_over_total).

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> e = effective_scores(s, line="前20%=0.2", by=())
    >>> e[["subject", "effective_method"]].values[0].tolist()
    ['语文', 'ratio']
    """
    if subject_lines is not None and method == "ratio":
        method = "given"
    if method not in EFFECTIVE_METHODS:
        raise ValueError(f"method（有效分算法）应为 {EFFECTIVE_METHODS} 之一（比例法、均值法、给定），"
                         f"收到 {method!r}。")
    if method == "given" and not subject_lines:
        raise ValueError("method=\"given\" 需要 subject_lines（各科有效分，如 {\"语文\": 108}）。")
    totals = _with_lines(_totals(scores, subjects), (_one_total_line(line),))
    rows = _subject_rows(scores, totals, subjects)
    if method == "given":
        rows = rows[rows["subject"].isin(list(_known_lines(subject_lines, rows)))]
    rows = _effective_lines(rows, totals, method, subject_lines)
    keys = unit_keys(rows, [by] if isinstance(by, str) else list(by))
    keys = (["exam"] if "exam" in rows else []) + [k for k in keys if k not in ("exam", "subject")]
    out = rows.groupby([*keys, "subject"], sort=False, dropna=False).agg(
        line_name=("line_name", "first"), total_line=("line_score", "first"),
        effective_line=("effective_line", "first"), n_sat=("score", "size"),
        n_over_total=("over", "sum"), n_over_subject=("over_subject", "sum"),
        n_double=("double", "sum")).reset_index()
    out.insert(len(keys) + 1, "effective_method", method)
    out["hit_rate"] = out["n_double"] / out["n_over_subject"].where(out["n_over_subject"] > 0)
    out["contribution_rate"] = out["n_double"] / out["n_over_total"].where(out["n_over_total"] > 0)
    return in_teaching_order(out.sort_values(keys, kind="stable"), [*keys, "subject"])


def _band_ranks(band: float, n_sat: pd.Series) -> np.ndarray:
    """How many ranks a 临界 band spans (per row): a share of the sitters (< 1) or a number
    of ranks."""
    if not band > 0:
        raise ValueError(f"band（临界生的名次范围）应大于 0：写比例如 0.05（参考人数的 5%），"
                         f"或名次数如 100；收到 {band!r}。")
    if band < 1:
        return np.maximum(1, np.ceil(band * n_sat.to_numpy(float) - 1e-9))
    if band != int(band):
        raise ValueError(f"band 为名次数时应为整数（如 100）；收到 {band!r}。")
    return np.full(len(n_sat), float(band))


def critical_students(scores: pd.DataFrame, *, lines, band: float = 0.05,
                      subjects: Sequence[str] | None = None) -> pd.DataFrame:
    """临界生: the pupils ranked within ``band`` of each line, just over it and just under it.

    For a line with ``n_over`` pupils at or over it (so the last of them is at rank ``n_over``
    or better), the band takes the pupils over the line ranked after ``n_over − k`` (线上临界,
    at risk of falling) and the pupils under it ranked up to ``n_over + k`` (线下临界, within
    reach), with ``k`` ranks: ``band × 参考人数`` rounded up for a share, or ``band`` itself.
    A staff list (DOMAIN.md: no ranks shown to pupils or parents).

    Parameters
    ----------
    scores : DataFrame
        Canonical long scores of the whole 联考.
    lines : str, mapping or AdmissionLine objects
        As for :func:`admission_lines`.
    band : float
        A share of the sitters (below 1, default 0.05) or a whole number of ranks.
    subjects : list of str, optional
        The subjects of 总分.

    Returns
    -------
    DataFrame
        One row per pupil × line: ``exam``, ``school``, ``student_id``, ``name``, ``class_id``
        (those present), ``total``, ``rank`` (competition rank of 总分, 1 = highest),
        ``line_name``, ``line_score``, ``side`` (``"above"`` 线上 or ``"below"`` 线下),
        ``distance`` (总分 − line), ``rank_gap`` (rank − ``n_over``: ≤ 0 over the line).
        Sorted by line, then rank.
    """
    joined = _with_lines(_totals(scores, subjects), lines)
    groups = ["exam", "line_name"] if "exam" in joined else ["line_name"]
    n_over = joined.groupby(groups, sort=False)["over"].transform("sum")
    n_sat = joined.groupby(groups, sort=False)["total"].transform("size")
    k = _band_ranks(band, n_sat)
    gap = joined["rank"].astype(float) - n_over
    inside = np.where(joined["over"], gap > -k, gap <= k)
    out = joined.assign(side=np.where(joined["over"], "above", "below"),
                        distance=joined["total"] - joined["line_score"],
                        rank_gap=gap.astype(int))[inside]
    order = {x.name: i for i, x in enumerate(parse_lines(lines))}
    out = out.sort_values(["line_name", "rank"], key=lambda c: c.map(order)
                          if c.name == "line_name" else c, kind="stable")
    cols = [c for c in ("exam", "school", "student_id", "name", "class_id") if c in out]
    return out[[*cols, "total", "rank", "line_name", "line_score", "side", "distance",
                "rank_gap"]].reset_index(drop=True)
