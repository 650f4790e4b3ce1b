"""``group_arrays`` (one group-by and one sort) against the per-group loop it replaced in
``compare_classes`` and ``balance_indices``: the same keys, in the same order, with the same
scores in the same order, on the 联考 sample and on keys with gaps (NaN, unobserved categories)."""

import numpy as np
import pandas as pd
import pytest

from qualitykit.district.load import load_district
from qualitykit.schema import group_arrays, sat_rows


def looped(table, keys, dropna=False):
    """The reference: pandas' group iteration, as the kit did it before."""
    return {g: d["score"].astype(float).to_numpy()
            for g, d in table.groupby(keys, sort=True, dropna=dropna)}


def assert_same(found, expected):
    assert list(found) == list(expected)  # keys and their order
    for key in expected:
        np.testing.assert_array_equal(found[key], expected[key])  # values, in row order


@pytest.fixture(scope="module")
def sitters():
    return sat_rows(load_district().scores)


@pytest.mark.parametrize("keys", ["school", ["school", "class_id"], ["subject"],
                                  ["subject", "school", "class_id"]])
@pytest.mark.parametrize("dropna", [False, True])
def test_equal_to_the_group_loop_on_the_league_sample(sitters, keys, dropna):
    assert len(sitters) > 1000
    assert_same(group_arrays(sitters, keys, dropna=dropna), looped(sitters, keys, dropna))


@pytest.mark.parametrize("dropna", [False, True])
def test_missing_keys_and_unobserved_categories(dropna):
    t = pd.DataFrame({"school": pd.Categorical(["b", "a", None, "b", "a"],
                                               categories=["c", "b", "a"]),
                      "class_id": ["1", "2", "1", None, "2"],
                      "score": [3, 5, 4, 1, 2]})
    for keys in ("school", "class_id", ["school", "class_id"]):
        assert_same(group_arrays(t, keys, dropna=dropna), looped(t, keys, dropna))
    if dropna:  # by hand: the rows with a missing key are in no group
        assert {k: v.tolist() for k, v in group_arrays(t, "school", dropna=True).items()} == \
            {"b": [3.0, 1.0], "a": [5.0, 2.0]}


@pytest.mark.parametrize("within, unit", [(["subject"], "school"), (["subject"], "class_id"),
                                          (["school", "subject"], "class_id")])
@pytest.mark.parametrize("gaps", [False, True])
def test_balance_units_equal_the_loop_over_groups(sitters, within, unit, gaps):
    # balance_indices takes each group's units from one group-by of the whole table; the
    # reference groups first and then splits each group by its units (the earlier loop)
    from qualitykit.district.balance import _unit_scores
    from qualitykit.schema import unit_keys

    table = sitters.copy()
    if gaps:  # a pupil without a class, and rows without a school (a missing ``within`` key)
        table.loc[table.index[:7], "class_id"] = None
        table.loc[table.index[10:15], within[0]] = None
    units = [k for k in unit_keys(table, [unit]) if k not in within]
    found = _unit_scores(table, within, units)
    expected = {key: (part["score"].astype(float).to_numpy(),
                      list(group_arrays(part, units, dropna=True).values()))
                for key, part in table.groupby(within, sort=True, dropna=False)}
    assert list(found) == list(expected)
    for key, (x, groups) in expected.items():
        np.testing.assert_array_equal(found[key][0], x)
        assert len(found[key][1]) == len(groups)
        for a, b in zip(found[key][1], groups):
            np.testing.assert_array_equal(a, b)
