"""Where the project's own files are: notebooks, templates and the sample school's data.

They live beside the package (the kit is installed from its folder with ``pip install -e``);
every module finds them here, in one place.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROJECT", "NOTEBOOKS", "TEMPLATES", "SAMPLE_DATA"]

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOKS = PROJECT / "notebooks"
TEMPLATES = PROJECT / "templates"
SAMPLE_DATA = PROJECT / "sample_data"
