"""Codes of the target-table review rules (DOMAIN §6 families A–D, rules 1–21).

``amount-sum-mismatch`` and ``amounts-missing`` are shared: the disclosure-table rules emit
them too, importing them from here rather than redefining them.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_A = ("targets", "structure")
_B = ("targets", "content")
_C = ("targets", "cost")
_D = ("targets", "funds")

CODES: tuple[FindingType, ...] = (
    # A. structure (rules 1–7)
    FindingType(
        "category-misplaced", W, "指标归类错误",
        "{subject}：{problem}",
        "DOMAIN §6 规则1 IND-LEVEL-MAP；§1.1 指标体系（财预〔2021〕101号 / 财预〔2015〕88号）", _A,
    ),
    FindingType(
        "indicator-level-missing", E, "三级指标缺少上级指标",
        "{subject}：三级指标未归入{level}，无法确定其在指标体系中的位置",
        "DOMAIN §6 规则1 IND-LEVEL-MAP", _A,
    ),
    FindingType(
        "indicator-missing-category", E, "缺少必设指标",
        "{subject}：缺少{category}（{requirement}）",
        "DOMAIN §6 规则2 IND-COVERAGE；§1.1", _A,
    ),
    FindingType(
        "indicator-field-missing", E, "指标要素缺失",
        "{subject}：未填写{field}",
        "DOMAIN §6 规则3 IND-FIELDS（pmkpi 指标库必填项）", _A,
    ),
    FindingType(
        "indicator-name-too-long", E, "三级指标名称过长",
        "{subject}：三级指标名称 {length} 字，超过 {limit} 字上限；名称应简明，说明内容放入指标解释",
        "DOMAIN §6 规则3 IND-FIELDS（名称 ≤ 100 字）", _A,
    ),
    FindingType(
        "value-type-mismatch", E, "指标值类型与指标值不符",
        "{subject}：{problem}（指标值类型“{op}”，指标值“{value}”，单位“{unit}”）",
        "DOMAIN §6 规则4 IND-TYPE-ENUM、规则5 IND-TYPE-VALUE；§1.3", _A,
    ),
    FindingType(
        "value-cell-multiple", W, "一个单元格填了多个目标",
        "{subject}：{cell}“{text}”含多个目标，应拆分为多个三级指标，每个指标一个目标值",
        "DOMAIN §6 规则6 IND-VALUE-CELL", _A,
    ),
    FindingType(
        "unit-invalid", W, "计量单位不规范",
        "{subject}：计量单位“{unit}”{problem}",
        "DOMAIN §6 规则7 IND-UNIT", _A,
    ),
    # B. content (rules 8–15)
    FindingType(
        "qualitative-share", W, "定性指标占比过高",
        "{subject}：定性指标 {count} 个，占全部 {total} 个三级指标的 {share}，超过 {limit}；应尽量定量表述",
        "DOMAIN §6 规则8 IND-QUANT-SHARE；§1.4（财预〔2015〕88号 定量为主）", _B,
    ),
    FindingType(
        "quantity-qualitative", W, "数量指标未量化",
        "{subject}：数量指标应以数值表述，实为定性“{value}”",
        "DOMAIN §6 规则8 IND-QUANT-SHARE", _B,
    ),
    FindingType(
        "vague-target", W, "定性目标含糊且无分级标准",
        "{subject}：目标值“{value}”含糊，指标解释和评（扣）分标准中均无分级分档标准，无法衡量是否达成",
        "DOMAIN §6 规则9 IND-VAGUE；§1.4（定性指标应分级分档、具有可衡量性）", _B,
    ),
    FindingType(
        "value-explanation-mismatch", E, "指标值与指标解释不一致",
        "{subject}：指标值为 {actual}，但指标解释写明“{quote}”（{expected}）",
        "DOMAIN §6 规则10 IND-EXPL-CONSISTENT", _B,
    ),
    FindingType(
        "satisfaction-invalid", W, "满意度指标设置不规范",
        "{subject}：{problem}",
        "DOMAIN §6 规则11 IND-SAT", _B,
    ),
    FindingType(
        "process-as-output", W, "过程指标用作绩效目标",
        "{subject}：“{name}”属于{kind}，是绩效评价中的过程指标，不反映{level}，不宜设为绩效目标指标",
        "DOMAIN §6 规则12 IND-PROCESS-AS-OUTPUT；财预〔2020〕10号 附件1", _B,
    ),
    FindingType(
        "indicator-duplicate", W, "多个项目使用相同指标",
        "{subject}：三级指标“{name}”（{value}）在本单位 {count} 个项目中完全相同（{projects}），疑为套用",
        "DOMAIN §6 规则13 IND-DUPLICATE", _B,
    ),
    FindingType(
        "template-residue", E, "模板占位内容未替换",
        "{subject}：{field}中留有模板占位内容“{text}”",
        "DOMAIN §6 规则14 TXT-PLACEHOLDER（GovBudgetChecker BUD-007）", _B,
    ),
    FindingType(
        "repeated-text", INFO, "文字重复",
        "{subject}：{field}中“{text}”疑为重复录入（应为“{suggestion}”）",
        "DOMAIN §6 规则15 TXT-TYPO（GovBudgetChecker R003）", _B,
    ),
    FindingType(
        "text-typo", INFO, "疑似错别字",
        "{subject}：{field}中“{text}”疑为笔误（应为“{suggestion}”）",
        "DOMAIN §6 规则15 TXT-TYPO", _B,
    ),
    # C. cost (rules 16–18)
    FindingType(
        "cost-indicator-invalid", E, "成本指标缺失或不规范",
        "{subject}：{problem}",
        "DOMAIN §6 规则16 COST-PRESENT、规则17 COST-NATURE；§1.1（财预〔2021〕101号 经济成本指标）", _C,
    ),
    FindingType(
        "cost-budget-mismatch", E, "成本指标与预算金额不符",
        "{subject}：{what} {actual} 万元，{relation} {expected} 万元（相差 {difference} 万元）",
        "DOMAIN §6 规则18 COST-VS-BUDGET", _C,
    ),
    # D. weights and headers (rules 19–21)
    FindingType(
        "weights-sum", E, "指标分值合计不为 100",
        "{subject}：各指标分值合计 {actual}{missing}，应为 100（或 90，另 10 分为预算执行率）",
        "DOMAIN §6 规则19 WEIGHT-SUM；§2.1（财预〔2020〕10号）", _D,
    ),
    FindingType(
        "weight-without-indicator", W, "空行填有分值",
        "{subject}：未设三级指标的行填有分值 {weight}",
        "DOMAIN §6 规则19 WEIGHT-SUM", _D,
    ),
    FindingType(
        "amount-sum-mismatch", E, "金额合计不符",
        "{subject}：{what}应为 {expected}，实为 {actual}，相差 {difference}",
        "DOMAIN §6 规则20 HDR-FUNDS、规则21；§3.2 B1–B12", ("amounts",),
    ),
    FindingType(
        "amounts-missing", E, "金额未填写",
        "{subject}：{what}",
        "DOMAIN §6 规则20 HDR-FUNDS", ("amounts",),
    ),
    FindingType(
        "projects-not-covered", E, "项目绩效目标未覆盖项目支出",
        "{subject}：项目支出绩效目标表资金合计 {actual} 万元，{what} {expected} 万元，相差 {difference} 万元",
        "DOMAIN §6 规则21 XDOC-TARGET-BUDGET；§3.2 B12", _D,
    ),
    FindingType(
        "project-target-missing", W, "项目没有绩效目标表",
        "{subject}：预算说明列出的项目“{project}”在项目支出绩效目标表中没有对应的项目",
        "DOMAIN §6 规则21 XDOC-TARGET-BUDGET（每个预算项目都应有目标表）", _D,
    ),
)
