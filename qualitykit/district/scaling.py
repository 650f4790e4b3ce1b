"""等级赋分: 选考 raw scores turned into scaled scores by rank bands and 等比例转换.

Each subject's sitters are ranked by raw score and cut into bands of fixed shares (the 2021
national scheme: A/B/C/D/E = 15/35/35/13/2 %). Inside a band, a raw score ``Y`` between the
band's lowest and highest raw score ``Y1``, ``Y2`` goes to the band's scaled range ``T1``–``T2``
by the 等比例转换 formula ``(Y2 − Y) / (Y − Y1) = (T2 − T) / (T − T1)``, that is
``T = T1 + (Y − Y1) / (Y2 − Y1) × (T2 − T1)``, rounded half up to a whole number (四舍五入).
A band whose raw scores are all equal gives them ``T2``. Pupils with the same raw score are
always in the same band. The scheme (shares, ranges, how a band's edge is found) is a typed,
validated :class:`ScalingScheme`; :data:`SCHEMES` holds the named presets with their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..schema import check_scores_table, sat_mask
from ..subjects import in_teaching_order

__all__ = ["ScaleBand", "ScalingScheme", "SCHEMES", "CUT_RULES", "get_scheme",
           "scaled_scores", "scaling_bands"]

#: How the edge between two bands is placed on the ranked raw scores. ``nearest``: at the raw
#: score whose cumulative share (pupils at or above it) is closest to the band's cumulative
#: share (浙江: “按最接近的累计比例划定等级”; on an exact tie the larger share). ``include_ties``:
#: at the pupil at rank ⌈cumulative share × n⌉, everyone tied with him inside the band.
CUT_RULES = ("nearest", "include_ties")


@dataclass(frozen=True)
class ScaleBand:
    """One band: its label, its share of the sitters, and its scaled range ``bottom``–``top``."""

    label: str
    share: float
    top: float
    bottom: float


def _band(value) -> ScaleBand:
    if isinstance(value, ScaleBand):
        return value
    try:
        label, share, top, bottom = value
        return ScaleBand(str(label), float(share), float(top), float(bottom))
    except (TypeError, ValueError):
        raise ValueError(f"赋分方案的每个等级应写成（等级, 比例, 赋分上限, 赋分下限），如 "
                         f"(\"A\", 0.15, 100, 86)；收到 {value!r}。") from None


def _scheme_problem(bands: tuple[ScaleBand, ...], cut_rule: str) -> str | None:
    """The first thing wrong with a scheme, in Chinese (None when it is sound)."""
    if cut_rule not in CUT_RULES:
        return f"cut_rule（划等级的方法）应为 {CUT_RULES} 之一，收到 {cut_rule!r}。"
    if len(bands) < 2:
        return "赋分方案至少要有两个等级 (bands)。"
    bad = [b.label for b in bands if not 0 < b.share < 1]
    if bad:
        return f"等级 {bad} 的比例 (share) 应在 0 与 1 之间，如 0.15 表示 15%。"
    total = sum(b.share for b in bands)
    if abs(total - 1) > 1e-6:
        return f"各等级比例之和应为 1（100%），现为 {total:.4f}；请核对比例。"
    bad = [b.label for b in bands if not b.top >= b.bottom]
    if bad:
        return f"等级 {bad} 的赋分上限 (top) 应不小于下限 (bottom)。"
    bad = [b.label for a, b in zip(bands, bands[1:]) if not b.top < a.bottom]
    if bad:
        return (f"等级 {bad} 的赋分区间应低于上一等级的区间（从高到低排列、互不重叠），"
                "如 A 100–86、B 85–71。")
    return None


@dataclass(frozen=True)
class ScalingScheme:
    """A province's 等级赋分 rules.

    Parameters
    ----------
    name, source : str
        What the scheme is called and the document it comes from.
    bands : sequence of ScaleBand or (label, share, top, bottom)
        From the top band down: its share of the subject's sitters and its scaled range.
    cut_rule : {"nearest", "include_ties"}
        How a band's edge is placed on the ranked raw scores (:data:`CUT_RULES`).
    subjects : tuple of str
        The subjects the province scales (used when ``scaled_scores`` is not told; empty:
        every subject of the table).
    """

    name: str
    source: str
    bands: tuple[ScaleBand, ...]
    cut_rule: str = "nearest"
    subjects: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(_band(b) for b in self.bands))
        object.__setattr__(self, "subjects", tuple(self.subjects))
        problem = _scheme_problem(self.bands, self.cut_rule)
        if problem:
            raise ValueError(f"赋分方案 {self.name}：{problem}")


_SELECTED = ("物理", "化学", "生物", "政治", "历史", "地理", "技术")

SCHEMES: dict[str, ScalingScheme] = {
    "national2021": ScalingScheme(
        name="national2021",
        source="2021 年起“3+1+2”省份再选科目等级赋分：A/B/C/D/E 约 15%/35%/35%/13%/2%，"
               "分别转换到 100–86、85–71、70–56、55–41、40–30，等比例转换，四舍五入取整"
               "（如重庆市教育考试院 2021 年招生问答；bbbaike.com/baike/jiaoyu/600739.html）",
        bands=(("A", 0.15, 100, 86), ("B", 0.35, 85, 71), ("C", 0.35, 70, 56),
               ("D", 0.13, 55, 41), ("E", 0.02, 40, 30)),
        subjects=("化学", "生物", "政治", "地理")),
    "zhejiang2022": ScalingScheme(
        name="zhejiang2022",
        source="浙江省 2022 年 1 月选考起：原 21 个等级（1%、2%、3%…，每级 3 分，100–40）中前两级"
               "合并，成 20 个赋分区间 100–97、96–94 … 42–40，区间内等比例转换、四舍五入；"
               "按最接近的累计比例划定（m.ddtbk.com/jiaoyu/246498.html；比例表见 "
               "xuejishu.xyz 信息技术题 00115）。学考合格方可赋分一条本工具不核对。",
        bands=tuple((str(i + 1), share / 100, 99 - 3 * i if i else 100, 97 - 3 * i)
                    for i, share in enumerate(
                        (3, 3, 4, 5, 6, 7, 8, 7, 7, 7, 7, 7, 7, 6, 5, 4, 3, 2, 1, 1))),
        subjects=_SELECTED),
    "shandong2017": ScalingScheme(
        name="shandong2017",
        source="《山东省深化高等学校考试招生综合改革试点方案》：A、B+、B、C+、C、D+、D、E 八级，"
               "3%/7%/16%/24%/24%/16%/7%/3%，转换到 100–91 … 30–21（转引自 "
               "github.com/Nativu5/Transform_Grade 的说明）",
        bands=tuple((label, share, 100 - 10 * i, 91 - 10 * i) for i, (label, share) in
                    enumerate(zip(("A", "B+", "B", "C+", "C", "D+", "D", "E"),
                                  (0.03, 0.07, 0.16, 0.24, 0.24, 0.16, 0.07, 0.03)))),
        subjects=("物理", "化学", "生物", "政治", "历史", "地理")),
}


def get_scheme(scheme: ScalingScheme | str) -> ScalingScheme:
    """A scheme from an instance or a preset name of :data:`SCHEMES`."""
    if isinstance(scheme, ScalingScheme):
        return scheme
    if scheme in SCHEMES:
        return SCHEMES[scheme]
    raise ValueError(f"scheme（赋分方案）应为 {list(SCHEMES)} 之一或 ScalingScheme 对象，"
                     f"收到 {scheme!r}。")


def _band_ends(x: np.ndarray, bands: tuple[ScaleBand, ...], rule: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct raw scores (from the top) and, per band, the index of its last distinct
    score (-1 before the first: an empty band at the top; equal to the previous: empty)."""
    values, counts = np.unique(x, return_counts=True)
    values, counts = values[::-1], counts[::-1]
    cum = np.cumsum(counts) / len(x)
    targets = np.cumsum([b.share for b in bands])[:-1]
    if rule == "include_ties":
        ends = np.searchsorted(cum, targets - 1e-9, side="left")
    else:  # nearest cumulative share; candidates include "before the first score" (share 0)
        shares = np.concatenate([[0.0], cum])
        gaps = np.abs(shares[None, :] - targets[:, None])
        best = gaps.min(axis=1, keepdims=True)
        ends = (gaps <= best + 1e-12).cumsum(axis=1).argmax(axis=1) - 1  # last of the ties
    ends = np.maximum.accumulate(np.minimum(ends, len(values) - 1))
    return values, np.concatenate([ends, [len(values) - 1]])


