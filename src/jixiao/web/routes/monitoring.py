"""绩效运行监控: the rounds of a year (a finance reviewer opens one with a date and a warning
profile), a round's page (the 分布图 of 红/黄/绿 by department, every 监控表 with its state, level,
budget, spent, 执行率 and 时间进度), and the 监控表 of one target set: filled in with the
warnings recomputed as one types (htmx: ``monitoring.preview_sheet``, nothing stored), saved with
its ``row_version`` (a stale version is shown, not overwritten); indicators bound to operational
data show the value the records give (``monitoring_data``), typed over only with a reason; a
red or amber item opens a 整改 task (``rectification.open_task``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Path
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import adjustments
from jixiao.services import monitoring
from jixiao.services import monitoring_data
from jixiao.services import operational_data
from jixiao.services import overview
from jixiao.services import rectification
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.rectification_owners import task_owners
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render
from jixiao.write.formats import FORMATS
from jixiao.write.formats import MEDIA_TYPES

router = APIRouter()

MAX_ID = 2**31 - 1
Ident = Annotated[int, Path(ge=1, le=MAX_ID)]
ENTRY_FIELDS = monitoring.ENTRY_FIELDS
PAGE_SIZE = 100  # 监控表 listed per page of a round


def _list_page(request: Request, p: Page, *, status: int = 200, notice: tuple[str, str] | None = None,
               values: dict | None = None) -> Response:
    rounds = monitoring.list_rounds(p.ctx, year=p.year)
    titles = {x["name"]: x["title"] for x in monitoring.list_profiles(p.ctx)["items"]}
    orgs, profiles = [], []
    if p.can("monitoring.open"):
        orgs = [(o["id"], "\u3000" * o["depth"] + o["name"]) for o in overview.org_tree(p.ctx)["items"]
                if o.get("level") != "unit"]
        profiles = [(name, title.split("：")[0]) for name, title in titles.items()]
    year = p.year or date.today().year
    defaults = {"org": str(orgs[0][0]) if orgs else "", "as_of": f"{year}-06-30", "title": "", "profile": "default"}
    return render(request, p, "monitoring/rounds.html", status=status, rounds=rounds, orgs=orgs, profiles=profiles,
                  titles=titles, notice_=notice, v={**defaults, **(values or {})}, open_year=year)


@router.get("/monitoring")
def rounds_page(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    return _list_page(request, p)


@router.post("/monitoring")
def open_round(request: Request, p: Annotated[Page, Depends(page)]) -> Response:
    values = {k: p.value(k).strip() for k in ("org", "as_of", "title", "profile")}
    try:
        as_of = date.fromisoformat(values["as_of"])
    except ValueError:
        return _list_page(request, p, status=422, notice=("error", f"监控日期须为日期（如 2026-06-30）：{values['as_of']}"),
                          values=values)
    try:
        r = monitoring.open_round(p.ctx, org=values["org"], year=as_of.year, as_of=as_of,
                                  title=values["title"] or None, profile=values["profile"] or "default")
    except (Invalid, Conflict) as exc:
        return _list_page(request, p, status=exc.status, notice=("error", exc.message), values=values)
    return RedirectResponse(f"/monitoring/rounds/{r['id']}?opened=1", status_code=303)


@router.get("/monitoring/rounds/{round_id}")
def round_page(request: Request, round_id: Ident, p: Annotated[Page, Depends(page)], dept: str = "",
               level: str = "", offset: int = 0) -> Response:
    level = level if level in ("red", "amber", "green", "unfilled") else ""  # unfilled: nothing entered yet
    offset = max(0, offset)
    r = monitoring.get_round(p.ctx, round_id, dept=dept if dept.isdigit() else None, level=level or None,
                             offset=offset, limit=PAGE_SIZE)
    p.show_year(r["year"], "/monitoring")
    sheets, total = r["sheets"], r["total"]
    chosen = next((d for d in r["departments"] if str(d["id"]) == dept), None)
    departments = r["departments"]
    notice = None
    if request.query_params.get("opened"):
        opened = sum(d["sheets"] for d in departments)
        notice = ("success", f"已开启监控轮次“{r['title']}”：{opened} 张监控表，时间进度 {r['time_progress']}")
    return render(request, p, "monitoring/round.html", r=r, sheets=sheets, dept=chosen, level=level, notice_=notice,
                  total=total, offset=offset, page_size=PAGE_SIZE,
                  departments=departments, formats=FORMATS,
                  chart={"departments": departments, "round": r["id"]})


def _download(name: str, data: bytes, fmt: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/monitoring/rounds/{round_id}/report.{fmt}")
def round_report(round_id: Ident, fmt: str, p: Annotated[Page, Depends(page)]) -> Response:
    """The monitoring report of the round (the 监控表 the user sees) as XLSX, DOCX or PDF."""
    name, data = monitoring.export_report(p.ctx, round_id, fmt)
    return _download(name, data, fmt)


@router.get("/monitoring/sheets/{sheet_id}/report.{fmt}")
def sheet_report(sheet_id: Ident, fmt: str, p: Annotated[Page, Depends(page)]) -> Response:
    """One 监控表 in the report's layout."""
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    name, data = monitoring.export_report(p.ctx, sheet["round"]["id"], fmt, sheet_id=sheet_id)
    return _download(name, data, fmt)


