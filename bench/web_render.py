"""The 文档 page: time to first render in headless Chromium, and the server's time per page.

``python bench/web_render.py`` (part of ``make bench``):

* **First render**: seed 000 with its indicator rows repeated (产出指标 / 数量指标 rows under the
  printed ones, names numbered) until its first target set holds ``--indicators`` (200)
  indicators, imported into a fresh SQLite database and served by the app in this process
  (uvicorn on 127.0.0.1); Debian's Chromium (``/usr/bin/chromium``, driven by Playwright) logs
  in and opens ``/documents/{id}`` ``--runs`` times. Printed per run: the server's answer (time
  to first byte), first contentful paint (the browser's ``first-contentful-paint``: the time to
  first render), DOMContentLoaded and load, in ms from the start of the navigation. The first
  visit is reported apart: it reads the file again for its paragraphs (then cached).
* **Server time per page** (``--pages``, with ``--pg``): the database of ``bench/api_load.py``
  (2,000 documents, 20,000 projects on PostgreSQL; filled once), ``jixiao serve --workers 2``,
  a finance reviewer of the region logged in by the login page (session cookie), 20 clients
  request ``/documents/{id}`` (random documents: a first pass over them, when each document's
  file is read for the first time, and a second pass, cached) and ``/upload``; p50 / p95 / p99.

Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

SEED = REPO / "tests/data/seeds/000_82772c604d1a37f5.txt"
CHROMIUM = "/usr/bin/chromium"


def document_text(indicators: int) -> tuple[str, int]:
    """Seed 000 with indicator rows repeated under 产出指标 / 数量指标 until its first target set
    holds ``indicators`` indicators; returns (text, the count parsed)."""
    from jixiao.services import imports

    lines = SEED.read_text(encoding="utf-8").split("\n")
    base = imports.prepare(SEED.read_bytes(), SEED.name).document
    have = len(base.tables[0].target_sets[0].indicators)
    at = next(i for i, line in enumerate(lines) if "\t政务大厅办件量\t" in line)
    samples = [line.split("\t") for line in lines if re.match(r"^(产出指标\t数量指标|\t\t)\S", line)][:3]
    extra = []
    for n in range(indicators - have):
        cells = list(samples[n % len(samples)])
        cells[0], cells[1] = "", ""  # a continuation row of 产出指标 / 数量指标
        cells[2] = f"{cells[2]}（{n + 1}）"
        extra.append("\t".join(cells))
    text = "\n".join(lines[: at + 1] + extra + lines[at + 1:])
    parsed = imports.prepare(text.encode("utf-8"), "200-indicators.txt").document
    return text, len(parsed.tables[0].target_sets[0].indicators)


def first_render(indicators: int, runs: int) -> dict:
    from playwright.sync_api import sync_playwright
    from tests.web_helpers import _Uvicorn
    from tests.web_helpers import free_port

    from jixiao.server import create_app
    from jixiao.services import imports
    from jixiao.services import orgs
    from jixiao.services import users
    from jixiao.services.context import Ctx
    from jixiao.store.db import Database
    from jixiao.store.migrate import upgrade

    text, count = document_text(indicators)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_DATA_DIR"] = tmp
        db = Database(f"sqlite:///{tmp}/bench-web.db")
        upgrade(db)
        ctx = Ctx(db)
        with db.session() as session:
            orgs.add_org(session, name="基准测试地区", level="region", parent=None, code="BENCH-WEB")
        _user, password = users.add_user(ctx, "bench", role="admin", org="BENCH-WEB")
        doc = imports.import_bytes(ctx, text.encode("utf-8"), "200-indicators.txt", org="BENCH-WEB", year=2026)
        port = free_port()
        server = _Uvicorn(create_app(db), port)
        server.start()
        base = f"http://127.0.0.1:{port}"
        timings = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(base + "/login")
                page.fill("#f-username", "bench")
                page.fill("#f-password", password)
                page.click("button[type=submit]")
                page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
                for _ in range(runs + 1):
                    page.goto("about:blank")
                    page.goto(f"{base}/documents/{doc['id']}", wait_until="load")
                    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0",
                                           timeout=30_000)
                    rows = page.locator("table.indicators tbody tr.indicator").count()
                    timings.append(page.evaluate("""() => {
                        const nav = performance.getEntriesByType("navigation")[0];
                        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
                        return {ttfb: nav.responseStart, fcp: fcp ? fcp.startTime : null,
                                dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                                bytes: nav.encodedBodySize};
                    }""") | {"rows": rows})
                browser.close()
        finally:
            server.stop()
            db.dispose()
            os.environ.pop("JIXIAO_DATA_DIR", None)
    first, warm = timings[0], timings[1:]

    def med(key: str) -> float:
        return round(statistics.median(t[key] for t in warm), 1)

    out = {"indicators": count, "rows_drawn": warm[-1]["rows"], "html_kb": round(warm[-1]["bytes"] / 1024, 1),
           "first_visit": {k: round(first[k], 1) for k in ("ttfb", "fcp", "dcl", "load")},
           "runs": runs, "ttfb_ms": med("ttfb"), "fcp_ms": med("fcp"), "dcl_ms": med("dcl"), "load_ms": med("load"),
           "fcp_max_ms": round(max(t["fcp"] for t in warm), 1)}
    print(f"文档页（{count} 个指标，{out['rows_drawn']} 行，HTML {out['html_kb']} KB）：首次绘制 中位 {out['fcp_ms']} ms"
          f"（最慢 {out['fcp_max_ms']} ms），服务器响应 {out['ttfb_ms']} ms，DOMContentLoaded {out['dcl_ms']} ms，"
          f"load {out['load_ms']} ms；第一次打开（读取原文件）首次绘制 {out['first_visit']['fcp']} ms")
    return out


def pages(pg: str, clients: int, requests: int, port: int) -> dict:
    import httpx
    from api_load import database
    from api_load import measure
    from api_load import serve
    from sqlalchemy import select

    from jixiao.services import auth
    from jixiao.services import users
    from jixiao.services.context import Ctx
    from jixiao.store import schema as db

    db_ = database(pg, 2000, False)
    with db_.session(write=False) as s:
        ids = list(s.scalars(select(db.Document.id)))
    # a finance reviewer of the region (its password set anew on each run)
    username, password = "bench_web", "bench-web-" + str(random.randrange(10**9))
    with db_.session() as s:
        found = s.scalar(select(db.User).where(db.User.username == username))
        if found is not None:
            found.password_hash, found.active = auth.hash_password(password), True
    if found is None:
        users.add_user(Ctx(db_), username, role="finance_reviewer", org="BENCH", password=password)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_DATA_DIR"] = tmp  # the server's caches start empty
        proc = serve(db_.url, port)
        os.environ.pop("JIXIAO_DATA_DIR", None)
        base = f"http://127.0.0.1:{port}"
        try:
            cookies = []
            for _ in range(clients):
                with httpx.Client(base_url=base, timeout=30) as c:
                    r = c.post("/login", data={"username": username, "password": password})
                    assert r.status_code == 303 and "jixiao_session" in c.cookies, r.status_code
                    cookies.append(dict(c.cookies))
            rnd = random.Random(7)
            sample = rnd.sample(ids, min(len(ids), clients * requests))
            out = {}
            plans = {
                "document_first_visit": lambda i, k, _rng: f"/documents/{sample[(i * requests + k) % len(sample)]}",
                "document": lambda i, k, _rng: f"/documents/{sample[(i * requests + k) % len(sample)]}",
                "upload": lambda i, k, _rng: "/upload",
            }
            for name, path in plans.items():
                r = out[name] = measure(base, lambda i: {"cookies": cookies[i]}, path, clients, requests)
                print(f"{name:22s} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
                      f"{r['per_s']:6.1f} 页/秒  （{r['requests']} 次，{clients} 个并发客户端，失败 {r['errors']}）")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            db_.dispose()
    return {"documents": len(ids), **out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicators", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", action="store_true", help="also the server time per page on PostgreSQL (--pg)")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=10, help="per client and page")
    ap.add_argument("--port", type=int, default=8766)
    args = ap.parse_args()
    out = {"first_render": first_render(args.indicators, args.runs)}
    if args.pages:
        out["pages"] = pages(args.pg, args.clients, args.requests, args.port)
    print(json.dumps({"web_render": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()
