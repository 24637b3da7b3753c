"""The indicator framework (DOMAIN §1.1): 一级/二级 names, their tree and canonical forms.

Both generations are accepted: 2021+ (成本指标 is a 一级 with 经济/社会/生态环境成本) and
pre-2021 (成本指标 is a 二级 under 产出指标). Printed names are kept in the model; the
canonical keys here are only for matching. Used by the parser (carrying down, inferring a
missing 一级) and by the review rules (placement, coverage).
"""

from __future__ import annotations

import re
from functools import lru_cache

# canonical 一级 keys
OUTPUT, BENEFIT, SATISFACTION, COST = "产出", "效益", "满意度", "成本"

# §1.1 (a): the canonical tree.
TREE: dict[str, tuple[str, ...]] = {
    "成本": ("经济成本", "社会成本", "生态环境成本"),
    "产出": ("数量", "质量", "时效"),
    "效益": ("经济效益", "社会效益", "生态效益", "可持续影响"),
    "满意度": ("服务对象满意度", "其他满意度"),  # 其他满意度: Shenzhen project-library forms
}
PARENT: dict[str, str] = {l2: l1 for l1, l2s in TREE.items() for l2 in l2s}
SATISFACTION_NAMES = frozenset(
    {"满意度", "服务对象满意度", "社会公众或服务对象满意度", "社会公众及服务对象满意度", "社会公众满意度", "公众满意度"}
)
ALIASES = {"生态成本": "生态环境成本", "可持续影响力": "可持续影响", "服务对象满意": "服务对象满意度"}
LEVEL1_PRINTED = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标", "成本": "成本指标"}

_SPACE = re.compile(r"[\s\u3000]+")


def clean(text: str | None) -> str:
    """Text without any whitespace (U+3000 included) or trailing punctuation."""
    return _SPACE.sub("", text or "").strip("：:。，,；;、")


@lru_cache(maxsize=8192)
def canon(name: str | None) -> str | None:
    """``经济效益指标`` → ``经济效益``; ``可持续影响  指标`` → ``可持续影响``; blank → None."""
    s = clean(name).replace("(", "（").replace(")", "）")
    if s.endswith("）") and "（" in s:  # a trailing note: r"（.*?）$" from the first （, without its quadratic search
        s = s[: s.index("（")]
    if s.endswith("指标"):
        s = s[:-2]
    s = ALIASES.get(s, s)
    return s or None


def level1_key(text: str | None) -> str | None:
    """Canonical 一级 of a printed name (社会公众或服务对象满意度 → 满意度), or None."""
    key = canon(text)
    if key in TREE:
        return key
    if key in SATISFACTION_NAMES and key != "服务对象满意度":
        return "满意度"
    return None


def level2_key(text: str | None) -> str | None:
    """Canonical 二级 of a printed name (成本 as a pre-2021 二级 included), or None."""
    key = canon(text)
    return key if key in PARENT or key == "成本" else None


def parent_of(level2: str | None) -> str | None:
    """The 一级 a 二级 belongs to; the pre-2021 二级 成本 belongs to 产出."""
    key = level2_key(level2)
    if key is None:
        return None
    return "产出" if key == "成本" else PARENT[key]


def is_level1(text: str | None) -> bool:
    return level1_key(text) is not None


def is_level2(text: str | None) -> bool:
    return level2_key(text) is not None


def is_level1_only(text: str | None) -> bool:
    """A 一级 name that can never be a 二级 (everything but 成本指标)."""
    return is_level1(text) and not is_level2(text)


def allows(level1: str | None, level2: str | None) -> bool:
    """Whether the 二级 may stand under the 一级, in either framework (unknown names: yes)."""
    parent, key1 = parent_of(level2), level1_key(level1)
    if parent is None or key1 is None:
        return True
    return parent == key1 or (key1 == "成本" and level2_key(level2) == "成本")
