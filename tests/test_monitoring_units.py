"""A 监控表 indicator bound to a count meets its target in the target's unit (issue 11): 130 办件
records against ``≥30万件`` are 130 / 300,000 = 0.04% done, not 433.33% (130 read as 万件). Through
the services on the demo region, SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from jixiao.services import monitoring
from jixiao.services import monitoring_data
from jixiao.services import operational_data
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.demo import create_demo
from jixiao.store import schema as db
from tests.conftest import seed
from tests.monitoring_web import SOURCE
from tests.monitoring_web import _actor
from tests.monitoring_web import prepare
from tests.monitoring_web import records_csv

DATA = seed("000").parents[1]
BOUND = "受理、办结全市政务服务事项数量"  # target ≥30万件


def test_a_count_in_jian_against_a_target_in_wan_jian(database):
    create_demo(database, DATA)
    prepare(database)
    system = Ctx(database, SYSTEM)
    with database.session(write=False) as s:
        yj = s.scalar(select(db.Org).where(db.Org.code == "HN-YJ"))
        whole = s.scalar(select(db.TargetSet).join(db.Document, db.Document.id == db.TargetSet.document_id)
                         .where(db.Document.org_id == yj.id, db.TargetSet.project.is_(None)))
        ind = s.scalar(select(db.Indicator.id).where(db.Indicator.target_set_id == whole.id,
                                                     db.Indicator.name == BOUND))
        whole_id = whole.id
    operational_data.bind_indicator(system, ind, "政务大厅办件量")
    operational_data.import_records(system, f"HN-YJ/{SOURCE}", records_csv(130, "HN-YJ"), filename="办件.csv")
    fin, dept = Ctx(database, _actor(database, "fin")), Ctx(database, _actor(database, "yj_dept"))
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    sheet_id = next(s["id"] for s in monitoring.get_round(dept, r["id"])["sheets"] if s["target_set_id"] == whole_id)

    filled = monitoring_data.fill_sheet(dept, sheet_id, {"spent": "1"}, take_bound=True)
    line = next(e for e in filled["entries"] if e["indicator_id"] == ind)
    assert line["target_text"].startswith("≥30") and line["to_date"] == "130"
    assert line["progress"] == "0.04%"  # 130 件 of 300,000 件
    # a value typed in 万件 is read in 万件: 15万件 is half the target (with its reason: it differs from the data)
    typed = monitoring_data.fill_sheet(dept, sheet_id, {"entries": {str(ind): {"to_date": "15万件"}}},
                                       reasons={str(ind): "含线下办件"})
    assert next(e for e in typed["entries"] if e["indicator_id"] == ind)["progress"] == "50.00%"
