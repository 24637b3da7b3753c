"""Layout descriptions: how one province's form of one year looks, as data (docs/layouts.md).

A layout is a TOML file ``data/layouts/<province>-<year>/<kind>[-<variant>].toml`` (a variant is
another city's or template's form of the same kind: ``project_targets-list`` is seed 001's
one-row-per-indicator table). It names the page setup,
the fonts, the wording (title template, 填报单位 and unit line, signature lines, 空表 statement),
the column widths, and the rows of the table: plain rows of cells (a label, a value from the data,
a text template) and blocks that repeat (``indicators``, ``tasks``, ``details``, ``items``), each
with a header row. Adding a province's variant means adding a file, not code.

``load_layout(kind, province="hunan", year=2023, variant="")`` reads and validates one (LayoutError with a
Chinese message naming the file and the key when it is wrong); ``available_layouts()`` lists the ids
``layout_by_id`` loads. The same folders hold descriptions other modules read with their own schema
(预算公开, 自评表, 自评报告, 审核意见书: ``LOADERS``); ``layout_files()`` lists every file with its loader.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import Page

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"
ROLES = {"header", "label", "text", "number", "percent", "total"}
ALIGNS = {"left", "center", "right", "justify"}
BLOCKS = {"indicators", "tasks", "details", "items"}
STYLES = {"form", "list", "plain"}


class LayoutError(ValueError):
    """A layout description that cannot be used (missing file, wrong key or value)."""


@dataclass(frozen=True, slots=True)
class CellSpec:
    """One cell of a layout row. ``text`` may hold ``{placeholders}`` (``{year}``, ``{org}``, a field
    of the data: ``{project}``, ``{amounts.total}``); ``field`` names the datum the cell shows (a money
    field becomes a number cell)."""

    text: str = ""
    field: str = ""
    colspan: int = 1
    rowspan: int = 1
    role: str = ""  # "" → label when the cell has only text, else text / number by its field
    align: str | None = None


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A plain row (``cells``), or a repeating block (``block``: indicators, tasks, details, items):
    ``label`` is printed in the first column merged down the whole block, ``header`` is the block's
    header row, ``fields`` the datum of each header cell (same colspans as the header), ``merge`` the
    fields whose equal neighbours are merged vertically (一级/二级指标), ``total`` the label of a
    closing 合计 row (details)."""

    cells: tuple[CellSpec, ...] = ()
    block: str = ""
    label: str = ""
    label_colspan: int = 1
    header: tuple[CellSpec, ...] = ()
    fields: tuple[str, ...] = ()
    merge: tuple[str, ...] = ()
    total: str = ""
    min_rows: int = 0  # blank rows added to reach this many (blank forms keep their lines)


@dataclass(frozen=True, slots=True)
class Layout:
    id: str  # "hunan-2023/project_targets", "hunan-2023/project_targets-list"
    kind: str
    province: str
    year: int
    name: str  # what the layout is, in Chinese
    style: str  # form: one form per target set; list: one table; plain: a column table
    title: str  # template: "{year}年项目支出绩效目标表"
    columns: tuple[Decimal, ...]
    rows: tuple[RowSpec, ...]
    page: Page = field(default_factory=Page)
    fonts: Fonts = field(default_factory=Fonts)
    before_title: str = ""  # "附件2" above the title
    unit_line: str = ""  # "填报单位：{org}（盖章）\t单位：万元"
    signature: tuple[str, ...] = ()
    empty: str = ""  # the 空表 statement
    notes: tuple[str, ...] = ()  # 注：… lines under the table
    header_rows: int = 0  # list/plain style: leading rows of `rows` repeated on every page
    source: str = ""  # the document the layout copies (seed, file)
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific keys, for builders of other kinds
    variant: str = ""


def _font(value: Any, where: str) -> Font:
    if not isinstance(value, dict) or "name" not in value or "size" not in value:
        raise LayoutError(f"{where}：字体须写作 {{ name = \"宋体\", size = 10 }}")
    return Font(str(value["name"]), Decimal(str(value["size"])), bool(value.get("bold", False)), value.get("latin"))


