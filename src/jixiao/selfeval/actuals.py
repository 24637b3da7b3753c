"""Read a filled actuals template back and match its rows to the source document.

Cells are read with openpyxl (cached values, never formulas). Numbers become Decimal at the
boundary (``Decimal(str(round(v, 6)))``; a cell formatted as a percentage, 0.92 shown as 92%,
becomes 92), dates become ``2023-11-30`` text, text is kept as text. Columns are found by their
header, so reordered or extra columns do no harm.

:func:`match_actuals` pairs the rows with the document's indicators and target sets: by key,
else (the source was edited and lines moved) by the printed names, in document order. Rows
that match nothing and indicators without a row are errors: the file belongs to another document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from pathlib import Path

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.source import Location
from jixiao.scoring.numbers import parse_number
from jixiao.selfeval.template import ACTUAL
from jixiao.selfeval.template import ACTUALS_SHEET
from jixiao.selfeval.template import BUDGET
from jixiao.selfeval.template import BUDGET_REASON
from jixiao.selfeval.template import BUDGET_SHEET
from jixiao.selfeval.template import INITIAL
from jixiao.selfeval.template import KEY
from jixiao.selfeval.template import REASON
from jixiao.selfeval.template import SPENT
from jixiao.selfeval.template import SPLITS
from jixiao.selfeval.template import IndicatorEntry
from jixiao.selfeval.template import SetEntry
from jixiao.selfeval.template import indicator_entries
from jixiao.selfeval.template import set_entries
from jixiao.selfeval.template import split_header

Value = Decimal | str | None
_NAME_COLUMNS = ("表格", "单位", "项目")
_INDICATOR_NAMES = (*_NAME_COLUMNS, "一级指标", "二级指标", "三级指标")


@dataclass(frozen=True, slots=True)
class ActualRow:
    """One filled indicator row. ``location``: the 实际完成值 cell."""

    row: int
    key: str
    names: tuple[str, ...]
    value: Value
    reason: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One filled budget row; ``splits``: (source, 全年预算数, 全年执行数) of the 其中 columns."""

    row: int
    key: str
    names: tuple[str, ...]
    initial: Decimal | None
    budget: Decimal | None
    spent: Decimal | None
    splits: tuple[tuple[str, Decimal | None, Decimal | None], ...]
    reason: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Actuals:
    file: str
    rows: tuple[ActualRow, ...] = ()
    budgets: tuple[BudgetRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """Rows by entry key; ``findings``: errors for rows and entries that do not pair up."""

    rows: dict[str, ActualRow] = field(default_factory=dict)
    budgets: dict[str, BudgetRow] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity.value == "error" for f in self.findings)


