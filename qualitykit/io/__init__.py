"""Reading sheets: score, roster, teacher and item sheets into the canonical tables.

``scores`` (read_scores, check_scores, read_roster, read_teachers), ``items`` (小题分),
``problems`` (the import report), ``titles`` (exam and school names in titles), ``sample`` (the
bundled sample school), ``files`` (paths given by a person). The private modules do the
reading: ``_grid`` (workbooks and text files as grids of cells; which sheets to read),
``_headers`` (what each column holds), ``_rows`` (what each row is), ``_cells`` (one cell),
``_sheet`` (a score file: the driver of the steps ``_context``, ``_columns``, ``_pupils``,
``_notes``, ``_score_cells``, ``_copies`` and ``_long``, one module each) and ``_item_file``
(a 小题分 file).
"""
