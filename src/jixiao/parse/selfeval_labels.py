"""The vocabulary of the 项目支出绩效自评表 (DOMAIN §2.6b): its cells, labels, column headers and
the form's own instructions.

Stage: parse, shared by ``selfeval_table`` (blocks, head and tail) and ``selfeval_rows`` (the
grids). Every pattern matches one whole cell by its ``norm`` text (``Cell.key``: NFKC, no
whitespace, no markdown), so full-width and half-width forms of a label read alike.
``HEAD_LABELS`` / ``TAIL_LABELS`` name the labelled text fields; ``BUDGET_COLUMNS`` /
``INDICATOR_COLUMNS`` the column headers of the two grids, and ``BUDGET_ORDER`` /
``INDICATOR_ORDER`` the 四川 column order of a form printed without headers. ``is_instruction``
tells the form's own instruction (``…(100字以内)`` or one of its instruction sentences) from
content; ``EMPTY`` lists the marks that stand for a blank cell. Data and predicates only: nothing
here walks a sequence of cells or makes a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.model.source import Location
from jixiao.parse.text import norm


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the form as read: its printed text and where it is."""

    text: str
    location: Location
    row: int | None = None  # the table row it is in, when the form is read from a table with rows

    @property
    def key(self) -> str:
        return norm(self.text)


# ---------------------------------------------------------------- labels (on norm text)

BUDGET_HEADING = re.compile(r"^(预算执行情况|预算执行率|资金执行情况|项目资金)(\((?P<points>\d+(\.\d+)?)分\))?(\(万元\))?$")
INDICATOR_HEADING = re.compile(r"^(年度)?绩效指标(完成情况)?(\((?P<points>\d+(\.\d+)?)分\))?$")
TOTAL = re.compile(r"^(合计|总分|总计|自评总分|合计得分)$")

HEAD_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("project", r"^(项目|单位)名称$"),
        ("department", r"^主管部门(及代码)?$"),
        ("implementer", r"^实施单位(\(盖章\))?$"),
        ("goal", r"^(项目)?年度目标$|^预期目标$"),
        ("goal_completion", r"^(项目)?年度目标完成情况$|^(实际|全年)?完成情况$|^实际完成情况$"),
    )
)
HEAD_SECTIONS = re.compile(r"^(项目基本情况|年度总体目标|\d+[.、．]?项目年度目标完成情况|\(\d{4}年度?\))$")  # (2019年度) under the title
NUMBERED_LABEL = re.compile(r"^\d+[.、．]([^，。；;,:：!?！？]{2,24})$")
TAIL_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("conclusion", r"^(评价结论|自评结论)$"),
        ("problems", r"^存在(的)?问题$"),
        ("measures", r"^改进措施(及建议)?$|^改进建议$"),
        ("grade", r"^(自评|评价)?等级$"),
    )
)
SIGNATURE = re.compile(r"^(项目负责人|财务负责人|单位负责人|填表人|联系电话|填报日期)[:：]?(?P<name>.*)$")

BUDGET_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("initial", r"^年初预算(数)?$"),
        ("adjusted", r"^(调整后预算(数)?|全年预算(数)?)$"),
        ("spent", r"^((预算|全年)?执行数|实际支出(数)?)$"),
        ("rate", r"^(预算)?执行率$"),
        ("weight", r"^(权重|分值)$"),
        ("score", r"^得分$"),
        ("reason", r"^(原因|原因说明|偏差原因.*|未达到90%原因)$"),
    )
)
BUDGET_GROUP = re.compile(r"^(年度预算数|资金来源|项目|项目名称|预算资金|资金)?(\(万元\))?$")
BUDGET_ORDER = ("initial", "adjusted", "spent", "rate", "weight", "score", "reason")
BUDGET_ROW = re.compile(r"^(其中[:：]?.{0,14}|.{0,12}(资金|拨款|总额|合计|结转|收入))$")

INDICATOR_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("level1", r"^一级指标$"),
        ("level2", r"^二级指标$"),
        ("name", r"^(三级指标|指标名称)$"),
        ("op", r"^(指标性质|指标值类型|计算符号|指标类型)$"),
        ("value", r"^((年度)?(指标值|目标值)|年度指标值)$"),
        ("unit", r"^(度量单位|计量单位|单位)$"),
        ("actual", r"^((实际|全年)?完成值|实际值)$"),
        ("weight", r"^(权重|分值)$"),
        ("score", r"^得分$"),
        ("reason", r"^(未完成原因分析|偏差原因分析(及改进措施)?|原因分析|未完成原因(分析)?及改进措施)$"),
        ("scoring", r"^(评[(（]?扣[)）]?分标准|评分标准|评分办法)$"),
    )
)
INDICATOR_ORDER = ("level1", "level2", "name", "op", "value", "unit", "actual", "weight", "score", "reason")
INDICATOR_NAMES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "op": "指标性质",
    "value": "指标值",
    "unit": "度量单位",
    "actual": "完成值",
    "weight": "权重",
    "score": "得分",
    "reason": "未完成原因分析",
    "scoring": "评（扣）分标准",
}
HEAD_NAMES = {
    "project": "项目名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "goal": "项目年度目标",
    "goal_completion": "年度目标完成情况",
    "conclusion": "评价结论",
    "problems": "存在问题",
    "measures": "改进措施",
}

# The form's own instructions: a length limit "(100字以内)", or one of its instruction sentences.
_LIMIT = re.compile(r"[(（]\s*\d+\s*字(以内|以下|左右)\s*[)）]")
_INSTRUCTIONS = tuple(
    re.sub(r"[^\u4e00-\u9fff0-9]", "", s)
    for s in (
        "对照年度目标,说明相关任务目标的完成情况",
        "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。",
        "结合自评情况,分析存在的问题及原因。",
        "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。",
    )
)
GRADE = re.compile(r"^(?:(?:自评|评价)?等级[:：为]?)?(?P<grade>优秀|良好|优|良|中|差)$")
EMPTY = frozenset(["", "/", "-", "--", "—", "——", "\\", "无"])


def is_instruction(text: str | None) -> bool:
    """The cell still holds the form's instruction (``…(200字以内)``), not content."""
    if not text:
        return False
    if _LIMIT.search(text):
        return True
    bare = re.sub(r"[^\u4e00-\u9fff0-9]", "", text)
    return bare in _INSTRUCTIONS


def classify(c: Cell, labels: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    key = c.key
    for name, rx in labels:
        if rx.match(key):
            return name
    return None


def column(c: Cell, columns: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    return classify(c, columns)


def clip(text: str, size: int = 30) -> str:
    """A cell's text shortened for a message."""
    return text if len(text) <= size else text[: size - 1] + "…"
