"""The 培优补差 workbook for teachers: a summary sheet and one sheet per class (report layer).

Everything in it is for staff. The lists show scores, lines and distances, never a grade rank;
names can be masked (张＊) for copies that leave the staff room.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..labels import to_display
from ..lists.progress import Progress
from ..lists.targets import target_counts
from ..schema import unit_keys
from ..term.load import mask_names
from .display import in_view

__all__ = ["write_targets"]


def write_targets(path: str | Path, lists: pd.DataFrame, *, scores: pd.DataFrame | None = None,
                  progress: Progress | None = None, mask: bool = False) -> Path:
    """Write ``培优补差.xlsx``: 汇总, 进步之星候选 and 名单变动 (with ``progress``), one sheet per class.

    Parameters
    ----------
    path : path
        The workbook to write.
    lists : DataFrame
        :func:`qualitykit.targets`.
    scores : DataFrame, optional
        The exam's scores (adds 实考人数 to the summary).
    progress : Progress, optional
        :func:`qualitykit.progress` against the previous exam.
    mask : bool
        Names as 张＊.

    Examples
    --------
    >>> import tempfile, qualitykit as qk
    >>> scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> path = qk.write_targets(tempfile.mkdtemp() + "/培优补差.xlsx", qk.targets(scores))
    >>> import pandas as pd
    >>> list(pd.read_excel(path, sheet_name=None, engine="calamine"))[:3]
    ['汇总', '5-1班', '5-2班']
    """
    from .excel import write_sheets

    def shown(table: pd.DataFrame, view: str) -> pd.DataFrame:
        table = mask_names(table) if mask else table
        return to_display(in_view(table, view))

    sheets = {"汇总": shown(target_counts(lists, scores), "target_counts")}
    if progress is not None:
        sheets["进步之星候选"] = shown(progress.improved, "improved")
        sheets["名单变动"] = shown(progress.transitions[
            progress.transitions["transition"] != "stayed"], "transitions")
        sheets["名单变动汇总"] = shown(progress.summary, "transition_summary")
    keys = unit_keys(lists, ["class_id"])  # one sheet per class of each school (联考 lists)
    for unit, rows in lists.groupby(keys, sort=True):
        sheets[f"{' '.join(map(str, unit))}班"] = shown(rows.drop(columns=keys), "targets")
    return write_sheets(path, sheets)
