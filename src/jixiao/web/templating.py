"""The templates (Jinja2, autoescaped), their filters and globals, and :func:`render`.

Filters: ``wan`` (an amount as printed: ``1,234.56``, from Decimal or text; ``from_unit="元"``
divides by 10,000), ``when`` (an ISO time in China time, ``2026-12-03 15:55``), ``kind_label``
(a document kind in Chinese), ``action_label`` (an audit action in Chinese).
Globals: ``url_with(request, **params)`` (the current address with some query parameters
changed; ``None`` removes one). The components are macros in ``templates/components.html``.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from jixiao.services import policy
from jixiao.services import workflow
from jixiao.web import nav
from jixiao.web.session import YEAR_COOKIE
from jixiao.web.session import Page

TEMPLATES = Path(__file__).parent / "templates"
CHINA = ZoneInfo("Asia/Shanghai")

KIND_LABELS = {
    "targets": "绩效目标表",
    "budget_disclosure": "预算公开",
    "final_accounts": "决算公开",
    "self_evaluation_report": "自评报告",
    "self_evaluation_table": "自评表",
    "template": "空白模板",
    "unknown": "未识别",
}

ACTION_LABELS = {
    "document.import": "导入文件",
    "finding.status": "处理审核发现",
    "job.submit": "提交后台任务",
    "org.create": "新建单位",
    "user.create": "新建用户",
    "user.password": "修改密码",
    "user.demo_password": "演示账号重设密码",
    "deadline.set": "设定截止日期",
    "document.comment": "批注",
    "selfeval.score": "自评打分",
    "target_set.update": "修改绩效目标",
    "indicator.add": "新增指标",
    "indicator.update": "修改指标",
    "indicator.delete": "删除指标",
    "indicator.reorder": "调整指标顺序",
    "indicators.replace": "整表保存指标",
    **{f"workflow.{a}": label for a, label in workflow.ACTIONS.items()},
}

OBJECT_LABELS = {"document": "文档", "finding": "审核发现", "target_set": "绩效目标", "user": "用户", "org": "单位",
                 "job": "后台任务", "self_evaluation": "自评", "deadline": "截止日期"}

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def wan(value, places: int = 2, from_unit: str = "万元") -> str:
    """An amount as printed, ``1,234.56``: exact (Decimal or its text; never a float), rounded
    half up to ``places``; ``from_unit="元"`` converts yuan to 万元. None or empty → "—"; text
    that is not a number is returned as it is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    if from_unit == "元":
        amount = amount / Decimal(10000)
    quantum = Decimal(1).scaleb(-places)
    return f"{amount.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def when(value, with_seconds: bool = False) -> str:
    """An ISO 8601 time (or datetime) in China time: ``2026-12-03 23:55``."""
    if not value:
        return "—"
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "unknown", kind or "未识别")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def url_with(request: Request, **params) -> str:
    """The current path with query parameters replaced (a value of None drops the parameter)."""
    query = dict(request.query_params)
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return request.url.path + (("?" + urlencode(query)) if query else "")


templates = Jinja2Templates(directory=str(TEMPLATES))
env = templates.env
env.auto_reload = False  # the templates are package files: no stat of each template on every include
env.trim_blocks = True
env.lstrip_blocks = True
env.filters.update(wan=wan, when=when, kind_label=kind_label, action_label=action_label)
env.globals.update(url_with=url_with, ROLES=policy.ROLES, STATES=workflow.STATES, SEVERITY_LABELS=SEVERITY_LABELS,
                   KIND_LABELS=KIND_LABELS, OBJECT_LABELS=OBJECT_LABELS)


def render(request: Request, p: Page | None, template: str, status: int = 200, **context) -> HTMLResponse:
    """The template with the page context: ``p`` (the user, the CSRF token, the year), ``menu``
    (the navigation the role may see), ``request``; the year cookie is set when it was just chosen."""
    menu = nav.menu(p.actor, request.url.path) if p is not None else []
    response = templates.TemplateResponse(request, template, {"p": p, "menu": menu, **context}, status_code=status)
    if p is not None and p.year_cookie is not None:
        response.set_cookie(YEAR_COOKIE, p.year_cookie, max_age=365 * 86400, httponly=True, samesite="lax", path="/")
    return response
