"""试卷分析 against published item tables and documented reliabilities (../shared/realdata;
skipped when absent, never copied here)."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from conftest import realdata

HCI_ITEMS = [f"Item {i}" for i in range(1, 21)]
# Martinkova & Hladka (2023), Ch5-ItemAnalysisTraditional.R, as quoted in PROVENANCE.md:
# difficulty, SD, ULI (k = 3), RIT, RIR, alpha if dropped
HCI_PUBLISHED = """
0.6989 0.4591 0.4194 0.4019 0.2884 0.7042
0.7527 0.4318 0.3041 0.3320 0.2206 0.7099
0.8479 0.3594 0.3272 0.4352 0.3500 0.7007
0.4040 0.4911 0.3088 0.3023 0.1730 0.7151
0.4424 0.4971 0.4562 0.4005 0.2768 0.7054
0.3625 0.4811 0.5069 0.4560 0.3419 0.6991
0.5469 0.4982 0.2350 0.2355 0.1009 0.7220
0.7051 0.4564 0.4470 0.4350 0.3252 0.7009
0.4332 0.4959 0.3548 0.3411 0.2130 0.7114
0.6482 0.4779 0.4608 0.3844 0.2644 0.7064
0.7788 0.4154 0.3318 0.3882 0.2851 0.7047
0.5730 0.4950 0.4793 0.4354 0.3156 0.7016
0.6083 0.4885 0.5438 0.4751 0.3612 0.6972
0.7588 0.4281 0.4378 0.4406 0.3386 0.7001
0.4439 0.4972 0.4885 0.4223 0.3006 0.7030
0.6068 0.4888 0.5576 0.4940 0.3822 0.6952
0.2965 0.4571 0.1659 0.1684 0.0434 0.7253
0.7972 0.4024 0.4286 0.5063 0.4171 0.6943
0.7849 0.4112 0.4147 0.4623 0.3665 0.6981
0.7220 0.4484 0.4562 0.4463 0.3396 0.6997
"""


def hci_items():
    data = pd.read_csv(realdata("item-response-shinyitemanalysis", "HCI.csv"))
    return data, qk.item_table(data[HCI_ITEMS], item_max=1)


def test_hci_item_table_equals_the_published_one():
    _, items = hci_items()
    result = qk.item_analysis(items)
    got = result.items[["difficulty", "sd", "uli", "rit", "rir", "alpha_if_dropped"]]
    want = np.array(HCI_PUBLISHED.split(), dtype=float).reshape(20, 6)
    assert np.array_equal(got.to_numpy().round(4), want)  # to 4 decimals, every item
    paper = result.paper.iloc[0]
    assert abs(paper["alpha"] - 0.7153) < 5e-4 and paper["method"] == "KR-20"
    assert paper["mean_total"] == pytest.approx(12.212, abs=5e-4)


def test_hci_raw_answers_scored_with_the_key_equal_the_scored_file_and_a_wrong_key_shows():
    scored, _ = hci_items()
    answers = pd.read_csv(realdata("item-response-shinyitemanalysis", "HCItest.csv"))
    key = pd.read_csv(realdata("item-response-shinyitemanalysis", "HCIkey.csv"))["key"].tolist()
    items = qk.item_table(answers[HCI_ITEMS], key=key)
    wide = items.pivot(index="student_id", columns="item_id", values="score")
    wide = wide.loc[[str(i) for i in range(1, len(answers) + 1)], HCI_ITEMS]
    assert np.array_equal(wide.to_numpy(), scored[HCI_ITEMS].to_numpy())
    # item 13 keyed with its most popular distractor instead of its answer
    counts = answers["Item 13"].value_counts()
    distractor = counts.drop(key[12]).index[0]
    wrong = list(key)
    wrong[12] = distractor
    result = qk.item_analysis(qk.item_table(answers[HCI_ITEMS], key=wrong)).items
    row = result.set_index("item_id").loc["Item 13"]
    assert row["discrimination"] < 0 and "negative_d" in row["flags"]
    assert (result.drop(index=12)["discrimination"] > 0).all()


def test_pingouin_documented_alphas():
    wide = pd.read_csv(realdata("pingouin-reliability", "cronbach_wide_missing.csv"))
    items = qk.item_table(wide, item_max=1)
    std = qk.Standard(item_min_students=3)
    pairwise = qk.item_analysis(items, missing="pairwise", standard=std).paper.iloc[0]
    assert pairwise["alpha"] == pytest.approx(0.732660835214447, abs=1e-12)
    assert (round(pairwise["alpha_low"], 3), round(pairwise["alpha_high"], 3)) == (0.435, 0.909)
    listwise = qk.item_analysis(items, missing="listwise", standard=std).paper.iloc[0]
    assert listwise["alpha"] == pytest.approx(0.8016949152542373, abs=1e-12)
    # deliberately n = the complete rows used (9: one row misses two items), where pingouin
    # feeds the 12 rows before deletion into F and prints [0.581, 0.933]
    assert listwise["n_students"] == 9
    assert (round(listwise["alpha_low"], 3), round(listwise["alpha_high"], 3)) == (0.533, 0.947)
    filled = wide.fillna(wide.median())
    alpha, low, high, _ = qk.cronbach_alpha(filled)
    assert alpha == pytest.approx(0.7380191693290734, abs=1e-12)
    assert (round(low, 3), round(high, 3)) == (0.447, 0.911)
    long = pd.read_csv(realdata("pingouin-reliability", "cronbach_alpha.csv"))
    items = qk.item_table(long.rename(columns={"Subj": "student_id", "Items": "item_id",
                                               "Scores": "score"}).astype({"student_id": str}),
                          item_max=long["Scores"].max())
    paper = qk.item_analysis(items, standard=std).paper.iloc[0]
    assert paper["alpha"] == pytest.approx(0.5917188485995826, abs=1e-12)
    assert (round(paper["alpha_low"], 3), round(paper["alpha_high"], 3)) == (0.195, 0.840)
    assert paper["method"] == "Cronbach α"


@pytest.mark.parametrize("name, p, kr20", [
    ("lsat6", [0.924, 0.709, 0.553, 0.763, 0.870], 0.2950),
    ("lsat7", [0.828, 0.658, 0.772, 0.606, 0.843], 0.4534)])
def test_lsat_p_values_and_kr20(name, p, kr20):
    data = pd.read_csv(realdata("lsat-psych", f"{name}.csv"))
    result = qk.item_analysis(qk.item_table(data, student_id="rownames", item_max=1))
    assert result.items["difficulty"].round(3).tolist() == p
    paper = result.paper.iloc[0]
    assert paper["method"] == "KR-20" and round(paper["alpha"], 4) == kr20


def test_fraction_subtraction_knowledge_points_from_the_q_matrix():
    data = pd.read_csv(realdata("item-knowledge-qmatrix", "fraction_subtraction_data.csv"))
    q = pd.read_csv(realdata("item-knowledge-qmatrix", "fraction_subtraction_qmatrix.csv"))
    kp = qk.knowledge_points(qk.item_table(data, item_max=1), q=q, by=None)
    got = kp.set_index("knowledge_point")["rate"]
    # independently: points earned on the items needing the skill / points possible
    for skill in q.columns[1:]:
        needed = q.loc[q[skill] == 1, "item"].tolist()
        want = data[needed].to_numpy().sum() / (len(data) * len(needed))
        assert got[skill] == pytest.approx(want, abs=1e-12)
    # and PROVENANCE's rounded figures (mean p of the items needing each skill)
    assert got.round(3).to_dict() == {"alpha1": 0.387, "alpha2": 0.487, "alpha3": 0.410,
                                      "alpha4": 0.500, "alpha5": 0.410, "alpha6": 0.500,
                                      "alpha7": 0.528, "alpha8": 0.565}
    paper = qk.item_analysis(qk.item_table(data, item_max=1)).paper.iloc[0]
    assert round(paper["alpha"], 4) == 0.9388


def test_czech_matura_polytomous_items():
    data = pd.read_csv(realdata("item-response-shinyitemanalysis", "CZmaturaS.csv"))
    columns = [c for c in data.columns if c.startswith("b")]
    assert len(columns) == 30
    maxima = data[columns].max().to_dict()  # 1–4 points; every maximum is reached in 2,000
    assert set(maxima.values()) <= {1.0, 2.0, 3.0, 4.0} and max(maxima.values()) > 1
    items = qk.item_table(data[columns], item_max=maxima)
    result = qk.item_analysis(items)
    paper = result.paper.iloc[0]
    assert round(paper["alpha"], 4) == 0.8899 and paper["method"] == "Cronbach α"
    assert paper["max_total"] == 50 and paper["mean_total"] == pytest.approx(data["Total"].mean())
    # difficulty is the mean over the item max, D divided by the max (within [-1, 1])
    want = data[columns].mean() / pd.Series(maxima)
    assert np.allclose(result.items["difficulty"], want.to_numpy())
    assert result.items["discrimination"].between(-1, 1).all()
