"""总览 (the dashboard) and the list of self-evaluations behind it: aggregates over the current
documents a user sees, for a year and an organisation's subtree, each one SQL ``GROUP BY``.

* findings by code (with the catalogue's title) and by department (错误 / 警告 / 提示);
* the share of target sets with at least one error finding;
* self-evaluations by grade (优 / 良 / 中 / 差) and by score band (< 60, 60–70, … 90–100);
* 预算执行率 by department: Σ 全年执行数 / Σ 全年预算数 of the stored self-evaluations;
* a department's year over year: documents, error findings, mean self-evaluation score,
  execution rate, per fiscal year.

"Department" is the organisation's ancestor (or itself) at level ``department``; an
organisation with none (a region's own documents) stands for itself. Rows are grouped by
organisation in SQL; only those groups (one per organisation, never one per document) are
rolled up to departments here.

Amounts and scores are summed exactly on both databases (``store.sums.exact_sum``: NUMERIC on
PostgreSQL, the Decimal aggregate ``dsum`` on SQLite, never a float); means are exact sums over
counts. Sums are shown to 0.01 万元, rates to 0.01 %, mean scores to 0.01 (half up).
Every function needs ``document.read`` and keeps to the actor's scope (``policy.scoped``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP
from decimal import Decimal

from sqlalchemy import Numeric
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.findings.catalog import CATALOG
from jixiao.services import documents
from jixiao.services import orgs
from jixiao.services import policy
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.store import schema as db
from jixiao.store.sums import exact_sum

GRADES = ("优", "良", "中", "差")
SCORE_BANDS = ((Decimal(90), "90–100 分"), (Decimal(80), "80–90 分"), (Decimal(70), "70–80 分"),
               (Decimal(60), "60–70 分"), (Decimal(0), "60 分以下"))
TOP_CODES = 15
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
CENT = Decimal("0.01")


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _scope(stmt, session: Session, ctx: Ctx, *, year, org, all_years: bool = False):
    """``stmt`` (over Document joined with Org) limited to the actor's scope, the organisation's
    subtree, the year and the current versions."""
    return documents.filtered(stmt, session, ctx, year=None if all_years else year, org=org, current_only=True)


def _execution_columns(session: Session):
    """(全年预算数, 全年执行数) of a stored self-evaluation: the Decimal text of its JSON ``scores``,
    for ``exact_sum``."""
    col = db.SelfEvaluation.scores
    if session.get_bind().dialect.name == "postgresql":
        return (func.jsonb_extract_path_text(col, "execution", "budget"),
                func.jsonb_extract_path_text(col, "execution", "spent"))
    return func.json_extract(col, "$.execution.budget"), func.json_extract(col, "$.execution.spent")


def _latest_evaluations():
    """The current self-evaluation of each target set (the highest id), as a subquery of ids."""
    return select(func.max(db.SelfEvaluation.id)).group_by(db.SelfEvaluation.target_set_id)


class _Departments:
    """Every organisation's department (its ancestor at level ``department``, else itself)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(db.Org.id, db.Org.name, db.Org.level, db.Org.path)).all()
        self.orgs = {r.id: r for r in rows}

    def of(self, org_id: int) -> int:
        org = self.orgs[org_id]
        for part in org.path.strip("/").split("/"):
            if part and int(part) in self.orgs and self.orgs[int(part)].level == "department":
                return int(part)
        return org_id

    def name(self, org_id: int) -> str:
        return self.orgs[org_id].name


