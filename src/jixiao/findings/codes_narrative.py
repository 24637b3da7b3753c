"""Codes of the narrative checks (issue 7 item 8): the 说明 against itself, typography, its name.

The 说明's own consistency (an amount stated twice, a stated change against the amounts it names),
unfinished sentences, punctuation and brackets, and how the document names itself (部门/单位).

The 说明-against-table codes (``text-table-mismatch``, ``change-reason-missing``) are in
codes_disclosure.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W = Severity.ERROR, Severity.WARNING

_TEXT = ("disclosure", "text")

CODES: tuple[FindingType, ...] = (
    FindingType(
        "text-text-mismatch", E, "说明前后金额不一致",
        "{subject}：同一事项前后两次说明的金额不一致，{first_at}为 {first}，{second_at}为 {second}{table}",
        source="DOMAIN §6 rule 28 BUD-TEXT-TABLE, §3.2 B11 (说明 = 报表, hence 说明 = 说明)", tags=_TEXT,
    ),
    FindingType(
        "change-mismatch", E, "增减变化与所述金额不符",
        "{subject}：说明为“{stated}”，按{basis}计算应为{expected}{detail}",
        source="DOMAIN §6 rule 28 BUD-TEXT-TABLE (YoY Δ = 本年 − 上年, % = Δ / 上年)", tags=_TEXT,
    ),
    FindingType(
        "change-reason-contradicts", W, "增减原因与增减情况不符",
        "{subject}：说明为“{stated}”，原因却写“{reason}”（{detail}）",
        source="DOMAIN §6 rule 28 BUD-TEXT-TABLE (every change gives its reason)", tags=_TEXT,
    ),
    FindingType(
        "text-unfinished", W, "句子未写完",
        "{subject}：“{text}”之后{detail}，句子未写完（模板未填写完整）",
        source="DOMAIN §6 rule 14 TXT-PLACEHOLDER (template residue), rule 28 (every change gives a reason)", tags=_TEXT,
    ),
    FindingType(
        "punctuation-doubled", W, "标点重复",
        "{subject}：标点“{mark}”重复：{text}",
        source="DOMAIN §6 rule 15 TXT-TYPO", tags=_TEXT,
    ),
    FindingType(
        "bracket-unmatched", W, "括号或引号不配对",
        "{subject}：{mark}不配对（{detail}）：{text}",
        source="DOMAIN §6 rule 15 TXT-TYPO", tags=_TEXT,
    ),
    FindingType(
        "document-kind-mismatch", W, "单位预算与部门预算混称",
        "{subject}：本文件为{kind}（{evidence}），说明中却称“{text}”{more}",
        source="DOMAIN §3.1 (部门预算 = 部门汇总, 单位预算 = 预算单位本级); 财预〔2016〕143号", tags=_TEXT,
    ),
)
