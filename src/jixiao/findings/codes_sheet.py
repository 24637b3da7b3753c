"""Codes of reading spreadsheets (issue 7): what a workbook holds beyond its visible cells."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

INFO = Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("sheet-hidden", INFO, "隐藏工作表", "{file}：工作表“{sheet}”为隐藏工作表，其内容已一并读取", tags=("read",)),
)
