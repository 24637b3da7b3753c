"""The review workflow: ONE state machine, as data, for the three processes
绩效目标申报, 绩效自评 and 预算公开审核.

    草稿 ──提交──▶ 已提交 ──部门审核通过──▶ 部门审核通过 ──财政审核通过──▶ 已批复 ──公开──▶ 已公开
                     │                          │
                     └──────部门退回──┐  ┌──财政退回┘
                                      ▼  ▼
                                     已退回 ──提交──▶ 已提交 …

:data:`TRANSITIONS` maps (state, action) to the new state and the permission it takes
(``policy.GRANTS`` decides which roles hold it). Nothing else in the code knows who may move a
document: :func:`transition` and :func:`allowed_actions` read the table. ``docs/architecture.md``
shows the table as :func:`markdown_table` prints it (a test keeps them the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from jixiao.services import audit
from jixiao.services import policy
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Conflict
from jixiao.services.errors import Invalid
from jixiao.services.errors import not_found
from jixiao.store import schema as db
from jixiao.store.base import utcnow

STATES = {
    "draft": "草稿",
    "submitted": "已提交",
    "dept_approved": "部门审核通过",
    "approved": "已批复",
    "published": "已公开",
    "returned": "已退回",
}

EDITABLE_STATES = frozenset({"draft", "returned"})

ACTIONS = {"submit": "提交", "approve": "通过", "return": "退回", "publish": "公开"}

# the processes that follow the machine, by document kind (a document of another kind, a blank
# template or an unrecognised file, does not move)
PROCESSES = {
    "targets": ("绩效目标申报", ("targets",)),
    "self_evaluation": ("绩效自评", ("self_evaluation_report", "self_evaluation_table")),
    "disclosure": ("预算公开审核", ("budget_disclosure", "final_accounts")),
}


@dataclass(frozen=True, slots=True)
class Transition:
    state: str
    action: str
    to: str
    permission: str
    label: str  # what the step is called (部门审核通过, 财政退回 …)
    needs_comment: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.state, t.action): t
    for t in (
        Transition("draft", "submit", "submitted", "workflow.submit", "提交"),
        Transition("returned", "submit", "submitted", "workflow.submit", "重新提交"),
        Transition("submitted", "approve", "dept_approved", "workflow.dept_review", "部门审核通过"),
        Transition("submitted", "return", "returned", "workflow.dept_review", "部门审核退回", needs_comment=True),
        Transition("dept_approved", "approve", "approved", "workflow.finance_review", "财政审核通过（批复）"),
        Transition("dept_approved", "return", "returned", "workflow.finance_review", "财政审核退回",
                   needs_comment=True),
        Transition("approved", "publish", "published", "workflow.publish", "公开"),
    )
}

for _t in TRANSITIONS.values():  # the table names only known states and permissions
    assert _t.state in STATES and _t.to in STATES and _t.action in ACTIONS and _t.permission in policy.PERMISSIONS


def state_label(state: str) -> str:
    return STATES.get(state, state)


def editable(state: str) -> bool:
    """Whether a document in ``state`` may be edited (草稿 and 已退回 only)."""
    return state in EDITABLE_STATES


def process_of(kind: str | None) -> str | None:
    """The process a document kind follows (``targets``, ``self_evaluation``, ``disclosure``) or None."""
    for key, (_label, kinds) in PROCESSES.items():
        if kind in kinds:
            return key
    return None


def process_label(kind: str | None) -> str | None:
    key = process_of(kind)
    return PROCESSES[key][0] if key else None


def _fields(doc) -> tuple[str, bool, str | None]:
    if isinstance(doc, Mapping):
        return doc["state"], bool(doc.get("is_current", True)), doc.get("kind")
    return doc.state, bool(doc.is_current), doc.kind


def allowed_actions(actor: Actor, doc) -> list[str]:
    """The actions ``actor`` may take on ``doc`` now (a ``db.Document`` or a dict with state,
    is_current and kind). Scope is the caller's business: call it on documents the actor sees."""
    state, current, kind = _fields(doc)
    if not current or process_of(kind) is None:
        return []
    return [action for action in ACTIONS
            if (t := TRANSITIONS.get((state, action))) is not None and policy.can(actor, t.permission)]


def transition(ctx: Ctx, document_id: int, action: str, comment: str | None = None,
               explanations: Mapping[int | str, str] | None = None) -> dict:
    """Move a document: ``submit`` / ``approve`` / ``return`` / ``publish``.

    404 when the actor does not see the document; 403 when the actor's role may not take this
    step; 409 when the step is not possible from the document's state (or it is not the current
    version, or its kind follows no process); 422 when 退回 has no comment or a submission leaves
    an open error finding without an explanation (``explanations`` = {finding id: text}; they are
    kept as the findings' reasons and in the audit entry; a reason kept from an earlier
    submission counts when the document is submitted again)."""
    if action not in ACTIONS:
        raise Invalid(f"未知的操作：{action}（可选：{'、'.join(ACTIONS)}）", code="unknown_action")
    comment = (comment or "").strip() or None
    try:
        return _transition(ctx, document_id, action, comment, explanations)
    except StaleDataError:  # moved meanwhile by another transaction that did not wait for our lock
        raise Conflict("文档已被他人更新，请刷新后重试", code="stale") from None


