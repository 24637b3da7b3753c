"""Codes of the 自评 workflow (issue 4 part 5): the actuals template read back, weights, 执行率."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

ERROR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_TAGS = ("selfeval",)

CODES: tuple[FindingType, ...] = (
    # -- reading the filled template back ------------------------------------------------------
    FindingType(
        "selfeval-actuals-unreadable",
        ERROR,
        "实际完成值文件无法读取",
        "实际完成值文件“{file}”无法读取：{reason}",
        "jixiao selfeval template",
        _TAGS,
    ),
    FindingType(
        "selfeval-no-targets",
        ERROR,
        "未识别出绩效目标表",
        "“{file}”中未识别出含绩效指标的绩效目标表，无法自评",
        "DOMAIN §2.1",
        _TAGS,
    ),
    FindingType(
        "selfeval-actuals-unknown-row",
        ERROR,
        "实际完成值表的行与目标表不符",
        "实际完成值文件工作表“{sheet}”第 {row} 行（{label}）在“{file}”中找不到对应的{what}",
        "jixiao selfeval template",
        _TAGS,
    ),
    FindingType(
        "selfeval-actuals-row-missing",
        ERROR,
        "实际完成值表缺少行",
        "{subject}：实际完成值文件工作表“{sheet}”中没有对应的行",
        "jixiao selfeval template",
        _TAGS,
    ),
    FindingType(
        "selfeval-actuals-name-match",
        INFO,
        "按名称匹配实际完成值",
        "{subject}：工作表“{sheet}”第 {row} 行的匹配键与目标表不一致（目标表可能已修改），已按单位、项目和指标名称匹配",
        "jixiao selfeval template",
        _TAGS,
    ),
    # -- weights --------------------------------------------------------------------------------
    FindingType(
        "selfeval-weights-default",
        INFO,
        "按默认权重评分",
        "{subject}：目标表未设指标分值，按默认权重分配（{detail}）",
        "DOMAIN §2.1（10号：产出50、效益30、满意度10、预算执行率10）",
        _TAGS,
    ),
    FindingType(
        "selfeval-weights-scaled",
        WARN,
        "指标分值按比例折算",
        "{subject}：指标分值合计 {total} 分，加预算执行率 {execution} 分将超过 100 分，已按 {target}/{total} 等比例折算各指标得分",
        "DOMAIN §2.1",
        _TAGS,
    ),
    # -- 预算执行 ------------------------------------------------------------------------------------
    FindingType(
        "selfeval-budget-split-mismatch",
        WARN,
        "分资金来源执行数与合计不符",
        "{subject}：其中各资金来源的{what}合计 {actual} 万元，与{what}总额 {expected} 万元不一致",
        "DOMAIN §2.3",
        _TAGS,
    ),
    FindingType(
        "selfeval-execution-unexplained",
        WARN,
        "预算执行率偏低未说明原因",
        "{subject}：预算执行率 {rate} 未达到 {limit}，未说明原因",
        "四川项目支出绩效自评表：预算执行率未达到90%的需说明原因",
        _TAGS,
    ),
)
