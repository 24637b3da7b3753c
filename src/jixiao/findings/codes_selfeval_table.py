"""Codes of a read 项目支出绩效自评表 (DOMAIN §2.6b): reading the form, and rule 29 SE-SCORE on it."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

ERROR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_TAGS = ("selfeval", "selfeval-table")
_FORM = "DOMAIN §2.6b（项目支出绩效自评表，四川格式）"
_RULE = "DOMAIN §6 规则 29 SE-SCORE"

CODES: tuple[FindingType, ...] = (
    # -- reading the form --------------------------------------------------------------------------
    FindingType(
        "selfeval-table-unfilled",
        INFO,
        "自评表栏目未填写",
        "{subject}：以下栏目未填写（空白或仍为表中的填表说明）：{fields}",
        _FORM,
        (*_TAGS, "parse"),
    ),
    FindingType(
        "selfeval-table-incomplete",
        WARN,
        "自评表不完整",
        "{subject}：表格止于“{last}”，未找到：{missing}（文件可能被截断）",
        _FORM,
        (*_TAGS, "parse"),
    ),
    FindingType(
        "selfeval-table-row-short",
        WARN,
        "自评表指标行不完整",
        "{subject}：指标“{name}”一行只有 {count} 个单元格（表头 {columns} 列），缺少：{fields}",
        _FORM,
        (*_TAGS, "parse"),
    ),
    FindingType(
        "selfeval-table-cell-unplaced",
        WARN,
        "自评表单元格无法归位",
        "{subject}：单元格“{text}”无法对应到自评表的任何栏目",
        _FORM,
        (*_TAGS, "parse"),
    ),
    FindingType(
        "selfeval-table-number-unreadable",
        WARN,
        "自评表数字无法识别",
        "{subject}：{field}“{text}”不是数字",
        _FORM,
        (*_TAGS, "parse"),
    ),
    # -- rule 29 SE-SCORE --------------------------------------------------------------------------
    FindingType(
        "selfeval-table-rate-mismatch",
        ERROR,
        "预算执行率计算错误",
        "{subject}：{line}预算执行率印为 {actual}，按预算执行数 {spent} 万元 / 调整后预算数 {adjusted} 万元应为 {expected}",
        f"{_RULE}；DOMAIN §2.3（表注：预算执行率=预算执行数/调整后预算数）",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-score-mismatch",
        ERROR,
        "自评得分与计算不符",
        "{subject}：{what}得分印为 {actual}，应为 {expected}（{explanation}）",
        f"{_RULE}；DOMAIN §2.2、§2.3",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-total-mismatch",
        ERROR,
        "自评合计得分不等于各项之和",
        "{subject}：合计得分印为 {actual}，各项得分之和为 {expected}（{detail}）",
        f"{_RULE}；DOMAIN §2.4",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-grade-mismatch",
        ERROR,
        "自评等级与得分不符",
        "{subject}：等级印为“{actual}”，总分 {total} 分应为“{expected}”（优≥90，良≥80，中≥60，差<60）",
        f"{_RULE}；DOMAIN §2.4",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-weight-sum",
        ERROR,
        "自评权重合计不是 100",
        "{subject}：绩效指标权重合计 {indicators} 分，加预算执行率 {execution} 分共 {actual} 分，应为 100 分{detail}",
        f"{_RULE}；DOMAIN §2.1、§6 规则 19 WEIGHT-SUM",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-weight-total-mismatch",
        ERROR,
        "合计权重与各项权重之和不符",
        "{subject}：合计行的权重印为 {actual}，各项权重之和为 {expected}",
        f"{_RULE}；DOMAIN §2.1",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-scores-missing",
        INFO,
        "自评得分未填写",
        "{subject}：表中未填写{fields}；{detail}",
        f"{_RULE}；DOMAIN §2.2–§2.4",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-split-mismatch",
        WARN,
        "分资金来源金额与总额不符",
        "{subject}：其中各资金来源的{what}合计 {actual} 万元，与总额 {expected} 万元不一致",
        f"{_RULE}；DOMAIN §2.3（总额 = 其中各资金来源之和）",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-reason-missing",
        WARN,
        "指标未完成未分析原因",
        "{subject}：指标“{name}”完成值 {actual} 未达到指标值 {target}（得分 {score}/{weight}），未填写未完成原因分析",
        "DOMAIN §2.1（10号：对未完成绩效目标的要分析并说明原因）；§6 规则 30",
        _TAGS,
    ),
    FindingType(
        "selfeval-table-execution-unexplained",
        WARN,
        "预算执行率未达 90% 未说明原因",
        "{subject}：预算执行率 {rate} 未达到 90%，未填写原因（表注：预算执行率未达到90%的需说明原因）",
        f"{_FORM}；DOMAIN §2.3",
        _TAGS,
    ),
)
