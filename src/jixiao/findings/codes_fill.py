"""Codes of the places a generated document leaves to the department (issue 10).

jixiao writes the 自评报告 and the 部门预算说明 from the stored data; what only the department can
write (problems, causes, plans, the reasons of a change) is printed as a marker
``【待填写：…】`` (``model.narrative.fill_marker``). A document read back with a marker still in it
was handed in unfinished.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

CODES: tuple[FindingType, ...] = (
    FindingType(
        "report-fill-empty", Severity.ERROR, "待单位填写的内容未填写",
        "{subject}：“{place}”仍为待填写标记“{marker}”，应由单位填写后再报送",
        source="issue 10 (generated reports leave marked places for the department); DOMAIN §2.6a 七、八, §2.1 "
               "(未完成绩效目标的要分析并说明原因，研究提出改进措施)",
        tags=("self-evaluation", "disclosure", "text"),
    ),
)
