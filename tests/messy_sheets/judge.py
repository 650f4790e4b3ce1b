"""Judge what the importer did with a corpus file: correct, refused, wrong or unclear.

- ``correct``: imported, and per (school, class_id, subject) the pupils, n_sat, mean of the sat
  scores, status counts, level counts and full mark equal the truth; names and Excel rows match;
  the report accounts for every row and says what the case requires.
- ``refused``: a ``ScoreFileError`` in Chinese naming the file (and the sheet, Excel row and
  column letter of the planted cells) and saying how to fix it.
- ``wrong``: imported where the truth differs (a *silent* wrong table), imported a file that must
  be refused, refused a file that must import, or a report that leaves out what it must say.
- ``unclear``: a refusal whose message lacks what it must name, or any other exception.
"""

from __future__ import annotations

import math
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .model import Case, Refusal, Reported, SheetNoted, Truth, Warned

OUTCOMES = ("correct", "refused", "wrong", "unclear")
ALLOWED = {"import": {"correct"}, "refuse": {"refused"}, "either": {"correct", "refused"}}
_CJK = re.compile(r"[\u4e00-\u9fff]")
FIX_WORDS = ("请", "改", "另存", "保存", "导出", "删除", "补")


@dataclass
class Outcome:
    """What happened, and the details a developer acts on."""

    outcome: str
    details: list[str] = field(default_factory=list)
    silent: bool = False  # a table that differs from the truth, returned without an error
    message: str = ""  # the refusal's text

    def explain(self, case: Case) -> str:
        head = (f"{case.name} ({case.filename}, {case.format}; expected {case.expect}): "
                f"{self.outcome}")
        lines = [head, f"  what it imitates: {case.description}"]
        lines += [f"  - {d}" for d in self.details[:25]]
        if len(self.details) > 25:
            lines.append(f"  - … {len(self.details) - 25} more")
        return "\n".join(lines)


def judge(case: Case, path: Path) -> Outcome:
    """Run ``qk.read_scores`` (and ``qk.check_scores`` for imported files) on one case."""
    import qualitykit as qk

    try:
        data = qk.read_scores(path, **case.options)
    except qk.ScoreFileError as exc:
        return _judge_refusal(case, path, str(exc))
    except Exception as exc:  # noqa: BLE001 - any other exception is the finding
        return Outcome("unclear", [f"{type(exc).__name__} instead of ScoreFileError: {exc}",
                                   *traceback.format_exc().splitlines()[-6:]])
    if case.expect == "refuse":
        return Outcome("wrong", ["imported a file that must be refused (no error raised); "
                                 f"{len(data)} rows returned", *_refusal_spec(case.refusal)],
                       silent=True)
    if not isinstance(data, pd.DataFrame):
        return Outcome("wrong", [f"read_scores returned {type(data).__name__}, not a DataFrame"],
                       silent=True)
    differences = compare(case.truth, data)
    if differences:
        return Outcome("wrong", differences, silent=True)
    try:
        gaps = report_gaps(case, qk.check_scores(path, **case.options))
    except Exception as exc:  # noqa: BLE001
        return Outcome("unclear", [f"check_scores or its report failed: {type(exc).__name__}: "
                                   f"{exc}"])
    return Outcome("wrong", gaps) if gaps else Outcome("correct")


def _refusal_spec(refusal: Refusal | None) -> list[str]:
    if refusal is None:
        return []
    parts = [f"sheet {refusal.sheet!r}" if refusal.sheet else "",
             f"cells {', '.join(refusal.cells)}" if refusal.cells else "",
             f"rows {', '.join(map(str, refusal.rows))}" if refusal.rows else "",
             f"columns {', '.join(refusal.columns)}" if refusal.columns else ""]
    return ["planted: " + "; ".join(p for p in parts if p)] if any(parts) else []


