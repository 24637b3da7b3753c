"""A target set's year-end self-evaluation (绩效自评): actuals in, scores out, stored.

The scoring is the one ``jixiao selfeval score`` runs (:func:`jixiao.selfeval.scorecard.score_set`):
the stored target set becomes the model document (``store.content.target_set_model`` +
``target_document``), each actual is paired with its indicator by the indicator's id (where the
command pairs the filled template's rows by key), and the profile's weights, default methods,
execution-rate points and grade bands apply as they do there. Every number is an exact Decimal.

``actuals`` maps an indicator id to the 实际完成值 as entered (``"175"``, ``"92%"``, ``"达成"``,
``"2026-11-30"``), or to ``{"actual": …, "reason": …}`` with the 偏差原因; ``execution`` is the
budget block (``{"budget": 全年预算数, "spent": 全年执行数, "reason": …}``, 万元; 全年预算数
defaults to the target set's 资金总额). The stored row keeps what was entered
(``SelfEvaluation.actuals`` = ``{"indicators": {id: {"actual", "reason"}}, "execution": {…},
"profile": name}``), the scores (per indicator: points, method, Chinese explanation), the total and
the grade.

Concurrency as for target sets: the self-evaluation's ``row_version``; scoring again names the
version it replaces (``expected_version``), a stale or missing one gets 409 with the current
self-evaluation. Permission ``selfeval.edit``; the target set must be visible (else 404). Audited
(object ``self_evaluation:<target set id>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.services import audit
from jixiao.services import policy
from jixiao.services import workflow
from jixiao.services.context import Ctx
from jixiao.services.editing import _decimal
from jixiao.services.editing import _indicators
from jixiao.services.editing import _load
from jixiao.services.editing import _text
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.store import content
from jixiao.store import schema as db
from jixiao.store.base import utcnow


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _json(row: db.SelfEvaluation | None, ts_id: int) -> dict | None:
    if row is None:
        return None
    entered = row.actuals or {}
    scores = row.scores or {}
    return {
        "id": row.id, "target_set_id": row.target_set_id, "document_id": row.document_id,
        "row_version": row.row_version, "etag": f'"{row.row_version}"',
        "profile": entered.get("profile"),
        "actuals": {k: v.get("actual") for k, v in (entered.get("indicators") or {}).items()},
        "reasons": {k: v.get("reason") for k, v in (entered.get("indicators") or {}).items() if v.get("reason")},
        "entered_execution": entered.get("execution"),
        "scores": scores.get("indicators", []), "execution": scores.get("execution"),
        "weight_rule": scores.get("weight_rule"), "total": _s(row.total), "grade": row.grade,
        "indicator_points": _points(scores.get("indicators", [])),
        "findings": scores.get("findings", []),
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def _points(scores: list[dict]) -> str:
    """Σ of the indicators' points (the total without the 预算执行率 score)."""
    return _s(sum((Decimal(x["score"]) for x in scores if x.get("score") is not None), Decimal(0)))


def _current(session: Session, ts_id: int) -> db.SelfEvaluation | None:
    return session.scalars(select(db.SelfEvaluation).where(db.SelfEvaluation.target_set_id == ts_id)
                           .order_by(db.SelfEvaluation.id.desc()).limit(1)).first()


def get_self_evaluation(ctx: Ctx, target_set_id: int) -> dict | None:
    """The stored self-evaluation of a target set, or None when none was scored yet."""
    with ctx.db.session(write=False) as session:
        ts, _doc, _table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "document.read")
        return _json(_current(session, ts.id), ts.id)


