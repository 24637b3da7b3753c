"""绩效目标编辑: a target set edited as the table it is, the review answering as one types.

Every save goes through :mod:`jixiao.services.editing` with the version the page was drawn from
(the hidden ``#ts-version``); the answer is htmx fragments swapped out of band — the row's status
cell, the findings panel, the weight total and the new version — so that the cell being typed in
is never redrawn. A stale version is the services' Conflict (409): the page shows the other
person's current values and a reload button; nothing is overwritten. The page needs
``document.edit`` (403 otherwise); a document that is not 草稿 / 已退回 is shown read only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Request
from fastapi.responses import Response

from jixiao.services import documents
from jixiao.services import editing
from jixiao.services import policy
from jixiao.services import target_editor
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()

# the cells of a row, in the order of the table (names are editing's indicator fields)
COLUMNS = (("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("op_text", "指标值类型"),
           ("target_text", "指标值"), ("unit_text", "度量单位"), ("explanation", "指标值说明"),
           ("scoring", "评（扣）分标准"), ("weight", "分值"))
FIELDS = tuple(name for name, _label in COLUMNS)
OPS = ("≥", "≤", "＝", "＞", "＜", "定性")
UNITS = ("%", "个", "次", "件", "人次", "万元", "元", "天", "个工作日", "平方米", "场", "项", "份", "户", "人")


def _row_values(p: Page) -> dict:
    return {name: p.value(name) for name in FIELDS}


def _context(p: Page, ts: dict) -> dict:
    by_row, other = target_editor.row_findings(ts)
    return {"ts": ts, "columns": COLUMNS, "ops": OPS, "units": UNITS, "by_row": by_row, "other_findings": other,
            "weights": target_editor.weight_total(ts["indicators"]), "editable": ts["editable"]}


def _version(p: Page) -> str | None:
    return p.value("row_version") or None


def _fragments(request: Request, p: Page, ts: dict, *, status: int = 200, rows: bool = False,
               row_id: int | None = None, saved: str | None = None) -> Response:
    """The out-of-band fragments after a save: version, weight total, findings panel, and the
    status cell of ``row_id`` or (``rows``) the whole table body."""
    return render(request, p, "targets/_saved.html", status=status, rows=rows, row_id=row_id, saved=saved,
                  **_context(p, ts))


def _conflict(request: Request, p: Page, exc: Conflict, ind_id: int | None, mine: dict | None) -> Response:
    current = exc.detail if isinstance(exc.detail, dict) and "indicators" in exc.detail else None
    theirs = None
    if current is not None and ind_id is not None:
        theirs = next((i for i in current["indicators"] if i["id"] == ind_id), None)
    return render(request, p, "targets/_conflict.html", status=409, message=exc.message, current=current,
                  theirs=theirs, mine=mine, ind_id=ind_id, columns=COLUMNS)


def _invalid(request: Request, p: Page, exc: Invalid | NotFound, row_id: int | str | None) -> Response:
    return render(request, p, "targets/_invalid.html", status=exc.status, message=exc.message, row_id=row_id)


@router.get("/target-sets/{ts_id}/edit")
def edit_page(request: Request, p: Annotated[Page, Depends(page)], ts_id: int) -> Response:
    ts = editing.get_target_set(p.ctx, ts_id)  # 404 outside the user's scope
    policy.require(p.actor, "document.edit")  # 403: a role that never edits targets
    versions = documents.document_versions(p.ctx, ts["document_id"])["items"]
    previous = [v for v in versions if v["version"] < ts["document"]["version"]]
    siblings = documents.get_document(p.ctx, ts["document_id"])["target_set_refs"]
    return render(request, p, "targets/edit.html", previous=previous[-1] if previous else None, siblings=siblings,
                  **_context(p, ts))


def _saved(request: Request, p: Page, save, *, conflict_row, invalid_row, values=None, fragments: dict) -> Response:
    """Run one edit at the page's row version: the redrawn fragments, or the conflict (another
    person saved first) or the refusal drawn at its row."""
    try:
        ts = save(_version(p))
    except Conflict as exc:
        return _conflict(request, p, exc, conflict_row, values)
    except (Invalid, NotFound) as exc:
        return _invalid(request, p, exc, invalid_row)
    return _fragments(request, p, ts, **fragments)


@router.post("/target-sets/{ts_id}/indicators/{ind_id}")
def save_row(request: Request, p: Annotated[Page, Depends(page)], ts_id: int, ind_id: int) -> Response:
    values = _row_values(p)
    return _saved(request, p, lambda v: editing.update_indicator(p.ctx, ts_id, ind_id, values, expected_version=v),
                  conflict_row=ind_id, invalid_row=ind_id, values=values,
                  fragments={"row_id": ind_id, "saved": "已保存"})


@router.get("/target-sets/{ts_id}/new-row")
def new_row(request: Request, p: Annotated[Page, Depends(page)], ts_id: int, after: int = -1, level1: str = "",
            level2: str = "", key: str = "1") -> Response:
    ts = editing.get_target_set(p.ctx, ts_id)
    policy.require(p.actor, "document.edit")
    draft = {"key": key, "position": after + 1, "level1": level1, "level2": level2}
    return render(request, p, "targets/_draft.html", draft=draft, **_context(p, ts))


@router.post("/target-sets/{ts_id}/indicators")
def add_row(request: Request, p: Annotated[Page, Depends(page)], ts_id: int) -> Response:
    values = _row_values(p)
    if not values["name"].strip():
        return Response(status_code=204)  # a new row is saved once it has its 三级指标
    values["position"] = p.value("position") or None
    return _saved(request, p, lambda v: editing.add_indicator(p.ctx, ts_id, values, expected_version=v),
                  conflict_row=None, invalid_row="new-" + p.value("key"), values=values,
                  fragments={"rows": True, "saved": "已新增指标"})


@router.post("/target-sets/{ts_id}/indicators/{ind_id}/delete")
def delete_row(request: Request, p: Annotated[Page, Depends(page)], ts_id: int, ind_id: int) -> Response:
    return _saved(request, p, lambda v: editing.delete_indicator(p.ctx, ts_id, ind_id, expected_version=v),
                  conflict_row=ind_id, invalid_row=ind_id, fragments={"rows": True, "saved": "已删除指标"})


@router.post("/target-sets/{ts_id}/indicators/{ind_id}/move")
def move_row(request: Request, p: Annotated[Page, Depends(page)], ts_id: int, ind_id: int) -> Response:
    step = -1 if p.value("direction") == "up" else 1
    return _saved(request, p, lambda v: editing.move_indicator(p.ctx, ts_id, ind_id, step, expected_version=v),
                  conflict_row=None, invalid_row=ind_id, fragments={"rows": True, "saved": "已调整顺序"})


@router.get("/target-sets/{ts_id}/suggestions")
def suggestions(request: Request, p: Annotated[Page, Depends(page)], ts_id: int, level2: str = "", name: str = "",
                row: str = "") -> Response:
    found = target_editor.suggest_indicators(p.ctx, ts_id, level2, name)
    return render(request, p, "targets/_suggestions.html", found=found, row=row, typed=name.strip())
