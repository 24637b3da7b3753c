"""The 部门预算说明 (Hunan) / 编制说明 and 其他相关情况说明 (Shanghai): sentences generated from the tables.

Every amount, change and percentage a sentence states is computed here from the budget tables (and,
for the change on the year before, from the previous year's figures the department gives in
``DisclosureInfo.previous``), so the 说明 and the tables agree by construction (DOMAIN §3.2 B11; what
``rules/disclosure_text`` checks): 收入 / 支出 totals, 财政拨款, 一般公共预算 and its 类 with their shares,
基本 / 项目支出, 政府性基金, 机关运行经费 (the 三公 table's column where it has one, else the 基本支出表's
公用经费), the 三公 total and its parts, the 绩效目标 amounts, each 功能分类 项 of the 财政拨款支出 (Shanghai).
A change is ``本年 − 上年`` in 万元 and ``Δ / 上年`` in percent, both to two decimals.

What only the department can write — why a figure changed, what the project money is for, the
职能 and 机构 when not given, the 国有资产 — is a ``Paragraph(role="fill")`` with ``key`` naming it; its
text is ``【待填写：what to write】`` (``model.narrative.fill_marker``), which rule ``text.fill-empty`` reports
while it is left; its prompt holds none of the words that give a reason (主要, 原因 …), so the review also
still asks for the reason of a change until the department writes it.

Amounts print in 万元 with two decimals (``5,073.08万元``), as both layouts' 说明 do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal

from jixiao.model.budget import BudgetRow
from jixiao.model.budget import BudgetTable
from jixiao.model.money import Unit
from jixiao.model.money import fmt_wan
from jixiao.model.narrative import fill_marker
from jixiao.write.disclosure_layout import DisclosureLayout
from jixiao.write.disclosure_tables import chinese_number
from jixiao.write.disclosure_tables import printed_rows
from jixiao.write.layout import Block
from jixiao.write.layout import Paragraph

CENT = Decimal("0.01")
_WAN = Decimal(10000)
SANGONG_PARTS = ("abroad", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")


@dataclass(frozen=True)
class DisclosureInfo:
    """What the package needs besides the tables: who, which year, and what only the department knows.

    ``previous`` holds the year before's budget figures in 万元, by topic: ``income``, ``spending``,
    ``fiscal_income``, ``fiscal_spending``, ``general_budget``, ``gov_fund``, ``state_capital``,
    ``operating_costs``, ``sangong``, ``abroad``, ``reception``, ``vehicle``, ``vehicle_purchase``,
    ``vehicle_operation``. A topic left out gets no change sentence (and no fill for its reason).
    ``procurement`` is (货物, 工程, 服务) in 万元 (all 0: 未安排政府采购预算), ``procurement_sme`` what of it
    is reserved for small and medium enterprises and, of that, for small and micro ones; ``meetings`` / ``training`` the 会议费 / 培训费 budgets;
    ``performance`` the number of projects with 绩效目标 and their amount (Shanghai 四、).
    """

    org: str
    year: int
    region: str = ""  # 上海市普陀区 (the Shanghai title)
    units: tuple[str, ...] = ()  # the budget units (预算单位构成), the department first
    functions: tuple[str, ...] = ()  # 职能职责, one paragraph each
    institutions: str = ""  # 机构设置
    previous: dict[str, Decimal] = field(default_factory=dict)
    procurement: tuple[Decimal, Decimal, Decimal] | None = None
    procurement_sme: tuple[Decimal, Decimal] | None = None  # 面向中小企业预留, 其中小型和微型企业 (Shanghai)
    meetings: Decimal | None = None
    training: Decimal | None = None
    performance: tuple[int, Decimal] | None = None
    assets: str = ""  # 国有资产占用使用及新增资产配置情况


def money(value: Decimal) -> str:
    return f"{fmt_wan(value)}万元"


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, ROUND_HALF_UP)


class Figures:
    """The tables' figures in 万元 (exact: a 元 table is divided, not rounded), by topic."""

    def __init__(self, tables: list[BudgetTable]):
        self.tables = {t.kind: t for t in tables}
        self.values: dict[str, Decimal] = {}
        self._overview()
        self._functional()
        self._basic()
        self._three_public()

    def get(self, topic: str) -> Decimal:
        return self.values.get(topic, Decimal(0))

    def has(self, topic: str) -> bool:
        return topic in self.values

    def _put(self, topic: str, table: BudgetTable, value: Decimal | str | None) -> None:
        if topic not in self.values and isinstance(value, Decimal):
            self.values[topic] = value / _WAN if table.unit is Unit.YUAN else value

    def _side(self, kind: str, side: str, pattern: str) -> tuple[BudgetTable, BudgetRow] | None:
        t = self.tables.get(kind)
        if t is None:
            return None
        row = next((r for r in t.rows if r.side == side and re.search(pattern, re.sub(r"\s+", "", r.name))), None)
        return (t, row) if row is not None else None

    def _overview(self) -> None:
        for topic, kind, side, pattern in (
            ("income", "budget_overview", "income", r"^本年收入合计"), ("income", "budget_overview", "income", r"^收入总计"),
            ("spending", "budget_overview", "expenditure", r"^本年支出合计"),
            ("spending", "budget_overview", "expenditure", r"^支出总计"),
            ("fiscal_income", "budget_overview", "income", r"^(本级)?财政拨款(收入)?$"),
            ("fiscal_income", "fiscal_overview", "income", r"^本年收入$"),
            ("fiscal_income", "fiscal_overview", "income", r"^收入总计$"),
            ("gb_income", "fiscal_overview", "income", r"^一般公共预算"),
            ("gf_income", "fiscal_overview", "income", r"^政府性基金"),
            ("sc_income", "fiscal_overview", "income", r"^国有资本经营"),
            ("fiscal_spending", "fiscal_overview", "expenditure", r"^本年支出$"),
            ("fiscal_spending", "fiscal_overview", "expenditure", r"^支出总计$"),
        ):
            found = self._side(kind, side, pattern)
            if found:
                self._put(topic, found[0], found[1].total)
        for key, topic in (("business", "business_income"), ("operating", "operating_income"), ("other", "other_income")):
            t = self.tables.get("revenue")
            row = _total_row(t) if t is not None else None
            if t is not None and row is not None:
                self._put(topic, t, row.value(key) or Decimal(0))

    def _functional(self) -> None:
        t = self.tables.get("expenditure")
        row = _total_row(t) if t is not None else None
        if t is not None and row is not None:
            self._put("spending", t, row.total)
            self._put("basic", t, row.value("basic"))
            self._put("project", t, row.value("project"))
        for kind, topic in (("general_budget_expenditure", "general_budget"), ("gov_fund_expenditure", "gov_fund"),
                            ("state_capital_expenditure", "state_capital")):
            t = self.tables.get(kind)
            row = _total_row(t) if t is not None else None
            if t is not None and row is not None:
                self._put(topic, t, row.total)
                if kind == "general_budget_expenditure":
                    self._put("gb_basic", t, row.value("basic"))
                    self._put("gb_project", t, row.value("project"))
            elif t is not None or kind != "state_capital_expenditure":
                self.values.setdefault(topic, Decimal(0))

    def _basic(self) -> None:
        t = self.tables.get("basic_expenditure")
        row = _total_row(t) if t is not None else None
        if t is not None and row is not None:
            self._put("personnel", t, row.value("personnel"))
            self._put("public", t, row.value("public"))

    def _three_public(self) -> None:
        t = self.tables.get("three_public")
        if t is None:
            return
        row = _total_row(t) or next((r for r in t.rows if r.total is not None), None)
        if row is None:
            for topic in ("sangong", *SANGONG_PARTS):
                self.values[topic] = Decimal(0)
            return
        self._put("sangong", t, row.total or Decimal(0))
        for key in SANGONG_PARTS:
            self._put(key, t, row.value(key) or Decimal(0))
        self._put("running_costs", t, row.value("running_costs"))

    def classes(self, kind: str, key: str = "total") -> list[tuple[str, Decimal]]:
        """The 功能分类 类 rows of a table with their amount in ``key`` (blank ones left out)."""
        t = self.tables.get(kind)
        out = []
        for r in printed_rows(t) if t is not None else []:
            value = r.total if key == "total" else r.value(key)
            if r.code and len(r.code) == 3 and isinstance(value, Decimal) and value:
                out.append((r.name, value / _WAN if t.unit is Unit.YUAN else value))
        return out

    def items(self, kinds: tuple[str, ...]) -> list[tuple[str, str, Decimal]]:
        """Every 功能分类 项 row with an amount: (类-款-项 names, 项 name, 万元)."""
        out = []
        for kind in kinds:
            t = self.tables.get(kind)
            names: dict[str, str] = {}
            for r in printed_rows(t) if t is not None else []:
                if not r.code:
                    continue
                names[r.code] = r.name
                if len(r.code) == 7 and isinstance(r.total, Decimal) and r.total:
                    path = "-".join(names.get(r.code[:n], "") for n in (3, 5)) + "-" + r.name
                    out.append((path, r.name, r.total / _WAN if t.unit is Unit.YUAN else r.total))
        return out

    def operating_costs(self, printed: bool = True) -> Decimal:
        """机关运行经费: the 三公 table's column when the layout prints it (``printed``), else 公用经费."""
        return self.values["running_costs"] if printed and "running_costs" in self.values else self.get("public")


