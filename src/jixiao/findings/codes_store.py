"""Codes of importing into the database (issue 8): which organisation and year a file is filed under."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("org-ambiguous", W, "单位无法唯一确定",
                "{file}：文件所称单位“{name}”对应多个已登记单位（{candidates}），已归入{org}，请核对",
                tags=("import",)),
    FindingType("org-created", INFO, "新建单位",
                "{file}：文件所称单位“{name}”尚未登记，已在{parent}下新建", tags=("import",)),
    FindingType("org-differs", W, "文件所称单位与导入单位不同",
                "{file}：文件所称单位“{name}”不在导入单位{org}之下，已按导入单位归档，请核对", tags=("import",)),
    FindingType("year-differs", W, "文件年度与导入年度不同",
                "{file}：文件年度为 {found} 年，导入时指定 {given} 年，已按 {given} 年归档，请核对",
                tags=("import",)),
)
