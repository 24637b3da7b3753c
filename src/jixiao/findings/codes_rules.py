"""Codes of the rule runner itself."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

CODES: tuple[FindingType, ...] = (
    FindingType("rule-crashed", Severity.ERROR, "审核规则执行失败", "规则 {rule} 执行失败（{error}），其余规则照常执行", tags=("rules",)),
)
