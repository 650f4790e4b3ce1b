"""qualitykit — 教学质量分析工具包: term analysis of a school's exam results.

Read the school's own score sheets into one canonical long table, then compute 三率一分 and
the rest from it. See README.md for the two-command set-up.
"""

from .classes import parse_class, parse_grade
from .import_report import ImportReport, ScoreFileError
from .importing import check_scores, read_roster, read_scores, read_teachers
from .indicators import all_pass_rate, summary, wilson_interval
from .labels import LABELS, label, to_display
from .sample import load_sample, sample_files, sample_path
from .schema import ROSTER_COLUMNS, SCORE_COLUMNS, STATUSES, TEACHER_COLUMNS
from .standard import PRESETS, Standard, get_standard
from .subjects import SUBJECTS, canonical_subject

__version__ = "0.1.0"

__all__ = [
    "read_scores", "check_scores", "read_roster", "read_teachers", "ImportReport",
    "ScoreFileError", "summary", "all_pass_rate", "wilson_interval", "Standard", "PRESETS",
    "get_standard", "load_sample", "sample_path", "sample_files", "parse_class", "parse_grade",
    "canonical_subject", "SUBJECTS", "SCORE_COLUMNS", "ROSTER_COLUMNS", "TEACHER_COLUMNS",
    "STATUSES", "LABELS", "label", "to_display", "__version__",
]
