"""The 绩效自评 page with an indicator bound to operational data, without a browser (issue 11 §4):
the fiscal year's value from the records in the target's unit (130 件 against ≥30万件 is 0.013 万件),
the number of records and the formula; a different value typed over it is refused without a reason
(422, the reason asked at the field, nothing stored) and stored as an audited override with one. On
SQLite, and on PostgreSQL when JIXIAO_TEST_PG_URL is set."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from jixiao.services import operational_data
from jixiao.services.context import SYSTEM
from jixiao.services.context import Ctx
from jixiao.services.demo import create_demo
from jixiao.store import schema as db
from tests.conftest import seed
from tests.monitoring_web import PASSWORDS
from tests.monitoring_web import SOURCE
from tests.monitoring_web import prepare
from tests.monitoring_web import records_csv
from tests.test_web_monitoring_refusals import _client

DATA = seed("000").parents[1]
BOUND = "受理、办结全市政务服务事项数量"  # target ≥30万件


def test_the_self_evaluation_takes_the_years_value_from_the_data(database):
    create_demo(database, DATA)
    prepare(database)
    system = Ctx(database, SYSTEM)
    with database.session(write=False) as s:
        yj = s.scalar(select(db.Org).where(db.Org.code == "HN-YJ"))
        whole = s.scalar(select(db.TargetSet).join(db.Document, db.Document.id == db.TargetSet.document_id)
                         .where(db.Document.org_id == yj.id, db.TargetSet.project.is_(None)))
        ind = s.scalar(select(db.Indicator).where(db.Indicator.target_set_id == whole.id, db.Indicator.name == BOUND))
        ind_id, ts_id = ind.id, whole.id
    operational_data.bind_indicator(system, ind_id, "政务大厅办件量")
    operational_data.import_records(system, f"HN-YJ/{SOURCE}", records_csv(130, "HN-YJ"), filename="办件.csv")

    filer = _client(database, "yj_filer", PASSWORDS["yj_filer"])
    url = f"/target-sets/{ts_id}/self-evaluation"
    page = filer.get(url)
    assert page.status_code == 200
    cell = html.unescape(re.search(rf'<div class="se-data small" id="data-{ind_id}">(.*?)</td>', page.text,
                                   re.S).group(1))
    text = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    # 130 件 over 2023 in 万件, the target's unit: never 130 against 30
    assert "业务数据： 0.013 万件" in text and "130 条记录，2023-01-01 至 2023-12-31" in text
    assert "按 130 件 换算" in text and "政务大厅办件量 = " in text
    assert re.search(rf'name="actual-{ind_id}" id="actual-{ind_id}" value="0.013"', page.text)

    fields = {"profile": "default", f"actual-{ind_id}": "35"}
    refused = filer.post(url, data=fields)
    assert refused.status_code == 422
    assert re.search(rf'id="data-error-{ind_id}" role="alert">[^<]*须说明原因', refused.text)
    assert re.search(rf'name="actual-{ind_id}" id="actual-{ind_id}" value="35"', refused.text)  # kept, not stored
    with database.session(write=False) as s:
        assert s.scalar(select(db.OpOverride).where(db.OpOverride.indicator_id == ind_id)) is None
        assert s.scalar(select(db.SelfEvaluation).where(db.SelfEvaluation.target_set_id == ts_id)) is None

    saved = filer.post(url, data={**fields, f"data_reason-{ind_id}": "含线下窗口办件"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with database.session(write=False) as s:
        o = s.scalar(select(db.OpOverride).where(db.OpOverride.indicator_id == ind_id))
        assert o.reason == "含线下窗口办件" and str(o.date_from) == "2023-01-01" and str(o.date_to) == "2023-12-31"
        assert o.value == 350000  # 35 万件 kept in the metric's unit, 件
        assert s.scalar(select(db.AuditEntry.id).where(db.AuditEntry.action == "opdata.override"))
    again = filer.get(url).text
    assert "已手工填写" in again and "含线下窗口办件" in again
