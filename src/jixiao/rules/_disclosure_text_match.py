"""The narrative side of rule 28 (DOMAIN §6 BUD-TEXT-TABLE, §3.2 B11): what a stated amount of the
部门预算说明 is about, and where in the 说明 its context lies.

Stage: rules, over a parsed disclosure's stated amounts (``doc.amounts``); used by
``disclosure_text``. ``topic_of`` gives a stated amount's topic from its label (first match of
``TOPICS`` wins, a 功能分类 类 name before all); ``item_path`` reads a Shanghai “类-款-项” line;
``base_of`` pairs a change with its year's amount; ``item_context`` ties the amounts after a
“类-款-项” line to it. Amounts are read in 万元
(``stated_wan``; a unit other than 元 / 万元 / 亿元 gives None). Lookups only: nothing here
compares with the tables or makes a finding.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model.document import Document
from jixiao.model.narrative import StatedAmount
from jixiao.rules._disclosure_figures import Figure
from jixiao.rules.disclosure import label

# (topic, label pattern), first match wins: the specific before the general.
TOPICS: tuple[tuple[str, str], ...] = (
    ("vehicle", r"公务用车购置(及|和|与)运行"),
    ("vehicle_purchase", r"公务用车购置"),
    ("vehicle_operation", r"公务用车运行"),
    ("reception", r"公务接待"),
    ("abroad", r"因公出国|出国（境）|出国\(境\)"),
    ("sangong", r"三公"),
    ("operating_costs", r"机关运行经费"),
    ("personnel", r"人员经费$"),
    ("public_funds", r"公用经费$"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("gf_spending", r"政府性基金(预算)?(财政)?(拨款)?支出"),
    ("sc_spending", r"国有资本经营预算(财政)?(拨款)?支出"),
    ("gb_spending", r"一般公共预算(财政)?(拨款)?支出"),
    # 财政拨款支出 is the 财政拨款 table's 本年支出, never 支出总计 of all funds
    ("fiscal_spending", r"财政拨款支出"),
    ("gb_income", r"一般公共预算(财政)?拨款(收入)?(预算)?(数)?$"),
    ("fiscal_income", r"(本级)?财政拨款(收入)?(预算)?(数)?$"),
    ("income", r"收入(预算|总计|合计)(数|总额)?$|收入预算|^(本部门|本单位)?收入$"),
    ("spending", r"支出(预算|总计|合计)(数|总额)?$|支出预算|^(本部门|本单位)?支出$|绩效目标的?(金额|资金)"),
)
_CHANGE_WORDS = re.compile(r"(较|比|同比|与)?(上年|去年|上一年度?|20\d\d\s*年)(预算)?(相比)?(增加|减少|增长|下降|上升|降低)?")
# words that give a change's reason (主要是…, 原因…)
REASON = re.compile(r"主要|原因|由于|因此|所以|用于|是因为")
# 万元 per unit of a stated amount
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


def topic_of(text: str, classes: dict[str, list[Figure]] | None = None) -> str | None:
    """The topic of a stated amount's label, its 较上年 words removed: ``class:`` + a 功能分类 类 name
    of ``classes`` it ends with, else the first ``TOPICS`` match; None when neither."""
    name = _CHANGE_WORDS.sub("", label(text))
    for cls in classes or {}:
        if cls and name.endswith(cls):
            return f"class:{cls}"
    for topic, pattern in TOPICS:
        if re.search(pattern, name):
            return topic
    return None


def stated_wan(a: StatedAmount) -> Decimal | None:
    """A stated amount in 万元 (None for a percentage or another unit)."""
    factor = MONEY_UNITS.get(a.unit)
    return a.value * factor if factor is not None else None


_ITEM = re.compile(r"^“(.+)”(科目)?$")


def item_path(text: str) -> str | None:
    """``“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目`` → its 类/款/项 names joined
    by ``/`` (also ``“…（类）…（款）…（项）”``); None for other labels."""
    m = _ITEM.match(label(text))
    if not m:
        return None
    body = m.group(1)
    if re.search(r"\((类|款|项)\)", body):
        names = [n for n in re.split(r"\((?:类|款|项)\)", body) if n]
    else:
        names = body.split("-")
    names = [re.sub(r"[()（）]", "", n) for n in names]
    return "/".join(names) if len(names) >= 2 and all(names) else None


def squash(text: str) -> str:
    """``text`` without whitespace, for finding a sentence in a paragraph."""
    return re.sub(r"\s+", "", text)


def base_of(amounts: list[StatedAmount], i: int, classes) -> StatedAmount | None:
    """The current-year amount the change at ``i`` refers to: the closest earlier amount of its
    topic, or (no topic) the first amount of its sentence."""
    change = amounts[i]
    topic = topic_of(change.label, classes)
    before = [a for a in amounts[:i] if a.change is None and stated_wan(a) is not None]
    if topic:
        return next((a for a in reversed(before) if topic_of(a.label, classes) == topic), None)
    return next((a for a in before if a.context == change.context), None)


def item_context(doc: Document) -> dict[int, tuple[str, StatedAmount]]:
    """Amounts stated after a 功能分类 line (``“类-款-项”科目 X 万元``), within 3 lines and before the
    next one: index → (the line's path, its amount)."""
    out: dict[int, tuple[str, StatedAmount]] = {}
    current: tuple[str, StatedAmount] | None = None
    for i, a in enumerate(doc.amounts):
        path = item_path(a.label)
        if path:
            current = (path, a)
            continue
        if current and a.location.line is not None and current[1].location.line is not None:
            if a.location.line - current[1].location.line > 3:
                current = None
                continue
            out[i] = current
    return out
