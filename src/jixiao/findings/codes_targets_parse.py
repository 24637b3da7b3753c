"""Codes emitted by the target-table parser."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("amount-unparsed", W, "金额无法识别", "{subject}：{field}“{text}”不是金额", tags=("parse", "amounts")),
    FindingType(
        "continued-text-differs",
        W,
        "续表内容与前页不一致",
        "{subject}：续表重复的{field}与前页不同（前页“{before}”，本页“{after}”）",
        tags=("parse",),
    ),
    FindingType("indicator-header-missing", W, "缺少指标表头", "{subject}：未找到“一级指标/二级指标/三级指标”表头，指标行无法读取", tags=("parse",)),
)
