"""绩效自评: the list of target sets with their self-evaluation (by year, organisation, grade,
score band), and the 填报 form of one target set: actual values per indicator scored as one types
(htmx: ``services.selfevals.preview_self_evaluation``, nothing stored), 保存 stores them with the
self-evaluation's version (``score_self_evaluation``; a stale version is shown, not overwritten),
the actuals template to download and a filled one to upload, and the 自评表 workbook. Without
``selfeval.edit`` (财政审核, 部门管理, 只读) the page is the stored self-evaluation, read only."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Path
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import dashboard
from jixiao.services import editing
from jixiao.services import overview
from jixiao.services import selfeval_data
from jixiao.services import selfevals
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

PAGE_SIZE = 50
MAX_ID = 2**31 - 1
TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org_options(p: Page) -> list[tuple[int, str]]:
    return [(o["id"], "\u3000" * o["depth"] + o["name"]) for o in overview.org_tree(p.ctx, counts=False)["items"]]


@router.get("/self-evaluations")
def list_page(request: Request, p: Annotated[Page, Depends(page)], org: str = "", grade: str = "", band: str = "",
              scored: str = "", offset: int = 0) -> Response:
    found = dashboard.list_self_evaluations(p.ctx, year=p.year, org=org or None, grade=grade or None,
                                            band=band or None, scored=scored or None, limit=PAGE_SIZE,
                                            offset=max(0, offset))
    return render(request, p, "selfeval_list.html", found=found, org=org, grade=grade, band=band, scored=scored,
                  org_options=_org_options(p), grades=dashboard.GRADES,
                  bands=[label for _low, label in reversed(dashboard.SCORE_BANDS)], page_size=PAGE_SIZE)


def _entered(p: Page, form: dict) -> tuple[dict, dict, str]:
    """(actuals by indicator id, the budget block, profile) from the posted form."""
    actuals = {}
    for ind in form["indicators"]:
        actual, reason = p.value(f"actual-{ind['id']}").strip(), p.value(f"reason-{ind['id']}").strip()
        if actual or reason:
            actuals[ind["id"]] = {"actual": actual or None, "reason": reason or None}
    execution = {"budget": p.value("budget").strip() or None, "spent": p.value("spent").strip() or None,
                 "reason": p.value("exec_reason").strip() or None}
    return actuals, execution, p.value("profile") or "default"


def _values(evaluation: dict | None) -> dict:
    """What the form's fields show: the stored actuals, reasons and budget block."""
    if not evaluation:
        return {"actuals": {}, "reasons": {}, "execution": {}, "profile": "default"}
    return {"actuals": evaluation.get("actuals") or {}, "reasons": evaluation.get("reasons") or {},
            "execution": evaluation.get("entered_execution") or {}, "profile": evaluation.get("profile") or "default"}


def _form_page(request: Request, p: Page, form: dict, result: dict, values: dict, *, status: int = 200,
               notice: tuple[str, str] | None = None, errors: dict | None = None) -> Response:
    return render(request, p, "selfeval.html", status=status, f=form, r=result, v=values, notice_=notice,
                  errors=errors or {}, scores={str(s["indicator_id"]): s for s in result["scores"]})


