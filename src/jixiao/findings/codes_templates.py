"""Codes of blank templates: a form or disclosure workbook whose tables were never filled in.

An official template (placeholders such as ``XX（部门）``, ``x,xxx万元``, ``……``, tables with
headers and example rows but no amount) is recognised table by table, then reported once for
the whole file; nothing is imported from it and no rule reviews it (there is nothing to check,
and every arithmetic rule would report the blanks).
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType(
        "template-unfilled", W, "空白模板，未填写",
        "{file}：这是未填写的空白模板：识别出 {count} 张表（{tables}），均未填写任何金额或指标{markers}；"
        "未导入任何数值，也不作审核",
        "issue 7：导入时应识别未填写的模板，不导入零值", ("parse", "template"),
    ),
    FindingType(
        "outline-unfilled", W, "空白提纲，未填写",
        "{file}：这是未填写的报告提纲：只有 {count} 个章节标题（{sections}），没有正文{markers}；"
        "未导入任何内容，也不作审核",
        "issue 7：导入时应识别未填写的模板", ("parse", "template"),
    ),
)
