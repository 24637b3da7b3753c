"""The 项目支出绩效自评表 (DOMAIN §2.6b, 四川 layout): title, 项目名称/主管部门/实施单位, 年度目标 and its
完成情况, 预算执行情况(10分), 绩效指标(90分), 合计, 评价结论/存在问题/改进措施, 项目负责人/财务负责人.

Stage: parse — the entry points, from a form's segments to one ``SelfEvalTable`` (or, under
repeated titles, several). The form is read as a sequence of cells (the pipe-cells reader gives
one cell per row; rows of other layouts are flattened in order), cut into blocks at the block
headings, each heading once and in the form's order:

* head — labels and values: a run of labels is followed by their values in order (项目年度目标 |
  年度目标完成情况 then the two texts); 项目基本情况 and ``1.项目年度目标完成情况`` are headings
  without a value; any other numbered label (``2.项目实施内容及过程概述``) is a text field.
* 预算执行情况, 绩效指标, 合计 — the grids, read by ``selfeval_rows``.
* tail — 评价结论, 存在问题, 改进措施 and the signatures, as in the head.

The labels and the form's instructions are in ``selfeval_labels``. A text cell holding the form's
own instruction is recorded as unfilled, never as content: one ``selfeval-table-unfilled``
finding names every unfilled field. A form that ends early (a cut-off file) gives
``selfeval-table-incomplete`` naming the parts not found; nothing raises.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.selfeval_table import SELFEVAL_TABLE_KIND
from jixiao.model.selfeval_table import FormText
from jixiao.model.selfeval_table import SelfEvalTable
from jixiao.model.source import Location
from jixiao.parse.merged import covered
from jixiao.parse.segment import Segment
from jixiao.parse.selfeval_labels import BUDGET_HEADING
from jixiao.parse.selfeval_labels import EMPTY
from jixiao.parse.selfeval_labels import GRADE
from jixiao.parse.selfeval_labels import HEAD_LABELS
from jixiao.parse.selfeval_labels import HEAD_NAMES
from jixiao.parse.selfeval_labels import HEAD_SECTIONS
from jixiao.parse.selfeval_labels import INDICATOR_HEADING
from jixiao.parse.selfeval_labels import NUMBERED_LABEL
from jixiao.parse.selfeval_labels import SIGNATURE
from jixiao.parse.selfeval_labels import TAIL_LABELS
from jixiao.parse.selfeval_labels import TOTAL
from jixiao.parse.selfeval_labels import Cell
from jixiao.parse.selfeval_labels import classify
from jixiao.parse.selfeval_labels import clip
from jixiao.parse.selfeval_labels import is_instruction
from jixiao.parse.selfeval_rows import Numbers
from jixiao.parse.selfeval_rows import read_budget
from jixiao.parse.selfeval_rows import read_indicators
from jixiao.parse.selfeval_rows import read_total
from jixiao.parse.text import norm
from jixiao.readers.grid import Paragraph

__all__ = ["parse_selfeval_table", "parse_selfeval_tables", "is_instruction"]


# ---------------------------------------------------------------- entry points


def _cells(pages: list[Segment]) -> list[Cell]:
    """The form's cells in order. A slot a merged cell covers is not a cell of its own (a cell-by-cell
    export never has one). When the form comes as a table (rows of several cells), each cell knows
    its row: a row ends where the table's row ends, whatever trailing empty cells the reader dropped."""
    out: list[Cell] = []
    lines = [line for page in pages for line in page.lines]
    table = any(not isinstance(line, Paragraph) and len(line.texts) > 1 for line in lines)
    for n, line in enumerate(lines):
        row = n if table else None
        if isinstance(line, Paragraph):
            out.append(Cell(line.text, line.location, row))
        else:
            skip = covered(line)
            out.extend(Cell(c.text, c.location, row) for j, c in enumerate(line.cells) if j not in skip)
    return out


