"""What a report command read and checked, kept for its notebook's kernel.

A report command (``qualitykit report``, ``qualitykit district``) reads and checks the school's
files before its notebook runs, so that a sheet with errors stops there with its message; then
the notebook, in its kernel, would read the same files again. Instead the command keeps what it
read in the output folder's :data:`CHECKED_FOLDER` (a pickle named by a SHA-256 of the files —
each one's place, size, modification time and bytes —, the reading options and the kit's
version), the notebook's loader takes it from there, and the command removes the folder when
it ends (:func:`forget_checked`). A notebook opened in Jupyter finds no such folder and reads
its files itself.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["CHECKED_FOLDER", "checked_path", "kept", "keep", "forget_checked"]

#: The folder (in the output folder, during one command) of the tables it read and checked.
CHECKED_FOLDER = ".qualitykit-checked"


def checked_path(folder: str | Path, files: Iterable[str | Path | None],
                 options: Mapping) -> Path:
    """Where what was read from ``files`` with ``options`` is kept in ``folder``.

    The name is a SHA-256 of each file's place, size, modification time and content (a file
    not given counts as such), of ``options`` (their ``repr``) and of the kit's version: a
    changed file, another option or another version of the kit is another name.
    """
    from .. import __version__

    digest = hashlib.sha256(repr((__version__, sorted((str(k), repr(v))
                                                      for k, v in options.items()))).encode())
    for path in files:
        if not path:
            digest.update(b"\0none\0")
            continue
        file = Path(path).resolve()
        stat = file.stat()
        digest.update(repr((str(file), stat.st_size, stat.st_mtime_ns)).encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return Path(folder) / CHECKED_FOLDER / f"{digest.hexdigest()}.pickle"


def kept(path: Path):
    """What is kept at ``path`` (from :func:`checked_path`), or None when nothing is."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - written by this kit's own command


def keep(path: Path, value) -> None:
    """Keep ``value`` at ``path`` for the notebook's kernel (written whole, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    with part.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    part.replace(path)


def forget_checked(folder: str | Path) -> None:
    """Remove what a command kept in ``folder`` for its notebook."""
    shutil.rmtree(Path(folder) / CHECKED_FOLDER, ignore_errors=True)
