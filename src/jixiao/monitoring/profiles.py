"""Warning profiles (监控预警方案) as data: ``data/monitoring/<name>.toml`` shipped, a finance
bureau's edited copy stored as the same tables in JSON. :func:`profile_from_data` validates either
and says in Chinese what is wrong (every problem at once), so an edit is refused before it is saved.

Thresholds are written as percentages or percentage points (``amber_gap = 10`` = 10 个百分点);
the profile keeps them as fractions (0.10) for the arithmetic of ``warnings.py``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from importlib import resources

HUNDRED = Decimal(100)
LEVELS = ("green", "amber", "red")  # 绿 黄 红, in rising order; "blue" (ahead of schedule) is informative
LEVEL_LABELS = {"green": "绿", "amber": "黄", "red": "红", "blue": "蓝", "unfilled": "未填报"}
UNFILLED = "unfilled"  # a 监控表 with nothing entered: no level, shown as 未填报 (never 绿)
JUDGEMENTS = ("能", "基本能", "不能")
METHODS = ("expected", "pro_rata")
BASES = ("days", "months")


class ProfileError(ValueError):
    """A profile that cannot be used; ``problems`` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    issuer: str = ""
    number: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class WarningProfile:
    """Every threshold of the monitoring warnings. Fractions, not percentages."""

    name: str
    title: str
    source: Source
    time_basis: str = "days"
    execution_amber_gap: Decimal = Decimal("0.10")
    execution_red_gap: Decimal = Decimal("0.20")
    indicator_method: str = "expected"
    indicator_amber_below: Decimal = Decimal(1)
    indicator_red_below: Decimal = Decimal("0.9")
    indicator_blue_from: Decimal | None = None
    pro_rata_classes: tuple[str, ...] = ()
    qualitative: tuple[tuple[str, str], ...] = (("能", "green"), ("基本能", "amber"), ("不能", "red"))
    output_lag_gap: Decimal | None = Decimal("0.30")
    reason_required_from: str = "amber"

    def judgement_level(self, judgement: str | None) -> str | None:
        return dict(self.qualitative).get((judgement or "").strip()) if judgement else None


def level_rank(level: str | None) -> int:
    """green/blue 0, amber 1, red 2 (None −1): the worse level is the higher rank."""
    return {"green": 0, "blue": 0, "amber": 1, "red": 2}.get(level or "", -1)


def worst(levels) -> str:
    best = "green"
    for level in levels:
        if level_rank(level) > level_rank(best):
            best = level
    return best