def _transition(ctx: Ctx, document_id: int, action: str, comment: str | None,
                explanations: Mapping[int | str, str] | None) -> dict:
    with ctx.db.session() as session:
        doc = session.scalar(select(db.Document).where(db.Document.id == document_id).with_for_update())
        org = session.get(db.Org, doc.org_id) if doc is not None else None
        if doc is None or not policy.sees(ctx.actor, org.path):
            raise not_found("文档", document_id)
        policy.require(ctx.actor, "document.read")
        step = TRANSITIONS.get((doc.state, action))
        if step is None:
            if not any(policy.can(ctx.actor, t.permission) for t in TRANSITIONS.values() if t.action == action):
                policy.require(ctx.actor, _permission_of(action))  # raises Forbidden: the role never may
            raise Conflict(f"文档当前状态为“{state_label(doc.state)}”，不能{ACTIONS[action]}",
                           code="invalid_state", detail=_state_json(ctx.actor, doc))
        policy.require(ctx.actor, step.permission)
        if process_of(doc.kind) is None:
            raise Conflict(f"该类文档（{doc.kind}）不参与审核流程", code="no_process", detail=_state_json(ctx.actor, doc))
        if not doc.is_current:
            raise Conflict(f"只有当前版本可以流转：该文档是第 {doc.version} 版，已有新版本",
                           code="not_current", detail=_state_json(ctx.actor, doc))
        if step.needs_comment and not comment:
            raise Invalid("退回时必须填写意见", code="comment_required")
        explained = _explain(session, ctx.actor, doc, explanations) if action == "submit" else {}
        before = {"state": doc.state, "state_label": state_label(doc.state)}
        doc.state = step.to
        session.flush()
        audit.record(session, ctx.actor, f"workflow.{action}", "document", doc.id, org_id=doc.org_id,
                     before=before,
                     after={"state": doc.state, "state_label": state_label(doc.state), "step": step.label,
                            **({"explanations": {str(k): v for k, v in explained.items()}} if explained else {})},
                     comment=comment)
        return _state_json(ctx.actor, doc)


def _permission_of(action: str) -> str:
    return next(t.permission for t in TRANSITIONS.values() if t.action == action)


def _state_json(actor: Actor, doc: db.Document) -> dict:
    return {"id": doc.id, "state": doc.state, "state_label": state_label(doc.state),
            "row_version": doc.row_version, "allowed": allowed_actions(actor, doc)}


def _explain(session, actor: Actor, doc: db.Document, explanations: Mapping[int | str, str] | None) -> dict[int, str]:
    """Check that every open error finding has an explanation; store them as the findings' reasons."""
    given: dict[int, str] = {}
    for key, text in (explanations or {}).items():
        try:
            given[int(key)] = (text or "").strip()
        except (TypeError, ValueError):
            raise Invalid(f"说明对应的审核发现编号无效：{key}", code="invalid_explanation") from None
    open_errors = session.scalars(
        select(db.Finding).where(db.Finding.document_id == doc.id, db.Finding.severity == "error",
                                 db.Finding.status == "open").order_by(db.Finding.id)).all()
    by_id = {f.id: f for f in open_errors}
    unknown = sorted(set(given) - set(by_id))
    if unknown:
        raise Invalid("以下审核发现不是本文档待处理的错误，无需说明：" + "、".join(map(str, unknown)),
                      code="invalid_explanation", detail={"findings": unknown})
    # an explanation given at an earlier submission (kept as the reason) still counts
    missing = [f.id for f in open_errors if not given.get(f.id) and not (f.reason or "").strip()]
    if missing:
        raise Invalid(f"文档还有 {len(missing)} 条待处理的错误，提交前请逐条说明理由",
                      code="explanation_required", detail={"findings": missing})
    now = utcnow()
    for fid, text in given.items():
        if not text:
            continue
        finding = by_id[fid]
        finding.reason = text
        finding.status_by = actor.user_id
        finding.status_at = now
    return {fid: text for fid, text in given.items() if text}


def markdown_table() -> str:
    """The transition table as docs/architecture.md shows it."""
    lines = ["| 状态 | 操作 | 新状态 | 权限 | 角色 | 需要意见 |", "|---|---|---|---|---|---|"]
    for t in TRANSITIONS.values():
        roles = "、".join(label for role, label in policy.ROLES.items() if t.permission in policy.GRANTS.get(role, ()))
        lines.append(f"| {state_label(t.state)} `{t.state}` | {t.label} `{t.action}` | {state_label(t.to)} `{t.to}` | "
                     f"`{t.permission}` | {roles} | {'是' if t.needs_comment else ''} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m jixiao.services.workflow: the table for docs/architecture.md
    print(markdown_table(), end="")
