"""预警阈值: a finance bureau's warning thresholds (``monitoring.list_profiles`` / ``get_profile`` /
``set_profile``). Everyone who reads documents sees the thresholds a round under their organisation
would use; those with ``monitoring.profile`` (财政审核, 系统管理员) edit their organisation's copy.
Problems of a profile are named by the service (``detail.problems``) and shown at their field,
with the field's Chinese name in place of the TOML key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Depends
from fastapi import Path
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.responses import Response

from jixiao.services import monitoring
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.web.session import Page
from jixiao.web.session import page
from jixiao.web.templating import render

router = APIRouter()
Name = Annotated[str, Path(min_length=1, max_length=60)]

# (table, key, label, unit or choices) — the thresholds a bureau edits, in the order of the form
FIELDS = (
    ("execution", "amber_gap", "执行率低于时间进度超过（黄色）", "个百分点"),
    ("execution", "red_gap", "执行率低于时间进度超过（红色）", "个百分点"),
    ("indicator", "amber_below", "全年预计完成率低于（黄色）", "%"),
    ("indicator", "red_below", "全年预计完成率低于（红色）", "%"),
    ("output_lag", "gap", "执行率超过指标完成进度（黄色，钱花了指标没动）", "个百分点"),
    ("time_progress", "basis", "时间进度计算方法", (("days", "按天数（6月30日 = 181/365）"), ("months", "按整月（6月30日 = 6/12）"))),
    ("reason", "required_from", "须说明偏差原因的预警", (("amber", "黄色及红色"), ("red", "仅红色"))),
)


def _key(table: str, key: str) -> str:
    return f"{table}.{key}"


def _errors(problems: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each problem at the field it names (the key replaced by the label); the rest for the notice."""
    at: dict[str, str] = {}
    rest = []
    for problem in problems:
        for table, key, label, _u in FIELDS:
            full = _key(table, key)
            if problem.startswith(full) or (problem.startswith(f"{table}.") and f" {key}" in problem):
                text = problem.replace(full, f"“{label}”")
                for t2, k2, l2, _u2 in FIELDS:
                    if t2 == table:
                        text = text.replace(f" {k2}（", f" “{l2}”（")
                at.setdefault(full, text)
                break
        else:
            rest.append(problem)
    return at, rest


def _values(profile: dict) -> dict[str, str]:
    return {_key(t, k): "" if profile.get(t, {}).get(k) is None else str(profile[t][k]) for t, k, _l, _u in FIELDS}


def _page(request: Request, p: Page, name: str, *, values: dict | None = None, errors: dict | None = None,
          notice: tuple[str, str] | None = None, status: int = 200, version: str | None = None) -> Response:
    listed = monitoring.list_profiles(p.ctx)["items"]
    current = monitoring.get_profile(p.ctx, name)
    names = list(dict.fromkeys(item["name"] for item in listed))
    return render(request, p, "monitoring/profiles.html", status=status, profiles=listed, names=names,
                  profile=current, values=values or _values(current), errors=errors or {}, fields=FIELDS,
                  notice_=notice, version=version if version is not None else (current["row_version"] or ""),
                  editable=p.can("monitoring.profile"))


@router.get("/monitoring/profiles")
def profiles_page(request: Request, p: Annotated[Page, Depends(page)], name: str = "default") -> Response:
    saved = request.query_params.get("saved")
    notice = ("success", f"已保存预警阈值“{name}”（第 {saved} 版）；已开启的轮次可在轮次页“重新评价”") if saved else None
    return _page(request, p, name, notice=notice)


@router.post("/monitoring/profiles/{name}")
def save_profile(request: Request, name: Name, p: Annotated[Page, Depends(page)]) -> Response:
    values = {_key(t, k): p.value(_key(t, k)).strip() for t, k, _l, _u in FIELDS}
    changes: dict[str, dict] = {}
    for table, key, _label, _unit in FIELDS:
        changes.setdefault(table, {})[key] = values[_key(table, key)]
    version = p.value("row_version").strip() or None
    try:
        saved = monitoring.set_profile(p.ctx, org=p.ctx.actor.org_id, name=name, changes=changes,
                                       expected_version=version)
    except Invalid as exc:
        problems = (exc.detail or {}).get("problems") if isinstance(exc.detail, dict) else None
        at, rest = _errors(list(problems or [exc.message]))
        message = "预警阈值未保存：" + ("；".join(rest) if rest else "请按提示修改标红的项")
        return _page(request, p, name, values=values, errors=at, notice=("error", message), status=422,
                     version=version or "")
    except Conflict as exc:
        return _page(request, p, name, values=values, notice=("error", exc.message + "。下方仍是您填写的内容，未保存。"),
                     status=409, version=version or "")
    return RedirectResponse(f"/monitoring/profiles?name={name}&saved={saved['row_version']}", status_code=303)
