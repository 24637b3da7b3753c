"""Authorisation, decided here and nowhere else: roles and their permissions as data, and scope
by the organisation tree (a user sees their organisation and everything under it).

Order of the checks, everywhere: first *can the actor see the object* (no → 404, so that ids
leak nothing), then *may the actor do this to it* (no → 403).
"""

from __future__ import annotations

from sqlalchemy import Select

from jixiao.services.context import Actor
from jixiao.services.errors import Forbidden

ROLES = {
    "admin": "系统管理员",
    "finance_reviewer": "财政审核",
    "department_manager": "部门管理",
    "unit_filer": "单位填报",
    "auditor": "只读",
}

PERMISSIONS = {
    "document.read": "查看文档、表格和审核发现",
    "document.import": "导入文件",
    "document.edit": "编辑绩效目标",
    "finding.review": "处理审核发现（已整改 / 不予采纳）",
    "selfeval.edit": "填报自评实际值",
    "workflow.submit": "提交",
    "workflow.dept_review": "部门审核（通过 / 退回）",
    "workflow.finance_review": "财政审核（通过 / 退回）",
    "workflow.publish": "公开",
    "audit.read": "查看操作日志",
    "job.read": "查看后台任务",
    "user.manage": "管理用户和单位",
    "deadline.manage": "设定填报和审核的截止日期",
    "opdata.define": "定义业务数据源、字段映射、指标口径和指标绑定",
    "opdata.import": "导入业务数据",
    "opdata.override": "手工填写已绑定业务数据的指标值（须说明原因）",
    "monitoring.open": "开启和关闭绩效运行监控轮次",
    "monitoring.fill": "填报绩效运行监控表",
    "monitoring.profile": "设定监控预警阈值",
    "rectification.open": "下达整改任务",
    "rectification.close": "完成整改任务（填写整改措施）",
    "targets.adjust": "申请绩效目标调整（生成新版本，按审核流程批复）",
}

_READ = {"document.read", "audit.read", "job.read"}
GRANTS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "finance_reviewer": frozenset(_READ | {"document.import", "finding.review", "workflow.finance_review",
                                           "workflow.publish", "deadline.manage"}),
    "department_manager": frozenset(_READ | {"document.import", "document.edit", "finding.review",
                                             "selfeval.edit", "workflow.submit", "workflow.dept_review",
                                             "deadline.manage"}),
    "unit_filer": frozenset(_READ | {"document.import", "document.edit", "finding.review", "selfeval.edit",
                                     "workflow.submit"}),
    "auditor": frozenset(_READ),
}
# operational data (issue 11 part 4): a finance bureau or a department defines sources and metrics;
# those who fill in actuals import and may type a value over a bound one, with the reason
_OPDATA = {
    "finance_reviewer": {"opdata.define", "opdata.import"},
    "department_manager": {"opdata.define", "opdata.import", "opdata.override"},
    "unit_filer": {"opdata.import", "opdata.override"},
}
GRANTS = {role: granted | _OPDATA.get(role, set()) for role, granted in GRANTS.items()}
# monitoring (issue 11 parts 1–3): the finance bureau opens rounds, sets the thresholds and orders
# 整改; departments and units fill in the 监控表, take the measures and ask for a 目标调整
_MONITORING = {
    "finance_reviewer": {"monitoring.open", "monitoring.profile", "rectification.open"},
    "department_manager": {"monitoring.fill", "rectification.open", "rectification.close", "targets.adjust"},
    "unit_filer": {"monitoring.fill", "rectification.close", "targets.adjust"},
}
GRANTS = {role: frozenset(granted | _MONITORING.get(role, set())) for role, granted in GRANTS.items()}


def role_label(role: str) -> str:
    return ROLES.get(role, role)


def can(actor: Actor, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission}")
    return permission in GRANTS.get(actor.role, frozenset())


def require(actor: Actor, permission: str) -> None:
    """Raise Forbidden (403) unless the actor's role grants ``permission``."""
    if not can(actor, permission):
        raise Forbidden(f"当前角色（{role_label(actor.role)}）无权{PERMISSIONS[permission]}", code="forbidden")


def sees(actor: Actor, org_path: str | None) -> bool:
    """Whether the actor's scope covers an organisation (by its path, ``/1/4/9/``)."""
    if actor.org_path == "/":
        return True
    return org_path is not None and org_path.startswith(actor.org_path)


def scoped(stmt: Select, actor: Actor, path_column) -> Select:
    """``stmt`` limited to the actor's scope (``path_column``: the organisation's ``Org.path``)."""
    if actor.org_path == "/":
        return stmt
    return stmt.where(path_column.startswith(actor.org_path, autoescape=True))
