"""The 教研员 section of the 试卷分析 in one call: an item response model of the paper, the
abilities at its cut lines, plain readings, and DIF between schools or classes (compute only).

:func:`paper_irt` chooses the model from the items (the graded response model when an item
has partial credit, else the 2PL) and the DIF groups from the table (schools in a 联考, else
classes, each against the rest of the grade). A paper the model cannot be fitted to (too few
pupils, fewer than two items with any spread) gives empty tables and a ``note`` saying why, so
that notebook 04 and the workbook still run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..labels import label, number_text
from ..standard import Standard, get_standard
from .dif import dif
from .irt import IRTFit, ability_grid, irt
from .irt_readings import ability_lines, information_reading, irt_readings

__all__ = ["paper_irt", "PaperIRT", "dif_readings"]


@dataclass
class PaperIRT:
    """What :func:`paper_irt` found.

    Attributes
    ----------
    fit : IRTFit or None
        The model (None when it could not be fitted: see ``note``).
    items : DataFrame
        One row per item: the parameters with their SEs, ``peak_theta``, ``targets``,
        ``reading`` (:func:`qualitykit.irt_readings`).
    lines : DataFrame
        :func:`qualitykit.ability_lines`.
    reading : list of str
        Where the paper measures well (:func:`qualitykit.information_reading`), then the
        DIF items in words.
    dif : DataFrame
        :func:`qualitykit.dif` (empty without two groups).
    group : str or None
        The column the DIF groups come from.
    note : str
        Why a part is missing ("" when nothing is).
    """

    fit: IRTFit | None
    items: pd.DataFrame
    lines: pd.DataFrame
    reading: list = field(default_factory=list)
    dif: pd.DataFrame = field(default_factory=pd.DataFrame)
    group: str | None = None
    note: str = ""

    @property
    def flagged_ids(self) -> list:
        """Items with a negative or low discrimination, or with DIF: for the curves."""
        if self.items.empty:
            return []
        weak = self.items.loc[self.items["targets"].isna(), "item_id"].tolist()
        shifted = self.dif_flagged["item_id"].tolist() if not self.dif.empty else []
        return list(dict.fromkeys(weak + shifted))

    @property
    def dif_flagged(self) -> pd.DataFrame:
        """The DIF rows flagged."""
        return self.dif if self.dif.empty else self.dif[self.dif["flagged"]]

    @property
    def information(self) -> pd.DataFrame:
        """The paper's information and SEM from θ = −3 to 3 in steps of 0.5 (for the workbook)."""
        if self.fit is None:
            return pd.DataFrame()
        return self.fit.test_information(ability_grid(-3, 3, 0.5))


def paper_irt(items: pd.DataFrame, *, model: str = "auto", group: str | None = None,
              missing: str = "zero", standard: Standard | str | None = None) -> PaperIRT:
    """Item response model, cut-line abilities, readings and DIF of one paper.

    Parameters
    ----------
    items : DataFrame
        The canonical item table of one paper (:func:`qualitykit.read_items`).
    model : {"auto", "2pl", "rasch", "grm"}
        ``auto``: ``grm`` when an item has partial credit, else ``2pl``.
    group : str, optional
        The DIF groups' column; by default ``school`` when the table holds several schools,
        else ``class_id`` (each class against the rest of the grade).
    missing : {"zero", "omit"}
        Blank item scores (see :func:`qualitykit.irt`).
    standard : Standard or str, optional

    Returns
    -------
    PaperIRT

    Examples
    --------
    >>> import qualitykit as qk
    >>> part = qk.paper_irt(qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5,
    ...                                                  kind="items")))
    >>> part.fit.model, part.group, part.flagged_ids[:1]
    ('grm', 'class_id', ['6'])
    """
    std = get_standard(standard)
    if model == "auto":
        binary = items["score"].dropna().isin([0, 1]).all()
        model = "2pl" if binary else "grm"
    try:
        fit = irt(items, model=model, missing=missing, standard=std)
    except ValueError as exc:
        return PaperIRT(None, pd.DataFrame(), pd.DataFrame(), note=f"未做项目反应模型：{exc}")
    lines = ability_lines(fit, standard=std)
    result = PaperIRT(fit, irt_readings(fit, lines, standard=std), lines,
                      information_reading(fit, lines))
    result.group = group or _default_group(items)
    if result.group is None:
        result.note = "只有一个班、一所学校，不做项目功能差异（DIF）分析。"
        return result
    try:
        result.dif = dif(items, result.group)
    except ValueError as exc:
        result.note = f"未做 DIF 分析：{exc}"
        return result
    result.reading += dif_readings(result.dif, result.group)
    return result


def _default_group(items: pd.DataFrame) -> str | None:
    for column in ("school", "class_id"):
        if column in items.columns and items[column].dropna().nunique() > 1:
            return column
    return None


def dif_readings(table: pd.DataFrame, group: str) -> list[str]:
    """One plain sentence per flagged DIF row (and one when none is flagged).

    Examples
    --------
    >>> row = {"item_id": "7", "reference": "其余", "focal": "5-3", "favours": "reference",
    ...        "ets_class": "C", "lr_p_adjusted": 0.002, "lr_uniform_p": 0.001,
    ...        "lr_nonuniform_p": 0.4, "flagged": True}
    >>> print(dif_readings(pd.DataFrame([row]), "class_id")[0])
    第7题：同等总分下，班级 5-3 的学生比其余学生更难答对（ETS C 级，逻辑回归校正 p = 0.002）。先看题目是否依赖某班的讲法或材料，再决定能否复用。
    """
    flagged = table[table["flagged"]] if not table.empty else table
    who = label(group)
    if flagged.empty:
        return [f"按{who}比较，没有发现项目功能差异（DIF）明显的题目。"]
    out = []
    for r in flagged.itertuples():
        other = "其余学生" if r.reference == "其余" else f"{who} {r.reference} 的学生"
        harder = "更难" if r.favours == "reference" else "更容易"
        ets = f"ETS {r.ets_class} 级，" if isinstance(r.ets_class, str) else ""
        p = number_text(r.lr_p_adjusted, "lr_p_adjusted")
        varies = ("；差异主要随能力高低而变（非一致性 DIF）"
                  if r.lr_nonuniform_p < r.lr_uniform_p else "")
        out.append(f"第{r.item_id}题：同等总分下，{who} {r.focal} 的学生比{other}{harder}答对"
                   f"（{ets}逻辑回归校正 p = {p}{varies}）。先看题目是否依赖某班的讲法或材料，"
                   "再决定能否复用。")
    return out