def _total_row(table: BudgetTable | None) -> BudgetRow | None:
    if table is None:
        return None
    return next((r for r in table.rows if r.code is None and re.sub(r"\s+", "", r.name) in ("合计", "总计")), None)


class Writer:
    """The 说明 of one layout: ``sections()`` gives the blocks of each outline entry."""

    def __init__(self, figures: Figures, info: DisclosureInfo, layout: DisclosureLayout):
        self.f = figures
        self.info = info
        self.layout = layout
        self.year = info.year
        self.we = layout.explain.get("we", "本部门")  # 本部门 / 本单位 (a 单位预算)

    # ---------------------------------------------------------------- helpers

    def fill(self, key: str, what: str) -> Paragraph:
        return Paragraph(fill_marker(what), role="fill", key=key)

    def change(self, topic: str, now: Decimal, pct: bool = True) -> str:
        """``比上年预算增加 D 万元，增长 P%`` (or 持平), from the previous year's figure; "" without it."""
        previous = self.info.previous.get(topic)
        if previous is None:
            return ""
        words = {"previous": self.year - 1}
        now, previous = now.quantize(CENT, ROUND_HALF_UP), previous.quantize(CENT, ROUND_HALF_UP)
        delta = now - previous
        if delta == 0:
            return self.layout.explain.get("flat", "与上年预算持平").format(**words)
        compare = self.layout.explain.get("compare", "比上年预算").format(**words)
        text = f"{compare}{'增加' if delta > 0 else '减少'}{money(abs(delta))}"
        if pct and previous:
            text += f"，{'增长' if delta > 0 else '下降'}{abs(percent(delta, previous))}%"
        return text

    def changed(self, topic: str, now: Decimal) -> bool:
        previous = self.info.previous.get(topic)
        return previous is not None and now.quantize(CENT, ROUND_HALF_UP) != previous.quantize(CENT, ROUND_HALF_UP)

    def reason(self, key: str, what: str, *topics: tuple[str, Decimal]) -> list[Block]:
        """A place for the reason when one of the figures changed."""
        return [self.fill(key, what)] if any(self.changed(t, v) for t, v in topics) else []

    @property
    def operating_costs(self) -> Decimal:
        three = self.layout.table("three_public")
        return self.f.operating_costs(printed=three is not None and "running_costs" in three.keys)

    def para(self, text: str) -> Paragraph:
        return Paragraph(text)

    def sections(self) -> list[tuple[str, str, list[Block]]]:
        return [(heading, content, getattr(self, f"_{content}")()) for heading, content in self.layout.sections]

    # ---------------------------------------------------------------- Hunan

    def _overview(self) -> list[Block]:
        out: list[Block] = [Paragraph("（一）职能职责", role="heading2")]
        out += [self.para(p) for p in self.info.functions] or [self.fill("职能职责", "部门职能职责")]
        out.append(Paragraph("（二）机构设置", role="heading2"))
        out.append(self.para(self.info.institutions) if self.info.institutions else self.fill("机构设置", "内设机构及下属单位"))
        return out

    def _units(self) -> list[Block]:
        units = self.info.units or (self.info.org,)
        kind = "汇总预算" if len(units) > 1 else "本级预算"
        out: list[Block] = [self.para(f"{self.we}预算为{kind}，纳入{self.year}年部门预算编制范围的预算单位包括：")]
        out += [self.para(f"{i}. {name}{'。' if i == len(units) else '；'}") for i, name in enumerate(units, 1)]
        return out

    def _classes_clause(self, classes: list[tuple[str, Decimal]], whole: Decimal | None = None) -> str:
        parts = []
        for name, value in classes:
            share = f"，占{percent(value, whole)}%" if whole else ""
            parts.append(f"{name}{money(value)}{share}")
        return "；".join(parts)

    def _totals(self) -> list[Block]:
        f, y = self.f, self.year
        income, spending = f.get("income"), f.get("spending")
        sources = [("一般公共预算拨款", f.get("gb_income")), ("政府性基金预算拨款", f.get("gf_income")),
                   ("国有资本经营预算拨款", f.get("sc_income"))]
        of = "，".join(f"{name}{money(v)}" for name, v in sources if v) or f"财政拨款{money(f.get('fiscal_income'))}"
        text = (f"（一）收入预算：包括一般公共预算、政府性基金、国有资本经营预算等财政拨款收入，以及经营收入、事业收入等单位资金。"
                f"{y}年{self.we}收入预算{money(income)}，其中，{of}。")
        if ch := self.change("income", income):
            text += f"收入{ch}。"
        out: list[Block] = [self.para(text), *self.reason("收入增减原因", "收入预算增减变化的理由", ("income", income))]
        classes = self._classes_clause(f.classes("expenditure"))
        text = f"（二）支出预算：{y}年{self.we}支出预算{money(spending)}" + (f"，其中：{classes}。" if classes else "。")
        if ch := self.change("spending", spending):
            text += f"支出{ch}。"
        out += [self.para(text), *self.reason("支出增减原因", "支出预算增减变化的理由", ("spending", spending))]
        return out

    def _general_budget(self) -> list[Block]:
        f, y = self.f, self.year
        total = f.get("general_budget")
        classes = self._classes_clause(f.classes("general_budget_expenditure"), total if total else None)
        text = f"{y}年{self.we}一般公共预算拨款支出{money(total)}" + (f"，其中：{classes}。" if classes else "。")
        if ch := self.change("general_budget", total):
            text += f"一般公共预算拨款支出{ch}。"
        out: list[Block] = [self.para(text + "具体情况如下：")]
        out += self.reason("一般公共预算增减原因", "一般公共预算拨款支出增减变化的理由", ("general_budget", total))
        out.append(self.para(f"（一）基本支出：{y}年{self.we}基本支出预算数{money(f.get('gb_basic'))}，主要是为保障部门正常运转、"
                             "完成日常工作任务而发生的各项支出，包括用于基本工资、津贴补贴等人员经费以及办公费、印刷费、"
                             "水电费、办公设备购置等公用经费。"))
        project_classes = self._classes_clause(f.classes("general_budget_expenditure", "project"))
        text = (f"（二）项目支出：{y}年{self.we}项目支出预算{money(f.get('gb_project'))}，主要是部门为完成特定行政工作任务或事业"
                "发展目标而发生的支出，包括有关事业发展专项、专项业务费、基本建设支出等"
                + (f"，其中：{project_classes}。" if project_classes else "。"))
        out += [self.para(text), self.fill("项目支出用途", "项目支出主要用于哪些方面")] if f.get("gb_project") else [self.para(text)]
        return out

    def _gov_fund(self) -> list[Block]:
        total = self.f.get("gov_fund")
        if not total:
            return [self.para(f"{self.year}年{self.we}无政府性基金安排的支出。")]
        classes = self._classes_clause(self.f.classes("gov_fund_expenditure"))
        text = f"{self.year}年{self.we}政府性基金预算支出{money(total)}" + (f"，其中：{classes}。" if classes else "。")
        return [self.para(text), self.fill("政府性基金用途", "政府性基金预算支出主要用于哪些方面")]

    def _scope(self) -> str:
        units = self.info.units
        if len(units) > 1:
            return f"{'、'.join(units)}等{len(units)}家行政事业单位的"
        return ""

    def _other_matters(self) -> list[Block]:
        f, y = self.f, self.year
        running = self.operating_costs
        text = f"（一）机关运行经费：{y}年{self.we}{self._scope()}机关运行经费{money(running)}"
        ch = self.change("operating_costs", running)
        out: list[Block] = [self.para(text + (f"，{ch}。" if ch else "。"))]
        out += self.reason("机关运行经费增减原因", "机关运行经费增减变化的理由", ("operating_costs", running))
        out += self._sangong_hunan()
        if self.info.meetings is not None or self.info.training is not None:
            text = f"（三）一般性支出情况：{y}年{self.we}会议费预算{money(self.info.meetings or Decimal(0))}；" \
                   f"培训费预算{money(self.info.training or Decimal(0))}。"
            out += [self.para(text), self.fill("一般性支出", "会议、培训的内容、人数及节庆、晚会、论坛、赛事活动情况")]
        else:
            out += [self.para("（三）一般性支出情况："), self.fill("一般性支出", "会议费、培训费预算及其用途")]
        out += self._procurement("（四）政府采购情况：", f"{y}年{self.we}政府采购预算总额", "类采购预算", "；")
        out.append(self.para("（五）国有资产占用使用及新增资产配置情况：" + self.info.assets) if self.info.assets
                   else self.para("（五）国有资产占用使用及新增资产配置情况："))
        if not self.info.assets:
            out.append(self.fill("国有资产", "公务用车及大型设备的占有和新增配置情况"))
        out.append(self.para(f"（六）预算绩效目标说明：{self.we}所有支出实行绩效管理。纳入{y}年部门整体支出绩效目标的金额为"
                             f"{money(f.get('spending'))}，其中，基本支出{money(f.get('basic'))}，项目支出{money(f.get('project'))}。"))
        return out

    def _sangong_hunan(self) -> list[Block]:
        f, y = self.f, self.year
        total = f.get("sangong")
        text = (f"（二）“三公”经费预算：{y}年{self.we}{self._scope()}“三公”经费预算数为{money(total)}，其中，公务接待费"
                f"{money(f.get('reception'))}，公务用车购置及运行费{money(f.get('vehicle'))}（其中，公务用车购置费"
                f"{money(f.get('vehicle_purchase'))}，公务用车运行费{money(f.get('vehicle_operation'))}），因公出国（境）费"
                f"{money(f.get('abroad'))}。")
        if ch := self.change("sangong", total):
            text += f"{y}年“三公”经费预算{ch}。"
        return [self.para(text), *self.reason("三公经费增减原因", "“三公”经费增减变化的理由", ("sangong", total))]

    def _procurement(self, lead: str, total_label: str, part_suffix: str, sep: str) -> list[Block]:
        if self.info.procurement is None:
            return [self.para(lead), self.fill("政府采购", "政府采购预算总额及货物、工程、服务类预算")]
        goods, works, services = self.info.procurement
        total = goods + works + services
        text = (f"{lead}{total_label}{money(total)}，其中，货物{part_suffix}{money(goods)}{sep}工程{part_suffix}{money(works)}"
                f"{sep}服务{part_suffix}{money(services)}。")
        return [self.para(text)]

    def _glossary(self) -> list[Block]:
        style = self.layout.explain.get("glossary_item", "{n}. {term}：{text}")
        return [self.para(style.format(n=i, cn=chinese_number(i), term=term, text=text))
                for i, (term, text) in enumerate(self.layout.glossary, 1)]

    # ---------------------------------------------------------------- Shanghai

    def _functions(self) -> list[Block]:
        out: list[Block] = [self.para(p) for p in self.info.functions]
        return out or [self.fill("主要职能", "部门主要职能")]

    def _institutions(self) -> list[Block]:
        out: list[Block] = []
        if self.info.institutions:
            out.append(self.para(self.info.institutions))
        units = self.info.units or (self.info.org,)
        out.append(self.para(f"{self.info.org}部门预算包括以下预算单位："))
        out += [self.para(f"{i}. {name}{'。' if i == len(units) else '；'}") for i, name in enumerate(units, 1)]
        return out

    def _budget_notes(self) -> list[Block]:
        f, y, org = self.f, self.year, self.info.org
        income, fiscal = f.get("income"), f.get("fiscal_income")
        ch = self.change("fiscal_income", fiscal, pct=False)
        text = (f"{y}年，{org}收入预算{money(income)}，其中：财政拨款收入{money(fiscal)}" + (f"，{ch}" if ch else "")
                + f"；事业收入{money(f.get('business_income'))}；事业单位经营收入{money(f.get('operating_income'))}；"
                f"其他收入{money(f.get('other_income'))}。")
        out: list[Block] = [self.para(text)]
        spending, fiscal_sp = f.get("spending"), f.get("fiscal_spending")
        parts = []
        for topic, name in (("general_budget", "一般公共预算拨款支出预算"), ("gov_fund", "政府性基金拨款支出预算"),
                            ("state_capital", "国有资本经营预算拨款支出预算")):
            value = f.get(topic)
            ch = self.change(topic, value, pct=False)
            parts.append(f"{name}{money(value)}" + (f"，{ch}" if ch else ""))
        ch = self.change("fiscal_spending", fiscal_sp, pct=False)
        text = (f"支出预算{money(spending)}，其中：财政拨款支出预算{money(fiscal_sp)}" + (f"，{ch}" if ch else "")
                + "。财政拨款支出预算中，" + "；".join(parts) + "。")
        out.append(self.para(text))
        out += self.reason("财政拨款增减原因", "财政拨款收入支出增减变化的理由", ("fiscal_income", fiscal),
                           ("fiscal_spending", fiscal_sp))
        items = f.items(("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure"))
        if items:
            out.append(self.para("财政拨款支出主要内容如下："))
        for i, (path, name, value) in enumerate(items, 1):
            purpose = self.layout.purposes.get(name)
            out.append(self.para(f"{i}. “{path}”科目{money(value)}，{purpose or ''}".rstrip("，") + ("" if purpose else "。")))
            if not purpose:
                out.append(self.fill(f"科目用途{i}", f"“{name}”科目主要用于哪些方面"))
        return out

    def _tables(self) -> list[Block]:
        return []  # the tables follow this heading (disclosure.py puts them there)

    def _other_notes(self) -> list[Block]:
        f, y = self.f, self.year
        total = f.get("sangong")
        ch = self.change("sangong", total, pct=False)
        out: list[Block] = [Paragraph(f"一、{y}年“三公”经费预算情况说明", role="heading2")]
        out.append(self.para(f"{y}年“三公”经费预算数为{money(total)}" + (f"，{ch}" if ch else "") + "。其中："))
        lines = (("（一）", "因公出国（境）费", "abroad", ()), ("（二）", "公务用车购置及运行费", "vehicle",
                 (("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行费"))),
                 ("（三）", "公务接待费", "reception", ()))
        asked = False
        for lead, name, key, subs in lines:  # the template asks the reason of each item that changed
            value = f.get(key)
            ch = self.change(key, value, pct=False)
            text = f"{lead}{name}{money(value)}" + (f"，{ch}" if ch else "")
            if subs:
                parts = []
                for sub, sub_name in subs:
                    v = f.get(sub)
                    c = self.change(sub, v, pct=False)
                    parts.append(f"{sub_name}{money(v)}" + (f"，{c}" if c else ""))
                text += "。其中：" + "；".join(parts)
            out.append(self.para(text + "。"))
            if self.changed(key, value) or any(self.changed(sub, f.get(sub)) for sub, _n in subs):
                out.append(self.fill(f"{name}增减原因", f"{name}增减变化的理由"))
                asked = True
        if not asked:
            out += self.reason("三公经费增减原因", "“三公”经费增减变化的理由", ("sangong", total))
        out.append(Paragraph("二、机关运行经费预算", role="heading2"))
        running = self.operating_costs
        if running:
            ch = self.change("operating_costs", running, pct=False)
            out.append(self.para(f"{y}年{self.info.org}财政拨款的机关运行经费预算为{money(running)}"
                                 + (f"，{ch}" if ch else "") + "。"))
            out += self.reason("机关运行经费增减原因", "机关运行经费增减变化的理由", ("operating_costs", running))
        else:
            out.append(self.para(f"{self.we}无机关运行经费。"))
        out.append(Paragraph("三、政府采购预算情况", role="heading2"))
        procurement = self.info.procurement
        if procurement is not None and not sum(procurement):
            out.append(self.para(f"{self.info.org}{y}年未安排政府采购预算。"))
        else:
            out += self._procurement("", f"{y}年{self.we}政府采购预算", "预算", "、")
            if self.info.procurement_sme is not None:
                sme, small = self.info.procurement_sme
                out.append(self.para(f"{y}年{self.we}面向中小企业预留政府采购项目预算金额{money(sme)}，其中，预留给小型和微型企业的"
                                     f"政府采购项目预算为{money(small)}。"))
            else:
                out.append(self.fill("中小企业预留", "面向中小企业预留的政府采购项目预算及其中预留给小型和微型企业的预算"))
        out.append(Paragraph("四、绩效目标设置情况", role="heading2"))
        if self.info.performance is not None:
            count, amount = self.info.performance
            units = len(self.info.units) or 1
            out.append(self.para(f"按照本区预算绩效管理工作的总体要求，{self.we}{units}个预算单位开展了{y}年项目预算绩效目标编报工作，"
                                 f"编报绩效目标的项目{count}个，涉及项目预算资金{money(amount)}。"))
        else:
            out.append(self.fill("绩效目标设置", "编报绩效目标的项目个数及涉及的项目预算资金"))
        out.append(Paragraph("五、国有资产占有使用情况", role="heading2"))
        out.append(self.para(self.info.assets) if self.info.assets else self.fill("国有资产", "车辆及单价100万元（含）以上设备的占有和购置情况"))
        return out

    def _projects(self) -> list[Block]:
        return [self.fill("项目经费情况说明", "每个项目的概述、立项依据、实施主体、实施方案、实施周期、年度预算安排和绩效目标")]
