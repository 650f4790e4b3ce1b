"""qualitykit — 教学质量分析工具包: term analysis of a school's exam results.

Read the school's own score sheets into one canonical long table, then compute 三率一分 and
the rest from it. See README.md for the two-command set-up.

The package has three parts, each a folder: ``io`` (reading score, roster, teacher and item
sheets; the import report; the sample school), the analysis families (``term`` 期中/期末质量分析,
``lists`` 培优补差, ``items`` 试卷分析, ``growth`` 纵向分析, ``cycle`` 约谈/黄牌/红牌、位次奖、
教师综合评价, ``district`` 联考分析, ``routine`` 教学常规考核) and ``report`` (tables, charts,
Word, HTML and PDF). The shared concepts sit at the top: ``schema``, ``standard``,
``subjects``, ``classes``, ``labels``. Every public name below is imported on first use, so
``import qualitykit`` is quick and a command pays only for what it uses.
"""

from __future__ import annotations

import importlib

__version__ = "0.3.0"

#: public name -> the module that defines it
_PUBLIC = {
    **dict.fromkeys(('check_items', 'ITEM_COLUMNS', 'item_table', 'read_items',), "io.items"),
    **dict.fromkeys(('ImportReport', 'ScoreFileError',), "io.problems"),
    **dict.fromkeys(('load_sample', 'sample_files', 'sample_path',), "io.sample"),
    **dict.fromkeys(('check_scores', 'read_roster', 'read_scores', 'read_teachers',), "io.scores"),
    **dict.fromkeys(('parse_class', 'parse_grade',), "classes"),
    **dict.fromkeys(('parse_target', 'Target', 'TargetError', 'measurements',), "cycle.goals"),
    **dict.fromkeys(('Register', 'RegisterError', 'update_register',), "cycle.register"),
    **dict.fromkeys(('review', 'Review', 'rate_ranks', 'rank_changes', 'look_back_table',
                     'look_back_ranks',), "cycle.review"),
    **dict.fromkeys(('progress_award',), "cycle.progress_award"),
    **dict.fromkeys(('cohort_compare', 'CohortComparison', 'CohortTrack', 'track_cohort',), "growth.cohorts"),
    **dict.fromkeys(('Exams', 'load_exams', 'pre_post',), "growth.exams"),
    **dict.fromkeys(('Growth', 'growth_percentiles',), "growth.sgp"),
    **dict.fromkeys(('Trend', 'trend',), "growth.trend"),
    **dict.fromkeys(('value_added', 'ValueAdded',), "growth.value_added"),
    **dict.fromkeys(('cronbach_alpha', 'distractors', 'EBEL', 'item_analysis', 'ItemAnalysis',), "items.analysis"),
    **dict.fromkeys(('knowledge_points',), "items.knowledge"),
    **dict.fromkeys(('irt', 'IRTFit', 'IRT_MODELS',), "items.irt"),
    **dict.fromkeys(('dif', 'ETS_CLASSES',), "items.dif"),
    **dict.fromkeys(('ability_lines', 'information_reading', 'irt_readings',), "items.irt_readings"),
    **dict.fromkeys(('dif_readings', 'paper_irt', 'PaperIRT',), "items.response"),
    **dict.fromkeys(('paper_analysis', 'PaperAnalysis',), "items.paper"),
    **dict.fromkeys(('label', 'LABELS', 'to_display',), "labels"),
    **dict.fromkeys(('Progress', 'progress', 'TRANSITIONS',), "lists.progress"),
    **dict.fromkeys(('LISTS', 'RULES', 'target_counts', 'target_rules', 'targets',), "lists.targets"),
    **dict.fromkeys(('Tracking', 'update_tracking',), "lists.tracking"),
    **dict.fromkeys(('band_table', 'basic_text', 'caption', 'conclusion_lines', 'heading', 'level_text', 'measure_prompts', 'meeting_note', 'next_targets', 'omnibus_text', 'show', 'show_conclusions', 'text', 'title_block', 'VIEWS',), "report.display"),
    **dict.fromkeys(('glossary', 'methods',), "report.glossary"),
    **dict.fromkeys(('cjk_font', 'set_theme',), "report.fonts"),
    **dict.fromkeys(('Console',), "report.console"),
    **dict.fromkeys(('check_parameters', 'ParameterError',), "report.notebook_run"),
    **dict.fromkeys(('plot_class_means', 'plot_distributions', 'plot_items', 'plot_knowledge_points', 'plot_levels', 'plot_rates', 'plot_score_bands', 'plot_teachers',), "report.plots"),
    **dict.fromkeys(('plot_cohorts', 'plot_growth', 'plot_trend', 'plot_value_added',), "report.plots_growth"),
    **dict.fromkeys(('plot_information', 'plot_item_curves', 'plot_wright_map',), "report.plots_items"),
    **dict.fromkeys(('write_growth', 'write_paper', 'write_targets',), "report.workbooks"),
    **dict.fromkeys(('write_outputs',), "report.word"),
    **dict.fromkeys(('write_pack',), "report.pack"),
    **dict.fromkeys(('ROSTER_COLUMNS', 'SCORE_COLUMNS', 'STATUSES', 'TEACHER_COLUMNS', 'unit_keys',), "schema"),
    **dict.fromkeys(('get_standard', 'PRESETS', 'Standard',), "standard"),
    **dict.fromkeys(('canonical_subject', 'SUBJECTS',), "subjects"),
    **dict.fromkeys(('ClassComparison', 'compare_classes', 'compare_exams', 'games_howell', 'hedges_g',), "term.compare"),
    **dict.fromkeys(('grade_levels', 'score_bands', 'standard_total', 'standardize', 'student_totals',), "term.distribution"),
    **dict.fromkeys(('findings',), "term.findings"),
    **dict.fromkeys(('conclusions', 'meeting_of', 'MEETINGS',), "term.conclusions"),
    **dict.fromkeys(('against_expected', 'against_grade', 'rank_groups',), "term.readings"),
    **dict.fromkeys(('all_pass_rate', 'cut_lines', 'double_high_check', 'summary', 'wilson_interval',), "term.indicators"),
    **dict.fromkeys(('compare_level_exams', 'compare_levels', 'level_codes', 'level_findings', 'LEVEL_IDS', 'level_measures', 'level_subjects', 'level_summary', 'LevelComparison', 'to_levels',), "term.levels"),
    **dict.fromkeys(('exam_title', 'load_term', 'mask_names', 'TermData',), "term.load"),
    **dict.fromkeys(('movers',), "term.movers"),
    **dict.fromkeys(('assign_teachers', 'teacher_table', 'unmatched_teachers',), "term.teachers"),
    **dict.fromkeys(('read_rankings', 'read_teacher_scores', 'RANKING_COLUMNS',), "io.rankings"),
    **dict.fromkeys(('AwardRule', 'award_rules', 'awards', 'band_amounts', 'rank_units',
                     'write_awards',), "cycle.awards"),
    **dict.fromkeys(('Alerts', 'alerts', 'school_year_exams', 'write_alerts',), "cycle.alerts"),
    **dict.fromkeys(('Evaluation', 'evaluate_teachers', 'write_evaluation',), "cycle.evaluation"),
    **dict.fromkeys(('AlertRules', 'EvaluationRules',), "standard"),
    **dict.fromkeys(('AdmissionLine', 'admission_lines', 'critical_students', 'effective_scores', 'parse_lines',), "district.lines"),
    **dict.fromkeys(('ScaleBand', 'scaled_scores', 'scaling_bands', 'ScalingScheme', 'SCHEMES',), "district.scaling"),
    # 联考 / district (qualitykit.district)
    **dict.fromkeys(('DistrictData', 'load_district', 'parse_groups',), "district.load"),
    **dict.fromkeys(('balance_indices', 'icc_oneway', 'quartile_gap', 'weighted_cv',), "district.balance"),
    **dict.fromkeys(('compare_schools', 'district_totals', 'with_totals',), "district.schools"),
    **dict.fromkeys(('analyse_district', 'DistrictAnalysis',), "district.analysis"),
    **dict.fromkeys(('district_conclusions', 'school_feedback', 'school_feedbacks', 'SchoolFeedback',), "district.feedback"),
    **dict.fromkeys(('balance_table', 'district_basic', 'district_table', 'group_table', 'school_band_table', 'school_matrix', 'school_subject_table', 'school_tests', 'school_value_added', 'subject_sections',), "district.pages"),
    **dict.fromkeys(('plot_school_means',), "district.plots"),
    **dict.fromkeys(('run_district', 'write_district',), "district.report"),
    **dict.fromkeys(('convert_scores', 'read_parquet_scores', 'summary_duckdb', 'write_parquet',), "district.engine"),
    # 联考: 上线情况 in the district report (qualitykit district --lines)
    **dict.fromkeys(('district_lines', 'DistrictLines', 'critical_counts',), "district.district_lines"),
    **dict.fromkeys(('lines_section', 'lines_school_table', 'lines_effective_table', 'lines_double_table', 'lines_critical_table', 'lines_notes_table',), "district.pages"),
    # 体质测试: the 国家学生体质健康标准（2014年修订） (qualitykit.fitness)
    **dict.fromkeys(('FitnessError', 'FitnessScores', 'graduation_score', 'score_fitness',), "fitness.score"),
    **dict.fromkeys(('fitness_tables', 'FitnessTables',), "fitness.tables"),
    **dict.fromkeys(('FITNESS_ITEMS',), "fitness.items"),
    # 体质测试 import, analysis and report (qualitykit.fitness, issue 19 part B)
    **dict.fromkeys(('read_fitness',), "fitness.read"),
    **dict.fromkeys(('fitness_sample_path', 'write_fitness_sample',), "fitness.sample"),
    **dict.fromkeys(('bmi_categories', 'compare_fitness_classes', 'failing_pupils', 'fitness_change',
                     'fitness_rates', 'FitnessChange', 'item_means', 'item_rates',), "fitness.analysis"),
    **dict.fromkeys(('FitnessReport', 'fitness_report', 'write_fitness',), "fitness.report"),
    # 体质健康 in the term report (issue 19 part C)
    **dict.fromkeys(('FitnessSection', 'fitness_section', 'fitness_section_of', 'fitness_findings', 'fitness_section_text',
                     'fitness_section_tables', 'FITNESS_TOP_ITEMS',), "fitness.term_section"),
    **dict.fromkeys(('run_fitness',), "fitness.run"),
    # 教学常规检查记录 / 常规考核 (qualitykit.routine)
    **dict.fromkeys(('RoutineRules', 'routine_rules', 'routine_presets',), "routine.rules"),
    **dict.fromkeys(('read_routine', 'RECORD_COLUMNS', 'ROUTINE_TEACHER_COLUMNS', 'record_term',),
                    "routine.read"),
    **dict.fromkeys(('routine_summary', 'RoutineSummary',), "routine.summary"),
    **dict.fromkeys(('write_routine', 'read_routine_scores', 'write_routine_template',), "routine.workbooks"),
}


