"""Codes emitted by the budget-table parser (parse/budget_*.py) and the narrative parser (parse/narrative*.py).

The generic layout codes (``row-realigned``, ``row-ambiguous``, ``cell-unplaced``,
``header-unrecognised``, ``amount-unparsed``) live in codes_parse / codes_targets_parse and are
reused by these parsers.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

W, INFO = Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType(
        "budget-row-unplaced",
        W,
        "表格行无法归位",
        "{subject}：本行无法归入表格的任何数据行（{reason}），未计入表格：{text}",
        tags=("parse", "budget"),
    ),
    FindingType(
        "budget-header-missing",
        W,
        "未识别出表头",
        "{subject}：未找到可识别的表头，已按标准列序（{columns}）读取",
        tags=("parse", "budget"),
    ),
    FindingType(
        "budget-code-invalid",
        W,
        "科目编码无法识别",
        "{subject}：科目编码“{text}”不是有效的{what}，本行按无编码读取{more}",
        tags=("parse", "budget", "codes"),
    ),
    FindingType(
        "budget-label-missing",
        W,
        "数据行缺少编码和名称",
        "{subject}：本行有金额但没有科目编码或项目名称：{text}",
        tags=("parse", "budget"),
    ),
    FindingType(
        "budget-placeholder-row",
        INFO,
        "占位行",
        "{subject}：本行为占位行（科目编码全为 0、金额为 0 或空），表示本表无数据：{text}",
        tags=("parse", "budget"),
    ),
    FindingType(
        "budget-unit-conflict",
        W,
        "续页金额单位不一致",
        "{subject}：续页金额单位为“{actual}”，与首页“{expected}”不同，按首页单位读取",
        tags=("parse", "budget", "units"),
    ),
    FindingType(
        "section-number-irregular",
        INFO,
        "章节编号不规范",
        "{subject}：章节编号“{number}”不规范（{detail}），按第 {level} 级标题读取",
        tags=("parse", "narrative"),
    ),
    FindingType(
        "amount-unit-missing",
        INFO,
        "金额未写单位",
        "{subject}：金额 {value} 后未写单位，按“{unit}”读取：{text}",
        tags=("parse", "narrative", "units"),
    ),
)
