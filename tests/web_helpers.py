"""Browser tests of the web pages: the real server on a test database, Debian's Chromium driven
by Playwright, guards against console errors and requests leaving 127.0.0.1, screenshots.

The fixtures are imported by ``tests/conftest.py``; a test module needs only the helpers::

    from tests.web_helpers import login
    from tests.web_helpers import shot

    def test_something(web, demo_server):
        login(web, demo_server, "admin")
        web.goto(demo_server.url + "/orgs")
        shot(web, "orgs")

* ``demo_server`` (session): a SQLite database copied from the migrated template, the demo region
  (``services.demo.create_demo`` with ``tests/data``: three regions, ten documents, one user per
  role with ``logins[username]`` their password), served by uvicorn on a free port of
  127.0.0.1 in a thread, with ``jixiao.server:create_app`` (the API and the web, as ``jixiao
  serve`` runs them). SQLite only: the pages call the same services the PostgreSQL tests cover.
* ``browser`` (session): ``/usr/bin/chromium`` (apt package ``chromium``, installed by
  ``tools/system-deps.sh``); ``playwright install`` is never run.
* ``web``: a fresh page (1280 × 800, its own cookies) whose guard fails the test on a console
  error, an uncaught script error or a request to anything but 127.0.0.1. A test that provokes
  an error status on purpose says so: ``web.guard.allow("403")``.
* ``shot(page, name)``: a full-page PNG under ``$JIXIAO_SCREENSHOTS`` (default
  ``<tmp>/jixiao-screenshots``); look at them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
DATA = Path(__file__).parent / "data"
VIEWPORT = {"width": 1280, "height": 800}


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or Path(tempfile.gettempdir()) / "jixiao-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, name: str) -> Path:
    """Save a full-page screenshot ``<name>.png`` and return its path."""
    path = screenshots_dir() / f"{re.sub(r'[^0-9A-Za-z_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db: object
    logins: dict[str, str]  # demo user name → password


class _Uvicorn:
    """uvicorn serving ``app`` in a thread until :meth:`stop`."""

    def __init__(self, app, port: int) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="jixiao-test-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, sqlite_template):
    """The demo region served on 127.0.0.1 (see the module's documentation); one per test
    module, so that what one module uploads, submits or adds never changes another's counts."""
    from jixiao.server import create_app
    from jixiao.services.demo import create_demo
    from jixiao.store.db import Database

    path = tmp_path_factory.mktemp("web") / "jixiao-web.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    demo = create_demo(db, DATA)
    assert not demo["failed"], demo["failed"]
    port = free_port()
    server = _Uvicorn(create_app(db), port)
    server.start()
    yield Server(url=f"http://127.0.0.1:{port}", db=db, logins={u: pw for u, _role, _org, pw in demo["logins"]})
    server.stop()
    db.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (make sysdeps installs it)"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class Guard:
    """What a page did that a test must not accept: console errors, script errors, requests
    to anything but 127.0.0.1. ``allow(text)`` accepts console errors containing ``text``."""

    console: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, text: str) -> None:
        self.allowed.append(text)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.console.append(f"uncaught: {error}")

    def on_request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.hostname != "127.0.0.1":
            self.outside.append(request.url)

    def problems(self) -> list[str]:
        errors = [c for c in self.console if not any(a in c for a in self.allowed)]
        return [f"console: {c}" for c in errors] + [f"request outside 127.0.0.1: {u}" for u in self.outside]


@pytest.fixture
def web(browser):
    """A fresh page with its guard (``web.guard``); the test fails on what the guard saw."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    guard = Guard()
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    page.on("request", guard.on_request)
    page.guard = guard
    yield page
    context.close()
    problems = guard.problems()
    assert not problems, "\n".join(problems)


def login(page, server: Server, username: str, password: str | None = None) -> None:
    """Log in through the login page and land on the 工作台."""
    page.goto(server.url + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password if password is not None else server.logins[username])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
