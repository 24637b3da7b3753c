"""Indicator levels (一级/二级): names, canonical forms and which 一级 a 二级 belongs to.

Both frameworks of DOMAIN §1.1 are accepted: 2021+ (成本指标 is a 一级) and pre-2021 (成本指标
is a 二级 under 产出指标). Printed names are kept; canonical keys are only for matching.
"""

from __future__ import annotations

from jixiao.parse.text import norm

# canonical 一级 keys
OUTPUT, BENEFIT, SATISFACTION, COST = "产出", "效益", "满意度", "成本"

_LEVEL1 = {
    "产出": OUTPUT,
    "效益": BENEFIT,
    "满意度": SATISFACTION,
    "成本": COST,
    "社会公众或服务对象满意度": SATISFACTION,
    "社会公众及服务对象满意度": SATISFACTION,
    "社会公众满意度": SATISFACTION,
}

# canonical 二级 key → its 一级 (成本 as a 二级 belongs to 产出 in the pre-2021 framework)
_LEVEL2_PARENT = {
    "数量": OUTPUT,
    "质量": OUTPUT,
    "时效": OUTPUT,
    "成本": OUTPUT,
    "经济成本": COST,
    "社会成本": COST,
    "生态环境成本": COST,
    "生态成本": COST,
    "经济效益": BENEFIT,
    "社会效益": BENEFIT,
    "生态效益": BENEFIT,
    "可持续影响": BENEFIT,
    "服务对象满意度": SATISFACTION,
}

LEVEL1_PRINTED = {OUTPUT: "产出指标", BENEFIT: "效益指标", SATISFACTION: "满意度指标", COST: "成本指标"}


def _key(text: str | None) -> str:
    if not text:
        return ""
    key = norm(text).rstrip("。")
    return key[:-2] if key.endswith("指标") else key


def level1_key(text: str | None) -> str | None:
    """Canonical 一级 key of a printed name, or None if it is not a 一级 name."""
    return _LEVEL1.get(_key(text))


def level2_key(text: str | None) -> str | None:
    """Canonical 二级 key of a printed name, or None if it is not a 二级 name."""
    key = _key(text)
    return key if key in _LEVEL2_PARENT else None


def parent_of(level2: str | None) -> str | None:
    key = level2_key(level2)
    return _LEVEL2_PARENT.get(key) if key else None


def is_level1(text: str | None) -> bool:
    return level1_key(text) is not None


def is_level2(text: str | None) -> bool:
    return level2_key(text) is not None


def is_level1_only(text: str | None) -> bool:
    """A 一级 name that can never be a 二级 (everything but 成本指标)."""
    return is_level1(text) and not is_level2(text)


def allows(level1: str | None, level2: str | None) -> bool:
    """Whether the 二级 may stand under the 一级 (either framework)."""
    parent = parent_of(level2)
    key1 = level1_key(level1)
    if parent is None or key1 is None:
        return True  # unknown names are the review's business, not the parser's
    return parent == key1
