"""The 预算公开 layout descriptions (``data/layouts/<province>-<year>/disclosure.toml``), loaded and checked.

One file per province and year describes the whole package: title lines, page setup of the 说明 and of
the tables, fonts, wording (部门名称 / 单位 lines, the 空表 statement, the mark of a place to fill), every
table (kind, title, note, columns with their widths, the header as a grid of labels with ``<`` / ``^``
for the slots a merge covers, how two-sided rows are numbered), the 说明's outline (section headings and
what fills each) and the 名词解释. Adding a province's variant is adding such a file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from importlib import resources

from jixiao.model.money import Unit
from jixiao.write.layout import Font
from jixiao.write.layout import Fonts
from jixiao.write.layout import Page

KIND = "disclosure"
LEFT, UP = "<", "^"  # header slots covered by the merge on the left / above
TARGET_KINDS = ("project_targets", "department_targets")
# the 说明 contents write/disclosure_text.py knows
CONTENTS = ("overview", "units", "totals", "general_budget", "gov_fund", "other_matters", "glossary", "functions",
            "institutions", "budget_notes", "tables", "other_notes", "projects")
_CODE_KEYS = ("cat", "kuan", "xiang", "code")


@dataclass(frozen=True, slots=True)
class TableLayout:
    kind: str
    name: str  # 部门收支总表 (the table's name in the set)
    title: str  # "{year}年部门收支总体情况表"
    columns: tuple[tuple[str, Decimal], ...] = ()  # (key, width); two-sided keys are "income:name" …
    header: tuple[tuple[str, ...], ...] = ()
    note: str = ""
    empty_in_note: bool = False  # the note already says what an empty table means
    empty_what: str = ""  # Shanghai: what the department has none of (政府性基金预算财政拨款)
    unit: Unit | None = None  # None: the package's unit
    numbering: dict[str, object] = field(default_factory=dict)  # two-sided: top / sub ordinals, top_rows / sub_rows
    target_layouts: tuple[str, ...] = ()  # target tables: write.layouts stems to use, the first that exists

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.columns)

    @property
    def two_sided(self) -> bool:
        return any(":" in k for k in self.keys)

    @property
    def coded(self) -> bool:
        return any(k in _CODE_KEYS for k in self.keys)


@dataclass(frozen=True, slots=True)
class DisclosureLayout:
    layout_id: str  # hunan-2023/disclosure
    province: str
    year: int
    title: str
    subtitle: str
    unit: Unit
    kuan_code: str  # "kuan" | "cat_kuan"
    total_row: str  # "first" | "last"
    column_numbers: bool
    page: Page
    table_page: Page
    fonts: Fonts
    wording: dict[str, str]
    tables: tuple[TableLayout, ...]
    sections: tuple[tuple[str, str], ...]  # (heading, content)
    explain: dict[str, str]  # glossary_item, compare, flat
    glossary: tuple[tuple[str, str], ...] = ()
    purposes: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)  # toc_note, explain_part, tables_part
    section_breaks: bool = False  # each 说明 section on a page of its own (Shanghai)

    def table(self, kind: str) -> TableLayout | None:
        return next((t for t in self.tables if t.kind == kind), None)


def _font(spec: dict) -> Font:
    return Font(spec["name"], Decimal(str(spec["size"])), bool(spec.get("bold", False)), spec.get("latin"))


def _page(spec: dict) -> Page:
    return Page(size=spec.get("size", "A4"), orientation=spec.get("orientation", "portrait"),
                margins_mm=tuple(Decimal(str(m)) for m in spec.get("margins_mm", (25, 20, 25, 20))))


def _table(spec: dict, where: str) -> TableLayout:
    columns = tuple((c["key"], Decimal(str(c["width"]))) for c in spec.get("columns", ()))
    header = tuple(tuple(row) for row in spec.get("header", ()))
    kind = spec["kind"]
    if kind not in TARGET_KINDS:
        if not columns or not header:
            raise ValueError(f"{where}: table {kind} needs columns and a header")
        bad = [i + 1 for i, row in enumerate(header) if len(row) != len(columns)]
        if bad:
            raise ValueError(f"{where}: table {kind}: header rows {bad} do not have {len(columns)} cells")
        if header[0][0] in (LEFT, UP) or any(row[0] == LEFT for row in header):
            raise ValueError(f"{where}: table {kind}: a header row starts with a covered slot")
    unit = spec.get("unit")
    return TableLayout(
        kind=kind, name=spec["name"], title=spec["title"], columns=columns, header=header, note=spec.get("note", ""),
        empty_in_note=bool(spec.get("empty_in_note", False)), empty_what=spec.get("empty_what", ""),
        unit=Unit(unit) if unit else None, numbering=dict(spec.get("numbering", {})),
        target_layouts=tuple(spec.get("target_layouts", ())),
    )


def _read(layout_id: str) -> dict:
    text = resources.files("jixiao").joinpath(f"data/layouts/{layout_id}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_disclosure_layout(province: str = "hunan", year: int = 2023, variant: str = "") -> DisclosureLayout:
    """The 预算公开 layout of ``province``-``year`` (``hunan``-2023, ``shanghai``-2025), checked; ``variant``
    names another file of the same folder (``shanghai``-2025 ``unit``: the 单位预算), which may say
    ``base = "disclosure"`` and give only what differs (``merged``)."""
    stem = f"{KIND}-{variant}" if variant else KIND
    layout_id = f"{province}-{year}/{stem}"
    data = _read(layout_id)
    if "base" in data:
        data = merged(_read(f"{province}-{year}/{data['base']}"), data)
    return parse_layout(data, layout_id)


def merged(base: dict, variant: dict) -> dict:
    """A variant over its base: its keys replace the base's, its tables (``[page]``, ``[wording]`` …) are
    merged key by key, its ``[[tables]]`` entries are merged into the base's entry of the same kind, and
    its ``[[glossary]]`` replaces the base's."""
    out = dict(base)
    for key, value in variant.items():
        if key == "base":
            continue
        if key == "tables":
            by_kind = {t["kind"]: t for t in value}
            out["tables"] = [{**t, **by_kind.get(t["kind"], {})} for t in base.get("tables", ())]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = {**base[key], **value}
        else:
            out[key] = value
    return out


def parse_layout(data: dict, layout_id: str) -> DisclosureLayout:
    explain = dict(data.get("explain", {}))
    sections = tuple((s["heading"], s["content"]) for s in explain.pop("sections", ()))
    unknown = [c for _, c in sections if c not in CONTENTS]
    if unknown:
        raise ValueError(f"{layout_id}: unknown 说明 contents {unknown} (known: {CONTENTS})")
    return DisclosureLayout(
        layout_id=layout_id, province=data["province"], year=int(data["year"]), title=data["title"],
        subtitle=data.get("subtitle", ""), unit=Unit(data.get("unit", "万元")), kuan_code=data.get("kuan_code", "kuan"),
        total_row=data.get("total_row", "first"), column_numbers=bool(data.get("column_numbers", False)),
        page=_page(data.get("page", {})), table_page=_page(data.get("table_page", data.get("page", {}))),
        fonts=Fonts(**{name: _font(spec) for name, spec in data.get("fonts", {}).items()}),
        wording=dict(data.get("wording", {})), tables=tuple(_table(t, layout_id) for t in data["tables"]),
        sections=sections, explain=explain,
        glossary=tuple((g["term"], g["text"]) for g in data.get("glossary", ())),
        purposes=dict(data.get("purposes", {})),
        parts={k: data[k] for k in ("toc_note", "explain_part", "tables_part") if k in data},
        section_breaks=bool(data.get("section_breaks", False)),
    )
