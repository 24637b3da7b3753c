"""规则 (the rules page): the findings catalogue, the review profiles with what they check, the
scoring families, and "试一试": one 评（扣）分标准 scored as ``jixiao rule`` scores it.

Everything but the examples comes from the code (``findings.catalog.CATALOG``, the rule
registry ``rules.all_rules``, ``scoring``), as docs/findings.md and docs/rules.md do; the
examples of a profile are real findings of the documents the actor sees (one query grouped by
code, one for the example rows).
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select

from jixiao.services import documents
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.store import schema as db

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# the code modules (findings/codes_*.py) by what a finance reader calls them
FAMILY_LABELS = {
    "codes_read": "读取文件",
    "codes_sheet": "读取表格文件",
    "codes_ocr": "扫描件识别",
    "codes_parse": "解析文档",
    "codes_templates": "空白模板",
    "codes_levels": "指标层级",
    "codes_targets_parse": "解析绩效目标表",
    "codes_targets": "绩效目标审核",
    "codes_target_forms": "项目申报表金额",
    "codes_budget": "解析预算表和说明",
    "codes_disclosure": "预算公开和自评报告审核",
    "codes_classes": "收支分类科目",
    "codes_narrative": "说明文字",
    "codes_scoring": "评（扣）分标准与计分",
    "codes_scoring_bands": "评分档次",
    "codes_selfeval": "绩效自评填报",
    "codes_selfeval_table": "绩效自评表",
    "codes_store": "入库",
    "codes_rules": "审核程序",
    "codes_cli": "命令行",
    "codes_fill": "待填写内容",
    "codes_monitoring": "绩效运行监控",
    "codes_opdata": "业务数据",
}

PROFILES = {
    "targets": {
        "label": "绩效目标审核",
        "what": "项目支出、部门整体和专项资金绩效目标表：完整性（必填栏目、一二三级指标、成本和满意度指标）、"
                "相关性（指标与项目和职能对应）、适当性（资金总额与来源、指标权重合计）、"
                "可行性（定量为主、指标值类型与数值匹配、计量单位、模糊表述）。",
        "documents": "绩效目标表（申报、批复）",
    },
    "disclosure": {
        "label": "预算公开审核",
        "what": "部门预算、决算公开：十张表的表内和表间勾稽（收支总表、收入总表、支出总表、财政拨款、"
                "一般公共预算、“三公”经费等，B1–B12），功能分类和经济分类科目，说明文字中的金额与表格一致。",
        "documents": "部门预算公开、部门决算公开",
    },
    "self-evaluation": {
        "label": "绩效自评审核",
        "what": "绩效自评表和自评报告：各指标得分按评（扣）分标准复核，总分和等级，"
                "报告提纲（湖南十部分）是否齐全，报告中的金额与表格一致。",
        "documents": "部门整体支出绩效自评报告、项目支出绩效自评表",
    },
}
EXAMPLES = 5
_DOMAIN = re.compile(r"\bDOMAIN(?:\.md)?\b")  # the catalogue cites DOMAIN.md; the page says 依据


def _families() -> list[tuple[str, str, tuple]]:
    from jixiao.render.docs import code_families

    return code_families()


def finding_tally(ctx: Ctx) -> dict[str, tuple[int, int]]:
    """Per code, the findings in the actor's current documents: (how many, the id of the first);
    one GROUP BY that :func:`findings_catalogue` and :func:`review_profiles` can share (the 规则
    page reads it once for both)."""
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        stmt = (select(db.Finding.code, func.count(), func.min(db.Finding.id))
                .join(db.Document, db.Document.id == db.Finding.document_id)
                .join(db.Org, db.Org.id == db.Document.org_id))
        stmt = documents.filtered(stmt, session, ctx, current_only=True)
        return {code: (n, first) for code, n, first in session.execute(stmt.group_by(db.Finding.code))}


def findings_catalogue(ctx: Ctx, *, q: str | None = None, severity: str | None = None,
                       tally: dict[str, tuple[int, int]] | None = None) -> dict:
    """Every finding code by family: ``{"families": [{"module", "label", "codes": [{"code",
    "severity", "severity_label", "title", "template", "source", "rules", "count"}]}], "total"}``;
    ``count``: findings of that code in the actor's current documents. ``q`` matches code, title,
    message or source; ``severity`` keeps one severity. ``tally``: :func:`finding_tally` when
    already read."""
    from jixiao.render.docs import emitters

    policy.require(ctx.actor, "document.read")
    if severity and severity not in SEVERITY_LABELS:
        raise Invalid(f"未知的严重程度：{severity}（可选：error、warning、info）", code="invalid_severity")
    counts = {code: n for code, (n, _first) in (tally if tally is not None else finding_tally(ctx)).items()}
    by_rule = emitters()
    needle = (q or "").strip().lower()
    families, total = [], 0
    for module, _title, codes in _families():
        items = []
        for kind in codes:
            text = " ".join((kind.code, kind.title, kind.template, kind.source)).lower()
            if needle and needle not in text:
                continue
            if severity and kind.severity.value != severity:
                continue
            items.append({"code": kind.code, "severity": kind.severity.value,
                          "severity_label": SEVERITY_LABELS[kind.severity.value], "title": kind.title,
                          "template": kind.template, "source": _DOMAIN.sub("依据", kind.source),
                          "rules": by_rule.get(kind.code, []),
                          "count": counts.get(kind.code, 0)})
        if items:
            families.append({"module": module, "label": FAMILY_LABELS.get(module, module), "codes": items})
            total += len(items)
    return {"families": families, "total": total}


def review_profiles(ctx: Ctx, *, tally: dict[str, tuple[int, int]] | None = None) -> list[dict]:
    """The three review profiles: ``{"name", "label", "what", "documents", "rules": [{"id",
    "family", "doc", "codes": [{"code", "title", "severity"}]}], "examples": [{"code", "title",
    "count", "message", "document_id", "location"}]}``; the examples are the profile's most
    frequent codes in the actor's documents, each with one real finding (the first of its code).
    ``tally``: :func:`finding_tally` when already read."""
    from jixiao.findings.catalog import CATALOG
    from jixiao.rules import all_rules

    policy.require(ctx.actor, "document.read")
    rules = all_rules()
    tally = tally if tally is not None else finding_tally(ctx)  # one GROUP BY for the three profiles
    counts = {code: n for code, (n, _first) in tally.items()}
    tops = {}
    for name in PROFILES:
        codes = sorted({c for r in rules if name in r.profiles for c in r.codes})
        tops[name] = sorted((c for c in codes if counts.get(c)), key=lambda c: (-counts[c], c))[:EXAMPLES]
    examples = _examples(ctx, sorted({c for top in tops.values() for c in top}), tally)
    out = []
    for name, info in PROFILES.items():
        mine = [r for r in rules if name in r.profiles]
        out.append({
            "name": name, **info,
            "rules": [{"id": r.id, "family": r.family, "doc": r.doc,
                       "codes": [{"code": c, "title": CATALOG[c].title, "severity": CATALOG[c].severity.value}
                                 for c in r.codes if c in CATALOG]} for r in mine],
            "examples": [examples[c] for c in tops[name] if c in examples],
        })
    return out


def _examples(ctx: Ctx, codes: list[str], tally: dict[str, tuple[int, int]]) -> dict[str, dict]:
    """The example of each code: its first finding (by the ids of the tally: one read by key)."""
    from jixiao.findings.catalog import CATALOG

    if not codes:
        return {}
    with ctx.db.session(write=False) as session:
        rows = {f.code: f for f in session.scalars(select(db.Finding).where(
            db.Finding.id.in_([tally[c][1] for c in codes])))}
    return {c: {"code": c, "title": CATALOG[c].title, "severity": CATALOG[c].severity.value, "count": tally[c][0],
                "message": rows[c].message, "document_id": rows[c].document_id, "location": rows[c].location}
            for c in codes if c in rows}


_FAMILY_LINE = re.compile(r"^``(\w+)``\s+(.+)$")
_ENGLISH_NOTE = re.compile(r"\s*\((?:``|also |bonus)[^)]*\)")  # the docstring's notes for programmers


def scoring_families() -> dict:
    """The scoring families a 评（扣）分标准 is read as, with a printed example each, the default
    methods, and the scoring profiles (口径): ``{"families": [{"id", "name", "example"}],
    "defaults": [{"id", "name"}], "profiles": [{"name", "title", "grades", "execution_weight"}]}``."""
    from jixiao.render.scoring_names import family_name
    from jixiao.scoring import families
    from jixiao.scoring.methods import DEFAULT_METHODS
    from jixiao.scoring.methods import PROFILES as SCORING

    examples = {}
    for line in (families.__doc__ or "").splitlines():
        m = _FAMILY_LINE.match(line.strip())
        if m:
            examples[m.group(1)] = _ENGLISH_NOTE.sub("", m.group(2)).strip()
    return {
        "families": [{"id": f, "name": family_name(f), "example": examples.get(f, "")} for f in families.FAMILIES],
        "defaults": [{"id": f, "name": family_name(f)} for f in DEFAULT_METHODS],
        "profiles": [{"name": p.name, "title": p.title, "execution_weight": format(p.execution_weight, "f"),
                      "grades": [{"min": format(low, "f"), "grade": g} for low, g in p.grades]}
                     for p in SCORING.values()],
    }


def try_rule(text: str, weight: str, *, target: str | None = None, actual: str | None = None,
             op: str | None = None, profile: str = "default") -> dict:
    """One 评（扣）分标准 parsed and one indicator scored with it, as ``jixiao rule`` does:
    ``{"method", "family", "parsed", "params": [(name, value)], "score", "weight", "rate",
    "explanation", "reason", "needs_review", "findings"}``. Bad input → Invalid (Chinese)."""
    from jixiao.render.scoring_names import PARAM_NAMES
    from jixiao.render.scoring_names import family_name
    from jixiao.render.scoring_names import shown_value
    from jixiao.scoring.methods import PROFILES as SCORING
    from jixiao.scoring.numbers import num
    from jixiao.scoring.numbers import parse_number
    from jixiao.scoring.score import coerce_target
    from jixiao.scoring.score import normalise_op
    from jixiao.scoring.score import score_indicator

    text = (text or "").strip()
    if not text:
        raise Invalid("请填写评（扣）分标准", code="missing_text", detail={"field": "text"})
    w = parse_number((weight or "").strip()) if (weight or "").strip() else None
    if w is None or w < 0:
        raise Invalid(f"分值“{weight or ''}”不是非负数", code="invalid_weight", detail={"field": "weight"})
    if profile not in SCORING:
        raise Invalid(f"未知的计分口径“{profile}”，可选：{'、'.join(SCORING)}", code="invalid_profile")
    canonical = normalise_op(op) if op else None
    if op and canonical is None:
        raise Invalid(f"未知的指标值类型“{op}”", code="invalid_op", detail={"field": "op"})
    target = (target or "").strip() or None
    actual = (actual or "").strip() or None
    target_op, target_value = coerce_target(target) if target else (None, None)
    if canonical is None and target_op is None and target_value is not None:
        target_op = "≥"
    score = score_indicator(text, (canonical or target_op, target_value), actual, Decimal(w), SCORING[profile])
    params = []
    method = family_name(score.family)
    if score.rule is not None:
        description = score.rule.description
        method = description if description.startswith(method) else f"{method}（{description}）"
        params = [(PARAM_NAMES.get(k, k), shown_value(k, v)) for k, v in score.rule.params().items()
                  if v is not None and v != [] and v != ()]
    return {
        "method": method, "family": score.family, "parsed": score.parsed, "params": params,
        "score": format(score.score, "f"), "weight": num(score.weight),
        "rate": None if score.rate is None else f"{(score.rate * 100).quantize(Decimal('0.01'))}%",
        "explanation": score.explanation, "reason": score.reason, "needs_review": score.needs_review,
        "bonus": score.bonus,
        "findings": [{"code": f.code, "severity": f.severity.value, "severity_label": f.severity.label,
                      "message": f.message} for f in score.findings if f.message != score.reason],
    }
