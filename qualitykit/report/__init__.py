"""Reports: how results are shown (tables, charts, fonts), the workbooks (``workbooks``), the
Word report, and the runners that execute the notebooks and export HTML and PDF
(``term_report``, ``growth_report``; their shared steps in ``runner``, the notebook parameters
turned into the library's arguments in ``parameters``).
"""

from __future__ import annotations

import importlib

#: names of the report runners, importable as ``from qualitykit.report import run_report``
_RUNNERS = {"run_report": "term_report", "NOTEBOOK": "term_report",
            "LEVEL_NOTEBOOK": "term_report", "run_growth_report": "growth_report",
            "notebook_to_html": "runner", "html_to_pdf": "runner", "find_browser": "runner",
            "execute_notebook": "runner", "NotebookError": "runner",
            "run_paper_report": "paper_report", "run_targets": "targets_report"}

__all__ = list(_RUNNERS)


def __getattr__(name: str):
    if name not in _RUNNERS:
        raise AttributeError(f"module 'qualitykit.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_RUNNERS[name]}", __name__), name)
