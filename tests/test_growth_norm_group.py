"""成长百分位 fits every norm group whole (no sample of it): each model's ``n`` is the number of
pupils of its subject with a prior score, so the SGPs are the full fit's. Issue 18 asked for
SGPs within ±1 of the full fit for ≥ 99 % of pupils: above 5,000 pupils the solver collapses
repeated (prior, score) rows into one counted row (the same loss function, so the same optimum),
and the SGPs are checked here against the fit on the uncollapsed rows."""

from unittest import mock

import numpy as np
import pandas as pd

import qualitykit as qk
import qualitykit.external.frisch_newton as fn
from qualitykit.district.load import load_district


def test_every_model_is_fitted_on_its_whole_norm_group():
    data = load_district()  # the 联考 sample: six schools, with its earlier exam
    growth = qk.growth_percentiles(data.scores, data.previous, by="school")
    with_prior = growth.students.dropna(subset=["prior_score"]).groupby("subject").size()
    fitted = growth.models.set_index("subject")["n"]
    assert fitted.to_dict() == with_prior.to_dict()
    assert growth.students.dropna(subset=["prior_score"])["sgp"].notna().all()


def district_exams(pupils: int, seed: int = 18) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 联考 of whole-point scores (数学 of 150, 物理 of 100) and the same pupils' earlier
    exam, as ``benchmarks/bench_district.py`` generates them."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, pupils)
    rows = []
    for subject, full in (("数学", 150.0), ("物理", 100.0)):
        now = np.clip(np.round(full * (0.65 + 0.15 * (0.8 * ability
                                                        + 0.6 * rng.normal(0, 1, pupils)))),
                      0, full)
        before = np.clip(np.round(now + rng.normal(0, 0.08 * full, pupils)), 0, full)
        for exam, score in (("本次联考", now), ("上次联考", before)):
            rows.append(pd.DataFrame({"student_id": [f"{i:06d}" for i in range(pupils)],
                                      "school": [f"第{i % 20 + 1}中学" for i in range(pupils)],
                                      "class_id": [f"{i % 11 + 1}班" for i in range(pupils)],
                                      "subject": subject, "exam": exam, "score": score,
                                      "status": "sat", "full_mark": full}))
    table = pd.concat(rows, ignore_index=True)
    return table[table["exam"] == "本次联考"], table[table["exam"] == "上次联考"]


def test_collapsed_fits_give_the_sgps_of_the_full_fit_on_every_row():
    now, before = district_exams(12000)  # above DIRECT_MAX_ROWS: the rows are collapsed
    growth = qk.growth_percentiles(now, before, by="school")
    with mock.patch.object(fn, "_collapsed", lambda X, y: (X, y, None)):
        full = qk.growth_percentiles(now, before, by="school")  # every pupil's row in the LP
    assert growth.models["n"].tolist() == full.models["n"].tolist() == [12000, 12000]
    keys = ["school", "student_id", "subject"]
    both = growth.students.merge(full.students, on=keys, suffixes=("", "_full"))
    assert len(both) == 24000 and both["sgp"].notna().all() and both["sgp_full"].notna().all()
    gap = (both["sgp"] - both["sgp_full"]).abs()
    assert (gap <= 1).mean() >= 0.99  # the criterion
    assert (gap == 0).mean() >= 0.99  # the same optimum: different only where it is not unique
    for column in ("sgp_to_pass", "sgp_to_excellent"):
        same = both[column].fillna(-1) == both[f"{column}_full"].fillna(-1)
        assert same.mean() >= 0.99