def _entered(actuals: Mapping, ids: list[int]) -> dict[int, dict]:
    """``{indicator id: {"actual", "reason"}}`` from what the client sent (unknown ids refused)."""
    out: dict[int, dict] = {}
    unknown = []
    for key, value in (actuals or {}).items():
        try:
            ident = int(str(key).strip())
        except ValueError:
            unknown.append(str(key))
            continue
        if ident not in ids:
            unknown.append(str(key))
            continue
        if isinstance(value, Mapping):
            actual, reason = value.get("actual"), value.get("reason")
        else:
            actual, reason = value, None
        if isinstance(actual, bool):
            raise Invalid(f"指标 {ident} 的实际完成值无效：{actual}")
        if isinstance(actual, float | int | Decimal):
            actual = format(Decimal(str(actual)), "f")
        out[ident] = {"actual": _text(actual), "reason": _text(reason)}
    if unknown:
        raise Invalid(f"这些指标不属于本绩效目标：{'、'.join(unknown)}", code="unknown_indicator",
                      detail={"indicators": unknown})
    return out


def _execution(execution: Mapping | None) -> dict:
    execution = execution or {}
    extra = [k for k in execution if k not in ("budget", "spent", "reason")]
    if extra:
        raise Invalid(f"预算执行没有这些字段：{', '.join(extra)}")
    return {"budget": _s(_decimal(execution.get("budget"), "全年预算数")),
            "spent": _s(_decimal(execution.get("spent"), "全年执行数")), "reason": _text(execution.get("reason"))}


def _document(ts: db.TargetSet, indicators: list[db.Indicator], doc: db.Document, table: db.DocTable):
    """The stored target set as the model document, its one set entry and its indicator entries."""
    from jixiao.selfeval.template import indicator_entries
    from jixiao.selfeval.template import set_entries

    model = content.target_set_model(ts, indicators)
    document = content.target_document(table, model, source=doc.name, year=table.year or doc.year, org=table.org)
    sets = set_entries(document)
    if len(sets) != 1:
        raise Invalid("该绩效目标不是可自评的目标表（项目支出、部门整体或专项资金）", code="not_scorable")
    return model, document, sets[0], list(indicator_entries(document, sets))


def _card(ts: db.TargetSet, indicators: list[db.Indicator], doc: db.Document, table: db.DocTable,
          entered: dict[int, dict], execution: dict, profile_name: str):
    """The scorecard of one set (``selfeval.scorecard.SetScore``) and the model document."""
    from jixiao.model.source import Location
    from jixiao.scoring import PROFILES
    from jixiao.selfeval.actuals import ActualRow
    from jixiao.selfeval.actuals import BudgetRow
    from jixiao.selfeval.actuals import Match
    from jixiao.selfeval.scorecard import score_set

    profile = PROFILES[profile_name]
    model, document, entry, entries = _document(ts, indicators, doc, table)
    rows = {}
    for n, (e, ind) in enumerate(zip(entries, indicators), start=1):
        given = entered.get(ind.id)
        if given is None or given["actual"] is None and given["reason"] is None:
            continue
        rows[e.key] = ActualRow(n, e.key, (), given["actual"], given["reason"], e.indicator.location)
    budgets = {}
    if any(execution.values()):
        d = {k: None if execution[k] is None else Decimal(execution[k]) for k in ("budget", "spent")}
        budgets[entry.key] = BudgetRow(1, entry.key, (), None, d["budget"], d["spent"], (),
                                       execution["reason"], model.amounts_location or model.location or Location(""))
    return score_set(entry, entries, Match(rows, budgets), profile), document, profile


# the findings that ask for a 偏差原因 (a reason given makes them go away or become info)
REASON_CODES = ("selfeval-deviation-unexplained", "selfeval-over-achievement")


def _score(ts: db.TargetSet, indicators: list[db.Indicator], doc: db.Document, table: db.DocTable,
           entered: dict[int, dict], execution: dict, profile_name: str) -> tuple[dict, Decimal, str]:
    from jixiao.render.scoring_names import family_name
    from jixiao.scoring.numbers import round2

    card, _doc_model, profile = _card(ts, indicators, doc, table, entered, execution, profile_name)
    scores = []
    for item, ind in zip(card.indicators, indicators):
        score = item.score
        method = family_name(score.family) if score else "未计分"
        if score and not score.parsed and ind.scoring:
            method += "（评分标准未采用）"
        own = [f for f in card.findings if f.subject == item.entry.subject
               and (f.location == item.location or f.location == item.entry.indicator.location)]
        scores.append({
            "indicator_id": ind.id, "name": ind.name, "level1": ind.level1, "level2": ind.level2,
            "target_text": ind.target_text, "weight": _s(item.weight),
            "actual": None if item.actual is None else str(item.actual), "reason": item.reason,
            "score": _s(item.points), "method": method, "family": score.family if score else None,
            "parsed": score.parsed if score else False, "needs_review": score.needs_review if score else True,
            "explanation": item.explanation,
            # 偏差原因 required (10号: 未完成绩效目标或偏离绩效目标较大的要说明原因) and not given yet
            "reason_required": any(f.code in REASON_CODES and f.severity.value != "info" for f in own),
            "findings": [_finding(f) for f in sorted(own, key=Finding.sort_key)],
        })
    x = card.execution
    stored = {
        "indicators": scores,
        "execution": {"initial": _s(x.initial), "budget": _s(x.budget), "spent": _s(x.spent),
                      "rate": None if x.rate is None else f"{round2(x.rate * 100)}%", "weight": _s(profile.execution_weight), "score": _s(x.score.score),
                      "explanation": x.score.explanation, "reason": x.reason,
                      "reason_required": any(f.code == "selfeval-execution-unexplained" for f in card.findings)},
        "weight_rule": card.weight_rule,
        "findings": [_finding(f) for f in sorted(card.findings, key=Finding.sort_key)],
    }
    return stored, card.total, card.grade


def _finding(f: Finding) -> dict:
    return {**f.as_dict(), "severity_label": {"error": "错误", "warning": "警告", "info": "提示"}[f.severity.value]}


def score_self_evaluation(ctx: Ctx, target_set_id: int, actuals: Mapping, *, expected_version: int | None = None,
                          execution: Mapping | None = None, profile: str = "default") -> dict:
    """Score the target set's indicators against ``actuals`` and store the result (see the module
    notes). The first scoring needs no version; scoring again needs the stored one."""
    from jixiao.scoring import PROFILES

    if profile not in PROFILES:
        raise Invalid(f"未知的计分口径：{profile}（可选：{' / '.join(PROFILES)}）")
    budget = _execution(execution)
    with ctx.db.session() as session:
        ts, doc, table = _load(session, ctx, target_set_id, lock=True)
        policy.require(ctx.actor, "selfeval.edit")
        indicators = _indicators(session, ts)
        entered = _entered(actuals, [i.id for i in indicators])
        row = _current(session, ts.id)
        if row is not None and (expected_version is None or str(expected_version).strip('"') != str(row.row_version)):
            given = "未提供版本号" if expected_version is None else f"您修改的是版本 {expected_version}"
            raise Conflict(f"自评已保存过（当前版本 {row.row_version}，{given}），请刷新后在最新内容上重新填报",
                           code="conflict", detail=_json(row, ts.id))
        scores, total, grade = _score(ts, indicators, doc, table, entered, budget, profile)
        before = None
        if row is None:
            row = db.SelfEvaluation(target_set_id=ts.id, document_id=doc.id, created_by=ctx.actor.user_id)
            session.add(row)
        else:
            before = {"actuals": row.actuals, "total": _s(row.total), "grade": row.grade,
                      "row_version": row.row_version}
        row.actuals = {"indicators": {str(k): v for k, v in entered.items()}, "execution": budget,
                       "profile": profile}
        row.scores, row.total, row.grade = scores, total, grade
        row.updated_at = utcnow()
        session.flush()
        audit.record(session, ctx.actor, "selfeval.score", "self_evaluation", ts.id, org_id=doc.org_id,
                     before=before, after={"actuals": row.actuals, "total": _s(total), "grade": grade,
                                           "row_version": row.row_version})
        return _json(row, ts.id)