@router.post("/monitoring/rounds/{round_id}/close")
def close_round(round_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    monitoring.close_round(p.ctx, round_id)
    return RedirectResponse(f"/monitoring/rounds/{round_id}", status_code=303)


@router.post("/monitoring/rounds/{round_id}/evaluate")
def evaluate_round(round_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    monitoring.evaluate_round(p.ctx, round_id)
    monitoring.add_sheets(p.ctx, round_id)
    return RedirectResponse(f"/monitoring/rounds/{round_id}", status_code=303)


# ---- one 监控表 ----------------------------------------------------------------------------------

def _entered(p: Page, sheet: dict) -> tuple[dict, dict]:
    """(changes for the service, reasons for values typed over bound ones) from the posted form."""
    changes: dict = {k: (p.value(k).strip() or None) for k in monitoring.SHEET_FIELDS}
    entries, reasons = {}, {}
    for e in sheet["entries"]:
        key = str(e["indicator_id"])
        entries[key] = {f: (p.value(f"{f}-{key}").strip() or None) for f in ENTRY_FIELDS}
        if p.value(f"override-{key}").strip():
            reasons[key] = p.value(f"override-{key}").strip()
    changes["entries"] = entries
    return changes, reasons


def _context(p: Page, sheet: dict) -> dict:
    data = monitoring_data.data_for_sheet(p.ctx, sheet)
    open_items = {(t["indicator_id"]) for t in sheet["tasks"] if t["state"] == "open"}
    can_fill = sheet["editable"] and p.can("monitoring.fill")
    return {"s": sheet, "data": data, "open_items": open_items, "can_fill": can_fill,
            "owners": task_owners(p.ctx, sheet["id"]) if p.can("rectification.open") else [],
            "default_deadline": _deadline(sheet),
            "metrics": operational_data.list_metrics(p.ctx)["items"] if p.can("opdata.define") else []}


def _deadline(sheet: dict) -> str:
    """A month after the round's date as the deadline offered for a 整改 task."""
    day = date.fromisoformat(sheet["round"]["as_of"])
    month = day.month % 12 + 1
    year = day.year + (1 if day.month == 12 else 0)
    return date(year, month, min(day.day, 28)).isoformat()


def _sheet_page(request: Request, p: Page, sheet: dict, *, status: int = 200, notice=None,
                entered: dict | None = None) -> Response:
    p.show_year(sheet["round"]["year"], "/monitoring")
    return render(request, p, "monitoring/sheet.html", status=status, notice_=notice, entered=entered or {},
                  **_context(p, sheet))


@router.get("/monitoring/sheets/{sheet_id}")
def sheet_page(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    notice = None
    if request.query_params.get("saved"):
        notice = ("success", f"已保存（第 {sheet['row_version']} 版），预警：{sheet['level_label']}")
    elif request.query_params.get("bound"):
        notice = ("success", "已更新指标的业务数据绑定")
    elif request.query_params.get("task"):
        notice = ("success", "已下达整改任务，责任单位可在“整改”中查看并填写整改措施后完成")
    return _sheet_page(request, p, sheet, notice=notice)


def _results(request: Request, p: Page, sheet: dict | None, *, notice=None, saved: bool = False) -> Response:
    """The parts of the sheet that evaluation changes, as htmx out-of-band swaps."""
    data = monitoring_data.data_for_sheet(p.ctx, sheet) if sheet is not None else {}
    return render(request, p, "monitoring/sheet_results.html", notice_=notice, saved=saved, s=sheet, data=data)


@router.post("/monitoring/sheets/{sheet_id}/preview")
def preview(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    changes, _reasons = _entered(p, sheet)
    try:
        result = monitoring.preview_sheet(p.ctx, sheet_id, changes)
    except Invalid as exc:
        return _results(request, p, None, notice=("error", exc.message))
    return _results(request, p, result)


@router.post("/monitoring/sheets/{sheet_id}")
def save(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    changes, reasons = _entered(p, sheet)
    version = p.value("row_version").strip() or None
    htmx = bool(request.headers.get("HX-Request"))
    try:
        saved = monitoring_data.fill_sheet(p.ctx, sheet_id, changes, reasons=reasons, expected_version=version)
    except (Conflict, Invalid) as exc:
        message = exc.message + ("。下方仍是您填写的内容，未保存。" if isinstance(exc, Conflict) else "")
        if htmx:
            return _results(request, p, None, notice=("error", message))
        shown = monitoring.preview_sheet(p.ctx, sheet_id, changes) if isinstance(exc, Conflict) else sheet
        return _sheet_page(request, p, shown, status=exc.status, notice=("error", message), entered=reasons)
    if not htmx:
        return RedirectResponse(f"/monitoring/sheets/{sheet_id}?saved=1", status_code=303)
    notice = ("success", f"已保存（第 {saved['row_version']} 版），预警：{saved['level_label']}")
    return _results(request, p, saved, notice=notice, saved=True)


@router.post("/monitoring/sheets/{sheet_id}/tasks")
def open_task(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    indicator = p.value("indicator_id").strip() or None
    try:
        rectification.open_task(p.ctx, sheet_id, owner=p.value("owner").strip(), deadline=p.value("deadline").strip(),
                                indicator_id=int(indicator) if indicator and indicator.isdigit() else None,
                                description=p.value("description").strip() or None)
    except (Invalid, Conflict) as exc:
        return _sheet_page(request, p, monitoring.get_sheet(p.ctx, sheet_id), status=exc.status,
                           notice=("error", "未能下达整改任务：" + exc.message))
    return RedirectResponse(f"/monitoring/sheets/{sheet_id}?task=1#tasks", status_code=303)


@router.post("/monitoring/sheets/{sheet_id}/bind")
def bind(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    """Bind an indicator of the sheet to a metric (empty: unbind); ``opdata.define``."""
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    indicator = p.value("indicator_id").strip()
    if not any(str(e["indicator_id"]) == indicator for e in sheet["entries"]):
        return _sheet_page(request, p, sheet, status=422, notice=("error", f"指标 {indicator} 不在本监控表中"))
    try:
        operational_data.bind_indicator(p.ctx, int(indicator), p.value("metric").strip() or None)
    except Invalid as exc:
        return _sheet_page(request, p, sheet, status=exc.status, notice=("error", exc.message))
    return RedirectResponse(f"/monitoring/sheets/{sheet_id}?bound=1#row-{indicator}", status_code=303)


@router.post("/monitoring/sheets/{sheet_id}/adjust")
def adjust(request: Request, sheet_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    """Ask for a 目标调整 from the 监控表: the next version of the targets document in 草稿, edited
    and approved through the normal workflow (``adjustments.start_adjustment``); the editor opens."""
    sheet = monitoring.get_sheet(p.ctx, sheet_id)
    try:
        made = adjustments.start_adjustment(p.ctx, sheet["target_set"]["id"], reason=p.value("reason"),
                                            sheet_id=sheet_id)
    except (Invalid, Conflict) as exc:
        return _sheet_page(request, p, sheet, status=exc.status, notice=("error", "未能申请目标调整：" + exc.message))
    new_set = made["target_sets"].get(str(sheet["target_set"]["id"]))
    return RedirectResponse(f"/target-sets/{new_set}/edit" if new_set else f"/documents/{made['to_document']['id']}",
                            status_code=303)
