"""The 预算公开 package (issue 10 part 3): the 说明 and the budget tables, in a province's layout.

``build_disclosure_package(tables, info, layout)`` takes the stored ``BudgetTable``s of one department
and year (as parsed from a published package or entered), the ``DisclosureInfo`` (who, which year,
the previous year's figures and what only the department knows) and a ``DisclosureLayout``
(``load_disclosure_layout("hunan", 2023)`` / ``("shanghai", 2025)``), and returns the
``OutputDocument``: a portrait part with the title and the 说明 (``disclosure_text``: every figure,
change and percentage from the tables), then one landscape part per table of the layout's set in its
order (``disclosure_tables``) — a table the department has none of is printed empty with the 空表
statement. The Hunan set's tables 9 and 10 (项目支出 / 部门整体支出绩效目标表) are target tables, built
by ``write.targets`` from the ``targets`` given (none given: left out, and the check says so).
Shanghai prints 六、其他相关情况说明 after the tables.

``tables_only=True`` gives the tables alone (the XLSX of the package: one sheet per table).
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.model.budget import BudgetTable
from jixiao.model.targets import TargetTable
from jixiao.write.disclosure_layout import TARGET_KINDS
from jixiao.write.disclosure_layout import DisclosureLayout
from jixiao.write.disclosure_layout import TableLayout
from jixiao.write.disclosure_layout import load_disclosure_layout
from jixiao.write.disclosure_tables import is_empty
from jixiao.write.disclosure_tables import table_blocks
from jixiao.write.disclosure_text import DisclosureInfo
from jixiao.write.disclosure_text import Figures
from jixiao.write.disclosure_text import Writer
from jixiao.write.layout import Block
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import PageBreak
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part

KIND = "disclosure_package"
# budget tables that are no part of a 预算公开 package: the 专项资金绩效目标汇总表 sums the 专项资金 target
# tables (seed 004), which the target forms carry
NOT_DISCLOSED = ("special_fund_summary",)
__all__ = ["DisclosureInfo", "build_disclosure_package", "load_disclosure_layout"]


def build_disclosure_package(
    tables: Sequence[BudgetTable],
    info: DisclosureInfo,
    layout: DisclosureLayout,
    *,
    targets: Sequence[TargetTable] = (),
    tables_only: bool = False,
) -> OutputDocument:
    """The whole 预算公开 package of one department and year as blocks (see the module docstring).

    Args:
        tables: the budget tables (one per kind; a later one of a kind already given is ignored). A table
            with amounts whose kind the layout's set has no place for is a ValueError (an empty one, such as
            Shanghai's 空表 国有资本经营预算 table in the Hunan set, is left out: nothing is lost).
        info: org, year and what the tables cannot say (``DisclosureInfo``).
        layout: the province's layout (``load_disclosure_layout``).
        targets: the 项目支出 / 部门整体支出绩效目标表 of a layout whose set holds them (Hunan 9 and 10).
        tables_only: leave the 说明 out (the workbook of the tables).
    """
    by_kind: dict[str, BudgetTable] = {}
    for t in tables:
        by_kind.setdefault(t.kind, t)
    kinds = {t.kind for t in layout.tables}
    unplaced = [t for kind, t in by_kind.items() if kind not in kinds and kind not in NOT_DISCLOSED and not is_empty(t)]
    if unplaced:
        names = "、".join(f"“{t.title or t.kind}”" for t in unplaced)
        raise ValueError(f"{layout.layout_id} 的预算公开表中没有 {names} 的位置（其金额不能略去）")
    words = {"org": info.org, "year": info.year, "region": info.region}
    writer = Writer(Figures(list(by_kind.values())), info, layout)
    sections = writer.sections()
    table_parts = _table_parts(by_kind, info, layout, targets)
    if tables_only:
        return OutputDocument(title=f"{info.org}{info.year}年部门预算表", parts=tuple(table_parts), kind=KIND,
                              layout_id=layout.layout_id)
    front: list[Block] = [Paragraph(layout.title.format(**words), role="title")]
    if layout.subtitle:
        front.append(Paragraph(layout.subtitle.format(**words), role="title"))
    if "explain_part" in layout.parts:  # a cover page, then the 目录
        front.append(PageBreak())
        front += _contents(layout, words)
        front.append(PageBreak())
        front.append(Paragraph(layout.parts["explain_part"].format(**words), role="heading1", align="center"))
    after: list[Block] = []
    target = front
    tables_heading: Paragraph | None = None
    if "tables_part" in layout.parts:
        tables_heading = Paragraph(layout.parts["tables_part"].format(**words), role="heading1", align="center")
    for heading, content, blocks in sections:
        if content == "tables":  # the heading opens the first table's page
            tables_heading = Paragraph(heading, role="heading1")
            target = after
            continue
        if layout.section_breaks and target and not isinstance(target[-1], PageBreak):
            target.append(PageBreak())
        target.append(Paragraph(heading, role="heading1"))
        target.extend(blocks)
    if tables_heading is not None and table_parts:
        first = table_parts[0]
        table_parts[0] = Part(first.name, (tables_heading, *first.blocks), first.page, first.fonts)
    parts = [Part("说明", tuple(front), layout.page, layout.fonts), *table_parts]
    if after:
        parts.append(Part("其他相关情况说明", tuple(after), layout.page, layout.fonts))
    return OutputDocument(title=f"{info.org}{info.year}年部门预算", parts=tuple(parts), kind=KIND,
                          layout_id=layout.layout_id)


def _contents(layout: DisclosureLayout, words: dict) -> list[Block]:
    """目录: the two parts, the tables by number, and the 空表 note (Hunan)."""
    out: list[Block] = [Paragraph("目  录", role="heading1", align="center"),
                        Paragraph(layout.parts["explain_part"].format(**words), role="heading2"),
                        Paragraph(layout.parts.get("tables_part", "").format(**words), role="heading2")]
    out += [Paragraph(f"{i}、{t.name}") for i, t in enumerate(layout.tables, 1)]
    if "toc_note" in layout.parts:
        out.append(Paragraph(layout.parts["toc_note"], role="note"))
    return out


def _table_parts(by_kind: dict[str, BudgetTable], info: DisclosureInfo, layout: DisclosureLayout,
                 targets: Sequence[TargetTable]) -> list[Part]:
    parts: list[Part] = []
    for number, tl in enumerate(layout.tables, 1):
        name = _sheet_name(number, tl.name)
        if tl.kind in TARGET_KINDS:
            parts += _target_parts(tl, targets, layout, name)
            continue
        blocks = table_blocks(by_kind.get(tl.kind), tl, layout, info.org, info.year)
        parts.append(Part(name, tuple(blocks), layout.table_page, layout.fonts))
    return parts


def _target_parts(tl: TableLayout, targets: Sequence[TargetTable], layout: DisclosureLayout, name: str) -> list[Part]:
    """Tables 9 and 10 (Hunan): each target table of the kind in the first of the entry's
    ``target_layouts`` that exists (``write.layouts``; seed 001 prints them as lists)."""
    chosen = [t for t in targets if t.kind == tl.kind]
    if not chosen:
        return []
    from jixiao.write.layouts import LayoutError
    from jixiao.write.layouts import layout_by_id
    from jixiao.write.targets import build_target_table

    target_layout = None
    for stem in tl.target_layouts or (tl.kind,):
        try:
            target_layout = layout_by_id(f"{layout.province}-{layout.year}/{stem}")
            break
        except LayoutError:
            continue
    if target_layout is None:
        raise ValueError(f"{layout.layout_id}：没有{tl.name}的版式（{'、'.join(tl.target_layouts)}）")
    out: list[Part] = []
    for table in chosen:
        for part in build_target_table(table, target_layout).parts:
            part_name = name if not out else f"{name}（{len(out) + 1}）"
            out.append(Part(part_name[:31], part.blocks, part.page, part.fonts))
    return out


def _sheet_name(number: int, name: str) -> str:
    """``1 部门收支总表`` within the 31 characters of a sheet name, without ``[]:*?/\\``."""
    clean = "".join(ch for ch in name if ch not in "[]:*?/\\")
    return f"{number} {clean}"[:31]
