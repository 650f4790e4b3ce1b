"""What ``qualitykit report`` read and checked is kept for its notebook's kernel, which takes it
instead of reading the same files again — only when the files and every argument are the same."""

import os
import shutil

import pytest

import qualitykit as qk
from qualitykit.io.checked import CHECKED_FOLDER, checked_path, forget_checked, keep, kept
from qualitykit.report.parameters import library_arguments, notebook_parameters
from qualitykit.report.term_report import FILES, LOAD_TERM
from qualitykit.term import load as term_load
from test_notebook_parameters import assignments, first_cell

EXAM = "2025-2026-1 期末"


def test_a_key_changes_with_a_file_s_bytes_its_absence_and_an_option(tmp_path):
    a = tmp_path / "成绩.csv"
    a.write_text("学号,语文\n1,80\n", encoding="utf-8")
    stat = os.stat(a)
    key = checked_path(tmp_path, [a, None], {"exam": "期末"})
    assert key.parent == tmp_path / CHECKED_FOLDER and key.suffix == ".pickle"
    assert checked_path(tmp_path, [a, None], {"exam": "期末"}) == key  # the same: the same
    assert checked_path(tmp_path, [a], {"exam": "期末"}) != key
    assert checked_path(tmp_path, [a, None], {"exam": "期中"}) != key
    a.write_text("学号,语文\n1,81\n", encoding="utf-8")  # same size, other bytes
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    assert checked_path(tmp_path, [a, None], {"exam": "期末"}) != key


def test_kept_is_what_was_kept_and_forgotten_is_gone(tmp_path):
    place = checked_path(tmp_path, [], {})
    assert kept(place) is None
    keep(place, {"表": [1, 2]})
    assert kept(place) == {"表": [1, 2]}
    assert not list(place.parent.glob("*.part"))
    forget_checked(tmp_path)
    assert not (tmp_path / CHECKED_FOLDER).exists()
    forget_checked(tmp_path)  # nothing left: no error


def _sample_files(tmp_path):
    from qualitykit.io.sample import term_files

    files = {k: shutil.copy(v, tmp_path / os.path.basename(v))
             for k, v in term_files(EXAM, 5).items() if v}
    return files


def test_the_notebook_takes_the_term_the_command_kept(tmp_path, monkeypatch):
    files = _sample_files(tmp_path)
    out = tmp_path / "out"
    # what the command passes (report.term_report._read_term) …
    params = notebook_parameters({**files, "exam": EXAM, "grade": 5},
                                 files=FILES, defaults={"export": False})
    command = qk.load_term(**library_arguments(params, LOAD_TERM), mask=False,
                           checked_dir=out, keep_checked=True)
    assert len(list((out / CHECKED_FOLDER).iterdir())) == 1
    # … and what the notebook's cell passes: its parameters cell's literals under the injected
    # ones ("" and {} and "default" where the command says None)
    values = {name: value for name, (value, _) in assignments(first_cell(
        "01-term-analysis.ipynb")).items()} | params | {"output_dir": str(out)}
    monkeypatch.setattr(term_load, "_load_term", lambda *a, **k: pytest.fail("read again"))
    taken = qk.load_term(values["score_file"], exam=values["exam"], grade=values["grade"],
                         roster_file=values["roster_file"], teacher_file=values["teacher_file"],
                         previous_file=values["previous_file"], subjects=values["subjects"],
                         full_marks=values["full_marks"], school=values["school"],
                         standard=values["standard"], mask=values["mask_names"],
                         item_file=values["item_file"],
                         checked_dir=values["output_dir"] or None)
    assert taken.title == command.title
    for name in ("scores", "previous", "teachers", "items"):
        assert getattr(taken, name).equals(getattr(command, name))


def test_other_arguments_or_another_file_are_read_again(tmp_path, monkeypatch):
    files = _sample_files(tmp_path)
    out = tmp_path / "out"
    qk.load_term(files["score_file"], exam=EXAM, grade=5, checked_dir=out, keep_checked=True)
    reads = []
    original = term_load._load_term
    monkeypatch.setattr(term_load, "_load_term",
                        lambda *a, **k: reads.append(k) or original(*a, **k))
    masked = qk.load_term(files["score_file"], exam=EXAM, grade=5, mask=True, checked_dir=out)
    assert len(reads) == 1 and masked.scores["name"].str.endswith("＊").all()
    qk.load_term(files["score_file"], exam=EXAM, grade=5, subjects=["语文"], checked_dir=out)
    assert len(reads) == 2
    path = files["score_file"]
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    qk.load_term(path, exam=EXAM, grade=5, checked_dir=out)  # the file changed since
    assert len(reads) == 3
    qk.load_term(path, exam=EXAM, grade=5)  # no folder: read, nothing kept
    assert len(reads) == 4 and len(list((out / CHECKED_FOLDER).iterdir())) == 1
