"""Codes of operational data (issue 11 part 4): column mappings of a data source, rows of an
import that cannot be mapped, metric definitions and their computation."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_TAGS = ("opdata",)
_SRC = "docs/monitoring.md 业务数据"

CODES: tuple[FindingType, ...] = (
    # -- the saved column mapping of a source --------------------------------------------------
    FindingType("opdata-mapping-invalid", E, "字段映射不正确", "字段映射：{reason}", _SRC, _TAGS),
    FindingType("opdata-column-missing", E, "文件缺少映射的列",
                "{file}：表头中没有映射所需的列“{column}”（表头为：{header}）", _SRC, _TAGS),
    FindingType("opdata-no-rows", E, "文件中没有数据行", "{file}：表头之下没有数据行", _SRC, _TAGS),
    # -- one row of an import -------------------------------------------------------------------
    FindingType("opdata-value-missing", E, "必填项为空", "第 {row} 行：“{column}”为空", _SRC, _TAGS),
    FindingType("opdata-date-invalid", E, "日期无法识别",
                "第 {row} 行：“{column}”的值“{value}”不是日期（应写作 2026-03-05、2026/3/5 或 2026年3月5日）",
                _SRC, _TAGS),
    FindingType("opdata-number-invalid", E, "数值无法识别",
                "第 {row} 行：“{column}”的值“{value}”不是数值（最多 {decimals} 位小数）", _SRC, _TAGS),
    FindingType("opdata-bool-invalid", E, "是/否无法识别",
                "第 {row} 行：“{column}”的值“{value}”应为 是/否（是、否、Y、N、1、0、√、×）", _SRC, _TAGS),
    FindingType("opdata-text-too-long", E, "文本过长",
                "第 {row} 行：“{column}”的值超过 {limit} 个字符", _SRC, _TAGS),
    FindingType("opdata-unit-unknown", E, "单位不在数据源范围内",
                "第 {row} 行：单位“{value}”不是{scope}或其下级单位的名称或编码", _SRC, _TAGS),
    FindingType("opdata-row-short", E, "行的列数不足",
                "第 {row} 行：只有 {found} 列，映射所需的“{column}”在第 {needed} 列", _SRC, _TAGS),
    # -- metrics ----------------------------------------------------------------------------------
    FindingType("opdata-metric-invalid", E, "指标口径不正确", "指标口径“{name}”：{reason}", _SRC, _TAGS),
    FindingType("opdata-ratio-no-records", W, "比率的分母为零",
                "“{name}”：{period}内没有符合分母条件的记录，无法计算比率", _SRC, _TAGS),
)
