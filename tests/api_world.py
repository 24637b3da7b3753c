"""A small world for API tests, built through the services (orgs, users.add_user,
imports.import_path of the seeds, auth.login): two regions, each with a department
whose unit filed the seed documents, and a user of every role in region A (admin also in B).

    A: 甲省财政厅 (A0) → 甲部门 (A1) → the unit the seed names (created by the import)
    B: 乙省财政厅 (B0) → 乙部门 (B1) → the same unit name, another organisation

Users of region A sit where their role works: admin, finance_reviewer and auditor at the
region, department_manager at the department, unit_filer at the unit. ``own`` objects are
region A's, ``other`` objects region B's.

The world is built once per backend (argon2 and the imports take seconds) into a template
database, and each test gets a fresh copy of it (a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL), as ``tests/databases.py`` does for the empty schema.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.api.app import create_app
from jixiao.services import auth
from jixiao.services import imports
from jixiao.services import orgs
from jixiao.services import users
from jixiao.services.context import Ctx
from jixiao.services.policy import ROLES
from jixiao.store.db import Database
from tests.databases import BACKENDS
from tests.databases import create_pg_database
from tests.databases import drop_pg_database

PASSWORD = "correct-horse-9"
SEEDS = Path(__file__).parent / "data" / "seeds"
TARGETS = "000"  # 绩效目标表: target sets, indicators, one error finding


def seed(prefix: str) -> Path:
    """The seed whose name starts with ``prefix`` (as tests.conftest.seed; conftest imports this module)."""
    (path,) = sorted(SEEDS.glob(f"{prefix}*.txt"))
    return path


@dataclass
class Region:
    key: str  # "A" | "B"
    region: dict
    department: dict
    unit: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)  # name → import result


@dataclass
class World:
    regions: dict[str, Region]
    tokens: dict[str, str]  # username → bearer token
    usernames: dict[str, str]  # role → username (region A); "admin_B" for region B's admin
    db: Database | None = None
    client: TestClient | None = None

    def on(self, db: Database) -> World:
        """This world's data on a copy of its database, with a client of the API on it."""
        return World(self.regions, self.tokens, self.usernames, db, TestClient(create_app(db)))

    def doc(self, key: str = "A") -> int:
        return self.regions[key].documents["targets"]["id"]

    def headers(self, username: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def role(self, role: str) -> dict:
        return self.headers(self.usernames[role])

    def admin(self, key: str = "A") -> dict:
        return self.headers("admin_A" if key == "A" else "admin_B")


def _region(ctx: Ctx, key: str, label: str) -> Region:
    with ctx.db.session() as s:
        region = orgs.add_org(s, name=f"{label}省财政厅", level="region", code=f"{key}0")
        dept = orgs.add_org(s, name=f"{label}部门", level="department", parent=region, code=f"{key}1")
        r, d = orgs.org_json(region), orgs.org_json(dept)
    out = Region(key, r, d)
    out.documents["targets"] = imports.import_path(ctx, seed(TARGETS), org=f"{key}1", year=2026)
    out.unit = out.documents["targets"]["org"]
    return out


def build(db: Database) -> World:
    ctx = Ctx(db)
    regions = {"A": _region(ctx, "A", "甲"), "B": _region(ctx, "B", "乙")}
    a = regions["A"]
    where = {"admin": "A0", "finance_reviewer": "A0", "auditor": "A0", "department_manager": "A1",
             "unit_filer": str(a.unit["id"])}
    usernames = {}
    for role in ROLES:
        usernames[role] = f"{role}_A"
        users.add_user(ctx, usernames[role], role=role, org=where[role], password=PASSWORD)
    users.add_user(ctx, "admin_B", role="admin", org="B0", password=PASSWORD)
    tokens = {name: auth.login(ctx, name, PASSWORD)["token"] for name in [*usernames.values(), "admin_B"]}
    usernames["admin_B"] = "admin_B"
    return World(regions, tokens, usernames)


@pytest.fixture(scope="session")
def world_templates(tmp_path_factory, sqlite_template, pg_template):
    """backend → (World without a database, where its template is), built on first use."""
    built: dict[str, tuple[World, str]] = {}

    def get(backend: str) -> tuple[World, str]:
        if backend not in built:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("world") / "world.db"
                shutil.copy(sqlite_template, path)
                db = Database(f"sqlite:///{path}")
                where = str(path)
            else:
                where = f"jixiao_world_{os.getpid()}"
                drop_pg_database(where)
                db = Database(create_pg_database(where, pg_template))
            try:
                world = build(db)
            finally:
                db.dispose()
            built[backend] = (world, where)
        return built[backend]

    yield get
    for backend, (_world, where) in built.items():
        if backend == "postgresql":
            drop_pg_database(where)


def world_copy(backend: str, world_templates, tmp_path) -> tuple[World, Callable[[], None]]:
    """A fresh copy of the world on ``backend`` and its cleanup."""
    world, where = world_templates(backend)
    if backend == "sqlite":
        path = tmp_path / f"world-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(where, path)
        if os.path.exists(where + "-wal"):  # what the last connection did not write back yet
            shutil.copy(where + "-wal", str(path) + "-wal")
        db = Database(f"sqlite:///{path}")
        return world.on(db), db.dispose
    name = f"jixiao_w_{uuid.uuid4().hex[:12]}"
    db = Database(create_pg_database(name, where))

    def cleanup():
        db.dispose()
        drop_pg_database(name)

    return world.on(db), cleanup


@pytest.fixture(params=BACKENDS)
def world(request, world_templates, tmp_path):
    copy, cleanup = world_copy(request.param, world_templates, tmp_path)
    yield copy
    copy.client.close()
    cleanup()
