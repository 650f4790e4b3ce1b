"""The tree tells the architecture: the parts as folders, the shared concepts at the top,
functions a reader takes in at once, no private names reached across modules, and an
``import qualitykit`` that loads nothing it does not need."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import qualitykit as qk

PKG = Path(qk.__file__).resolve().parent
PARTS = {"io", "term", "lists", "items", "growth", "report", "external", "fitness"}


def _modules():
    return sorted(PKG.rglob("*.py"))


def test_parts_are_folders_and_the_top_holds_the_shared_concepts():
    folders = {d.name for d in PKG.iterdir() if (d / "__init__.py").exists()}
    assert PARTS <= folders
    top = [p.name for p in PKG.glob("*.py")]
    assert len(top) <= 15, top


def test_no_function_longer_than_80_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 80:
                    long.append(f"{path.relative_to(PKG)}:{node.name} ({n} lines)")
    assert not long, long


def test_no_module_imports_another_modules_private_names():
    reached = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                reached += [f"{path.relative_to(PKG)}: {node.module}.{a.name}"
                            for a in node.names if a.name.startswith("_")]
    assert not reached, reached


@pytest.mark.parametrize("module", ["qualitykit", "qualitykit.cli"])
def test_import_loads_no_analysis_library(module):
    # a quick `import qualitykit` (and every CLI command) pays only for what it uses: the
    # report command starts its Jupyter kernel before it needs pandas itself
    code = (f"import sys, {module}\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'statsmodels', 'seaborn', "
            "'matplotlib', 'docx', 'nbformat', 'duckdb', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves_and_none_is_a_module():
    import types

    for name in qk.__all__:
        value = getattr(qk, name)
        assert not isinstance(value, types.ModuleType), name
    assert set(qk.__all__) <= set(dir(qk))
