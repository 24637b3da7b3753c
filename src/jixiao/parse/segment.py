"""Split a document into table segments by their titles; the rest is narrative.

A segment is a title and everything up to the next title. Pages of one table repeat its
title; consecutive segments of one kind form one table (the parsers stitch them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from jixiao.model.money import Unit
from jixiao.model.source import Location
from jixiao.parse.text import norm
from jixiao.parse.text import org_of
from jixiao.parse.text import year_of
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row

# (kind, title pattern on the normalised text). Order matters: the more specific first.
TITLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        # the other sheets of a project-library export (项目库): recognised so that their rows are
        # neither narrative nor part of the form before them; not read (parse_document says so)
        ("project_record", r"^(项目基本信息|项目(支出)?立项依据|项目(支出)?实施方案|(项目)?支出计划|细化经济分类"
                           r"|(项目)?支出明细|(部门|财政)评审报告|(监管局)?审核意见报告)$"),
        ("special_fund_summary", r"专项资金绩效目标汇总表$"),
        ("special_fund_targets", r"专项资金支出方向绩效目标表$"),
        ("department_targets", r"(部门|单位)整体支出绩效目标(申报)?表$"),
        ("target_monitoring", r"绩效目标(执行)?(运行)?监控(情况)?表$"),
        ("project_targets", r"项目支出绩效目标(申报)?表$"),
        ("selfeval_table", r"(项目支出)?绩效自评表(\(\d{4}年度?\))?$"),
        # ``2019年210青少年校园足球扶持资金绩效目标表``: a project's own form, titled by the project
        ("project_targets", r"^(19|20)\d{2}年[^，。；：:见]{2,30}(项目|资金|经费|专项)绩效目标(申报)?表$"),
        ("budget_overview", r"部门收支(总体情况|预算总|总)表$|(部门|单位)财务收支预算总表$"),
        ("revenue", r"(部门|单位)收入(总体情况|预算总|总)表$"),
        ("expenditure", r"(部门|单位)支出(总体情况|预算总|总)表$"),
        ("fiscal_overview", r"财政拨款收支(总体情况|预算总|总)表$"),
        ("basic_expenditure", r"一般公共预算(财政拨款)?基本支出((情况|预算)?|(部门预算)?经济分类预算)表$"),
        ("three_public", r"[“\"]?三公[”\"]?经费((支出|预算)(情况)?|和机关运行经费预算)表$"),
        ("general_budget_expenditure", r"一般公共预算(财政拨款)?支出(情况|预算|功能分类预算)?表$"),
        ("gov_fund_expenditure", r"政府性基金预算(财政拨款)?支出(情况|预算|功能分类预算)?表$"),
        ("state_capital_expenditure", r"国有资本经营预算(财政拨款)?支出(情况|预算|功能分类预算)?表$"),
        # 部门决算 (final accounts, 财政部 部门决算公开表 公开01–09表): the kind of the 预算 table each
        # mirrors; parse/final_layout.py reads their columns. The funds' tables before 财政拨款收支.
        *((kind, rf"{title}(\(?公开\d{{1,2}}表\)?)?$") for kind, title in (
            ("general_budget_expenditure", r"一般公共预算(财政拨款)?(收入)?支出决算(明细)?表"),
            ("gov_fund_expenditure", r"政府性基金预算(财政拨款)?(收入)?支出决算表"),
            ("state_capital_expenditure", r"国有资本经营预算(财政拨款)?(收入)?支出决算表"),
            ("basic_expenditure", r"基本支出决算(明细)?表"),
            ("three_public", r"[“\"]?三公[”\"]?经费(支出)?决算表"),
            ("fiscal_overview", r"财政拨款收(入)?支(出)?决算(总)?表"),
            ("budget_overview", r"收(入)?支(出)?决算(总)?表"),
            ("revenue", r"收入决算表"),
            ("expenditure", r"支出决算表"),
        )),
    )
)

_NOT_TITLE = re.compile(r"^(\d+[、.．]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|注[：:])")


def title_kind(text: str) -> str | None:
    """The table kind a title line announces, or None (TOC items and notes are not titles)."""
    label = norm(text)
    if len(label) > 40 or _NOT_TITLE.match(label):
        return None
    for kind, pattern in TITLE_PATTERNS:
        if pattern.search(label):
            return kind
    return None


@dataclass
class Segment:
    kind: str
    title: str
    location: Location
    year: int | None = None
    org: str | None = None
    unit: Unit = Unit.WANYUAN
    lines: list[Paragraph | Row] = field(default_factory=list)
    ends_document: bool = False  # the document's last line is a row of this segment
    unit_stated: bool = False  # a 单位：… line gave the unit (a header cell's （元） does not override it)

    @property
    def rows(self) -> list[Row]:
        return [line for line in self.lines if isinstance(line, Row)]


def _line_text(line: Paragraph | Row) -> str:
    if isinstance(line, Paragraph):
        return line.text
    filled = line.filled
    if len(filled) > 1 and len({norm(t) for t in filled}) == 1:
        return filled[0]  # a title merged over the row, its text exported into every cell
    return filled[0] if len(filled) == 1 else ""


def segment(raw: RawDocument) -> tuple[list[Paragraph | Row], list[Segment]]:
    """Split into (narrative lines before/between tables, table segments)."""
    narrative: list[Paragraph | Row] = []
    segments: list[Segment] = []
    current: Segment | None = None
    for line in raw.lines():
        text = _line_text(line)
        kind = title_kind(text) if text else None
        if kind:
            current = Segment(kind, norm(text), line.location, year=year_of(text))
            segments.append(current)
            continue
        if current is None:
            narrative.append(line)
            continue
        if _is_part_heading(text):
            current = None
            narrative.append(line)
            continue
        if len(current.lines) < _META_LINES:
            _note_meta(current, line, text)
        current.lines.append(line)
    if current is not None and current.lines and isinstance(current.lines[-1], Row):
        current.ends_document = True
    return narrative, segments


# the money unit as the table states it: a line 单位：元 / 金额单位：人民币元 / 单位：万元（保留两位小数），
# else header cells that all say （元） / （万元） (预算数（元）); never 万元 assumed against them
_UNIT_LINE = re.compile(r"单位[：:]\s*(?:人民币)?(万元|元)(?=$|[（(\s，,。；;])")
_UNIT_CELL = re.compile(r"[（(]\s*(?:单位[：:]\s*)?(?:人民币)?(万元|元)\s*[)）]$")
_META_LINES = 6  # 部门名称 / 填报单位 / 单位：万元 stand right under the title


_PART = re.compile(r"^(第[一二三四五六七八九十]+部分|([一二三四五六七八九十]+、)?(其他相关情况说明|项目经费情况说明)$"
                   r"|评分说明[（(]每项指标的计算过程[)）]$|自评检查发现的问题$)")


def _is_part_heading(text: str) -> bool:
    """A heading that ends the tables and resumes the narrative (第二部分 …; Shanghai's 六、其他相关情况说明;
    the annexes jixiao prints after its 自评表 forms: 评分说明, 自评检查发现的问题 — not cells of the last form)."""
    label = norm(text)
    return len(label) <= 40 and bool(_PART.match(label))


def _note_meta(seg: Segment, line: Paragraph | Row, text: str) -> None:
    """Pick up 部门名称 / 填报单位 and the money unit printed under a title."""
    # a row's distinct cells: a merged 编制部门 cell exported into every slot it covers comes once
    candidates = [text] if text else (list(dict.fromkeys(line.filled))[:4] if isinstance(line, Row) else [])
    for t in candidates:
        label = norm(t)
        if seg.org is None and (org := org_of(t)):
            seg.org = org
        if m := _UNIT_LINE.search(label):
            seg.unit = Unit.YUAN if m.group(1) == "元" else Unit.WANYUAN
            seg.unit_stated = True
    if isinstance(line, Row) and not seg.unit_stated:
        units = {m.group(1) for c in line.filled if (m := _UNIT_CELL.search(norm(c)))}
        if len(units) == 1:
            seg.unit = Unit.YUAN if units == {"元"} else Unit.WANYUAN


def group(segments: list[Segment]) -> list[list[Segment]]:
    """Consecutive segments of one kind are pages of one table."""
    groups: list[list[Segment]] = []
    for seg in segments:
        if groups and groups[-1][0].kind == seg.kind:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups
