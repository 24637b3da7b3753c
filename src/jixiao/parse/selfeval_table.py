"""The 项目支出绩效自评表 (DOMAIN §2.6b, 四川 layout): title, 项目名称/主管部门/实施单位, 年度目标 and its
完成情况, 预算执行情况(10分), 绩效指标(90分), 合计, 评价结论/存在问题/改进措施, 项目负责人/财务负责人.

The form is read as a sequence of cells (the pipe-cells reader gives one cell per row; rows of
other layouts are flattened in order), cut into blocks at the block headings:

* head — labels and values: a run of labels is followed by their values in order (项目年度目标 |
  年度目标完成情况 then the two texts); 项目基本情况 and ``1.项目年度目标完成情况`` are headings
  without a value; any other numbered label (``2.项目实施内容及过程概述``) is a text field.
* 预算执行情况 — the column headers give the column order (年初预算 … 原因; without headers the
  四川 order); a row is its label and up to one cell per column. A merged cell (the 原因 of the
  其中 rows) is simply absent: a cell that is a row label (总额, 其中：财政资金, …资金) starts the
  next row.
* 绩效指标 — the column headers likewise; a row has one cell per column, except that a merged
  一级/二级 may be absent (the next cell is then a 二级 or the 三级): it is carried down.
* 合计 — 权重 total, 得分 and 等级 (优/良/中/差 wherever it is printed in the row), by position.
* tail — 评价结论, 存在问题, 改进措施 and the signatures, as in the head.

A text cell holding the form's own instruction (``…(100字以内)``, or one of the instruction
sentences of the form) is recorded as unfilled, never as content: one ``selfeval-table-unfilled``
finding names every unfilled field. A form that ends early (a cut-off file) gives
``selfeval-table-incomplete`` naming the parts not found; nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.levels import is_level1
from jixiao.model.levels import is_level2
from jixiao.model.selfeval_table import SELFEVAL_TABLE_KIND
from jixiao.model.selfeval_table import BudgetLine
from jixiao.model.selfeval_table import FormText
from jixiao.model.selfeval_table import IndicatorRow
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.source import Location
from jixiao.parse.segment import Segment
from jixiao.parse.text import norm
from jixiao.parse.values import parse_value
from jixiao.readers.grid import Paragraph

__all__ = ["parse_selfeval_table", "parse_selfeval_tables", "is_instruction"]


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    location: Location

    @property
    def key(self) -> str:
        return norm(self.text)


# ---------------------------------------------------------------- labels (on norm text)

_BUDGET_HEADING = re.compile(r"^(预算执行情况|预算执行率|资金执行情况)(\((?P<points>\d+(\.\d+)?)分\))?(\(万元\))?$")
_INDICATOR_HEADING = re.compile(r"^(年度)?绩效指标(完成情况)?(\((?P<points>\d+(\.\d+)?)分\))?$")
_TOTAL = re.compile(r"^(合计|总分|总计|自评总分|合计得分)$")

_HEAD_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("project", r"^(项目|单位)名称$"),
        ("department", r"^主管部门(及代码)?$"),
        ("implementer", r"^实施单位(\(盖章\))?$"),
        ("goal", r"^(项目)?年度目标$|^预期目标$"),
        ("goal_completion", r"^(项目)?年度目标完成情况$|^(实际|全年)?完成情况$|^实际完成情况$"),
    )
)
_HEAD_SECTIONS = re.compile(r"^(项目基本情况|年度总体目标|\d+[.、．]?项目年度目标完成情况)$")
_NUMBERED_LABEL = re.compile(r"^\d+[.、．]([^，。；;,:：!?！？]{2,24})$")
_TAIL_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("conclusion", r"^(评价结论|自评结论)$"),
        ("problems", r"^存在(的)?问题$"),
        ("measures", r"^改进措施(及建议)?$|^改进建议$"),
        ("grade", r"^(自评|评价)?等级$"),
    )
)
_SIGNATURE = re.compile(r"^(项目负责人|财务负责人|单位负责人|填表人|联系电话|填报日期)[:：]?(?P<name>.*)$")

_BUDGET_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
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
_BUDGET_GROUP = re.compile(r"^(年度预算数|资金来源|项目|预算资金|资金)?(\(万元\))?$")
_BUDGET_ORDER = ("initial", "adjusted", "spent", "rate", "weight", "score", "reason")
_BUDGET_ROW = re.compile(r"^(其中[:：]?.{0,14}|.{0,12}(资金|拨款|总额|合计|结转|收入))$")

_INDICATOR_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
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
    )
)
_INDICATOR_ORDER = ("level1", "level2", "name", "op", "value", "unit", "actual", "weight", "score", "reason")
_INDICATOR_NAMES = {
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
}
_HEAD_NAMES = {
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
_GRADE = re.compile(r"^(?:(?:自评|评价)?等级[:：为]?)?(?P<grade>优秀|良好|优|良|中|差)$")
_EMPTY = frozenset(["", "/", "-", "--", "—", "——", "\\", "无"])


def is_instruction(text: str | None) -> bool:
    """The cell still holds the form's instruction (``…(200字以内)``), not content."""
    if not text:
        return False
    if _LIMIT.search(text):
        return True
    bare = re.sub(r"[^\u4e00-\u9fff0-9]", "", text)
    return bare in _INSTRUCTIONS


