"""The self-evaluation layout descriptions, loaded and checked: ``data/layouts/<province>-<year>/
selfeval_table.toml`` (the 自评表 forms and lists) and ``selfeval_report.toml`` (the 部门整体支出绩效自评
报告: its ten sections, the places left to the department, the sentences that state figures, the
indicator table). Page setup, fonts, headings, wording and column widths are the layout's; the
builders (write.selfeval_table, write.selfeval_report) only arrange them. Adding a province's variant
is adding these two files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from jixiao.selfeval.template import SPLITS
from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import Page
from jixiao.write.layouts import LayoutError

TABLE_KIND, REPORT_KIND = "selfeval_table", "selfeval_report"
FORM_COLUMNS = 10  # the form's grid: A–J
REPORT_SECTIONS = ("basic", "general_budget", "gov_fund", "state_capital", "social_insurance", "performance",
                   "problems", "measures", "publication", "other")
REPORT_FILLS = ("主要职能", "机构情况", "人员情况", "部门整体绩效", "存在的问题及原因分析", "下一步改进措施", "公开情况",
                "其他需要说明的情况")


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The 自评表 (see selfeval_table.toml for what each field holds)."""

    layout_id: str
    title: str
    title_without_year: str
    document_title: str
    kinds: dict[str, str]
    form_page: Page
    list_page: Page
    fonts: Fonts
    form: dict  # labels and headers of the form
    widths: tuple[Decimal, ...]
    lists: dict[str, str]
    caps: dict[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class ReportLayout:
    """The 部门整体支出绩效自评报告 (see selfeval_report.toml)."""

    layout_id: str
    title: tuple[str, ...]
    page: Page
    fonts: Fonts
    sections: dict[str, str]
    subsections: dict
    fills: dict[str, str]
    wording: dict
    table: dict
    table_widths: tuple[Decimal, ...]


def _read(kind: str, province: str, year: int) -> tuple[dict, str]:
    layout_id = f"{province}-{year}/{kind}"
    path = resources.files("jixiao").joinpath(f"data/layouts/{layout_id}.toml")
    if not path.is_file():
        raise LayoutError(f"没有{province}-{year}的版式描述 {kind}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8")), layout_id


def _font(spec: dict) -> Font:
    return Font(spec["name"], Decimal(str(spec["size"])), bool(spec.get("bold", False)), spec.get("latin"))


def _page(spec: dict) -> Page:
    extra = {"page_number_format": spec["page_number_format"]} if "page_number_format" in spec else {}
    return Page(size=spec.get("size", "A4"), orientation=spec.get("orientation", "portrait"),
                margins_mm=tuple(Decimal(str(m)) for m in spec.get("margins_mm", (25, 20, 25, 20))),  # type: ignore[arg-type]
                page_numbers=bool(spec.get("page_numbers", True)), **extra)


def _fonts(spec: dict) -> Fonts:
    return Fonts(**{name: _font(value) for name, value in spec.items()})


def _need(data: dict, keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise LayoutError(f"{where}: 缺少 {', '.join(missing)}")


def load_table_layout(province: str = "hunan", year: int = 2023) -> TableLayout:
    """The 自评表 layout of ``province``-``year``, checked."""
    return parse_table_layout(*_read(TABLE_KIND, province, year))


def parse_table_layout(data: dict, layout_id: str) -> TableLayout:
    """A 自评表 layout description (the TOML's data); LayoutError (a ValueError) naming what is missing or inconsistent."""
    _need(data, ("title", "title_without_year", "document_title", "kinds", "form_page", "list_page", "fonts", "form",
                 "lists"), layout_id)
    form = data["form"]
    _need(form, ("widths", "budget_headers", "indicator_headers", "budget_splits", "signatures", "left_to_fill",
                 "scoring_header", "scoring_width"),
          f"{layout_id} [form]")
    if len(form["widths"]) != FORM_COLUMNS or len(form["indicator_headers"]) != FORM_COLUMNS:
        raise LayoutError(f"{layout_id}: 表样为 {FORM_COLUMNS} 列，widths 与 indicator_headers 须各 {FORM_COLUMNS} 项")
    if len(form["budget_headers"]) != 6 or len(form["budget_splits"]) != len(SPLITS):
        raise LayoutError(f"{layout_id}: budget_headers 须 6 项，budget_splits 须 {len(SPLITS)} 项（{'、'.join(SPLITS)}）")
    if any(len(pair) != 2 for pair in form["left_to_fill"]):
        raise LayoutError(f"{layout_id}: left_to_fill 每项为 [栏目, 填写说明]")
    if len(form["signatures"]) != 2:
        raise LayoutError(f"{layout_id}: signatures 须 2 项（左、右）")
    caps = {name: tuple(int(w) for w in widths) for name, widths in data["lists"].get("caps", {}).items()}
    lists = {k: v for k, v in data["lists"].items() if k != "caps"}
    for name, count in (("summary", 14), ("explanations", 9), ("findings", 5)):
        if len(caps.get(name, ())) != count:
            raise LayoutError(f"{layout_id}: [lists.caps] {name} 须 {count} 项")
    return TableLayout(
        layout_id=layout_id, title=data["title"], title_without_year=data["title_without_year"],
        document_title=data["document_title"], kinds=dict(data["kinds"]), form_page=_page(data["form_page"]),
        list_page=_page(data["list_page"]), fonts=_fonts(data["fonts"]), form=dict(form),
        widths=tuple(Decimal(str(w)) for w in form["widths"]), lists=lists, caps=caps,
    )


def load_report_layout(province: str = "hunan", year: int = 2023) -> ReportLayout:
    """The 部门整体支出绩效自评报告 layout of ``province``-``year``, checked: its ten sections, the places
    to fill the builder knows, an indicator table whose headers and widths agree."""
    return parse_report_layout(*_read(REPORT_KIND, province, year))


def parse_report_layout(data: dict, layout_id: str) -> ReportLayout:
    """A 自评报告 layout description (the TOML's data); LayoutError (a ValueError) naming what is missing or inconsistent."""
    _need(data, ("title", "page", "fonts", "sections", "subsections", "fills", "wording", "indicator_table"), layout_id)
    _need(data["sections"], REPORT_SECTIONS, f"{layout_id} [sections]")
    _need(data["fills"], REPORT_FILLS, f"{layout_id} [fills]")
    table = data["indicator_table"]
    if len(table["headers"]) != 8 or len(table["widths"]) != 8:
        raise LayoutError(f"{layout_id}: [indicator_table] headers 与 widths 须各 8 项")
    if len(data["subsections"]["unit_items"]) != 3:
        raise LayoutError(f"{layout_id}: [subsections] unit_items 须 3 项（职能、机构、人员）")
    return ReportLayout(
        layout_id=layout_id, title=tuple(data["title"]), page=_page(data["page"]), fonts=_fonts(data["fonts"]),
        sections=dict(data["sections"]), subsections=dict(data["subsections"]), fills=dict(data["fills"]),
        wording=dict(data["wording"]), table=dict(table), table_widths=tuple(Decimal(str(w)) for w in table["widths"]),
    )
