"""A stored document as the 文档 page draws it: its blocks in the order of the original, every
row, cell and paragraph keyed by its location, and every finding pointed at the element that
shows its location.

* **Tables the parser understood** are drawn from the parse JSON: a target set as its form
  (unit / project, funds, goal, tasks) over its indicators with the 一级 / 二级 names spanning
  their rows; a budget table as code / name / amounts (a two-sided overview with income and
  expenditure on one printed row, as printed).
* **Everything else** (narrative paragraphs, tables the parser did not take) comes from the file
  read again (``readers.read_bytes``; kept per SHA-256 in memory and under
  ``$JIXIAO_DATA_DIR/cache/raw``): paragraphs with the amounts the narrative states marked,
  other tables with their merged cells as row and column spans.
* **Keys** are locations without the file name: ``26`` (a text line), ``p8:t1r5`` (a PDF row),
  ``p8:t1r5c3`` (its cell), ``t2r4c3``, ``¶12``, ``Sheet1!B7``. A finding points at the element
  with its key, else the row of its cell, else the element on the nearest line before it (every
  location has a line in the file's text dump, ``jixiao convert --to text``).

``findings_panel`` lists the findings (filtered by severity and code) with their target keys and
PDF pages; the page images are ``services.page_images``.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path

from jixiao.services import documents
from jixiao.services import findings as findings_service
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.store.db import data_dir

CACHE_VERSION = 1
_MEMORY: OrderedDict[str, dict] = OrderedDict()
_MEMORY_SIZE = 32
_LOCK = threading.Lock()

AMOUNT_LABELS = {"total": "资金总额", "general_budget": "一般公共预算", "gov_fund": "政府性基金预算",
                 "special_account": "财政专户管理资金", "other": "其他资金", "basic": "基本支出", "project": "项目支出"}
BUDGET_COLUMNS = {
    "total": "合计", "basic": "基本支出", "personnel": "人员经费", "public": "公用经费", "project": "项目支出",
    "general_budget": "一般公共预算", "gov_fund": "政府性基金预算", "state_capital": "国有资本经营预算",
    "fiscal": "财政拨款", "fiscal_funding": "其中：经费拨款", "special_account": "财政专户管理资金",
    "operating": "经营收入/支出", "superior": "上级补助收入", "other": "其他收入", "business": "事业收入",
    "carryover": "上年结转", "subsidiary": "对附属单位补助", "remit": "上缴上级支出", "reception": "公务接待费",
    "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行费", "vehicle_purchase": "其中：购置费",
    "vehicle_operation": "其中：运行费", "running_costs": "机关运行经费", "period_goal": "实施期目标",
    "annual_goal": "年度目标", "line_no": "行次",
}
INDICATOR_COLUMNS = (("explanation", "指标值说明"), ("scoring", "评分标准"), ("weight", "权重（分）"),
                     ("standard", "指标值确定依据"), ("remark", "备注"))

_CELL = re.compile(r"^(?P<row>(?:p\d+:)?t\d+r\d+)c\d+$")
_SHEET_CELL = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")
_LINE = re.compile(r"^(?:p\d+:)?(\d+)$")
_PAGE = re.compile(r"^p(\d+):")


# ------------------------------------------------------------------------ keys and lines


def key_of(location: str | None, source: str) -> str | None:
    """A location without its file name (``000.txt:26`` → ``26``)."""
    if not location or location == source:
        return None  # the whole document
    if source and location.startswith(source + ":"):
        return location[len(source) + 1:]
    return location.split(":", 1)[1] if ":" in location else location


def row_key(key: str) -> str:
    """The row of a cell key (``p8:t1r5c3`` → ``p8:t1r5``; ``Sheet1!D7`` → ``Sheet1!#7``)."""
    if m := _CELL.match(key):
        return m.group("row")
    if m := _SHEET_CELL.match(key):
        return f"{m.group('sheet')}!#{m.group('row')}"
    return key


def page_of(key: str | None) -> int | None:
    m = _PAGE.match(key or "")
    return int(m.group(1)) if m else None


# ------------------------------------------------------------------------ the file read again


def _cache_file(sha256: str) -> Path:
    return data_dir() / "cache" / "raw" / f"{sha256}.v{CACHE_VERSION}.json"


def raw_blocks(name: str, data: bytes | Callable[[], bytes], sha256: str) -> dict:
    """The file's paragraphs and grids, keyed and lined (cached per SHA-256): ``{"blocks": […],
    "lines": {key: line}}``; a block is ``{"type": "p", "key", "line", "text"}`` or ``{"type":
    "grid", "rows": [{"key", "line", "cells": [{"key", "text"}]}], "merges": [[r0, c0, r1, c1]]}``."""
    with _LOCK:
        if sha256 in _MEMORY:
            _MEMORY.move_to_end(sha256)
            return _MEMORY[sha256]
    path = _cache_file(sha256)
    out = None
    if path.exists():
        try:
            out = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out = None
    if out is None or out.get("name") != name:
        out = _read(name, data() if callable(data) else data)
        _write(path, out)
    _remember(sha256, out)
    return out


def keep_raw(name: str, sha256: str, raw) -> None:
    """Keep the blocks of a file the import has just read (``raw``: the reader's document of
    exactly these bytes), so that the document's first view does not read the file again."""
    out = _blocks(name, raw)
    _write(_cache_file(sha256), out)
    _remember(sha256, out)


def _write(path: Path, out: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only data folder: the memory cache alone


def _remember(sha256: str, out: dict) -> None:
    with _LOCK:
        _MEMORY[sha256] = out
        _MEMORY.move_to_end(sha256)
        while len(_MEMORY) > _MEMORY_SIZE:
            _MEMORY.popitem(last=False)


def _read(name: str, data: bytes) -> dict:
    from jixiao.readers.files import read_bytes

    raw, _findings = read_bytes(data, name)
    return _blocks(name, raw)


def _blocks(name: str, raw) -> dict:
    from jixiao.readers.grid import Grid

    blocks: list[dict] = []
    lines: dict[str, int] = {}
    if raw is None:
        return {"name": name, "blocks": blocks, "lines": lines}
    for block in raw.blocks:
        if isinstance(block, Grid):
            rows = []
            for row in block.rows:
                rk = row_key(key_of(str(row.location), name) or "")
                line = row.location.line
                cells = []
                for cell in row.cells:
                    ck = key_of(str(cell.location), name) or rk
                    cells.append({"key": ck, "text": cell.text})
                    if line is not None:
                        lines.setdefault(ck, line)
                if line is not None:
                    lines.setdefault(rk, line)
                    lines.setdefault(key_of(str(row.location), name) or rk, line)
                rows.append({"key": rk, "line": line, "cells": cells})
            blocks.append({"type": "grid", "rows": rows,
                           "merges": [[m.first_row, m.first_col, m.last_row, m.last_col] for m in block.merges]})
        else:
            key = key_of(str(block.location), name) or ""
            if block.location.line is not None:
                lines.setdefault(key, block.location.line)
            blocks.append({"type": "p", "key": key, "line": block.location.line, "text": block.text})
    return {"name": name, "blocks": blocks, "lines": lines}


def line_of(key: str | None, lines: dict[str, int]) -> int | None:
    if not key:
        return None
    if key in lines:
        return lines[key]
    if (rk := row_key(key)) in lines:
        return lines[rk]
    if m := _LINE.match(key):
        return int(m.group(1))
    return None


# ------------------------------------------------------------------------ the blocks drawn


def _money(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return format(Decimal(str(value)), "f")
    except InvalidOperation:
        return str(value)


class _Keys:
    """The keys the page draws, with their lines, for pointing findings at them."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.drawn: set[str] = set()
        self.by_line: list[tuple[int, str]] = []

    def freeze(self) -> None:
        self._sorted = sorted(self.by_line)
        self._line_list = [ln for ln, _k in self._sorted]

    def add(self, key: str | None) -> str | None:
        if not key or key in self.drawn:
            return key
        self.drawn.add(key)
        line = line_of(key, self.lines)
        if line is not None:
            self.by_line.append((line, key))
        return key

    def target(self, key: str | None) -> str | None:
        if not key:
            return None
        if key in self.drawn:
            return key
        if (rk := row_key(key)) in self.drawn:
            return rk
        line = line_of(key, self.lines)
        if line is None:
            return None
        if not hasattr(self, "_sorted"):
            self._sorted = sorted(self.by_line)
            self._line_list = [ln for ln, _k in self._sorted]
        i = bisect_right(self._line_list, line)
        if i:
            return self._sorted[i - 1][1]
        return self._sorted[0][1] if self._sorted else None


def _target_set(ts: dict, source: str, keys: _Keys) -> dict:
    items = []
    for ind in ts.get("indicators") or []:
        items.append({"type": "indicator", **ind})
    for ph in ts.get("placeholders") or []:
        items.append({"type": "placeholder", "level1": ph.get("level1"), "level2": ph.get("level2"), "name": ph.get("text"),
                      "weight": ph.get("weight"), "location": ph.get("location")})
    for item in items:
        item["key"] = row_key(key_of(item.get("location"), source) or "") or None
        item["line"] = line_of(item["key"], keys.lines)
    items.sort(key=lambda i: (i["line"] is None, i["line"] or 0))
    # 一级 / 二级 spans: consecutive rows with the same name share one cell, as printed
    rows = []
    for i, item in enumerate(items):
        l1, l2 = item.get("level1") or "", item.get("level2") or ""
        same1 = i > 0 and (items[i - 1].get("level1") or "") == l1
        same2 = same1 and (items[i - 1].get("level2") or "") == l2
        rows.append({**item, "l1_span": 0 if same1 else 1, "l2_span": 0 if same2 else 1})
    last1 = last2 = None
    for row in rows:
        if row["l1_span"]:
            last1 = row
        else:
            last1["l1_span"] += 1
        if row["l2_span"]:
            last2 = row
        else:
            last2["l2_span"] += 1
        keys.add(row["key"])
    columns = [(f, label) for f, label in INDICATOR_COLUMNS if any(r.get(f) not in (None, "") for r in rows)]
    amounts = [(AMOUNT_LABELS.get(k, k), _money(v)) for k, v in (ts.get("amounts") or {}).items() if v not in (None, "")]
    tasks = []
    for task in ts.get("tasks") or []:
        tasks.append({**task, "key": keys.add(row_key(key_of(task.get("location"), source) or "") or None)})
    return {
        "key": keys.add(row_key(key_of(ts.get("location"), source) or "") or None),
        "amounts_key": keys.add(row_key(key_of(ts.get("amounts_location"), source) or "") or None),
        "unit": ts.get("unit"), "unit_code": ts.get("unit_code"), "project": ts.get("project"),
        "project_code": ts.get("project_code"), "amounts": amounts, "amounts_unit": ts.get("amounts_unit") or "万元",
        "goal": ts.get("goal"), "period_goal": ts.get("period_goal"), "tasks": tasks, "rows": rows,
        "columns": columns, "category": ts.get("category"), "period": ts.get("period"),
    }


def _budget(table: dict, source: str, keys: _Keys) -> dict:
    columns = list(table.get("columns") or ["total"])
    two_sided = any(r.get("side") == "income" for r in table.get("rows") or [])
    has_code = any(r.get("code") for r in table.get("rows") or [])
    grouped: OrderedDict[str, list[dict]] = OrderedDict()
    for r in table.get("rows") or []:
        key = row_key(key_of(r.get("location"), source) or "") or f"row{len(grouped)}"
        grouped.setdefault(key, []).append(r)
    rows = []
    for key, parts in grouped.items():
        keys.add(key)
        if two_sided:
            income = next((r for r in parts if r.get("side") == "income"), None)
            spend = next((r for r in parts if r.get("side") != "income"), None)
            cells = [{"text": income["name"] if income else "", "cls": "name"},
                     {"text": _money(income["total"]) if income else None, "cls": "num"},
                     {"text": spend["name"] if spend else "", "cls": "name"}]
            for c in columns:
                value = (spend.get("total") if c == "total" else (spend.get("values") or {}).get(c)) if spend else None
                cells.append({"text": _money(value), "cls": "num"})
        else:
            r = parts[0]
            cells = [{"text": r.get("code") or "", "cls": "code"}] if has_code else []
            cells.append({"text": r.get("name") or "", "cls": "name"})
            for c in columns:
                value = r.get("total") if c == "total" else (r.get("values") or {}).get(c)
                cells.append({"text": _money(value), "cls": "num"})
        rows.append({"key": key, "cells": cells, "line": line_of(key, keys.lines)})
    labels = [BUDGET_COLUMNS.get(c, c) for c in columns]
    header = (["收入项目", "预算数", "支出项目", *labels] if two_sided else
              [*(["科目编码"] if has_code else []), "科目名称" if has_code else "项目", *labels])
    numeric = [h not in ("收入项目", "支出项目", "科目编码", "科目名称", "项目") for h in header]
    return {"header": list(zip(header, numeric)), "rows": rows, "unit": table.get("unit") or "元",
            "empty_statement": table.get("empty_statement")}


def _marks(text: str, amounts: list[dict]) -> list[dict]:
    """The paragraph cut into pieces, the stated amounts marked (``{"text", "amount"?}``)."""
    spans = []
    for a in amounts:
        value = str(a.get("value") or "")
        if not value:
            continue
        whole, _, frac = value.partition(".")
        digits = r",?".join(re.escape(ch) for ch in whole.lstrip("-"))
        pattern = digits + (r"\." + re.escape(frac) if frac else r"(?![\d.])")
        for m in re.finditer(r"(?<![\d.,])" + pattern, text):
            if not any(s < m.end() and m.start() < e for s, e, _a in spans):
                spans.append((m.start(), m.end(), a))
                break
    spans.sort(key=lambda s: s[0])
    out, pos = [], 0
    for start, end, a in spans:
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "amount": a})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


_VIEWS: OrderedDict[tuple[int, int], dict] = OrderedDict()
_VIEWS_SIZE = 256  # a view is the parse JSON and its blocks: a few hundred KB for a large document


def document_view(ctx: Ctx, document_id) -> dict:
    """The document (``documents.get_document``) with ``blocks`` in the order of the original
    (``{"type": "targets" | "budget" | "grid" | "p", …}``) and ``keys`` (what
    ``findings_panel`` points findings at). Kept in memory per (document, ``row_version``): the
    row version moves with every change of the document's row (a transition, an edit, a newer
    version taking over), so only the actor's own actions (``allowed``) are worked out anew."""
    with ctx.db.session(write=False) as session:
        row, _org = documents.load(session, ctx, document_id)  # 404 outside the actor's scope
        key = (row.id, row.row_version)
        allowed = workflow.allowed_actions(ctx.actor, row)
    with _LOCK:
        cached = _VIEWS.get(key)
        if cached is not None:
            _VIEWS.move_to_end(key)
    if cached is not None:
        return {**cached, "allowed": allowed}
    view = _document_view(ctx, document_id)
    with _LOCK:
        _VIEWS[key] = view
        while len(_VIEWS) > _VIEWS_SIZE:
            _VIEWS.popitem(last=False)
    return {**view, "allowed": allowed}


def _document_view(ctx: Ctx, document_id) -> dict:
    doc = documents.get_document(ctx, document_id)
    source = doc.get("source") or doc["name"]
    raw = raw_blocks(source, lambda: documents.source_file(ctx, document_id)[1], doc["sha256"])
    keys = _Keys(raw["lines"])
    # the parsed tables, each with the lines it covers
    parsed = []
    for index, table in enumerate(doc.get("tables") or []):
        if table.get("target_sets"):
            body = {"type": "targets", "sets": [_target_set(ts, source, keys) for ts in table["target_sets"]]}
        elif table.get("rows") or table.get("empty_statement"):
            body = {"type": "budget", **_budget(table, source, keys)}
        else:
            continue
        title_key = key_of(table.get("location"), source)
        covered = {line_of(k, keys.lines) for k in _table_keys(body)}
        covered.discard(None)
        first = line_of(title_key, keys.lines)
        lo = min([*covered, *([first] if first is not None else [])], default=None)
        hi = max(covered, default=lo)
        parsed.append({**body, "index": index, "title": table.get("title"), "kind": table.get("kind"),
                       "table_kind": table.get("kind"), "key": title_key, "lo": lo, "hi": hi,
                       "unit": body.get("unit") or table.get("unit")})
    amounts_by_key: dict[str, list[dict]] = {}
    for a in doc.get("amounts") or []:
        amounts_by_key.setdefault(key_of(a.get("location"), source) or "", []).append(a)
    section_keys = {key_of(s.get("location"), source) for s in doc.get("sections") or []}
    blocks: list[dict] = []
    placed: set[int] = set()

    def place(line: int | None) -> bool:
        """Put the parsed tables that begin at or before ``line``; True when the line is inside one."""
        inside = False
        for t in parsed:
            if t["lo"] is None or line is None:
                continue
            if t["index"] not in placed and t["lo"] <= line:
                placed.add(t["index"])
                blocks.append(t)
            if t["lo"] <= line <= t["hi"]:
                inside = True
        return inside

    for block in raw["blocks"]:
        if block["type"] == "p":
            if place(block["line"]):
                continue
            key = keys.add(block["key"])
            pieces = _marks(block["text"], amounts_by_key.get(key, []))
            blocks.append({"type": "p", "key": key, "line": block["line"], "pieces": pieces,
                           "heading": key in section_keys})
        else:
            lines = [r["line"] for r in block["rows"] if r["line"] is not None]
            if lines and any(place(ln) for ln in lines):
                continue
            blocks.append(_grid(block, keys))
    for t in parsed:  # tables whose lines are unknown: at the end, as found
        if t["index"] not in placed:
            blocks.append(t)
    doc["blocks"] = blocks
    keys.freeze()
    doc["keys"] = keys
    doc["source_name"] = source
    return doc


def _table_keys(body: dict) -> list[str]:
    out = []
    if body["type"] == "targets":
        for ts in body["sets"]:
            out += [ts["key"], ts["amounts_key"], *(r["key"] for r in ts["rows"]), *(t["key"] for t in ts["tasks"])]
    else:
        out += [r["key"] for r in body["rows"]]
    return [k for k in out if k]


def _grid(block: dict, keys: _Keys) -> dict:
    """A table the parser did not take, drawn as read: merged regions as row/column spans."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in block["merges"]:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    width = max((len(r["cells"]) for r in block["rows"]), default=0)
    rows = []
    for r, row in enumerate(block["rows"]):
        keys.add(row["key"])
        cells = []
        for c in range(width):
            if (r, c) in covered:
                continue
            cell = row["cells"][c] if c < len(row["cells"]) else {"key": None, "text": ""}
            rowspan, colspan = spans.get((r, c), (1, 1))
            ck = cell["key"] if cell["key"] != row["key"] else None
            if ck:
                keys.add(ck)
            cells.append({"key": ck, "text": cell["text"], "rowspan": rowspan, "colspan": colspan,
                          "num": _is_amount(cell["text"])})
        rows.append({"key": row["key"], "cells": cells})
    return {"type": "grid", "rows": rows}


_AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?$")


def _is_amount(text: str) -> bool:
    return bool(text) and bool(_AMOUNT.match(text)) and any(ch.isdigit() for ch in text)


# ------------------------------------------------------------------------ the findings panel


def findings_panel(ctx: Ctx, view: dict, *, severity: str | None = None, code: str | None = None) -> dict:
    """The document's findings (all of them, filtered by severity and code), each with ``target``
    (the key of the element showing it), ``page`` (a PDF page) and ``row`` (a PDF row key);
    ``counts`` by severity and ``codes`` (code → count) of the unfiltered list for the filters."""
    items: list[dict] = []
    offset = 0
    while True:
        found = findings_service.list_findings(ctx, document_id=view["id"], limit=1000, offset=offset)
        items += found["items"]
        offset += 1000
        if offset >= found["total"]:
            break
    source = view["source_name"]
    keys: _Keys = view["keys"]
    counts = {"error": 0, "warning": 0, "info": 0}
    codes: dict[str, int] = {}
    for f in items:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
        codes[f["code"]] = codes.get(f["code"], 0) + 1
    order = {"error": 0, "warning": 1, "info": 2}
    shown = [f for f in items if (not severity or f["severity"] == severity) and (not code or f["code"] == code)]
    out = []
    for f in shown:
        key = key_of(f.get("location"), source)
        out.append({**f, "key": key, "target": keys.target(key), "page": page_of(key),
                    "row": row_key(key) if key and _CELL.match(key) or (key and re.match(r"^p\d+:t\d+r\d+$", key))
                    else None})
    out.sort(key=lambda f: (order.get(f["severity"], 3), line_of(f["key"], keys.lines) or 0))
    return {"items": out, "total": len(items), "shown": len(out), "counts": counts,
            "codes": dict(sorted(codes.items())), "severity": severity or "", "code": code or ""}


def upload_summary(ctx: Ctx, document_id) -> dict:
    """What an imported document holds, for the 上传 page: tables, target sets, indicators."""
    doc = documents.get_document(ctx, document_id)
    tables = doc.get("tables") or []
    sets = [ts for t in tables for ts in t.get("target_sets") or []]
    return {"tables": len(tables), "target_sets": len(sets),
            "indicators": sum(len(ts.get("indicators") or []) for ts in sets),
            "budget_rows": sum(len(t.get("rows") or []) for t in tables),
            "sections": len(doc.get("sections") or []), "title": doc.get("title")}


def upload_names(ctx: Ctx, job_ids: list[str]) -> dict[str, str]:
    """The file name of each import job the actor may see (from its stored parameters), for the
    上传 page's rows while a job waits (any server process answers the polling)."""
    from jixiao.services import jobs
    from jixiao.services.errors import ServiceError
    from jixiao.store import schema as db

    out: dict[str, str] = {}
    visible = []
    for job_id in job_ids:
        try:
            jobs.get_job(ctx, job_id)  # 404 / 403 outside the actor's scope or role
        except ServiceError:
            continue
        visible.append(job_id)
    if not visible:
        return out
    with ctx.db.session(write=False) as session:
        for job in session.query(db.Job).filter(db.Job.id.in_(visible)):
            files = (job.params or {}).get("files") or []
            if files:
                out[job.id] = "、".join(str(f.get("name") or "") for f in files)
    return out
