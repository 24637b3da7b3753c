"""Chinese names of the scoring families, their parameters and values, for Chinese output
(``jixiao rule``, the scorecard). JSON keeps the stable English ids."""

from __future__ import annotations

# scoring families (scoring/families.py) and default methods (scoring/score.py) by Chinese name
FAMILY_NAMES: dict[str, str] = {
    "threshold_linear": "门槛线性",
    "rescaled_linear": "折算线性",
    "deviation_steps": "偏离度分档",
    "band_table": "分段计分",
    "deduction_per_unit": "按单位扣分",
    "threshold_deduction": "门槛扣分",
    "base_plus_increments": "基础分加递增分",
    "partial_credit": "按完成次数给部分分",
    "counts": "按数量计分",
    "qualitative_grades": "定性分档",
    "binary": "是否达成",
    "default_forward": "默认方法（正向指标）",
    "default_equal": "默认方法（等于型指标）",
    "default_reverse": "默认方法（反向指标）",
    "default_qualitative": "默认方法（定性指标）",
}
# every parameter of every family (tests/test_cli_rule.py checks that none is missing)
PARAM_NAMES: dict[str, str] = {
    "threshold": "门槛（%）",
    "gap_upper": "线性部分起点（%）",
    "steps": "分档",
    "full_below": "满分界限（%）",
    "full_points": "满分档得分",
    "direction": "偏离方向",
    "bands": "分段",
    "measure": "计分依据",
    "overlaps": "重叠的档次",
    "order": "档次顺序",
    "points": "分值",
    "basis": "扣分依据",
    "unit": "计量单位",
    "per": "每",
    "start": "起始得分",
    "floor": "保底得分",
    "exhaust": "扣完为止",
    "event": "扣分事项",
    "full_at": "满分线（%）",
    "zero_below": "不得分线（%）",
    "min_count": "最低数量",
    "base_points": "基础分",
    "step_points": "每档加分",
    "cap": "最高得分",
    "step": "每档数量",
    "extra_points": "每多一次加分",
    "grades": "等级",
    "otherwise": "其他情况得分",
    "pass_label": "达成",
    "fail_label": "未达成",
}
VALUE_NAMES: dict[str, dict[str, str]] = {
    "measure": {"actual": "实际完成值", "rate": "完成率"},
    "basis": {"count": "发生次数", "shortfall": "少于目标的数量", "excess": "超过目标的数量"},
    "direction": {"any": "偏离（任一方向）", "up": "偏高"},
}


def family_name(family: str) -> str:
    return FAMILY_NAMES.get(family, family)


def shown_value(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(shown_value(name, v) for v in value)
    if isinstance(value, tuple):
        return "—".join(shown_value(name, v) for v in value)
    return VALUE_NAMES.get(name, {}).get(str(value), str(value))
