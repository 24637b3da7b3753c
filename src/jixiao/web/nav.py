"""The left navigation: sections of pages, each page shown to the roles that hold its permission
(``policy.can``; never by role name). A new page adds its :class:`Item` here."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.services import policy
from jixiao.services.context import Actor


@dataclass(frozen=True)
class Item:
    label: str
    href: str
    permission: str  # shown when the role holds it (policy.PERMISSIONS)
    match: str = ""  # the path prefix that marks the item as the current page ("" = href exactly)


@dataclass(frozen=True)
class Section:
    label: str
    items: tuple[Item, ...]


NAV: tuple[Section, ...] = (
    Section("工作", (
        Item("工作台", "/", "document.read"),
        Item("单位与年度", "/orgs", "document.read", match="/orgs"),
        Item("上传", "/upload", "document.import", match="/upload"),
        Item("绩效自评", "/self-evaluations", "document.read", match="/self-evaluations"),
        Item("审核发现", "/findings", "document.read", match="/findings"),
    )),
    Section("运行监控", (
        Item("绩效运行监控", "/monitoring", "document.read", match="/monitoring"),
        Item("预警阈值", "/monitoring/profiles", "monitoring.profile", match="/monitoring/profiles"),
        Item("整改", "/rectification", "document.read", match="/rectification"),
        Item("业务数据", "/opdata", "document.read", match="/opdata"),
        Item("定义取数口径", "/opdata/metrics/new", "opdata.define", match="/opdata/metrics"),
    )),
    Section("分析", (
        Item("总览", "/dashboard", "document.read", match="/dashboard"),
        Item("规则", "/rules", "document.read", match="/rules"),
    )),
    Section("管理", (
        Item("用户与角色", "/admin/users", "user.manage", match="/admin/users"),
        Item("单位", "/admin/orgs", "user.manage", match="/admin/orgs"),
        Item("操作日志", "/admin/audit", "audit.read", match="/admin/audit"),
    )),
)

for _section in NAV:
    for _item in _section.items:
        assert _item.permission in policy.PERMISSIONS, _item


def menu(actor: Actor, path: str) -> list[dict]:
    """The sections the actor sees, each ``{"label", "items": [{"label", "href", "active"}]}``."""
    out = []
    # the longest matching prefix marks the page (/monitoring/profiles is 预警阈值, not 绩效运行监控)
    longest = max((len(i.match) for s in NAV for i in s.items if i.match and path.startswith(i.match)), default=0)
    for section in NAV:
        items = [{"label": i.label, "href": i.href,
                  "active": len(i.match) == longest and path.startswith(i.match) if i.match else path == i.href}
                 for i in section.items if policy.can(actor, i.permission)]
        if items:
            out.append({"label": section.label, "items": items})
    return out