def _number(value: object, where: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        problems.append(f"{where} 须为数字")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{where} 须为数字（“{value}”）")
        return None
    if not number.is_finite() or number < 0 or number > 1000:
        problems.append(f"{where} 须在 0 到 1000 之间（“{value}”）")
        return None
    return number


def _table(data: Mapping, key: str, problems: list[str]) -> Mapping:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        problems.append(f"[{key}] 须为表")
        return {}
    return value


_KNOWN = {
    "": {"name", "title", "source", "time_progress", "execution", "indicator", "qualitative", "output_lag", "reason"},
    "source": {"title", "issuer", "number", "url", "note"},
    "time_progress": {"basis"},
    "execution": {"amber_gap", "red_gap"},
    "indicator": {"method", "amber_below", "red_below", "blue_from", "pro_rata_classes"},
    "output_lag": {"gap"},
    "reason": {"required_from"},
}


def profile_from_data(data: Mapping) -> WarningProfile:
    """A profile from the TOML's tables (or their JSON copy); :class:`ProfileError` lists every
    problem: unknown keys, non-numbers, amber not below red, a judgement without a level …"""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise ProfileError(["预警方案须为表"])
    for table, keys in _KNOWN.items():
        part = data if not table else data.get(table, {})
        if isinstance(part, Mapping):
            for key in part:
                if key not in keys:
                    problems.append(f"未知的设置 {table + '.' if table else ''}{key}")
    name = str(data.get("name") or "").strip()
    if not name:
        problems.append("缺少方案名称 name")
    title = str(data.get("title") or name)
    src = _table(data, "source", problems)
    source = Source(**{k: str(src.get(k) or "") for k in ("title", "issuer", "number", "url", "note")})
    if not source.title:
        problems.append("缺少来源 source.title")
    basis = _table(data, "time_progress", problems).get("basis", "days")
    if basis not in BASES:
        problems.append(f"time_progress.basis 须为 {' / '.join(BASES)}（“{basis}”）")

    ex = _table(data, "execution", problems)
    amber_gap = _number(ex.get("amber_gap", 10), "execution.amber_gap", problems)
    red_gap = _number(ex.get("red_gap", 20), "execution.red_gap", problems)
    if amber_gap is not None and red_gap is not None and amber_gap > red_gap:
        problems.append(f"execution.amber_gap（{amber_gap}）不能大于 red_gap（{red_gap}）")
    if red_gap is not None and red_gap > HUNDRED:
        problems.append(f"execution.red_gap（{red_gap}）不能超过 100 个百分点")

    ind = _table(data, "indicator", problems)
    method = ind.get("method", "expected")
    if method not in METHODS:
        problems.append(f"indicator.method 须为 {' / '.join(METHODS)}（“{method}”）")
    amber_below = _number(ind.get("amber_below", 100), "indicator.amber_below", problems)
    red_below = _number(ind.get("red_below", 90), "indicator.red_below", problems)
    if amber_below is not None and red_below is not None and red_below > amber_below:
        problems.append(f"indicator.red_below（{red_below}）不能大于 amber_below（{amber_below}）")
    blue_from = None
    if ind.get("blue_from") is not None:
        blue_from = _number(ind["blue_from"], "indicator.blue_from", problems)
        if blue_from is not None and amber_below is not None and blue_from <= amber_below:
            problems.append(f"indicator.blue_from（{blue_from}）须大于 amber_below（{amber_below}）")
    classes = ind.get("pro_rata_classes", [])
    if not isinstance(classes, list) or not all(isinstance(c, str) and c.strip() for c in classes):
        problems.append("indicator.pro_rata_classes 须为名称列表")
        classes = []
    if method == "pro_rata" and not classes:
        problems.append("indicator.method = pro_rata 须列出 pro_rata_classes")

    qual = _table(data, "qualitative", problems)
    judgements = []
    for judgement in JUDGEMENTS:
        level = qual.get(judgement)
        if level not in LEVELS:
            problems.append(f"qualitative.“{judgement}” 须为 {' / '.join(LEVELS)}（“{level}”）")
        judgements.append((judgement, level))
    for key in qual:
        if key not in JUDGEMENTS:
            problems.append(f"qualitative 只能设“能”“基本能”“不能”（“{key}”）")

    lag = _table(data, "output_lag", problems)
    lag_gap = _number(lag["gap"], "output_lag.gap", problems) if lag.get("gap") is not None else None
    required = _table(data, "reason", problems).get("required_from", "amber")
    if required not in ("amber", "red"):
        problems.append(f"reason.required_from 须为 amber / red（“{required}”）")
    if problems:
        raise ProfileError(problems)
    return WarningProfile(
        name=name,
        title=title,
        source=source,
        time_basis=basis,
        execution_amber_gap=amber_gap / HUNDRED,
        execution_red_gap=red_gap / HUNDRED,
        indicator_method=method,
        indicator_amber_below=amber_below / HUNDRED,
        indicator_red_below=red_below / HUNDRED,
        indicator_blue_from=None if blue_from is None else blue_from / HUNDRED,
        pro_rata_classes=tuple(c.strip() for c in classes),
        qualitative=tuple(judgements),
        output_lag_gap=None if lag_gap is None else lag_gap / HUNDRED,
        reason_required_from=required,
    )


def shipped_names() -> list[str]:
    folder = resources.files("jixiao").joinpath("data/monitoring")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def shipped_data(name: str) -> dict:
    """The tables of a shipped profile (KeyError for an unknown name)."""
    if name not in shipped_names():
        raise KeyError(name)
    text = resources.files("jixiao").joinpath(f"data/monitoring/{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def shipped(name: str) -> WarningProfile:
    return profile_from_data(shipped_data(name))


def merged(base: Mapping, changes: Mapping) -> dict:
    """``base`` with ``changes`` laid over it, table by table (``{"execution": {"red_gap": 25}}``)."""
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in base.items()}
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def describe(profile: WarningProfile) -> dict:
    """The profile as the TOML's tables (thresholds back in percent, as text): for a page, the CLI,
    and the stored copy a bureau edits (``profile_from_data(describe(p)) == p``)."""

    def pct(value: Decimal | None) -> str | None:
        return None if value is None else format((value * HUNDRED).normalize(), "f")

    return {
        "name": profile.name,
        "title": profile.title,
        "source": {k: getattr(profile.source, k) for k in ("title", "issuer", "number", "url", "note")},
        "time_progress": {"basis": profile.time_basis},
        "execution": {"amber_gap": pct(profile.execution_amber_gap), "red_gap": pct(profile.execution_red_gap)},
        "indicator": {
            "method": profile.indicator_method,
            "amber_below": pct(profile.indicator_amber_below),
            "red_below": pct(profile.indicator_red_below),
            "blue_from": pct(profile.indicator_blue_from),
            "pro_rata_classes": list(profile.pro_rata_classes),
        },
        "qualitative": dict(profile.qualitative),
        "output_lag": {"gap": pct(profile.output_lag_gap)},
        "reason": {"required_from": profile.reason_required_from},
    }
