"""The allowed values of a Standard's settings: every rule of the table refuses a value outside
its range with its own Chinese message, naming the setting and the value received, and accepts
the values on the edge of the range."""

import pytest

import qualitykit as qk

SHARE_OF_FULL = "应为满分的比例 (0, 1]，如 0.6 表示 60%"
LIST_SHARE = "应为 [0, 1) 之间的比例，如 0.1 表示 10%（0 表示不用这条规则）"
ITEM_ORDER = "应满足 item_very_hard ≤ item_hard < item_easy ≤ item_very_easy，且 item_group_share ≤ 0.5。"

REFUSED = [  # (settings, the whole message): the messages as the kit has always written them
    ({"pass_line": 0}, f"pass_line {SHARE_OF_FULL}；收到 0。"),
    ({"excellent_line": 1.2}, f"excellent_line {SHARE_OF_FULL}；收到 1.2。"),
    ({"lower_primary_excellent_line": 1.5}, f"lower_primary_excellent_line {SHARE_OF_FULL}；收到 1.5。"),
    ({"pass_line": 0.9, "excellent_line": 0.85},
     "应满足 low_line ≤ pass_line ≤ excellent_line（低分线 ≤ 及格线 ≤ 优秀线）；收到 0.4, 0.9, 0.85。"),
    ({"rounding": "up"}, "rounding 应为 ('none', 'ceil', 'round') 之一，收到 'up'。"),
    ({"above_mean_variant": "x"}, "above_mean_variant 应为 ('relative_mean', 'relative_rate', "
                                  "'share_above') 之一，收到 'x'。"),
    ({"composite_weights": {"bogus": 1, "abc": 2}},
     "composite_weights 中有未知的指标 ['abc', 'bogus']；可用：('mean', 'pass_rate', "
     "'excellent_rate', 'low_rate', 'all_pass_rate', 'full_mark_rate')。"),
    ({"rank_lines": {"pass": 1.5, "excellent": 0.2}},
     'rank_lines 的写法如 {"excellent": 0.2}（前 20% 为优秀），键只能是 pass / excellent，'
     "比例在 (0, 1]；收到 {'pass': 1.5}。"),
    ({"enrichment_top": 1}, f"enrichment_top {LIST_SHARE}；收到 1。"),
    ({"support_bottom": -0.1}, f"support_bottom {LIST_SHARE}；收到 -0.1。"),
    ({"lopsided_z": 0}, "borderline_points 应 ≥ 0（分），lopsided_z 应 > 0（标准差）；收到 0.0, 0。"),
    ({"borderline_points": -1}, "borderline_points 应 ≥ 0（分），lopsided_z 应 > 0（标准差）；收到 -1, 1.0。"),
    ({"enrichment_line": 1.2}, "enrichment_line 应为满分的比例 [0, 1]，如 0.9 表示 90%（0 表示不设培优线）；"
                               "收到 1.2。"),
    ({"support_max": 0.05}, "support_max 应为 (0, 1] 之间的比例，且不小于 support_bottom（补差名单至多占"
                            "年级该科的比例，1 表示不限）；收到 support_bottom=0.1, support_max=0.05。"),
    ({"borderline_share": 0.5}, "borderline_share 应为满分的比例 [0, 0.5)，如 0.05 表示线下满分的 5%"
                                "（满分 100 即 5 分）；收到 0.5。"),
    ({"borderline_above": "yes"}, "borderline_above 应为 true 或 false（是否把刚过线的学生也列入临界）；"
                                  "收到 'yes'。"),
    ({"support_exams": 1.5}, "support_exams 应为正整数；收到 1.5。"),
    ({"improved_top": 0}, "improved_top 应为正整数；收到 0。"),
    ({"distractor_min_share": 0}, "distractor_min_share 应为 (0, 1) 之间的比例；收到 0。"),
    ({"item_very_easy": 1.0}, "item_very_easy 应为 (0, 1) 之间的比例；收到 1.0。"),
    ({"item_hard": 0.8}, ITEM_ORDER),
    ({"item_group_share": 0.6}, ITEM_ORDER),
    ({"item_min_students": 2}, "item_min_students 应为 ≥ 3 的整数；收到 2。"),
    ({"level_letters": {"AA": "优秀"}},
     'level_letters 的写法如 {"A": "优秀", "B": "良好"}：键是等级字母 A–E（可带 + 或 -），'
     "值是 level_bands 中的等级 ['优秀', '良好', '合格', '待合格']；收到 {'AA': '优秀'}。"),
    # two wrong settings: the first rule of the table speaks
    ({"rounding": "x", "enrichment_top": 5}, "rounding 应为 ('none', 'ceil', 'round') 之一，收到 'x'。"),
    ({"item_min_students": 1, "item_easy": 2}, "item_easy 应为 (0, 1) 之间的比例；收到 2。"),
]


@pytest.mark.parametrize(("settings", "message"), REFUSED)
def test_a_value_outside_its_range_is_refused_with_its_message(settings, message):
    with pytest.raises(ValueError) as caught:
        qk.Standard(**settings)
    assert str(caught.value) == message


@pytest.mark.parametrize("settings", [
    {"pass_line": 1.0, "excellent_line": 1.0},  # (0, 1]: 1 is allowed
    {"low_line": 0.6, "pass_line": 0.6, "excellent_line": 0.6},  # equal lines are ordered
    {"enrichment_top": 0, "support_bottom": 0},  # [0, 1): 0 switches the rule off
    {"borderline_points": 0},
    {"support_bottom": 0.2, "support_max": 0.2, "enrichment_line": 1.0, "borderline_share": 0},
    {"support_exams": 3.0, "improved_top": 1},  # a whole float is a whole number
    {"item_very_hard": 0.4, "item_hard": 0.4, "item_easy": 0.7, "item_very_easy": 0.7,
     "item_group_share": 0.5},
    {"item_min_students": 3},
    {"level_letters": {"a+": "优秀", "E": "待合格"}},
])
def test_values_on_the_edge_of_their_range_are_accepted(settings):
    std = qk.Standard(**settings)
    for name, value in settings.items():
        if name != "level_letters":
            assert getattr(std, name) == value
    if "level_letters" in settings:
        assert std.level_letters == {"A+": "优秀", "E": "待合格"}  # keys kept in upper case
