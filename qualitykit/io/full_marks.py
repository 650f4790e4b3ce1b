"""A subject whose scores stay far below its full mark: the full mark is probably another.

A sheet rarely says its full marks; the kit takes them from the header (语文(120)), the caller
(``full_marks``) or the standard (100 by default). Where a school's 道德与法治 is marked out of 50
and nobody says so, every rate is computed against 100: 及格率 0 %, 低分率 90 % — wrong numbers
that look like numbers. The scores themselves show it: with tens of pupils, the best of them
reaches at least about two thirds of the full mark. Each such subject gets a warning in the
import report (the rows are all read) naming the likely full mark and how to give it.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FULL_MARK_HINT", "full_mark_hints", "likely_full_mark", "over_full_mark_lines"]

#: The words every such warning starts its advice with (the report command prints these).
FULL_MARK_HINT = "满分可能是"
#: Below this share of the full mark, the best score of a subject is suspect …
_SHARE = 0.6
#: … when at least this many pupils have a score.
_MIN_PUPILS = 20
#: Full marks seen on Chinese school papers.
_USUAL = (10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 150)


def likely_full_mark(best: float, given: float) -> float | None:
    """The smallest usual full mark at or above ``best``, when it is below ``given``.

    >>> likely_full_mark(48, 100), likely_full_mark(65, 100), likely_full_mark(95, 100)
    (50, 70, None)
    """
    found = next((m for m in _USUAL if m >= best), None)
    return found if found is not None and found < given else None


#: An error of a score over its full mark, as the importer writes it (io._score_cells).
_OVER = re.compile(r"：(\S+) 成绩 ([\d.]+) 超过满分 ([\d.]+) \(score > full_mark\)")
#: The full marks of papers over 100 (高中、中考 语数外 150, 初中 120).
_OVER_USUAL = (120, 150)
#: From this many scores over the full mark in one subject, the errors are summed up first.
_MANY_OVER = 3


def over_full_mark_lines(problems: pd.Series) -> list[str]:
    """One line per subject with several scores over its full mark (the importer's errors,
    ``problems``): how many, the best score and the usual full mark that holds them — the
    advice a 联考 file of papers out of 120 or 150 needs, instead of one error per pupil.

    >>> p = pd.Series(["文件 a.xlsx，第 2 行：语文 成绩 104 超过满分 100 (score > full_mark)。"] * 3
    ...               + ["文件 a.xlsx，第 5 行：语文 成绩 142 超过满分 100 (score > full_mark)。"])
    >>> print(over_full_mark_lines(p)[0])
    语文：4 个成绩超过满分 100（最高 142 分），满分可能是 150：请用 --full-marks 语文=150 这样指定（函数中 full_marks={'语文': 150}），满分以试卷为准。
    """
    found = problems.str.extract(_OVER).dropna()
    if found.empty:
        return []
    found.columns = ["subject", "score", "full"]
    found[["score", "full"]] = found[["score", "full"]].astype(float)
    lines = []
    for (subject, full), part in found.groupby(["subject", "full"], sort=False):
        if len(part) < _MANY_OVER:
            continue
        best = float(part["score"].max())
        head = f"{subject}：{len(part)} 个成绩超过满分 {full:g}（最高 {best:g} 分）"
        guesses = [m for m in _OVER_USUAL if m >= best and m > full]
        if not guesses:
            lines.append(f"{head}：请核对这一列是否是{subject}的分数，以及{subject}的满分。")
            continue
        example = guesses[-1] if len(guesses) > 1 else guesses[0]
        lines.append(f"{head}，{FULL_MARK_HINT} {' 或 '.join(f'{m:g}' for m in guesses)}："
                     f"请用 --full-marks {subject}={example:g} 这样指定（函数中 full_marks="
                     f"{{'{subject}': {example:g}}}），满分以试卷为准。")
    return lines


def full_mark_hints(data: pd.DataFrame, problems) -> None:
    """Add a warning to ``problems`` for each sheet × subject whose best score is below 60 % of
    its full mark with 20 pupils or more scored (``data``: the rows read, with ``score``,
    ``full_mark``, ``subject`` and ``source_sheet``)."""
    scored = data[data["score"].notna() & data["full_mark"].notna()]
    if scored.empty:
        return
    groups = scored.groupby(["source_sheet", "subject", "full_mark"], sort=False)["score"]
    for (sheet, subject, full), scores in groups:
        best, n = float(scores.max()), int(scores.size)
        guess = likely_full_mark(best, float(full))
        if n < _MIN_PUPILS or best >= _SHARE * full or guess is None:
            continue
        problems.add(str(sheet), None, None, str(subject), f"最高分 {best:g}",
                     f"{subject} 的最高分 {best:g} 只有满分 {full:g} 的 {best / full:.0%}"
                     f"（{n} 名学生有成绩）：{FULL_MARK_HINT} {guess:g}。及格率、优秀率、低分率都按满分 "
                     f"{full:g} 计算；如果满分不是 {full:g}，请用 full_marks={{'{subject}': 满分}} "
                     f"指定（命令行 --full-marks {subject}={guess:g}）(full_mark)。",
                     f"按满分 {full:g} 计算（请核对）", "warning")
