"""Key/value cells of the form layouts (seeds 000, 002, 004): 项目名称 | X, 资金总额：864.3万 …"""

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
    "基本支出": "basic",
    "项目支出": "project_amount",
    "该项目支出上级资金": "superior",
    "上级资金": "superior",
    "项目类别": "category",
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

MONEY_FIELDS = {"total", "general_budget", "gov_fund", "special_account", "other", "basic", "project_amount", "superior"}


def _label(text: str) -> str:
    label = norm(text)
    label = re.sub(r"^其中[：:]", "", label)
    return label.rstrip("：:")


def key_of(text: str) -> str | None:
    """The field a label cell announces, or None."""
    return FORM_KEYS.get(_label(text))


def split_kv(text: str) -> tuple[str, str] | None:
    """``资金总额：864.3万`` → ("total", "864.3万"); only for known labels (NFKC makes ：→:)."""
    m = re.match(r"^(.{2,16}?):(.*)$", re.sub(r"^其中:", "", norm(text)))
    if not m or (field := FORM_KEYS.get(m.group(1))) is None:
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
    """(field, value text, cell index) for every key/value pair of a row."""
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
                if i + 1 < len(texts) and texts[i + 1] and not is_key_cell(texts[i + 1]):
                    pairs.append((field, texts[i + 1], i + 1))
                    i += 1
                else:
                    pairs.append((field, "", i))
            i += 1
            continue
        field = key_of(text) if text else None
        if field is not None and field != "-":
            if i + 2 < len(texts) and key_of(texts[i + 1]) == "-" and norm(texts[i + 1]) == "名称":
                i += 1  # step over the sub-label
            nxt = texts[i + 1] if i + 1 < len(texts) else ""
            if nxt and not is_key_cell(nxt):
                pairs.append((field, nxt, i + 1))
                i += 2
                continue
            pairs.append((field, "", i))
        i += 1
    return pairs
