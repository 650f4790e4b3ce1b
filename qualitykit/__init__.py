"""qualitykit — 教学质量分析工具包: term analysis of a school's exam results.

Read the school's own score sheets into one canonical long table, then compute 三率一分 and
the rest from it. See README.md for the two-command set-up.
"""

from .classes import parse_class, parse_grade
from .cohorts import CohortComparison, CohortTrack, cohort_compare, track_cohort
from .compare import ClassComparison, compare_classes, compare_exams, games_howell, hedges_g
from .display import VIEWS, band_table, basic_text, level_text, show, text, title_block
from .distribution import grade_levels, score_bands, standard_total, standardize, student_totals
from .findings import findings
from .exams import Exams, load_exams, pre_post
from .fonts import cjk_font, set_theme
from .growth import Growth, growth_percentiles
from .growth_workbook import write_growth
from .import_report import ImportReport, ScoreFileError
from .importing import check_scores, read_roster, read_scores, read_teachers
from .item_analysis import EBEL, ItemAnalysis, cronbach_alpha, distractors, item_analysis
from .item_import import ITEM_COLUMNS, check_items, item_table, read_items
from .knowledge import knowledge_points
from .paper import PaperAnalysis, paper_analysis, write_paper
from .indicators import all_pass_rate, cut_lines, double_high_check, summary, wilson_interval
from .labels import LABELS, label, to_display
from .levels import (LEVEL_IDS, LevelComparison, compare_level_exams, compare_levels, level_codes,
                     level_findings, level_measures, level_subjects, level_summary, to_levels)
from .plots import (plot_class_means, plot_distributions, plot_items, plot_knowledge_points,
                    plot_levels, plot_rates, plot_score_bands, plot_teachers)
from .plots_growth import plot_cohorts, plot_growth, plot_trend, plot_value_added
from .sample import load_sample, sample_files, sample_path
from .schema import ROSTER_COLUMNS, SCORE_COLUMNS, STATUSES, TEACHER_COLUMNS, unit_keys
from .standard import PRESETS, Standard, get_standard
from .subjects import SUBJECTS, canonical_subject
from .progress import TRANSITIONS, Progress, progress
from .targets import LISTS, RULES, target_counts, target_rules, targets
from .target_workbook import write_targets
from .teachers import assign_teachers, teacher_table
from .tracking import Tracking, update_tracking
from .term import TermData, load_term, mask_names
from .trend import Trend, trend
from .value_added import ValueAdded, value_added
from .word import write_outputs

__version__ = "0.3.0"

__all__ = [
    # reading
    "read_scores", "check_scores", "read_roster", "read_teachers", "ImportReport",
    "ScoreFileError", "load_term", "TermData", "mask_names",
    # indicators
    "summary", "all_pass_rate", "double_high_check", "cut_lines", "wilson_interval",
    "score_bands", "standardize", "standard_total", "grade_levels", "student_totals",
    # 等级 (grades graded in levels)
    "level_summary", "to_levels", "level_codes", "level_subjects", "compare_levels",
    "LevelComparison", "compare_level_exams", "level_findings", "level_measures", "LEVEL_IDS",
    # comparison
    "compare_classes", "compare_exams", "ClassComparison", "games_howell", "hedges_g",
    "assign_teachers", "teacher_table", "findings",
    # 培优补差
    "targets", "target_counts", "target_rules", "LISTS", "RULES", "progress", "Progress",
    "TRANSITIONS", "update_tracking", "Tracking", "write_targets",
    # 试卷分析
    "read_items", "check_items", "item_table", "ITEM_COLUMNS", "item_analysis", "ItemAnalysis",
    "cronbach_alpha", "distractors", "knowledge_points", "EBEL", "paper_analysis",
    "PaperAnalysis", "write_paper",
    # cohorts and growth
    "cohort_compare", "CohortComparison", "track_cohort", "CohortTrack", "value_added",
    "ValueAdded", "growth_percentiles", "Growth", "trend", "Trend", "load_exams", "Exams",
    "pre_post", "write_growth",
    # standard
    "Standard", "PRESETS", "get_standard",
    # plots and display
    "plot_distributions", "plot_score_bands", "plot_rates", "plot_class_means",
    "plot_teachers", "plot_knowledge_points", "plot_items", "plot_value_added", "plot_growth",
    "plot_trend", "plot_cohorts", "set_theme", "cjk_font", "show", "text", "VIEWS", "band_table",
    "title_block", "basic_text", "write_outputs", "plot_levels", "level_text",
    # sample data and vocabulary
    "load_sample", "sample_path", "sample_files", "parse_class", "parse_grade",
    "canonical_subject", "SUBJECTS", "unit_keys", "SCORE_COLUMNS", "ROSTER_COLUMNS",
    "TEACHER_COLUMNS",
    "STATUSES", "LABELS", "label", "to_display", "__version__",
]
