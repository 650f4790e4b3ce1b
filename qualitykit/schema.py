"""The canonical tables every analysis in qualitykit takes.

Scores (long, tidy): one row per student × exam × subject.

==============  =========  ========================================================================
column          dtype      meaning
==============  =========  ========================================================================
student_id      str        学号 (or 考号); a surrogate ``X…`` built from school+class+name when
                           the sheet has none (listed in the import report)
name            str        姓名
school          str        学校
grade           Int64      年级 1–12 (初一/七年级 = 7, 高一 = 10)
class_id        str        ``"5-1"`` for 五(1)班; ``"3"`` when the grade is unknown
class_name      str        班级 as written on the sheet
subject         str        canonical Chinese subject name (语文, 数学, 英语, 科学, 道德与法治, …)
exam            str        e.g. ``"2025-2026-1 期末"``
score           float      NaN unless ``status == "sat"`` (and for 等级-only subjects)
status          str        sat, absent 缺考, excused 请假/免考, cheated 作弊, transferred 转学,
                           not_scanned 未扫, excluded 剔除/不计, invalid (lenient import only)
full_mark       float      满分 of the subject in this exam (default 100)
level           str        等级 when the sheet records one (优秀/良好/合格/待合格, A+…E)
source_file     str        file the row came from
source_sheet    str        sheet the row came from
source_row      Int64      Excel row number
==============  =========  ========================================================================

Counting rules: 应考人数 (``n_enrolled``) counts every row; 实考人数 (``n_sat``) counts
``status == "sat"``; rates use 实考人数. A 0 is a real score. Subjects a student does not take
(7选3, 未选考 N) produce no row at all.

Roster (学生信息表): ``student_id``, ``name``, ``school``, ``grade``, ``class_id``,
``class_name``. Teacher assignment (教学编排表): ``teacher``, ``teacher_id``, ``school``,
``school_year``, ``term``, ``grade``, ``class_id``, ``class_name``, ``subject``.

Identity across schools: a class (and a teacher) is named within its school. In a table that
holds more than one school (a 联考 / 区县统测 file) every school has a "9-3", so a class is the
pair (``school``, ``class_id``): :func:`unit_keys` turns a requested grouping into the keys to
group by, and every analysis that groups by class uses it. Pupils are likewise
(``school``, ``student_id``) there (:func:`student_keys`). A table of one school keeps the plain
keys, so its outputs have no ``school`` column unless asked for.

Checks: every analysis of the term and lists families checks the table it is handed with
:func:`check_scores_table` (columns, numeric scores and full marks, known statuses, and scores
within [0, full_mark] where the analysis judges them by it), so that a researcher's own table
stops with a message instead of giving a silently wrong number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["ScoreFileError", "SCORE_COLUMNS", "ROSTER_COLUMNS", "TEACHER_COLUMNS", "STATUSES",
           "UNIT_COLUMNS", "schools_in", "several_schools", "unit_keys", "student_keys",
           "default_unit", "unit_labels",
           "check_unique_students", "group_keys", "sat_mask", "sat_rows", "check_scores_table",
           "CHECKED_COLUMNS", "NUMERIC_COLUMNS", "matching_hints", "GROWTH_COLUMNS"]

#: Statuses, in the canonical table's ``status`` column (``sat`` = 参考; see the module text).
STATUSES = ("sat", "absent", "excused", "cheated", "transferred", "not_scanned", "excluded",
            "not_taken", "invalid")

#: Level words as sheets write them → the canonical level of the ``level`` column (letters
#: A–E are kept as written; their meaning is set by ``Standard.level_letters``).
LEVEL_WORDS = {
    "优秀": "优秀", "优": "优秀", "良好": "良好", "良": "良好", "合格": "合格", "及格": "合格",
    "中": "合格", "待合格": "待合格", "不合格": "待合格", "不及格": "待合格", "待提高": "待合格",
    "需努力": "待合格", "差": "待合格",
}

SCORE_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name", "subject",
                 "exam", "score", "status", "full_mark", "level", "source_file", "source_sheet",
                 "source_row"]
ROSTER_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name"]
TEACHER_COLUMNS = ["teacher", "teacher_id", "school", "school_year", "term", "grade", "class_id",
                   "class_name", "subject"]

#: Columns whose values are names within a school: a class, a teacher.
UNIT_COLUMNS = ("class_id", "teacher")


def schools_in(table: pd.DataFrame | None) -> list[str]:
    """The school names a table holds (non-empty, in order of appearance).

    >>> schools_in(pd.DataFrame({"school": ["乙中", "甲中", "乙中", ""]}))
    ['乙中', '甲中']
    """
    if table is None or "school" not in table:
        return []
    names = (str(name) for name in pd.unique(table["school"].dropna()))  # distinct values first
    return list(dict.fromkeys(name for name in names if name.strip()))


def several_schools(*tables: pd.DataFrame | None) -> bool:
    """True when any of the tables holds more than one school (a 联考 file); a large table's
    first rows are looked at first (two schools there are two in the table).

    >>> t = pd.DataFrame({"school": ["甲中"] * 3000 + ["乙中"]})
    >>> several_schools(t), several_schools(t.head(3000)), several_schools(None, t.tail(2))
    (True, False, True)
    """
    return any(t is not None and "school" in t and (
        len(t) > _FIRST_ROWS and len(schools_in(t.head(_FIRST_ROWS))) > 1
        or len(schools_in(t)) > 1) for t in tables)


#: Rows :func:`several_schools` looks at first.
_FIRST_ROWS = 1000


def unit_keys(table: pd.DataFrame, by: Sequence[str] | str, *,
              schools: bool | None = None) -> list[str]:
    """The keys to group by for a requested grouping: a class is identified within its school.

    ``school`` is put just before the first of :data:`UNIT_COLUMNS` (``class_id``, ``teacher``)
    in ``by`` when the table holds more than one school; otherwise ``by`` is returned as it is.

    Parameters
    ----------
    table : DataFrame
        The table to be grouped.
    by : column name or names
        The grouping asked for, e.g. ``("class_id", "subject")``.
    schools : bool, optional
        Force the decision (e.g. when the school count comes from another table).

    Examples
    --------
    >>> two = pd.DataFrame({"school": ["甲中", "乙中"], "class_id": ["9-3", "9-3"]})
    >>> unit_keys(two, ("class_id", "subject")), unit_keys(two.iloc[:1], "class_id")
    (['school', 'class_id', 'subject'], ['class_id'])
    """
    keys = [by] if isinstance(by, str) else list(by)
    several = several_schools(table) if schools is None else schools
    if "school" in keys or not several or "school" not in table:
        return keys
    pos = next((i for i, k in enumerate(keys) if k in UNIT_COLUMNS), None)
    return keys if pos is None else keys[:pos] + ["school"] + keys[pos:]


def student_keys(*tables: pd.DataFrame | None) -> list[str]:
    """How pupils are identified: ``[school, student_id]`` when the tables hold several schools
    (school-local 学号 repeat across schools) and all have a school column, else ``[student_id]``.

    >>> two = pd.DataFrame({"school": ["甲中", "乙中"], "student_id": ["1", "1"]})
    >>> student_keys(two), student_keys(two.iloc[:1])
    (['school', 'student_id'], ['student_id'])
    """
    present = [t for t in tables if t is not None]
    if several_schools(*present) and all("school" in t for t in present):
        return ["school", "student_id"]
    return ["student_id"]


def align_student_ids(table: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """``table``'s 学号 written as in ``reference`` where the two differ only by leading zeros.

    Excel drops the leading zeros of a 学号 typed as a number: ``012001`` in this term's sheet
    is ``12001`` in last term's, and no pupil would be matched between the two exams. A 学号
    of ``table`` that is absent from ``reference`` takes the form of ``reference`` when both
    are all digits, equal without their leading zeros, and that equality is one-to-one (no
    other 学号 of either table reads the same without its zeros). Every other 学号 is left as
    it is, so two different pupils are never joined.

    Returns
    -------
    DataFrame
        A copy of ``table`` (the same rows and columns); ``attrs["aligned_ids"]`` counts the
        pupils whose 学号 was rewritten.

    Examples
    --------
    >>> before = pd.DataFrame({"student_id": ["12001", "12002", "99"]})
    >>> now = pd.DataFrame({"student_id": ["012001", "012002", "0099", "099"]})
    >>> align_student_ids(before, now)["student_id"].tolist()
    ['012001', '012002', '99']
    """
    out = table.copy()
    out.attrs["aligned_ids"] = 0
    if "student_id" not in table or "student_id" not in reference or table.empty:
        return out
    ids = out["student_id"].astype("string")
    mine = _zero_free_keys(ids)
    theirs = _zero_free_keys(reference["student_id"].astype("string"))
    mine_once = mine[~mine.duplicated(keep=False)]
    theirs_once = theirs[~theirs.duplicated(keep=False)]
    by_key = pd.Series(theirs_once.index, index=theirs_once.to_numpy())
    lone = mine_once[~mine_once.index.isin(theirs.index)]
    lone = lone[lone.isin(by_key.index)]
    rename = {i: by_key[k] for i, k in lone.items() if by_key[k] not in mine.index}
    if rename:
        out["student_id"] = ids.replace(rename)
        out.attrs["aligned_ids"] = len(rename)
    return out


def matching_hints(current: pd.DataFrame, previous: pd.DataFrame) -> list[str]:
    """What a teacher must know when pupils of two exams are matched by 学号 (Chinese lines;
    empty when all is well): most 学号 differ although the names are the same pupils (the 学号
    format changed: 进步/增值 would find nobody), or a class of ``current`` none of whose pupils
    is in ``previous`` while the others are (the earlier file lacks that class: its pupils all
    count as 新来).

    Examples
    --------
    >>> now = pd.DataFrame({"student_id": ["G1", "G2", "G3"], "name": ["甲", "乙", "丙"],
    ...                     "class_id": ["8-1", "8-1", "8-2"]})
    >>> before = now.assign(student_id=["1", "2", "3"], class_id=["7-1", "7-1", "7-2"])
    >>> matching_hints(now, before)[0][:22]
    '本次与上次的学号几乎都对不上（相同的 0 个'
    """
    now = current.drop_duplicates("student_id")
    then = previous.drop_duplicates("student_id")
    ids_then = set(then["student_id"].astype(str))
    same = now["student_id"].astype(str).isin(ids_then)
    hints = []
    if "name" in now and "name" in then and len(now) and same.mean() < 0.5:
        names_then = then.drop_duplicates("name", keep=False).set_index("name")["student_id"]
        named = now[~same & now["name"].isin(names_then.index)]
        if len(named) >= max(3, 0.5 * (~same).sum()):
            first = named.iloc[0]
            hints.append(f"本次与上次的学号几乎都对不上（相同的 {int(same.sum())} 个，本次 {len(now)} 人），"
                         f"但有 {len(named)} 人姓名相同（如本次 {first['student_id']} {first['name']}，上次 "
                         f"{names_then[first['name']]}）：学号的写法可能变了。与上次对比（进步、增值）按学号"
                         "对应，请把两次的学号改成同一种写法后再运行。")
    elif "class_id" in now and same.any():
        for cls, part in now.groupby("class_id", sort=True):
            if len(part) >= 5 and not same[part.index].any():
                hints.append(f"本次 {cls} 班的 {len(part)} 名学生都不在上次的成绩表中（其他班的学生在）：上次的"
                             "成绩表可能缺了这个班，这些学生都按“新来”计、没有进步与增值。请核对上次的成绩表。")
    return hints


def _zero_free_keys(ids: pd.Series) -> pd.Series:
    """Each distinct all-digit 学号 → the same without its leading zeros (index: the 学号)."""
    distinct = pd.Series(ids.dropna().unique(), dtype="string")
    digits = distinct[distinct.str.fullmatch(r"\d+").fillna(False)]
    return pd.Series(digits.str.lstrip("0").to_numpy(), index=digits.to_numpy())


def default_unit(table: pd.DataFrame, by: str | None = None) -> str | None:
    """The unit an analysis groups by when none is given: ``class_id`` when the table has it,
    else the unit :func:`qualitykit.pre_post` recorded (``attrs["unit"]``), else None.

    >>> default_unit(pd.DataFrame({"class_id": []})), default_unit(pd.DataFrame()) is None
    ('class_id', True)
    """
    if by is not None:
        return by
    return "class_id" if "class_id" in table else table.attrs.get("unit")


def unit_labels(table: pd.DataFrame, column: str = "class_id") -> pd.Series:
    """The unit as people read it: "学校 班级" where the table holds several schools.

    >>> t = pd.DataFrame({"school": ["甲中", "乙中"], "class_id": ["9-3", "9-3"]})
    >>> unit_labels(t).tolist(), unit_labels(t.iloc[:1]).tolist()
    (['甲中 9-3', '乙中 9-3'], ['9-3'])
    """
    values = table[column].astype(str)
    if column in UNIT_COLUMNS and several_schools(table):
        return table["school"].astype(str) + " " + values
    return values


def check_unique_students(table: pd.DataFrame, *, what: str, function: str,
                          keys: Sequence[str] | None = None) -> None:
    """Stop with a clear message when a pupil has two rows for the same exam × subject.

    Parameters
    ----------
    table : DataFrame
        A canonical long table (or the output of :func:`qualitykit.pre_post`).
    what : str
        Which input this is, in Chinese with its argument name, e.g. "本次考试（current）".
    function : str
        The public function that was called (named in the message).
    keys : column names, optional
        Pupil identity (default: :func:`student_keys` of the table).

    Raises
    ------
    ScoreFileError
        Naming the duplicated ids, the exam and their source rows, and how to fix it.
    """
    ids = list(keys) if keys is not None else student_keys(table)
    scope = [k for k in ("exam", "subject") if k in table]
    key = [*scope, *ids]
    mask = table.duplicated(key, keep=False).to_numpy()
    dup = table[mask].assign(_position=mask.nonzero()[0] + 1)
    if dup.empty:
        return

    groups = list(dup.groupby(key, sort=False, dropna=False))
    shown = [_duplicate_text(dict(zip(key, k if isinstance(k, tuple) else (k,))), rows)
             for k, rows in groups[:5]]
    more = f"等 {len(groups)} 处" if len(groups) > 5 else f"共 {len(groups)} 处"
    exams = "、".join(map(str, pd.unique(dup["exam"]))) if "exam" in dup else ""
    raise ScoreFileError(
        f"{function}：{what}{('（考试 ' + exams + '）') if exams else ''}中有学生重复出现 "
        f"(duplicated student_id)，{more}：" + "；".join(shown) + "。同一个学生在同一次考试、"
        "同一科目只能有一行，否则无法判断用哪一个成绩：请在成绩表中删除重复的行，或改正其中一人的"
        "学号，然后重新读取。")


def _duplicate_text(ident: dict, rows: pd.DataFrame) -> str:
    who = f"学号 {ident['student_id']}"
    if "school" in ident:
        who = f"学校 {ident['school']}、{who}"
    if "subject" in ident:
        who += f"（{ident['subject']}）"
    if "source_row" in rows and rows["source_row"].notna().all():
        return f"{who}：{'，'.join(_source_place(r) for r in rows.itertuples())}"
    return f"{who}：表中第 {'、'.join(map(str, rows['_position']))} 行（从 1 数起）"


def _source_place(row) -> str:
    """Where a row came from: "file 工作表 sheet 第 n 行" (the parts the row has)."""
    where = [str(v) for v in (getattr(row, "source_file", ""), getattr(row, "source_sheet", ""))
             if isinstance(v, str) and v]
    return f"{' 工作表 '.join(where)} 第 {row.source_row} 行".strip()


def group_keys(scores: pd.DataFrame, by: Sequence[str] | str) -> list[str]:
    """The columns to group by for ``by=``: a class within its school (:func:`unit_keys`), and
    the exam first when the table holds several; a clear error naming a missing column."""
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in scores.columns]
    if missing:
        raise ValueError(f"by= 中的列 {missing} 不在成绩表中 (not in scores)；可用的列：{list(scores.columns)}。")
    keys = unit_keys(scores, keys)
    if "exam" in scores.columns and "exam" not in keys and scores["exam"].nunique() > 1:
        keys = ["exam"] + keys
    return keys


def sat_mask(scores: pd.DataFrame, *, with_full_mark: bool = False) -> pd.Series:
    """True for the rows of pupils who sat with a score (实考): ``status == "sat"`` and a
    score (level-only rows of 一、二年级 have no score and are not in it). ``with_full_mark``:
    and a full mark, the rows a cut line or a 得分率 applies to (not a sheet's 总分 column)."""
    sat = scores["status"].eq("sat") & scores["score"].notna()
    return sat & scores["full_mark"].notna() if with_full_mark else sat


def sat_rows(scores: pd.DataFrame, *, with_full_mark: bool = False) -> pd.DataFrame:
    """The rows of :func:`sat_mask`."""
    return scores[sat_mask(scores, with_full_mark=with_full_mark)]


def group_arrays(table: pd.DataFrame, keys, column: str = "score", *,
                 dropna: bool = False) -> dict:
    """Each group's ``column`` as a float array, keyed and ordered as
    ``table.groupby(keys, sort=True, dropna=dropna)`` iterates its groups (rows in table order
    within a group), from one group-by and one sort instead of a Python loop over the groups.

    >>> t = pd.DataFrame({"class_id": ["2", "1", "2"], "score": [3, 5, 4]})
    >>> {k: v.tolist() for k, v in group_arrays(t, "class_id").items()}
    {'1': [5.0], '2': [3.0, 4.0]}
    """
    grouped = table.groupby(keys, sort=True, dropna=dropna)
    codes = grouped.ngroup().fillna(-1).to_numpy().astype(np.int64)
    labels = list(grouped.size().index)
    if isinstance(keys, list) and len(keys) == 1:  # as groupby names them: 1-tuples
        labels = [(label,) for label in labels]
    values = table[column].astype(float).to_numpy()
    kept = codes >= 0  # dropna: rows of a missing key are in no group
    order = np.argsort(codes[kept], kind="stable")
    bounds = np.cumsum(np.bincount(codes[kept], minlength=len(labels)))[:-1]
    return dict(zip(labels, np.split(values[kept][order], bounds)))


#: The columns :func:`check_scores_table` requires by default: what every analysis of scores reads.
CHECKED_COLUMNS = ("score", "status", "full_mark")
#: What the growth analyses read of every table (a researcher's Z scores have no full mark).
GROWTH_COLUMNS = ("student_id", "exam", "subject", "score", "status")
#: Columns that must hold numbers.
NUMERIC_COLUMNS = ("score", "full_mark")
_SHOWN = 3  # offending rows named in a message


def check_scores_table(scores: pd.DataFrame, *, where: str,
                       required: Sequence[str] = CHECKED_COLUMNS, bounds: bool = True) -> None:
    """Stop with a clear message when a table handed to an analysis is not a canonical score table.

    Checks, in this order: the ``required`` columns are there; ``score`` and ``full_mark`` hold
    numbers; every ``status`` is one of :data:`STATUSES`; with ``bounds``, every score lies within
    [0, ``full_mark``] (a row without a full mark, e.g. a researcher's Z score, has no bounds).
    The checks are vectorised: a table of 100,000 rows takes milliseconds.

    Parameters
    ----------
    scores : DataFrame
        The table handed in (:data:`SCORE_COLUMNS`; :func:`qualitykit.read_scores` makes one).
    where : str
        The function and argument it came through, named in the message, e.g. ``"summary"`` or
        ``"progress（previous）"``.
    required : column names
        The columns the analysis reads (default :data:`CHECKED_COLUMNS`: ``score``, ``status``,
        ``full_mark``).
    bounds : bool
        Refuse scores below 0 or above their full mark (when the table has ``full_mark``).

    Raises
    ------
    ValueError
        In Chinese with the English identifier: which column, what is wrong with it (up to three
        offending rows, by their place on the sheet when the table has ``source_row``), and how
        to fix the table.

    Examples
    --------
    >>> t = pd.DataFrame({"score": [88.0, 105.0], "status": ["sat", "sat"],
    ...                   "full_mark": [100, 100]})
    >>> check_scores_table(t.iloc[:1], where="summary")
    >>> check_scores_table(t, where="summary")
    Traceback (most recent call last):
    ...
    ValueError: summary：成绩表 score（成绩）列有 1 个分数不在 0 与满分之间 (score out of range [0, full_mark])：表中第 2 行（从 1 数起）：105 超过满分 100。请核对这些分数；满分不对时改正 full_mark（满分）列（读取成绩表时用 full_marks= 给出各科满分）。
    """
    problem = (_missing_columns(scores, required) or _not_numeric(scores)
               or _unknown_statuses(scores)
               or (_out_of_range(scores) if bounds else None))
    if problem:
        raise ValueError(f"{where}：{problem}")


def _missing_columns(scores: pd.DataFrame, required: Sequence[str]) -> str | None:
    missing = [c for c in required if c not in scores.columns]
    if not missing:
        return None
    from .labels import label

    named = "、".join(f"{c}（{label(c)}）" for c in missing)
    return (f"成绩表缺少列 {named} (missing column {missing})；表中的列：{list(scores.columns)}。"
            "请用 qk.read_scores 读取成绩表，或按 qk.SCORE_COLUMNS 给自己整理的表的列命名。")


def _numbers(column: pd.Series) -> pd.Series | None:
    """The column as floats; None when it holds something else than numbers."""
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(float)
    if column.dtype != object:
        return None
    present = column.dropna()
    if not present.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
        return None
    return pd.to_numeric(column, errors="coerce").astype(float)


def _not_numeric(scores: pd.DataFrame) -> str | None:
    from .labels import label

    for column in (c for c in NUMERIC_COLUMNS if c in scores.columns):
        if _numbers(scores[column]) is None:
            values = scores[column].dropna()
            shown = f"，如 {values.iloc[0]!r}" if len(values) else ""
            return (f"成绩表 {column}（{label(column)}）列应为数值 (numeric dtype)，收到 "
                    f"{scores[column].dtype}{shown}。请先转换这一列（pd.to_numeric），"
                    "或用 qk.read_scores 读取成绩表：它把缺考、请假等写法记在 status 列。")
    return None


def _unknown_statuses(scores: pd.DataFrame) -> str | None:
    if "status" not in scores.columns:
        return None
    bad = ~scores["status"].isin(STATUSES).to_numpy()
    if not bad.any():
        return None
    from .labels import STATUS_LABELS

    values = ["空" if pd.isna(v) else repr(v) for v in scores["status"].to_numpy()[bad][:_SHOWN]]
    allowed = "、".join(f"{s}（{STATUS_LABELS.get(s, s)}）" for s in STATUSES)
    return (f"成绩表 status（状态）列有 {int(bad.sum())} 行的状态无法识别 (unknown status)："
            f"{_listed(scores, bad, values)}。可用的状态：{allowed}；"
            "参加了考试的行写 sat，缺考写 absent。")


def _out_of_range(scores: pd.DataFrame) -> str | None:
    if "score" not in scores.columns or "full_mark" not in scores.columns:
        return None
    score = _numbers(scores["score"]).to_numpy()
    full = _numbers(scores["full_mark"]).to_numpy()
    with np.errstate(invalid="ignore"):
        below, above = (score < 0) & ~np.isnan(full), score > full + 1e-9
    bad = below | above
    if not bad.any():
        return None
    texts = [f"{value:g} 超过满分 {top:g}" if over else f"{value:g} 是负数"
             for value, top, over in zip(score[bad][:_SHOWN], full[bad][:_SHOWN],
                                         above[bad][:_SHOWN])]
    return (f"成绩表 score（成绩）列有 {int(bad.sum())} 个分数不在 0 与满分之间 "
            f"(score out of range [0, full_mark])：{_listed(scores, bad, texts)}。请核对这些分数；"
            "满分不对时改正 full_mark（满分）列（读取成绩表时用 full_marks= 给出各科满分）。")


def _listed(scores: pd.DataFrame, mask: np.ndarray, texts: list[str]) -> str:
    """The first offending rows, each "place（学号，科目）：text", and how many there are in all."""
    rows = scores[mask].head(_SHOWN)
    positions = mask.nonzero()[0][:_SHOWN] + 1
    shown = []
    for position, r, text in zip(positions, rows.itertuples(), texts):
        on_sheet = "source_row" in rows and pd.notna(getattr(r, "source_row"))
        who = [f"学号 {r.student_id}" if "student_id" in rows else None,
               getattr(r, "subject", None)]
        who = [str(v) for v in who if v is not None and pd.notna(v)]
        place = _source_place(r) if on_sheet else f"表中第 {position} 行"
        notes = who if on_sheet else ["从 1 数起", *who]
        shown.append(f"{place}（{'，'.join(notes)}）：{text}" if notes else f"{place}：{text}")
    more = f" 等 {int(mask.sum())} 处" if mask.sum() > _SHOWN else ""
    return "；".join(shown) + more


class ScoreFileError(ValueError):
    """A score sheet that cannot be imported as it is.

    The message is in Chinese for teachers, names the English identifier, the place (file,
    sheet, Excel row, column) and how to fix the sheet. ``report`` holds the full import
    report (:class:`qualitykit.ImportReport`) when the error came from reading a sheet.
    """

    def __init__(self, message: str, *, file: str | None = None, report=None):
        super().__init__(message)
        self.file = file
        self.report = report
