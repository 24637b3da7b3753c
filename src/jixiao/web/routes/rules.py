"""规则: the findings catalogue (search by code, title or message; filter by severity), the three
review profiles with what each checks and real examples, the scoring families, and 试一试: a
评（扣）分标准 with a target, an actual and a weight scored as ``jixiao rule`` does (htmx)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import catalogue
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

EXAMPLE = {"text": "完成率小于60%不得分，超过60%得分=完成率*指标分值", "weight": "10", "target": "≥100",
           "actual": "80", "op": "", "profile": "default"}


@router.get("/rules")
def rules_page(request: Request, p: Annotated[Page, Depends(page)], q: str = "", severity: str = "") -> Response:
    tally = catalogue.finding_tally(p.ctx)  # read once for both
    found = catalogue.findings_catalogue(p.ctx, q=q or None, severity=severity or None, tally=tally)
    profiles = catalogue.review_profiles(p.ctx, tally=tally)
    scoring = catalogue.scoring_families()
    tried = catalogue.try_rule(EXAMPLE["text"], EXAMPLE["weight"], target=EXAMPLE["target"], actual=EXAMPLE["actual"])
    return render(request, p, "rules.html", found=found, profiles=profiles, scoring=scoring, q=q, severity=severity,
                  values=EXAMPLE, tried=tried, error=None)


@router.post("/rules/try")
def try_rule(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    values = {k: p.value(k) for k in ("text", "weight", "target", "actual", "op", "profile")}
    try:
        tried = catalogue.try_rule(values["text"], values["weight"], target=values["target"], actual=values["actual"],
                                   op=values["op"] or None, profile=values["profile"] or "default")
        error = None
    except Invalid as exc:
        tried, error = None, exc.message
    if request.headers.get("HX-Request"):
        return render(request, p, "rules_try.html", tried=tried, error=error)
    tally = catalogue.finding_tally(p.ctx)
    return render(request, p, "rules.html", status=200 if error is None else 422,
                  found=catalogue.findings_catalogue(p.ctx, tally=tally), profiles=catalogue.review_profiles(p.ctx, tally=tally),
                  scoring=catalogue.scoring_families(), q="", severity="", values=values, tried=tried, error=error)