def cell_value(value: object, number_format: str = "General") -> Value:
    """A cell as Decimal / text / None (percent-formatted numbers as percentage points)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            value = value * 100
        if isinstance(value, int):
            return Decimal(value)
        return Decimal(str(round(value, 6))).normalize() if value != int(value) else Decimal(int(value))
    text = str(value).strip()
    return text or None


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def _amount(value: Value) -> Decimal | None:
    return parse_number(value) if value is not None else None


def read_actuals(path: str | Path, *, name: str | None = None) -> tuple[Actuals | None, list[Finding]]:
    """Read the 实际完成值 and 预算执行 sheets. None and an error finding when unreadable."""
    name = name or Path(path).name

    def fail(reason: str) -> tuple[None, list[Finding]]:
        return None, [make("selfeval-actuals-unreadable", None, file=name, reason=reason)]

    try:
        from openpyxl import load_workbook

        book = load_workbook(str(path), data_only=True, read_only=False)
    except FileNotFoundError:
        return fail("文件不存在")
    except Exception as exc:  # noqa: BLE001 - any reader failure means "not a workbook we can use"
        return fail(f"不是有效的 Excel 工作簿（{type(exc).__name__}）")
    if ACTUALS_SHEET not in book.sheetnames:
        return fail(f"缺少工作表“{ACTUALS_SHEET}”（请使用 jixiao selfeval template 生成的模板）")
    sheet = book[ACTUALS_SHEET]
    table = _table(sheet, (KEY, ACTUAL))
    if table is None:
        return fail(f"工作表“{ACTUALS_SHEET}”中未找到含“{KEY}”和“{ACTUAL}”的表头")
    rows = []
    for r, cells in table:
        names = tuple(_text(cells.get(h, (None, ""))[0]) or "" for h in _INDICATOR_NAMES)
        key = _text(cells[KEY][0]) or ""
        if not key and not any(names):
            continue
        value, coord = cells[ACTUAL][0], cells[ACTUAL][1]
        reason = _text(cells.get(REASON, (None, ""))[0])
        rows.append(
            ActualRow(r, key, _squash(names), value, reason, Location(name, sheet=ACTUALS_SHEET, cell=coord))
        )
    budgets = []
    if BUDGET_SHEET in book.sheetnames:
        bsheet = book[BUDGET_SHEET]
        btable = _table(bsheet, (KEY, SPENT))
        if btable is None:
            return fail(f"工作表“{BUDGET_SHEET}”中未找到含“{KEY}”和“{SPENT}”的表头")
        for r, cells in btable:
            names = tuple(_text(cells.get(h, (None, ""))[0]) or "" for h in _NAME_COLUMNS)
            key = _text(cells[KEY][0]) or ""
            if not key and not any(names):
                continue

            def get(header: str, cells=cells) -> Decimal | None:
                return _amount(cells.get(header, (None, ""))[0])

            splits = tuple(
                (source, get(split_header(source, BUDGET)), get(split_header(source, SPENT)))
                for source in SPLITS
            )
            budgets.append(
                BudgetRow(
                    r,
                    key,
                    _squash(names),
                    get(INITIAL),
                    get(BUDGET),
                    get(SPENT),
                    splits,
                    _text(cells.get(BUDGET_REASON, (None, ""))[0]),
                    Location(name, sheet=BUDGET_SHEET, cell=cells[SPENT][1]),
                )
            )
    return Actuals(name, tuple(rows), tuple(budgets)), []


def _squash(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("".join(n.split()) for n in names)


def _table(sheet, required: tuple[str, ...]):
    """``[(row number, {header: (value, coordinate)})]`` below the first row holding ``required``."""
    header_row, columns = None, {}
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=10), start=1):
        found = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if all(h in found for h in required):
            header_row, columns = r, found
            break
    if header_row is None:
        return None
    out = []
    for r, row in enumerate(sheet.iter_rows(min_row=header_row + 1), start=header_row + 1):
        by_col = {c.column: c for c in row}
        cells = {}
        for header, col in columns.items():
            cell = by_col.get(col)
            if cell is None:
                cells[header] = (None, "")
            else:
                cells[header] = (cell_value(cell.value, cell.number_format), cell.coordinate)
        out.append((r, cells))
    return out


def match_actuals(doc: Document, actuals: Actuals, source: str) -> Match:
    """Pair the rows of ``actuals`` with the indicators and target sets of ``doc``."""
    sets = set_entries(doc)
    indicators = list(indicator_entries(doc, sets))
    rows, found = _pair(indicators, actuals.rows, ACTUALS_SHEET, "绩效指标", source)
    budgets, found_b = _pair(sets, actuals.budgets, BUDGET_SHEET, "项目/单位", source)
    return Match(rows, budgets, tuple(found + found_b))


def _pair(entries, rows, sheet: str, what: str, source: str):
    by_key = {e.key: e for e in entries}
    by_names: dict[tuple[str, ...], list] = {}
    for e in entries:
        by_names.setdefault(e.names, []).append(e)
    paired: dict[str, object] = {}
    findings: list[Finding] = []
    pending = []
    for row in rows:
        if row.key in by_key and row.key not in paired:
            paired[row.key] = row
        else:
            pending.append(row)
    for row in pending:
        # in document order, like the template's rows: the first unpaired entry of that name
        candidates = [e for e in by_names.get(row.names, []) if e.key not in paired]
        if candidates:
            paired[candidates[0].key] = row
            findings.append(
                make(
                    "selfeval-actuals-name-match",
                    row.location,
                    subject=_subject(candidates[0]),
                    sheet=sheet,
                    row=row.row,
                )
            )
            continue
        label = "/".join(n for n in row.names if n) or row.key or "空行"
        findings.append(
            make(
                "selfeval-actuals-unknown-row",
                row.location,
                subject=label,
                sheet=sheet,
                row=row.row,
                label=label,
                file=source,
                what=what,
            )
        )
    for e in entries:
        if e.key not in paired:
            loc = e.indicator.location if isinstance(e, IndicatorEntry) else e.target_set.location
            findings.append(make("selfeval-actuals-row-missing", loc, subject=_subject(e), sheet=sheet))
    return paired, findings


def _subject(entry: IndicatorEntry | SetEntry) -> str:
    return entry.subject if isinstance(entry, IndicatorEntry) else f"{entry.kind_label}/{entry.label}"
