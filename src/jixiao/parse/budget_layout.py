"""Column layouts of the budget disclosure tables: header vocabulary, header → column keys, row fitting.

Each table kind has a canonical layout (the Hunan template's column order) and a header
vocabulary: regexes over the normalised header text (NFKC, no spaces) that name a column key,
plus group labels that only mark a header row (``收入``, ``科目编码``). The printed header, when
recognised, wins over the canonical order, so reordered or missing columns are read right.

Rows are fitted to the layout by cell type (code digits, name text, amount, free text). A
row that does not fit as printed is shifted (missing leading cells), or, in coded tables,
re-read as ``code digits… | name | amounts…``; the caller reports how it was placed.

Two template families are known: the Hunan 10 tables (the canonical orders) and the Shanghai
九张表 (财务收支预算总表 … “三公”经费和机关运行经费预算表): the latter put group labels over the
columns (``收入预算``, ``一般公共预算支出``, ``本年收入`` / ``财政拨款支出`` over a side), print
economic codes in 类/款 cells, and a 三公 table without a name column whose ``小计`` belongs to
``公务用车购置及运行费`` (a label is first read together with the different label above it,
``公务用车购置及运行费小计`` → vehicle) and whose last column is 机关运行经费 (``running_costs``).
A header exported with merged cells repeated (``项目 | 项目 | 项目 | 项目``) reads the same as one
with blanks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from jixiao.model.money import D
from jixiao.parse.budget_codes import digits
from jixiao.parse.text import norm

CODE_KEYS = ("cat", "kuan", "xiang", "code")
STRUCT_KEYS = (*CODE_KEYS, "name")
TEXT_KEYS = ("period_goal", "annual_goal")
DASHES = {"-", "－", "—", "——", "–", "/", "／", "无"}

_CODEISH = re.compile(r"(?=.*\d)[\dA-Za-z〇|.]{1,8}")
_NUMBER_CELL = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,4}[)）、.．]?$")
_COLUMN_NUMBER = re.compile(r"^(\*+|\d{1,2}|栏次|行次)$")


@dataclass(frozen=True, slots=True)
class Column:
    key: str | None  # a row key (cat, name, total, basic …) or None for an unknown column
    side: str | None = None  # income | expenditure (two-sided tables)
    label: str = ""  # the printed header text


@dataclass(frozen=True, slots=True)
class Spec:
    canonical: tuple[Column, ...]
    synonyms: tuple[tuple[str, re.Pattern[str]], ...]
    groups: tuple[re.Pattern[str], ...] = ()
    coded: str | None = None  # "functional" | "economic" | None
    two_sided: bool = False
    required: tuple[str, ...] = ()  # keys a usable header must name (default: REQUIRED[coded])
    # group labels over blocks of repeated columns, with the prefix their keys take (决算 三公:
    # 预算数 → ``budget_``, 决算数 → ``""``)
    blocks: tuple[tuple[re.Pattern[str], str], ...] = ()

    def key_of(self, label: str) -> str | None:
        return next((key for key, rx in self.synonyms if rx.fullmatch(label)), None)

    def known(self, label: str) -> bool:
        return (self.key_of(label) is not None or any(rx.fullmatch(label) for rx in self.groups)
                or any(rx.fullmatch(label) for rx, _ in self.blocks))


def _spec(
    keys: str, synonyms: dict[str, str], groups: str = "", coded: str | None = None, required: tuple[str, ...] = ()
) -> Spec:
    two_sided = keys.startswith("<")
    if two_sided:  # "<left keys|right keys"
        left, right = keys[1:].split("|")
        canonical = tuple(Column(k, "income") for k in left.split()) + tuple(
            Column(k, "expenditure") for k in right.split()
        )
    else:
        canonical = tuple(Column(k) for k in keys.split())
    compiled = tuple((key, re.compile(rx)) for key, rx in synonyms.items())
    group_rx = tuple(re.compile(g) for g in groups.split()) if groups else ()
    return Spec(canonical, compiled, group_rx, coded, two_sided, required)


_FUNC = {
    "cat": "类",
    "kuan": "款",
    "xiang": "项",
    "code": "(功能)?(分类)?科目(编码|代码)|编码",
    "name": "功能(分类)?科目(名称)?|科目名称|项目|名称",
}
# Shanghai group labels over the amount columns: 收入预算, 支出预算, 一般公共预算支出 …
_SH_GROUPS = "(收入|支出)预算 (一般公共|政府性基金|国有资本经营)预算(基本)?支出"
_FUNC_GROUPS = "科目编码 功能科目编码 " + _SH_GROUPS
_TOTAL = "总计|合计|小计|本年预算(数)?"
_BASIC = {"total": _TOTAL, "basic": "基本支出", "project": "项目支出"}
_FUNC_TABLE = ("cat kuan xiang name total basic project", {**_FUNC, **_BASIC}, _FUNC_GROUPS, "functional")
# 部门收支总表 of a Shanghai 单位预算: the expenditure side splits 预算数 into 基本支出 (人员经费,
# 公用经费) and 项目支出.
_SPLIT = {"basic": "基本支出", "personnel": "人员经费", "public": "公用经费", "project": "项目支出"}

SPECS: dict[str, Spec] = {
    "budget_overview": _spec(
        "<name total|name total",
        {"name": "项目|收入项目|支出项目", "total": "本年预算(数)?|预算数|金额|合计", **_SPLIT},
        "收入 支出 本年收入 本年支出",
    ),
    "fiscal_overview": _spec(
        "<name total|name total general_budget gov_fund state_capital",
        {
            "name": "项目|收入项目|支出项目",
            "total": "金额|合计|小计|本年预算(数)?|预算数",
            "general_budget": "一般公共预算(拨款|支出)?",
            "gov_fund": "政府性基金(预算)?(拨款|支出)?",
            "state_capital": "国有资本经营预算(拨款|支出)?",
        },
        "收入 支出 财政拨款收入 财政拨款支出",
    ),
    "revenue": _spec(
        "cat kuan xiang name total fiscal fiscal_funding special_account operating superior other business carryover",
        {
            **_FUNC,
            "total": "合计|总计|收入合计|本年收入合计",
            "fiscal": "本级财政拨款(收入)?|财政拨款(收入)?|金额|一般公共预算(拨款)?(收入)?",
            "fiscal_funding": "(其中:?)?经费拨款",
            "special_account": "财政专户管理(的)?(事业)?(收入|资金)|纳入专户管理的?非税收入(拨款)?",
            "operating": "事业单位经营(服务)?收入|经营收入",
            "superior": "上级补助收入",
            "other": "其[它他]收入",
            "business": "事业收入",
            "carryover": "上年结转(结余)?(收入)?",
        },
        _FUNC_GROUPS,
        "functional",
    ),
    "expenditure": _spec(
        "cat kuan xiang name total basic project operating subsidiary remit",
        {
            **_FUNC,
            **_BASIC,
            "operating": "事业单位经营支出|经营支出",
            "subsidiary": "对附属单位补助支出",
            "remit": "上缴上级支出",
        },
        _FUNC_GROUPS,
        "functional",
    ),
    "general_budget_expenditure": _spec(*_FUNC_TABLE),
    "gov_fund_expenditure": _spec(*_FUNC_TABLE),
    "state_capital_expenditure": _spec(*_FUNC_TABLE),
    "basic_expenditure": _spec(
        "code name total personnel public",
        {
            "cat": "类",
            "kuan": "款",
            "code": "(部门预算)?经济(分类)?科目(编码|代码)|科目(编码|代码)|编码",
            "name": "(部门)?经济(分类)?科目(名称)?|科目名称|名称|项目",
            "total": _TOTAL,
            "personnel": "人员(类|经费|支出)",
            "public": "(日常)?公用(经费|支出)",
        },
        _SH_GROUPS,
        "economic",
    ),
    "three_public": _spec(
        "name total reception abroad vehicle vehicle_purchase vehicle_operation",
        {
            "name": "(部门|单位)(名称)?|项目",
            "vehicle": "公务用车购置及运行(维护)?费(小计)?",
            "total": "小计|合计|总计",
            "reception": "公务接待费",
            "abroad": "因公出国\\(境\\)费(用)?",
            "vehicle_purchase": "(其中:?)?(公务用车)?购置(费)?",
            "vehicle_operation": "(其中:?)?(公务用车)?运行(维护)?费",
            "running_costs": "(\\d{4}年)?机关运行经费(预算)?数?",
        },
        ".*三公.*",
        required=("total",),
    ),
    "special_fund_summary": _spec(
        "number name total period_goal annual_goal",
        {
            "number": "序号|编号",
            "name": "(专项(资金)?|项目)?名称",
            "total": "(预算)?金额(\\(万元\\))?|资金(金额|总额)?",
            "period_goal": "实施期(绩效)?目标",
            "annual_goal": "(本)?年度(绩效)?目标",
        },
    ),
}

REQUIRED = {"functional": ("name", "total"), "economic": ("code", "name", "total"), None: ("name", "total")}


def column_type(key: str | None) -> str:
    if key in CODE_KEYS:
        return "code"
    if key == "line_no":  # 行次 of a 决算 overview: a small number, not an amount
        return "number"
    if key in ("name", "number") or key in TEXT_KEYS:
        return "text" if key in TEXT_KEYS else key
    return "any" if key is None else "amount"


def is_amount(text: str) -> bool:
    return D(text) is not None


@lru_cache(maxsize=32768)
def compatible(text: str, kind: str) -> bool:
    """Can a printed cell sit in a column of this type? (memoized: pure on two strings)"""
    if not text or kind in ("any", "text"):
        return True
    if kind == "code":
        return digits(text) is not None
    if kind == "codeish":  # lenient: a garbled code cell (5O, 2O1) is still the row's code cell
        return digits(text) is not None or bool(_CODEISH.fullmatch(norm(text)))
    if kind == "amount":
        return is_amount(text) or text in DASHES
    if kind == "number":
        return bool(_NUMBER_CELL.match(norm(text)))
    return D(text) is None and digits(text) is None  # a name is not a number


_SPACES = re.compile(r"\s+")


def is_column_number_row(texts: list[str]) -> bool:
    """``** | ** | 1 | 2 | 3``: the column-number row under a header."""
    filled = [_SPACES.sub("", unicodedata.normalize("NFKC", t)) for t in texts if t.strip()]
    if filled and all(t in ("栏次", "行次") for t in filled):
        return True  # the 栏次 row of a 决算 table whose columns are not numbered
    if len(filled) < 2 or not all(_COLUMN_NUMBER.match(t) for t in filled):
        return False
    numbers = [int(t) for t in filled if t.isdigit()]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def header_match(texts: list[str], spec: Spec) -> tuple[int, int]:
    """(known labels, filled cells) of a candidate header row; (0, n) when it holds numbers."""
    filled = [norm(t) for t in texts if t.strip()]
    if any(is_amount(t) for t in filled):
        return 0, len(filled)
    return sum(1 for t in filled if spec.known(t)), len(filled)


def layout_from_header(rows: list[list[str]], spec: Spec) -> tuple[list[Column], list[str]]:
    """Column keys from a header block (lowest recognised label wins); and unknown labels.

    A label is first read together with the nearest different label above it (``公务用车购置及
    运行费`` over ``小计``), then alone.
    """
    width = max(len(r) for r in rows)
    raw: list[Column] = []
    for col in range(width):
        key, label = None, ""
        cells = [norm(row[col]) if col < len(row) else "" for row in rows]
        for i in range(len(rows) - 1, -1, -1):
            text = rows[i][col] if col < len(rows[i]) else ""
            if not text.strip():
                continue
            label = label or text
            above = next((t for t in reversed(cells[:i]) if t and t != cells[i]), "")
            key = (spec.key_of(above + cells[i]) if above else None) or spec.key_of(cells[i])
            if key:
                label = text
                break
        raw.append(Column(key, None, label))
    if spec.blocks:
        prefixes = _blocks(rows, width, spec)
        raw = [Column(prefix + c.key if c.key and prefix else c.key, c.side, c.label) for c, prefix in zip(raw, prefixes)]
    if spec.two_sided:
        sides = _sides(rows, width)
        raw = [Column(c.key, s, c.label) for c, s in zip(raw, sides)] if any(sides) else _split_halves(raw)
    columns: list[Column] = []
    unknown: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    for c in raw:
        key = None if c.key and (c.key, c.side) in seen else c.key
        if key is None and c.label and not spec.known(norm(c.label)):
            unknown.append(c.label)
        if key:
            seen.add((key, c.side))
        columns.append(Column(key, c.side, c.label))
    return columns, unknown


def _sides(rows: list[list[str]], width: int) -> list[str | None]:
    for row in rows:
        labels = [norm(t) for t in row]
        if any(_SIDE.fullmatch(t) for t in labels):
            sides: list[str | None] = []
            current = None
            for col in range(width):
                t = labels[col] if col < len(labels) else ""
                m = _SIDE.fullmatch(t)
                current = {"收入": "income", "支出": "expenditure"}[m.group(1)] if m else current
                sides.append(current)
            return sides
    return [None] * width


def _blocks(rows: list[list[str]], width: int, spec: Spec) -> list[str]:
    """The key prefix of every column: the block label above it, carried rightwards."""
    for row in rows:
        labels = [norm(t) for t in row]
        if any(rx.fullmatch(t) for t in labels for rx, _ in spec.blocks):
            out, current = [], ""
            for col in range(width):
                t = labels[col] if col < len(labels) else ""
                current = next((prefix for rx, prefix in spec.blocks if rx.fullmatch(t)), current)
                out.append(current)
            return out
    return [""] * width


_SIDE = re.compile(r"(?:本年|财政拨款)?(收入|支出)")


def _split_halves(columns: list[Column]) -> list[Column]:
    out, side = [], "income"
    for i, c in enumerate(columns):
        if i and c.key == "name":
            side = "expenditure"
        out.append(Column(c.key, side, c.label))
    return out


def layout_ok(columns: list[Column], spec: Spec) -> bool:
    keys = {c.key for c in columns}
    required = spec.required or REQUIRED[spec.coded]
    if spec.coded == "functional" and not keys & {"cat", "kuan", "xiang", "code"}:
        return False
    if spec.coded == "economic" and "cat" in keys:  # Shanghai: the code in 类 / 款 cells
        required = tuple(k for k in required if k != "code")
    return all(k in keys for k in required)


Accept = Callable[[list[str], bool], bool]  # (aligned cells, strict) → is this a placeable row?


def fit(texts: list[str], columns: list[Column], accept: Accept, coded: bool) -> tuple[list[str] | None, str]:
    """Place a row's cells on the layout.

    Returns (cells aligned to the columns, how): how is ``""`` when the row fits as printed,
    ``shift:k`` / ``ambiguous:k`` when shifted by k columns, ``collapsed`` when re-read as
    ``code digits… | name | amounts…``, ``lenient`` when it fits only as printed with text in
    amount cells or an invalid code (``accept`` non-strict), and (None, "unplaced") otherwise.
    """
    types = [column_type(c.key) for c in columns]
    width = len(columns)
    filled = [i for i, t in enumerate(texts) if t]
    aligned = _shift(texts, 0, width)
    if aligned is not None and _fits(aligned, types) and accept(aligned, True):
        return aligned, ""
    shifts = []
    for k in range(-filled[0], width - filled[-1]):
        cand = _shift(texts, k, width)
        if k and cand is not None and _fits(cand, types) and accept(cand, True):
            shifts.append((abs(k), k, cand))
    if len(shifts) == 1:
        return shifts[0][2], f"shift:{shifts[0][1]}"
    if coded and (collapsed := _collapse(texts, columns)) is not None:
        if _fits(collapsed, types) and accept(collapsed, True):
            return collapsed, "collapsed"
    if shifts:
        shifts.sort()
        return shifts[0][2], f"ambiguous:{shifts[0][1]}"
    lenient = ["any" if t == "amount" else "codeish" if t == "code" else t for t in types]
    if aligned is not None and _fits(aligned, lenient) and accept(aligned, False):
        return aligned, "lenient"
    return None, "unplaced"


def _shift(texts: list[str], k: int, width: int) -> list[str] | None:
    out = [""] * width
    for i, t in enumerate(texts):
        if not t:
            continue
        if not 0 <= i + k < width:
            return None
        out[i + k] = t
    return out


def _fits(cells: list[str], types: list[str]) -> bool:
    return all(compatible(t, k) for t, k in zip(cells, types))


def _collapse(texts: list[str], columns: list[Column]) -> list[str] | None:
    """``2010301 | 行政运行 | 2,285.05`` → code digits in the first code column, name, amounts after it."""
    keys = [c.key for c in columns]
    code_cols = [i for i, k in enumerate(keys) if k in CODE_KEYS]
    if "name" not in keys or not code_cols:
        return None
    i, lead = 0, ""
    while i < len(texts) and digits(texts[i]) is not None:
        lead += digits(texts[i]) or ""
        i += 1
    if not lead or i >= len(texts):
        return None
    name_col = keys.index("name")
    out = [""] * len(columns)
    out[code_cols[0]], out[name_col] = lead, texts[i]
    for j, t in enumerate(texts[i + 1 :], start=name_col + 1):
        if t and j >= len(columns):
            return None
        if t:
            out[j] = t
    return out