def preview_self_evaluation(ctx: Ctx, target_set_id: int, actuals: Mapping, *, execution: Mapping | None = None,
                            profile: str = "default") -> dict:
    """What :func:`score_self_evaluation` would store, without storing it (the web form scores as
    one types): ``scores``, ``execution``, ``total``, ``grade``, ``findings``. Needs ``selfeval.edit``."""
    from jixiao.scoring import PROFILES

    if profile not in PROFILES:
        raise Invalid(f"未知的计分口径：{profile}（可选：{' / '.join(PROFILES)}）")
    budget = _execution(execution)
    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "selfeval.edit")
        indicators = _indicators(session, ts)
        entered = _entered(actuals, [i.id for i in indicators])
        scores, total, grade = _score(ts, indicators, doc, table, entered, budget, profile)
    return {"scores": scores["indicators"], "execution": scores["execution"], "weight_rule": scores["weight_rule"],
            "findings": scores["findings"], "total": _s(total), "grade": grade, "profile": profile,
            "indicator_points": _points(scores["indicators"])}


def self_evaluation_form(ctx: Ctx, target_set_id: int) -> dict:
    """What the self-evaluation form (填报) shows: the target set (document, organisation,
    project, 资金总额), its indicators, the stored self-evaluation (or None) and the profiles to
    choose from, and (``monitoring``) the values of the last monitoring round as
    :func:`prefill_from_monitoring` gives them, or None. The form is for those who fill it in: ``selfeval.edit`` (else 403; the results
    are read through :func:`get_self_evaluation` and the exported 自评表)."""
    from jixiao.scoring import PROFILES
    from jixiao.selfeval.template import initial_budget

    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "selfeval.edit")
        indicators = _indicators(session, ts)
        org = session.get(db.Org, doc.org_id)
        model, _doc_model, entry, _entries = _document(ts, indicators, doc, table)
        stored = _json(_current(session, ts.id), ts.id)
        form = {
            "target_set": {"id": ts.id, "row_version": ts.row_version, "project": ts.project, "unit": ts.unit,
                           "unit_code": ts.unit_code, "label": entry.label, "kind_label": entry.kind_label,
                           "initial_budget": _s(initial_budget(model))},
            "document": {"id": doc.id, "name": doc.name, "year": table.year or doc.year, "state": doc.state,
                         "state_label": workflow.state_label(doc.state), "kind": doc.kind},
            "org": {"id": org.id, "name": org.name, "code": org.code},
            "indicators": [{"id": i.id, "level1": i.level1, "level2": i.level2, "name": i.name,
                            "target_text": i.target_text, "op_text": i.op_text, "unit_text": i.unit_text,
                            "unit": i.unit, "weight": _s(i.weight), "scoring": i.scoring} for i in indicators],
            "evaluation": stored,
            "profiles": {name: p.title for name, p in PROFILES.items()},
        }
    # the year-end self-evaluation starts from the last monitoring round (None: never monitored)
    form["monitoring"] = _monitoring_prefill(ctx, target_set_id)
    return form


def _monitoring_prefill(ctx: Ctx, target_set_id: int) -> dict | None:
    from jixiao.services.errors import NotFound

    try:
        return prefill_from_monitoring(ctx, target_set_id)
    except NotFound:
        return None


def _stored_card(ctx: Ctx, target_set_id: int):
    """(scorecard, model document, target set, document, profile) of the stored self-evaluation; 404 when none."""
    from jixiao.services.errors import NotFound

    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "document.read")
        row = _current(session, ts.id)
        if row is None:
            raise NotFound(f"绩效目标 {target_set_id} 尚未自评", code="not_scored")
        indicators = _indicators(session, ts)
        entered = {int(k): v for k, v in ((row.actuals or {}).get("indicators") or {}).items()}
        execution = (row.actuals or {}).get("execution") or {"budget": None, "spent": None, "reason": None}
        profile = (row.actuals or {}).get("profile") or "default"
        card, document, scoring = _card(ts, indicators, doc, table, entered, execution, profile)
        return card, document, ts, doc, scoring


def _filename(doc: db.Document, ts: db.TargetSet, what: str) -> str:
    import re

    label = ts.project or ts.unit or f"绩效目标{ts.id}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{doc.year or ''}{label}_{what}.xlsx")