def _scale_group(x: np.ndarray, scheme: ScalingScheme) -> pd.DataFrame:
    """Band and scaled score of each raw score in ``x`` (one exam × subject's sitters)."""
    values, ends = _band_ends(x, scheme.bands, scheme.cut_rule)
    starts = np.concatenate([[0], ends[:-1] + 1])
    position = len(values) - 1 - np.searchsorted(values[::-1], x)  # index in values (desc)
    which = np.searchsorted(ends, position, side="left")
    y2, y1 = values[starts[which]], values[ends[which]]
    top = np.array([b.top for b in scheme.bands])[which]
    bottom = np.array([b.bottom for b in scheme.bands])[which]
    span = np.where(y2 > y1, y2 - y1, 1.0)
    exact = np.where(y2 > y1, bottom + (x - y1) / span * (top - bottom), top)
    return pd.DataFrame({
        "scale_band": np.array([b.label for b in scheme.bands], dtype=object)[which],
        "raw_low": y1, "raw_high": y2, "scaled_low": bottom, "scaled_high": top,
        "scaled_exact": exact, "scaled": np.floor(exact + 0.5 + 1e-9)})


_SCALED_COLUMNS = ("scale_band", "raw_low", "raw_high", "scaled_low", "scaled_high",
                   "scaled_exact", "scaled")


