"""The parameters of a report notebook, turned once into what the notebook and the library take.

A notebook's ``parameters`` cell holds literals, and papermill injects literals, so a
parameter that is not given is written as the empty value of its kind: ``""`` for a file or a
name, ``0`` for a grade, ``[]`` and ``{}`` for lists and mappings. The library takes ``None``
for the same thing. The runners (:func:`~qualitykit.report.run_report`,
:func:`~qualitykit.report.run_growth_report`) take the parameters as a caller gives them
(``None``: not given; the command line passes its options through as they were typed) and
turn them here, once:

- :func:`notebook_parameters`: what the notebook receives. ``None`` is left out, so that the
  notebook keeps its own default; every file is checked and made absolute (the notebook runs
  in the output folder); a file that is not given is ``""``.
- :func:`library_arguments`: what a loader (``load_term``, ``load_exams``) receives, each
  empty literal as ``None``, so that the runner reads exactly what the notebook will read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..io.files import input_file, standard_file

__all__ = ["FILE_LISTS", "notebook_parameters", "library_arguments"]

#: Parameters that hold a list of files (each one is checked); every other file is one path.
FILE_LISTS = frozenset({"score_files", "same_grade_files"})


def notebook_parameters(parameters: Mapping, *, files: Iterable[str] = (),
                        defaults: Mapping | None = None) -> dict:
    """The notebook's parameters from what a caller gave.

    Parameters
    ----------
    parameters : mapping
        Parameter → value; ``None`` means not given (the notebook's default, or ``defaults``).
    files : names
        The file parameters, in the order they are checked: each given one must exist and be
        readable and becomes an absolute path (a list of them for :data:`FILE_LISTS`); one not
        given becomes ``""`` (``[]`` for a list).
    defaults : mapping, optional
        Values for parameters not given that differ from the notebook's own defaults.

    Returns
    -------
    dict
        Parameter → literal, ready for papermill.

    Raises
    ------
    InputFileError
        A file that is missing, a folder, empty or unreadable; a ``standard`` ``.toml`` file
        likewise.

    Examples
    --------
    >>> notebook_parameters({"exam": None, "grade": 5, "subjects": ["语文"]},
    ...                     files=("roster_file",), defaults={"exam": ""})
    {'exam': '', 'grade': 5, 'subjects': ['语文'], 'roster_file': ''}
    """
    params = {**(defaults or {}), **{k: v for k, v in parameters.items() if v is not None}}
    for key in files:
        if key in FILE_LISTS:
            params[key] = [str(input_file(p, key)) for p in params.get(key) or []]
        else:
            params[key] = str(input_file(params[key], key)) if params.get(key) else ""
    if params.get("standard"):
        params["standard"] = standard_file(params["standard"], "standard")
    return params


def library_arguments(params: Mapping, names: Iterable[str]) -> dict:
    """Keyword arguments for a loader: the notebook parameters ``names``, empty ones as None.

    ``""``, ``0``, ``[]``, ``{}`` and a missing parameter all mean "not given" (the sheet
    says, or the library's default).

    >>> library_arguments({"exam": "", "grade": 0, "subjects": ["语文"]},
    ...                   ("exam", "grade", "subjects", "school"))
    {'exam': None, 'grade': None, 'subjects': ['语文'], 'school': None}
    """
    return {name: params.get(name) or None for name in names}
