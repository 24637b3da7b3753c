"""The table side of rule 28 (DOMAIN §6 BUD-TEXT-TABLE, §3.2 B11): every table figure a stated
amount of the 部门预算说明 may be compared with, by topic.

Stage: rules, over a parsed disclosure's tables; used by ``disclosure_text``. ``figures`` keys
each figure by the topic ``_disclosure_text_match.topic_of`` gives a stated amount (收入,
基本支出, 机关运行经费, ``class:`` + a 功能分类 类 name, ``item:`` + a 类/款/项 path …) and says
where it comes from (``basis``, e.g. 部门收支总表 本年收入合计) in the table's own name — the
Shanghai one for a Shanghai table. Values are in 万元; an empty table (空表) counts as 0. Nothing
here reads the narrative or makes a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.document import Document
from jixiao.rules.disclosure import _CLASS_EXCLUDE
from jixiao.rules.disclosure import SH_TABLE_NAMES
from jixiao.rules.disclosure import budget_tables
from jixiao.rules.disclosure import coded_rows
from jixiao.rules.disclosure import label
from jixiao.rules.disclosure import shown
from jixiao.rules.disclosure import side_row
from jixiao.rules.disclosure import table_name
from jixiao.rules.disclosure import total_row
from jixiao.rules.disclosure import wan
from jixiao.rules.disclosure import year_total

SANGONG_KEYS = ("vehicle", "vehicle_purchase", "vehicle_operation", "reception", "abroad")


@dataclass(frozen=True, slots=True)
class Figure:
    """A table figure a stated amount may equal: its value in 万元 and where it is printed."""

    value: Decimal
    basis: str  # where in the tables: "部门收支总表 本年收入合计"


def _name(t, default: str) -> str:
    """A table's name in messages: the Shanghai name for a Shanghai table, else ``default``."""
    name = table_name(t)
    return name if name in SH_TABLE_NAMES.values() else default


def _empty(t) -> bool:
    return not any(isinstance(v, Decimal) for r in t.rows for v in [r.total, *(v for _, v in r.values)])


def figures(doc: Document) -> dict[str, list[Figure]]:
    """Every table figure a narrative amount may state, by topic."""
    out: dict[str, list[Figure]] = {}

    def add(topic: str, value: Decimal | None, basis: str) -> None:
        if value is not None:
            out.setdefault(topic, []).append(Figure(value, basis))

    for t in budget_tables(doc, "budget_overview"):
        for topic, side, pattern in (
            ("income", "income", r"^本年收入合计"), ("income", "income", r"^收入总计"),
            ("spending", "expenditure", r"^本年支出合计"), ("spending", "expenditure", r"^支出总计"),
            ("fiscal_income", "income", r"^(本级)?财政拨款"), ("basic", "expenditure", r"^基本支出"),
            ("project", "expenditure", r"^项目支出"),
        ):
            row = side_row(t, side, pattern)
            if row:
                add(topic, wan(t, row), f"{_name(t, '部门收支总表')} {shown(row.name)}")
    for t in budget_tables(doc, "fiscal_overview"):
        name = _name(t, "财政拨款收支总表")
        for topic, row in (("fiscal_income", year_total(t, "income")), ("gb_income", side_row(t, "income", r"^一般公共预算"))):
            if row:
                add(topic, wan(t, row), f"{name} {shown(row.name)}")
        spend = year_total(t, "expenditure")
        if spend:
            add("gb_spending", wan(t, spend, "general_budget"), f"{name} {shown(spend.name)[:4]}/一般公共预算")
            add("fiscal_spending", wan(t, spend), f"{name} {shown(spend.name)[:4]}")
    for kind, name, topic in (("expenditure", "部门支出总表", "spending"), ("general_budget_expenditure", "一般公共预算支出表", "gb_spending"),
                              ("gov_fund_expenditure", "政府性基金预算支出表", "gf_spending"),
                              ("state_capital_expenditure", "国有资本经营预算支出表", "sc_spending")):
        for t in budget_tables(doc, kind):
            name = _name(t, name)
            row = total_row(t)
            if row and row.total is None and _empty(t):  # an empty table (空表): nothing budgeted
                add(topic, Decimal(0), f"{name}（空表）")
            if row:
                add(topic, wan(t, row), f"{name} 合计")
                if kind not in ("gov_fund_expenditure", "state_capital_expenditure"):
                    add("basic", wan(t, row, "basic"), f"{name} 合计/基本支出")
                    add("project", wan(t, row, "project"), f"{name} 合计/项目支出")
            for r in coded_rows(t):
                if len(r.code or "") == 3 and label(r.name):
                    for key, col in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
                        add(f"class:{label(r.name)}", wan(t, r, key), f"{name} {r.code} {shown(r.name)}/{col}")
    for t in budget_tables(doc, "fiscal_overview"):
        for r in t.rows:
            name = label(r.name)
            if r.side == "expenditure" and not _CLASS_EXCLUDE.search(name) and wan(t, r):
                add(f"class:{name}", wan(t, r), f"财政拨款收支总表 {name}")
    running = [(t, r) for t in budget_tables(doc, "three_public") for r in t.rows if isinstance(r.value("running_costs"), Decimal)]
    for t, r in running[:1]:
        add("operating_costs", wan(t, r, "running_costs"), f"{_name(t, '“三公”经费支出表')} 机关运行经费预算数")
    for t in budget_tables(doc, "basic_expenditure"):
        row = total_row(t)
        if row:
            name = _name(t, "一般公共预算基本支出表")
            if not running:
                add("operating_costs", wan(t, row, "public"), f"{name} 合计/公用经费")
            add("personnel", wan(t, row, "personnel"), f"{name} 合计/人员类")
            add("public_funds", wan(t, row, "public"), f"{name} 合计/公用经费")
            add("basic", wan(t, row), f"{name} 合计")
    for t in budget_tables(doc, "three_public"):
        row = total_row(t) or next((r for r in t.rows if r.total is not None), None)
        name = _name(t, "“三公”经费支出表")
        if row:
            add("sangong", wan(t, row) or Decimal(0), f"{name} 合计/小计")
            for key, col in zip(SANGONG_KEYS, ("公务用车购置及运行费", "公务用车购置", "公务用车运行费", "公务接待费", "因公出国（境）费"), strict=True):
                add(key, wan(t, row, key) or Decimal(0), f"{name} 合计/{col}")
    for (path, basis), value in _item_rows(doc).items():
        add(f"item:{path}", value, basis)
    return out


def _item_rows(doc: Document) -> dict[tuple[str, str], Decimal]:
    """Every 功能分类 row's 类/款/项 path → its 合计 (财政拨款 tables first; 支出预算总表 only for
    paths they do not have)."""
    out: dict[tuple[str, str], Decimal] = {}
    seen: set[str] = set()
    for group in (("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure"), ("expenditure",)):
        found: set[str] = set()
        for kind in group:
            for t in budget_tables(doc, kind):
                names: dict[str, str] = {}
                for r in coded_rows(t):
                    code = r.code or ""
                    names[code] = re.sub(r"[()（）]", "", label(r.name))
                    parts = [names.get(code[:n]) for n in (3, 5, 7) if n <= len(code)]
                    value = wan(t, r)
                    if value is None or not all(parts) or len(parts) < 2:
                        continue
                    path = "/".join(p for p in parts if p)
                    if path in seen:
                        continue
                    found.add(path)
                    out[(path, f"{table_name(t)} {code} {shown(r.name)}")] = value
        seen |= found
    return out
