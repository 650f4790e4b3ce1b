"""Growth benchmark: value_added and growth_percentiles on 100,000 generated students.

A district-sized table: six grades of about 16,700 pupils in classes of 40 (2,500 classes),
one subject, an entry and an exit exam. The generator has a class effect, so the mixed model
has something to find. Printed: the time of ``value_added`` (OLS and the class random
intercept, 2,500 units) and of ``growth_percentiles`` (100 quantile regressions per grade),
best of ``--repeat`` runs. The baselines in the same run: statsmodels ``QuantReg`` on one grade
for a few quantiles, scaled to the 600 fits SGP needs (what the kit would cost on QuantReg
alone), and a bare statsmodels ``MixedLM`` fit of the same model.
Target (issue 5): value_added + growth_percentiles ≤ 30 s on a 2-core machine.

    .venv/bin/python benchmarks/bench_growth.py [--students 100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd


def generate(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    grade = rng.integers(1, 7, n)
    klass = rng.integers(0, max(n // 40 // 6, 1), n)
    class_id = [f"{g}-{k + 1}" for g, k in zip(grade, klass)]
    codes, uniques = pd.factorize(pd.Series(class_id))
    effect = rng.normal(0, 0.25, len(uniques))[codes]
    ability = rng.normal(0, 1, n)
    entry = np.clip(np.round((72 + 12 * (ability + rng.normal(0, 0.5, n))) * 2) / 2, 0, 100)
    exit_ = np.clip(np.round((72 + 12 * (0.9 * ability + effect + rng.normal(0, 0.5, n))) * 2) / 2,
                    0, 100)
    base = pd.DataFrame({"student_id": np.arange(n).astype(str), "grade": grade,
                         "class_id": class_id, "subject": "数学", "status": "sat",
                         "full_mark": 100.0})
    return (base.assign(exam="2025-2026-2 期末", score=exit_),
            base.assign(exam="2024-2025-2 期末", score=entry, grade=grade - 1))


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import statsmodels.api as sm
    from statsmodels.regression.quantile_regression import QuantReg

    import qualitykit as qk
    from qualitykit.growth.quantile import bspline_basis, spline_knots

    current, previous = generate(args.students)
    print(f"{args.students:,} students, {current['class_id'].nunique():,} classes, "
          f"{current['grade'].nunique()} grades, best of {args.repeat}")
    t_va, va = best(lambda: qk.value_added(current, previous), args.repeat)
    t_sgp, growth = best(lambda: qk.growth_percentiles(current, previous), args.repeat)
    total = t_va + t_sgp

    # baseline 1: QuantReg (IRLS) on one grade, 3 quantiles, scaled to 100 quantiles × 6 grades
    one = current[current["grade"] == 3].merge(
        previous[["student_id", "score"]].rename(columns={"score": "prior"}), on="student_id")
    knots, lo, hi = spline_knots(one["prior"].to_numpy())
    design = np.column_stack([np.ones(len(one)), bspline_basis(one["prior"], knots, lo, hi)])
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for q in (0.05, 0.5, 0.95):
            QuantReg(one["score"].to_numpy(), design).fit(q=q, max_iter=5000)
    per_fit = (time.perf_counter() - t) / 3
    quantreg_all = per_fit * 100 * current["grade"].nunique()
    # baseline 2: the bare MixedLM of the same model on the raw scores
    x = sm.add_constant(previous["score"].to_numpy())
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sm.MixedLM(current["score"].to_numpy(), x, groups=current["class_id"].to_numpy()).fit(reml=True)
    t_mixed = time.perf_counter() - t

    print(f"value_added (OLS + MixedLM, {len(va.units):,} classes)   {t_va:7.2f} s   "
          f"(bare MixedLM fit {t_mixed:.2f} s: ratio {t_va / t_mixed:.2f})")
    print(f"growth_percentiles (100 τ × {len(growth.models)} models)     {t_sgp:7.2f} s   "
          f"(statsmodels QuantReg would take ≈ {quantreg_all:.0f} s: {quantreg_all / t_sgp:.0f}× "
          f"slower; {per_fit * 1000:.0f} ms per fit on {len(one):,} pupils)")
    print(f"together                                        {total:7.2f} s   target ≤ 30 s: "
          f"{'met' if total <= 30 else 'NOT met'}")
    sgp = growth.students["sgp"].dropna()
    print(f"check: {len(sgp):,} SGPs, median {sgp.median():.0f}, deciles "
          f"{np.histogram(sgp, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])[0] / len(sgp)}")


if __name__ == "__main__":
    main()
