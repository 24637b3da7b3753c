"""Codes of mid-year monitoring (绩效运行监控, issue 11): the warnings of a 监控表 and what it lacks.

The thresholds behind the warnings are data (``data/monitoring/*.toml``, ``monitoring/profiles.py``);
the messages name the numbers the profile compared, so a reader can check each one.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

ERROR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_TAGS = ("monitoring",)
_SRC = "财预〔2019〕136号《中央部门预算绩效运行监控管理暂行办法》；预警阈值见所用监控预警方案"

CODES: tuple[FindingType, ...] = (
    FindingType(
        "monitoring-execution-behind",
        WARN,
        "预算执行进度慢于时间进度",
        "{subject}：执行率 {rate} 低于时间进度 {progress} {gap} 个百分点（{level}：超过 {threshold} 个百分点）",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-indicator-off-target",
        WARN,
        "指标全年预计值未达年度目标",
        "{subject}：全年预计 {expected}，年度指标值 {target}，预计完成率 {rate}（{level}：低于 {threshold}）",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-indicator-behind-schedule",
        WARN,
        "指标完成进度慢于时间进度",
        "{subject}：截至监控日完成 {to_date}，按时间进度应完成 {standard}，完成比例 {rate}（{level}：{rule}）",
        "DOMAIN §2.5（标准值 = 年度指标值 × 时间进度）；" + _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-indicator-at-risk",
        WARN,
        "指标预计不能完成",
        "{subject}：能否完成年度指标值 {target}，填报“{judgement}”（{level}）",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-spending-ahead-of-output",
        WARN,
        "资金支出快于指标进展",
        "{subject}：执行率 {rate} 高于指标平均完成进度 {progress} {gap} 个百分点（超过 {threshold} 个百分点：钱已花出，指标未动）",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-deviation-unexplained",
        ERROR,
        "偏差未说明原因",
        "{subject}：{what}为{level}，须填写偏差原因",
        "财预〔2019〕136号：对偏离绩效目标的，分析原因并提出纠偏措施",
        _TAGS,
    ),
    FindingType(
        "monitoring-judgement-contradicts",
        WARN,
        "完成可能性判断与预计值不符",
        "{subject}：填报“{judgement}”，但全年预计 {expected} 对年度指标值 {target} 的预计完成率为 {rate}",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-value-unit-mismatch",
        WARN,
        "监控值与指标值单位不同",
        "{subject}：{what}“{actual}”的单位“{unit}”与年度指标值 {target} 的单位“{target_unit}”不是同一种量，无法比较",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-value-missing",
        INFO,
        "监控值未填",
        "{subject}：未填{what}，无法判断",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-value-not-number",
        WARN,
        "监控值不是数值",
        "{subject}：{what}“{actual}”不是一个数值，年度指标值 {target} 是定量的",
        _SRC,
        _TAGS,
    ),
    FindingType(
        "monitoring-budget-missing",
        WARN,
        "缺少调整后预算",
        "{subject}：调整后预算缺失或为零，无法计算执行率",
        _SRC,
        _TAGS,
    ),
)
