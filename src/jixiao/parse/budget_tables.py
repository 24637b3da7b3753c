"""Budget disclosure tables (部门预算公开 tables 1–8) and the 专项资金绩效目标汇总表 → BudgetTable.

``parse_budget_table(kind, pages)`` stitches the pages of one table (each repeats the title,
部门名称, 单位 and the header rows), skips repeated headers, ``** ** 1 2 3`` column-number rows,
notes (注：…), footers and blank rows, and keeps every data row with its Location. A row that
cannot be placed is reported (``budget-row-unplaced``), never dropped silently.

Row keys (rules are written against them; ``BudgetRow.value(key)``; ``total`` is ``row.total``):

* Coded tables — ``code`` digits only, joined from 类/款/项 (``201``/``03``/``01`` → ``2010301``;
  a 款-only row under 类 201 → ``20103``); the ``0 0 0`` row of an empty table keeps ``000``;
  the 合计 row has code None and name ``合计``.
* ``budget_overview`` / ``fiscal_overview`` — two-sided: each printed row gives an
  ``side="income"`` and/or ``side="expenditure"`` row; name without ``一、``/``1、`` and spaces
  (``本年收入合计``, ``收入总计``, ``上年结转``, ``基本支出``); empty-valued rows are kept
  (total None). ``total`` = 本年预算 / 金额 / 合计. fiscal_overview expenditure rows also carry
  ``general_budget``, ``gov_fund``, ``state_capital``.
* ``revenue`` — total (合计), ``fiscal`` (本级财政拨款 金额), ``fiscal_funding`` (其中：经费拨款),
  ``special_account`` (财政专户管理事业收入), ``operating`` (事业单位经营服务收入), ``superior``
  (上级补助收入), ``other`` (其它收入), ``business`` (事业收入), ``carryover`` (上年结转).
* ``expenditure`` — total, ``basic``, ``project``, ``operating`` (事业单位经营支出), ``subsidiary``
  (对附属单位补助支出), ``remit`` (上缴上级支出).
* ``general_budget_expenditure`` / ``gov_fund_expenditure`` — total, ``basic``, ``project``.
* ``basic_expenditure`` — economic code (3 or 5 digits), total, ``personnel`` (人员类), ``public`` (公用经费).
* ``three_public`` — name = unit name or 合计; total (小计), ``reception`` (公务接待费), ``abroad``
  (因公出国（境）费), ``vehicle`` (公务用车购置及运行费), ``vehicle_purchase``, ``vehicle_operation``;
  Shanghai: ``running_costs`` (机关运行经费预算数), and no name column: its one row has name ``""``.
* Shanghai 九张表 (see ``budget_layout``): ``state_capital_expenditure`` (国有资本经营预算支出功能分类
  预算表) as ``gov_fund_expenditure``; ``revenue`` 财政拨款收入 → ``fiscal``; the 单位预算's
  ``budget_overview`` expenditure rows carry ``personnel`` (人员经费), ``public`` (公用经费) and
  ``project``; ``basic_expenditure`` codes joined from 类/款 cells (``301`` + ``01`` → ``30101``).
* ``special_fund_summary`` — name, total (金额), ``number`` (序号 as printed: 一, 1; None for 合计),
  ``period_goal``, ``annual_goal`` (text).

Amounts are Decimals as printed (``5,073.08`` → 5073.08) in the table's unit (元 / 万元, from
the page). ``columns`` lists the value keys (``total`` included) in printed order; ``values``
holds every value key but ``total``, None for a blank cell. ``empty_statement`` is the clause of
a note saying an empty table means no such spending (空表 / 此表如无数字 / 本部门无).

A merged cell exported with its text repeated in every slot it covers (``合计 | 合计 | 合计 |
合计`` over 类/款/项/名称) is read once, in the name column (or the first slot). The table's org
also comes from ``编制部门：…`` / ``编制单位：…``. Text after the table that reads as the next part
of the document (a heading such as ``其他相关情况说明`` or ``一、…``, and every line after it) is
not the table's: it is reported once (``budget-row-unplaced``, with the number of lines), not line
by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.money import D
from jixiao.model.source import Location
from jixiao.parse.budget_codes import digits
from jixiao.parse.budget_codes import economic_code
from jixiao.parse.budget_codes import is_placeholder
from jixiao.parse.budget_codes import join_code
from jixiao.parse.budget_codes import split_name_code
from jixiao.parse.budget_layout import CODE_KEYS
from jixiao.parse.budget_layout import DASHES
from jixiao.parse.budget_layout import STRUCT_KEYS
from jixiao.parse.budget_layout import TEXT_KEYS
from jixiao.parse.budget_layout import Column
from jixiao.parse.budget_layout import fit
from jixiao.parse.budget_layout import header_match
from jixiao.parse.budget_layout import is_column_number_row
from jixiao.parse.budget_layout import layout_from_header
from jixiao.parse.budget_layout import layout_ok
from jixiao.parse.budget_repair import repair
from jixiao.parse.final_layout import spec_for
from jixiao.parse.final_layout import unpair
from jixiao.parse.merged import spans
from jixiao.parse.segment import Segment
from jixiao.parse.text import norm
from jixiao.parse.text import org_of
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import Row

TOTAL_NAMES = ("合计", "总计", "共计")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）])\s*")
_NOTE = re.compile(r"^(注|说明|备注)\s*\d*\s*[：:]")
_NOTHING = re.compile(r"^(无|暂无|空|/|／|\\|-|－|—|——|–)$")  # a cell that says "nothing here"
_EMPTY = re.compile(r"空表|如无数字|无数据|本(部门|单位)(无|没有|未)")
_FOOTER = re.compile(r"^(填表人|联系电话|填报日期|单位负责人|审核人|制表人|附件\s*\d|附表\s*\d)")
# a page's number in its footer (``第 5 页 共 14 页``, ``- 5 -``, ``5/14``): not the table's
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–\s]*$")
_UNIT = re.compile(r"单位[：:](万元|元)")
_COMPILER = re.compile(r"^编制(?:部门|单位)[：:](.+?)(?:(?:金额)?单位[：:].*)?$")
_COMPILER_LABEL = re.compile(r"^编制(?:部门|单位)[：:]")  # also left blank, in a template
# A template's "more rows here" line: every cell an ellipsis (``… | …``); it holds no row.
_ELLIPSIS = re.compile(r"^(…+|\.{3,}|。{3,})$")
_BLANK_ITEM = re.compile(r"^([一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）])?(…+|\.{3,})?$")
# A paragraph that starts the next part of the document (Shanghai: 其他相关情况说明, 一、…).
_PART_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)|(情况说明|编制说明|主要职能|机构设置|名词解释)$"
)
_PART_END = re.compile(r"(情况说明|编制说明|主要职能|机构设置|名词解释)$")
_EXPENDITURE_NAME = re.compile(r"支出|结转下年|结余分配|年末结转")
_INCOME_NAME = re.compile(r"收入|上年结转|上年结余")


def parse_budget_table(kind: str, pages: list[Segment]) -> tuple[BudgetTable, list[Finding]]:
    """Stitch the pages of one budget table and read its rows.

    Args:
        kind: one of ``jixiao.model.document.BUDGET_KINDS``.
        pages: consecutive segments of that table, in document order.

    Returns:
        (the table, findings about rows that could not be read as printed).
    """
    pages = unpair(kind, pages)  # 决算 基本支出表: 人员经费 | 公用经费 side by side → one list
    builder = _Builder(kind, pages[0])
    for page in pages:
        builder.read_page(page)
    table = builder.table(pages)
    return table, sorted(builder.findings, key=Finding.sort_key)  # an unread code is reported late (with its rows)


class _Builder:
    def __init__(self, kind: str, first: Segment):
        self.kind = kind
        self.spec = spec_for(kind, first.title)
        self.first = first
        self.subject = first.title
        self.columns: list[Column] | None = None
        self.rows: list[BudgetRow] = []
        self.findings: list[Finding] = []
        self.empty_statement: str | None = None
        self.last_code: str | None = None
        self.org: str | None = None  # from 编制部门：…
        self.trailing: list[tuple[str, Location]] = []  # text after the table (the document's next part)
        self.pending: _Unread | None = None  # a code cell not read: reported once, with the rows under it
        self.malformed: list[str] = []  # keys of the current row whose cell could not be read
        self.ellipsis_rows = 0  # ``… | …`` rows of a template (they stand for rows to be filled in)
        self.base_col: int | None = None  # the sheet column of the table's first cell (a workbook's rows)

    # ------------------------------------------------------------ pages and lines

    def read_page(self, page: Segment) -> None:
        if page is not self.first and page.unit != self.first.unit:
            self.findings.append(
                make("budget-unit-conflict", page.location, subject=self.subject,
                     expected=self.first.unit.value, actual=page.unit.value)
            )
        header: list[list[str]] = []
        seen_data = False
        for line in page.lines:
            if isinstance(line, Paragraph) and (header or self.columns) and self._is_row_label(line, page):
                if header:  # the header is complete: its columns place the label (合计 in the name column)
                    self._set_layout(header, line.location)
                    header = []
                line = _one_cell_row(line, self.columns, self.base_col)  # only its label filled (a blank template's)
            elif self.base_col is None and isinstance(line, Row) and line.location.sheet is not None:
                self.base_col = _column_of(line.cells[0].location.cell) if line.cells else None
            if self.trailing or (isinstance(line, Paragraph) and self._starts_next_part(line.text)):
                text = line.text if isinstance(line, Paragraph) else " | ".join(line.filled)
                if text:
                    self.trailing.append((text, line.location))
                continue
            if isinstance(line, Paragraph):
                self._text(line.text, line.location)
                continue
            if line.is_blank():
                continue
            filled = line.filled
            if self._skip(filled, line):
                continue
            if is_column_number_row(line.texts):
                continue
            if self._is_header(line.texts, seen_data):
                header.append(line.texts)
                continue
            if header:
                self._set_layout(header, line.location)
                header = []
            seen_data = True
            self._data(line)
        if header:  # a page of headers only (an empty table): its columns still count
            self._set_layout(header, page.location)

    def _skip(self, filled: list[str], line: Row) -> bool:
        """Meta, note and footer rows (a cell-per-line export gives them as rows)."""
        first = filled[0]
        if all(org_of(t) is not None or _UNIT.search(norm(t)) or "盖章" in t or _COMPILER_LABEL.match(norm(t))
               for t in filled):
            self._text(" ".join(dict.fromkeys(filled)), line.location)  # 编制部门：X is the table's org
            return True
        if all(_ELLIPSIS.match(norm(t)) for t in filled):
            self.ellipsis_rows += 1
            return True
        if _NOTE.match(norm(first)) or _FOOTER.match(norm(first)) or (len(filled) == 1 and _EMPTY.search(first)):
            self._text(" ".join(filled), line.location)
            return True
        return False

    def _is_row_label(self, para: Paragraph, page: Segment) -> bool:
        """A paragraph of the table's own sheet that is a row's label: a 合计 row or an item of the
        table (``3. 国有资本经营预算``, ``二、事业收入``) whose amount cells are blank. The sheet reader
        gives a row with one filled cell as a paragraph; on a page, such a line stays a row."""
        if para.location.sheet is None or para.location.sheet != page.location.sheet:
            return False
        label = norm(para.text)
        if len(label) > 40 or _NOTE.match(label) or _FOOTER.match(label) or _EMPTY.search(label):
            return False
        if _PART_END.search(label):
            return False
        if label in TOTAL_NAMES or _ELLIPSIS.match(label):
            return True
        return bool(_ORDINAL.match(label)) and not re.search(r"[。；;]", label)

    def _starts_next_part(self, text: str) -> bool:
        """A heading after the table's rows: the document goes on with its next part."""
        label = norm(text)
        if not (self.rows or self.columns) or len(label) > 40 or _NOTE.match(label):
            return False
        return bool(_PART_HEADING.search(label))

    def _text(self, text: str, location: Location) -> None:
        label = norm(text)
        if _PAGE_NUMBER.match(text):
            return
        if _NOTHING.match(label):  # ``无`` alone on a line of an empty table
            self.findings.append(make("budget-placeholder-row", location, subject=self.subject, text=text))
            return
        if self.org is None and (m := _COMPILER.match(label)):
            self.org = m.group(1).strip("：: ") or None
        if org_of(text) is not None or _UNIT.search(label) or _FOOTER.match(label) or _COMPILER.match(label):
            return
        if _NOTE.match(label) or _EMPTY.search(label):
            if self.empty_statement is None and (clause := _empty_clause(text)):
                self.empty_statement = clause
            return
        self.findings.append(
            make("budget-row-unplaced", location, subject=self.subject, reason="表格中的文字段落", text=text)
        )

    def _is_header(self, texts: list[str], seen_data: bool) -> bool:
        if {norm(t) for t in texts if t.strip()} <= set(TOTAL_NAMES):
            return False  # a 合计 row (its label merged over the code cells, exported repeated)
        known, filled = header_match(texts, self.spec)
        if filled >= 2 and (known == filled or (not seen_data and known >= 2 and known * 2 >= filled)):
            return True
        only = [norm(t) for t in texts if t.strip()]
        return not seen_data and filled == 1 == known and only[0] not in TOTAL_NAMES

    def _set_layout(self, header: list[list[str]], location: Location) -> None:
        if self.columns is not None:
            return
        columns, unknown = layout_from_header(header, self.spec)
        for label in unknown:
            self.findings.append(make("header-unrecognised", location, subject=self.subject, text=label))
        if layout_ok(columns, self.spec):
            self.columns = columns
        else:
            self._canonical(location)

    def _canonical(self, location: Location) -> None:
        self.columns = list(self.spec.canonical)
        names = "、".join(c.key or "" for c in self.columns)
        self.findings.append(make("budget-header-missing", location, subject=self.subject, columns=names))

    # ------------------------------------------------------------ data rows

    def _data(self, line: Row) -> None:
        if all(_NOTHING.match(norm(t)) for t in line.filled):  # ``无 | 无 | 无`` / ``/``: no data, not a row
            self.findings.append(make("budget-placeholder-row", line.location, subject=self.subject,
                                      text=" | ".join(dict.fromkeys(line.filled))))
            return
        if self.columns is None:
            self._canonical(line.location)
        columns = self.columns or []
        texts = _unspan(line.texts, columns, spans(line))
        shown = " | ".join(line.filled)
        aligned, how = fit(texts, columns, self._accept, self.spec.coded is not None)
        if aligned is None and len(line.filled) == 1:
            self._text(line.filled[0], line.location)  # a row of one text that fits no column: text in the table
            return
        if aligned is None:
            self.findings.append(
                make("budget-row-unplaced", line.location, subject=self.subject, reason="单元格与表头各列对不上", text=shown)
            )
            return
        if how.startswith("ambiguous"):
            self.findings.append(make("row-ambiguous", line.location, subject=self.subject, detail=_how(how)))
        elif how and how != "lenient":
            self.findings.append(make("row-realigned", line.location, subject=self.subject, detail=_how(how)))
        cells = dict(enumerate(aligned))
        for i, c in enumerate(columns):
            if c.key is None and cells.get(i):
                self.findings.append(make("cell-unplaced", line.location.with_column(i + 1), subject=self.subject, text=cells[i]))
        if self.spec.two_sided:
            self._two_sided(line, aligned, short=len(texts) < len(columns))
        else:
            self._one_sided(line, aligned)

    def _accept(self, cells: list[str], strict: bool) -> bool:
        """Is this alignment a data row of the table? (strict: its code must be valid too)."""
        row = self._by_key(cells)
        amounts = [t for k, t in row.items() if k not in STRUCT_KEYS and k not in TEXT_KEYS and k not in ("number", "line_no") and t]
        if self.spec.two_sided:
            return any(cells)
        if self.spec.coded is None:
            return bool(row.get("name") or amounts or row.get("number"))
        parts = [row.get(k, "") for k in CODE_KEYS]
        code = self._code(parts, row.get("name", ""))[0]
        if strict and any(parts) and code is None and not is_placeholder(parts):
            return False
        return bool(any(parts) or amounts or code or norm(row.get("name", "")) in TOTAL_NAMES)

    def _by_key(self, cells: list[str], side: str | None = None) -> dict[str, str]:
        out: dict[str, str] = {}
        for c, t in zip(self.columns or [], cells):
            if c.key and c.side == side and c.key not in out:
                out[c.key] = t
        return out

    def _code(self, parts: list[str], name: str) -> tuple[str | None, str]:
        """(code, name) of a coded row; the name may carry the code (``2010301 行政运行``)."""
        economic = self.spec.coded == "economic"
        if not any(parts):
            code, rest = split_name_code(name, economic)
            return code, rest
        if is_placeholder(parts):
            return "".join(digits(p) or "" for p in parts), name
        if economic:
            return economic_code("".join(parts)), name
        lei, kuan, xiang, whole = parts
        if whole:
            return join_code(whole, context=self.last_code), name
        return join_code(lei, kuan, xiang, context=self.last_code), name

    def _amount(self, text: str, location: Location, key: str) -> Decimal | None:
        if not text or text in DASHES:
            return None
        value = D(text)
        if value is None:
            self.findings.append(make("amount-unparsed", location, subject=self.subject, field=key, text=text))
            self.malformed.append(key)
        return value

    def _values(self, row: dict[str, str], keys: list[str], location: Location) -> tuple[tuple[str, Decimal | str | None], ...]:
        out: list[tuple[str, Decimal | str | None]] = []
        for key in keys:
            text = row.get(key, "")
            if key in TEXT_KEYS or key in ("number", "line_no"):
                out.append((key, text or None))
            else:
                out.append((key, self._amount(text, location, key)))
        return tuple(out)

    def _one_sided(self, line: Row, cells: list[str]) -> None:
        row = self._by_key(cells)
        name = row.get("name", "")
        code: str | None = None
        shown = " | ".join(line.filled)
        self.malformed = []
        if self.spec.coded:
            parts = [row.get(k, "") for k in CODE_KEYS]
            code, name = self._code(parts, name)
            if code is None and any(parts):
                code = self._unread_code(parts, name, line.location)
            elif code:
                self._flush()
            if code and set(code) == {"0"}:
                self.findings.append(make("budget-placeholder-row", line.location, subject=self.subject, text=shown))
            elif code:
                self.last_code = code
        if norm(name) in TOTAL_NAMES:
            name = "合计"
        keys = [k for k in self.value_keys() if k != "total"]
        total = self._amount(row.get("total", ""), line.location, "total")
        values = self._values(row, keys, line.location)
        labelled = any(c.key in STRUCT_KEYS for c in self.columns or [])  # the Shanghai 三公 table has no name column
        if labelled and code is None and not name and (total is not None or any(isinstance(v, Decimal) for _, v in values)):
            self.findings.append(make("budget-label-missing", line.location, subject=self.subject, text=shown))
        self.rows.append(BudgetRow(name, line.location, code, total, values, malformed=tuple(self.malformed)))

    def _unread_code(self, parts: list[str], name: str, location: Location) -> str | None:
        """A code cell that is no valid code as printed: read it from the row when the row says
        which code it is (``budget_repair``: one finding), else report it once — together with
        the rows under it that omit their parents and so cannot be placed either."""
        economic = self.spec.coded == "economic"
        what = "经济分类科目编码（3 或 5 位）" if economic else "功能分类科目编码（类 3 位、款 5 位、项 7 位）"
        printed = " ".join(p for p in parts if p)
        cells = (parts[0], parts[1], parts[3]) if economic else tuple(parts)
        repaired = repair(cells, norm(name), economic, self.last_code, self.first.year)
        if repaired:
            self._flush()
            code, how = repaired
            self.findings.append(make("budget-code-repaired", location, subject=self.subject, text=printed, what=what,
                                      how=how, item_code=code))
            return code
        self.malformed.append("code")
        if self.pending and not economic and _parentless(parts):
            self.pending.orphans += 1  # under the unread row above: the same cause
            return None
        self._flush()
        self.pending = _Unread(location, printed, what)
        if not economic:  # a row under it cannot take its parents from a code read before it
            level = max(i for i, p in enumerate(parts[:3]) if p) if any(parts[:3]) else 0
            self.last_code = (self.last_code or "")[: (0, 3, 5)[level]] or None
        return None

    def _flush(self) -> None:
        if self.pending is None:
            return
        p, self.pending = self.pending, None
        more = f"（其下 {p.orphans} 行未印上级编码，一并按无编码读取）" if p.orphans else ""
        self.findings.append(make("budget-code-invalid", p.location, subject=self.subject, text=p.text, what=p.what,
                                  more=more))

    def _two_sided(self, line: Row, cells: list[str], short: bool) -> None:
        halves = {side: self._by_key(cells, side) for side in ("income", "expenditure")}
        left, right = halves["income"], halves["expenditure"]
        name = left.get("name", "")
        movable = short and name and right and not any(right.values())
        if movable and _EXPENDITURE_NAME.search(name) and not _INCOME_NAME.search(name):
            halves = {"income": {}, "expenditure": {**dict.fromkeys(right, ""), **left}}
            self.findings.append(make("row-realigned", line.location, subject=self.subject, detail="按项目名称移入支出栏"))
        for side, row in halves.items():
            if not any(row.values()):
                continue
            if not any(v for k, v in row.items() if k != "name") and _BLANK_ITEM.match(norm(row.get("name", ""))):
                self.ellipsis_rows += 1  # a template's numbered blank item (``三、``, ``二、…``)
                continue
            first = next((i for i, c in enumerate(self.columns or []) if c.side == side), 0)
            location = line.location.with_column(first + 1)
            keys = [c.key for c in self.columns or [] if c.side == side and c.key and c.key not in ("name", "total")]
            name = _ORDINAL.sub("", re.sub(r"\s+", "", row.get("name", "")))
            total = self._amount(row.get("total", ""), location, "total")
            if not name:
                self.findings.append(make("budget-label-missing", location, subject=self.subject, text=" | ".join(line.filled)))
            self.rows.append(BudgetRow(name, location, None, total, self._values(row, keys, location), side))

    # ------------------------------------------------------------ result

    def value_keys(self) -> list[str]:
        out: list[str] = []
        for c in self.columns or self.spec.canonical:
            if c.key and c.key not in STRUCT_KEYS and c.key not in out:
                out.append(c.key)
        return out

    def table(self, pages: list[Segment]) -> BudgetTable:
        first = self.first
        org = first.org or next((p.org for p in pages if p.org), None) or self.org
        self._flush()
        if self.trailing:
            text, location = self.trailing[0]
            reason = f"表格之后的正文，共 {len(self.trailing)} 行，未作为说明读取"
            self.findings.append(make("budget-row-unplaced", location, subject=self.subject, reason=reason, text=text))
        return BudgetTable(
            kind=self.kind,
            title=first.title,
            location=first.location,
            year=first.year,
            org=org,
            unit=first.unit,
            columns=tuple(self.value_keys()),
            rows=tuple(self.rows),
            empty_statement=self.empty_statement,
        )


