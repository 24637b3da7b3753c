"""The clause grammar of 评（扣）分标准: normalisation, typo fixes and one pattern per clause.

A clause (text between ，；。) is classified into an :class:`Atom` — ``below`` (小于60%不得分),
``dev`` (偏离30%得5分), ``deduct`` (每少1个席位扣0.2分), ``deduct_pct`` (满意度每下降1%扣0.6分),
``grade`` (推进较缓得3分) … — or into
nothing, in which case the whole text is not parseable. :mod:`jixiao.scoring.assemble` turns the
atoms into a rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from jixiao.scoring.families import COUNT
from jixiao.scoring.families import EXCESS
from jixiao.scoring.families import FULL
from jixiao.scoring.families import NOTHING
from jixiao.scoring.families import SHORTFALL
from jixiao.scoring.families import Points
from jixiao.scoring.numbers import HUNDRED
from jixiao.scoring.numbers import cn_number

TYPOS: tuple[tuple[str, str], ...] = (
    ("不登封", "不得分"),  # homophone of 不得分
    ("扣不得分", "不得分"),
    ("完成的满分", "完成得满分"),  # 的/得
    ("影响的分", "影响得分"),
    ("%一下", "%以下"),
)
# Equivalent wordings, normalised silently.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("扣完截止", "扣完为止"),
    ("扣完即止", "扣完为止"),
    ("×", "*"),
    ("÷", "/"),
    ("≥", "大于等于"),  # ≥90%得10分
    (">=", "大于等于"),
    ("≧", "大于等于"),
)
EMPTY_TEXTS = {"", "/", "-", "—", "无", "暂无", "不适用"}
PLACEHOLDER = re.compile(r"[XxＸｘ]{2,}|\?{2,}|？{2,}|□+|某分")

_N = r"\d+(?:\.\d+)?"
_C = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十])"
_U = r"(?:次|个|项|篇|件)"
_M = r"(?P<m>[^\d%未不无]*?)"
_POINTS = (
    rf"(?P<pts>不得分|[得计]?满分|得分(?P<pp>{_N})%|得指标分(?:值)?的(?P<pf>{_N})%"
    rf"|得分(?P<pa2>{_N})分|仅?[得计](?P<pa>{_N})分|得分)"
)
_NOISE = r"[^\d%未不无且或但除否扣加]*?"


@dataclass(frozen=True, slots=True)
class Atom:
    """One classified clause."""

    kind: str
    clause: str
    groups: dict[str, str | None]
    basis: str = ""

    def dec(self, name: str) -> Decimal:
        return cn_number(self.groups[name] or "")

    @property
    def points(self) -> Points:
        return points_of(self.groups)


def _p(kind: str, pattern: str, basis: str = "") -> tuple[str, re.Pattern[str], str]:
    return kind, re.compile(pattern), basis


_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    _p("formula_linear", r"^(?:(?:得分=)?完成率\*指标分值|按百分比\*指标分值得分)$"),
    _p("formula_rescaled", rf"^得分=\(完成率-(?P<x>{_N})%\)/\(1-(?P<y>{_N})%\)\*指标分值$"),
    _p(
        "linear_above",
        rf"^{_M}(?P<op>大于等于|不低于|超过|大于|高于|达到|达)(?P<x>{_N})%(?:或以上|以上)?(?:的)?得分=完成率\*指标分值$",
    ),
    _p("upto", rf"^未达到(?P<x>{_N})%$"),
    _p("rate_floor", rf"^{_M}(?:大于等于|不低于|达到|达)(?P<x>{_N})%(?:或以上|及以上|以上)?$"),
    _p("rate_range", rf"^{_M}(?:达到|达)?(?P<x>{_N})%-(?P<y>{_N})%$"),
    _p("dev", rf"^偏(?P<d>离|高)(?:目标)?(?P<x>{_N})%(?P<below>以下|以内)?{_POINTS}$"),
    _p("dev_none", rf"^未偏(?P<d>离|高)(?:目标)?{_POINTS}$"),
    _p("below", rf"^{_M}(?:小于|低于|不足|不到)(?P<x>{_N})%(?:的)?{_POINTS}$"),
    _p("below", rf"^{_M}(?P<x>{_N})%以下(?P<n>{_NOISE}){_POINTS}$"),
    _p("above", rf"^{_M}(?P<op>大于等于|不低于|超过|大于|高于)(?P<x>{_N})%(?:的)?{_POINTS}$"),
    _p("above", rf"^{_M}(?P<x>{_N})%(?:\(含\))?(?:及|或)?以上(?:的)?{_POINTS}$"),
    _p("range", rf"^{_M}(?P<a>{_N})%?(?P<ia>\(含\))?-(?P<b>{_N})%(?P<ib>\(含\))?(?P<lt>以下)?(?:的)?{_POINTS}$"),
    _p(
        "count_below_zero",
        rf"^(?:完成|开展|获得|报道)?(?:小于|少于|低于|不足|不到)(?P<n>{_C})(?P<u>{_U})(?:的)?不得分$",
    ),
    _p("count_at_least", rf"^(?P<v>[^\d%]*?)(?P<n>{_C})(?P<u>{_U})(?:及)?以上{_POINTS}$"),
    _p(
        "count_points", rf"^(?P<v>完成|开展|获得|制定|报道|举办|发布)?(?P<n>{_C})(?P<u>{_U})(?:的)?{_POINTS}$"
    ),
    _p("increment", rf"^(?:增加|每增加)(?P<n>{_C})(?P<u>{_U})加(?P<p>{_N})分$"),
    _p("increment", rf"^超过(?P<after>{_C})(?P<u>{_U})每(?:{_U})?加(?P<p>{_N})分$"),
    _p("increment", rf"^每多(?P<n>{_C})(?P<u>{_U})加(?P<p>{_N})分$"),
    _p("cap", rf"^(?:总共|总计|合计|最高|最多|上限|封顶)(?P<p>{_N})分$"),
    _p(
        "deduct_pct",
        rf"^{_M}每(?:下降|降低|减少|下滑|低于?|少)(?P<n>{_N})(?P<u>%|个百分点|百分点)"
        rf"扣(?:除|减)?(?P<p>{_N})分(?P<ex>扣完为止)?$",
    ),
    _p(
        "deduct",
        rf"^每?(?:减)?少(?:完成)?(?P<n>{_C})(?P<u>[^\d扣%]{{0,6}}?)扣(?P<p>{_N})分(?P<ex>扣完为止)?$",
        SHORTFALL,
    ),
    _p("deduct", rf"^每?发生(?P<w>\D*?)(?P<n>{_C})(?P<u>次|起|件)扣(?P<p>{_N})分(?P<ex>扣完为止)?$", COUNT),
    _p("deduct", rf"^每?推迟(?P<n>{_C})(?P<u>次|个月|月|天|日|周)扣(?P<p>{_N})分(?P<ex>扣完为止)?$", COUNT),
    _p("deduct", rf"^每超过?(?P<n>{_C})(?P<u>个月|月|天|日|周|次)扣(?P<p>{_N})分(?P<ex>扣完为止)?$", EXCESS),
    _p(
        "deduct",
        rf"^每?未(?:做到|达到|完成|落实)(?P<n>{_C})(?P<u>[^\d扣]{{0,6}}?)扣(?P<p>{_N})分(?P<ex>扣完为止)?$",
        COUNT,
    ),
    _p("exhaust", r"^扣完为止$"),
    _p("floor", rf"^开展(?:的|了)?有(?P<p>{_N})分$"),
    _p("otherwise", rf"^否则{_POINTS}$"),
    _p("grade", rf"^(?P<label>[^\d%扣加每]+?){_POINTS}$"),
)
_FRAGMENT = re.compile(r"^[^\d%得扣分计加]+$")
ZERO_LABEL = re.compile(r"^(?:未|无|没有|不)")


class RuleError(Exception):
    """Internal: the text is not parseable; ``code`` and ``fields`` make the finding."""

    def __init__(self, code: str, **fields: str) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


def unparsed(reason: str) -> RuleError:
    return RuleError("scoring-rule-unparsed", reason=reason)


def contradiction(reason: str) -> RuleError:
    return RuleError("scoring-rule-contradiction", reason=reason)


def points_of(groups: dict[str, str | None]) -> Points:
    if groups.get("pp") or groups.get("pf"):
        return Points(Decimal(groups.get("pp") or groups.get("pf") or "0") / HUNDRED, relative=True)
    if groups.get("pa") or groups.get("pa2"):
        return Points(Decimal(groups.get("pa") or groups.get("pa2") or "0"))
    token = groups.get("pts") or ""
    if token == "不得分":
        return NOTHING
    return FULL  # 得满分 / 满分 / 计满分 / bare 得分 (= the indicator's points)


# -- normalisation and clauses ---------------------------------------------------------------


def normalise(text: str) -> tuple[str, list[tuple[str, str]]]:
    """NFKC, no whitespace, unified separators; returns the text and the typos fixed."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    for old, new in SYNONYMS:
        s = s.replace(old, new)
    fixed: list[tuple[str, str]] = []
    for old, new in TYPOS:
        if old in s:
            s = s.replace(old, new)
            fixed.append((old, new))
    s = re.sub(r"(?<=[\d%])(?:~|至|—|–|―|－)(?=\d)", "-", s)
    s = re.sub(r"[;。]", ",", s)
    return s.strip(","), fixed