def dashboard(ctx: Ctx, *, year=None, org=None) -> dict:
    """The aggregates of the 总览 page for ``year`` (None: every year) and ``org`` (id, code or name;
    None: the actor's whole scope). See the module's documentation for what each part holds."""
    policy.require(ctx.actor, "document.read")
    y = documents.as_year(year)
    with ctx.db.session(write=False) as session:
        root = orgs.resolve(session, ctx, org) if org not in (None, "") else None
        depts = _Departments(session)
        base = select().select_from(db.Document).join(db.Org, db.Org.id == db.Document.org_id)

        # findings by code and severity
        stmt = _scope(base.join(db.Finding, db.Finding.document_id == db.Document.id)
                      .add_columns(db.Finding.code, db.Finding.severity, func.count()), session, ctx, year=y, org=org)
        by_code = session.execute(stmt.group_by(db.Finding.code, db.Finding.severity)).all()

        # documents and their finding counts by organisation
        stmt = _scope(base.add_columns(db.Document.org_id, func.count(), func.sum(db.Document.n_error),
                                       func.sum(db.Document.n_warning), func.sum(db.Document.n_info)),
                      session, ctx, year=y, org=org)
        by_org = session.execute(stmt.group_by(db.Document.org_id)).all()

        # target sets, and those with an error finding, by organisation (count(*), not of an id:
        # PostgreSQL counts from the document_id index alone, not the wide target_sets rows; the
        # error sets from findings' (document_id, severity, code, target_set_id) index)
        stmt = _scope(base.join(db.TargetSet, db.TargetSet.document_id == db.Document.id)
                      .add_columns(db.Document.org_id, func.count()), session, ctx, year=y, org=org)
        sets_by_org = dict(session.execute(stmt.group_by(db.Document.org_id)).all())
        stmt = _scope(base.join(db.Finding, db.Finding.document_id == db.Document.id)
                      .add_columns(db.Document.org_id, func.count(db.Finding.target_set_id.distinct()))
                      .where(db.Finding.severity == "error", db.Finding.target_set_id.is_not(None)),
                      session, ctx, year=y, org=org)
        error_sets_by_org = dict(session.execute(stmt.group_by(db.Document.org_id)).all())

        # self-evaluations: grades, score bands, execution sums, by organisation
        total = cast(db.SelfEvaluation.total, Numeric(18, 6))
        band = case(*((total >= low, label) for low, label in SCORE_BANDS[:-1]), else_=SCORE_BANDS[-1][1])
        budget, spent = _execution_columns(session)
        evals = (base.join(db.SelfEvaluation, db.SelfEvaluation.document_id == db.Document.id)
                 .where(db.SelfEvaluation.id.in_(_latest_evaluations())))
        stmt = _scope(evals.add_columns(db.SelfEvaluation.grade, band, func.count()), session, ctx, year=y, org=org)
        grades = session.execute(stmt.group_by(db.SelfEvaluation.grade, band)).all()
        stmt = _scope(evals.add_columns(db.Document.org_id, func.count(), exact_sum(session, budget),
                                        exact_sum(session, spent), exact_sum(session, db.SelfEvaluation.total),
                                        func.count(db.SelfEvaluation.total)), session, ctx, year=y, org=org)
        exec_by_org = session.execute(stmt.group_by(db.Document.org_id)).all()

    codes: dict[str, dict] = {}
    for code, severity, n in by_code:
        entry = codes.setdefault(code, {"code": code, "title": CATALOG[code].title if code in CATALOG else code,
                                        "severity": severity, "count": 0})
        entry["count"] += n
        if severity == "error" or (severity == "warning" and entry["severity"] == "info"):
            entry["severity"] = severity
    rank = {"error": 0, "warning": 1, "info": 2}
    code_items = sorted(codes.values(), key=lambda c: (-c["count"], rank.get(c["severity"], 3), c["code"]))

    per_dept: dict[int, dict] = defaultdict(lambda: {"documents": 0, "error": 0, "warning": 0, "info": 0,
                                                     "target_sets": 0, "error_sets": 0, "evaluations": 0,
                                                     "budget": Decimal(0), "spent": Decimal(0),
                                                     "score_sum": Decimal(0), "scored": 0})
    for org_id, n, n_error, n_warning, n_info in by_org:
        d = per_dept[depts.of(org_id)]
        d["documents"] += n
        d["error"] += int(n_error or 0)
        d["warning"] += int(n_warning or 0)
        d["info"] += int(n_info or 0)
    for org_id, n in sets_by_org.items():
        per_dept[depts.of(org_id)]["target_sets"] += n
    for org_id, n in error_sets_by_org.items():
        per_dept[depts.of(org_id)]["error_sets"] += n
    for org_id, n, b, s, score_sum, scored in exec_by_org:  # exact Decimals (or None: nothing to sum)
        d = per_dept[depts.of(org_id)]
        d["evaluations"] += n
        d["budget"] += b or 0
        d["spent"] += s or 0
        d["score_sum"] += score_sum or 0
        d["scored"] += scored
    departments = []
    for dept_id, d in per_dept.items():
        rate = (d["spent"] / d["budget"] * 100) if d["evaluations"] and d["budget"] else None
        departments.append({
            "id": dept_id, "name": depts.name(dept_id), "documents": d["documents"],
            "findings": {"error": d["error"], "warning": d["warning"], "info": d["info"]},
            "target_sets": d["target_sets"], "error_sets": d["error_sets"], "evaluations": d["evaluations"],
            "budget": _s(_q(d["budget"])) if d["evaluations"] else None,
            "spent": _s(_q(d["spent"])) if d["evaluations"] else None,
            "execution_rate": _s(_q(rate)),
            "mean_score": _s(_q(d["score_sum"] / d["scored"])) if d["scored"] else None,
        })
    departments.sort(key=lambda d: (-(d["findings"]["error"] + d["findings"]["warning"] + d["findings"]["info"]),
                                    d["name"]))

    grade_counts = dict.fromkeys(GRADES, 0)
    band_counts = {label: 0 for _low, label in reversed(SCORE_BANDS)}
    for grade, label, n in grades:
        if grade in grade_counts:
            grade_counts[grade] += n
        band_counts[label] += n
    n_sets = sum(sets_by_org.values())
    n_error_sets = sum(error_sets_by_org.values())
    return {
        "year": y, "org": None if root is None else {"id": root.id, "name": root.name, "level": root.level},
        "documents": sum(n for _o, n, *_rest in by_org),
        "findings_by_code": code_items[:TOP_CODES], "codes_total": len(code_items),
        "findings_total": {s: sum(c["count"] for c in code_items if c["severity"] == s) for s in SEVERITY_LABELS}
        | {"all": sum(c["count"] for c in code_items)},
        "departments": departments,
        "target_sets": {"total": n_sets, "with_errors": n_error_sets, "without_errors": n_sets - n_error_sets,
                        "share": _s(_q(Decimal(n_error_sets) / n_sets * 100)) if n_sets else None},
        "grades": [{"grade": g, "count": n} for g, n in grade_counts.items()],
        "score_bands": [{"band": b, "count": n} for b, n in band_counts.items()],
        "evaluations": sum(grade_counts.values()),
    }