def _cell(value: Any, where: str) -> CellSpec:
    if isinstance(value, str):
        return CellSpec(text=value)
    if not isinstance(value, dict):
        raise LayoutError(f"{where}：单元格须为文字或表（text/field/colspan/rowspan/role/align）")
    unknown = set(value) - {"text", "field", "colspan", "rowspan", "role", "align"}
    if unknown:
        raise LayoutError(f"{where}：未知的键 {', '.join(sorted(unknown))}")
    role = str(value.get("role", ""))
    if role and role not in ROLES:
        raise LayoutError(f"{where}：role 须为 {'、'.join(sorted(ROLES))} 之一，而不是 {role}")
    align = value.get("align")
    if align is not None and align not in ALIGNS:
        raise LayoutError(f"{where}：align 须为 {'、'.join(sorted(ALIGNS))} 之一，而不是 {align}")
    colspan, rowspan = int(value.get("colspan", 1)), int(value.get("rowspan", 1))
    if colspan < 1 or rowspan < 1:
        raise LayoutError(f"{where}：colspan/rowspan 须为正整数")
    return CellSpec(str(value.get("text", "")), str(value.get("field", "")), colspan, rowspan, role, align)


def _row(value: dict, where: str, ncols: int) -> RowSpec:
    block = str(value.get("block", ""))
    if block and block not in BLOCKS:
        raise LayoutError(f"{where}：block 须为 {'、'.join(sorted(BLOCKS))} 之一，而不是 {block}")
    cells = tuple(_cell(c, f"{where}.cells[{i}]") for i, c in enumerate(value.get("cells", ())))
    header = tuple(_cell(c, f"{where}.header[{i}]") for i, c in enumerate(value.get("header", ())))
    fields = tuple(str(f) for f in value.get("fields", ()))
    label = str(value.get("label", ""))
    label_colspan = int(value.get("label_colspan", 1)) if label else 0
    if block:
        if len(fields) != len(header):
            raise LayoutError(f"{where}：fields 与 header 须一一对应（{len(fields)} 对 {len(header)}）")
        width = label_colspan + sum(c.colspan for c in header)
        if width != ncols:
            raise LayoutError(f"{where}：label 与 header 共占 {width} 列，表格有 {ncols} 列")
    elif not cells:
        raise LayoutError(f"{where}：行须有 cells 或 block")
    return RowSpec(cells, block, label, label_colspan, header, fields, tuple(value.get("merge", ())),
                   str(value.get("total", "")), int(value.get("min_rows", 0)))


def _check_plain_rows(rows: tuple[RowSpec, ...], ncols: int, path: str) -> None:
    """Every run of plain rows tiles the columns exactly, rowspans counted."""
    covered: dict[int, int] = {}  # column → rows still covered from above
    for i, row in enumerate(rows):
        if row.block:
            if covered:
                raise LayoutError(f"{path}：rows[{i}] 之前的合并单元格跨入了 {row.block} 块")
            continue
        c, taken = 0, []
        for cell in row.cells:
            while covered.get(c, 0) > 0:
                c += 1
            taken.append((c, cell))
            c += cell.colspan
        while covered.get(c, 0) > 0:
            c += 1
        if c != ncols:
            raise LayoutError(f"{path}：rows[{i}] 占 {c} 列，表格有 {ncols} 列")
        covered = {k: v - 1 for k, v in covered.items() if v > 1}
        for start, cell in taken:
            if cell.rowspan > 1:
                for k in range(start, start + cell.colspan):
                    covered[k] = cell.rowspan - 1


