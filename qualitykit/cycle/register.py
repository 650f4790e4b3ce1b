"""质量目标与整改台账: the workbook a school keeps term after term (纠正和预防措施记录).

The file has five sheets, each with Chinese headers:

- ``整改台账`` (:data:`ROW_COLUMNS`): one row per 存在问题. Rows are prefilled from the term
  analysis's findings (:func:`qualitykit.findings`) with their evidence, a unit (班级 × 科目,
  教师 × 科目 or 年级 × 科目) and the indicator the problem is about. Teachers fill 措施,
  责任人, 期限 and 目标 (:func:`~qualitykit.cycle.goals.parse_target` reads it), may add rows
  of their own (a problem the data did not show, a teacher's target) and columns of their own.
  The program keeps 状态 and the latest 回头看 columns.
- ``回头看`` (:data:`REVIEW_COLUMNS`): one row per problem × later exam, what
  :func:`qualitykit.review` found.
- ``两率名次``: every class's and teacher's 及格率 and 优秀率 positions at each later exam and the
  change since the exam before.
- ``历次数值``: every unit measured at every exam of the file (counts, mean, sd, ranks: the
  numbers a later 回头看 compares with, so that it needs no earlier score file).
- ``说明``.

Re-running with the same exam changes nothing (its rows are matched and its numbers
replaced); a later exam adds rows; teachers' cells and columns are kept; no row is ever
dropped. Rows are matched by 编号 (written by the program; a row typed without one gets one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .goals import INDICATORS, UNIT_KINDS, TargetError, parse_target

__all__ = ["Register", "RegisterError", "update_register", "problem_rows", "complete_rows",
           "ROW_COLUMNS",
           "REVIEW_COLUMNS", "RANK_COLUMNS", "TEACHER_COLUMNS", "SHEETS"]

#: Identifier → the header of the 整改台账 sheet.
ROW_COLUMNS = {
    "row_id": "编号", "created": "提出考试", "topic": "问题类别", "subject": "科目",
    "unit_kind": "单位类型", "unit": "单位", "indicator": "指标", "evidence": "存在问题（依据）",
    "measure": "措施（填写）", "owner": "责任人（填写）", "deadline": "期限（填写）",
    "target": "目标（填写）", "status": "状态", "last_review": "最近回头看", "last_value": "现值",
    "last_verdict": "目标达成情况", "last_change": "问题是否改善", "action": "处理",
}
#: The cells teachers type (never overwritten).
TEACHER_COLUMNS = ("measure", "owner", "deadline", "target")
#: Identifier → the header of the 回头看 sheet (values as a person reads them).
REVIEW_COLUMNS = {
    "seq": "序号", "exam": "回头看考试", "row_id": "编号", "baseline": "起始考试", "subject": "科目",
    "unit_kind": "单位类型", "unit": "单位", "indicator": "指标", "target": "目标",
    "baseline_value": "起始值", "value": "现值", "value_interval": "现值区间",
    "judged": "目标所看数值", "judged_interval": "其区间", "verdict": "目标达成情况",
    "note": "说明", "change": "与起始考试比", "change_interval": "变化区间",
    "improvement": "问题是否改善", "action": "处理",
}
#: Identifier → the header of the 两率名次 sheet.
RANK_COLUMNS = {
    "seq": "序号", "exam": "考试", "prev_exam": "上次考试", "unit_kind": "单位类型", "unit": "单位",
    "subject": "科目", "prev_pass_rank": "上次及格率名次", "pass_rank": "及格率名次",
    "pass_rank_change": "及格率名次变化（正为上升）", "prev_excellent_rank": "上次优秀率名次",
    "excellent_rank": "优秀率名次", "excellent_rank_change": "优秀率名次变化（正为上升）",
    "n_units": "参评数",
}
_MEASURE_HEADERS = {
    "seq": "序号", "exam": "考试", "unit_kind": "单位类型", "unit": "单位", "subject": "科目",
    "n_sat": "实考人数", "mean": "平均分", "sd": "标准差", "n_pass": "及格人数",
    "n_excellent": "优秀人数", "n_low": "低分人数", "pass_rate": "及格率", "excellent_rate": "优秀率",
    "low_rate": "低分率", "pass_rank": "及格率名次", "excellent_rank": "优秀率名次",
    "low_rank": "低分率名次", "mean_rank": "平均分名次", "n_units": "参评数",
}
SHEETS = ("整改台账", "回头看", "两率名次", "历次数值", "说明")
#: Topic of a finding → (unit kind, indicator) of its row.
_TOPICS = {"低分率": ("class", "low_rate"), "优秀率": ("class", "excellent_rate"),
           "合格率": ("grade", "pass_rate"), "班级差异": ("class", "mean")}
_HELP = pd.DataFrame({"说明": [
    "本文件由 qualitykit 生成和更新：qualitykit register 成绩表 --out 本文件（记录存在问题），"
    "qualitykit review 本文件 下次的成绩表（回头看）。",
    "“整改台账”每个问题一行：请填写“措施”“责任人”“期限”“目标”四列；可以在最后新增自己的问题行"
    "（编号留空，程序会补上；填写科目、单位类型、单位、指标、目标），也可以在右边增加自己的列，更新时都会保留。",
    "目标的写法：及格率≥90%、低分率≤5%、优秀率+5（提高 5 个百分点）、低分率下降3个百分点、"
    "平均分提高2分、位次上升2（在同科目的班级或教师中的名次）。本行“指标”已写明时可只写 ≥90%、+5、位次上升2。",
    "单位类型：班级（单位写 5-1 或 五(1)班）、教师（单位写教师姓名，需要教学编排表）、年级（单位写 年级）。",
    "请不要修改“编号”“提出考试”两列，也不要删除行：回头看按编号对应，达成的问题状态为“已达成”。",
    "回头看：目标达成情况按现值判断；现值未达到但目标在其 95% 区间内时写“未达成，但差距在偶然波动范围内”。"
    "“问题是否改善”比较现在与起始考试（提出考试，或上次标为重新制定的考试），变化的区间不含 0 才算超出偶然波动。",
    "处理：达成 → 完成；没有填写目标 → 补填目标；未达成但问题已明显改善 → 继续；其余 → 重新制定"
    "（请修改措施和目标，下次回头看从这次考试起重新判断）；本次成绩中找不到该班级或教师 → 待核对。",
    "两率名次：每个班级和教师的及格率名次、优秀率名次，与上一次考试相比（正数为上升）。"
    "历次数值是每次考试各单位的人数、均分和比率，回头看用它比较，请勿修改。",
]})


class RegisterError(ValueError):
    """The 台账 cannot be used as it is (the message names the sheet, the row and the fix)."""


@dataclass(frozen=True)
class Register:
    """A 质量目标与整改台账: ``rows`` (:data:`ROW_COLUMNS` and the school's own columns),
    ``reviews`` (:data:`REVIEW_COLUMNS`), ``ranks`` (:data:`RANK_COLUMNS`) and ``values``
    (``seq``, ``exam`` and :data:`~qualitykit.cycle.goals.MEASURE_COLUMNS`)."""

    rows: pd.DataFrame
    reviews: pd.DataFrame
    ranks: pd.DataFrame
    values: pd.DataFrame

    @classmethod
    def empty(cls) -> Register:
        return cls(*(pd.DataFrame(columns=list(c)) for c in (
            ROW_COLUMNS, REVIEW_COLUMNS, RANK_COLUMNS, _MEASURE_HEADERS)))

    @property
    def exams(self) -> list[str]:
        """The exams of the file, in the order they were added."""
        return list(self.values.sort_values("seq")["exam"].drop_duplicates())

    @classmethod
    def read(cls, path: str | Path) -> Register:
        """Read a 台账 written by :meth:`write` (and edited by teachers)."""
        from ..lists.tracking import from_headers

        path = Path(path)
        sheets = _sheets(path)
        rows = _typed_rows(sheets[SHEETS[0]], path.name)
        reviews = from_headers(sheets[SHEETS[1]], REVIEW_COLUMNS, path.name, SHEETS[1],
                               key="row_id", key_text=cell_text)
        ranks = from_headers(sheets[SHEETS[2]], RANK_COLUMNS, path.name, SHEETS[2], key="exam",
                             key_text=cell_text)
        values = from_headers(sheets[SHEETS[3]], _MEASURE_HEADERS, path.name, SHEETS[3],
                              key="exam", key_text=cell_text)
        values = _numeric_values(values)
        for table in (reviews, ranks):
            table["seq"] = pd.to_numeric(table["seq"]).astype(int)
        return cls(rows, reviews, ranks, values)

    def write(self, path: str | Path) -> Path:
        """Write the workbook (Chinese headers and values, cells safe against formula
        injection)."""
        from ..io.excel import write_sheets

        values = self.values.assign(unit_kind=self.values["unit_kind"].map(UNIT_KINDS))
        rows = self.rows.drop(columns="sheet_row", errors="ignore")
        rows = rows.assign(unit_kind=rows["unit_kind"].map(
            lambda k: UNIT_KINDS.get(k, k)), indicator=rows["indicator"].map(
            lambda i: INDICATORS[i][0] if i in INDICATORS else i))
        return write_sheets(path, {
            SHEETS[0]: rows.rename(columns=ROW_COLUMNS),
            SHEETS[1]: self.reviews.rename(columns=REVIEW_COLUMNS),
            SHEETS[2]: self.ranks.rename(columns=RANK_COLUMNS),
            SHEETS[3]: values.rename(columns=_MEASURE_HEADERS), SHEETS[4]: _HELP})


def cell_text(value) -> str:
    """A cell as text, spaces inside kept (exam names have one): "" for an empty cell, a whole
    number without ".0".

    >>> cell_text(" 2025-2026-1 期中 "), cell_text(None), cell_text(5.0)
    ('2025-2026-1 期中', '', '5')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="calamine")
    except Exception as exc:
        raise RegisterError(f"无法读取整改台账 {path.name}：{exc}。请确认它是 qualitykit 生成的 .xlsx 文件。") \
            from exc
    missing = [s for s in SHEETS[:4] if s not in sheets]
    if missing:
        raise RegisterError(f"{path.name} 不是 qualitykit 的质量目标与整改台账：缺少工作表 {missing}"
                            f"（register file needs sheets {list(SHEETS[:4])}）。")
    return sheets


