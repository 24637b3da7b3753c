"""Codes of the project-form amount rules (real project-library exports, DOMAIN §6 rules 18 and 20).

The money cells of a project form name their unit in the label (``本年度项目金额（万元）``). A
form whose cells hold 元 under a 万元 label is off by 10,000: every comparison with its cost
targets and its 测算依据 then fails, so the unit is reported once, as the cause.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType(
        "amount-unit-suspect", E, "金额单位与标注不符",
        "{subject}：金额栏标注为万元，填写的是 {actual}；{evidence}，金额实为以元填写（折合 {expected} 万元），"
        "与标注单位相差一万倍",
        "DOMAIN §6 规则18 COST-VS-BUDGET、规则20 HDR-FUNDS；单位以表中标注为准（issue 7 §8）",
        ("targets", "amounts"),
    ),
    FindingType(
        "form-sheets-not-read", INFO, "项目库其他表未读取",
        "{file}：以下各表记录项目的基本信息、支出计划或评审意见，不是绩效目标表、监控表或自评表，未读取、不作审核：{titles}",
        "issue 7：项目库导出文件（中央部门项目支出）", ("parse",),
    ),
)
