"""Codes of the scoring stage (issue 4): 评（扣）分标准 parsing, indicator scores, 自评 checks."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

WARN, INFO = Severity.WARNING, Severity.INFO
_SRC = "DOMAIN §2.2"

CODES: tuple[FindingType, ...] = (
    # -- parsing a 评（扣）分标准 ------------------------------------------------------------
    FindingType(
        "scoring-rule-missing",
        INFO,
        "未填写评分标准",
        "{prefix}未填写评（扣）分标准，按默认方法评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-unparsed",
        WARN,
        "评分标准无法解析",
        "{prefix}评分标准“{text}”无法解析（{reason}），按默认方法评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-placeholder",
        WARN,
        "评分标准含占位符",
        "{prefix}评分标准“{text}”含未填写的占位符“{placeholder}”，按默认方法评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-contradiction",
        WARN,
        "评分标准自相矛盾",
        "{prefix}评分标准“{text}”自相矛盾（{reason}），按默认方法评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-overlap",
        WARN,
        "评分档次重叠",
        "{prefix}评分标准“{text}”中“{first}”与“{second}”两档重叠，无法确定得分，按默认方法评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-typo",
        INFO,
        "评分标准有错别字",
        "{prefix}评分标准“{text}”中的“{typo}”按“{fixed}”理解",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-gap",
        INFO,
        "评分标准有未写明的区间",
        "{prefix}评分标准“{text}”未写明{gap}的得分，{how}",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-rule-assumption",
        INFO,
        "评分标准按约定理解",
        "{prefix}评分标准“{text}”{detail}",
        _SRC,
        ("scoring",),
    ),
    # -- scoring one indicator ---------------------------------------------------------------
    FindingType(
        "scoring-actual-unmatched",
        WARN,
        "实际完成值无法对应评分档次",
        "{prefix}实际完成值“{actual}”无法对应评分标准的任何档次（{choices}），需人工评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-input-missing",
        WARN,
        "缺少评分所需数据",
        "{prefix}{reason}，无法计算得分，需人工评分",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-bonus",
        INFO,
        "按评分标准加分",
        "{prefix}按评分标准加分：得分 {score} 超过指标分值 {weight}",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "execution-budget-missing",
        WARN,
        "无法计算预算执行率",
        "{prefix}全年预算数为“{budget}”，无法计算预算执行率",
        "DOMAIN §2.3",
        ("scoring",),
    ),
    # -- self-evaluation checks ----------------------------------------------------------------
    FindingType(
        "selfeval-actual-missing",
        WARN,
        "未填写实际完成值",
        "{subject}：未填写实际完成值",
        "DOMAIN §2.1",
        ("selfeval",),
    ),
    FindingType(
        "selfeval-deviation-unexplained",
        WARN,
        "偏差未说明原因",
        "{subject}：{detail}，未填写偏差原因分析及改进措施",
        "DOMAIN §2.1（10号：未完成或偏离较大的要说明原因）",
        ("selfeval",),
    ),
    FindingType(
        "selfeval-over-achievement",
        WARN,
        "完成值远超指标值",
        "{subject}：实际完成值为指标值的 {ratio}（≥ {limit}），年初指标值可能设定偏低，应分析原因并按偏离度适度调减分值",
        "DOMAIN §2.2（10号；pmkpi 广西 ≥130%）",
        ("selfeval",),
    ),
    FindingType(
        "selfeval-weight-missing",
        WARN,
        "指标未设分值",
        "{subject}：未设分值，无法计入总分",
        "DOMAIN §2.1",
        ("selfeval",),
    ),
    FindingType(
        "selfeval-weights-total",
        WARN,
        "指标分值合计不正确",
        "{subject}指标分值合计 {total} 分，应为 {expected}",
        "DOMAIN §2.1",
        ("selfeval",),
    ),
)
