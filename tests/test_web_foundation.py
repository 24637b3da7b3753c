"""The web foundation without a browser: no CDN in the templates, the vendored libraries and their
licences shipped, the amount filter, the menu by permission, the session login with CSRF, the
Chinese error pages, the composition with the API (jixiao.server), change_password and the
overview service. On SQLite, and on PostgreSQL when JIXIAO_TEST_PG_URL is set."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.services import audit
from jixiao.services import auth
from jixiao.services import orgs
from jixiao.services import overview
from jixiao.services import policy
from jixiao.services import users
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.errors import Invalid
from jixiao.services.errors import Unauthenticated
from jixiao.web import nav
from jixiao.web.templating import wan

ROOT = Path(__file__).parents[1]
WEB = ROOT / "src" / "jixiao" / "web"


def test_no_template_loads_anything_from_elsewhere():
    pattern = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", re.I)
    found = [(p.name, m.group(0)) for p in sorted((WEB / "templates").rglob("*.html"))
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
    css = (WEB / "static" / "css" / "jixiao.css").read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css) and "@import" not in css


def test_the_vendored_libraries_ship_with_their_licences():
    vendor = WEB / "static" / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for path, version, licence in (("htmx/htmx.min.js", "2.0.11", "0BSD"), ("echarts/echarts.min.js", "5.6.0", "Apache-2.0")):
        assert (vendor / path).stat().st_size > 10_000
        assert version in readme and licence in readme and path in readme
        assert (vendor / path).parent.joinpath("LICENSE").exists()
    assert 'version:"2.0.11"' in (vendor / "htmx" / "htmx.min.js").read_text(encoding="utf-8").replace(" ", "")
    assert 'version="5.6.0"' in (vendor / "echarts" / "echarts.min.js").read_text(encoding="utf-8")
    # package data: every file under web/ that is not Python matches a pattern of pyproject.toml
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["jixiao"]
    package = ROOT / "src" / "jixiao"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    files = {p for p in WEB.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert files - shipped == set()


@pytest.mark.parametrize(("value", "kwargs", "printed"), [
    (Decimal("1234.5"), {}, "1,234.50"),
    ("1234567.891", {}, "1,234,567.89"),
    ("0.005", {}, "0.01"),  # half up, not to even
    ("0.015", {}, "0.02"),
    ("-2500.125", {}, "-2,500.13"),
    ("12,345.6", {}, "12,345.60"),  # printed with separators already
    (Decimal("12345678"), {"from_unit": "元"}, "1,234.57"),  # 元 → 万元
    (Decimal("3"), {"places": 0}, "3"),
    (None, {}, "—"),
    ("", {}, "—"),
    ("约 5 万", {}, "约 5 万"),  # not a number: as printed
])
def test_amounts_as_printed(value, kwargs, printed):
    assert wan(value, **kwargs) == printed


def test_the_menu_follows_the_permissions_not_the_role_names():
    from jixiao.services.context import Actor

    for role in policy.ROLES:
        actor = Actor(user_id=1, username="x", role=role, org_id=1, org_path="/1/")
        shown = [i["label"] for s in nav.menu(actor, "/") for i in s["items"]]
        expected = [i.label for s in nav.NAV for i in s.items if i.permission in policy.GRANTS[role]]
        assert shown == expected and shown
    filer = Actor(user_id=1, username="x", role="unit_filer", org_id=1, org_path="/1/")
    assert "用户与角色" not in [i["label"] for s in nav.menu(filer, "/") for i in s["items"]]
    active = [i["label"] for s in nav.menu(filer, "/orgs") for i in s["items"] if i["active"]]
    assert active == ["单位与年度"]


@pytest.fixture
def tree(database):
    """Two departments under a region, a unit, and users (password known)."""
    ctx = Ctx(database, SYSTEM)
    orgs.create_org(ctx, name="某市财政局", level="region", code="R1")
    orgs.create_org(ctx, name="教育局", level="department", parent="R1", code="D1")
    orgs.create_org(ctx, name="第一中学", level="unit", parent="D1", code="U1")
    orgs.create_org(ctx, name="卫生局", level="department", parent="R1", code="D2")
    users.add_user(ctx, "boss", role="admin", org="R1", password="boss-password-1")
    users.add_user(ctx, "filer", role="unit_filer", org="U1", password="filer-password-1")
    return database


def _client(database) -> TestClient:
    from jixiao.server import create_app

    return TestClient(create_app(database), raise_server_exceptions=False)


def _login(client: TestClient, username: str, password: str) -> str:
    r = client.post("/login", data={"username": username, "password": password, "next": "/orgs"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/orgs"
    page = client.get("/orgs")
    return re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', page.text).group(1)


def test_login_csrf_errors_and_the_api_beside_the_pages(tree):
    client = _client(tree)
    r = client.get("/orgs?q=x", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Forgs%3Fq%3Dx"
    r = client.get("/orgs", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 204 and r.headers["HX-Redirect"].startswith("/login?next=")
    r = client.post("/login", data={"username": "boss", "password": "wrong-password"})
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = client.post("/login", data={"username": "boss", "password": "boss-password-1", "next": "//evil.example/x"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"  # never off the site
    csrf = _login(client, "boss", "boss-password-1")
    form = {"name": "新单位", "level": "unit", "parent": "D2", "code": ""}
    assert client.post("/admin/orgs", data=form).status_code == 403  # no CSRF token
    assert client.post("/admin/orgs", data=form | {"csrf_token": "0" * 64}).status_code == 403
    r = client.post("/admin/orgs", data=form | {"csrf_token": csrf})
    assert r.status_code == 200 and "已新建单位：新单位" in r.text
    r = client.post("/admin/orgs", data={**form, "name": "另一个"}, headers={"X-CSRF-Token": csrf})  # htmx's way
    assert r.status_code == 200 and "已新建单位：另一个" in r.text
    # the API on the same app and database, with its JSON errors; the session cookie works there too
    assert client.get("/api/v1/me").json()["username"] == "boss"
    assert client.get("/api/v1/nope").json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/login").status_code == 405
    r = client.get("/nope")
    assert r.status_code == 404 and "页面不存在" in r.text and 'class="sidenav"' in r.text
    # logout ends the session: the next page is the login page
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).headers["location"] == "/login?out=1"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_an_ended_session_says_so(tree):
    client = _client(tree)
    client.cookies.set("jixiao_session", "not-a-session")
    r = client.get("/", follow_redirects=False)
    assert r.headers["location"] == "/login?expired=1"
    assert "登录已失效，请重新登录" in client.get(r.headers["location"]).text


def test_a_unit_filer_gets_the_403_page_and_sees_only_its_unit(tree):
    client = _client(tree)
    _login(client, "filer", "filer-password-1")
    r = client.get("/admin")
    assert r.status_code == 403 and "无权访问" in r.text and "当前角色（单位填报）无权管理用户和单位" in r.text
    assert client.get("/admin/orgs").status_code == 403
    page = client.get("/orgs").text
    assert "第一中学" in page and "卫生局" not in page


def test_change_password(tree):
    ctx = Ctx(tree, SYSTEM)
    token = auth.login(ctx, "filer", "filer-password-1")["token"]
    actor, _info = auth.actor_for_token(tree, token)
    mine = Ctx(tree, actor)
    with pytest.raises(Invalid) as wrong:
        users.change_password(mine, "not-it", "new-password-2")
    assert wrong.value.code == "bad_password" and wrong.value.status == 422
    with pytest.raises(Invalid) as short:
        users.change_password(mine, "filer-password-1", "short")
    assert short.value.code == "weak_password"
    with pytest.raises(Invalid):
        users.change_password(mine, "filer-password-1", "filer-password-1")
    users.change_password(mine, "filer-password-1", "new-password-2")
    with pytest.raises(Unauthenticated):
        auth.login(ctx, "filer", "filer-password-1")
    assert auth.login(ctx, "filer", "new-password-2")["user"]["username"] == "filer"
    entries = audit.list_entries(ctx, object="user")["items"]
    changed = [e for e in entries if e["action"] == "user.password"]
    assert len(changed) == 1 and changed[0]["user"] == "filer" and "password" not in str(changed[0]["after"]).lower()


def test_the_overview_tree_keeps_the_scope_and_the_ancestors_of_a_match(tree):
    ctx = Ctx(tree, SYSTEM)
    found = overview.org_tree(ctx, q="中学")
    assert [(o["name"], o["depth"], o["matched"]) for o in found["items"]] == [
        ("某市财政局", 0, False), ("教育局", 1, False), ("第一中学", 2, True)]
    assert found["matched"] == 1
    names = [o["name"] for o in overview.org_tree(ctx)["items"]]
    assert names == ["某市财政局", "卫生局", "教育局", "第一中学"]  # by name within each parent
    bare = overview.org_tree(ctx, counts=False)["items"]  # for a select: the same tree, no counting
    assert [(o["id"], o["name"], o["depth"]) for o in bare] == [(o["id"], o["name"], o["depth"])
                                                                for o in overview.org_tree(ctx)["items"]]
    token = auth.login(ctx, "filer", "filer-password-1")["token"]
    actor, _info = auth.actor_for_token(tree, token)
    assert [o["name"] for o in overview.org_tree(Ctx(tree, actor))["items"]] == ["第一中学"]
    assert overview.years(Ctx(tree, actor)) == []


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(tree):
    here, elsewhere = _client(tree), _client(tree)
    csrf = _login(here, "filer", "filer-password-1")
    _login(elsewhere, "filer", "filer-password-1")
    script = auth.login(Ctx(tree, SYSTEM), "filer", "filer-password-1")["token"]  # a bearer token
    r = here.post("/password", data={"old": "filer-password-1", "new": "new-password-2", "again": "new-password-2",
                                     "csrf_token": csrf})
    assert r.status_code == 200
    assert here.get("/orgs", follow_redirects=False).status_code == 200  # the session that changed it
    r = elsewhere.get("/orgs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Forgs&expired=1"
    with pytest.raises(Unauthenticated):
        auth.actor_for_token(tree, script)
    entry = [e for e in audit.list_entries(Ctx(tree, SYSTEM), object="user")["items"] if e["action"] == "user.password"]
    assert entry[0]["after"]["sessions_ended"] == 2
