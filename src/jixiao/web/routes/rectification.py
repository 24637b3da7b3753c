"""整改: the 整改 tasks in the user's scope (open first, by deadline; of the year chosen in the top
bar, or of one round — the page is then of the round's year —, by state), each with
its item, level, owner and deadline, a page of ``PAGE_SIZE`` at a time; open tasks of other years
are named above the list with a link to their year (``rectification.open_in_other_years``: a
task of last year's round does not vanish when the new year is chosen); an open task is closed with the measure taken
(``rectification.close_task``; no measure → 422, shown on the page). Tasks are opened from a red
or amber item of a 监控表 (``web/routes/monitoring.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Path
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import monitoring
from jixiao.services import rectification
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

PAGE_SIZE = 50

Ident = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _list(request: Request, p: Page, *, round: str, state: str, offset: int = 0, status: int = 200,
          notice=None, typed: dict | None = None) -> Response:
    state = state if state in rectification.STATES else ""
    rid = round if round.isdigit() else ""
    everything = monitoring.list_rounds(p.ctx, year=None)["items"]
    chosen = next((r for r in everything if str(r["id"]) == rid), None)
    if chosen is not None:  # the tasks of one round: the page is of that round's year
        p.show_year(chosen["year"], "/rectification")
    rounds = [r for r in everything if p.year is None or r["year"] == p.year]
    tasks = rectification.list_tasks(p.ctx, round_id=rid or None, state=state or None, year=p.year,
                                     limit=PAGE_SIZE, offset=max(0, offset))
    elsewhere = [] if rid or state == "closed" else rectification.open_in_other_years(p.ctx, p.year)
    return render(request, p, "monitoring/tasks.html", status=status, tasks=tasks, rounds=rounds, round=rid,
                  state=state, states=rectification.STATES, notice_=notice, typed=typed or {},
                  elsewhere=elsewhere)


@router.get("/rectification")
def tasks_page(request: Request, p: Annotated[Page, Depends(page)], round: str = "", state: str = "",
               offset: int = 0) -> Response:
    notice = ("success", "整改任务已完成") if request.query_params.get("closed") else None
    return _list(request, p, round=round, state=state, offset=offset, notice=notice)


@router.post("/rectification/{task_id}/close")
def close(request: Request, task_id: Ident, p: Annotated[Page, Depends(page)]) -> Response:
    measure = p.value("measure")
    back_round, back_state, back_offset = p.value("round"), p.value("state"), p.value("offset")
    back_offset = int(back_offset) if back_offset.isdigit() else 0
    try:
        task = rectification.close_task(p.ctx, task_id, measure=measure)
    except (Invalid, Conflict) as exc:
        return _list(request, p, round=back_round, state=back_state, offset=back_offset, status=exc.status,
                     notice=("error", "未能完成整改任务：" + exc.message), typed={task_id: measure})
    query = f"?closed=1&round={back_round}&state={back_state}" + (f"&offset={back_offset}" if back_offset else "")
    return RedirectResponse(f"/rectification{query}#task-{task['id']}", status_code=303)
