"""Inline target-table documents and model builders for the target rules' tests.

``BASE`` is a consistent document in the seed 001 layout (a 部门整体支出绩效目标表 and a
项目支出绩效目标表, cells separated by "|" here and by tabs in the text the reader sees): every
target rule is silent on it (checked by hand). Each test changes one cell with ``edit`` and
asserts exactly the findings that change causes. The model builders cover what no seed layout
prints (weights on placeholder rows, unusual values).
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from jixiao.model.document import Document
from jixiao.model.indicator import Indicator
from jixiao.model.indicator import Placeholder
from jixiao.model.source import Location
from jixiao.model.targets import FundAmounts
from jixiao.model.targets import Subtotal
from jixiao.model.targets import TargetSet
from jixiao.model.targets import TargetTable
from jixiao.parse.values import parse_value
from jixiao.pipeline import parse_text
from jixiao.rules import Context
from jixiao.rules import all_rules
from jixiao.rules import run

DEPT = """
## 2023年部门整体支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位名称|年度预算申请||||||整体绩效目标|部门整体支出年度绩效目标||||||||
||资金总额|按收入性质分||||按支出性质分|||一级指标|二级指标|三级指标|指标值类型|指标值|计量单位|指标解释|评（扣）分标准|备注
|||一般公共预算|政府性基金拨款|财政专户管理资金|其他资金|基本支出|项目支出||||||||||
152001|测试局|100.00|100.00||||60.00|40.00|提升政务服务水平|产出指标|数量指标|培训次数|≥|4|次|全年开展业务培训次数|开展4次得满分，每少1次扣5分|30
|||||||||||质量指标|办件按时办结率|≥|98|%|按时办结率达到98%以上|完成率*指标分值|10
|||||||||||时效指标|年度任务完成时间|≤|2023年12月底|时间|年底前完成|按时完成得满分，未完成不得分|10
||||||||||成本指标|经济成本指标|部门支出总额|≤|100|万元|年度预算数|偏离10%以下得满分|20
|||||||||||社会成本指标|||||||
||||||||||效益指标|社会效益指标|群众办事时间缩短率|≥|20|%|群众办事时间缩短20%以上|完成率*指标分值|10
||||||||||满意度指标|服务对象满意度指标|服务对象满意度|≥|90|%|服务对象满意度不低于90%|满意度90%以上得满分|10
"""

PROJECTS = """
## 2023年项目支出绩效目标表

部门名称：测试局

单位：万元

单位编码|单位（项目）名称|资金总额|绩效目标|绩效指标|||||||||
||||一级指标|二级指标|三级指标|指标值|指标值内容|评（扣）分标准|度量单位|指标值类型|备注
合计||40.00||||||||||
152001|测试局|40.00||||||||||
152001|政务服务专项|25.00|提升政务服务能力|产出指标|数量指标|评价部门个数|40|评价范围覆盖40个部门|完成率*指标分值|个|≥|30
|||||质量指标|评估报告审核通过率|100|评估报告一次性通过审核|完成率*指标分值|%|=|10
||||成本指标|经济成本指标|项目总成本|25|反映项目总成本|偏离10%以下得满分|万元|≤|20
||||效益指标|社会效益指标|政务服务评估结果应用|形成整改报告|评估结果用于整改|形成报告得满分，未形成不得分|个|定性|20
||||满意度指标|服务对象满意度指标|服务对象满意度|95|满意度达到95%以上|满意度95%以上得满分|%|≥|10
152001|政策宣传专项|15.00|加强政策宣传|产出指标|数量指标|宣传报道篇数|100|全年发布宣传报道篇数|完成率*指标分值|篇|≥|30
|||||时效指标|信息发布及时率|95|信息发布及时率不低于95%|完成率*指标分值|%|≥|10
||||成本指标|经济成本指标|项目总成本|15|反映项目总成本|偏离10%以下得满分|万元|≤|20
||||效益指标|社会效益指标|政策知晓率|80|群众政策知晓率|完成率*指标分值|%|≥|20
||||满意度指标|服务对象满意度指标|服务对象满意度|95|满意度达到95%以上|满意度95%以上得满分|%|≥|10
"""

BASE = DEPT + PROJECTS


def text(doc: str) -> str:
    return textwrap.dedent(doc).replace("|", "\t")


def edit(doc: str, old: str, new: str, count: int = 1) -> str:
    """``doc`` with ``old`` replaced; fails loudly when ``old`` is not there exactly ``count`` times."""
    assert doc.count(old) == count, f"{old!r} occurs {doc.count(old)} times"
    return doc.replace(old, new)


def line_of(doc: str, needle: str) -> int:
    """1-based line number of the (unique) line containing ``needle`` in ``text(doc)``."""
    lines = text(doc).split("\n")
    hits = [n for n, line in enumerate(lines, 1) if needle.replace("|", "\t") in line]
    assert len(hits) == 1, f"{needle!r} on lines {hits}"
    return hits[0]


TARGET_RULES = tuple(r.id for r in all_rules() if r.id.startswith("targets."))


def review(doc: str | Document, **options) -> list:
    """The target rules' findings on an inline document (text or model)."""
    if isinstance(doc, str):
        doc, _ = parse_text(text(doc))
    return run(doc, Context(profile="targets", options=options))


