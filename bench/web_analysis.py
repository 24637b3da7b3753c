"""Server time of the 总览 / 绩效自评 / 规则 services on the 20,000-project PostgreSQL database.

``python bench/web_analysis.py --pg postgresql://postgres@127.0.0.1:5432/postgres``: uses the
database ``jixiao_bench_api`` that ``bench/api_load.py`` fills (run that first), read only, as a
finance reviewer of the whole region (every query scoped, as a real user's is), and prints the
median and the slowest of ``--runs`` calls of each service the pages call, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from jixiao.services import catalogue  # noqa: E402
from jixiao.services import dashboard  # noqa: E402
from jixiao.services import findings  # noqa: E402
from jixiao.services import overview  # noqa: E402
from jixiao.services.context import Actor  # noqa: E402
from jixiao.services.context import Ctx  # noqa: E402
from jixiao.store import schema as db  # noqa: E402
from jixiao.store.db import Database  # noqa: E402
from jixiao.store.db import normalise_url  # noqa: E402

NAME = "jixiao_bench_api"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    database = Database(normalise_url(args.pg).rsplit("/", 1)[0] + "/" + NAME)
    with database.session(write=False) as s:
        region = s.scalar(select(db.Org).where(db.Org.level == "region").order_by(db.Org.id).limit(1))
        dept = s.scalar(select(db.Org.id).where(db.Org.level == "department").order_by(db.Org.id).limit(1))
        year = s.scalar(select(func.max(db.Document.year)))
        sets = s.scalar(select(func.count(db.TargetSet.id)))
    if region is None:
        raise SystemExit(f"{NAME} is empty: run bench/api_load.py first")
    ctx = Ctx(database, Actor(user_id=None, username="bench", role="finance_reviewer", org_id=region.id,
                              org_path=region.path))
    calls = {
        "dashboard(year)": lambda: dashboard.dashboard(ctx, year=year),
        "dashboard(all years)": lambda: dashboard.dashboard(ctx),
        "department_years": lambda: dashboard.department_years(ctx, dept),
        "org_tree (the scope select)": lambda: overview.org_tree(ctx),
        "list_self_evaluations": lambda: dashboard.list_self_evaluations(ctx, year=year),
        "list_findings(code)": lambda: findings.list_findings(ctx, year=year, code="targets-weight-total", limit=50),
        "findings_catalogue": lambda: catalogue.findings_catalogue(ctx),
        "review_profiles": lambda: catalogue.review_profiles(ctx),
    }
    result = {"target_sets": sets}
    print(f"{NAME}: {sets} target sets, year {year}, scope {region.name}")
    for name, call in calls.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        result[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
        print(f"{name:32} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
