"""增值评价: how far each class or teacher moved its pupils beyond what their entry predicted.

Entry and exit scores are standardised (Z within exam × grade × subject), the exit is regressed
on the entry, and each unit (class, teacher, school) is judged by how its pupils' exits differ
from the prediction:

* **OLS residual mean**: one regression over all pupils; the unit's mean residual with a
  t interval. Simple, but a unit of 8 pupils gets as much credit for luck as one of 45.
* **Mixed model** (a random intercept per unit, REML: :mod:`qualitykit.growth.random_intercept`,
  the model of statsmodels' ``MixedLM`` fitted exactly on its one variance ratio): the unit
  effects are shrunk towards 0 in proportion to how little their data says (empirical Bayes);
  intervals are the conditional (posterior) standard deviations. This is the estimate to
  report. Optional covariates enter both models as fixed effects.

Per pupil, 增值 = Z_exit − β·Z_entry (DOMAIN.md), with β the slope of the fitted model.
Ranks come with intervals, simulated from the estimates' uncertainty: when they overlap the
reading says so. Value-added is about the teaching between two exams: a teacher kept for years
shows no gain over her own earlier results, and a class's 增值 is the credit of the teacher(s)
of that period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..probability import min_ranks, norm_ppf, t_ppf
from ..schema import (
    GROWTH_COLUMNS,
    check_scores_table,
    check_unique_students,
    default_unit,
    sat_rows,
    student_keys,
    unit_keys,
)
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order
from ..term.distribution import standardize

__all__ = ["ValueAdded", "value_added", "match_exams"]

#: What happened to a student × subject between entry and exit.
MATCHES = ("matched", "no_entry", "no_exit", "no_unit")
_UNIT_COLUMNS = ["subject", "n", "z_entry", "z_exit", "gain", "ols", "ols_low", "ols_high", "va",
                 "va_low", "va_high", "va_se", "estimate", "low", "high", "va_method", "rank",
                 "rank_low", "rank_high", "small", "reading"]  # after the unit column
_MODEL_COLUMNS = ["subject", "n", "n_units", "beta", "intercept", "between_sd", "within_sd", "icc",
                  "converged", "reading"]


@dataclass(frozen=True)
class ValueAdded:
    """The result of :func:`value_added`.

    Attributes
    ----------
    students : DataFrame
        One row per student × subject of either exam: ``match`` (:data:`MATCHES`), the unit,
        ``prev_score``, ``score``, ``z_entry``, ``z_exit``, ``expected`` (OLS prediction),
        ``residual`` and ``value_added`` (Z_exit − β·Z_entry; only for ``matched``).
    units : DataFrame
        One row per subject × unit: ``n`` (matched pupils), ``z_entry``/``z_exit`` (means),
        ``gain`` (mean 增值), ``ols``/``ols_low``/``ols_high`` (mean residual and interval),
        ``va``/``va_low``/``va_high`` (mixed-model effect and interval; missing when the
        model puts the spread between units at 0), ``estimate``/``low``/``high`` with
        ``va_method`` (the mixed-model figures, or the OLS ones when there are none), ``rank`` and
        ``rank_low``/``rank_high`` (1 = most value added), ``small`` (fewer pupils than the
        standard's ``va_min_students``), ``reading``.
    models : DataFrame
        One row per subject: ``n``, ``n_units``, ``beta``, ``intercept``, ``between_sd``
        (SD of the unit effects), ``within_sd``, ``icc``, ``converged``, ``reading``.
    by : str
        The unit column.
    confidence : float
    """

    students: pd.DataFrame
    units: pd.DataFrame
    models: pd.DataFrame
    by: str
    confidence: float

    @property
    def reading(self) -> list[str]:
        """One sentence per subject, for the meeting."""
        return self.models["reading"].tolist()

    def _repr_html_(self) -> str:
        return "".join(f"<p>{r}</p>" for r in self.reading) + self.units.to_html(index=False)


def match_exams(current: pd.DataFrame, previous: pd.DataFrame, *,
                keys: Sequence[str] = ("student_id", "subject"), scale: str = "z") -> pd.DataFrame:
    """Every student × subject of two exams, with both scores and their Z.

    Z is taken within exam × grade × subject over all sitters passed in, not only those who
    sat both (several schools are one reference population, so they can be compared). ``match`` is ``matched`` (sat both), ``no_entry`` (sat only the
    current exam: new, or absent last time) or ``no_exit`` (sat only the earlier one).
    ``scale="normal"`` uses rank-based normal scores instead of Z (see :func:`value_added`).
    Students are counted in their current class; those who left keep their earlier class.

    Returns
    -------
    DataFrame
        One row per student × subject of either exam: ``keys``, ``name``, ``school``,
        ``grade``, ``class_id``, ``teacher`` (those the current exam has), ``score``,
        ``z_exit``, ``prev_class_id`` (when the earlier exam has classes), ``prev_score``,
        ``z_entry`` and ``match``.
    """
    keys = list(keys)
    now, before = sat_z(current, scale), sat_z(previous, scale)
    info = [c for c in ("name", "school", "grade", "class_id", "teacher")
            if c in now and c not in keys]
    left = now[keys + info + ["score", "z"]].rename(columns={"z": "z_exit"})
    right = before[keys + [c for c in ("name", "class_id") if c in before and c not in keys]
                   + ["score", "z"]]
    right = right.rename(columns={"score": "prev_score", "z": "z_entry", "name": "prev_name",
                                  "class_id": "prev_class_id"})
    rows = left.merge(right, on=keys, how="outer", indicator=True)
    rows["match"] = rows.pop("_merge").map(
        {"both": "matched", "left_only": "no_entry", "right_only": "no_exit"}).astype(str)
    if "prev_name" in rows:
        rows["name"] = rows["name"].fillna(rows.pop("prev_name")) if "name" in rows \
            else rows.pop("prev_name")
    if "prev_class_id" in rows and "class_id" in rows:
        rows["class_id"] = rows["class_id"].fillna(rows["prev_class_id"])
    return rows


def sat_z(scores: pd.DataFrame, scale: str = "z") -> pd.DataFrame:
    """The pupils who sat with a score, each with ``z`` within exam × grade × subject.

    Parameters
    ----------
    scores : DataFrame
        A canonical long table.
    scale : {"z", "normal"}
        ``"z"``: standard scores (:func:`qualitykit.standardize`); ``"normal"``: rank-based
        normal scores, Φ⁻¹((rank − ½) / n).

    Returns
    -------
    DataFrame
        The rows of ``scores`` that sat, with ``z``; rows without a Z are left out, and a
        pupil's second row for the same subject too.
    """
    sat = sat_rows(scores)
    scope = [k for k in ("exam", "grade", "subject") if k in sat.columns]
    if scale == "normal":  # rank-based normal scores: (rank − ½) / n through the normal quantile
        grouped = sat.groupby(scope, dropna=False)["score"] if scope else sat["score"]
        ranks = grouped.rank(method="average")
        n = grouped.transform("size") if scope else len(sat)
        sat = sat.assign(z=norm_ppf((ranks - 0.5) / n))
    elif scale == "z":
        sat = standardize(sat, within=scope)
    else:
        raise ValueError(f"scale 应为 'z'（标准分）或 'normal'（正态化等级分），收到 {scale!r}。")
    return sat[sat["z"].notna()].drop_duplicates([*student_keys(sat), "subject"])


def value_added(current: pd.DataFrame, previous: pd.DataFrame, *, by: str | None = None,
                teachers: pd.DataFrame | None = None, covariates: Sequence[str] = (),
                scale: str = "z", confidence: float = 0.95,
                standard: Standard | str | None = None, seed: int = 0) -> ValueAdded:
    """增值评价 of classes, teachers or schools between two exams.

    Parameters
    ----------
    current, previous : DataFrame
        Canonical long tables of the exit exam and the entry exam (each may hold several
        grades; Z is taken within each exam × grade × subject). Pupils are matched by
        ``student_id`` and subject.
    by : str, optional
        The unit: ``class_id`` (the pupil's class at the exit exam; the default), ``teacher``
        (from ``teachers``, the 教学编排表 of the exit exam's term, or a ``teacher`` column of
        ``current``), ``school``, or any column of ``current``; for a
        :func:`qualitykit.pre_post` pair the default is the unit it was made with. With several
        schools a class or teacher is identified within its school (``units`` then has a
        ``school`` column) and so is a pupil.
    teachers : DataFrame, optional
        Needed for ``by="teacher"`` unless ``current`` has a ``teacher`` column.
    covariates : column names of ``current``
        Pupil-level covariates (e.g. ``sex``, or a second prior score); text columns enter as
        indicators.
    scale : {"z", "normal"}
        ``"z"``: Z scores (DOMAIN.md). ``"normal"``: rank-based normal scores, which undo the
        ceiling of an easy paper (means of 85/100 are common) before the regression.
    confidence : float
        Of every interval.
    standard : Standard, preset name or TOML path
        ``va_min_students``: units with fewer matched pupils are marked ``small``.
    seed : int
        Of the simulation behind the rank intervals (results are reproducible).

    Returns
    -------
    ValueAdded

    Raises
    ------
    ScoreFileError
        When a pupil has two rows for the same exam × subject (the message names them).

    Examples
    --------
    >>> import qualitykit as qk
    >>> va = qk.value_added(qk.load_sample(exam="2025-2026-2 期末", grade=5),
    ...                     qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> maths = va.units[va.units["subject"] == "数学"]
    >>> maths[["class_id", "n", "estimate", "low", "high", "rank_low", "rank_high"]].round(2)
       class_id   n  estimate   low  high  rank_low  rank_high
    1       5-1  35      0.08 -0.09  0.25         1          3
    5       5-2  40      0.17  0.01  0.32         1          2
    9       5-3  41     -0.12 -0.28  0.04         2          4
    13      5-4  44     -0.13 -0.28  0.03         2          4
    """
    std = get_standard(standard)
    _check_exams(current, previous, confidence)
    by = default_unit(current, by)
    current = _with_unit(current, by, teachers, covariates)
    rows, keys, unit = _matched_rows(current, previous, by, list(covariates), scale)
    students, units, models = _fit_subjects(rows, unit, list(covariates), confidence, std,
                                            seed, by, pd.unique(current["subject"]))
    return ValueAdded(students=_student_table(students, keys, by),
                      units=_unit_table(units, rows, unit, by, keys),
                      models=in_teaching_order(pd.DataFrame(models, columns=_MODEL_COLUMNS),
                                               ["subject"]),
                      by=by, confidence=confidence)


def _check_exams(current: pd.DataFrame, previous: pd.DataFrame, confidence: float) -> None:
    """Refuse a confidence outside (0, 1), a table that is not a score table (in Chinese,
    naming the column) and a table holding more than one exam."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence 应在 0 与 1 之间，收到 {confidence!r}。")
    for name, table in (("current", current), ("previous", previous)):
        check_scores_table(table, where=f"value_added（{name}）", required=GROWTH_COLUMNS,
                           bounds=False)
        if table["exam"].nunique() > 1:
            raise ValueError(f"{name} 中有多次考试 {list(table['exam'].unique())}；value_added "
                             "比较两次考试（入口与出口），每个表只放一次。多次考试请用 trend。")


def _matched_rows(current: pd.DataFrame, previous: pd.DataFrame, by: str,
                  covariates: list[str], scale: str) -> tuple[pd.DataFrame, list[str], str]:
    """Every student × subject of both exams with the unit and covariates; matched pupils
    without a unit become ``no_unit``. Also the unit's key columns and the model's group
    column (see :func:`_unit_column`)."""
    ids = [*student_keys(current, previous), "subject"]
    check_unique_students(current, what="出口考试（current）", function="value_added", keys=ids[:-1])
    check_unique_students(previous, what="入口考试（previous）", function="value_added",
                          keys=ids[:-1])
    rows = match_exams(current[[c for c in current if c not in covariates]], previous,
                       keys=ids, scale=scale)
    if covariates:
        rows = rows.merge(current.drop_duplicates(ids)[[*ids, *covariates]], on=ids, how="left")
    if by not in rows:  # a unit column of the school's own (e.g. 分层, 走班 group)
        rows = rows.merge(current.drop_duplicates(ids)[[*ids, by]], on=ids, how="left")
    keys = unit_keys(current, [by])
    unit = _unit_column(rows, keys)
    no_unit = rows["match"].eq("matched") & rows[unit].isna()
    rows.loc[no_unit, "match"] = "no_unit"
    return rows, keys, unit


def _fit_subjects(rows: pd.DataFrame, unit: str, covariates: list[str], confidence: float,
                  std: Standard, seed: int, by: str, subjects) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame, list]:
    """Fit each subject's models: pupils, units and one model row per subject of
    ``subjects`` (a subject nobody sat twice still gets its reading)."""
    students, units, models = [], [], []
    rng = np.random.default_rng(seed)
    for subject, part in rows.groupby("subject", sort=False):
        s, u, m = _fit_subject(part, unit, covariates, confidence, std, rng, by)
        students.append(s)
        units.append(u)
        models.append({"subject": subject, **m})
    seen = {m["subject"] for m in models}
    models += [_model_row(s) for s in subjects if s not in seen]
    students = pd.concat(students, ignore_index=True) if students else rows
    units = [u for u in units if len(u)]  # a subject too small to fit has no units
    units = pd.concat(units, ignore_index=True) if units else pd.DataFrame(
        columns=[unit, *_UNIT_COLUMNS])
    return students, units, models


def _unit_table(units: pd.DataFrame, rows: pd.DataFrame, unit: str, by: str,
                keys: list[str]) -> pd.DataFrame:
    """The units back under their own columns (school and class, or teacher), in order."""
    if unit != by and len(units):  # back to the school and the class (or teacher)
        names = rows.dropna(subset=[unit]).drop_duplicates(unit)[[unit, *keys]]
        units = names.merge(units, on=unit, how="right").drop(columns=unit)
    elif unit != by:
        units = units.rename(columns={unit: by})
    order = [by, "subject"] if by == "class_id" else ["subject", by]
    return in_teaching_order(units, unit_keys(units, order)) if len(units) else units


def _student_table(students: pd.DataFrame, keys: list[str], by: str) -> pd.DataFrame:
    """The pupils' columns in their documented order, by class, subject and pupil."""
    columns = [*[k for k in keys if k != by], "student_id", "name", "class_id", "prev_class_id",
               by, "subject", "match", "prev_score", "score", "z_entry", "z_exit", "expected",
               "residual", "value_added"]
    students = students.reindex(columns=list(dict.fromkeys(columns)))
    return in_teaching_order(students, unit_keys(students, ["class_id", "subject",
                                                            "student_id"]))


def _unit_column(rows: pd.DataFrame, keys: list[str]) -> str:
    """The column the models group by: the unit itself, or "学校 班级" when a class (or
    teacher) is named within its school."""
    if len(keys) == 1:
        return keys[0]
    have = rows[keys].notna().all(axis=1)
    rows["_unit"] = rows[keys].astype(str).agg(" ".join, axis=1).where(have)
    return "_unit"


def _with_unit(current: pd.DataFrame, by: str, teachers: pd.DataFrame | None,
               covariates: Sequence[str]) -> pd.DataFrame:
    """The exit exam with its unit column (teachers assigned from ``teachers``); refuses a
    unit or a covariate that is not there."""
    if by == "teacher" and teachers is not None:
        from ..term.teachers import assign_teachers
        current = assign_teachers(current, teachers)
    elif by not in current:
        hint = "（按教师请传入教学编排表 teachers=）" if by == "teacher" else ""
        raise ValueError(f"成绩表没有 {by} 列{hint}，无法按它计算增值。")
    missing = [c for c in covariates if c not in current]
    if missing:
        raise ValueError(f"协变量 {missing} 不在成绩表中（covariates must be columns of "
                         "current）。")
    return current


def _design(part: pd.DataFrame, covariates: list[str]) -> pd.DataFrame:
    x = pd.DataFrame({"const": 1.0, "z_entry": part["z_entry"].astype(float)}, index=part.index)
    for c in covariates:
        col = part[c]
        if pd.api.types.is_numeric_dtype(col):
            x[c] = col.astype(float)
        else:
            x = x.join(pd.get_dummies(col.astype(str), prefix=c, drop_first=True, dtype=float))
    return x


def least_squares(x: pd.DataFrame, y: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The OLS fit of ``y`` on the columns of ``x``: coefficients (by column) and fitted
    values, by the pseudo-inverse as statsmodels' ``OLS(y, x).fit()`` computes them (the same
    numbers, ``tests/test_growth.py``; without importing statsmodels, ≈ 0.3 s).

    >>> x = pd.DataFrame({"const": 1.0, "z_entry": [0.0, 1.0, 2.0]})
    >>> least_squares(x, pd.Series([1.0, 3.0, 5.0]))[0].round(6).tolist()
    [1.0, 2.0]
    """
    params = np.linalg.pinv(x.to_numpy(float)) @ y.to_numpy(float)
    return pd.Series(params, index=x.columns), pd.Series(x.to_numpy(float) @ params,
                                                         index=x.index)


def _model_row(subject: str, n: int = 0, n_units: int = 0) -> dict:
    """A subject's model before fitting; its reading says why when it cannot be fitted."""
    return {"subject": subject, "n": n, "n_units": n_units, "beta": np.nan,
            "intercept": np.nan, "between_sd": np.nan, "within_sd": np.nan, "icc": np.nan,
            "converged": False,
            "reading": f"{subject}：两次都参加（且成绩有差异）的学生不足 3 人，无法计算增值。"}


def _fit_subject(part, by, covariates, confidence, std, rng, unit_name=None):
    """One subject: the OLS and mixed models, each pupil's 增值 and each unit's estimate.

    Returns the pupils (with ``expected``, ``residual``, ``value_added``), the units (the
    columns of :attr:`ValueAdded.units`) and the model row without its subject.
    """
    fit = part[part["match"].eq("matched")].dropna(subset=["z_entry", "z_exit", *covariates])
    out = part.copy()
    n_units = fit[by].nunique()
    model = _model_row(part["subject"].iloc[0], len(fit), n_units)
    del model["subject"]
    if len(fit) < 3 or n_units < 1:
        return out, pd.DataFrame(), model
    x = _design(fit, covariates)
    y = fit["z_exit"].astype(float)
    params, expected = least_squares(x, y)
    out.loc[fit.index, "expected"] = expected
    out.loc[fit.index, "residual"] = y - expected
    units = _ols_units(fit.assign(residual=y - expected), by, confidence)
    beta, intercept = float(params["z_entry"]), float(params["const"])
    if n_units >= 3:
        units, fixed = _mixed_units(units, fit, x, y, by, confidence, model)
        beta, intercept = fixed or (beta, intercept)
    model.update(beta=beta, intercept=intercept)
    out.loc[fit.index, "value_added"] = fit["z_exit"] - beta * fit["z_entry"]
    units["gain"] = units[by].map(out.loc[fit.index].groupby(by)["value_added"].mean())
    mixed_ok = units["va"].notna().all()
    units["va_method"] = "mixed" if mixed_ok else "ols"
    for column, source in (("estimate", ""), ("low", "_low"), ("high", "_high")):
        units[column] = units[f"va{source}"] if mixed_ok else units[f"ols{source}"]
    units = _ranks(units, rng, confidence)
    units["small"] = units["n"] < std.va_min_students
    units["reading"] = [_unit_reading(r, std.va_min_students) for r in units.itertuples()]
    units.insert(1, "subject", part["subject"].iloc[0])
    model["reading"] = _subject_reading(part["subject"].iloc[0], units, model, by, confidence,
                                        unit_name or by)
    return out, units[[by, *_UNIT_COLUMNS]], model


def _ols_units(fit: pd.DataFrame, by: str, confidence: float) -> pd.DataFrame:
    """Per unit: pupils, mean entry and exit Z, the mean OLS residual and its t interval; the
    mixed-model columns still empty."""
    g = fit.groupby(by, sort=False)
    units = g.agg(n=("residual", "size"), z_entry=("z_entry", "mean"), z_exit=("z_exit", "mean"),
                  ols=("residual", "mean"), _sd=("residual", "std")).reset_index()
    q = (1 + confidence) / 2
    half = t_ppf(q, (units["n"] - 1).clip(lower=1)) * units["_sd"] / np.sqrt(units["n"])
    units["ols_low"], units["ols_high"] = units["ols"] - half, units["ols"] + half
    units["va"] = units["va_low"] = units["va_high"] = units["va_se"] = np.nan
    return units


def _mixed_units(units: pd.DataFrame, fit: pd.DataFrame, x: pd.DataFrame, y: pd.Series,
                 by: str, confidence: float, model: dict):
    """The mixed model's shrunken effects with their intervals added to ``units``, its
    variance components written into ``model``, and its (β, intercept); None for these when
    the model cannot be fitted. Effects on the boundary (no spread between units) are
    blanked: every one shrunk to 0 would show a false precision."""
    mixed = _mixed(fit, x, y, by)
    if mixed is None:
        return units, None
    res, effects = mixed
    z = norm_ppf((1 + confidence) / 2)
    units = units.merge(effects, on=by, how="left", suffixes=("_drop", ""))
    units = units.drop(columns=[c for c in units if c.endswith("_drop")])
    units["va_low"] = units["va"] - z * units["va_se"]
    units["va_high"] = units["va"] + z * units["va_se"]
    between = float(np.sqrt(max(res.between_var, 0.0)))
    within = float(np.sqrt(res.scale))
    model.update(between_sd=between, within_sd=within,
                 icc=between**2 / (between**2 + within**2), converged=True)
    if between < 1e-3:  # on the boundary: every effect shrunk to 0 with a false precision
        units[["va", "va_low", "va_high", "va_se"]] = np.nan
    beta = dict(zip(x.columns, res.fe_params))
    return units, (float(beta["z_entry"]), float(beta["const"]))


def _mixed(fit, x, y, by):
    """Random intercept per unit (REML, :func:`~qualitykit.growth.random_intercept.
    fit_random_intercept`): the fit, and each unit's shrunken effect and conditional SD."""
    from .random_intercept import fit_random_intercept

    keys = fit[by].astype(str).to_numpy()
    res = fit_random_intercept(y.to_numpy(float), x.to_numpy(float), keys)
    if res is None:
        return None
    labels = fit[[by]].drop_duplicates().assign(_key=lambda d: d[by].astype(str))
    position = {k: i for i, k in enumerate(res.units)}
    at = labels["_key"].map(position).to_numpy()
    labels["va"] = res.effects[at]
    labels["va_se"] = np.sqrt(res.effects_var[at])
    return res, labels.drop(columns="_key")


def _ranks(units: pd.DataFrame, rng, confidence: float, draws: int = 2000) -> pd.DataFrame:
    """Rank 1 = most value added; the interval from draws of every unit's estimate.

    A unit without an interval (one pupil) could be anywhere: it is drawn with a spread far
    wider than any other, so its own rank interval runs from 1 to the last and the others
    allow for it. Ties share the best rank in the draws as in ``rank``, and the interval is
    held to contain ``rank``.
    """
    est = units["estimate"]
    se = units["va_se"] if units["va_method"].eq("mixed").all() else (
        (units["ols_high"] - units["ols"]) / norm_ppf((1 + confidence) / 2))
    units = units.copy()
    units["rank"] = est.rank(ascending=False, method="min").astype("Int64")
    se = se.to_numpy(float)
    known = se[np.isfinite(se)]
    unknown_spread = 1e3 * max(float(known.max()) if len(known) else 1.0, 1.0)
    se = np.where(np.isfinite(se), se, unknown_spread)
    sims = est.to_numpy()[None, :] + rng.standard_normal((draws, len(units))) * se[None, :]
    ranks = min_ranks(-sims)
    lo, hi = (1 - confidence) / 2, (1 + confidence) / 2
    point = units["rank"].to_numpy(float)
    units["rank_low"] = np.minimum(np.floor(np.quantile(ranks, lo, axis=0)), point).astype(int)
    units["rank_high"] = np.maximum(np.ceil(np.quantile(ranks, hi, axis=0)), point).astype(int)
    return units


def _unit_reading(r, min_n: int) -> str:
    low, high = r.low, r.high
    if np.isnan(low):
        text = "无法估计"
    elif low > 0:
        text = "高于预期（区间在 0 以上）"
    elif high < 0:
        text = "低于预期（区间在 0 以下）"
    else:
        text = "与预期无明显差别（区间含 0）"
    if r.n < min_n:
        text += f"；人数 {r.n} 少于 {min_n}，仅供参考"
    return text


def _subject_reading(subject, units, model, by, confidence, unit_name) -> str:
    from ..labels import label

    who = {"class_id": "班", "teacher": "位教师", "school": "所学校"}.get(
        unit_name, f"个{label(unit_name)}")
    est = "va" if units["va_method"].eq("mixed").all() else "ols"
    low, high = units["low"], units["high"]
    above, below = int((low > 0).sum()), int((high < 0).sum())
    n = len(units)
    pct = round(confidence * 100)
    text = (f"{subject}：{n} {who}中 {above} 个增值高于预期、{below} 个低于预期"
            f"（{pct}% 区间不含 0），其余与预期无明显差别。")
    if n >= 2:
        order = units.sort_values(est, ascending=False)
        top, bottom = order.iloc[0], order.iloc[-1]
        if top[f"{est}_low"] <= bottom[f"{est}_high"]:
            text += "最高与最低者的区间重叠：名次先后不能说明增值有差别。"
        widest = units.loc[(units["rank_high"] - units["rank_low"]).idxmax()]
        if widest["rank_high"] > widest["rank_low"]:
            text += (f"名次要连同区间看：如 {widest[by]} 的名次区间为第 {widest['rank_low']}–"
                     f"{widest['rank_high']} 名。")
    if est == "ols" and model["between_sd"] < 1e-3:
        text += ("混合模型估计单位间差异为 0（数据不足以区分各单位，收缩估计全为 0），"
                 "上面用的是残差均值及其 t 区间。")
    if est == "ols" and model["n_units"] < 3:
        text += "单位少于 3 个，未拟合混合模型，区间为残差均值的 t 区间。"
    return text
