"""上线分析.xlsx: the ``qualitykit lines`` workbook (lines, 上线 by school and class, 单科有效分 with
双上线, 临界生, and 等级赋分 when asked), and the Chinese lines the command prints.

The figures come from :mod:`qualitykit.district.lines` and :mod:`qualitykit.district.scaling`;
this module only arranges them into sheets with Chinese headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io.excel import write_sheets
from ..io.files import workbook_path
from ..labels import to_display
from ..subjects import canonical_subject
from ..term.load import mask_names
from ..schema import schools_in
from .lines import admission_lines, critical_students, effective_scores, parse_lines
from .schools import in_file_order
from .scaling import get_scheme, scaled_scores, scaling_bands

__all__ = ["LinesRequest", "parse_subject_lines", "lines_workbook", "METHOD_TEXT",
           "admission_tables", "effective_tables", "effective_line_text", "line_notes",
           "result_lines"]

METHOD_TEXT = {
    "ratio": "比例法：与总分线相同的上线比例在该科所对应的分数（该科名次 ⌈比例 × 参考人数⌉ 的分数）",
    "mean": "均值法：总分上线学生该科的平均分",
    "given": "给定：按命令行 --subject-lines 给出的各科有效分",
}


@dataclass(frozen=True)
class LinesRequest:
    """What ``qualitykit lines`` was asked for (parsed options)."""

    lines: str
    effective_line: str | None = None
    method: str = "ratio"
    subject_lines: dict[str, float] = field(default_factory=dict)
    band: float = 0.05
    scale: str | None = None
    scale_subjects: Sequence[str] | None = None
    total_subjects: Sequence[str] | None = None
    mask: bool = False


def parse_subject_lines(text: str | None) -> dict[str, float]:
    """``语文=108,数学=94`` → {"语文": 108.0, "数学": 94.0} (subject aliases and full-width
    punctuation accepted).

    >>> parse_subject_lines("语文＝108，数=94")
    {'语文': 108.0, '数学': 94.0}
    """
    out: dict[str, float] = {}
    for part in (text or "").replace("，", ",").replace("＝", "=").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        subject = canonical_subject(name.strip())
        if not sep or subject is None:
            raise ValueError(f"--subject-lines 的写法应为 科目=有效分，如 语文=108,数学=94；"
                             f"收到“{part.strip()}”。")
        try:
            out[subject] = float(value)
        except ValueError:
            raise ValueError(f"--subject-lines 中 {subject} 的有效分“{value}”不是数字。") from None
    return out


def effective_line_text(request: LinesRequest) -> str:
    """The one line of ``--lines`` that 单科有效分 is computed for (as ``名称=值``)."""
    parsed = parse_lines(request.lines)
    name = request.effective_line or parsed[0].name
    chosen = [x for x in parsed if x.name == name]
    if not chosen:
        raise ValueError(f"--effective-line 的“{name}”不是 --lines 中的分数线"
                         f"（{'、'.join(x.name for x in parsed)}）。")
    line = chosen[0]
    return f"{line.name}={line.score if line.share is None else line.share:g}"


def admission_tables(scores: pd.DataFrame, request: LinesRequest, schools: bool) -> dict:
    """分数线 (the district), 上线_学校 (when ``schools``), 上线_班级, 临界生: sheet name →
    table with identifier columns (:func:`admission_lines`, :func:`critical_students`)."""
    lines, subjects = request.lines, request.total_subjects
    sheets = {"分数线": admission_lines(scores, lines=lines, by=(), subjects=subjects)}
    if schools:
        sheets["上线_学校"] = in_file_order(admission_lines(
            scores, lines=lines, by="school", subjects=subjects), schools_in(scores))
    if "class_id" in scores:
        sheets["上线_班级"] = in_file_order(admission_lines(
            scores, lines=lines, by="class_id", subjects=subjects), schools_in(scores))
    critical = critical_students(scores, lines=lines, band=request.band, subjects=subjects)
    sheets["临界生"] = mask_names(critical) if request.mask else critical
    return sheets


def effective_tables(scores: pd.DataFrame, request: LinesRequest, schools: bool) -> dict:
    """单科有效分 (district, and by school when ``schools``), and both methods side by side
    (有效分两种算法): sheet name → table with identifier columns (:func:`effective_scores`)."""
    line = effective_line_text(request)
    options = {"line": line, "method": request.method, "subjects": request.total_subjects,
               "subject_lines": request.subject_lines or None}
    sheets = {"单科有效分": effective_scores(scores, by=(), **options)}
    if schools:
        sheets["单科有效分_学校"] = in_file_order(effective_scores(scores, by="school", **options),
                                             schools_in(scores))
    both = [effective_scores(scores, line=line, method=m, by=(),
                             subjects=request.total_subjects) for m in ("ratio", "mean")]
    keys = [k for k in ("exam", "subject") if k in both[0]]
    sheets["有效分两种算法"] = both[0][[*keys, "line_name", "total_line"]].assign(
        ratio_line=both[0]["effective_line"].to_numpy(),
        mean_line=both[1]["effective_line"].round(2).to_numpy())
    return sheets


def _scaling_sheets(scores: pd.DataFrame, request: LinesRequest) -> dict:
    if not request.scale:
        return {}
    scaled = scaled_scores(scores, scheme=request.scale, subjects=request.scale_subjects)
    cols = [c for c in ("exam", "school", "class_id", "student_id", "name", "subject", "score",
                        "scale_band", "raw_high", "raw_low", "scaled_high", "scaled_low",
                        "scaled_exact", "scaled") if c in scaled]
    pupils = scaled[cols]
    return {"赋分区间": scaling_bands(scaled, scheme=request.scale),
            "赋分": mask_names(pupils) if request.mask else pupils}


def _band_text(band: float) -> str:
    """``0.05`` → "参考人数的 5%"; ``100`` → "100 个名次"."""
    return f"参考人数的 {band:.4g}".replace(f"{band:.4g}", f"{band * 100:.4g}%") if band < 1 \
        else f"{band:g} 个名次"


def line_notes(request: LinesRequest) -> pd.DataFrame:
    """The 说明 sheet: how each line is set, the 有效分 method, 双上线, 临界生 (项目, 说明)."""
    method = "given" if request.subject_lines else request.method
    rows = [("分数线", request.lines + "（小于 1 的数为参考人数中从高到低的比例，其余为分数）"),
            ("单科有效分对应的总分线", effective_line_text(request)),
            ("单科有效分算法", METHOD_TEXT[method]),
            ("双上线", "总分与该科都达到线（总分 ≥ 总分线，且该科 ≥ 单科有效分）"),
            ("命中率 / 贡献率", "双上线人数 ÷ 单科上线人数 / 双上线人数 ÷ 总分上线人数"),
            ("临界生", f"名次在每条线上、线下各 {_band_text(request.band)} 以内的学生"
                     "（线上的易滑落，线下的可冲线）"),
            ("参考人数", "有总分（至少一科有成绩）的学生；缺考科目不计入总分"),
            ("用途", "供教研员、学校内部使用：名次不向学生和家长公布")]
    if request.scale:
        scheme = get_scheme(request.scale)
        rows.append(("等级赋分方案", f"{scheme.name}：{scheme.source}"))
    return pd.DataFrame(rows, columns=["项目", "说明"])


def lines_workbook(scores: pd.DataFrame, out: str | Path, request: LinesRequest) -> dict:
    """Compute every table of the request and write 上线分析.xlsx into folder ``out`` (or
    to ``out`` itself when it names an .xlsx file: :func:`qualitykit.io.files.workbook_path`).

    Returns
    -------
    dict
        ``path`` (the workbook) and the computed tables by sheet name (identifier columns).
    """
    schools = "school" in scores and scores["school"].nunique() > 0
    tables = {**admission_tables(scores, request, schools),
              **effective_tables(scores, request, schools), **_scaling_sheets(scores, request)}
    shown = {"说明": line_notes(request)}
    for name, table in tables.items():
        shown[name] = to_display(table, digits=2, intervals=True).rename(
            columns={"ratio_line": "比例法有效分", "mean_line": "均值法有效分"})
    path = write_sheets(workbook_path(out, "上线分析.xlsx"), shown)
    return {"path": path, **tables}


def result_lines(result: dict, request: LinesRequest) -> list[str]:
    """What ``qualitykit lines`` prints: each line with its score and count, the 单科有效分 with
    the method named, the 临界生 count, and the workbook's path."""
    out = ["分数线（全体参考学生）："]
    for row in result["分数线"].itertuples():
        given = f"前 {row.line_share:.0%}" if row.line_share == row.line_share else "给定分数"
        out.append(f"  {row.line_name}（{given}）：{row.line_score:g} 分，"
                   f"上线 {row.n_over} / {row.n_sat} 人（{row.over_rate:.1%}）")
    effective = result["单科有效分"]
    method = effective["effective_method"].iloc[0] if len(effective) else request.method
    out.append(f"单科有效分（{METHOD_TEXT[method].split('：')[0]}，对应 "
               f"{effective_line_text(request)}）：" + "，".join(
                   f"{r.subject} {r.effective_line:.4g}" for r in effective.itertuples()))
    out.append(f"临界生：{len(result['临界生'])} 人次（名次在每条线上、线下各 "
               f"{_band_text(request.band)} 以内）")
    if "赋分" in result:
        scaled = result["赋分"]
        out.append(f"等级赋分（{request.scale}）：{scaled['subject'].nunique()} 科，"
                   f"{len(scaled)} 人次")
    out.append(f"已保存：{Path(result['path']).resolve()}")
    return out