# --------------------------------------------------------------------------------------------
# refusals
# --------------------------------------------------------------------------------------------
def _judge_refusal(case: Case, path: Path, message: str) -> Outcome:
    if case.expect == "import":
        return Outcome("wrong", ["refused a file that must import:", *message.splitlines()[:8]],
                       message=message)
    missing = refusal_gaps(case.refusal or Refusal(), path.name, message)
    if missing:
        return Outcome("unclear", [*missing, "message was:", *message.splitlines()[:8]],
                       message=message)
    return Outcome("refused", message=message)


def refusal_gaps(refusal: Refusal, file_name: str, message: str) -> list[str]:
    """What a refusal message fails to say (empty when it is clear)."""
    gaps = []
    if not _CJK.search(message):
        gaps.append("the message is not in Chinese")
    if file_name not in message:
        gaps.append(f"the message does not name the file {file_name!r}")
    if refusal.sheet and refusal.sheet not in message:
        gaps.append(f"the message does not name the sheet {refusal.sheet!r}")
    for ref in refusal.cells:
        if not names_cell(message, ref):
            gaps.append(f"the message does not name cell {ref} (Excel row and column letter)")
    for row in refusal.rows:
        if not names_row(message, row):
            gaps.append(f"the message does not name Excel row {row}")
    for col in refusal.columns:
        if not names_column(message, col):
            gaps.append(f"the message does not name column {col}")
    for group in refusal.words:
        if not any(w in message for w in group):
            gaps.append(f"the message says none of {group}")
    if not any(w in message for w in FIX_WORDS):
        gaps.append("the message does not say how to fix the file")
    return gaps


_REF = re.compile(r"^([A-Z]+)(\d+)$")
_ROW_LIST = re.compile(r"((?:\d+\s*[、,，和及]\s*)*\d+)\s*行")


def names_cell(message: str, ref: str) -> bool:
    """True when the message names the cell ``ref``: "E7", or row 7 ("第 7 行", "第 5、7 行")
    with "E 列" close by.

    >>> names_cell("工作表「成绩」，第 7 行，E 列「数学」：……", "E7")
    True
    >>> names_cell("单元格 E7 是错误值", "E7"), names_cell("第 17 行，E 列", "E7")
    (True, False)
    >>> names_cell("A 列学号重复：第 3、4、9 行", "A4"), names_cell("第 4 行，AE 列", "E4")
    (True, False)
    """
    col, row = _REF.match(ref).groups()
    if re.search(rf"(?<![A-Z]){col}{row}(?!\d)", message):
        return True
    for m in _ROW_LIST.finditer(message):
        if row in re.findall(r"\d+", m.group(1)):
            window = message[max(0, m.start() - 24):m.end() + 24]
            if re.search(rf"(?<![A-Z]){col}\s*列|列\s*{col}(?![A-Z])", window):
                return True
    return False


def names_row(message: str, row: int) -> bool:
    """True when the message names Excel row ``row`` ("第 7 行", "第 5、7 行", or a cell "A7").

    >>> names_row("与第 2 行相同", 2), names_row("第 3、4、12 行", 4), names_row("第 12 行", 2)
    (True, True, False)
    """
    if re.search(rf"(?<![A-Z])[A-Z]{{1,2}}{row}(?!\d)", message):
        return True
    return row in rows_in_text(message)


def rows_in_text(text: str) -> set[int]:
    """Excel rows a text names as "第 7 行" or "第 5、7 行".

    >>> sorted(rows_in_text("总分与各科之和不符：第 4、13 行；第 7 行"))
    [4, 7, 13]
    """
    return {int(n) for m in _ROW_LIST.finditer(text) for n in re.findall(r"\d+", m.group(1))}


def names_column(message: str, col: str) -> bool:
    """True when the message names column ``col`` ("F 列", "列 F", or a cell in it such as "F3").

    >>> names_column("F 列「数学」全部小于 1", "F"), names_column("第 F 列", "F"), names_column("EF 列", "F")
    (True, True, False)
    """
    patterns = (rf"(?<![A-Z]){col}\s*列", rf"列\s*{col}(?![A-Z])", rf"(?<![A-Z]){col}\d+(?!\d)")
    return any(re.search(p, message) for p in patterns)