def found(doc: str | Document, *codes: str, **options) -> list[tuple[int | None, str]]:
    """``(line, code)`` of every finding (of ``codes`` when given), sorted."""
    return [(f.location.line if f.location else None, f.code) for f in review(doc, **options)
            if not codes or f.code in codes]


# --- model builders -------------------------------------------------------------------------

_FILE = "model.txt"


def loc(line: int) -> Location:
    return Location(_FILE, line)


def ind(level1: str | None, level2: str | None, name: str, value: str, op: str | None = None, unit: str | None = None,
        *, line: int = 1, explanation: str | None = None, scoring: str | None = None,
        weight: str | None = None) -> Indicator:
    return Indicator(level1, level2, name, parse_value(value, op, unit), loc(line), explanation=explanation,
                     scoring=scoring, weight=Decimal(weight) if weight is not None else None)


def placeholder(level1: str, level2: str, *, line: int = 1, text: str = "", weight: str | None = None) -> Placeholder:
    return Placeholder(level1, level2, loc(line), text=text, weight=Decimal(weight) if weight is not None else None)


def tset(*indicators: Indicator, name: str | None = "测试项目", unit: str | None = "测试局",
         unit_code: str | None = None, line: int = 1, placeholders: tuple[Placeholder, ...] = (),
         **amounts: str) -> TargetSet:
    funds = FundAmounts(**{k: Decimal(v) for k, v in amounts.items()})
    """A target set; ``name`` is the project's, ``amounts`` the FundAmounts fields (``project`` = 项目支出)."""
    return TargetSet(loc(line), unit_code=unit_code, unit=unit, project=name, amounts=funds,
                     indicators=tuple(indicators), placeholders=placeholders)


def table(kind: str, *sets: TargetSet, subtotals: tuple[Subtotal, ...] = ()) -> TargetTable:
    return TargetTable(kind, kind, loc(1), year=2023, org="测试局", target_sets=tuple(sets), subtotals=subtotals)


def document(*tables: TargetTable) -> Document:
    return Document(source=_FILE, tables=tables, kind="targets")


def complete(cost: str = "25", *, line: int = 10, combined: bool = False) -> list[Indicator]:
    """A complete, consistent 2021+ indicator set (weights 90) for a project of 25 万元.

    ``combined``: the county layout, type + value + unit in one cell (``≥40个``), no type column.
    """
    rows = [
        ("产出指标", "数量指标", "评价部门个数", "40", "≥", "个", "30"),
        ("产出指标", "质量指标", "报告通过率", "100", "=", "%", "10"),
        ("成本指标", "经济成本指标", "项目总成本", cost, "≤", "万元", "20"),
        ("效益指标", "社会效益指标", "整改完成率", "90", "≥", "%", "20"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "95", "≥", "%", "10"),
    ]
    if combined:
        return [ind(l1, l2, name, f"{op}{value}{unit}", line=line + n, weight=w)
                for n, (l1, l2, name, value, op, unit, w) in enumerate(rows)]
    return [ind(l1, l2, name, value, op, unit, line=line + n, weight=w)
            for n, (l1, l2, name, value, op, unit, w) in enumerate(rows)]
