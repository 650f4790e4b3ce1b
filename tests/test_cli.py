import pandas as pd

from qualitykit.cli import main


def test_check_ok_and_error_exit_codes(tmp_path, capsys, xlsx):
    good = xlsx({"S": [["学号", "姓名", "班级", "语文"], ["1", "甲", "五(1)班", 90]]}, name="good.xlsx")
    assert main(["check", str(good), "--out", str(tmp_path / "r.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "读取 1 行 = 导入 1 行 + 跳过 0 行" in out and (tmp_path / "r.xlsx").exists()
    bad = xlsx({"S": [["学号", "姓名", "语文"], ["1", "甲", 120]]}, name="bad.xlsx")
    assert main(["check", str(bad)]) == 1
    assert "超过满分" in capsys.readouterr().out
    assert main(["check", str(bad), "--full-marks", "语文=120"]) == 0


def test_summary_prints_and_saves(tmp_path, capsys, xlsx):
    path = xlsx({"S": [["学号", "姓名", "班级", "语文", "数学"], ["1", "甲", "五(1)班", 90, 50],
                       ["2", "乙", "五(2)班", 70, "缺考"]]})
    assert main(["summary", str(path), "--out", str(tmp_path / "s.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "及格率(%)" in out and "实考人数" in out
    table = pd.read_excel(tmp_path / "s.xlsx", engine="calamine")
    assert table["实考人数"].tolist() == [1, 1, 1, 0]  # 5-1 语文, 5-1 数学, 5-2 语文, 5-2 数学 (缺考)


def test_unreadable_file_is_a_clear_message(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "none.xlsx")]) == 2
    assert "找不到这个文件" in capsys.readouterr().err


def test_demo_writes_real_files(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "输出文件夹" in out and "PDF" in out and "DOCX" in out
    (workbook,) = tmp_path.glob("*教学质量分析.xlsx")
    table = pd.read_excel(workbook, sheet_name=None, engine="calamine")
    assert {"基本情况", "三率一分", "分数段", "教师", "与上次对比"} <= set(table)
    assert table["基本情况"]["实考人数"].gt(100).all()
    assert (tmp_path / "导入报告.xlsx").exists()
    assert len(list(tmp_path.glob("*教学质量分析.pdf"))) == 1
    assert len(list(tmp_path.glob("*教学质量分析.docx"))) == 1
    # the 班级质量分析单 and 教师个人质量分析表 beside the report (tests/test_pack.py reads them)
    assert "班级质量分析单与教师个人质量分析表" in out
    (pack,) = tmp_path.glob("*班级与教师质量分析.pdf")
    assert pack.stat().st_size > 10_000 and pack.with_suffix(".docx").exists()
    # the 纵向分析 ends at the term report's exam, and prints no developer words either
    from test_report import developer_words, pdf_text

    (growth,) = (tmp_path / "纵向分析").glob("*.pdf")
    assert growth.name.endswith("至2025—2026学年第一学期期末）.pdf") and "2025-2026-1 期末" in out
    assert developer_words(pdf_text(growth)) == []


def test_growth_command_writes_the_report_and_its_workbook(tmp_path, capsys):
    assert main(["growth", "--out", str(tmp_path), "--formats", "html,xlsx"]) == 0
    out = capsys.readouterr().out
    assert "纵向分析.xlsx" in out and "HTML" in out
    sheets = pd.read_excel(tmp_path / "纵向分析.xlsx", sheet_name=None, engine="calamine")
    assert {"届比较-指标", "追踪-各班去向", "增值-班级", "增值-教师", "成长百分位-班级", "趋势",
            "趋势-提示"} <= set(sheets)
    import qualitykit as qk

    exams = qk.load_exams(grade=5)
    va = qk.value_added(exams.last, exams.earlier[0])
    assert sheets["增值-班级"]["增值"].tolist() == va.units["estimate"].round(3).tolist()  # as shown
    (page,) = tmp_path.glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "成长百分位" in html and "def " not in html
    assert main(["growth", str(tmp_path / "missing.xlsx"), "--out", str(tmp_path)]) == 2


# ---------------------------------------------------------------------------------------------
# Run as a teacher does: from her own folder, with relative paths; and what she sees when a
# path is wrong (one Chinese line, exit code 2, never a traceback).

import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import qualitykit as qk  # noqa: E402
import qualitykit.report.term_report as report_module  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW, BEFORE = "2025-2026-1 期末", "2024-2025-2 期末"


def run_cli(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    """The installed ``qualitykit`` command (this worktree first on PYTHONPATH), in ``cwd``."""
    script = Path(sys.executable).with_name("qualitykit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "qualitykit.cli"]
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(command + args, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": path, **env})


@pytest.fixture
def school(tmp_path) -> Path:
    """A teacher's folder with the sample school's files under the names she gives them."""
    files = {"五年级期末.xlsx": qk.sample_path(NOW, 5), "四年级期末.xlsx": qk.sample_path(BEFORE, 4),
             "教学编排表.xlsx": qk.sample_path(NOW, 5, kind="teachers"),
             "学生信息表.xlsx": qk.sample_path(NOW, 5, kind="roster"),
             "数学小题分.xlsx": qk.sample_path(NOW, 5, kind="items")}
    folder = tmp_path / "教研组"
    folder.mkdir()
    for name, source in files.items():
        shutil.copy(source, folder / name)
    return folder


def test_report_from_the_teachers_folder_with_relative_paths(school):
    done = run_cli(["report", "五年级期末.xlsx", "--teachers", "教学编排表.xlsx", "--previous",
                    "四年级期末.xlsx", "--item-file", "数学小题分.xlsx", "--roster",
                    "学生信息表.xlsx", "--out", "报告/", "--formats", "pdf"], cwd=school)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    (pdf,) = (school / "报告").glob("*教学质量分析.pdf")
    assert pdf.stat().st_size > 10_000 and not list((school / "报告").glob("*.ipynb"))
    (pack,) = (school / "报告").glob("*班级与教师质量分析.pdf")  # beside it, PDF only as asked
    assert pack.stat().st_size > 10_000 and not list((school / "报告").glob("*.docx"))


def test_growth_from_the_teachers_folder_with_relative_paths(school):
    for exam, grade, name in (("2023-2024-2 期末", 3, "2024届三年级.xlsx"),
                              ("2024-2025-2 期末", 4, "2025届四年级.xlsx"),
                              ("2025-2026-2 期末", 5, "2026届五年级.xlsx"),
                              ("2023-2024-2 期末", 5, "2024五年级.xlsx"),
                              ("2024-2025-2 期末", 5, "2025五年级.xlsx")):
        shutil.copy(qk.sample_path(exam, grade), school / name)
    # a 县均分 reference for the 届 comparison, from the same-grade sheets themselves
    years = qk.load_exams([school / "2024五年级.xlsx", school / "2025五年级.xlsx"], cohort=False)
    sat = years.scores[years.scores["status"].eq("sat")]
    ref = sat.groupby(["exam", "subject"])["score"].agg(["mean", "std"]).reset_index()
    ref.set_axis(["考试", "科目", "均分", "标准差"], axis=1).to_csv(school / "县均分.csv", index=False)
    done = run_cli(["growth", "2024届三年级.xlsx", "2025届四年级.xlsx", "2026届五年级.xlsx",
                    "--same-grade", "2024五年级.xlsx", "2025五年级.xlsx", "--reference",
                    "县均分.csv", "--teachers", "教学编排表.xlsx", "--roster", "学生信息表.xlsx",
                    "--out", "纵向", "--formats", "pdf,xlsx"], cwd=school)
    assert done.returncode == 0, done.stderr
    assert len(list((school / "纵向").glob("*.pdf"))) == 1
    sheets = pd.read_excel(school / "纵向" / "纵向分析.xlsx", sheet_name=None, engine="calamine")
    assert sheets["届比较-指标"]["考试"].nunique() == 2


def test_targets_and_tracking_with_relative_paths(school, monkeypatch, capsys):
    monkeypatch.chdir(school)
    args = ["targets", "五年级期末.xlsx", "--previous", "四年级期末.xlsx", "--teachers",
            "教学编排表.xlsx", "--roster", "学生信息表.xlsx", "--tracking", "档案/学困生档案.xlsx",
            "--out", "名单/培优补差.xlsx"]
    assert main(args) == 0
    assert (school / "名单" / "培优补差.xlsx").exists()
    archive = pd.read_excel(school / "档案" / "学困生档案.xlsx", sheet_name=None, engine="calamine")
    assert len(archive) >= 2
    assert main(args) == 0  # the second time the existing file is read and brought up to date
    assert "学困生档案已更新" in capsys.readouterr().out


def _bad_paths(folder: Path) -> dict[str, str]:
    """A folder, a missing file and unreadable files, as relative names in ``folder``."""
    (folder / "一个文件夹.xlsx").mkdir()
    (folder / "乱码.xlsx").write_bytes(os.urandom(2000))
    (folder / "空文件.xlsx").write_bytes(b"")
    return {"folder": "一个文件夹.xlsx", "missing": "没有这个文件.xlsx", "random": "乱码.xlsx",
            "empty": "空文件.xlsx"}


# (command, the option that gets the bad path; "" is the score file, other arguments)
BAD_PATH_CASES = [
    ("check", "", []), ("summary", "", []), ("report", "", []),
    ("report", "--teachers", ["五年级期末.xlsx"]), ("report", "--previous", ["五年级期末.xlsx"]),
    ("report", "--item-file", ["五年级期末.xlsx"]), ("report", "--roster", ["五年级期末.xlsx"]),
    ("report", "--fitness", ["五年级期末.xlsx"]),
    ("targets", "", []), ("targets", "--previous", ["五年级期末.xlsx"]),
    ("targets", "--tracking", ["五年级期末.xlsx"]), ("growth", "", ["四年级期末.xlsx"]),
    ("growth", "--same-grade", []), ("growth", "--reference", []),
    ("growth", "--teachers", ["四年级期末.xlsx", "五年级期末.xlsx"]),
]


@pytest.mark.parametrize("command,option,rest", BAD_PATH_CASES)
def test_a_bad_path_is_one_chinese_line_and_exit_code_2(school, monkeypatch, capsys, command,
                                                        option, rest):
    monkeypatch.chdir(school)
    for kind, path in _bad_paths(school).items():
        if option == "--tracking" and kind == "missing":
            continue  # a missing 学困生档案 is created
        args = [command, *rest, path] if not option else [command, *rest, option, path]
        if command in ("report", "growth"):
            args += ["--out", "out"]
        assert main(args) == 2, (kind, args)
        err = capsys.readouterr().err.strip()
        assert "Traceback" not in err and len(err.splitlines()) == 1, (kind, err)
        assert path in err and (option or "成绩表文件") in err, (kind, err)
        assert not (school / "out").exists() or not any((school / "out").iterdir())


def test_an_unreadable_file_says_so(school, monkeypatch, capsys):
    # the machine runs as root, who reads every file: the refusal is simulated at the open
    monkeypatch.chdir(school)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "教学编排表.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["report", "--teachers", "教学编排表.xlsx", "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--teachers 教学编排表.xlsx：文件无法读取（Permission denied）")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(school, monkeypatch, capsys):
    monkeypatch.chdir(school)
    (school / "五年级期末.xlsx").chmod(0)
    assert main(["check", "五年级期末.xlsx"]) == 2
    assert "无法读取" in capsys.readouterr().err


@pytest.mark.parametrize("args,says", [
    (["report", "--grade", "五"], "--grade"), (["report", "--grade", "13"], "1–12"),
    (["report", "--pdf-engine", "word"], "--pdf-engine"), (["summary"], "成绩表文件"),
    (["check", "a.xlsx", "--bogus"], "--bogus"), (["report", "--standard", "最严"], "--standard"),
    (["report", "--formats", "pdf,ppt"], "formats"),
    (["report", "--meeting", "年终"], "--meeting"),
    (["check", "五年级期末.xlsx", "--full-marks", "语文120"], "--full-marks"),
    (["report", "--out", "五年级期末.xlsx"], "输出文件夹"),
    (["check", "五年级期末.xlsx", "--out", "."], "--out"),
])
def test_a_wrong_option_value_is_one_chinese_line(school, monkeypatch, capsys, args, says):
    monkeypatch.chdir(school)
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own exit, with our message
        code = exc.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and says in err and len(err.splitlines()) == 1, err
    assert "Traceback" not in err and "usage" not in err


def test_the_command_itself_shows_no_traceback(tmp_path):
    done = run_cli(["report", "不存在的成绩表.xlsx", "--teachers", "x.xlsx"], cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("成绩表文件 不存在的成绩表.xlsx：找不到这个文件")


def test_the_last_resort_is_one_line_and_debug_shows_the_traceback(school, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("n_sat")

    monkeypatch.chdir(school)
    monkeypatch.setattr(qk.term.indicators, "summary", broken)
    assert main(["summary", "五年级期末.xlsx"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "出错了：'n_sat'（KeyError）；请把这行信息和所用文件发给维护者。"
    monkeypatch.setenv("QUALITYKIT_DEBUG", "1")
    assert main(["summary", "五年级期末.xlsx"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().endswith("请把这行信息和所用文件发给维护者。")


def test_an_error_inside_the_notebook_is_one_message(school, monkeypatch, capsys, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    parameters = nbformat.v4.new_code_cell('score_file = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell("raise ValueError('算不出来')")]
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    monkeypatch.setattr(report_module, "NOTEBOOK", broken)
    monkeypatch.chdir(school)
    assert main(["report", "五年级期末.xlsx", "--out", "报告", "--formats", "html"]) == 2
    err = capsys.readouterr().err.strip()
    assert re.match(r"出错了：分析笔记本运行到第 \d+ 格时出错：ValueError：算不出来（已运行的部分保存在 .+"
                    r"报告.+\.ipynb", err), err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    saved = re.search(r"保存在 (.+?\.ipynb)", err).group(1)  # written at the failing cell
    assert "算不出来" in Path(saved).read_text(encoding="utf-8")


def test_the_program_ends_with_main_s_code_and_everything_written(tmp_path):
    """``qualitykit`` (cli.run) ends the process at once after the command: the command's files
    and printed lines are complete, argparse's own exits keep their codes."""
    done = run_cli(["routine", "--out", str(tmp_path / "常规")], tmp_path)
    assert done.returncode == 0 and "已保存" in done.stdout
    assert (tmp_path / "常规" / "教学常规考核.xlsx").stat().st_size > 0
    assert run_cli(["--help"], tmp_path).returncode == 0
    wrong = run_cli(["report", "--no-such-option"], tmp_path)
    assert wrong.returncode == 2 and wrong.stderr.strip()
    missing = run_cli(["report", str(tmp_path / "没有这个文件.xlsx")], tmp_path)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_ending_the_process_waits_for_its_threads_and_atexit(tmp_path):
    code = f"""
import atexit, threading, time
from pathlib import Path
from qualitykit.cli import end_process
out = Path({str(tmp_path)!r})
def slow():
    time.sleep(0.3)
    (out / "thread.txt").write_text("done")
threading.Thread(target=slow).start()
atexit.register(lambda: (out / "atexit.txt").write_text("done"))
print("printed", end="")
end_process(3)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 3 and done.stdout == "printed"
    assert (tmp_path / "thread.txt").read_text() == "done"
    assert (tmp_path / "atexit.txt").read_text() == "done"


def test_ending_the_process_into_a_closed_pipe_prints_no_traceback(tmp_path):
    code = ("import sys\nfrom qualitykit.cli import end_process\n"
            "sys.stdout.write('行\\n' * 100000)\nend_process(0)\n")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}
                          ) as process:
        process.stdout.read(10)
        process.stdout.close()  # as `| head` does
        err = process.stderr.read().decode()
        assert process.wait() in (0, 1) and "Traceback" not in err


def test_a_command_printing_into_a_closed_pipe_ends_quietly():
    """qualitykit summary … | head: the reader closes the pipe while the table is printed; no
    “出错了：[Errno 32] Broken pipe … 发给维护者” line (was printed by main's last resort)."""
    from qualitykit.io.sample import sample_path

    code = ("import sys\nfrom qualitykit.cli import run\n"
            f"sys.argv = ['qualitykit', 'summary', {str(sample_path('2025-2026-1 期末', grade=5))!r}]\n"
            "run()\n")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, bufsize=0,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}) as process:
        process.stdout.read(10)
        process.stdout.close()  # as `| head` does
        err = process.stderr.read().decode()
        assert process.wait() == 0, err
    assert "出错了" not in err and "Traceback" not in err