def _column_of(cell: str | None) -> int | None:
    """``"C11"`` → 2 (0-based), None without a cell reference."""
    letters = re.match(r"[A-Z]+", cell or "")
    if not letters:
        return None
    column = 0
    for ch in letters.group():
        column = column * 26 + ord(ch) - 64
    return column - 1


def _one_cell_row(para: Paragraph, columns: list[Column] | None, base: int | None) -> Row:
    """A paragraph as the row it was printed in: its text in its column of the table (``cell="A11"``
    of a sheet, counted from the table's first column); 合计 (merged over the code cells) in the
    name column."""
    at = _column_of(para.location.cell)
    column = max(at - (base or 0), 0) if at is not None else 0
    names = [i for i, c in enumerate(columns or []) if c.key == "name"]
    if norm(para.text) in TOTAL_NAMES and names and column < names[0]:
        column = names[0]
    return Row.of_texts([""] * column + [para.text], para.location)


@dataclass
class _Unread:
    location: Location
    text: str
    what: str
    orphans: int = 0


def _parentless(parts: list[str]) -> bool:
    """A functional row whose own cells are a well-formed 款/项 that omits its parents."""
    lei, kuan, xiang, whole = parts
    return not lei and not whole and bool(kuan or xiang) and join_code("", kuan, xiang, context="9999999") is not None


