"""位次奖: money per position of a class or teacher in the county's ranking, by a school's rule.

The rules quoted in the school documents count positions *up from near the bottom*: "倒数第4名
至倒数第9名每个位次嘉奖20元；倒数第10名至倒数第14名每个位次嘉奖30元；倒数第15名至顺数第1名每个
位次嘉奖50元". Each position above 倒数第 ``count_from`` (3) is paid at the rate of the band it
lies in (the cumulative reading): 倒数第12 = positions 4–12 = 6×20 + 3×30 = 210 元. The flat
reading (every position at the rate of the band reached: 9×30 = 270 元) is an option. The top
places get specials (300/200/100 元). A rule may exclude the teachers placed 倒数第1/第2.

A teacher of two or more courses is paid once, at the mean of her positions: her 倒数位次 is the
mean of her courses' 倒数位次 rounded *down* (a position counts only when it is reached:
11.5 → 倒数第11) and her 参评数 the mean of theirs rounded half up; her 顺数位次 (for the top
specials) follows as 参评数 − 倒数位次 + 1.

Rules live in a TOML file (``templates/位次奖.toml`` holds the two presets of the documents).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "AWARD_COLUMNS",
    "AwardRule",
    "Band",
    "award_rules",
    "awards",
    "band_amounts",
    "rank_units",
    "run_awards",
    "write_awards",
]

#: Columns of :func:`awards` before the per-band columns.
AWARD_COLUMNS = ["school", "teacher", "grade", "subject", "class_id", "basis", "rank",
                 "n_ranked", "rank_from_bottom", "positions"]
_END = re.compile(r"^(倒数|顺数)第?(\d+)名?$")
_COUNTING = ("cumulative", "flat")
_RULES_FILE = Path(__file__).resolve().parents[2] / "templates" / "位次奖.toml"


@dataclass(frozen=True)
class Band:
    """Positions ``start``…``end`` (each "倒数第n" or "顺数第n", both ends included) at ``rate``
    元 per position. ``start`` is the lower end: "倒数第15" to "顺数第1" is empty where fewer
    than 15 units are ranked."""

    start: str
    end: str
    rate: float

    def __post_init__(self) -> None:
        for end in (self.start, self.end):
            if not _END.match(str(end)):
                raise ValueError(f"位次奖规则的位次段端点“{end}”应写成“倒数第4”或“顺数第1”(band end)。")
        if not self.rate >= 0:
            raise ValueError(f"位次奖规则的每位次金额 rate 应 ≥ 0，收到 {self.rate!r}。")

    @property
    def label(self) -> str:
        return f"{self.start}至{self.end}名"

    def covers(self, from_bottom: int, n_ranked: int) -> bool:
        """Whether the position ``from_bottom`` (倒数位次) of ``n_ranked`` lies in the band."""
        return (_from_bottom(self.start, n_ranked) <= from_bottom
                <= _from_bottom(self.end, n_ranked))


def _from_bottom(end: str, n_ranked: int) -> int:
    """"倒数第4" → 4; "顺数第1" of 20 → 20."""
    side, n = _END.match(end).groups()
    return int(n) if side == "倒数" else n_ranked - int(n) + 1


@dataclass(frozen=True)
class AwardRule:
    """A 位次奖 rule.

    Parameters
    ----------
    name, text : str
        What the rule is called and its wording (quoted in the output).
    bands : tuple of Band
        The rate of each position; where bands overlap (few units ranked), the band listed
        later wins.
    count_from : int
        Positions are counted above 倒数第 ``count_from`` (3: 倒数第4 is the first paid).
    specials : tuple of float
        Extra money for 顺数第1, 第2, … (300, 200, 100).
    excluded_bottom : int
        Teachers with any course placed 倒数第1 … 倒数第 ``excluded_bottom`` get nothing (0: none).
    counting : {"cumulative", "flat"}
        Each position at its band's rate, or every position at the rate of the band reached.
    ranking : {"lexicographic", "composite"}
        How ranks are computed from a 联考 file (:func:`qualitykit.rank_units`).
    ranking_order : tuple of str
        Lexicographic keys, most important first (合格率, then 均分, then 优秀率).
    composite_weights : mapping
        Weights of the composite ranking (as in :class:`qualitykit.Standard`).
    """

    name: str
    text: str
    bands: tuple[Band, ...]
    count_from: int = 3
    specials: tuple[float, ...] = ()
    excluded_bottom: int = 0
    counting: str = "cumulative"
    ranking: str = "lexicographic"
    ranking_order: tuple[str, ...] = ("pass_rate", "mean", "excellent_rate")
    composite_weights: tuple[tuple[str, float], ...] = (("mean", 0.4), ("pass_rate", 0.3),
                                                        ("excellent_rate", 0.3))

    def __post_init__(self) -> None:
        if self.counting not in _COUNTING:
            raise ValueError(f"位次奖规则 {self.name} 的 counting 应为 {_COUNTING} 之一"
                             f"（cumulative 逐位次累计 / flat 按所达档次），收到 {self.counting!r}。")
        if self.ranking not in ("lexicographic", "composite"):
            raise ValueError(f"位次奖规则 {self.name} 的 ranking 应为 lexicographic（合格率→均分→优秀率）"
                             f"或 composite（加权综合分），收到 {self.ranking!r}。")
        for key in ("count_from", "excluded_bottom"):
            value = getattr(self, key)
            if not (isinstance(value, int) and value >= 0):
                raise ValueError(f"位次奖规则 {self.name} 的 {key} 应为 ≥ 0 的整数，收到 {value!r}。")
        if not self.bands:
            raise ValueError(f"位次奖规则 {self.name} 没有位次段 (bands)。")

    def rate(self, from_bottom: int, n_ranked: int) -> tuple[int | None, float]:
        """The band (index) and rate of one position; ``(None, 0)`` outside every band."""
        hit = [i for i, b in enumerate(self.bands) if b.covers(from_bottom, n_ranked)]
        return (hit[-1], self.bands[hit[-1]].rate) if hit else (None, 0.0)


def award_rules(path: str | Path | None = None) -> dict[str, AwardRule]:
    """The rules of a TOML file (default: ``templates/位次奖.toml``, the two presets).

    Each table of the file is one rule: ``[non_graduating]`` with ``name``, ``text``,
    ``bands = [{ from = "倒数第4", to = "倒数第9", rate = 20 }, …]`` and the other settings
    of :class:`AwardRule`.

    >>> sorted(award_rules())
    ['graduating', 'non_graduating']
    """
    path = Path(path) if path is not None else _RULES_FILE
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {key: _rule_of(key, table, path.name) for key, table in data.items()
            if isinstance(table, dict)}


def _rule_of(key: str, table: dict, file: str) -> AwardRule:
    table = dict(table)
    try:
        table["bands"] = tuple(Band(b["from"], b["to"], float(b["rate"]))
                               for b in table.get("bands", ()))
    except KeyError as exc:
        raise ValueError(f"{file} 的 [{key}] 中位次段缺少 {exc.args[0]}：应写成 "
                         "{ from = \"倒数第4\", to = \"倒数第9\", rate = 20 }。") from None
    for name in ("specials", "ranking_order"):
        if name in table:
            table[name] = tuple(table[name])
    if "composite_weights" in table:
        table["composite_weights"] = tuple(table["composite_weights"].items())
    table.setdefault("name", key)
    allowed = set(AwardRule.__dataclass_fields__)
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{file} 的 [{key}] 中有未知的设置 {unknown}；可用：{sorted(allowed)}。")
    return AwardRule(**table)


def band_amounts(from_bottom: int, n_ranked: int, rule: AwardRule) -> dict[str, float]:
    """Positions and money of one 倒数位次 by ``rule`` (before any exclusion).

    Returns
    -------
    dict
        ``positions`` (counted above 倒数第 ``count_from``), ``band_{i}_positions`` and
        ``band_{i}_amount`` for each band (1-based), ``special`` and ``amount`` (the total).

    Examples
    --------
    >>> r = award_rules()["non_graduating"]
    >>> band_amounts(12, 30, r)["amount"]  # 6×20 + 3×30
    210.0
    >>> band_amounts(30, 30, r)["amount"]  # 6×20 + 5×30 + 16×50 + 300
    1370.0
    """
    out: dict[str, float] = {"positions": max(0, from_bottom - rule.count_from)}
    for i in range(1, len(rule.bands) + 1):
        out[f"band_{i}_positions"], out[f"band_{i}_amount"] = 0, 0.0
    reached, reached_rate = rule.rate(from_bottom, n_ranked)
    for p in range(rule.count_from + 1, from_bottom + 1):
        band, rate = (reached, reached_rate) if rule.counting == "flat" \
            else rule.rate(p, n_ranked)
        if band is not None:
            out[f"band_{band + 1}_positions"] += 1
            out[f"band_{band + 1}_amount"] += rate
    place = n_ranked - from_bottom + 1  # 顺数位次
    out["special"] = float(rule.specials[place - 1]) if 1 <= place <= len(rule.specials) else 0.0
    out["amount"] = sum(out[f"band_{i}_amount"] for i in range(1, len(rule.bands) + 1)) \
        + out["special"]
    return out


def awards(rankings: pd.DataFrame, rule: AwardRule) -> pd.DataFrame:
    """位次奖 of every teacher (or class) of a ranking table.

    Parameters
    ----------
    rankings : DataFrame
        :func:`qualitykit.read_rankings` or :func:`qualitykit.rank_units`: ``school``,
        ``teacher``, ``grade``, ``subject``, ``class_id``, ``rank`` (位次) and ``n_ranked``
        (参评数). Rows of the same school × teacher are one teacher (without a teacher name,
        each row is paid on its own).
    rule : AwardRule

    Returns
    -------
    DataFrame
        :data:`AWARD_COLUMNS` — ``basis`` is ``course`` (paid on this course's position) or
        ``mean`` (the row of a teacher of several courses, paid at her mean position; her
        course rows then show their positions and no money) — then ``band_{i}_positions`` and
        ``band_{i}_amount`` per band of the rule, ``special``, ``excluded`` (bool), ``amount``
        (元) and ``note``.

    Examples
    --------
    >>> r = award_rules()["non_graduating"]
    >>> t = pd.DataFrame({"school": "甲校", "teacher": ["王", "李"], "grade": 7,
    ...                   "subject": "数学", "class_id": ["7-1", "7-2"], "rank": [19, 1],
    ...                   "n_ranked": 30})
    >>> awards(t, r)[["teacher", "rank_from_bottom", "amount"]]
      teacher  rank_from_bottom  amount
    0       王                12   210.0
    1       李                30  1370.0
    """
    table = rankings.copy()
    for col in ("school", "teacher", "class_id"):
        table[col] = table[col].fillna("").astype(str) if col in table else ""
    table["rank_from_bottom"] = table["n_ranked"] - table["rank"] + 1
    rows = []
    for who, part in table.groupby(_teacher_keys(table), sort=False):
        rows += _teacher_rows(part, rule)
    columns = AWARD_COLUMNS + [f"band_{i}_{k}" for i in range(1, len(rule.bands) + 1)
                               for k in ("positions", "amount")] + ["special", "excluded",
                                                                    "amount", "note"]
    return pd.DataFrame(rows, columns=columns)


def _teacher_keys(table: pd.DataFrame) -> pd.Series:
    """Who is paid: school × teacher; a row without a teacher name is its own unit."""
    named = table["teacher"].ne("")
    return (table["school"] + "\u0000" + table["teacher"]).where(
        named, "\u0001" + table.index.astype(str))


def _teacher_rows(part: pd.DataFrame, rule: AwardRule) -> list[dict]:
    """The output rows of one teacher: her courses, and her mean row when she has several."""
    excluded = bool((part["rank_from_bottom"] <= rule.excluded_bottom).any())
    why = f"有科目位居倒数第{rule.excluded_bottom}名以内，不享受嘉奖" if excluded else ""
    base = part.iloc[0]
    courses = [{**{k: row[k] for k in ("school", "teacher", "grade", "subject", "class_id",
                                       "rank", "n_ranked", "rank_from_bottom")},
                "basis": "course"} for _, row in part.iterrows()]
    if len(part) == 1:
        paid = courses[0]
    else:
        for c in courses:
            c["note"] = "按平均名次计奖（见“平均”行）"
        n_ranked = math.floor(part["n_ranked"].mean() + 0.5)
        from_bottom = math.floor(part["rank_from_bottom"].mean() + 1e-9)
        paid = {"school": base["school"], "teacher": base["teacher"], "grade": base["grade"],
                "subject": "、".join(part["subject"]), "class_id": "、".join(part["class_id"]),
                "basis": "mean", "rank": n_ranked - from_bottom + 1, "n_ranked": n_ranked,
                "rank_from_bottom": from_bottom,
                "note": f"{len(part)} 门平均：倒数位次 {part['rank_from_bottom'].mean():g} 向下取整"}
        courses.append(paid)
    paid.update(band_amounts(int(paid["rank_from_bottom"]), int(paid["n_ranked"]), rule))
    if excluded:
        paid.update({k: 0.0 for k in paid if k.endswith("_amount")}, special=0.0, amount=0.0)
    paid["excluded"] = excluded
    paid["note"] = "；".join(filter(None, (paid.get("note", ""), why)))
    return courses


def rank_units(scores: pd.DataFrame, rule: AwardRule, *, teachers: pd.DataFrame | None = None,
               standard=None) -> pd.DataFrame:
    """位次 of every class (or teacher) of a 联考 file, by the rule's ranking.

    Each unit is ranked among the units of the same grade × subject (× exam) of every school:
    a class within its school, or, with ``teachers``, a teacher over the pupils of all her
    classes of that subject ("按所代班级学生的应试成绩重新归类核算"). ``lexicographic``: by
    ``rule.ranking_order`` (合格率, then 均分, then 优秀率), a later key only deciding between
    units equal on the earlier ones; ``composite``: by the weighted 综合分. Units equal on
    every key share the better position and the next one is skipped (1, 2, 2, 4). Rates are
    compared as fractions and means to 10⁻⁹ (so that 30/40 and 15/20 tie).

    Parameters
    ----------
    scores : DataFrame
        The canonical long table of the 联考 (:func:`qualitykit.read_scores`).
    rule : AwardRule
    teachers : DataFrame, optional
        The 教学编排表 (with 学校 when it covers several schools).
    standard : Standard, preset name or TOML path, optional
        The pass and excellent lines.

    Returns
    -------
    DataFrame
        The columns of :func:`qualitykit.read_rankings` (``rank``, ``n_ranked``) and the
        ``n_sat``, ``pass_rate``, ``mean``, ``excellent_rate`` and ``composite`` they were
        ranked on.
    """
    from ..term.indicators import summary
    from ..term.teachers import assign_teachers

    data = scores.copy(deep=False)  # copy-on-write: a column added here stays here
    if teachers is not None:
        data = assign_teachers(data, teachers).dropna(subset=["teacher"])
    if "school" not in data:
        data["school"] = ""
    unit = ["school", "teacher" if teachers is not None else "class_id"]
    peers = [k for k in ("exam", "grade") if k in data and data[k].notna().all()] + ["subject"]
    table = summary(data, by=peers + unit, standard=standard)
    weights = dict(rule.composite_weights)
    table["composite"] = 100 * sum(w * (table["difficulty"] if k == "mean" else table[k])
                                   for k, w in weights.items())
    keys = list(rule.ranking_order) if rule.ranking == "lexicographic" else ["composite"]
    table["rank"] = pd.concat([_competition_rank(part[keys])
                               for _, part in table.groupby(peers, sort=False)])
    table["n_ranked"] = table.groupby(peers)["rank"].transform("size")
    for col in ("teacher", "class_id", "grade"):
        if col not in table:
            table[col] = pd.NA if col == "grade" else ""
    table["class_name"] = table["class_id"]
    return table[["school", "grade", "subject", "class_id", "class_name", "teacher", "rank",
                  "n_ranked", "n_sat", "pass_rate", "mean", "excellent_rate", "composite"]]


def _competition_rank(values: pd.DataFrame) -> pd.Series:
    """1 + the number of rows better on the first key, or equal on it and better on the next…
    (lexicographic; NaN ranks last; values compared rounded to 10⁻⁹).

    One sort instead of comparing every pair: the rows' distinct key tuples are numbered in
    ascending order, and the rows better than a row are those of a higher number.
    """
    keys = pd.DataFrame({i: [-math.inf if pd.isna(v) else round(float(v), 9)
                             for v in values[c]] for i, c in enumerate(values.columns)})
    codes = keys.groupby(list(keys.columns), sort=True).ngroup().to_numpy()
    at_most = np.cumsum(np.bincount(codes))  # rows with a tuple ≤ each distinct tuple
    return pd.Series(1 + len(codes) - at_most[codes], index=values.index)


def award_headers(rule: AwardRule) -> dict[str, str]:
    """The Chinese column names of :func:`awards` under ``rule`` (band columns by their band)."""
    from ..labels import LABELS

    heads = {k: LABELS.get(k, k) for k in AWARD_COLUMNS + ["special", "excluded", "amount",
                                                            "note"]}
    heads["basis"], heads["rank"] = "计奖依据", "位次"
    for i, band in enumerate(rule.bands, 1):
        heads[f"band_{i}_positions"] = f"{band.label}·位次数"
        heads[f"band_{i}_amount"] = f"{band.label}·金额(每位次{band.rate:g}元)"
    return heads


def write_awards(table: pd.DataFrame, rule: AwardRule, path: str | Path) -> Path:
    """``位次奖.xlsx``: the table of :func:`awards` in Chinese, and the rule used."""
    from ..io.excel import write_sheets

    shown = table.assign(basis=table["basis"].map({"course": "本科目", "mean": "平均名次"}),
                         excluded=table["excluded"].map({True: "是"}).fillna(""))
    shown = shown.rename(columns=award_headers(rule))
    reading = "逐位次累计（每个位次按所在段计）" if rule.counting == "cumulative" \
        else "按所达档次（所有位次按达到的那一段计）"
    lines = [f"规则：{rule.name}", f"原文：{rule.text}",
             f"计算方法：{reading}；从倒数第{rule.count_from}名往上数位次",
             *(f"位次段：{b.label}，每位次 {b.rate:g} 元" for b in rule.bands),
             "特殊奖：" + ("、".join(f"顺数第{i}名 {v:g} 元" for i, v in
                                   enumerate(rule.specials, 1)) or "无"),
             f"不享受嘉奖：任一科目位居倒数第{rule.excluded_bottom}名以内" if rule.excluded_bottom
             else "不享受嘉奖：无此条",
             "一人多门：按各门倒数位次的平均计奖，平均值向下取整；参评数取平均（四舍五入）"]
    return write_sheets(path, {"位次奖": shown, "规则": pd.DataFrame({"所用规则": lines})})


def run_awards(file: str | Path | None, *, league: str | Path | None = None,
               teachers: str | Path | None = None, rule_file: str | Path | None = None,
               preset: str = "non_graduating", flat: bool = False, standard=None,
               full_marks: dict | None = None, out: str | Path = "位次奖.xlsx") -> list[str]:
    """``qualitykit awards``: read the ranks (a 通报 sheet, or a 联考 file ranked by the rule),
    pay them by the rule, write ``位次奖.xlsx``; returns the lines to print (Chinese)."""
    from dataclasses import replace

    rules = award_rules(rule_file)
    if preset not in rules:
        raise ValueError(f"--preset 的取值“{preset}”不在规则文件中；可选：{'、'.join(rules)}。")
    rule = replace(rules[preset], counting="flat") if flat else rules[preset]
    if (file is None) == (league is None):
        raise ValueError("请给出县成绩通报表，或用 --league 给出联考成绩表（二者选一）。")
    if file is not None:
        ranks = _read_bulletin(file)
    else:
        from ..io.scores import read_scores, read_teachers
        from ..standard import get_standard

        marks = get_standard(standard).full_marks_with(full_marks)
        ranks = rank_units(read_scores(league, full_marks=marks), rule, standard=standard,
                           teachers=read_teachers(teachers) if teachers else None)
    table = awards(ranks, rule)
    path = write_awards(table, rule, out)
    paid = table[table["amount"].notna()]
    told = (f"位次奖（{rule.name}）：{len(paid)} 人/单位，合计 {paid['amount'].sum():g} 元；"
            f"不享受嘉奖 {int(paid['excluded'].sum())} 人。")
    return [told, f"已保存：{Path(path).resolve()}"]


def _read_bulletin(file: str | Path) -> pd.DataFrame:
    from ..io.rankings import read_rankings

    return read_rankings(file)
