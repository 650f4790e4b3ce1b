"""The 试卷分析 of one exam in one call: what the term report and notebook 04 show.

:func:`paper_analysis` runs :func:`~qualitykit.item_analysis`, :func:`~qualitykit.distractors`
and :func:`~qualitykit.knowledge_points` on an item table and keeps the meeting's lists (items
with a high 失分率, flagged items, 共性弱项). Without item data every table is empty, so that a
report section can say why it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..standard import Standard, get_standard
from .analysis import distractors, item_analysis
from .knowledge import GRADE_ROW, knowledge_points

__all__ = ["PaperAnalysis", "paper_analysis"]


@dataclass
class PaperAnalysis:
    """Tables of a paper analysis (empty when there was no item data).

    Attributes
    ----------
    items, paper : DataFrame
        :func:`~qualitykit.item_analysis` per item and per paper (the grade).
    by_class : DataFrame
        Each item's difficulty per class (``item_analysis(by="class_id")``).
    distractors, knowledge : DataFrame
        :func:`~qualitykit.distractors` and :func:`~qualitykit.knowledge_points`.
    standard : Standard
    """

    items: pd.DataFrame
    paper: pd.DataFrame
    by_class: pd.DataFrame
    distractors: pd.DataFrame
    knowledge: pd.DataFrame
    standard: Standard

    @property
    def error_items(self) -> pd.DataFrame:
        """Items with 失分率 at or above ``item_error_rate`` (40 %), the worst first."""
        if self.items.empty:
            return self.items
        chosen = self.items[self.items["error_rate"] >= self.standard.item_error_rate]
        return chosen.sort_values("error_rate", ascending=False, kind="stable")

    @property
    def flagged(self) -> pd.DataFrame:
        """Items with a flag (negative or low D, too easy, too hard)."""
        return self.items if self.items.empty else self.items[self.items["flags"] != ""]

    @property
    def weak(self) -> pd.DataFrame:
        """共性弱项 of the grade."""
        if self.knowledge.empty:
            return self.knowledge
        return self.knowledge[(self.knowledge["class_id"] == GRADE_ROW) & self.knowledge["weak"]]

    @property
    def class_difficulty(self) -> pd.DataFrame:
        """Items × classes: each class's 得分率 (%) on each item, and the grade's."""
        if self.by_class.empty:
            return pd.DataFrame()
        table = self.by_class.pivot_table(index="item_id", columns="class_id",
                                          values="difficulty", aggfunc="first", sort=False)
        table = table.reindex(list(dict.fromkeys(self.by_class["item_id"])))
        table[GRADE_ROW] = self.items.set_index("item_id")["difficulty"].reindex(table.index)
        table = (table * 100).round(1)
        table.columns.name = None
        table.insert(0, "知识点", self.items.set_index("item_id")["knowledge_point"]
                     .reindex(table.index) if "knowledge_point" in self.items else "")
        table.index = [f"第{i}题" for i in table.index]
        return table.rename_axis("题号").reset_index()


def paper_analysis(items: pd.DataFrame | None, *, standard: Standard | str | None = None,
                   missing: str = "zero") -> PaperAnalysis:
    """Item statistics, distractors and knowledge points of one paper (or none).

    Parameters
    ----------
    items : DataFrame or None
        The canonical item table of one exam (:func:`qualitykit.read_items`); None or empty
        gives empty tables.
    standard : Standard, preset name or TOML path
    missing : {"zero", "listwise", "pairwise"}
        See :func:`qualitykit.item_analysis`.

    Examples
    --------
    >>> import qualitykit as qk
    >>> paper = qk.paper_analysis(qk.read_items(qk.sample_path(kind="items", grade=5)))
    >>> paper.flagged["item_id"].tolist(), len(paper.error_items)
    (['6', '20'], 6)
    >>> qk.paper_analysis(None).items.empty
    True
    """
    std = get_standard(standard)
    if items is None or items.empty:
        empty = pd.DataFrame()
        return PaperAnalysis(empty, empty, empty, empty, empty, std)
    whole = item_analysis(items, standard=std, missing=missing)
    by_class = item_analysis(items, by="class_id", standard=std, missing=missing).items \
        if "class_id" in items and items["class_id"].ne("").any() else pd.DataFrame()
    return PaperAnalysis(
        items=whole.items, paper=whole.paper, by_class=by_class,
        distractors=distractors(items, standard=std),
        knowledge=knowledge_points(items, standard=std,
                                   missing="zero" if missing == "zero" else "skip"),
        standard=std)