def parse_selfeval_tables(pages: list[Segment]) -> tuple[list[SelfEvalTable], list[Finding]]:
    """Several forms under repeated titles: a page naming its own 项目名称 starts a new form; a page
    without one continues the previous form."""
    forms: list[list[Segment]] = []
    for page in pages:
        starts = any(classify(Cell(c.text, c.location), HEAD_LABELS) == "project" for c in _cells([page])[:6])
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
    head, head_unplaced = _label_values(blocks["head"], HEAD_LABELS, HEAD_SECTIONS)
    project = head.get("project")
    subject = project.text if project and project.text else first.title
    numbers = Numbers(subject, findings)
    lines = read_budget(blocks["budget"], numbers, findings)
    indicators = read_indicators(blocks["indicators"], numbers, findings, subject)
    total_weight, total_score, total_text, grade, grade_at = read_total(blocks["total"], numbers)
    tail, tail_unplaced = _label_values(blocks["tail"], TAIL_LABELS, None)
    for c in head_unplaced + tail_unplaced:
        findings.append(make("selfeval-table-cell-unplaced", c.location, subject=subject, text=clip(c.text)))
    if grade is None and (g := tail.get("grade")) and g.text:
        m = GRADE.match(norm(g.text))
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
        missing=_missing(head, headings, tail, ends=pages[-1].ends_document),
    )
    if table.missing:
        last = cells[-1] if cells else Cell(first.title, first.location)
        findings.append(make("selfeval-table-incomplete", last.location, subject=subject,
                             missing="、".join(table.missing), last=clip(last.text or "（空单元格）"),
                             expected="、".join(table.missing), actual="未找到"))
    unfilled = _unfilled(table)
    if unfilled:
        where, names = unfilled[0][1], "、".join(name for name, _ in unfilled)
        findings.append(make("selfeval-table-unfilled", where, subject=subject, fields=names, expected="填写内容",
                             actual=names))
    return table, findings


# ---------------------------------------------------------------- blocks, head and tail


def _blocks(cells: list[Cell]) -> tuple[dict[str, list[Cell]], dict[str, Cell]]:
    """Cut the cells at the block headings (each heading once, in the form's order)."""
    blocks: dict[str, list[Cell]] = {"head": [], "budget": [], "indicators": [], "total": [], "tail": []}
    headings: dict[str, Cell] = {}
    state = "head"
    for c in cells:
        key = c.key
        nxt: str | None = None
        if state == "head" and BUDGET_HEADING.match(key):
            nxt = "budget"
        elif state == "budget" and HEAD_SECTIONS.match(key):
            state = "head"  # the central 2019 form puts 年度总体目标 between 项目资金 and 绩效指标
        elif state in ("head", "budget") and INDICATOR_HEADING.match(key):
            nxt = "indicators"
        elif state == "indicators" and TOTAL.match(key):
            nxt = "total"
        elif state != "tail" and (
            classify(c, TAIL_LABELS) in ("conclusion", "problems", "measures") or SIGNATURE.match(key)
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


def _points(c: Cell | None) -> Decimal | None:
    if c is None:
        return None
    m = BUDGET_HEADING.match(c.key) or INDICATOR_HEADING.match(c.key)
    return Decimal(m.group("points")) if m and m.group("points") else None


def _form_text(label: Cell, value: Cell | None, name: str) -> FormText:
    if value is None:
        return FormText(name, None, label.location)
    printed = value.text
    instruction = is_instruction(printed)
    text = None if instruction or norm(printed) in EMPTY else printed
    return FormText(name, text, value.location, printed, instruction)


def _label_values(
    cells: list[Cell], labels: tuple[tuple[str, re.Pattern[str]], ...], sections: re.Pattern[str] | None
) -> tuple[dict[str, FormText], list[Cell]]:
    """Labelled fields: a run of labels, then their values in order. Returns (key → field, unplaced)."""
    out: dict[str, FormText] = {}
    unplaced: list[Cell] = []
    run: list[tuple[str, Cell, str]] = []  # (key, label cell, printed name)
    taken = 0  # values assigned to the run so far

    def close() -> None:
        nonlocal run, taken
        for key, label, name in run[taken:]:
            out.setdefault(key, _form_text(label, None, name))
        run, taken = [], 0

    row, valued = None, False  # the current table row; whether it held a value
    for c in cells:
        key = c.key
        if c.row != row:
            if valued and taken < len(run):  # a row of label | value pairs ended: its last value was empty
                close()
            row, valued = c.row, False
        if sections is not None and sections.match(key):
            close()
            continue
        kind = classify(c, labels)
        name = HEAD_NAMES.get(kind or "", "")
        if kind is None and (sig := SIGNATURE.match(key)):
            kind, name = f"sign:{sig.group(1)}", sig.group(1)
            if key != sig.group(1):  # 项目负责人:张三 / 项目负责人: — the name is in the cell
                close()
                out.setdefault(kind, FormText(name, sig.group("name") or None, c.location, c.text))
                continue
        if kind is None and sections is not None and (m := NUMBERED_LABEL.match(key)):
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
            valued = True
        elif c.text:
            unplaced.append(c)
    close()
    return out, unplaced


# ---------------------------------------------------------------- missing and unfilled


def _missing(head: dict[str, FormText], headings: dict[str, Cell], tail: dict[str, FormText], ends: bool = True,
             ) -> tuple[str, ...]:
    """The parts not found. A form that reached its 合计/总分 and is followed by more of the document
    was not cut off: a layout without 评价结论/存在问题/改进措施 (the central 2019 form ends at 总分)."""
    if not ends and not tail and {"budget", "indicators", "total"} <= set(headings) and "project" in head:
        return ()
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