#: the parts, importable as attributes (``qualitykit.report``)
_PARTS = {"io", "term", "lists", "items", "growth", "report", "external", "schema", "standard",
          "subjects", "classes", "labels", "paths", "cli", "cycle", "district", "fitness",
          "routine"}


def __getattr__(name: str):
    if name in _PARTS:
        return importlib.import_module(f".{name}", __name__)
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'qualitykit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))



__all__ = [
    # reading
    "read_scores", "check_scores", "read_roster", "read_teachers", "ImportReport",
    "ScoreFileError", "load_term", "TermData", "mask_names", "exam_title",
    # indicators
    "summary", "all_pass_rate", "double_high_check", "cut_lines", "wilson_interval",
    "score_bands", "standardize", "standard_total", "grade_levels", "student_totals",
    # 等级 (grades graded in levels)
    "level_summary", "to_levels", "level_codes", "level_subjects", "compare_levels",
    "LevelComparison", "compare_level_exams", "level_findings", "level_measures", "LEVEL_IDS",
    # comparison
    "compare_classes", "compare_exams", "ClassComparison", "games_howell", "hedges_g",
    "assign_teachers", "teacher_table", "unmatched_teachers", "findings", "movers", "conclusions", "meeting_of",
    "MEETINGS", "against_grade", "against_expected", "rank_groups",
    # 培优补差
    "targets", "target_counts", "target_rules", "LISTS", "RULES", "progress", "Progress",
    "TRANSITIONS", "update_tracking", "Tracking", "write_targets",
    # 质量目标与整改台账, 回头看, 学习进步奖
    "update_register", "Register", "RegisterError", "parse_target", "Target", "TargetError",
    "measurements", "review", "Review", "rate_ranks", "rank_changes", "look_back_table",
    "look_back_ranks", "progress_award",
    # 试卷分析
    "read_items", "check_items", "item_table", "ITEM_COLUMNS", "item_analysis", "ItemAnalysis",
    "cronbach_alpha", "distractors", "knowledge_points", "EBEL", "paper_analysis",
    "PaperAnalysis", "write_paper", "irt", "IRTFit", "IRT_MODELS", "dif",
    "ETS_CLASSES", "ability_lines", "irt_readings", "information_reading", "paper_irt",
    "PaperIRT", "dif_readings",
    # cohorts and growth
    "cohort_compare", "CohortComparison", "track_cohort", "CohortTrack", "value_added",
    "ValueAdded", "growth_percentiles", "Growth", "trend", "Trend", "load_exams", "Exams",
    "pre_post", "write_growth",
    # standard
    "Standard", "PRESETS", "get_standard",
    # plots and display
    "plot_distributions", "plot_score_bands", "plot_rates", "plot_class_means",
    "plot_teachers", "plot_knowledge_points", "plot_items", "plot_value_added", "plot_growth",
    "plot_trend", "plot_cohorts", "plot_item_curves", "plot_information", "plot_wright_map",
    "set_theme", "cjk_font", "show", "text", "VIEWS", "band_table",
    "title_block", "basic_text", "write_outputs", "write_pack", "plot_levels", "level_text",
    "show_conclusions", "conclusion_lines", "omnibus_text", "meeting_note", "next_targets",
    "measure_prompts", "glossary", "methods", "heading", "caption",
    # 联考: admission lines, 单科有效分, 临界生, 等级赋分
    "admission_lines", "effective_scores", "critical_students", "parse_lines", "AdmissionLine",
    "scaled_scores", "scaling_bands", "ScalingScheme", "ScaleBand", "SCHEMES",
    # in Jupyter: the console, and the check that opens every notebook
    "Console", "check_parameters", "ParameterError",
    # sample data and vocabulary
    "load_sample", "sample_path", "sample_files", "parse_class", "parse_grade",
    "canonical_subject", "SUBJECTS", "unit_keys", "SCORE_COLUMNS", "ROSTER_COLUMNS",
    "TEACHER_COLUMNS",
    "STATUSES", "LABELS", "label", "to_display", "__version__",
    # the cycle: 位次奖, 约谈/黄牌/红牌, 教师综合评价
    "read_rankings", "read_teacher_scores", "RANKING_COLUMNS", "AwardRule", "award_rules",
    "awards", "band_amounts", "rank_units", "write_awards", "Alerts", "alerts",
    "school_year_exams", "write_alerts", "AlertRules", "Evaluation", "evaluate_teachers",
    "write_evaluation", "EvaluationRules",
    # 体质测试: 国家学生体质健康标准（2014年修订）
    "score_fitness", "FitnessScores", "FitnessError", "graduation_score", "fitness_tables",
    "FitnessTables", "FITNESS_ITEMS",
    # 体质测试 (qualitykit.fitness)
    "read_fitness", "fitness_sample_path", "write_fitness_sample", "fitness_rates", "item_rates",
    "compare_fitness_classes", "bmi_categories", "failing_pupils", "fitness_change",
    "FitnessChange", "item_means", "FitnessReport", "fitness_report", "write_fitness",
    "run_fitness",
    # 教学常规检查记录 / 常规考核
    "read_routine", "RECORD_COLUMNS", "ROUTINE_TEACHER_COLUMNS", "record_term", "routine_summary",
    "RoutineSummary", "RoutineRules", "routine_rules", "routine_presets", "write_routine",
    "read_routine_scores", "write_routine_template",
]
