"""The Word and Excel files of a report, written by ``qualitykit report`` beside the printing.

In a notebook opened in Jupyter, :func:`qualitykit.write_outputs` and
:func:`qualitykit.write_pack` write their Word and Excel files at once. When ``qualitykit
report`` runs the notebook, the last thing the kernel would do is write them (≈ 2 s of python-docx
and xlsxwriter on the sample school) while the command waits, and then the command would export
the page and print it. Instead the command starts the kernel with :data:`LATER` naming a private
folder: the writers put their arguments there (:func:`later`; the tables, the pages and the
charts' PNG bytes, as they are) and return the paths they will have; after the notebook the
command writes the files from them (:func:`write_later`) in a thread while the browser prints.
The files are those the notebook would have written: the same functions with the same
arguments, only later and in another process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
from pathlib import Path

__all__ = ["LATER", "later", "write_later", "warm_up_writers"]

#: The environment variable naming the folder of the writes left for later (set only by
#: ``qualitykit report`` for its own kernel).
LATER = "QUALITYKIT_OFFICE_LATER"

#: The writers that can be left for later: name → "module:function".
WRITERS = {"report": "qualitykit.report.word:write_outputs",
           "pack": "qualitykit.report.pack_word:write_pack_docx"}


def later(writer: str, *args, **kwargs) -> bool:
    """Leave ``writer(*args, **kwargs)`` for :func:`write_later` when the kernel was started
    so; whether it was left (False: the caller writes now).

    The arguments are kept as they are (pickled): the later call gets equal DataFrames,
    texts and bytes.
    """
    folder = os.environ.get(LATER)
    if not folder or writer not in WRITERS:
        return False
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    number = len(list(folder.glob("*.pickle")))
    part = folder / f"{number:03d}-{writer}.pickle.part"
    with part.open("wb") as fh:
        pickle.dump((writer, args, kwargs), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, part.with_suffix(""))
    return True


def write_later(folder: str | Path) -> list:
    """Do the writes left in ``folder`` (in the order they were left) and remove the folder;
    what each writer returned. Nothing to do for a folder that is missing or empty."""
    folder = Path(folder)
    done = []
    for path in sorted(folder.glob("*.pickle")):
        with path.open("rb") as fh:
            writer, args, kwargs = pickle.load(fh)  # noqa: S301 - our own kernel's file
        module, function = WRITERS[writer].split(":")
        done.append(getattr(importlib.import_module(module), function)(*args, **kwargs))
    shutil.rmtree(folder, ignore_errors=True)
    return done


def warm_up_writers() -> None:
    """Import the writers' libraries (python-docx, docxtpl, xlsxwriter): the command does it
    while the notebook runs, not after it."""
    for name in WRITERS.values():
        importlib.import_module(name.split(":")[0])
    import docxtpl  # noqa: F401
    import xlsxwriter  # noqa: F401
