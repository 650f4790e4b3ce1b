"""The judge of the 体测 corpus (tests/fitness_corpus.py): every cell of every pupil row is either
read as the value it holds and scored exactly as that value is scored, or named in the import
report at its file, sheet, Excel row and column (免测/病假/缺测 with the word, unreadable cells
as problems); and every row read is imported or skipped."""

import pandas as pd
import pytest

from fitness_corpus import CASES, build
from qualitykit.fitness.read import read_fitness
from qualitykit.fitness.score import score_fitness


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fitness_corpus")
    return {name: (case, path, *read_fitness(path)) for name, (case, path) in build(folder).items()}


def _truth(case) -> pd.DataFrame:
    """The measurements a person reads from the sheet (the generator's values)."""
    return pd.DataFrame([
        {"student_id": r.student_id, "name": "", "sex": r.sex, "grade": r.grade,
         "class_id": r.class_id, "item": item, "value": cell.value}
        for r in case.rows for item, (_, cell) in r.cells.items() if cell.value is not None])


def _place(problems: pd.DataFrame, case, row, column: str) -> pd.DataFrame:
    """The import report's rows at one cell of the file."""
    at = problems[(problems["row"].astype("Int64") == row.excel_row)
                  & (problems["column"] == column) & (problems["file"] == case.filename)]
    return at[at["sheet"] == row.sheet] if row.sheet else at


@pytest.mark.parametrize("name", [f.__name__ for f in CASES])
def test_every_cell_is_read_exactly_or_reported_where_it_is(corpus, name):
    case, _, measured, report = corpus[name]
    got = {(s, i): v for s, i, v in zip(measured["student_id"], measured["item"],
                                         measured["value"])}
    missing, unreported = [], []
    for row in case.rows:
        for item, (column, cell) in row.cells.items():
            if cell.value is not None:
                value = got.get((row.student_id, item))
                if value is None or abs(value - cell.value) > 1e-9:
                    missing.append((row.sheet, row.excel_row, column, item, cell.value, value))
                continue
            assert (row.student_id, item) not in got, (row.excel_row, column, item)
            placed = _place(report.problems, case, row, column)
            word = cell.reason or cell.bad
            if placed.empty or not placed["value"].astype(str).str.contains(word, regex=False).any():
                unreported.append((row.sheet, row.excel_row, column, item, word))
    assert missing == [], missing[:5]
    assert unreported == [], unreported[:5]


@pytest.mark.parametrize("name", [f.__name__ for f in CASES])
def test_pupils_are_placed_and_every_row_is_accounted_for(corpus, name):
    case, _, measured, report = corpus[name]
    pupils = measured.drop_duplicates("student_id").set_index("student_id")
    for row in case.rows:
        if any(cell.value is not None for _, cell in row.cells.values()):
            p = pupils.loc[row.student_id]
            assert (p["sex"], p["grade"], p["class_id"]) == (row.sex, row.grade, row.class_id)
    assert report.rows_read == report.rows_imported + report.rows_skipped
    assert report.rows_imported == len(case.rows)


@pytest.mark.parametrize("name", [f.__name__ for f in CASES])
def test_what_is_read_is_scored_as_the_true_values_are(corpus, name):
    case, _, measured, _ = corpus[name]
    truth = _truth(case)
    mine = score_fitness(measured).items.set_index(["student_id", "item"])["score"]
    expected = score_fitness(truth).items.set_index(["student_id", "item"])["score"]
    assert mine.sort_index().equals(expected.sort_index())


def test_the_unreadable_cells_are_errors_with_their_fix(corpus):
    case, _, _, report = corpus["national_template_xlsx"]
    bad = [(r, c) for r in case.rows for (c, cell) in r.cells.values() if cell.bad]
    assert len(bad) >= 3
    for row, column in bad:
        placed = _place(report.problems, case, row, column)
        assert (placed["severity"] != "info").any() and placed["action"].str.len().gt(0).all()


def test_a_class_taken_from_the_sheet_name_is_said_in_the_report(corpus):
    case, _, _, report = corpus["sheet_per_class_xlsx"]
    said = report.problems[report.problems["problem"].str.contains("按工作表名计入")]
    assert sorted(said["sheet"]) == sorted(g.name for g in case.grids)
    assert set(said["severity"]) == {"info"}
    # a sheet named after a grade only, or Sheet1, names no class (the other cases)
    for name in ("national_template_xlsx", "excel_time_xls", "gb18030_csv"):
        problems = corpus[name][3].problems
        assert not problems["problem"].str.contains("按工作表名计入").any(), name
