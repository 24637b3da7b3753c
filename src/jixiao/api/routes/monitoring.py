"""绩效运行监控: rounds, 监控表, warning profiles, 整改 tasks, 目标调整 and the self-evaluation
prefill — each route one service call (services/monitoring.py, rectification.py, adjustments.py,
selfevals.prefill_from_monitoring), its dict returned as is."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from typing import Any

from fastapi import APIRouter
from fastapi import Header
from fastapi import Path
from fastapi import Query
from fastapi import Response
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.api.listing import Limit
from jixiao.api.listing import Offset
from jixiao.api.listing import attachment
from jixiao.services import adjustments
from jixiao.services import monitoring
from jixiao.services import rectification
from jixiao.services import selfevals
from jixiao.services.context import Ctx

router = APIRouter(tags=["绩效运行监控"])
BASE = "/monitoring"

RoundId = Annotated[int, Path(ge=1, le=MAX_ID, description="监控轮次编号")]
SheetId = Annotated[int, Path(ge=1, le=MAX_ID, description="监控表编号")]
TaskId = Annotated[int, Path(ge=1, le=MAX_ID, description="整改任务编号")]
TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效目标编号")]
AdjustmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="目标调整编号")]


class RoundIn(BaseModel):
    org: str = Field(description="财政局（地区）或部门：编号、编码或名称")
    year: int = Field(ge=1990, le=2100, description="年度")
    as_of: date = Field(description="监控日期（如 2026-06-30）")
    title: str | None = Field(None, max_length=200, description="轮次名称（默认：某年绩效运行监控（截至某月某日））")
    profile: str = Field("default", max_length=60, description="预警方案")


class EntryIn(BaseModel):
    to_date: str | None = Field(None, description="截至监控日完成值")
    expected: str | None = Field(None, description="全年预计完成值")
    will_meet: str | None = Field(None, description="能否完成年度指标：能 / 基本能 / 不能")
    reason: str | None = Field(None, description="偏差原因")
    measure: str | None = Field(None, description="纠偏措施")


class SheetIn(BaseModel):
    budget: str | None = Field(None, description="调整后预算（万元）")
    spent: str | None = Field(None, description="截至监控日支出（万元）")
    execution_reason: str | None = Field(None, description="执行偏差原因")
    execution_measure: str | None = Field(None, description="执行纠偏措施")
    entries: dict[int, EntryIn] | None = Field(None, description="各指标的填报：{指标编号: {…}}")
    row_version: int | None = Field(None, description="监控表的版本号（也可用 If-Match）")

    def changes(self) -> dict:
        given = self.model_dump(exclude_unset=True, exclude={"row_version", "entries"})
        if self.entries is not None:
            given["entries"] = {k: v.model_dump(exclude_unset=True) for k, v in self.entries.items()}
        return given


class ProfileIn(BaseModel):
    org: str = Field(description="财政局（地区）：编号、编码或名称")
    changes: dict[str, Any] = Field(description="修改的阈值，按方案的表：{\"execution\": {\"amber_gap\": 15}}")
    base: str | None = Field(None, description="首次修改时所基于的内置方案（默认同名）")
    row_version: int | None = Field(None, description="已保存方案的版本号")


class TaskIn(BaseModel):
    sheet_id: int = Field(ge=1, le=MAX_ID, description="监控表编号")
    indicator_id: int | None = Field(None, ge=1, le=MAX_ID, description="指标编号（不填：资金执行）")
    owner: str = Field(description="责任人（用户名）")
    deadline: date = Field(description="整改期限")
    description: str | None = Field(None, description="整改要求（默认：预警内容）")


class CloseIn(BaseModel):
    measure: str = Field(description="已采取的整改措施（必填）")


class AdjustIn(BaseModel):
    target_set_id: int = Field(ge=1, le=MAX_ID, description="已批复的绩效目标编号")
    reason: str = Field(description="调整原因（必填）")
    sheet_id: int | None = Field(None, ge=1, le=MAX_ID, description="提出调整的监控表")


def _version(if_match: str | None, given: int | None) -> int | str | None:
    return if_match.strip().strip('"') if if_match and if_match.strip() not in ("", "*") else given


IfMatch = Annotated[str | None, Header(alias="If-Match", description="监控表的 ETag（版本号）")]


@router.post(f"{BASE}/rounds", status_code=201, summary="开启监控轮次",
             description="该年度、该单位以下当前已批复（已公开）的绩效目标各生成一张监控表。")
def open_round(body: RoundIn, ctx: Annotated[Ctx, needs("monitoring.open")]) -> dict:
    return monitoring.open_round(ctx, org=body.org, year=body.year, as_of=body.as_of, title=body.title,
                                 profile=body.profile)


@router.get(f"{BASE}/rounds", summary="监控轮次列表")
def list_rounds(ctx: Annotated[Ctx, needs("document.read")],
                year: Annotated[int | None, Query(ge=1990, le=2100, description="年度")] = None) -> dict:
    return monitoring.list_rounds(ctx, year=year)


@router.get(f"{BASE}/rounds/{{round_id}}", summary="一个监控轮次：各监控表、按部门的红黄绿、整改任务数")
def get_round(round_id: RoundId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return monitoring.get_round(ctx, round_id)


@router.post(f"{BASE}/rounds/{{round_id}}/close", summary="关闭监控轮次")
def close_round(round_id: RoundId, ctx: Annotated[Ctx, needs("monitoring.open")]) -> dict:
    return monitoring.close_round(ctx, round_id)


@router.post(f"{BASE}/rounds/{{round_id}}/evaluate", summary="按当前预警方案重新评价全部监控表")
def evaluate_round(round_id: RoundId, ctx: Annotated[Ctx, needs("monitoring.open")]) -> dict:
    return monitoring.evaluate_round(ctx, round_id)


@router.post(f"{BASE}/rounds/{{round_id}}/sheets", summary="为新批复的绩效目标补建监控表")
def add_sheets(round_id: RoundId, ctx: Annotated[Ctx, needs("monitoring.open")]) -> dict:
    return monitoring.add_sheets(ctx, round_id)


@router.get(f"{BASE}/rounds/{{round_id}}/report/export", summary="导出监控报告（项目支出绩效目标执行监控表格式）",
            response_class=Response,
            description="监控汇总、每张监控表（按项目支出绩效目标执行监控表的格式）、预警与整改情况；"
                        "只含本人可见的监控表；sheet 指定时只导出这一张。")
def export_report(round_id: RoundId, ctx: Annotated[Ctx, needs("document.read")],
                  format: Annotated[str, Query(description="xlsx、docx 或 pdf")] = "xlsx",  # noqa: A002
                  sheet: Annotated[int | None, Query(ge=1, le=MAX_ID, description="只导出这张监控表")] = None) -> Response:
    from jixiao.write.formats import MEDIA_TYPES

    name, data = monitoring.export_report(ctx, round_id, format, sheet_id=sheet)
    return Response(data, media_type=MEDIA_TYPES[format], headers={"Content-Disposition": attachment(name)})


@router.get(f"{BASE}/sheets/{{sheet_id}}", summary="一张监控表（填报值、完成进度、预警、审核发现）")
def get_sheet(sheet_id: SheetId, response: Response, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    sheet = monitoring.get_sheet(ctx, sheet_id)
    response.headers["ETag"] = sheet["etag"]
    return sheet


@router.patch(f"{BASE}/sheets/{{sheet_id}}", summary="填报监控表（保存并评价预警）",
              description="只改所给字段；带版本号（If-Match 或 row_version）时，版本已变则 409。")
def fill_sheet(sheet_id: SheetId, body: SheetIn, response: Response, ctx: Annotated[Ctx, needs("monitoring.fill")],
               if_match: IfMatch = None) -> dict:
    sheet = monitoring.fill_sheet(ctx, sheet_id, body.changes(), expected_version=_version(if_match, body.row_version))
    response.headers["ETag"] = sheet["etag"]
    return sheet


@router.post(f"{BASE}/sheets/{{sheet_id}}/preview", summary="预览填报后的预警（不保存）")
def preview_sheet(sheet_id: SheetId, body: SheetIn, ctx: Annotated[Ctx, needs("monitoring.fill")]) -> dict:
    return monitoring.preview_sheet(ctx, sheet_id, body.changes())


@router.get(f"{BASE}/profiles", summary="预警方案（内置的和财政局修改的）")
def list_profiles(ctx: Annotated[Ctx, needs("document.read")],
                  org: Annotated[str | None, Query(description="单位（看其及上级修改的方案）")] = None) -> dict:
    return monitoring.list_profiles(ctx, org=org)


@router.get(f"{BASE}/profiles/{{name}}", summary="一个预警方案的阈值和来源")
def get_profile(name: Annotated[str, Path(max_length=60, description="方案名称")],
                ctx: Annotated[Ctx, needs("document.read")],
                org: Annotated[str | None, Query(description="单位（用其适用的修改版）")] = None) -> dict:
    return monitoring.get_profile(ctx, name, org=org)


@router.put(f"{BASE}/profiles/{{name}}", summary="修改（保存）财政局的预警阈值",
            description="整体校验；无效时 422，error.detail.problems 逐条列出。")
def set_profile(name: Annotated[str, Path(max_length=60, description="方案名称")], body: ProfileIn,
                ctx: Annotated[Ctx, needs("monitoring.profile")]) -> dict:
    return monitoring.set_profile(ctx, org=body.org, name=name, changes=body.changes, base=body.base,
                                  expected_version=body.row_version)


@router.post(f"{BASE}/tasks", status_code=201, summary="下达整改任务（红色或黄色预警项）")
def open_task(body: TaskIn, ctx: Annotated[Ctx, needs("rectification.open")]) -> dict:
    return rectification.open_task(ctx, body.sheet_id, owner=body.owner, deadline=body.deadline,
                                   indicator_id=body.indicator_id, description=body.description)


@router.get(f"{BASE}/tasks", summary="整改任务列表")
def list_tasks(ctx: Annotated[Ctx, needs("document.read")],
               round_id: Annotated[int | None, Query(alias="round", ge=1, le=MAX_ID, description="监控轮次")] = None,
               state: Annotated[str | None, Query(description="open 或 closed")] = None,
               owner: Annotated[str | None, Query(description="责任人")] = None,
               year: Annotated[int | None, Query(ge=1900, le=2999, description="监控轮次的年度")] = None,
               limit: Limit = None, offset: Offset = 0) -> dict:
    return rectification.list_tasks(ctx, round_id=round_id, state=state, owner=owner, year=year,
                                    limit=limit, offset=offset if limit else None)


@router.get(f"{BASE}/tasks/{{task_id}}", summary="一个整改任务")
def get_task(task_id: TaskId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return rectification.get_task(ctx, task_id)


@router.post(f"{BASE}/tasks/{{task_id}}/close", summary="完成整改任务（须写明整改措施）")
def close_task(task_id: TaskId, body: CloseIn, ctx: Annotated[Ctx, needs("rectification.close")]) -> dict:
    return rectification.close_task(ctx, task_id, measure=body.measure)


@router.post(f"{BASE}/adjustments", status_code=201, summary="申请目标调整（生成新版本，按审核流程批复）")
def start_adjustment(body: AdjustIn, ctx: Annotated[Ctx, needs("targets.adjust")]) -> dict:
    return adjustments.start_adjustment(ctx, body.target_set_id, reason=body.reason, sheet_id=body.sheet_id)


@router.get(f"{BASE}/adjustments/{{adjustment_id}}", summary="一个目标调整（原版本、新版本及其状态）")
def get_adjustment(adjustment_id: AdjustmentId, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    return adjustments.get_adjustment(ctx, adjustment_id)


@router.get(f"{BASE}/prefill/{{target_set_id}}", summary="以最近一次监控的填报值预填年终自评",
            description="返回的 actuals 与 execution 可直接交给 PUT /target-sets/{id}/self-evaluation。")
def prefill(target_set_id: TargetSetId, ctx: Annotated[Ctx, needs("selfeval.edit")]) -> dict:
    return selfevals.prefill_from_monitoring(ctx, target_set_id)