def _classify(c: _Cell, labels: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    key = c.key
    for name, rx in labels:
        if rx.match(key):
            return name
    return None


def _column(c: _Cell, columns: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    return _classify(c, columns)


# ---------------------------------------------------------------- numbers


class _Numbers:
    """Strict number cells (money, weights, scores); an unreadable one gives a finding."""

    def __init__(self, subject: str, findings: list[Finding]):
        self.subject, self.findings = subject, findings

    def read(self, c: _Cell | None, what: str) -> Decimal | None:
        if c is None or norm(c.text) in _EMPTY:
            return None
        text = norm(c.text).replace(",", "").replace("万元", "").replace("分", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            self.findings.append(make("selfeval-table-number-unreadable", c.location, subject=self.subject, field=what,
                                      text=c.text[:30], actual=c.text[:30]))
            return None

    def rate(self, c: _Cell | None) -> Decimal | None:
        """预算执行率 in percent: ``100.00%`` → 100.00; a bare fraction ``0.9523`` → 95.23."""
        if c is None or norm(c.text) in _EMPTY:
            return None
        text = norm(c.text).replace(",", "")
        percent = text.endswith("%")
        try:
            value = Decimal(text.rstrip("%"))
        except InvalidOperation:
            self.findings.append(make("selfeval-table-number-unreadable", c.location, subject=self.subject,
                                      field="预算执行率", text=c.text[:30], actual=c.text[:30]))
            return None
        return value if percent or value > 1 else value.scaleb(2)


# ---------------------------------------------------------------- entry points


def _cells(pages: list[Segment]) -> list[_Cell]:
    out: list[_Cell] = []
    for page in pages:
        for line in page.lines:
            if isinstance(line, Paragraph):
                out.append(_Cell(line.text, line.location))
            else:
                out.extend(_Cell(c.text, c.location) for c in line.cells)
    return out


def parse_selfeval_tables(pages: list[Segment]) -> tuple[list[SelfEvalTable], list[Finding]]:
    """Several forms under repeated titles: a page naming its own 项目名称 starts a new form; a page
    without one continues the previous form."""
    forms: list[list[Segment]] = []
    for page in pages:
        starts = any(_classify(_Cell(c.text, c.location), _HEAD_LABELS) == "project" for c in _cells([page])[:6])
        if forms and not starts:
            forms[-1].append(page)
        else:
            forms.append([page])
    tables: list[SelfEvalTable] = []
    findings: list[Finding] = []
    for form in forms:
        table, found = parse_selfeval_table(form)
        tables.append(table)
        findings.extend(found)
    return tables, findings


def parse_selfeval_table(pages: list[Segment]) -> tuple[SelfEvalTable, list[Finding]]:
    """Read one 项目支出绩效自评表 from its segment(s). Never raises."""
    first = pages[0]
    cells = _cells(pages)
    blocks, headings = _blocks(cells)
    findings: list[Finding] = []
    head, head_unplaced = _label_values(blocks["head"], _HEAD_LABELS, _HEAD_SECTIONS)
    project = head.get("project")
    subject = project.text if project and project.text else first.title
    numbers = _Numbers(subject, findings)
    lines = _budget(blocks["budget"], numbers, findings)
    indicators = _indicators(blocks["indicators"], numbers, findings, subject)
    total_weight, total_score, total_text, grade, grade_at = _total(blocks["total"], numbers)
    tail, tail_unplaced = _label_values(blocks["tail"], _TAIL_LABELS, None)
    for c in head_unplaced + tail_unplaced:
        findings.append(make("selfeval-table-cell-unplaced", c.location, subject=subject, text=_clip(c.text)))
    if grade is None and (g := tail.get("grade")) and g.text:
        m = _GRADE.match(norm(g.text))
        grade, grade_at = (m.group("grade") if m else g.text), g.location
    signatures = tuple(v for k, v in tail.items() if k.startswith("sign:"))
    table = SelfEvalTable(
        kind=SELFEVAL_TABLE_KIND,
        title=first.title,
        location=first.location,
        year=first.year,
        org=head["department"].text if head.get("department") else first.org,
        project=project,
        department=head.get("department"),
        implementer=head.get("implementer"),
        goal=head.get("goal"),
        goal_completion=head.get("goal_completion"),
        texts=tuple(v for k, v in head.items() if k.startswith("text:")),
        budget_points=_points(headings.get("budget")),
        budget_location=headings["budget"].location if "budget" in headings else None,
        budget_lines=tuple(lines),
        indicator_points=_points(headings.get("indicators")),
        indicator_location=headings["indicators"].location if "indicators" in headings else None,
        indicators=tuple(indicators),
        total_weight=total_weight,
        total_score=total_score,
        total_score_text=total_text,
        total_location=headings["total"].location if "total" in headings else None,
        grade=grade,
        grade_location=grade_at,
        conclusion=tail.get("conclusion"),
        problems=tail.get("problems"),
        measures=tail.get("measures"),
        signatures=signatures,
        missing=_missing(head, headings, tail),
    )
    if table.missing:
        last = cells[-1] if cells else _Cell(first.title, first.location)
        findings.append(make("selfeval-table-incomplete", last.location, subject=subject,
                             missing="、".join(table.missing), last=_clip(last.text or "（空单元格）"),
                             expected="、".join(table.missing), actual="未找到"))
    unfilled = _unfilled(table)
    if unfilled:
        where, names = unfilled[0][1], "、".join(name for name, _ in unfilled)
        findings.append(make("selfeval-table-unfilled", where, subject=subject, fields=names, expected="填写内容",
                             actual=names))
    return table, findings


# ---------------------------------------------------------------- blocks


def _blocks(cells: list[_Cell]) -> tuple[dict[str, list[_Cell]], dict[str, _Cell]]:
    """Cut the cells at the block headings (each heading once, in the form's order)."""
    blocks: dict[str, list[_Cell]] = {"head": [], "budget": [], "indicators": [], "total": [], "tail": []}
    headings: dict[str, _Cell] = {}
    state = "head"
    for c in cells:
        key = c.key
        nxt: str | None = None
        if state == "head" and _BUDGET_HEADING.match(key):
            nxt = "budget"
        elif state in ("head", "budget") and _INDICATOR_HEADING.match(key):
            nxt = "indicators"
        elif state == "indicators" and _TOTAL.match(key):
            nxt = "total"
        elif state != "tail" and (
            _classify(c, _TAIL_LABELS) in ("conclusion", "problems", "measures") or _SIGNATURE.match(key)
        ):
            state = "tail"
            blocks["tail"].append(c)
            continue
        if nxt is not None:
            state = nxt
            headings[nxt] = c
            continue
        blocks[state].append(c)
    return blocks, headings


def _points(c: _Cell | None) -> Decimal | None:
    if c is None:
        return None
    m = _BUDGET_HEADING.match(c.key) or _INDICATOR_HEADING.match(c.key)
    return Decimal(m.group("points")) if m and m.group("points") else None


def _clip(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _form_text(label: _Cell, value: _Cell | None, name: str) -> FormText:
    if value is None:
        return FormText(name, None, label.location)
    printed = value.text
    instruction = is_instruction(printed)
    text = None if instruction or norm(printed) in _EMPTY else printed
    return FormText(name, text, value.location, printed, instruction)


def _label_values(
    cells: list[_Cell], labels: tuple[tuple[str, re.Pattern[str]], ...], sections: re.Pattern[str] | None
) -> tuple[dict[str, FormText], list[_Cell]]:
    """Labelled fields: a run of labels, then their values in order. Returns (key → field, unplaced)."""
    out: dict[str, FormText] = {}
    unplaced: list[_Cell] = []
    run: list[tuple[str, _Cell, str]] = []  # (key, label cell, printed name)
    taken = 0  # values assigned to the run so far

    def close() -> None:
        nonlocal run, taken
        for key, label, name in run[taken:]:
            out.setdefault(key, _form_text(label, None, name))
        run, taken = [], 0

    for c in cells:
        key = c.key
        if sections is not None and sections.match(key):
            close()
            continue
        kind = _classify(c, labels)
        name = _HEAD_NAMES.get(kind or "", "")
        if kind is None and (sig := _SIGNATURE.match(key)):
            kind, name = f"sign:{sig.group(1)}", sig.group(1)
            if key != sig.group(1):  # 项目负责人:张三 / 项目负责人: — the name is in the cell
                close()
                out.setdefault(kind, FormText(name, sig.group("name") or None, c.location, c.text))
                continue
        if kind is None and sections is not None and (m := _NUMBERED_LABEL.match(key)):
            kind, name = f"text:{m.group(1)}", m.group(1)
        if kind == "grade":
            name = "等级"
        if kind is not None:
            if taken:
                close()
            run.append((kind, c, name))
            continue
        if taken < len(run):
            k, label, name = run[taken]
            out.setdefault(k, _form_text(label, c, name))
            taken += 1
        elif c.text:
            unplaced.append(c)
    close()
    return out, unplaced


# ---------------------------------------------------------------- 预算执行情况


def _is_budget_row(c: _Cell) -> bool:
    key = c.key
    return bool(key) and key not in _EMPTY and not _is_number(key) and bool(_BUDGET_ROW.match(key))


def _is_number(key: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]*\.?\d+%?", key))


def _budget(cells: list[_Cell], numbers: _Numbers, findings: list[Finding]) -> list[BudgetLine]:
    columns: list[str] = []
    i = 0
    while i < len(cells):
        col = _column(cells[i], _BUDGET_COLUMNS)
        if col is not None:
            columns.append(col)
        elif not (_BUDGET_GROUP.match(cells[i].key) and cells[i].key) or _is_budget_row(cells[i]):
            break
        i += 1
    if not columns:
        columns = list(_BUDGET_ORDER)
    lines: list[BudgetLine] = []
    while i < len(cells):
        c = cells[i]
        i += 1
        if c.key in _EMPTY:
            continue
        if _is_number(c.key):
            findings.append(make("selfeval-table-cell-unplaced", c.location, subject=numbers.subject, text=_clip(c.text)))
            continue
        got: dict[str, _Cell] = {}
        for col in columns:
            if i >= len(cells) or _is_budget_row(cells[i]):
                break  # a merged cell (原因 of the 其中 rows) is absent: the next row begins
            got[col] = cells[i]
            i += 1
        lines.append(_budget_line(c, got, numbers))
    return lines


def _budget_line(label: _Cell, got: dict[str, _Cell], numbers: _Numbers) -> BudgetLine:
    name = label.text
    reason = got.get("reason")
    printed = reason.text if reason is not None else None
    return BudgetLine(
        label=name,
        location=label.location,
        initial=numbers.read(got.get("initial"), f"{name}年初预算数"),
        adjusted=numbers.read(got.get("adjusted"), f"{name}调整后预算数"),
        spent=numbers.read(got.get("spent"), f"{name}预算执行数"),
        rate=numbers.rate(got.get("rate")),
        rate_text=got["rate"].text if "rate" in got else None,
        weight=numbers.read(got.get("weight"), f"{name}权重"),
        score=numbers.read(got.get("score"), f"{name}得分"),
        score_text=got["score"].text if "score" in got else None,
        reason=None if printed is None or is_instruction(printed) or norm(printed) in _EMPTY else printed,
        reason_printed=printed,
        cells=tuple((k, v.location) for k, v in got.items()),
    )


# ---------------------------------------------------------------- 绩效指标


def _indicators(cells: list[_Cell], numbers: _Numbers, findings: list[Finding], subject: str) -> list[IndicatorRow]:
    columns: list[str] = []
    i = 0
    while i < len(cells) and (col := _column(cells[i], _INDICATOR_COLUMNS)) is not None:
        columns.append(col)
        i += 1
    if not columns:
        columns = list(_INDICATOR_ORDER)
    levels = [c for c in columns[: columns.index("name")] if c in ("level1", "level2")] if "name" in columns else []
    rest = columns[len(levels):]
    rows: list[IndicatorRow] = []
    level1: str | None = None
    level2: str | None = None
    while i < len(cells):
        start = cells[i]
        got: dict[str, _Cell] = {}
        if "level1" in levels and i < len(cells):
            c = cells[i]
            if not c.text or is_level1(c.text):
                got["level1"] = c
                i += 1
        if "level2" in levels and i < len(cells):
            c = cells[i]
            full = bool(got.get("level1") and got["level1"].text)
            if full or not c.text or is_level2(c.text):
                got["level2"] = c
                i += 1
        for col in rest:
            if i >= len(cells):
                break
            got[col] = cells[i]
            i += 1
        if not any(c.text for c in got.values()):
            continue  # a blank row
        if got.get("level1") and got["level1"].text:
            level1, level2 = got["level1"].text, None
        if got.get("level2") and got["level2"].text:
            level2 = got["level2"].text
        short = [col for col in rest if col not in got]
        name_cell = got.get("name")
        name = name_cell.text if name_cell is not None else ""
        if short:
            findings.append(make("selfeval-table-row-short", start.location, subject=subject, name=name or start.text,
                                 count=len(got), columns=len(levels) + len(rest),
                                 fields="、".join(_INDICATOR_NAMES[c] for c in short),
                                 expected=f"{len(levels) + len(rest)} 列", actual=f"{len(got)} 列"))
        rows.append(_indicator_row(level1, level2, name, got, start, numbers))
    return rows


def _indicator_row(level1, level2, name, got: dict[str, _Cell], start: _Cell, numbers: _Numbers) -> IndicatorRow:
    def text(col: str) -> str | None:
        c = got.get(col)
        return c.text if c is not None and c.text else None

    location = got["name"].location if "name" in got else start.location
    reason = text("reason")
    actual = text("actual")
    return IndicatorRow(
        level1=level1,
        level2=level2,
        name=name,
        target=parse_value(text("value") or "", text("op"), text("unit")),
        location=location,
        actual=None if actual is None or norm(actual) in _EMPTY - {"无"} else actual,
        weight=numbers.read(got.get("weight"), f"{name}权重"),
        score=numbers.read(got.get("score"), f"{name}得分"),
        score_text=text("score"),
        reason=None if reason is None or is_instruction(reason) or norm(reason) in _EMPTY else reason,
        cells=tuple((k, v.location) for k, v in got.items()),
    )


# ---------------------------------------------------------------- 合计 and the rest


def _total(cells: list[_Cell], numbers: _Numbers):
    """(权重 total, 得分, 得分 as printed, 等级, 等级's location) from the 合计 row, by position."""
    grade = grade_at = None
    values: list[_Cell] = []
    for c in cells:
        m = _GRADE.match(c.key)
        if m and grade is None:
            grade, grade_at = m.group("grade"), c.location
        else:
            values.append(c)
    weight = numbers.read(values[0], "合计权重") if values else None
    score_cell = values[1] if len(values) > 1 else None
    score = numbers.read(score_cell, "合计得分")
    score_text = score_cell.text if score_cell is not None and score_cell.text else None
    return weight, score, score_text, grade, grade_at


def _missing(head: dict[str, FormText], headings: dict[str, _Cell], tail: dict[str, FormText]) -> tuple[str, ...]:
    parts = (
        ("项目名称", "project" in head),
        ("预算执行情况", "budget" in headings),
        ("绩效指标", "indicators" in headings),
        ("合计", "total" in headings),
        ("评价结论", "conclusion" in tail),
        ("存在问题", "problems" in tail),
        ("改进措施", "measures" in tail),
    )
    return tuple(name for name, found in parts if not found)


def _unfilled(table: SelfEvalTable) -> list[tuple[str, Location]]:
    """(field as named in the finding, where) of every text field left blank or as the instruction."""
    out: list[tuple[str, Location]] = []

    def add(f: FormText | None) -> None:
        if f is not None and not f.filled:
            out.append((f"{f.label}（仍为填表说明）" if f.instruction else f.label, f.location))

    for f in (table.project, table.department, table.implementer, table.goal, table.goal_completion, *table.texts):
        add(f)
    empty = [i for i in table.indicators if i.actual is None]
    if empty:
        names = "、".join(i.name for i in empty)
        out.append((f"完成值（{names}）", empty[0].where("actual")))
    for f in (table.conclusion, table.problems, table.measures):
        add(f)
    return out
