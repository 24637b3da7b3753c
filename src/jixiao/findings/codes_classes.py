"""Codes of the classification-name checks (DOMAIN §3.4, §6 rules 24 and 26), of reading a code
cell that is not a code as printed (one bad cell, one finding) and of the 部门决算 table set.

``func-code-name-mismatch`` / ``econ-code-name-mismatch`` (codes_disclosure) stay for a name that is
no name of the code at all; the codes here say more: a name the code had before it was renamed.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

W, INFO = Severity.WARNING, Severity.INFO

_TABLES = ("disclosure",)

CODES: tuple[FindingType, ...] = (
    FindingType(
        "func-code-name-outdated", W, "功能分类科目使用了旧名称",
        "{subject}：科目 {item_code} 的名称“{actual}”是 {old_years}的旧名称，{year} 年应为“{expected}”",
        source="DOMAIN §6 rule 24 BUD-FUNC-TREE, §3.4; 财政部《政府收支分类科目》（当年版）", tags=_TABLES,
    ),
    FindingType(
        "econ-code-name-outdated", W, "经济分类科目使用了旧名称",
        "{subject}：科目 {item_code} 的名称“{actual}”是 {old_years}的旧名称，{year} 年应为“{expected}”",
        source="DOMAIN §6 rule 26 BUD-ECON, §3.4; 财预〔2017〕98号（支出经济分类科目改革）", tags=_TABLES,
    ),
    FindingType(
        "class-name-outdated", W, "类级科目使用了旧名称",
        "{subject}：“{actual}”是功能分类 {item_code} 类 {old_years}的旧名称，{year} 年应为“{expected}”",
        source="DOMAIN §3.4 (类 names by year); 财政部《政府收支分类科目》（当年版）", tags=_TABLES,
    ),
    FindingType(
        "final-table-missing", W, "决算公开表缺失",
        "{subject}：部门决算公开应包含第 {number} 张表“{table}”，文件中没有找到{note}",
        source="DOMAIN §3.1 (部门决算公开: 财政部 公开01–09表; 湖南 9 张决算表)", tags=_TABLES,
    ),
    FindingType(
        "budget-code-repaired", W, "科目编码残缺，已按本行读出",
        "{subject}：科目编码“{text}”不是有效的{what}，已按{how}读作 {item_code}",
        source="DOMAIN §3.4; one bad cell is one finding (no consequential errors)", tags=("parse", "budget", "codes"),
    ),
)
