"""Codes of the disclosure rules (DOMAIN §6 rules 22–28) and the 自评报告 rules (29–30).

Arithmetic identities (B1–B10, 自评报告 基本 = 人员 + 公用 …) emit ``amount-sum-mismatch`` and
``amounts-missing`` from codes_targets; the codes here are the disclosure-specific ones.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W = Severity.ERROR, Severity.WARNING

_TABLES = ("disclosure",)
_TEXT = ("disclosure", "text")
_REPORT = ("self-evaluation", "report")

CODES: tuple[FindingType, ...] = (
    # rule 22 BUD-TABLES
    FindingType(
        "disclosure-table-missing", E, "预算公开表缺失",
        "{subject}：部门预算公开应包含第 {number} 张表“{table}”，文件中没有找到{note}",
        source="DOMAIN §6 rule 22 BUD-TABLES, §3.1 (湖南 10 张表); W when the 说明 states the table is empty",
        tags=_TABLES,
    ),
    FindingType(
        "disclosure-table-order", W, "预算公开表顺序不符",
        "{subject}：第 {number} 张表“{table}”排在第 {after_number} 张表“{after}”之后，应按 1–{count} 的顺序公开",
        source="DOMAIN §6 rule 22 BUD-TABLES, §3.1", tags=_TABLES,
    ),
    FindingType(
        "disclosure-empty-contradicted", W, "空表说明与表中金额矛盾",
        "{subject}：表注称“{statement}”，但表中列有金额（如 {amount}）",
        source="DOMAIN §6 rule 22 BUD-TABLES", tags=_TABLES,
    ),
    FindingType(
        "disclosure-empty-unstated", E, "空表未说明",
        "{subject}：表中没有任何金额，但未说明本部门无相关收支（如“此表如无数字则表示本部门无该项支出”）",
        source="DOMAIN §6 rule 22 BUD-TABLES; 财预〔2016〕143号 (空表应说明)", tags=_TABLES,
    ),
    # rule 24 BUD-FUNC-TREE
    FindingType(
        "func-code-invalid", E, "功能分类科目编码错误",
        "{subject}：功能分类科目编码“{item_code}”{reason}",
        source="DOMAIN §6 rule 24 BUD-FUNC-TREE, §3.4 (类 3 位、款 5 位、项 7 位)", tags=_TABLES,
    ),
    FindingType(
        "func-code-unknown", W, "功能分类科目不在科目表中",
        "{subject}：功能分类“类”级科目 {item_code} 不在政府收支分类科目表中，请核对编码",
        source="DOMAIN §6 rule 24 BUD-FUNC-TREE, §3.4 (unknown code → W)", tags=_TABLES,
    ),
    FindingType(
        "func-code-name-mismatch", W, "功能分类科目名称与编码不符",
        "{subject}：科目 {item_code} 应为“{expected}”，表中名称为“{actual}”",
        source="DOMAIN §6 rule 24 BUD-FUNC-TREE, §3.4", tags=_TABLES,
    ),
    # rule 25 BUD-FUNC-PLACEMENT
    FindingType(
        "func-code-placement", W, "科目与支出性质不符",
        "{subject}：“{name}”应只列{right}，但{wrong}列了 {amount} 万元",
        source="DOMAIN §6 rule 25 BUD-FUNC-PLACEMENT, §3.4 科目说明", tags=_TABLES,
    ),
    # rule 26 BUD-ECON
    FindingType(
        "econ-code-invalid", E, "经济分类科目编码错误",
        "{subject}：经济分类科目编码“{item_code}”{reason}",
        source="DOMAIN §6 rule 26 BUD-ECON, §3.4 (类 3 位 + 款 5 位)", tags=_TABLES,
    ),
    FindingType(
        "econ-code-unknown", W, "经济分类科目不在科目表中",
        "{subject}：经济分类科目 {item_code} 不在部门预算支出经济分类科目表中，请核对编码",
        source="DOMAIN §6 rule 26 BUD-ECON, §3.4", tags=_TABLES,
    ),
    FindingType(
        "econ-code-name-mismatch", W, "经济分类科目名称与编码不符",
        "{subject}：科目 {item_code} 应为“{expected}”，表中名称为“{actual}”",
        source="DOMAIN §6 rule 26 BUD-ECON, §3.4 (309 与 310 按编码区分)", tags=_TABLES,
    ),
    # rule 27 BUD-SANGONG
    FindingType(
        "sangong-item-below-basic", W, "三公经费低于基本支出对应科目",
        "{subject}：“三公”经费表{item} {actual} 万元，低于基本支出表“{line}” {expected} 万元"
        "（“三公”经费含基本和项目支出，应不低于基本支出中的对应科目）",
        source="DOMAIN §6 rule 27 BUD-SANGONG, §3.3 (inferred → W)", tags=_TABLES,
    ),
    # rule 28 BUD-TEXT-TABLE
    FindingType(
        "text-table-mismatch", E, "说明与报表不一致",
        "{subject}：说明中为 {actual}，{basis}为 {expected}，相差 {difference}",
        source="DOMAIN §6 rule 28 BUD-TEXT-TABLE, §3.2 B11", tags=_TEXT,
    ),
    FindingType(
        "change-reason-missing", W, "增减变化未说明原因",
        "{subject}：说明了较上年{direction} {amount}，但未说明原因（如“主要是……”）",
        source="DOMAIN §6 rule 28 BUD-TEXT-TABLE (every change gives a reason)", tags=_TEXT,
    ),
    # rules 29–30 SE-SCORE / SE-REPORT (narrative of the 部门整体支出绩效自评报告)
    FindingType(
        "report-section-missing", W, "自评报告缺少章节",
        "{subject}：自评报告缺少第{number}部分“{title}”（湖南部门整体支出绩效自评报告提纲）",
        source="DOMAIN §6 rule 30 SE-REPORT, §2.6a", tags=_REPORT,
    ),
    FindingType(
        "report-score-missing", W, "自评报告未给出得分或等级",
        "{subject}：自评报告未给出{what}（如“自评得分 92 分，等级为优”）；如另附自评表，请一并提交",
        source="DOMAIN §6 rule 30 SE-REPORT, §2.4, §2.6a", tags=_REPORT,
    ),
    FindingType(
        "report-indicator-table-missing", W, "自评报告缺少指标完成情况",
        "{subject}：自评报告没有部门整体支出绩效自评表（各项指标的目标值与完成值）；如另附自评表，请一并提交",
        source="DOMAIN §6 rule 30 SE-REPORT, §2.6a", tags=_REPORT,
    ),
    FindingType(
        "report-channel-missing", W, "自评结果公开渠道未说明",
        "{subject}：“绩效自评结果拟应用和公开情况”未说明公开渠道（如单位门户网站、政府信息公开专栏）",
        source="DOMAIN §6 rule 30 SE-REPORT, §2.6a 九", tags=_REPORT,
    ),
    FindingType(
        "report-budget-differs", W, "预算数与收支数不一致",
        "{subject}：{what} {expected} 万元，与{other} {actual} 万元相差 {difference} 万元；"
        "如为年中追加或调整预算，应说明调整金额和原因",
        source="DOMAIN §6 rule 29 SE-SCORE, §2.3 (年初预算数 vs 全年预算数)", tags=_REPORT,
    ),
)
