"""Codes emitted by readers and parsers (issue 2)."""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[FindingType, ...] = (
    FindingType("file-unreadable", E, "文件无法读取", "{file}：{reason}", tags=("read",)),
    FindingType("file-empty", E, "文件为空", "{file}：文件为空，没有可读取的内容", tags=("read",)),
    FindingType("file-binary", E, "不是文本文件", "{file}：内容不是文本（{reason}）", tags=("read",)),
    FindingType("file-too-large", E, "文件过大", "{file}：文件大小 {size} 超过上限 {limit}", tags=("read",)),
    FindingType("encoding-guessed", W, "文件编码不是 UTF-8", "{file}：按 {encoding} 编码读取", tags=("read",)),
    FindingType("no-table-found", E, "未识别出任何表格", "{file}：没有识别出任何预算公开表、绩效目标表或自评报告章节", tags=("parse",)),
    FindingType("row-realigned", INFO, "行单元格错位已校正", "{subject}：本行前部单元格缺失或错位，已按列内容重新对齐（{detail}）", tags=("parse",)),
    FindingType("row-ambiguous", W, "行单元格无法确定对齐", "{subject}：本行单元格缺失，列的对应关系不唯一，已按最可能的方式读取（{detail}）", tags=("parse",)),
    FindingType("cell-unplaced", W, "单元格无法归位", "{subject}：单元格“{text}”无法对应到任何列", tags=("parse",)),
    FindingType("row-unplaced", W, "行无法归属", "{subject}：本行内容无法归入任何指标或目标集：{text}", tags=("parse",)),
    FindingType("level1-inferred", INFO, "一级指标由二级推断", "{subject}：表中未给出一级指标，按二级指标“{level2}”推断为“{level1}”", tags=("parse",)),
    FindingType("level1-alias", INFO, "旧版指标体系", "{subject}：成本指标作为产出指标下的二级指标（2021 年前的指标体系）", tags=("parse",)),
    FindingType("table-continued", INFO, "表格跨页续表", "{subject}：续表已与前页合并为同一目标集", tags=("parse",)),
    FindingType("level-carried-over-page", INFO, "跨页合并单元格沿用上页", "{subject}：换页后首行的{level}单元格为空（跨页的合并单元格只印在上页），沿用上页末行的“{text}”", tags=("parse",)),
    FindingType("level-from-next-page", INFO, "跨页合并单元格取自下页", "{subject}：页末 {rows} 行的{level}单元格为空（跨页的合并单元格文字印在下页），取下页首行的“{text}”", tags=("parse",)),
    FindingType("level-cell-blank", W, "指标级别单元格为空", "{subject}：{rows} 行的{level}单元格自成一格却没有文字，已沿用上一行的“{text}”，请核对", tags=("parse",)),
    FindingType("header-repeated", INFO, "表头跨页重复", "{subject}：表内再次出现的 {rows} 行表头与表头相同（换页重复打印），已跳过", tags=("parse",)),
    FindingType("table-truncated", W, "表格不完整", "{subject}：文件在表格中途结束，最后一行可能不完整", tags=("parse",)),
    FindingType("header-unrecognised", W, "表头无法识别", "{subject}：表头“{text}”不属于任何已知表格", tags=("parse",)),
    FindingType("value-unparsed", W, "指标值无法解析", "{subject}：指标值“{text}”无法解析为数值、日期或定性描述", tags=("parse", "values")),
)
