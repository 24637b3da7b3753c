"""Codes of reading the indicator levels of a target table (DOMAIN §1.1) where a template prints a
level in another level's column (issue 7: documents nobody here has seen)."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

INFO = Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType(
        "level2-in-level1-column",
        INFO,
        "二级指标名称在一级指标栏",
        "{subject}：一级指标栏为二级指标名称“{printed}”（模板把二级印在一级栏，或一级单元格合并未导出），"
        "按一级指标“{level1}”、二级指标“{level2}”读取",
        "DOMAIN §1.1 (canonical tree; printed names kept)",
        ("parse", "targets"),
    ),
)
