"""The Word and Excel files left for later by the kernel of ``qualitykit report`` are the files
the notebook would have written itself."""

import pickle
import zipfile

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.report.office import LATER, later, write_later
from qualitykit.report.pack import pack_name, write_pack
from qualitykit.standard import PRESETS, Standard

EXAM = "2025-2026-1 期末"


@pytest.mark.parametrize("standard", [*PRESETS.values(), Standard(
    pass_line=0.5, full_marks={"语文": 120}, rank_lines={"excellent": 0.2})])
def test_a_standard_pickles_as_itself_and_stays_read_only(standard):
    back = pickle.loads(pickle.dumps(standard))
    assert back == standard
    with pytest.raises(TypeError):  # still read-only after the round trip
        back.full_marks["数学"] = 150


def _parts(path) -> dict:
    """A Word file's parts but its creation date (python-docx stamps the time)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    term = qk.load_term("", exam=EXAM, grade=5)
    comparison = qk.compare_classes(term.scores)
    by_class = qk.summary(term.scores, standard=term.standard)
    tables = {"basic": qk.summary(term.scores, by="subject"), "summary": by_class,
              "omnibus": comparison.omnibus, "classes": comparison.classes,
              "teachers": qk.teacher_table(term.scores, term.teachers, previous=term.previous)}
    figures = {"rates": qk.plot_rates(by_class), "means": None}
    arguments = dict(tables=tables, figures=figures, meeting="期末")
    now, kept = tmp_path_factory.mktemp("now"), tmp_path_factory.mktemp("later")
    direct = {**qk.write_outputs(now, term, **arguments), "pack": write_pack(
        term, now, formats=("html", "docx"))["docx"]}
    folder = tmp_path_factory.mktemp("office") / "left"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(LATER, str(folder))
        promised = {**qk.write_outputs(kept, term, **arguments), "pack": write_pack(
            term, kept, formats=("html", "docx"))["docx"]}
        left = sorted(p.name for p in folder.iterdir())
        nothing_yet = [p.name for p in kept.iterdir()]
    done = write_later(folder)
    return term, direct, promised, left, nothing_yet, done, folder


def test_the_writers_leave_their_work_and_promise_the_same_paths(written):
    term, direct, promised, left, nothing_yet, _, _ = written
    assert {k: p.name for k, p in promised.items()} == {k: p.name for k, p in direct.items()}
    assert left == ["000-report.pickle", "001-pack.pickle"]
    # only the pack's page (printed at once by the command) is written in the kernel
    assert nothing_yet == [f"{pack_name(term)}.html"]


def test_the_files_written_later_are_the_files_written_at_once(written):
    _, direct, promised, _, _, done, folder = written
    assert not folder.exists()
    assert [d if isinstance(d, dict) else d.name for d in done] == [
        {"docx": promised["docx"], "xlsx": promised["xlsx"]}, promised["pack"].name]
    for kind in ("docx", "pack"):
        assert _parts(promised[kind]) == _parts(direct[kind]), kind
    now = pd.read_excel(direct["xlsx"], sheet_name=None, engine="calamine")
    after = pd.read_excel(promised["xlsx"], sheet_name=None, engine="calamine")
    assert list(now) == list(after) and all(now[s].equals(after[s]) for s in now)


def test_without_the_command_nothing_is_left_for_later(monkeypatch, tmp_path):
    monkeypatch.delenv(LATER, raising=False)
    assert later("report", tmp_path) is False
    assert write_later(tmp_path / "none") == []
