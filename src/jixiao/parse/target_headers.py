"""Target-table header synonyms → column fields, with multi-row group headers expanded.

Printed headers of the list layout (seed 001) span three rows whose cells do not sit above
their data. Only the ORDER of the labels is reliable: a group label (年度预算申请, 按收入性质分,
绩效指标 …) is replaced by the labels it spans in the next row, taken while they belong to
the group's family. The resulting field sequence is what rows are aligned to (parse.align).
"""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache

from jixiao.parse.text import norm

# label (normalised) → field
LABELS: dict[str, str] = {
    "单位编码": "unit_code",
    "预算单位编码": "unit_code",
    "单位名称": "unit_name",
    "单位(项目)名称": "project",
    "项目名称": "project",
    "资金总额": "total",
    "一般公共预算": "general_budget",
    "政府性基金拨款": "gov_fund",
    "政府性基金": "gov_fund",
    "财政专户管理资金": "special_account",
    "纳入专户管理的非税收入拨款": "special_account",
    "其他资金": "other",
    "基本支出": "basic",
    "项目支出": "project_amount",
    "绩效目标": "goal",
    "整体绩效目标": "goal",
    "年度绩效目标": "goal",
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标值类型": "op",
    "指标性质": "op",
    "计算符号": "op",
    "指标值": "value",
    "年度指标值": "value",
    "目标值": "value",
    "指标值及单位": "value",
    "度量单位": "unit",
    "计量单位": "unit",
    "指标值内容": "explanation",
    "指标解释": "explanation",
    "指标值说明": "explanation",
    "指标值说明(指标解释)": "explanation",
    "评(扣)分标准": "scoring",
    "评分标准": "scoring",
    "备注": "weight",
    "权重": "weight",
    "分值": "weight",
    "绩效标准": "standard",
    "本年度绩效指标": "label",
    "年度绩效指标": "label",
    "部门整体支出年度绩效指标": "label",
}

# Monitoring columns (项目支出绩效目标执行监控表): fields ``m_<what>:<printed label>``. The model has
# no place for them; an indicator keeps them, as printed, in its note (target_sets.add_indicator).
MONITOR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), field)
    for pattern, field in (
        (r"^(\d{1,2}[-—~至]\d{1,2}月|截至\d{1,2}月(底|末)?|上半年|前三季度)?(实际)?执行数$", "m_actual"),
        (r"^全年预计(执行数|完成数|完成值|完成情况)$", "m_forecast"),
    )
)
MONITOR_MEMBERS: dict[str, str] = {
    **dict.fromkeys(("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "原因说明"), "m_reason"),
    **dict.fromkeys(("确定能", "有可能", "完全不可能"), "m_likely"),
}
MONITOR_LABELS = {"m_actual": "执行数", "m_forecast": "全年预计执行数", "m_reason": "偏差原因", "m_likely": "完成目标可能性"}

# group label → family of the labels it spans in the next header row
GROUPS: dict[str, str] = {
    "偏差原因分析": "m_reason",
    "偏差原因": "m_reason",
    "完成目标可能性": "m_likely",
    "年度预算申请": "money",
    "按收入性质分": "income",
    "按支出性质分": "expense",
    "绩效指标": "indicator",
    "部门整体支出年度绩效目标": "indicator",
    "年度绩效指标": "indicator",
}

_FAMILY = {
    "total": "money",
    "general_budget": "income",
    "gov_fund": "income",
    "special_account": "income",
    "other": "income",
    "basic": "expense",
    "project_amount": "expense",
}
_INDICATOR_FIELDS = {"level1", "level2", "name", "op", "value", "unit", "explanation", "scoring", "weight", "standard"}


def monitor_field(label: str) -> str | None:
    """``m_actual:1-7月执行数``, ``m_reason:经费保障`` … for a monitoring column label, else None."""
    if label in MONITOR_MEMBERS:
        return f"{MONITOR_MEMBERS[label]}:{label}"
    for pattern, field in MONITOR_PATTERNS:
        if pattern.match(label):
            return f"{field}:{label}"
    return None


def family(label: str) -> str | None:
    if label in MONITOR_MEMBERS:
        return MONITOR_MEMBERS[label]
    if label in GROUPS:
        return {"income": "money", "expense": "money"}.get(GROUPS[label], GROUPS[label])
    field = LABELS.get(label)
    if field in _INDICATOR_FIELDS:
        return "indicator"
    return _FAMILY.get(field or "")


def is_header_label(text: str) -> bool:
    label = norm(text)
    return label in LABELS or label in GROUPS or monitor_field(label) is not None


def fields_from_header(rows: list[list[str]]) -> tuple[tuple[str, ...], list[str]]:
    """Column fields in order, and the labels that are not known (for a finding)."""
    fields, unknown = _fields(tuple(tuple(row) for row in rows))
    return fields, list(unknown)


@lru_cache(maxsize=1024)
def _fields(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """fields_from_header, memoized: every page of a table repeats its header."""
    queues = [deque(norm(t) for t in row if t and norm(t) not in ("**",)) for row in rows]
    unknown: list[str] = []

    def expand(label: str, level: int):
        group = GROUPS.get(label)
        if group and level + 1 < len(queues) and queues[level + 1]:
            queue = queues[level + 1]
            while queue and _belongs(queue[0], group):
                yield from expand(queue.popleft(), level + 1)
            return
        field = LABELS.get(label) or monitor_field(label)
        if field is None:
            if label not in GROUPS:
                unknown.append(label)
            return
        yield field

    fields: list[str] = []
    if queues:
        while queues[0]:
            fields.extend(expand(queues[0].popleft(), 0))
    return tuple(fields), tuple(unknown)


def _belongs(label: str, group_family: str) -> bool:
    fam = family(label)
    if group_family == "money":
        return fam in ("money", "income", "expense")
    if group_family in ("income", "expense"):
        field = LABELS.get(label)
        return _FAMILY.get(field or "") == group_family
    return fam == group_family
