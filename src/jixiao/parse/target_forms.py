"""Key/value cells of the form layouts (seeds 000, 002, 004): 项目名称 | X, 资金总额：864.3万 …

Labels are matched after normalisation; a label not known as printed is retried without its
trailing parenthetical notes (``项目总金额（中期规划，万元）``, ``长期目标（跨度多年的项目需填）``),
and a money unit named in such a note (万元 / 元) is the unit of that cell (``label_unit``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model.money import D
from jixiao.parse.text import norm

# label → field of TargetSet / FundAmounts ("-" marks a group label without a value)
FORM_KEYS: dict[str, str] = {
    "项目名称": "project",
    "项目支出名称": "project",
    "支出方向(子项)": "project",
    "所属专项名称": "parent_fund",
    "主管部门及代码": "department",
    "主管单位及代码": "department",
    "实施单位": "unit",
    "项目单位": "unit",
    "项目周期": "period",
    "项目属性": "category",
    "所属专项": "parent_fund",
    "预算部门": "unit",
    "部门名称": "unit",
    "部门(单位)名称": "unit",
    "单位名称": "unit",
    "资金总额": "total",
    "年度本级预算金额": "total",
    "预算金额": "total",
    "项目金额": "total",
    "金额": "total",
    "一般公共预算": "general_budget",
    "一般公共预算拨款": "general_budget",
    "政府性基金": "gov_fund",
    "政府性基金拨款": "gov_fund",
    "财政专户管理资金": "special_account",
    "纳入专户管理的非税收入拨款": "special_account",
    "其他资金": "other",
    "财政拨款": "fiscal",  # central forms: kept as printed (the model's breakdown is 一般公共预算 …)
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "基本支出": "basic",
    "项目支出": "project_amount",
    "本年度项目金额": "total",
    "本年度金额": "total",
    "年度资金总额": "total",
    "项目总金额": "period_total",
    "中期资金总额": "period_total",
    "该项目支出上级资金": "superior",
    "上级资金": "superior",
    "项目类别": "category",
    "项目类型": "category",
    "项目编码": "project_code",
    "项目代码": "project_code",
    "申请单位": "unit",
    "一级预算单位": "department",
    "主管部门": "department",
    "实施期限": "period",
    "分配方式": "allocation",
    "是否新增项目": "new_project",
    "政策依据": "basis",
    "立项依据": "basis",
    "测算依据": "calculation",
    "年度目标": "goal",
    "年度总体目标": "goal",
    "长期目标": "period_goal",
    "中长期目标": "period_goal",
    "项目支出实施期": "period",
    "项目实施期": "period",
    "实施期": "period",
    "实施期绩效目标": "period_goal",
    "本年度绩效目标": "goal",
    "年度绩效目标": "goal",
    "整体绩效目标": "goal",
    "年度履职目标": "goal",
    "部门职能": "functions",
    "部门职能职责概述": "functions",
    "部门职责概述": "functions",
    "职责概述": "functions",
    "年度预算申请": "-",
    "年度预算申请(万元)": "-",
    "按收入性质分": "-",
    "按支出性质分": "-",
    "预算情况": "-",
    "名称": "-",  # 所属专项 | 名称 | X: a sub-label between a key and its value
}

MONEY_FIELDS = {
    "total", "general_budget", "gov_fund", "special_account", "other", "basic", "project_amount", "superior",
    "period_total",
}

_NOTE = re.compile(r"\(([^()]*)\)$")


def _label(text: str) -> str:
    label = norm(text)
    label = re.sub(r"^其中[：:]", "", label)
    return label.rstrip("：:")


def _bare(label: str) -> str:
    """A label without its trailing parenthetical notes: ``项目总金额(中期规划,万元)`` → ``项目总金额``."""
    while (m := _NOTE.search(label)) and m.start() > 0:
        label = label[: m.start()].rstrip("：:")
    return label


def key_of(text: str) -> str | None:
    """The field a label cell announces, or None."""
    label = _label(text)
    found = FORM_KEYS.get(label)
    if found is None and label.endswith(")"):
        found = FORM_KEYS.get(_bare(label))
    return found


def label_unit(text: str) -> str | None:
    """The money unit a label's parenthetical note names: ``本年度项目金额（万元）`` → ``万元``."""
    for note in re.findall(r"\(([^()]*)\)", _label(text)):
        parts = re.split(r"[,，、;；]", note)
        if "万元" in parts:
            return "万元"
        if "元" in parts:
            return "元"
    return None


def split_kv(text: str) -> tuple[str, str] | None:
    """``资金总额：864.3万`` → ("total", "864.3万"); only for known labels (NFKC makes ：→:)."""
    m = re.match(r"^(.{2,24}?):(.*)$", re.sub(r"^其中:", "", norm(text)))
    if not m or (field := key_of(m.group(1))) is None:
        return None
    original = re.sub(r"^\s*其中[：:]\s*", "", text.strip())
    return field, re.split(r"[：:]", original, maxsplit=1)[1].strip()


def money(text: str) -> Decimal | None:
    """A form amount: ``864.3万``, ``　70``, ``115.62``, ``4`` (万元 tables)."""
    cleaned = norm(text).removesuffix("万元").removesuffix("万")
    return D(cleaned)


def is_key_cell(text: str) -> bool:
    return bool(text) and (key_of(text) is not None or split_kv(text) is not None)


def read_pairs(texts: list[str]) -> list[tuple[str, str, int]]:
    """(field, value text, cell index) for every key/value pair of a row.

    A key's value is the next filled cell when that cell is not a key itself: a merged label or
    value read once leaves the slots it covers empty (``项目名称 | | | 2019年…资金``).
    """
    pairs: list[tuple[str, str, int]] = []
    i = 0
    while i < len(texts):
        text = texts[i]
        kv = split_kv(text) if text else None
        if kv is not None:
            field, value = kv
            if field != "-" and value:
                pairs.append((field, value, i))
            elif field != "-" and not value:
                # "政府性基金拨款：" — value may stand in the next cell
                at = _next_filled(texts, i)
                if at is not None and not is_key_cell(texts[at]):
                    pairs.append((field, texts[at], at))
                    i = at
                else:
                    pairs.append((field, "", i))
            i += 1
            continue
        field = key_of(text) if text else None
        if field is not None and field != "-":
            at = _next_filled(texts, i)
            if at is not None and key_of(texts[at]) == "-" and norm(texts[at]) == "名称":
                i = at  # step over the sub-label
                at = _next_filled(texts, i)
            if at is not None and not is_key_cell(texts[at]):
                pairs.append((field, texts[at], at))
                i = at + 1
                continue
            pairs.append((field, "", i))
        i += 1
    return pairs


def _next_filled(texts: list[str], i: int) -> int | None:
    return next((j for j in range(i + 1, len(texts)) if texts[j].strip()), None)