def department_years(ctx: Ctx, org) -> dict:
    """A department's (any organisation's subtree) figures per fiscal year, oldest first:
    ``{"org", "years": [{"year", "documents", "errors", "evaluations", "mean_score", "execution_rate"}]}``."""
    policy.require(ctx.actor, "document.read")
    with ctx.db.session(write=False) as session:
        root = orgs.resolve(session, ctx, org)
        base = select().select_from(db.Document).join(db.Org, db.Org.id == db.Document.org_id)
        stmt = _scope(base.add_columns(db.Document.year, func.count(), func.sum(db.Document.n_error)),
                      session, ctx, year=None, org=root.id, all_years=True)
        docs = session.execute(stmt.group_by(db.Document.year)).all()
        budget, spent = _execution_columns(session)
        stmt = _scope(base.join(db.SelfEvaluation, db.SelfEvaluation.document_id == db.Document.id)
                      .where(db.SelfEvaluation.id.in_(_latest_evaluations()))
                      .add_columns(db.Document.year, func.count(), exact_sum(session, db.SelfEvaluation.total),
                                   func.count(db.SelfEvaluation.total), exact_sum(session, budget),
                                   exact_sum(session, spent)),
                      session, ctx, year=None, org=root.id, all_years=True)
        evals = {row[0]: row[1:] for row in session.execute(stmt.group_by(db.Document.year)).all()}
    years = []
    for year, n, n_error in sorted(docs, key=lambda r: r[0] or 0):
        n_eval, score_sum, scored, b, s = evals.get(year, (0, None, 0, None, None))  # exact Decimals
        rate = ((s or 0) / b * 100) if n_eval and b else None
        years.append({"year": year, "documents": n, "errors": int(n_error or 0), "evaluations": n_eval,
                      "mean_score": _s(_q(score_sum / scored)) if scored else None, "execution_rate": _s(_q(rate))})
    return {"org": {"id": root.id, "name": root.name, "level": root.level}, "years": years}


