"""Classification and 三公 rules on the disclosure tables (DOMAIN §6 rules 24–27, §3.3–3.4).

功能分类 trees (类 = Σ 款 = Σ 项 in every column, B8), 基本支出 placement of 行政运行 / 事业运行,
经济分类 (B9) and the "三公" table (B10). The code dictionaries hold what DOMAIN §3.4 confirms;
an unknown code is a warning, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model import classification
from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.document import Document
from jixiao.model.money import fmt_wan
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules.disclosure import FUNC_TABLES
from jixiao.rules.disclosure import PROFILES
from jixiao.rules.disclosure import SUM
from jixiao.rules.disclosure import _column
from jixiao.rules.disclosure import _placeholder
from jixiao.rules.disclosure import _row_identity
from jixiao.rules.disclosure import _subject
from jixiao.rules.disclosure import amount_keys
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import is_total
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import money
from jixiao.rules.disclosure import sum_check
from jixiao.rules.disclosure import tolerance
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan

# ---------------------------------------------------------------- code trees (shared by B8 and B9)


def _parent(code: str, codes: set[str], lengths: tuple[int, ...]) -> str | None:
    for n in sorted((n for n in lengths if n < len(code)), reverse=True):
        if code[:n] in codes:
            return code[:n]
    return None


def _unread(t: BudgetTable) -> list[BudgetRow]:
    """Rows with amounts but no readable code (the parser reported them once: ``301 | 2`` it could
    not read, ``2X``, and the rows under such a row that omit their parents)."""
    return [r for r in t.rows
            if r.code is None and not is_total(r) and not _placeholder(r)]


def _possibly_under(t: BudgetTable, parent: BudgetRow | None, unread: list[BudgetRow]) -> list[BudgetRow]:
    """The unread rows printed inside ``parent``'s span (from it to the next coded row that is not
    its descendant); every unread row for the grand total."""
    if parent is None:
        return unread
    inside: list[BudgetRow] = []
    start = next(i for i, r in enumerate(t.rows) if r is parent)
    for r in t.rows[start + 1 :]:
        if r.code and not r.code.startswith(parent.code or ""):
            break
        if any(r is u for u in unread):
            inside.append(r)
    return inside


def _explained(ctx: Context, t: BudgetTable, row: BudgetRow, key: str, kids: list[BudgetRow], maybe: list[BudgetRow]) -> bool:
    """Σ kids + an unread row (or all of them) gives the parent: the unread row explains the gap."""
    actual = wan(t, row, key)
    base = [wan(t, k, key) for k in kids]
    options = [[u] for u in maybe] + ([maybe] if len(maybe) > 1 else [])
    return any(sum_check(ctx, row.location, "", "", actual, base + [wan(t, u, key) for u in extra]) is None
               for extra in options)


def _tree(ctx: Context, t: BudgetTable, rows: list[BudgetRow], lengths: tuple[int, ...]) -> Iterator[Finding | None]:
    """Every parent row = Σ its children and 合计 = Σ top-level rows, in every amount column.

    One bad cell is one finding (the parser's): a cell that could not be read is not summed (the
    checks over its column skip it), and a row whose code could not be read may belong to the
    parent it is printed under — a parent whose Σ matches with it is not reported."""
    codes = {r.code for r in rows if r.code}
    children: dict[str | None, list[BudgetRow]] = {}
    for row in rows:
        children.setdefault(_parent(row.code or "", codes, lengths), []).append(row)
    keys = amount_keys(t)
    level = {3: "类", 5: "款", 7: "项"}
    unread = _unread(t)
    grand, top = total_row(t), children.get(None, [])
    checks = [(row, children.get(row.code) or []) for row in rows]
    if grand and top:
        checks.append((grand, top))
    for row, kids in checks:
        if not kids:
            continue
        maybe = _possibly_under(t, None if row is grand else row, unread)
        what = "各科目之和" if row is grand else f"所属各{level.get(len(kids[0].code or ''), '下级科目')}之和"
        for key in keys:
            if key in row.malformed or any(key in k.malformed for k in kids):
                continue  # a cell the parser could not read: not summed (reported once, by the parser)
            found = sum_check(ctx, row.location, _subject(t, row), f"{_column(key)}（{what}）", wan(t, row, key),
                              [wan(t, k, key) for k in kids])
            if found and maybe and _explained(ctx, t, row, key, kids, maybe):
                continue
            yield found


def _code_checks(t: BudgetTable, rows: list[BudgetRow], lengths: tuple[int, ...], prefix: str,
                 year: int | None) -> Iterator[Finding]:
    """Code length, placement under the 类 row above, table membership and the name of the year."""
    seen, head = set(), None
    what = "3 位（类）、5 位（款）或 7 位（项）" if len(lengths) == 3 else "3 位（类）或 5 位（款）"
    for row in rows:
        code, subject = row.code or "", _subject(t, row)
        if not code.isdigit() or len(code) not in lengths:
            yield make(f"{prefix}-code-invalid", row.location, subject=subject, item_code=code, reason=f"应为{what}数字",
                       expected=what, actual=code)
            continue
        if len(code) == 3:
            head = code
        elif head and code[:3] != head:
            yield make(f"{prefix}-code-invalid", row.location, subject=subject, item_code=code,
                       reason=f"列在类 {head} 之下，但前 3 位是 {code[:3]}", expected=f"{head}…", actual=code)
        scheme = classification.scheme_of(code, prefix == "econ")
        check = code[:3] if prefix == "func" else code
        if not classification.known(scheme, check):
            if check not in seen:
                seen.add(check)
                yield make(f"{prefix}-code-unknown", row.location, subject=subject, item_code=check,
                           expected="科目表中的编码", actual=check)
            continue
        if row.name:
            yield from _name_check(row, subject, scheme, code, prefix, year)


def _years(e: classification.CodeName) -> str:
    return f"{e.first}–{e.last} 年" if e.last is not None and e.last != e.first else f"{e.first} 年"


def _name_check(row: BudgetRow, subject: str, scheme: str, code: str, prefix: str, year: int | None) -> Iterator[Finding]:
    """The printed name is the code's name in the document's year (DOMAIN §3.4); a name the code had
    before a rename is reported as outdated, naming the new one. No row for the year: not checked."""
    current = classification.name_in(scheme, code, year)
    if current is None:
        return
    printed = label(row.name)
    if classification.same_name(code, printed, current.name):
        return
    if year is None and classification.is_name_of(scheme, code, printed):
        return
    if year is not None and (old := classification.outdated(scheme, code, printed, year)):
        yield make(f"{prefix}-code-name-outdated", row.location, subject=subject, item_code=code,
                   old_years=_years(old[0]), year=year, expected=current.name, actual=printed)
        return
    yield make(f"{prefix}-code-name-mismatch", row.location, subject=subject, item_code=code,
               expected=current.name, actual=printed)


def _class_names(t: BudgetTable, year: int | None) -> Iterator[Finding]:
    """类 rows an overview table lists by name only (财政拨款收支总表: 9、卫生健康支出): a 类 name
    used after its rename (医疗卫生与计划生育支出 in 2019 or later)."""
    if year is None:
        return
    for row in t.rows:
        if row.side != "expenditure" or row.code:
            continue
        printed = label(row.name)
        for old in classification.renamed_classes():
            if classification.normalise(old.name) != classification.normalise(printed) or old.last is None or old.last >= year:
                continue
            current = classification.name_in("func", old.code, year)
            if current is not None:
                yield make("class-name-outdated", row.location, subject=_subject(t, row), item_code=old.code,
                           old_years=_years(old), year=year, expected=current.name, actual=printed)


# ---------------------------------------------------------------- rules 24, 25


@rule("disclosure.func-tree", codes=(*SUM, "func-code-invalid", "func-code-unknown", "func-code-name-mismatch",
                                     "func-code-name-outdated", "class-name-outdated"),
      family="disclosure", profiles=PROFILES)
def check_func_tree(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 24 BUD-FUNC-TREE (§3.2 B8, §3.4): in 收入总表, 支出总表, 一般公共预算支出表 and
    政府性基金预算支出表 功能分类 codes have 3/5/7 digits and sit under their 类; 类 = Σ 款, 款 = Σ 项
    and 合计 = Σ 类 in every amount column; an unknown 类 or a name that is not the code's name in the
    document's year (data/classification.csv, the year's 科目 book) is a warning, and a name the code
    had before a rename (210 医疗卫生与计划生育支出 after 2018) names the new one; the overview tables'
    类 rows printed by name only are checked for such old names too."""
    for kind in ("fiscal_overview", "budget_overview"):
        for t in budget_tables(doc, kind):
            yield from _class_names(t, t.year or doc.year)
    for kind in FUNC_TABLES:
        for t in budget_tables(doc, kind):
            rows = coded_rows(t)
            yield from _code_checks(t, rows, (3, 5, 7), "func", t.year or doc.year)
            good = [r for r in rows if (r.code or "").isdigit() and len(r.code or "") in (3, 5, 7)]
            yield from (f for f in _tree(ctx, t, good, (3, 5, 7)) if f)