def parse_layout(data: dict, layout_id: str, path: str = "") -> Layout:
    """A Layout from a parsed TOML table (``layout_id`` = "<province>-<year>/<kind>[-<variant>]")."""
    where = path or layout_id
    folder, _, stem = layout_id.partition("/")
    kind, _, variant = stem.partition("-")
    province, _, year = folder.rpartition("-")
    if not province or not year.isdigit():
        raise LayoutError(f"{where}：目录名须为 <省份>-<年度>，如 hunan-2023")
    if kind in LOADERS:
        raise LayoutError(f"{where}：{kind} 版式不是表格版式，由 {LOADERS[kind]} 读取")
    for key in ("title", "columns"):
        if key not in data:
            raise LayoutError(f"{where}：缺少 {key}")
    style = str(data.get("style", "form"))
    if style not in STYLES:
        raise LayoutError(f"{where}：style 须为 {'、'.join(sorted(STYLES))} 之一，而不是 {style}")
    columns = tuple(Decimal(str(w)) for w in data["columns"])
    if not columns or any(w <= 0 for w in columns):
        raise LayoutError(f"{where}：columns 须为正数列表（各列宽度，按字符计）")
    rows = tuple(_row(r, f"{where}：rows[{i}]", len(columns)) for i, r in enumerate(data.get("rows", ())))
    _check_plain_rows(rows, len(columns), where)
    page_data = data.get("page", {})
    page = Page(
        size=page_data.get("size", "A4"),
        orientation=page_data.get("orientation", "portrait"),
        margins_mm=tuple(Decimal(str(m)) for m in page_data.get("margins_mm", (25, 20, 25, 20))),
        page_numbers=bool(page_data.get("page_numbers", True)),
        page_number_format=page_data.get("page_number_format", "第 {page} 页 共 {pages} 页"),
    )
    if page.size not in ("A4", "A3") or page.orientation not in ("portrait", "landscape") or len(page.margins_mm) != 4:
        raise LayoutError(f"{where}：page 须为 size = A4|A3、orientation = portrait|landscape、margins_mm = [上, 右, 下, 左]")
    fonts_data = data.get("fonts", {})
    unknown = set(fonts_data) - set(Fonts.__dataclass_fields__)
    if unknown:
        raise LayoutError(f"{where}：fonts 中未知的键 {', '.join(sorted(unknown))}")
    fonts = Fonts(**{k: _font(v, f"{where}：fonts.{k}") for k, v in fonts_data.items()})
    known = {"kind", "name", "style", "title", "columns", "rows", "page", "fonts", "before_title", "unit_line",
             "signature", "empty", "notes", "header_rows", "source"}
    if data.get("kind", kind) != kind:
        raise LayoutError(f"{where}：kind = {data.get('kind')} 与文件名 {kind} 不符")
    return Layout(
        id=layout_id, kind=kind, province=province, year=int(year), name=str(data.get("name", kind)),
        style=style, title=str(data["title"]), columns=columns, rows=rows, page=page, fonts=fonts,
        before_title=str(data.get("before_title", "")), unit_line=str(data.get("unit_line", "")),
        signature=tuple(str(s) for s in data.get("signature", ())), empty=str(data.get("empty", "")),
        notes=tuple(str(s) for s in data.get("notes", ())), header_rows=int(data.get("header_rows", 0)),
        source=str(data.get("source", "")), extra={k: v for k, v in data.items() if k not in known},
        variant=variant,
    )


@lru_cache(maxsize=128)
def load_layout(kind: str, province: str = "hunan", year: int = 2023, variant: str = "") -> Layout:
    """The layout of ``kind`` for a province and year (``data/layouts/<province>-<year>/<kind>[-<variant>].toml``)."""
    stem = f"{kind}-{variant}" if variant else kind
    layout_id = f"{province}-{year}/{stem}"
    path = LAYOUTS / f"{province}-{year}" / f"{stem}.toml"
    if not path.is_file():
        known = ", ".join(available_layouts()) or "无"
        raise LayoutError(f"没有版式 {layout_id}（已有：{known}）")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{layout_id}.toml 不是有效的 TOML：{exc}") from exc
    return parse_layout(data, layout_id, f"{layout_id}.toml")