@router.get("/target-sets/{target_set_id}/self-evaluation")
def form_page(request: Request, target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    if not p.can("selfeval.edit"):
        # those who may read the document (财政审核, 部门管理, 只读) see the stored self-evaluation, read only
        return render(request, p, "selfeval_view.html", ts=editing.get_target_set(p.ctx, target_set_id),
                      e=selfevals.get_self_evaluation(p.ctx, target_set_id))
    form = selfevals.self_evaluation_form(p.ctx, target_set_id)
    stored = form["evaluation"]
    values = _values(stored)
    result = stored or selfevals.preview_self_evaluation(p.ctx, target_set_id, {})
    return _form_page(request, p, form, result, values)


def _results(request: Request, p: Page, form: dict, result: dict, *, notice: tuple[str, str] | None = None,
             row_version: int | None = None) -> Response:
    """The parts of the form that scoring changes, as htmx out-of-band swaps."""
    return render(request, p, "selfeval_results.html", f=form, r=result, notice_=notice, row_version=row_version,
                  scores={str(s["indicator_id"]): s for s in result["scores"]})


@router.post("/target-sets/{target_set_id}/self-evaluation/preview")
def preview(request: Request, target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    form = selfevals.self_evaluation_form(p.ctx, target_set_id)
    actuals, execution, profile = _entered(p, form)
    try:
        result = selfevals.preview_self_evaluation(p.ctx, target_set_id, actuals, execution=execution, profile=profile)
    except Invalid as exc:
        return render(request, p, "selfeval_results.html", f=form, r=None, notice_=("error", exc.message),
                      row_version=None, scores={})
    return _results(request, p, form, result)


@router.post("/target-sets/{target_set_id}/self-evaluation")
def save(request: Request, target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    form = selfevals.self_evaluation_form(p.ctx, target_set_id)
    actuals, execution, profile = _entered(p, form)
    version = p.value("row_version").strip() or None
    htmx = bool(request.headers.get("HX-Request"))
    try:
        # a value typed over one from the operational data needs its reason (stored, audited)
        reasons = {str(i["id"]): p.value(f"data_reason-{i['id']}").strip() for i in form["indicators"]}
        saved = selfeval_data.score_with_data(p.ctx, target_set_id, actuals, reasons=reasons,
                                              names={str(i["id"]): i["name"] for i in form["indicators"]},
                                              expected_version=version, execution=execution, profile=profile)
    except Conflict as exc:
        current = exc.detail if isinstance(exc.detail, dict) else None
        message = exc.message + "。下方仍是您填写的内容，未保存。"
        if htmx:
            return render(request, p, "selfeval_results.html", f=form, r=None, notice_=("error", message),
                          row_version=None, scores={})
        result = selfevals.preview_self_evaluation(p.ctx, target_set_id, actuals, execution=execution, profile=profile)
        values = {"actuals": {str(k): v["actual"] for k, v in actuals.items()},
                  "reasons": {str(k): v["reason"] for k, v in actuals.items() if v["reason"]},
                  "execution": execution, "profile": profile}
        form["evaluation"] = current
        return _form_page(request, p, form, result, values, status=409, notice=("error", message))
    except Invalid as exc:
        if htmx:
            return render(request, p, "selfeval_results.html", f=form, r=None, notice_=("error", exc.message),
                          row_version=None, scores={})
        if exc.code != "reason_required":
            raise
        # the reason asked for at its field, with what was typed (nothing stored)
        result = selfevals.preview_self_evaluation(p.ctx, target_set_id, actuals, execution=execution, profile=profile)
        values = {"actuals": {str(k): v["actual"] for k, v in actuals.items()},
                  "reasons": {str(k): v["reason"] for k, v in actuals.items() if v["reason"]},
                  "execution": execution, "profile": profile, "data_reasons": reasons}
        return _form_page(request, p, form, result, values, status=422, notice=("error", exc.message),
                          errors={str(exc.detail["indicator_id"]): exc.message})
    if not htmx:
        return RedirectResponse(f"/target-sets/{target_set_id}/self-evaluation?saved=1", status_code=303)
    notice = ("success", f"已保存：总分 {saved['total']}，等级“{saved['grade']}”（第 {saved['row_version']} 版）")
    return _results(request, p, form, saved, notice=notice, row_version=saved["row_version"])


@router.post("/target-sets/{target_set_id}/self-evaluation/upload")
async def upload(request: Request, target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    form = selfevals.self_evaluation_form(p.ctx, target_set_id)
    file = p.form.get("file") if p.form is not None else None
    if file is None or isinstance(file, str) or not file.filename:
        result = form["evaluation"] or selfevals.preview_self_evaluation(p.ctx, target_set_id, {})
        return _form_page(request, p, form, result, _values(form["evaluation"]), status=422,
                          notice=("error", "请选择已填写的实际完成值填报表（.xlsx）"))
    data = await file.read()
    try:
        read = selfevals.actuals_from_workbook(p.ctx, target_set_id, data, file.filename)
    except Invalid as exc:
        result = form["evaluation"] or selfevals.preview_self_evaluation(p.ctx, target_set_id, {})
        return _form_page(request, p, form, result, _values(form["evaluation"]), status=422,
                          notice=("error", exc.message))
    values = {"actuals": {k: v["actual"] for k, v in read["actuals"].items()},
              "reasons": {k: v["reason"] for k, v in read["actuals"].items() if v["reason"]},
              "execution": read["execution"], "profile": (form["evaluation"] or {}).get("profile") or "default"}
    result = selfevals.preview_self_evaluation(p.ctx, target_set_id, read["actuals"], execution=read["execution"],
                                               profile=values["profile"])
    text = (f"已从“{file.filename}”读入 {read['matched']} / {read['indicators']} 项指标的实际完成值"
            "，尚未保存：请核对后点击“保存自评”。")
    if read["findings"]:
        text += " 提示：" + "；".join(f["message"] for f in read["findings"][:3])
    return _form_page(request, p, form, result, values, notice=("info", text))


def _download(name: str, data: bytes) -> Response:
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/target-sets/{target_set_id}/self-evaluation/template.xlsx")
def template(target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    return _download(*selfevals.actuals_template(p.ctx, target_set_id))


@router.get("/target-sets/{target_set_id}/self-evaluation/report.xlsx")
def report(target_set_id: TargetSetId, p: Annotated[Page, Depends(page)]) -> Response:
    return _download(*selfevals.export_self_evaluation(p.ctx, target_set_id))