def export_self_evaluation(ctx: Ctx, target_set_id: int, fmt: str = "xlsx") -> tuple[str, bytes]:
    """The stored self-evaluation as the 自评表 (``write.selfeval_table``, as ``jixiao selfeval score -o``
    writes it) in ``fmt`` (xlsx, docx, pdf): (file name, bytes). 404 when it was never scored."""
    from jixiao.selfeval.scorecard import Scorecard
    from jixiao.write.formats import SUFFIXES
    from jixiao.write.formats import write
    from jixiao.write.selfeval_table import build_selfeval_table

    if fmt not in SUFFIXES:
        raise Invalid(f"不支持的输出格式：{fmt}（可选 {'、'.join(SUFFIXES)}）")
    card, document, ts, doc, profile = _stored_card(ctx, target_set_id)
    whole = Scorecard(document.source, profile, (card,), tuple(sorted(card.findings, key=Finding.sort_key)))
    name = _filename(doc, ts, "自评表")
    return name.removesuffix(".xlsx") + SUFFIXES[fmt], write(build_selfeval_table(whole), fmt)


def actuals_template(ctx: Ctx, target_set_id: int) -> tuple[str, bytes]:
    """The actuals template of this target set (``jixiao selfeval template``): (file name, bytes)."""
    import tempfile
    from pathlib import Path

    from jixiao.selfeval.template import write_template

    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "document.read")
        _model, document, _entry, _entries = _document(ts, _indicators(session, ts), doc, table)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(document, path)
        return _filename(doc, ts, "实际完成值填报表"), path.read_bytes()


def actuals_from_workbook(ctx: Ctx, target_set_id: int, data: bytes, name: str) -> dict:
    """A filled actuals template (``jixiao selfeval template``, of this target set or of its whole
    document) read back and paired with this set's indicators by key, else by printed names:
    ``{"actuals": {indicator id: {"actual", "reason"}}, "execution": {"budget", "spent", "reason"},
    "matched": n, "indicators": n, "findings": [...]}``. Nothing is stored. Needs ``selfeval.edit``."""
    import tempfile
    from pathlib import Path

    from jixiao.selfeval.actuals import match_actuals
    from jixiao.selfeval.actuals import read_actuals

    with ctx.db.session(write=False) as session:
        ts, doc, table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "selfeval.edit")
        indicators = _indicators(session, ts)
        _model, document, entry, entries = _document(ts, indicators, doc, table)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actuals.xlsx"
        path.write_bytes(data)
        read, problems = read_actuals(path, name=name)
    if read is None:
        raise Invalid(problems[0].message if problems else f"无法读取文件：{name}", code="unreadable")
    match = match_actuals(document, read, name)
    out: dict[str, dict] = {}
    for e, ind in zip(entries, indicators):
        row = match.rows.get(e.key)
        if row is not None:
            out[str(ind.id)] = {"actual": _text(None if row.value is None else str(row.value)),
                                "reason": _text(row.reason)}
    budget = match.budgets.get(entry.key)
    execution = {"budget": _s(budget.budget) if budget else None, "spent": _s(budget.spent) if budget else None,
                 "reason": _text(budget.reason) if budget else None}
    if not out and budget is None:
        raise Invalid(f"文件“{name}”中没有与本绩效目标对应的行（请使用本目标表导出的实际完成值填报表）",
                      code="no_rows_matched")
    kept = [f for f in match.findings if f.code != "selfeval-actuals-unknown-row"]  # other sets' rows
    return {"actuals": out, "execution": execution, "matched": len(out), "indicators": len(indicators),
            "findings": [_finding(f) for f in sorted(kept, key=Finding.sort_key)]}


