"""The console in a real browser (``make e2e``): JupyterLab on 127.0.0.1 with a temporary token,
headless Chromium driven by playwright's Python package (the system's browser through
``executable_path``; no browser download).

A teacher's path: open ``00-开始.ipynb``, Run All, pick the sample score file, read the import
report, press 质量分析报告, wait for the files; then open 探索班级 and change the class.
Screenshots are kept in ``output/e2e/`` (look at them: the Chinese must be readable).

Runs only when asked (``QUALITYKIT_E2E=1``, which ``make e2e`` sets) and when Chromium and
playwright are installed; otherwise it is skipped with the reason.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "output" / "e2e"
SCORE_FILE = "scores/2025-2026-1 期末/五年级.xlsx"
NO_LIMIT = 0  # playwright: wait as long as the run takes (no wall-clock limits in tests)


def browser_path() -> str | None:
    from qualitykit.report.runner import find_browser

    return find_browser()


def _skip_reason() -> str | None:
    if not os.environ.get("QUALITYKIT_E2E"):
        return "the browser test runs with make e2e (QUALITYKIT_E2E=1)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if browser_path() is None:
        return "no Chromium/Chrome/Edge (Debian: apt-get install -y chromium)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def font_config(tmp: Path) -> Path:
    """A fontconfig file that adds the kit's packaged Chinese font to the system's fonts, so
    that a machine without CJK fonts shows Chinese in the browser (Windows has its own)."""
    from qualitykit.report.fonts import cjk_font

    folder = cjk_font()[1].parent
    path = tmp / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{folder}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the console notebook; yields (url, token, its folder)."""
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "00-开始.ipynb", root / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.workspaces_dir={root / '.workspaces'}",
         *(["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=open(root / "lab.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, token, server, root / "lab.log")
        yield url, token, root
    finally:
        server.terminate()
        server.wait()


def wait_for_server(url: str, token: str, server: subprocess.Popen, log: Path) -> None:
    """Until the server answers (or stops: then its log is the failure)."""
    while server.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}")
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])


@pytest.fixture(scope="module")
def page(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    tmp = tmp_path_factory.mktemp("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=browser_path(), headless=True,
            env={**os.environ, "FONTCONFIG_FILE": str(font_config(tmp))},
            args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(NO_LIMIT)
        yield page
        browser.close()


def run_all(page, url: str, token: str) -> None:
    """Open the console notebook, wait until its kernel is idle, Run → Run All Cells."""
    page.goto(f"{url}/lab/tree/notebooks/00-开始.ipynb?token={token}&reset")
    page.locator(".jp-Notebook").wait_for()
    # the status bar names the kernel once it has started ("Python 3 (ipykernel) | Idle");
    # running before that makes JupyterLab ask which kernel to start
    page.locator(".jp-StatusBar-TextItem", has_text="ipykernel) | Idle").wait_for()
    news = page.get_by_role("button", name="No", exact=True)
    if news.count() and news.first.is_visible():  # "… notified about official Jupyter news?"
        news.first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.locator(".qk-console").wait_for()


def test_a_teacher_makes_the_report_from_the_console(lab, page):
    url, token, root = lab
    run_all(page, url, token)
    page.screenshot(path=SHOTS / "1-控制台.png", full_page=True)
    score = page.locator(".widget-dropdown", has=page.locator("label", has_text="成绩表"))
    score.locator("select").select_option(label=SCORE_FILE)
    page.locator(".qk-import .qk-ok").wait_for()
    imported = page.locator(".qk-import").inner_text()
    assert "导入报告" in imported and "可以分析" in imported and "171 名学生" in imported
    exam = page.locator(".widget-text", has=page.locator("label", has_text="考试名称"))
    assert exam.is_visible() and exam.locator("input").input_value() == "2025-2026-1 期末"
    page.screenshot(path=SHOTS / "2-导入报告.png", full_page=True)

    page.locator("button", has_text="质量分析报告").click()
    page.locator(".qk-command").wait_for()  # the run is over: links and the command line
    page.screenshot(path=SHOTS / "3-报告已生成.png", full_page=True)
    shown = page.locator(".qk-console").inner_text()
    assert "完成" in shown and "qualitykit report" in shown
    pdfs = list((root / "output" / "控制台").rglob("*.pdf"))
    # the report, and beside it the 班级质量分析单 and 教师个人质量分析表
    assert sorted(p.name for p in pdfs) == ["青禾实验小学五年级2025—2026学年第一学期期末教学质量分析.pdf",
                                           "青禾实验小学五年级2025—2026学年第一学期期末班级与教师质量分析.pdf"]
    assert all(p.stat().st_size > 100_000 and p.read_bytes()[:5] == b"%PDF-" for p in pdfs)
    assert any(a.endswith(".pdf") for a in page.locator(".qk-files a").all_inner_texts())


def test_the_exploration_panel_follows_the_class(lab, page):
    page.locator(".lm-TabBar-tab", has_text="探索班级").click()
    panel = page.locator(".qk-explore")
    panel.locator("h3", has_text="5-1 班").wait_for()
    panel.locator(".widget-dropdown", has=page.locator("label", has_text="班级")) \
        .locator("select").select_option("5-3")
    panel.locator("h3", has_text="5-3 班").wait_for()
    assert "与上次考试相比" in panel.inner_text() and "培优补差名单" in panel.inner_text()
    assert panel.locator("img").count() == 2
    page.screenshot(path=SHOTS / "4-探索班级.png", full_page=True)
