"""Text normalisation shared by the parsers (labels, years, org names)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKUP = re.compile(r"^[#>\-\s]*|\*\*")


@lru_cache(maxsize=131072)
def norm(text: str) -> str:
    """A label for matching: NFKC, no markdown emphasis, no whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKUP.sub("", text)
    return re.sub(r"\s+", "", text)


def year_of(text: str) -> int | None:
    m = re.search(r"(20\d{2})\s*年", text)
    return int(m.group(1)) if m else None


_ORG = re.compile(r"^(?:部门名称|填报单位|单位名称|预算单位)[：:]?(.*)$")


def org_of(text: str) -> str | None:
    """The organisation named by a ``部门名称：…`` / ``填报单位（盖章）：…`` line, if any."""
    label = norm(text).replace("(盖章)", "")
    m = _ORG.match(label)
    if not m:
        return None
    name = re.split(r"(金额)?单位[：:]", m.group(1))[0].strip("：: ")
    return name or None
