"""The importer judged on the corpus of messy school sheets (``tests/messy_sheets``).

For every file: did ``qk.read_scores`` give the table the generator's truth implies (per school
× class × subject: pupils, n_sat, mean, statuses, levels, full mark; names, Excel rows), refuse
it with a clear Chinese message naming the planted cells, or — the worst case — return a wrong
table without a word? ``python -m tests.messy_sheets`` prints the same verdicts as a table.
"""

import pytest

from messy_sheets import ALLOWED, CASES, build, judge


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory):
    return build(tmp_path_factory.mktemp("messy_sheets"))


@pytest.fixture(scope="session")
def outcome_of(corpus_files):
    """The verdict on a case, computed once per session (the whole-corpus test reuses it)."""
    cache = {}

    def outcome(case):
        if case.name not in cache:
            cache[case.name] = judge(case, corpus_files[case.name])
        return cache[case.name]
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_importer_on_messy_sheet(case, outcome_of):
    result = outcome_of(case)
    assert result.outcome in ALLOWED[case.expect], result.explain(case)


def test_no_file_gives_a_wrong_table_without_an_error(outcome_of):
    assert len(CASES) >= 45
    silent = [(case, outcome_of(case)) for case in CASES if outcome_of(case).silent]
    assert not silent, (f"{len(silent)} of {len(CASES)} files gave a wrong table without an "
                        "error:\n\n" + "\n\n".join(o.explain(c) for c, o in silent))