def clauses(normalised: str) -> list[str]:
    return [c for c in normalised.split(",") if c]


def classify(clause: str, first: bool) -> Atom | None:
    """The atom of one clause, or None. ``first``: the clause opens the text (may be a preamble)."""
    if first and re.fullmatch(r"是否[^\d]*", clause):
        return Atom("preamble", clause, {})
    for kind, pattern, basis in _PATTERNS:
        m = pattern.fullmatch(clause)
        if m:
            return Atom(kind, clause, m.groupdict(), basis)
    if first and _FRAGMENT.fullmatch(clause):
        return Atom("fragment", clause, {})
    return None


def classify_all(parts: list[str]) -> list[Atom]:
    atoms: list[Atom] = []
    for i, clause in enumerate(parts):
        atom = classify(clause, first=i == 0)
        if atom is None:
            raise unparsed(f"条款“{clause}”无法识别")
        atoms.append(atom)
    if atoms and atoms[0].kind == "fragment":
        if len(atoms) > 1 and atoms[1].kind == "grade":  # 有制度规范，设施设备维护台账得4分
            label = f"{atoms[0].clause}，{atoms[1].groups['label']}"
            merged = Atom(
                "grade", f"{atoms[0].clause}，{atoms[1].clause}", {**atoms[1].groups, "label": label}
            )
            atoms = [merged, *atoms[2:]]
        else:  # 次月及时通报，…: a subject line
            atoms = [Atom("preamble", atoms[0].clause, {}), *atoms[1:]]
    return atoms
