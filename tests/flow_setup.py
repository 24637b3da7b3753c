"""A small region for the document, finding and workflow service tests: 财政局 R → 部门 D →
单位 U1, U2 (siblings), one user (a real row, so audit entries can name it) per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.store import schema as db
from jixiao.store.db import Database
from tests.conftest import seed

# role code, organisation code
USERS = {
    "admin": ("admin", "R"),
    "finance": ("finance_reviewer", "R"),
    "auditor": ("auditor", "R"),
    "dept": ("department_manager", "D"),
    "unit1": ("unit_filer", "U1"),
    "unit2": ("unit_filer", "U2"),
}


@dataclass
class Region:
    db: Database
    actors: dict[str, Actor]

    def ctx(self, who: str) -> Ctx:
        return Ctx(self.db, self.actors[who])

    def load(self, name: str | Path, org: str, year: int | None = None) -> dict:
        """Import a seed (by prefix) or a file as the system (the command line)."""
        path = name if isinstance(name, Path) else seed(name)
        return imports.import_path(Ctx(self.db), path, org=org, year=year)


def region(database: Database) -> Region:
    with database.session() as s:
        r = orgs.add_org(s, name="测试市财政局", level="region", code="R")
        d = orgs.add_org(s, name="测试市行政审批服务局", level="department", parent=r, code="D")
        by_code = {"R": r, "D": d}
        for code, name in (("U1", "第一服务中心"), ("U2", "第二服务中心")):
            by_code[code] = orgs.add_org(s, name=name, level="unit", parent=d, code=code)
        actors = {}
        for who, (role, code) in USERS.items():
            org = by_code[code]
            user = db.User(username=who, password_hash="x", role=role, org_id=org.id)
            s.add(user)
            s.flush()
            actors[who] = Actor(user_id=user.id, username=who, role=role, org_id=org.id, org_path=org.path)
    return Region(database, actors)
