"""Browser journeys through the first pages (Chromium via Playwright on the demo region, SQLite):
登录 with its errors, 工作台, 单位与年度 and its search, 管理 by role, a new user's password shown
once, 修改密码. Every page is screenshotted (tests/web_helpers.shot); every test fails on a
console error or a request leaving 127.0.0.1."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from jixiao.services import documents
from jixiao.services import policy
from jixiao.services import users
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.web import nav
from tests.web_helpers import login
from tests.web_helpers import shot


def _card_count(page, key: str) -> int:
    return int(page.get_attribute(f'[data-bucket="{key}"] .card-count', "data-count"))


def _option(page, select: str, text: str) -> str:
    """The value of the one option of ``select`` whose label contains ``text`` (labels are indented)."""
    options = page.locator(f"{select} option", has_text=text)
    assert options.count() == 1
    return options.get_attribute("value")


def test_login_wrong_then_right_and_the_workbench(web, demo_server):
    web.goto(demo_server.url + "/")
    assert web.url.startswith(demo_server.url + "/login")  # not logged in: the login page
    shot(web, "01-login")
    web.guard.allow("status of 401")  # the wrong password answers 401
    web.fill("#f-username", "admin")
    web.fill("#f-password", "not-the-password")
    web.click("button[type=submit]")
    expect(web.locator("#login-error")).to_have_text("用户名或密码错误")
    assert web.input_value("#f-username") == "admin"  # the name is kept
    shot(web, "02-login-wrong-password")
    web.fill("#f-password", demo_server.logins["admin"])
    web.click("button[type=submit]")
    web.wait_for_url(demo_server.url + "/")
    assert web.inner_text("h1") == "工作台"
    assert "系统管理员" in web.inner_text(".topbar .role")
    # the counts are those of the service, for the year shown (all years here)
    with web.expect_navigation():
        web.select_option("#year-select", "all")
    ctx = Ctx(demo_server.db, SYSTEM)
    for key, states in (("draft", "draft"), ("returned", "returned"), ("approved", "approved")):
        assert _card_count(web, key) == documents.list_documents(ctx, state=states, limit=1)["total"]
    assert _card_count(web, "draft") == 10  # every demo document starts as a draft
    assert web.locator("#bucket-draft a.doc-link").count() == 8  # the first eight, linked
    href = web.get_attribute("#bucket-draft a.doc-link", "href")
    assert re.fullmatch(r"/documents/\d+", href)
    assert web.locator(".activity li").count() >= 5  # recent activity from the audit log
    # the admin's menu: every page of the foundation
    menu = web.locator(".sidenav a").all_inner_texts()
    assert menu == [i.label for s in nav.NAV for i in s.items]  # the admin holds every permission
    assert {"工作台", "单位与年度", "用户与角色", "单位", "操作日志"} <= set(menu)
    shot(web, "03-workbench-admin")


def test_year_switcher_keeps_the_year(web, demo_server):
    login(web, demo_server, "admin")
    web.select_option("#year-select", "2023")
    web.wait_for_url(re.compile(r"year=2023"))
    ctx = Ctx(demo_server.db, SYSTEM)
    in_2023 = documents.list_documents(ctx, year=2023, state="draft", limit=1)["total"]
    assert 0 < in_2023 < documents.list_documents(ctx, state="draft", limit=1)["total"]
    assert _card_count(web, "draft") == in_2023
    with web.expect_navigation():
        web.click(".sidenav >> text=单位与年度")
    assert web.input_value("#year-select") == "2023"  # kept in the cookie
    assert "2023 年度" in web.inner_text(".page-actions")


def test_orgs_tree_and_search(web, demo_server):
    login(web, demo_server, "admin")
    web.goto(demo_server.url + "/orgs?year=all")
    assert web.inner_text("h1") == "单位与年度"
    tree = web.locator(".tree li").all_inner_texts()
    assert any("上海市普陀区财政局（演示）" in t for t in tree)
    assert web.locator("#documents a.doc-link").count() == 10
    shot(web, "04-orgs")
    web.fill(".search input[name=q]", "普陀")
    with web.expect_navigation():
        web.click(".search button")
    matched = web.locator(".tree li.matched").all_inner_texts()
    assert len(matched) == 3 and all("普陀" in t for t in matched)
    assert "找到 3 个单位" in web.inner_text(".tree-panel")
    web.click(".tree li.matched >> text=上海市普陀区人民政府办公室")
    expect(web.locator(".unit-head h2")).to_have_text("上海市普陀区人民政府办公室")
    names = web.locator("#documents a.doc-link").all_inner_texts()
    assert sorted(names) == ["sh_putuo_govoffice_2025_dept_budget.pdf", "sh_putuo_govoffice_2025_unit_budget.pdf"]
    assert web.locator("#documents .state-draft").count() == 2
    assert web.locator("#documents .sev-error").count() == 2  # each row shows its error count
    shot(web, "05-orgs-search-unit")
    # printed: the table without the navigation, the tree, the filters
    web.emulate_media(media="print")
    assert not web.is_visible(".sidenav") and not web.is_visible(".topbar") and not web.is_visible(".tree-panel")
    assert web.is_visible("#documents")
    shot(web, "05b-orgs-printed")
    web.emulate_media(media="screen")
    # a search naming one unit shows its documents at once
    web.goto(demo_server.url + "/orgs?q=万里街道")
    assert web.inner_text(".unit-head h2") == "上海市普陀区人民政府万里街道办事处"
    assert web.locator("#documents a.doc-link").all_inner_texts() == ["sh_putuo_wanli_street_2024_dept_budget.pdf"]


def test_unit_filer_sees_only_its_unit_and_no_admin(web, demo_server):
    login(web, demo_server, "danwei")
    assert "单位填报" in web.inner_text(".topbar .role")
    assert "长沙市政务服务中心" in web.inner_text(".topbar .org")
    menu = web.locator(".sidenav a").all_inner_texts()
    assert "用户与角色" not in menu and "单位" not in menu  # no user.manage: not in the menu
    assert menu == [i.label for s in nav.NAV for i in s.items if i.permission in policy.GRANTS["unit_filer"]]
    shot(web, "06-workbench-unit-filer")
    web.guard.allow("status of 403")
    response = web.goto(demo_server.url + "/admin")
    assert response.status == 403
    assert web.inner_text("h1") == "无权访问"
    assert "当前角色（单位填报）无权管理用户和单位" in web.inner_text(".error-message")
    assert web.locator(".sidenav").count() == 1  # the error is drawn in the layout
    shot(web, "07-admin-forbidden-unit-filer")
    web.guard.allow("status of 404")
    response = web.goto(demo_server.url + "/no-such-page")
    assert response.status == 404 and web.inner_text("h1") == "页面不存在"
    shot(web, "08-not-found")


def test_admin_adds_a_user_who_logs_in_with_the_password_shown_once(web, demo_server, browser):
    login(web, demo_server, "admin")
    with web.expect_navigation():
        web.click(".sidenav >> text=用户与角色")
    assert web.locator("#users tbody tr").count() == 5
    web.fill("#f-username", "zhangsan")
    web.fill("#f-display_name", "张三")
    web.select_option("#f-role", "unit_filer")
    web.select_option("#f-org", _option(web, "#f-org", "长沙市12345政务热线中心"))
    web.click("#add-user button[type=submit]")
    expect(web.locator("#created-user")).to_contain_text("已新建用户 zhangsan")
    password = web.inner_text("#new-password")
    assert len(password) >= 12 and "只显示这一次" in web.inner_text("#created-user")
    assert web.locator("#users tbody tr").count() == 6
    shot(web, "09-admin-user-added")
    web.goto(demo_server.url + "/admin/users")  # the list again: the password is not shown again
    assert web.locator("#new-password").count() == 0
    assert password not in web.content()
    # the new user logs in with it, in another browser context
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    page = other.new_page()
    login(page, demo_server, "zhangsan", password)
    assert "长沙市12345政务热线中心" in page.inner_text(".topbar .org")
    other.close()


def test_admin_pages_organisations_and_audit_log(web, demo_server):
    login(web, demo_server, "admin")
    web.goto(demo_server.url + "/admin/orgs")
    assert web.locator("#orgs tbody tr").count() >= 12
    web.fill("#f-name", "长沙市测试单位")
    web.select_option("#f-level", "unit")
    web.select_option("#f-parent", _option(web, "#f-parent", "长沙市行政审批服务局"))
    web.click("#add-org button[type=submit]")
    expect(web.locator(".notice-success")).to_contain_text("已新建单位：长沙市测试单位")
    shot(web, "10-admin-orgs")
    web.goto(demo_server.url + "/admin/audit")
    assert web.inner_text("h1") == "操作日志"
    assert web.locator("#audit tbody tr").count() >= 10
    web.select_option("select[name=type]", "org")
    with web.expect_navigation():
        web.click(".filters button")
    actions = set(web.locator("#audit tbody td:nth-child(3)").all_inner_texts())
    assert actions == {"新建单位"}
    shot(web, "11-admin-audit")


def test_change_password_then_log_in_with_it(web, demo_server):
    # a user of its own, so that the other tests keep their logins
    ctx = Ctx(demo_server.db, SYSTEM)
    users.add_user(ctx, "lisi", role="auditor", org="HN", password="first-password-1")
    login(web, demo_server, "lisi", "first-password-1")
    assert "只读" in web.inner_text(".topbar .role")
    with web.expect_navigation():
        web.click("text=修改密码")
    assert web.inner_text("h1") == "修改密码"
    web.guard.allow("status of 422")
    web.fill("#f-old", "wrong-password")
    web.fill("#f-new", "second-password-2")
    web.fill("#f-again", "second-password-2")
    web.click("form.panel button[type=submit]")
    expect(web.locator(".notice-error")).to_contain_text("原密码不正确")
    web.fill("#f-old", "first-password-1")
    web.fill("#f-new", "second-password-2")
    web.fill("#f-again", "second-password-3")
    web.click("form.panel button[type=submit]")
    expect(web.locator(".notice-error")).to_contain_text("两次输入的新密码不一致")
    web.fill("#f-old", "first-password-1")
    web.fill("#f-new", "second-password-2")
    web.fill("#f-again", "second-password-2")
    web.click("form.panel button[type=submit]")
    expect(web.locator(".notice-success")).to_contain_text("密码已修改")
    shot(web, "12-password-changed")
    web.click(".topbar button:has-text('退出')")
    web.wait_for_url(re.compile(r"/login\?out=1"))
    assert "您已退出登录" in web.inner_text(".login-box")
    web.guard.allow("status of 401")
    web.fill("#f-username", "lisi")
    web.fill("#f-password", "first-password-1")
    web.click("button[type=submit]")
    expect(web.locator("#login-error")).to_have_text("用户名或密码错误")  # the old password no longer works
    login(web, demo_server, "lisi", "second-password-2")
    assert web.inner_text("h1") == "工作台"


def test_too_many_attempts_and_an_expired_session(web, demo_server):
    web.guard.allow("status of 401")
    web.guard.allow("status of 429")
    web.goto(demo_server.url + "/login")
    for _ in range(5):
        web.fill("#f-username", "shenji")
        web.fill("#f-password", "wrong-password")
        with web.expect_navigation():
            web.click("button[type=submit]")
        expect(web.locator("#login-error")).to_have_text("用户名或密码错误")
    web.fill("#f-username", "shenji")
    web.fill("#f-password", demo_server.logins["shenji"])  # even the right one is refused now
    web.click("button[type=submit]")
    expect(web.locator("#login-error")).to_have_text(re.compile(r"^登录尝试过多，请 1[45] 分钟后再试$"))
    shot(web, "13-login-too-many-attempts")
    # a session that has ended: back to the login page, which says so, then on to where the user was going
    login(web, demo_server, "caizheng")
    cookie = next(c for c in web.context.cookies() if c["name"] == "jixiao_session")
    web.context.add_cookies([{**cookie, "value": "no-longer-valid"}])
    web.goto(demo_server.url + "/orgs?q=湖南")
    assert "/login?" in web.url and "expired=1" in web.url
    assert "登录已失效，请重新登录" in web.inner_text(".login-box")
    shot(web, "14-login-expired")
    web.fill("#f-username", "caizheng")
    web.fill("#f-password", demo_server.logins["caizheng"])
    web.click("button[type=submit]")
    web.wait_for_url(re.compile(r"/orgs\?q="))
    assert web.inner_text("h1") == "单位与年度"