# --------------------------------------------------------------------------------------------
# the table against the truth
# --------------------------------------------------------------------------------------------
@dataclass
class GroupStats:
    """What the test compares per (school, class_id, subject)."""

    ids: frozenset
    n_sat: int
    mean: float
    statuses: Counter
    levels: Counter
    full_marks: frozenset  # empty for a level-graded subject (no full mark to compare)


def truth_stats(truth: Truth) -> dict[tuple, GroupStats]:
    """The statistics the truth implies (the generator's own values, never the kit's)."""
    groups: dict[tuple, list] = {}
    for p in truth.pupils:
        who = p.student_id if truth.key == "student_id" else p.name
        for subject, r in p.results.items():
            groups.setdefault((p.school, p.class_id, subject), []).append((who, r))
    out = {}
    for key, items in groups.items():
        sat = [r for _, r in items if r.status == "sat"]
        scores = [r.score if r.score is not None else math.nan for r in sat]
        levelled = any(r.level is not None for _, r in items)
        out[key] = GroupStats(
            ids=frozenset(w for w, _ in items), n_sat=len(sat),
            mean=math.fsum(scores) / len(scores) if scores else math.nan,
            statuses=Counter(r.status for _, r in items),
            levels=Counter(r.level for r in sat if r.level is not None),
            full_marks=frozenset() if levelled else frozenset({truth.full_marks[key[2]]}))
    return out


def data_stats(data: pd.DataFrame, key: str, levelled: set[tuple]) -> dict[tuple, GroupStats]:
    """The same statistics from the imported table."""
    out = {}
    frame = data.assign(**{c: data[c].astype(object).where(data[c].notna(), "") for c in
                           ("school", "class_id", "subject")})
    for k, g in frame.groupby(["school", "class_id", "subject"], sort=False, dropna=False):
        sat = g[g["status"] == "sat"]
        scores = sat["score"].astype(float).tolist()
        out[k] = GroupStats(
            ids=frozenset(g[key].astype(str)), n_sat=len(sat),
            mean=math.fsum(scores) / len(scores) if scores else math.nan,
            statuses=Counter(g["status"].astype(str)),
            levels=Counter(str(v) for v in sat["level"] if isinstance(v, str) and v),
            full_marks=frozenset() if k in levelled else frozenset(g["full_mark"].astype(float)))
    return out


def compare(truth: Truth, data: pd.DataFrame) -> list[str]:
    """Every difference between the imported table and the truth, in words."""
    need = {"student_id", "name", "school", "class_id", "subject", "score", "status", "full_mark",
            "level", "source_row", "source_sheet"}
    if not need <= set(data.columns):
        return [f"the table lacks the columns {sorted(need - set(data.columns))}"]
    expected = truth_stats(truth)
    levelled = {k for k, s in expected.items() if s.levels or not s.full_marks}
    got = data_stats(data, truth.key, levelled)
    diffs = []
    for k in sorted(set(expected) | set(got), key=str):
        place = f"{k[0] or '(no school)'} {k[1] or '(no class)'} {k[2]}"
        if k not in got:
            diffs.append(f"{place}: missing from the import "
                         f"({len(expected[k].ids)} pupils expected)")
            continue
        if k not in expected:
            sample = sorted(got[k].ids)[:5]
            diffs.append(f"{place}: not in the truth ({len(got[k].ids)} pupils, e.g. {sample})")
            continue
        diffs += group_differences(place, expected[k], got[k])
    diffs += _pupil_differences(truth, data)
    return diffs


