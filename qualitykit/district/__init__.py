"""The 联考 / district view (区县统测, 联盟考试): many schools in one file.

``load`` reads the file once (every school kept apart, 参考 counted as the organiser does),
``schools`` gives each school's 三率一分 against the district and the 总分 of every pupil,
``balance`` the 均衡 indices (差异系数 of school means, the between-school share of variance,
the gap between the top and bottom quartile of schools), ``analysis`` computes every table of
the district report once, ``feedback`` and ``pages`` cut one 通报反馈 report per school from
them, ``plots`` draws the schools against the district, and ``report`` runs the notebook and
writes the files. ``league_sample`` generates the bundled 联考 sample. Each module imports only
modules before it in this order: ``league_sample``, ``load``, ``balance``, ``schools``,
``analysis``, ``feedback``, ``pages``, ``plots``, ``report``.

Beyond one machine: ``engine`` converts score files to Parquet (``qualitykit convert``) and
computes the per-school and per-class 三率一分 with DuckDB over it, out of core, with the same
definitions (``load`` reads a ``.parquet`` through it; ``analysis`` asks it for those tables
when the data's engine is ``duckdb``).

Admission lines and 赋分: ``lines`` (上线, 单科有效分, 双上线, 临界生) and ``scaling`` (等级赋分
under a province's scheme), used on their own by ``qualitykit lines`` (``lines_workbook``);
``district_lines`` takes the same tables into the district report (``--lines``): ``analysis``
imports it, ``feedback`` and ``pages`` show it.
"""
