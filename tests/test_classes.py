import pytest

from qualitykit import parse_class, parse_grade


@pytest.mark.parametrize("written, grade, expected", [
    ("五(1)班", None, "5-1"), ("五（1）班", None, "5-1"), ("5(1)", None, "5-1"),
    ("5-1", None, "5-1"), ("501", None, "5-1"), ("初一12班", None, "7-12"),
    ("七年级12班", None, "7-12"), ("高一(1)班", None, "10-1"), ("五年级一班", None, "5-1"),
    ("二班", 5, "5-2"), ("二班", None, "2"), (3.0, None, "3"), ("初三(7)班", None, "9-7"),
    ("高二年级3班", None, "11-3"), ("六年级十二班", None, "6-12"), ("1203", None, "12-3"),
    ("５－１", None, "5-1"),
])
def test_class_names_as_schools_write_them(written, grade, expected):
    assert parse_class(written, grade).class_id == expected


def test_unrecognised_class_name_is_kept_as_written():
    parsed = parse_class("实验班")
    assert parsed.number is None and parsed.class_id == "实验班"


@pytest.mark.parametrize("text, grade", [
    ("XX小学2024—2025学年第一学期五年级期末检测成绩统计表", 5), ("zx八下期末成绩表", 8),
    ("ph七上月考成绩", 7), ("高一上期末考试成绩（分班后名单）", 10), ("初一", 7), ("成绩数据", None),
])
def test_grade_from_titles_and_file_names(text, grade):
    assert parse_grade(text) == grade
