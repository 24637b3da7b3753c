"""Rows of an operational system's export → records: the column mapping of a data source, and
the conversion of one row with its errors (row number and reason).

A *mapping* names the file's columns: the date of the item (``date``, required), the unit it
belongs to (``unit``, required) and any number of named fields, each with a type (文本 text,
数值 number, 是/否 bool, 日期 date). Each field is stored in a typed slot of the record (``t1``…,
``n1``…, ``b1``…, ``d1``…), so that metrics filter and sum in SQL on real columns. Numbers are
kept exactly as integers of 1/10,000 (``NUMBER_SCALE``): sums are exact on every database.

Nothing is dropped silently: a row that cannot be mapped gives an error finding naming the row
and the reason, and the caller refuses the whole import (``services/operational_data.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.source import Location

FIELD_TYPES = {"text": "文本", "number": "数值", "bool": "是/否", "date": "日期"}
SLOTS: dict[str, tuple[str, ...]] = {
    "text": ("t1", "t2", "t3", "t4"),
    "number": ("n1", "n2"),
    "bool": ("b1", "b2", "b3"),
    "date": ("d1", "d2"),
}
NUMBER_SCALE = 4  # numbers are stored as integers of 10^-4
TEXT_LIMIT = 200
DATE_FIELD = "日期"  # the name metrics use for the required date of a record
UNIT_FIELD = "单位"

_TRUE = frozenset({"是", "y", "yes", "1", "true", "√", "✓", "t"})
_FALSE = frozenset({"否", "n", "no", "0", "false", "×", "✗", "f"})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class Field:
    """A named field of a source: the file's column it comes from, its type and its slot."""

    name: str
    column: str
    type: str
    slot: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Mapping:
    """A source's column mapping: the date column, the unit column and the named fields."""

    date_column: str
    unit_column: str
    fields: tuple[Field, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def as_dict(self) -> dict:
        return {"date": self.date_column, "unit": self.unit_column,
                "fields": [{"name": f.name, "column": f.column, "type": f.type, "required": f.required,
                            "slot": f.slot} for f in self.fields]}

    def describe(self) -> list[dict]:
        """The mapping as rows for a page or a console: field, column, type (in Chinese)."""
        rows = [{"field": DATE_FIELD, "column": self.date_column, "type": "日期", "required": True},
                {"field": UNIT_FIELD, "column": self.unit_column, "type": "单位名称或编码", "required": True}]
        return rows + [{"field": f.name, "column": f.column, "type": FIELD_TYPES[f.type], "required": f.required}
                       for f in self.fields]


def _bad(reason: str) -> tuple[None, list[Finding]]:
    return None, [make("opdata-mapping-invalid", None, reason=reason)]


def parse_mapping(data: object, previous: Mapping | None = None) -> tuple[Mapping | None, list[Finding]]:
    """A mapping from its dict form ``{"date": 列, "unit": 列, "fields": [{"name", "column",
    "type", "required", "slot"?}]}``; ``None`` and an error finding per problem when it is not valid.

    A field keeps the slot it names (a stored mapping) or, given the ``previous`` mapping of a
    source that holds records, the slot it had there: records already stored stay readable. A
    field of ``previous`` cannot change its type then, and the slots of its fields are not given
    to new ones (records hold their values)."""
    if not isinstance(data, MappingABC):
        return _bad("应为一个对象：{date, unit, fields}")
    date_column = str(data.get("date") or "").strip()
    unit_column = str(data.get("unit") or "").strip()
    findings = []
    if not date_column:
        findings.append(make("opdata-mapping-invalid", None, reason="缺少日期列（date）"))
    if not unit_column:
        findings.append(make("opdata-mapping-invalid", None, reason="缺少单位列（unit）"))
    raw_fields = data.get("fields") or []
    if isinstance(raw_fields, MappingABC):  # {name: {column, type}} is accepted too
        raw_fields = [{"name": k, **(v if isinstance(v, MappingABC) else {"column": v})} for k, v in raw_fields.items()]
    if not isinstance(raw_fields, list):
        return _bad("fields 应为字段列表")
    old = {f.name: f for f in previous.fields} if previous else {}
    taken = {f.slot for f in old.values()}
    names = {DATE_FIELD, UNIT_FIELD}
    wanted: list[tuple[str, str, str, bool, str | None]] = []
    for i, raw in enumerate(raw_fields, 1):
        if not isinstance(raw, MappingABC):
            findings.append(make("opdata-mapping-invalid", None, reason=f"第 {i} 个字段应为对象"))
            continue
        column = str(raw.get("column") or "").strip()
        name = str(raw.get("name") or column).strip()
        kind = str(raw.get("type") or "text").strip()
        kind = {v: k for k, v in FIELD_TYPES.items()}.get(kind, kind)
        if not column:
            findings.append(make("opdata-mapping-invalid", None, reason=f"字段“{name or i}”缺少列名（column）"))
            continue
        if kind not in FIELD_TYPES:
            findings.append(make("opdata-mapping-invalid", None,
                                 reason=f"字段“{name}”的类型“{kind}”未知（可选：{'、'.join(FIELD_TYPES)}）"))
            continue
        if name in names:
            findings.append(make("opdata-mapping-invalid", None, reason=f"字段名“{name}”重复"))
            continue
        if name in old and old[name].type != kind:
            findings.append(make("opdata-mapping-invalid", None, reason=f"字段“{name}”已有导入的记录，不能由"
                                 f"{FIELD_TYPES[old[name].type]}改为{FIELD_TYPES[kind]}（可另起一个字段名）"))
            continue
        names.add(name)
        slot = old[name].slot if name in old else raw.get("slot") if raw.get("slot") in SLOTS[kind] else None
        wanted.append((name, column, kind, bool(raw.get("required", False)), slot))
    used = {slot for *_, slot in wanted if slot}
    if len(used) < sum(1 for *_, slot in wanted if slot):
        findings.append(make("opdata-mapping-invalid", None, reason="两个字段指定了同一存储位置（slot）"))
    fields = []
    for name, column, kind, required, slot in wanted:
        if slot is None:
            free = [s for s in SLOTS[kind] if s not in used and s not in taken]
            if not free:
                findings.append(make("opdata-mapping-invalid", None,
                                     reason=f"{FIELD_TYPES[kind]}字段最多 {len(SLOTS[kind])} 个（“{name}”超出）"))
                continue
            slot = free[0]
            used.add(slot)
        fields.append(Field(name, column, kind, slot, required))
    if findings:
        return None, findings
    return Mapping(date_column, unit_column, tuple(fields)), []


def parse_day(value: object) -> date | None:
    """A date from a cell: a date/datetime (workbooks) or text 2026-03-05, 2026/3/5, 2026.3.5,
    2026年3月5日, 20260305, each optionally followed by a time; ``None`` when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the common case, ISO: 2026-03-05
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    m = _DATE.match(text) or _DATE8.match(text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_number(value: object) -> int | None:
    """A number as an integer of 10^-4 (``NUMBER_SCALE``), or ``None`` when it is not one or has
    more decimals. Thousands separators and a trailing 元 or % are accepted."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 10**NUMBER_SCALE
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if not _NUMBER.match(text):
        try:  # 1e3 and the like, as a workbook may give
            number = Decimal(text)
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
    else:
        number = Decimal(text)
    scaled = number.scaleb(NUMBER_SCALE)
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def unscale(total: int | None) -> Decimal:
    """A stored (scaled) number or sum back as a Decimal."""
    if not total:
        return Decimal(0)
    value = Decimal(total).scaleb(-NUMBER_SCALE)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(value)  # type: ignore[arg-type]
    return True if str(value).strip().lower() in _TRUE else False if str(value).strip().lower() in _FALSE else None


def cell_text(value: object) -> str:
    """A cell as text: calamine's floats of whole numbers without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


class RowMapper:
    """Converts rows of one file with one mapping. ``units``: every name and code a unit may be
    given by in the file → its organisation id (the source's organisation and those under it)."""

    def __init__(self, mapping: Mapping, units: MappingABC[str, int], *, file: str, scope: str) -> None:
        self.mapping, self.units, self.file, self.scope = mapping, units, file, scope
        self.positions: dict[str, int] = {}

    def is_header(self, cells: list[object]) -> bool:
        """Whether a row names the date and the unit columns (rows above it are titles)."""
        texts = {cell_text(c) for c in cells}
        return self.mapping.date_column in texts and self.mapping.unit_column in texts

    def read_header(self, header: list[object], row: int = 1) -> list[Finding]:
        """Find the mapped columns in the header row; an error per column missing."""
        texts = [cell_text(h) for h in header]
        where = {}
        for i, text in enumerate(texts):
            where.setdefault(text, i)
        missing = []
        columns = [self.mapping.date_column, self.mapping.unit_column, *(f.column for f in self.mapping.fields)]
        for column in columns:
            if column in where:
                self.positions[column] = where[column]
            else:
                missing.append(make("opdata-column-missing", Location(self.file, line=row), file=self.file, column=column,
                                    header="、".join(t for t in texts if t) or "（空）"))
        self.missing_columns = [c for c in columns if c not in where]
        self._converters = self._compile()
        return missing

    def _compile(self) -> list[tuple[str, str, int, bool, Callable]]:
        m = self.mapping
        out = [("day", m.date_column, self.positions.get(m.date_column, -1), True, self._day),
               ("org_id", m.unit_column, self.positions.get(m.unit_column, -1), True, self._unit)]
        kinds = {"text": self._text, "number": self._number, "bool": self._bool, "date": self._day}
        out += [(f.slot, f.column, self.positions.get(f.column, -1), f.required, kinds[f.type]) for f in m.fields]
        return out

    # each converter: (value, row, column) → (stored value, finding or None)
    def _day(self, value, row, column):
        day = parse_day(value)
        return day, None if day else make("opdata-date-invalid", Location(self.file, line=row), row=row,
                                          column=column, value=cell_text(value))

    def _unit(self, value, row, column):
        text = cell_text(value)
        org = self.units.get(text)
        return org, None if org is not None else make("opdata-unit-unknown", Location(self.file, line=row), row=row,
                                                      value=text, scope=self.scope)

    def _text(self, value, row, column):
        text = cell_text(value)
        return text, None if len(text) <= TEXT_LIMIT else make(
            "opdata-text-too-long", Location(self.file, line=row), row=row, column=column, limit=TEXT_LIMIT)

    def _number(self, value, row, column):
        number = parse_number(value)
        return number, None if number is not None else make(
            "opdata-number-invalid", Location(self.file, line=row), row=row, column=column, value=cell_text(value),
            decimals=NUMBER_SCALE)

    def _bool(self, value, row, column):
        flag = parse_bool(value)
        return flag, None if flag is not None else make(
            "opdata-bool-invalid", Location(self.file, line=row), row=row, column=column, value=cell_text(value))

    def row_maker(self, layout: tuple[str, ...], constants: MappingABC[str, object]
                  ) -> Callable[[list[object], int], tuple | None]:
        """A function (cells, row) → the record as a tuple of ``layout`` (column names: the slots,
        ``day``, ``org_id``, ``line``, the rest taken from ``constants``), or ``None`` when the row
        cannot be mapped (``convert`` then gives the reasons). The same values as ``convert``,
        without building findings: the import's fast path (a million rows). Text cells (CSV) are
        parsed once per distinct value (dates, 是/否, numbers repeat)."""
        template = [constants.get(name) for name in layout]
        at_line = layout.index("line")
        kinds = {"day": _cached(parse_day), "org_id": self._unit_id, "text": _text_or_none,
                 "number": _cached(parse_number), "bool": _cached(parse_bool), "date": _cached(parse_day)}
        types = {f.slot: f.type for f in self.mapping.fields}
        steps = tuple((layout.index(slot), pos, required, kinds[types.get(slot, slot)])
                      for slot, _column, pos, required, _convert in self._converters)

        def make_row(cells: list[object], row: int) -> tuple | None:
            out = template.copy()
            out[at_line] = row
            n = len(cells)
            for index, pos, required, convert in steps:
                value = cells[pos] if pos < n else None
                if value.__class__ is str:
                    value = value.strip()
                if value is None or value == "":
                    if required:
                        return None
                    continue
                stored = convert(value)
                if stored is None:
                    return None
                out[index] = stored
            return tuple(out)

        return make_row

    def _unit_id(self, value: object) -> int | None:
        return self.units.get(value if value.__class__ is str else cell_text(value))

    def convert(self, cells: list[object], row: int) -> tuple[dict | None, list[Finding]]:
        """One data row (``row``: its number in the file, the header being row 1 when it is the
        first line) → the record's slots, or ``None`` and the reasons it cannot be mapped."""
        record: dict = {"line": row}
        errors: list[Finding] = []
        n = len(cells)
        for slot, column, pos, required, convert in self._converters:
            if pos >= n:
                value = None
            else:
                value = cells[pos]
                if isinstance(value, str):
                    value = value.strip()
            if value is None or value == "":
                if required:
                    errors.append(make("opdata-value-missing", Location(self.file, line=row), row=row, column=column))
                record[slot] = None
                continue
            stored, error = convert(value, row, column)
            if error is not None:
                errors.append(error)
            record[slot] = stored
        return (None, errors) if errors else (record, [])


def _text_or_none(value: object) -> str | None:
    text = value if value.__class__ is str else cell_text(value)  # a str cell comes stripped
    return text if len(text) <= TEXT_LIMIT else None


def _cached(parse: Callable[[object], object], limit: int = 1 << 16) -> Callable[[object], object]:
    """``parse`` remembering its result for up to ``limit`` distinct text values (only text: a
    cell's True, 1 and 1.0 are equal as keys but not as values)."""
    cache: dict[str, object] = {}

    def cached(value: object) -> object:
        if value.__class__ is not str:
            return parse(value)
        try:
            return cache[value]
        except KeyError:
            result = parse(value)
            if len(cache) < limit:
                cache[value] = result
            return result

    return cached


def slot_columns() -> tuple[str, ...]:
    """Every slot of a record, in the order of the table."""
    return tuple(s for kind in ("text", "number", "bool", "date") for s in SLOTS[kind])