def layout_by_id(layout_id: str) -> Layout:
    """``load_layout`` by id: "hunan-2023/project_targets-list"."""
    folder, _, stem = layout_id.partition("/")
    province, _, year = folder.rpartition("-")
    kind, _, variant = stem.partition("-")
    if not year.isdigit():
        raise LayoutError(f"版式编号须为 <省份>-<年度>/<类型>，而不是 {layout_id}")
    return load_layout(kind, province, int(year), variant)


def layouts_of(kind: str, province: str = "hunan", year: int | None = None) -> list[Layout]:
    """The province's layouts of ``kind`` (every variant) for ``year``, else for the nearest earlier
    year, else the nearest later one (the latest when ``year`` is None). LayoutError when none."""
    found: dict[int, list[Layout]] = {}
    for layout_id in available_layouts():
        folder, _, stem = layout_id.partition("/")
        prov, _, y = folder.rpartition("-")
        if prov == province and stem.partition("-")[0] == kind and y.isdigit():
            found.setdefault(int(y), []).append(layout_by_id(layout_id))
    if not found:
        raise LayoutError(f"没有 {province} 的 {kind} 版式（已有：{', '.join(available_layouts()) or '无'}）")
    years = sorted(found)
    earlier = [y for y in years if year is not None and y <= year]
    chosen = years[-1] if year is None else (earlier[-1] if earlier else years[0])
    return sorted(found[chosen], key=lambda layout: (layout.variant != "", layout.variant))


def layout_for(kind: str, province: str = "hunan", year: int | None = None, style: str | None = None) -> Layout:
    """The layout of ``layouts_of(kind, province, year)`` whose style is ``style`` (the printed
    layout a table was read in: "list" for seed 001), else the plain ``<kind>`` one.
    ``write.targets.target_layout`` also weighs what a table holds."""
    candidates = layouts_of(kind, province, year)
    matching = [layout for layout in candidates if style and layout.style == style]
    return (matching or candidates)[0]


# The kinds whose description another module reads (its own schema), by that module's loader; every
# other kind is a table layout of this module (``layout_by_id``).
LOADERS: dict[str, str] = {
    "disclosure": "jixiao.write.disclosure_layout:load_disclosure_layout",
    "selfeval_table": "jixiao.write.selfeval_layout:load_table_layout",
    "selfeval_report": "jixiao.write.selfeval_layout:load_report_layout",
    "review_opinion": "jixiao.write.review_opinion:load_review_layout",
}
TABLE_LOADER = "jixiao.write.layouts:layout_by_id"


@dataclass(frozen=True, slots=True)
class LayoutFile:
    """One layout description file: its id, kind and variant, and the loader (``module:function``)
    that reads it."""

    id: str
    kind: str
    variant: str
    loader: str

    def load(self) -> Any:
        """The layout as its loader reads it (a ``Layout`` for a table layout)."""
        from importlib import import_module

        module, _, name = self.loader.partition(":")
        function = getattr(import_module(module), name)
        if self.loader == TABLE_LOADER:
            return function(self.id)
        province, _, year = self.id.partition("/")[0].rpartition("-")
        if self.variant:
            return function(province, int(year), self.variant)
        return function(province, int(year))


def layout_files() -> tuple[LayoutFile, ...]:
    """Every layout description under ``data/layouts``, sorted by id, with the loader that reads it."""
    if not LAYOUTS.is_dir():
        return ()
    out = []
    for path in LAYOUTS.glob("*-*/*.toml"):
        kind, _, variant = path.stem.partition("-")
        out.append(LayoutFile(f"{path.parent.name}/{path.stem}", kind, variant, LOADERS.get(kind, TABLE_LOADER)))
    return tuple(sorted(out, key=lambda f: f.id))


def available_layouts() -> tuple[str, ...]:
    """The ids ``layout_by_id`` loads (the table layouts), sorted: ("hunan-2023/department_targets", …).
    The 预算公开, 自评表, 自评报告 and 审核意见书 descriptions have their own loaders: ``layout_files()``."""
    return tuple(f.id for f in layout_files() if f.loader == TABLE_LOADER)