def _plain(value: Decimal) -> str:
    """A converted value as text without exponent or trailing zeros (0.3000 → 0.3, 3E+3 → 3000)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def prefill_from_monitoring(ctx: Ctx, target_set_id: int) -> dict:
    """The year-end self-evaluation started from the last monitoring round (绩效运行监控) of this
    target set, or of the version it adjusted (目标调整; indicators paired by 一级/二级/三级 names):
    ``{"actuals": {indicator id: {"actual", "reason"}}, "execution": {"budget", "spent", "reason"},
    "expected": {indicator id: 全年预计完成值}, "round": {id, title, as_of}, "matched": n,
    "indicators": n}``, in the shape :func:`score_self_evaluation` takes (actual = the value
    reached at the round's date, reason = the 偏差原因 given then). Nothing is stored; 404
    (``not_monitored``) when the set was in no round. Needs ``selfeval.edit``."""
    from jixiao.model.units import convert
    from jixiao.services import operational_data
    from jixiao.services.adjustments import set_map
    from jixiao.services.errors import NotFound
    from jixiao.services.monitoring import last_values

    with ctx.db.session(write=False) as session:
        ts, doc, _table = _load(session, ctx, target_set_id)
        policy.require(ctx.actor, "selfeval.edit")
        indicators = _indicators(session, ts)
        # a 目标调整's new version: the round may have been filled on the version it replaced
        ids, doc_id, set_id = [ts.id], doc.id, ts.id
        for _step in range(20):
            a = session.scalar(select(db.TargetAdjustment).where(db.TargetAdjustment.to_document_id == doc_id)
                               .order_by(db.TargetAdjustment.id.desc()).limit(1))
            old = None if a is None else {n: o for o, n in set_map(session, a.from_document_id, doc_id).items()}.get(set_id)
            if old is None:
                break
            ids.append(old)
            doc_id, set_id = a.from_document_id, old
        found = last_values(session, ids)
        year = doc.year or (found[1].year if found else None)
        bound = (operational_data.values_for_indicators(session, [ind.id for ind in indicators], date(year, 1, 1),
                                                        date(year, 12, 31)) if year else {})
        if found is None and not bound:
            raise NotFound(f"绩效目标 {target_set_id} 没有参加过绩效运行监控", code="not_monitored")
        sheet, r, entries = found if found is not None else (None, None, [])
        by_id = {ind.id: e for e, ind in entries}
        by_name = {(ind.level1, ind.level2, ind.name): e for e, ind in entries}
        actuals, expected, from_data = {}, {}, {}
        for ind in indicators:
            e = by_id.get(ind.id) or by_name.get((ind.level1, ind.level2, ind.name))
            if e is not None and (e.to_date is not None or e.reason is not None):
                actuals[str(ind.id)] = {"actual": e.to_date, "reason": e.reason}
                if e.expected is not None:
                    expected[str(ind.id)] = e.expected
            b = bound.get(ind.id)
            if b is None:
                continue
            # the whole year's value from the operational data, in the target's unit (130 件 against
            # ≥30万件 is 0.013 万件); incompatible units give no number but a problem said in words
            target = content.indicator_model(ind).target
            item = {**b.as_dict(), "from": date(year, 1, 1).isoformat(), "to": date(year, 12, 31).isoformat(),
                    "actual": None, "problem": None}
            item["target_unit"], item["computed_actual"] = target.unit, None
            if b.value is not None:
                converted = convert(b.value, b.unit or None, target.unit)
                if converted is None:
                    item["problem"] = (f"业务数据的单位“{b.unit}”与年度指标值 {target.text} 的单位“{target.unit}”"
                                       "不是同一种量，未取数")
                else:
                    item["actual"] = _plain(converted)
                    actuals[str(ind.id)] = {"actual": item["actual"],
                                            "reason": (actuals.get(str(ind.id)) or {}).get("reason")}
            if b.computed is not None and convert(b.computed, b.unit or None, target.unit) is not None:
                item["computed_actual"] = _plain(convert(b.computed, b.unit or None, target.unit))
            from_data[str(ind.id)] = item
        return {"actuals": actuals, "expected": expected, "bound": from_data,
                "execution": ({"budget": _s(sheet.budget), "spent": _s(sheet.spent), "reason": sheet.execution_reason}
                              if sheet is not None else None),
                "round": ({"id": r.id, "title": r.title, "as_of": r.as_of.isoformat(), "sheet_id": sheet.id}
                          if r is not None else None),
                "matched": len(actuals), "indicators": len(indicators)}