def group_differences(place: str, e: GroupStats, g: GroupStats) -> list[str]:
    out = []
    if e.ids != g.ids:
        out.append(f"{place}: pupils differ: missing {sorted(e.ids - g.ids)[:6]}, "
                   f"extra {sorted(g.ids - e.ids)[:6]}")
    if e.n_sat != g.n_sat:
        out.append(f"{place}: n_sat expected {e.n_sat}, got {g.n_sat}")
    if not (math.isnan(e.mean) and math.isnan(g.mean)) and not math.isclose(
            e.mean, g.mean, rel_tol=0, abs_tol=1e-9):
        out.append(f"{place}: mean expected {e.mean:.6g}, got {g.mean:.6g}")
    if e.statuses != g.statuses:
        out.append(f"{place}: statuses expected {dict(e.statuses)}, got {dict(g.statuses)}")
    if not e.full_marks and e.levels != g.levels:  # levels of level-graded subjects only
        out.append(f"{place}: levels expected {dict(e.levels)}, got {dict(g.levels)}")
    if e.full_marks != g.full_marks:
        out.append(f"{place}: full_mark expected {sorted(e.full_marks)}, "
                   f"got {sorted(g.full_marks)}")
    return out


def _pupil_differences(truth: Truth, data: pd.DataFrame) -> list[str]:
    """Names, Excel rows and sheets of the pupils; one subject row per pupil and subject."""
    out = []
    key = truth.key
    dupes = data.duplicated([key, "subject", "school"], keep=False)
    if dupes.any():
        sample = data.loc[dupes, [key, "subject", "source_row"]].head(4).to_dict("records")
        out.append(f"{int(dupes.sum())} rows share a pupil and subject, e.g. {sample}")
    first = data.drop_duplicates([key, "school"]).set_index([key, "school"])
    wrong_name, wrong_row, wrong_sheet = [], [], []
    for p in truth.pupils:
        who = (p.student_id if key == "student_id" else p.name, p.school)
        if who not in first.index:
            continue  # reported per class above
        got = first.loc[who]
        if key == "student_id" and str(got["name"]) != p.name:
            wrong_name.append(f"{p.student_id}: {p.name!r} → {got['name']!r}")
        if p.row is not None and not _same_row(got["source_row"], p.row):
            wrong_row.append(f"{who[0]}: row {p.row} → {got['source_row']}")
        if p.sheet is not None and str(got["source_sheet"]) != p.sheet:
            wrong_sheet.append(f"{who[0]}: {p.sheet!r} → {got['source_sheet']!r}")
    for what, items in (("names", wrong_name), ("source_row (Excel row)", wrong_row),
                        ("source_sheet", wrong_sheet)):
        if items:
            out.append(f"{len(items)} pupils have the wrong {what}, e.g. {items[:4]}")
    return out


def _same_row(got: object, expected: int) -> bool:
    try:
        return int(got) == expected
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# the import report
# --------------------------------------------------------------------------------------------
def report_gaps(case: Case, report) -> list[str]:
    """What the report of an imported case fails to say."""
    gaps = []
    if report.rows_read != report.rows_imported + report.rows_skipped:
        gaps.append(f"rows_read {report.rows_read} != rows_imported {report.rows_imported} + "
                    f"rows_skipped {report.rows_skipped}")
    problems = report.problems
    for check in case.checks:
        if isinstance(check, Reported):
            rows = problems if check.sheet is None else problems[problems["sheet"] == check.sheet]
            listed = {int(r) for r in rows["row"].dropna()}
            missing = sorted(set(check.rows) - listed)
            if missing:
                gaps.append(f"{check.what}: Excel rows {missing} are not in report.problems")
        elif isinstance(check, Warned):
            text = problems["header"].astype(str) + " " + problems["problem"].astype(str)
            hits = problems[(problems["severity"] == "warning") & text.str.contains(check.word)]
            rows = {int(r) for r in hits["row"].dropna()} | rows_in_text(" ".join(hits["problem"]))
            if rows != set(check.rows):
                gaps.append(f"warnings about {check.word} name Excel rows {sorted(rows)}, "
                            f"expected exactly {sorted(check.rows)}")
        elif isinstance(check, SheetNoted):
            said = " ".join(map(str, [*report.sheets.get("sheet", []), *problems["sheet"],
                                      *problems["problem"], *report.notes]))
            if check.sheet not in said:
                gaps.append(f"sheet {check.sheet!r} is mentioned neither in report.sheets nor "
                            "in report.problems")
    return gaps