def _typed_rows(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """The 整改台账 sheet: codes for 单位类型 and 指标, the Excel row of each row
    (``sheet_row``, for messages), rows typed without 编号 kept (``row_id`` "")."""
    from .._text import norm
    from ..lists.tracking import from_headers
    from .goals import indicator_code

    frame = frame.assign(_row=range(2, len(frame) + 2))
    typed = frame.drop(columns="_row").map(lambda v: norm(v) if isinstance(v, str) else v)
    frame = frame[typed.notna().any(axis=1) & (typed.astype(str).ne("").any(axis=1))]
    id_header = ROW_COLUMNS["row_id"]
    if id_header in frame:
        blank = frame[id_header].isna() | (frame[id_header].astype(str).str.strip() == "")
        frame.loc[blank, id_header] = "新增" + frame.loc[blank, "_row"].astype(str)
    rows = from_headers(frame, ROW_COLUMNS, file, SHEETS[0], key="row_id", key_text=cell_text)
    rows = rows.rename(columns={"_row": "sheet_row"})
    for column in rows.columns:
        if column in ROW_COLUMNS:
            rows[column] = rows[column].map(cell_text)
    back_kind = {cn: code for code, cn in UNIT_KINDS.items()}
    rows["unit_kind"] = rows["unit_kind"].map(lambda k: back_kind.get(k.strip(), k.strip()))
    rows["row_id"] = rows["row_id"].where(~rows["row_id"].str.startswith("新增"), "")
    rows["indicator"] = rows["indicator"].map(lambda v: indicator_code(v) or v)
    return rows


def _numeric_values(values: pd.DataFrame) -> pd.DataFrame:
    back_kind = {cn: code for code, cn in UNIT_KINDS.items()}
    values["unit_kind"] = values["unit_kind"].map(back_kind)
    for column in ("seq", "n_sat", "mean", "sd", "n_pass", "n_excellent", "n_low", "pass_rate",
                   "excellent_rate", "low_rate", "pass_rank", "excellent_rank", "low_rank",
                   "mean_rank", "n_units"):
        values[column] = pd.to_numeric(values[column], errors="coerce")
    values["seq"] = values["seq"].astype(int)
    for column in ("n_sat", "n_pass", "n_excellent", "n_low", "pass_rank", "excellent_rank",
                   "low_rank", "mean_rank", "n_units"):
        values[column] = values[column].astype("Int64")
    for column in ("unit", "subject", "exam"):
        values[column] = values[column].astype(str)
    return values


def opened(register: Register | str | Path | None, *, must_exist: bool = False) -> Register:
    """The 台账 as it is: read from a path, or a new empty one (when allowed)."""
    if isinstance(register, (str, Path)):
        path = Path(register)
        if path.exists():
            return Register.read(path)
        if must_exist:
            raise RegisterError(f"找不到整改台账 {path}：请先用 qualitykit register 生成它。")
        return Register.empty()
    if register is None:
        if must_exist:
            raise RegisterError("回头看需要整改台账（register）。")
        return Register.empty()
    return register


def checked_targets(rows: pd.DataFrame, file: str = "整改台账") -> list:
    """Every row's target parsed (None where empty); the first unreadable one stops with a
    message naming the sheet row and how to write it."""
    parsed = []
    for _, row in rows.iterrows():
        try:
            parsed.append(parse_target(row["target"], row["indicator"]))
        except TargetError as exc:
            where = f"第 {int(row['sheet_row'])} 行" if pd.notna(row.get("sheet_row")) else ""
            raise RegisterError(f"{file} 的工作表「{SHEETS[0]}」{where}（编号 "
                                f"{row['row_id'] or '未编号'}）：{exc} 改好后重新运行。") from None
    return parsed


def exam_seq(values: pd.DataFrame, exam: str) -> int:
    """The exam's number in the file: its old one when it is run again, else the next."""
    if (values["exam"] == exam).any():
        return int(values.loc[values["exam"] == exam, "seq"].iloc[0])
    return int(values["seq"].max()) + 1 if len(values) else 1


def with_values(register: Register, exam: str, measured: pd.DataFrame) -> Register:
    """The file with this exam's measurements (replacing those of an earlier run)."""
    seq = exam_seq(register.values, exam)
    kept = register.values[register.values["exam"] != exam]
    new = measured.assign(seq=seq, exam=exam)[list(_MEASURE_HEADERS)]
    values = pd.concat([kept, new], ignore_index=True) if len(kept) else new
    return replace(register, values=values.sort_values("seq", kind="stable")
                   .reset_index(drop=True))


def problem_rows(problems: pd.DataFrame, exam: str) -> pd.DataFrame:
    """The 台账 rows of one exam's findings (:func:`qualitykit.findings`): each with its unit,
    indicator and evidence; findings about no class or grade (subjects whose classes do not
    differ) are not problems and make no row.

    Returns
    -------
    DataFrame
        :data:`ROW_COLUMNS` (``row_id`` empty: :func:`update_register` numbers them).
    """
    rows = []
    for _, f in problems.iterrows():
        if f["topic"] not in _TOPICS or (f["topic"] == "班级差异" and not f["class_id"]):
            continue
        kind, indicator = _TOPICS[f["topic"]]
        rows.append({"row_id": "", "created": exam, "topic": f["topic"], "subject": f["subject"],
                     "unit_kind": kind, "unit": f["class_id"] if kind == "class" else "年级",
                     "indicator": indicator, "evidence": f["evidence"]})
    out = pd.DataFrame(rows, columns=list(ROW_COLUMNS)).astype(object)
    return out.where(out.notna(), "")


def update_register(register: Register | str | Path | None, scores: pd.DataFrame, *,
                    problems: pd.DataFrame | None = None, teachers: pd.DataFrame | None = None,
                    standard=None, out: str | Path | None = None) -> Register:
    """Create or extend the 质量目标与整改台账 with one exam's problems.

    Parameters
    ----------
    register : Register, path or None
        The school's 台账 (created when the path does not exist yet), or None for a new one.
    scores : DataFrame
        The exam's canonical long table (one exam, one grade).
    problems : DataFrame, optional
        :func:`qualitykit.findings` of this exam; computed from ``scores`` when omitted (as the
        term report's 存在问题 section computes them).
    teachers : DataFrame, optional
        The 教学编排表: teachers are measured too (for rows about a teacher, and the 两率名次).
    standard : Standard, preset name or TOML path, optional
    out : path, optional
        Where to write; by default back to ``register`` when it is a path.

    Returns
    -------
    Register

    Raises
    ------
    RegisterError
        A file that is not a 台账, or a target that cannot be read (the sheet row is named).

    Examples
    --------
    >>> import qualitykit as qk
    >>> r = qk.update_register(None, qk.load_sample(exam="2025-2026-1 期中", grade=5))
    >>> r.rows[["row_id", "topic", "subject", "unit"]].head(2).values.tolist()
    [['2025-2026-1 期中-01', '低分率', '语文', '5-2'], ['2025-2026-1 期中-02', '优秀率', '语文', '5-2']]
    """
    from ..schema import check_scores_table
    from .goals import measurements

    path = Path(register) if isinstance(register, (str, Path)) else None
    current = opened(register)
    checked_targets(current.rows, path.name if path else "整改台账")
    check_scores_table(scores, where="update_register")
    exam = one_exam(scores, "update_register")
    before = [e for e in current.exams if e != exam]
    if problems is None:
        problems = exam_findings(scores, standard)
    current = with_values(current, exam, measurements(scores, teachers=teachers,
                                                      standard=standard))
    rows = _merged_rows(current.rows, problem_rows(problems, exam), exam)
    rows = complete_rows(rows, before[-1] if before else exam)
    result = replace(current, rows=row_status(rows, current.reviews))
    target = out or path
    if target is not None:
        result.write(target)
    return result


def one_exam(scores: pd.DataFrame, function: str) -> str:
    exams = scores["exam"].dropna().unique()
    if len(exams) != 1:
        raise RegisterError(f"{function} 每次处理一次考试，成绩表中有 {list(exams)}。")
    return str(exams[0])


def exam_findings(scores: pd.DataFrame, standard=None) -> pd.DataFrame:
    """The term report's 存在问题 evidence of one exam (:func:`qualitykit.findings`)."""
    from ..term.compare import compare_classes
    from ..term.findings import findings
    from ..term.indicators import summary

    return findings(summary(scores, standard=standard),
                    summary(scores, by="subject", standard=standard),
                    comparison=compare_classes(scores), standard=standard)


def _merged_rows(rows: pd.DataFrame, found: pd.DataFrame, exam: str) -> pd.DataFrame:
    """The file's rows with this exam's findings: a finding already in the file refreshes its
    evidence (teachers' cells untouched); a new one is appended. Nothing is dropped."""
    keys = ["created", "topic", "subject", "unit_kind", "unit"]
    rows = rows.copy()
    known = {tuple(r[k] for k in keys): i for i, r in rows.iterrows()}
    new = []
    for _, f in found.iterrows():
        at = known.get(tuple(f[k] for k in keys))
        if at is None:
            new.append(f)
        else:
            rows.at[at, "evidence"] = f["evidence"]
    if new:
        rows = pd.concat([rows, pd.DataFrame(new)], ignore_index=True)
    return rows.fillna({c: "" for c in ROW_COLUMNS}).reset_index(drop=True)


def complete_rows(rows: pd.DataFrame, exam: str) -> pd.DataFrame:
    """Rows a teacher typed, completed: 提出考试 (``exam``, the latest one before this run, when
    left empty), the unit written the kit's way, the indicator as its key, and a 编号."""
    return _numbered(_hand_rows(rows, exam))


def _hand_rows(rows: pd.DataFrame, exam: str) -> pd.DataFrame:
    """Rows a teacher typed: their exam (the latest one in the file when left empty), unit kind
    and unit written the kit's way, indicator as its key."""
    from ..classes import parse_class
    from .goals import indicator_code

    rows = rows.copy()
    typed = rows["row_id"].astype(str) == ""
    rows.loc[typed & (rows["created"].astype(str).str.strip() == ""), "created"] = exam
    for i in rows.index[typed]:
        unit = str(rows.at[i, "unit"]).strip()
        kind = rows.at[i, "unit_kind"] or ("grade" if unit in ("", "年级", "全年级") else "class")
        if kind == "class":
            unit = parse_class(unit).class_id or unit.rstrip("班")
        rows.at[i, "unit_kind"], rows.at[i, "unit"] = kind, "年级" if kind == "grade" else unit
    rows["indicator"] = rows["indicator"].map(lambda v: indicator_code(v) or v)
    return rows


def _numbered(rows: pd.DataFrame) -> pd.DataFrame:
    """编号 for the rows without one: ``<exam>-NN``, after the exam's highest number."""
    rows = rows.copy()
    for i in rows.index[rows["row_id"].astype(str) == ""]:
        exam = rows.at[i, "created"]
        taken = [int(r.rsplit("-", 1)[1]) for r in rows["row_id"]
                 if str(r).startswith(f"{exam}-") and str(r).rsplit("-", 1)[1].isdigit()]
        rows.at[i, "row_id"] = f"{exam}-{max(taken, default=0) + 1:02d}"
    return rows


def row_status(rows: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """状态 and the latest 回头看 columns of every row, from the 回头看 sheet."""
    rows = rows.copy()
    latest = (reviews.sort_values("seq").groupby("row_id").last() if len(reviews)
              else pd.DataFrame(columns=list(REVIEW_COLUMNS)))
    words = {"完成": "已达成", "继续": "继续落实", "重新制定": "重新制定", "补填目标": "待补填目标",
             "待核对": "待核对"}
    for i, row in rows.iterrows():
        if row["row_id"] in latest.index:
            r = latest.loc[row["row_id"]]
            rows.loc[i, ["status", "last_review", "last_value", "last_verdict", "last_change",
                         "action"]] = [words.get(r["action"], "待回头看"), r["exam"], r["value"],
                                       r["verdict"], r["improvement"], r["action"]]
        else:
            rows.loc[i, ["status", "last_review", "last_value", "last_verdict", "last_change",
                         "action"]] = ["待回头看", "", "", "", "", ""]
    columns = [*ROW_COLUMNS, *[c for c in rows.columns if c not in ROW_COLUMNS]]
    return rows[columns]
