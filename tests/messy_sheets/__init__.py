"""A corpus of messy school score sheets with independent truth: the importer's yardstick.

Every case is built at test time from a seeded generator (nothing binary is committed):
``build(folder)`` writes all files and returns ``{case name: path}``. ``tests/test_corpus.py``
judges the importer on each; ``python -m tests.messy_sheets`` prints the outcome table.
"""

from __future__ import annotations

from pathlib import Path

from . import cases_layout, cases_values, cases_files  # noqa: F401,I001  (registration order)
from .judge import ALLOWED, OUTCOMES, Outcome, judge
from .model import EXPECTATIONS, KINDS, Case
from .registry import FACTORIES

__all__ = ["CASES", "build", "judge", "Outcome", "OUTCOMES", "ALLOWED", "KINDS",
           "EXPECTATIONS", "Case"]

CASES: list[Case] = [factory() for factory in FACTORIES]


def build(folder: Path) -> dict[str, Path]:
    """Write every case's file into its own sub-folder of ``folder`` (file names repeat)."""
    paths = {}
    for c in CASES:
        sub = Path(folder) / c.name
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / c.filename
        c.write(path)
        paths[c.name] = path
    return paths