def _unspan(texts: list[str], columns: list[Column], merged: dict[int, int] | None = None) -> list[str]:
    """A label repeated over adjacent cells (a merged cell exported in every slot), or printed
    once in a cell merged across columns (``merged``: first slot → last), read once: in the name
    column when the run covers it, else in its first cell. Numbers and free-text columns
    (实施期目标 and 年度目标 may well say the same) are never merged."""
    out = list(texts)
    names = {i for i, c in enumerate(columns) if c.key == "name"}
    free = {i for i, c in enumerate(columns) if c.key in TEXT_KEYS}
    for first, last in (merged or {}).items():  # the label of a merged cell, shown in every slot it covers
        if first < len(out) and out[first] and not free & set(range(first, last + 1)):
            out.extend([""] * (last + 1 - len(out)))
            for k in range(first + 1, last + 1):
                if not out[k]:
                    out[k] = out[first]
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and out[j + 1] == out[i]:
            j += 1
        if j > i and out[i] and D(out[i]) is None and digits(out[i]) is None and not free & set(range(i, j + 1)):
            keep = next((k for k in range(i, j + 1) if k in names), i)
            for k in range(i, j + 1):
                if k != keep:
                    out[k] = ""
        i = j + 1
    return out


def _how(how: str) -> str:
    if how == "collapsed":
        return "按“编码 | 名称 | 金额”读取"
    k = int(how.split(":")[1])
    return f"整行{'右' if k > 0 else '左'}移 {abs(k)} 列"


def _empty_clause(text: str) -> str | None:
    """The clause of a note that says an empty table means no such spending."""
    for clause in re.split(r"[，,。；;]", re.sub(r"^\s*注\s*[：:]", "", text)):
        if _EMPTY.search(clause):
            return clause.strip()
    return None