def list_self_evaluations(ctx: Ctx, *, year=None, org=None, grade=None, band=None, scored=None,
                          limit: int = 50, offset: int = 0) -> dict:
    """The target sets of the current documents in scope with their self-evaluation (if any):
    ``{"items": [{"target_set_id", "label", "unit", "project", "document", "org", "total", "grade",
    "execution_rate", "updated_at"}], "total"}``. ``grade``: 优/良/中/差; ``band``: one of the score
    bands' labels; ``scored``: "yes" (only scored) / "no" (only not scored)."""
    policy.require(ctx.actor, "document.read")
    limit, offset = documents.page(limit, offset)
    with ctx.db.session(write=False) as session:
        latest = (select(db.SelfEvaluation).where(db.SelfEvaluation.id.in_(_latest_evaluations()))
                  .subquery("se"))
        stmt = (select(db.TargetSet.id).select_from(db.TargetSet)
                .join(db.Document, db.Document.id == db.TargetSet.document_id)
                .join(db.Org, db.Org.id == db.Document.org_id)
                .outerjoin(latest, latest.c.target_set_id == db.TargetSet.id))
        stmt = _scope(stmt, session, ctx, year=year, org=org)
        if grade:
            stmt = stmt.where(latest.c.grade.in_(documents.split_values(grade)))
        if band:
            bounds = {label: low for low, label in SCORE_BANDS}
            if band not in bounds:
                raise Invalid(f"未知的分数段：{band}", code="invalid_band")
            total = cast(latest.c.total, Numeric(18, 6))
            low = bounds[band]
            higher = [lo for lo, _label in SCORE_BANDS if lo > low]
            stmt = stmt.where(total >= low)
            if higher:
                stmt = stmt.where(total < min(higher))
        if scored == "yes":
            stmt = stmt.where(latest.c.id.is_not(None))
        elif scored == "no":
            stmt = stmt.where(latest.c.id.is_(None))
        count = session.scalar(select(func.count()).select_from(stmt.subquery()))
        ids = stmt.order_by(db.Document.id.desc(), db.TargetSet.position).limit(limit).offset(offset)
        rows = session.execute(
            select(db.TargetSet, db.Document, db.Org, latest.c.total, latest.c.grade, latest.c.scores,
                   latest.c.updated_at)
            .join(db.Document, db.Document.id == db.TargetSet.document_id)
            .join(db.Org, db.Org.id == db.Document.org_id)
            .outerjoin(latest, latest.c.target_set_id == db.TargetSet.id)
            .where(db.TargetSet.id.in_(ids.scalar_subquery()))
            .order_by(db.Document.id.desc(), db.TargetSet.position)).all()
    items = []
    for ts, doc, org_row, total, grade_, scores, updated in rows:
        execution = (scores or {}).get("execution") or {} if isinstance(scores, dict) else {}
        items.append({
            "target_set_id": ts.id, "unit": ts.unit,
            "label": ts.project or (f"{ts.unit}（整体）" if ts.unit else f"绩效目标 {ts.id}"),
            "project": ts.project, "document": {"id": doc.id, "name": doc.name, "year": doc.year,
                                                "state": doc.state, "kind": doc.kind},
            "org": documents.org_ref(org_row), "total": None if total is None else _s(Decimal(str(total))),
            "grade": grade_, "execution_rate": execution.get("rate"),
            "updated_at": updated.isoformat() if updated is not None and hasattr(updated, "isoformat") else updated,
        })
    return {"items": items, "total": count, "limit": limit, "offset": offset}


def document_refs(ctx: Ctx, ids) -> dict[int, dict]:
    """``{document id: {"id", "name", "year", "org"}}`` of the given documents the actor sees (one query)."""
    policy.require(ctx.actor, "document.read")
    ids = sorted({int(i) for i in ids})
    if not ids:
        return {}
    with ctx.db.session(write=False) as session:
        stmt = (select(db.Document, db.Org).join(db.Org, db.Org.id == db.Document.org_id)
                .where(db.Document.id.in_(ids)))
        rows = session.execute(policy.scoped(stmt, ctx.actor, db.Org.path)).all()
    return {d.id: {"id": d.id, "name": d.name, "year": d.year, "org": documents.org_ref(o)} for d, o in rows}


def code_titles(codes: str | None = None) -> dict[str, str]:
    """The catalogue's Chinese title of each code (of ``codes``, comma-separated; None: all)."""
    wanted = documents.split_values(codes) if codes else list(CATALOG)
    return {c: CATALOG[c].title for c in wanted if c in CATALOG}