_BASIC_ONLY = ("行政运行", "机关服务", "事业运行")
_PROJECT_ONLY = ("一般行政管理事务",)


@rule("disclosure.func-placement", codes=("func-code-placement",), family="disclosure", profiles=PROFILES)
def check_func_placement(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 25 BUD-FUNC-PLACEMENT (§3.4 科目说明): 项 行政运行 / 机关服务 / 事业运行 carry only
    基本支出, 项 一般行政管理事务 only 项目支出 (warning: the reviewer decides)."""
    for kind in ("expenditure", "general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure"):
        for t in budget_tables(doc, kind):
            for row in coded_rows(t):
                name = label(row.name)
                if len(row.code or "") != 7:
                    continue
                for names, wrong, right in ((_BASIC_ONLY, "project", "basic"), (_PROJECT_ONLY, "basic", "project")):
                    amount = wan(t, row, wrong)
                    if name in names and amount:
                        yield make("func-code-placement", row.location, subject=_subject(t, row), name=name,
                                   right=_column(right), wrong=_column(wrong), amount=fmt_wan(amount),
                                   expected=f"{_column(wrong)} 0.00 万元", actual=f"{_column(wrong)} {money(amount)}")


# ---------------------------------------------------------------- rule 26


@rule("disclosure.econ", codes=(*SUM, "econ-code-invalid", "econ-code-unknown", "econ-code-name-mismatch",
                                 "econ-code-name-outdated"),
      family="disclosure", profiles=PROFILES)
def check_econ(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 26 BUD-ECON (§3.2 B9, §3.4): in 一般公共预算基本支出表 every row's 合计 = 人员类 +
    公用经费; 类 (3 digits) = Σ its 5-digit 款 and 合计 = Σ 类 in every column; 合计 人员类 = 301 + 303
    and 公用经费 = the other 类 (302, 309/310 …); codes have the 类 prefix (309 and 310 told apart by
    code); unknown codes and names that differ are warnings."""
    for t in budget_tables(doc, "basic_expenditure"):
        rows = coded_rows(t)
        yield from _code_checks(t, rows, (3, 5), "econ", t.year or doc.year)
        good = [r for r in rows if (r.code or "").isdigit() and len(r.code or "") in (3, 5)]
        found = [*_row_identity(ctx, t, "total", ["personnel", "public"]), *_tree(ctx, t, good, (3, 5))]
        grand = total_row(t)
        codes = {r.code for r in good}
        top = [r for r in good if _parent(r.code or "", codes, (3, 5)) is None]
        if grand and top:
            people = [r for r in top if (r.code or "")[:3] in ("301", "303")]
            other = [r for r in top if r not in people]
            for key, part, names in (("personnel", people, "301 + 303"), ("public", other, "302 等其他类")):
                found.append(sum_check(ctx, grand.location, _subject(t, grand), f"{_column(key)}（{names} 之和）",
                                       wan(t, grand, key), [wan(t, r) for r in part]))
        yield from (f for f in found if f)


# ---------------------------------------------------------------- rule 27

_SANGONG_BASIC = (
    ("reception", ("30217",)), ("vehicle_operation", ("30231",)), ("abroad", ("30212",)),
    ("vehicle_purchase", ("30913", "31013")),
)


def _sangong_sums(ctx: Context, t: BudgetTable) -> Iterator[Finding | None]:
    rows = [r for r in t.rows if not _placeholder(r)]
    yield from _row_identity(ctx, t, "total", ["reception", "abroad", "vehicle"], rows)
    yield from _row_identity(ctx, t, "vehicle", ["vehicle_purchase", "vehicle_operation"], rows)
    grand = next((r for r in rows if is_total(r)), None)
    units = [r for r in rows if not is_total(r)]
    if not grand or not units:
        return
    for key in amount_keys(t):
        check = sum_check(ctx, grand.location, _subject(t, grand), f"{_column(key)}（各单位之和）",
                          wan(t, grand, key), [wan(t, r, key) for r in units])
        if check and len(units) > 1:  # the first unit row may be the department's own summary
            if not sum_check(ctx, grand.location, "", "", wan(t, grand, key), [wan(t, r, key) for r in units[1:]]):
                continue
        yield check


@rule("disclosure.sangong", codes=(*SUM, "sangong-item-below-basic"), family="disclosure", profiles=PROFILES)
def check_sangong(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN rule 27 BUD-SANGONG (§3.2 B10, §3.3): 小计 = 公务接待 + 因公出国（境）+ 公务用车购置及运行,
    公务用车 = 购置 + 运行, 合计 = Σ units; each item ≥ its 基本支出表 line (接待 ≥ 30217, 用车运行 ≥
    30231, 出国 ≥ 30212, 用车购置 ≥ 30913 + 31013), a warning because "三公" also covers 项目支出. The
    text amounts are rule 28's."""
    basic = budget_tables(doc, "basic_expenditure")
    for t in budget_tables(doc, "three_public"):
        yield from (f for f in _sangong_sums(ctx, t) if f)
        grand = next((r for r in t.rows if is_total(r)), None) or next((r for r in t.rows if not _placeholder(r)), None)
        if not grand or not basic:
            continue
        lines = {r.code: (r, wan(basic[0], r)) for r in coded_rows(basic[0])}
        for key, codes in _SANGONG_BASIC:
            found = [lines[c] for c in codes if c in lines and lines[c][1]]
            if not found:
                continue
            floor = sum((v for _, v in found), Decimal(0))
            item = wan(t, grand, key) or Decimal(0)
            if floor - item > tolerance(ctx, "cross", [floor, item]):
                line = " + ".join(f"{r.code} {label(r.name)}" for r, _ in found)
                yield make("sangong-item-below-basic", grand.location, subject=_subject(t, grand), item=_column(key),
                           line=line, expected=fmt_wan(floor), actual=fmt_wan(item))
