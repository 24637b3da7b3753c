"""A target set's self-evaluation (自评): actuals in, scores with their explanations out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Header
from fastapi import Path
from fastapi import Response
from pydantic import BaseModel
from pydantic import Field

from jixiao.api.deps import MAX_ID
from jixiao.api.deps import needs
from jixiao.services import selfevals
from jixiao.services.context import Ctx
from jixiao.services.errors import NotFound

router = APIRouter(tags=["自评"])

TargetSetId = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效目标编号")]


class ActualIn(BaseModel):
    actual: str | None = Field(None, description="实际完成值")
    reason: str | None = Field(None, description="偏差原因")


class ExecutionIn(BaseModel):
    budget: str | None = Field(None, description="全年预算数（万元；不填取绩效目标的资金总额）")
    spent: str | None = Field(None, description="全年执行数（万元）")
    reason: str | None = Field(None, description="执行偏差原因")


class ActualsIn(BaseModel):
    actuals: dict[int, str | ActualIn] = Field(
        description="各指标的实际完成值，按原样填写（“26”“95%”“按期完成”），或 {actual, reason}：{指标编号: …}")
    execution: ExecutionIn | None = Field(None, description="预算执行情况")
    profile: str = Field("default", description="计分口径")
    row_version: int | None = Field(None, description="重新打分时，已有自评的版本号（也可用 If-Match）")


def _tagged(response: Response, evaluation: dict) -> dict:
    response.headers["ETag"] = evaluation["etag"]
    return evaluation


@router.put("/target-sets/{target_set_id}/self-evaluation", summary="录入实际完成值并自评打分",
            description="按每个指标的评（扣）分标准计算得分，返回得分、计算说明、总分和等级。"
                        "重新打分时须带已有自评的版本号（If-Match 或 row_version），版本已变时 409（error.detail 为当前自评）。")
def score(target_set_id: TargetSetId, body: ActualsIn, response: Response,
          ctx: Annotated[Ctx, needs("selfeval.edit")],
          if_match: Annotated[str | None, Header(alias="If-Match", description="自评的 ETag（版本号）")] = None) -> dict:
    expected = if_match.strip().strip('"') if if_match and if_match.strip() not in ("", "*") else body.row_version
    actuals = {k: v if isinstance(v, str) else v.model_dump() for k, v in body.actuals.items()}
    execution = body.execution.model_dump() if body.execution else None
    return _tagged(response, selfevals.score_self_evaluation(ctx, target_set_id, actuals, expected_version=expected,
                                                             execution=execution, profile=body.profile))


@router.get("/target-sets/{target_set_id}/self-evaluation", summary="绩效目标的自评结果（得分、说明、总分、等级）")
def get(target_set_id: TargetSetId, response: Response, ctx: Annotated[Ctx, needs("document.read")]) -> dict:
    evaluation = selfevals.get_self_evaluation(ctx, target_set_id)
    if evaluation is None:
        raise NotFound(f"绩效目标 {target_set_id} 尚未自评", code="not_scored")
    return _tagged(response, evaluation)
