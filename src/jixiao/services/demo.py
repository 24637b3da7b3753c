"""The demo region of ``make run``: the sample and real documents of this repository filed under
their departments and units, and one user per role with a generated password.

Run again, it adds nothing twice (organisations by code, documents by their bytes) and gives the
demo users new passwords, printed once. There is no built-in password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from jixiao.services import audit
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.errors import ServiceError
from jixiao.store import schema as db


@dataclass(frozen=True)
class Dept:
    name: str
    code: str
    files: tuple[tuple[str, int | None], ...]  # (path under the data folder, year when the file has none)
    units: tuple[tuple[str, str], ...] = ()  # (name, 单位编码)


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    departments: tuple[Dept, ...]


ROOT = ("jixiao 演示（全部地区）", "DEMO")

REGIONS = (
    Region("湖南省财政厅（演示）", "HN", (
        Dept("长沙市行政审批服务局", "152", (("seeds/001_c182bc71c99e727c.txt", None),),
             units=(("长沙市政务服务中心", "152002"), ("长沙市12345政务热线中心", "152003"))),
        Dept("株洲市渌口区行政审批服务局", "HN-LK", (("seeds/000_82772c604d1a37f5.txt", None),)),
        Dept("沅江市行政审批服务局", "HN-YJ", (("seeds/002_736e426451e9b52c.txt", None),)),
        Dept("株洲市石峰区优化营商环境协调事务中心", "HN-SF", (("seeds/004_576cc429f8cd71c8.txt", None),)),
        Dept("株洲市芦淞区行政审批服务局", "HN-LS", (("seeds/003_06aa0f6e24b01dc6.txt", 2021),)),
    )),
    Region("上海市普陀区财政局（演示）", "SHPT", (
        Dept("上海市普陀区人民政府办公室", "SHPT-ZF", (
            ("real/sh_putuo_govoffice_2025_dept_budget.pdf", None),
            ("real/sh_putuo_govoffice_2025_unit_budget.pdf", None),
        )),
        Dept("上海市普陀区人民政府万里街道办事处", "SHPT-WL", (("real/sh_putuo_wanli_street_2024_dept_budget.pdf", None),)),
    )),
    Region("深圳市宝安区财政局（演示）", "SZBA", (
        Dept("深圳市宝安区松岗街道办事处（本级）", "SZBA-SG", (
            ("real/gd_shenzhen_songgang_street_2023_project_target_tables_set1_filled.xlsx", 2023),
            ("real/gd_shenzhen_songgang_street_2023_project_target_tables_set3_multi_unit.xlsx", 2023),
        )),
    )),
)

# (user name, role, organisation code, display name)
USERS = (
    ("admin", "admin", "DEMO", "系统管理员（演示）"),
    ("caizheng", "finance_reviewer", "HN", "湖南省财政厅审核员（演示）"),
    ("bumen", "department_manager", "152", "长沙市行政审批服务局（演示）"),
    ("danwei", "unit_filer", "152002", "长沙市政务服务中心填报员（演示）"),
    ("shenji", "auditor", "HN", "审计（只读，演示）"),
)


def _org(session, *, name: str, code: str, level: str, parent: db.Org | None) -> db.Org:
    found = session.scalar(select(db.Org).where(db.Org.code == code))
    return found or orgs.add_org(session, name=name, level=level, parent=parent, code=code)


def _deadlines(ctx: Ctx, results: list[dict]) -> None:
    """Each demo region's deadlines for the years of its documents: targets by 3月31日, the
    disclosure by 2月28日 of the year, the self-evaluation by 4月30日 of the next year."""
    from jixiao.services.deadlines import set_deadline

    years = sorted({r["year"] for r in results if r.get("year")})
    for region in REGIONS:
        for year in years:
            for process, due in (("targets", f"{year}-03-31"), ("disclosure", f"{year}-02-28"),
                                 ("self_evaluation", f"{year + 1}-04-30")):
                set_deadline(ctx, org=region.code, year=year, process=process, due=due)


def create_demo(database, data: str | Path, *, progress=None) -> dict:
    """File the demo documents under their organisations and (re)create the demo users.

    Returns ``{"documents": [import results], "failed": [(file, message)], "logins": [(user,
    role label, organisation, password)]}``."""
    from jixiao.services import auth
    from jixiao.services.policy import role_label

    data = Path(data)
    with database.session() as session:
        root = _org(session, name=ROOT[0], code=ROOT[1], level="region", parent=None)
        plan = []
        for region in REGIONS:
            r = _org(session, name=region.name, code=region.code, level="region", parent=root)
            for dept in region.departments:
                d = _org(session, name=dept.name, code=dept.code, level="department", parent=r)
                for name, code in dept.units:
                    _org(session, name=name, code=code, level="unit", parent=d)
                plan.extend((dept.code, data / path, year) for path, year in dept.files)
    ctx = Ctx(database, SYSTEM)
    results, failed = [], []
    for code, path, year in plan:
        if progress:
            progress(path.name)
        try:
            results.append(imports.import_path(ctx, path, org=code, year=year))
        except (OSError, ServiceError) as exc:
            failed.append((str(path), getattr(exc, "message", str(exc))))
    _deadlines(ctx, results)
    logins = []
    with database.session() as session:
        for username, role, code, display in USERS:
            org = session.scalar(select(db.Org).where(db.Org.code == code))
            password = secrets.token_urlsafe(9)
            user = session.scalar(select(db.User).where(db.User.username == username))
            if user is None:
                user = db.User(username=username, role=role, org_id=org.id, display_name=display, password_hash="")
                session.add(user)
            user.role, user.org_id, user.active = role, org.id, True
            user.password_hash = auth.hash_password(password)
            session.flush()
            audit.record(session, SYSTEM, "user.demo_password", "user", user.id, org_id=org.id,
                         after={"username": username, "role": role, "org": org.name})
            logins.append((username, role_label(role), org.name, password))
    return {"documents": results, "failed": failed, "logins": logins}