def _scaled_subjects(scores: pd.DataFrame, scheme: ScalingScheme,
                     subjects: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(scores["subject"].dropna()))
    wanted = list(subjects) if subjects is not None else list(scheme.subjects or present)
    unknown = [s for s in wanted if s not in present]
    if subjects is not None and unknown:
        raise ValueError(f"subjects 中的科目 {unknown} 不在成绩表中；表中的科目：{present}。")
    chosen = [s for s in present if s in wanted]
    if not chosen:  # an empty 赋分 sheet said nothing
        raise ValueError(f"成绩表中没有赋分方案 {scheme.name} 的科目（{'、'.join(wanted)}）"
                         f"(no subject to scale)；表中的科目：{'、'.join(map(str, present))}。"
                         "请用 subjects=（命令行 --scale-subjects 化学,生物）指定要赋分的科目。")
    return chosen


def scaled_scores(scores: pd.DataFrame, *, scheme: ScalingScheme | str = "national2021",
                  subjects: Sequence[str] | None = None,
                  within: Sequence[str] | str = ("exam", "subject")) -> pd.DataFrame:
    """等级赋分 of the 选考 subjects: each pupil's band and scaled score.

    Parameters
    ----------
    scores : DataFrame
        Canonical long scores (:func:`qualitykit.read_scores`); raw scores (a sheet's 赋分
        column is already preferred on import: give the 原始分 here).
    scheme : ScalingScheme or str
        ``"national2021"`` (default), ``"zhejiang2022"``, ``"shandong2017"`` or your own.
    subjects : list of str, optional
        The subjects to scale (default: those of the scheme present in the table).
    within : column names
        The groups ranked together: every exam × subject of the whole table (the 联考 or the
        province), by default.

    Returns
    -------
    DataFrame
        The sitters' rows of the scaled subjects (input columns kept; ``score`` is the raw
        score) with ``scale_band`` (A…E), ``raw_low``, ``raw_high`` (the band's lowest and
        highest raw score, Y1 and Y2), ``scaled_low``, ``scaled_high`` (T1, T2),
        ``scaled_exact`` (T before rounding) and ``scaled`` (rounded half up).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"student_id": [str(i) for i in range(100)], "subject": "化学",
    ...                     "exam": "期末", "score": [float(100 - i) for i in range(100)],
    ...                     "status": "sat", "full_mark": 100.0})
    >>> out = scaled_scores(raw)
    >>> out.loc[[0, 14, 15, 98, 99], ["score", "scale_band", "scaled"]].values.tolist()
    [[100.0, 'A', 100.0], [86.0, 'A', 86.0], [85.0, 'B', 85.0], [2.0, 'E', 40.0], [1.0, 'E', 30.0]]
    """
    scheme = get_scheme(scheme)
    check_scores_table(scores, where="scaled_scores", required=("subject", "score", "status"),
                       bounds=False)
    keep = _scaled_subjects(scores, scheme, subjects)
    rows = scores[sat_mask(scores) & scores["subject"].isin(keep)]
    keys = [within] if isinstance(within, str) else [k for k in within if k in rows.columns]
    plain = rows.reset_index(drop=True)  # positions: the input's index may repeat
    columns = {c: np.empty(len(plain), dtype=object if c == "scale_band" else float)
               for c in _SCALED_COLUMNS}
    groups = plain.groupby(keys, sort=False, dropna=False).indices if keys else \
        {(): np.arange(len(plain))}
    for where in groups.values():
        scaled = _scale_group(plain["score"].to_numpy(float)[where], scheme)
        for c in _SCALED_COLUMNS:
            columns[c][where] = scaled[c].to_numpy()
    out = rows.assign(**columns)
    out.attrs["scheme"] = scheme.name
    return out


def scaling_bands(scaled: pd.DataFrame, *, scheme: ScalingScheme | str = "national2021",
                  within: Sequence[str] | str = ("exam", "subject")) -> pd.DataFrame:
    """赋分区间表: per exam × subject × band, its target share, the pupils it got and the raw
    range that maps to its scaled range (an empty band has no raw range).

    Returns
    -------
    DataFrame
        ``exam``, ``subject`` (those present), ``scale_band``, ``target_share``, ``n``,
        ``actual_share``, ``raw_high``, ``raw_low``, ``scaled_high``, ``scaled_low``.
    """
    scheme = get_scheme(scheme)
    keys = [within] if isinstance(within, str) else [k for k in within if k in scaled.columns]
    table = pd.DataFrame([(b.label, b.share, b.top, b.bottom) for b in scheme.bands],
                         columns=["scale_band", "target_share", "scaled_high", "scaled_low"])
    got = scaled.groupby([*keys, "scale_band"], sort=False, dropna=False).agg(
        n=("scaled", "size"), raw_high=("raw_high", "first"), raw_low=("raw_low", "first"))
    groups = scaled[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    full = groups.merge(table, how="cross").merge(got.reset_index(), how="left",
                                                  on=[*keys, "scale_band"])
    full["n"] = full["n"].fillna(0).astype(int)
    sizes = full.groupby(keys, sort=False)["n"].transform("sum") if keys else full["n"].sum()
    full["actual_share"] = full["n"] / sizes
    cols = [*keys, "scale_band", "target_share", "n", "actual_share", "raw_high", "raw_low",
            "scaled_high", "scaled_low"]
    return in_teaching_order(full[cols], keys) if "subject" in keys else full[cols]
