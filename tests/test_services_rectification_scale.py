"""整改 tasks at scale and across years, on SQLite and PostgreSQL (the demo region, tests/monitoring_world.py):
``rectification.list_tasks`` gives exactly what the task-by-task build gave (each task's sheet,
target set, round, indicator and owner looked up one by one — written out below as the reference)
in a number of SQL statements that does not grow with the tasks (3 tasks and 30 tasks: the same
count), one page of them with the total; an open task of the 2023 round is named on a 2024 page
(``open_in_other_years``) and stays on the 工作台 (``waiting``) with its deadline until closed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy import select

from jixiao.monitoring.profiles import LEVEL_LABELS
from jixiao.services import monitoring
from jixiao.services import rectification
from jixiao.services.monitoring import _label
from jixiao.services.monitoring import owner_of
from jixiao.store import schema as db
from tests.monitoring_world import ctx
from tests.monitoring_world import hunan_region


@pytest.fixture
def hunan(database):
    return hunan_region(database)


def reference(database, task_ids: list[int]) -> list[dict]:
    """The tasks as the task-by-task build (before the bulk load) made them."""
    out = []
    with database.session(write=False) as session:
        for ident in task_ids:
            t = session.get(db.RectificationTask, ident)
            sheet = session.get(db.MonitoringSheet, t.sheet_id)
            ts = session.get(db.TargetSet, sheet.target_set_id)
            org = session.get(db.Org, t.org_id)
            indicator = session.get(db.Indicator, t.indicator_id) if t.indicator_id else None
            r = session.get(db.MonitoringRound, sheet.round_id)
            out.append({
                "id": t.id, "sheet_id": t.sheet_id,
                "round": {"id": r.id, "title": r.title, "as_of": r.as_of.isoformat()},
                "org": {"id": org.id, "name": org.name, "code": org.code},
                "target_set": {"id": ts.id, "label": _label(ts)},
                "indicator": None if indicator is None else {"id": indicator.id, "name": indicator.name,
                                                             "target_text": indicator.target_text},
                "item": indicator.name if indicator else "资金执行",
                "code": t.code, "level": t.level, "level_label": LEVEL_LABELS.get(t.level, t.level),
                "description": t.description, "owner": t.owner, "owner_id": t.owner_id,
                **owner_of(session, t), "deadline": t.deadline.isoformat(),
                "overdue": t.state == "open" and t.deadline < date.today(),
                "state": t.state, "state_label": rectification.STATES[t.state], "measure": t.measure,
                "opened_at": t.opened_at.isoformat() if t.opened_at else None,
                "closed_at": t.closed_at.isoformat() if t.closed_at else None,
            })
    return out


class Statements:
    """Counts the SQL statements sent on the engine while inside ``with``."""

    def __init__(self, database) -> None:
        self.engine, self.count = database.engine, 0

    def _seen(self, *_args, **_kw) -> None:
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def flag_everything(database, round_id: int) -> list[tuple[int, int | None, str]]:
    """Every indicator (and the money) of every sheet of the round red; the items as (sheet, indicator,
    owner: the department manager of the sheet's department)."""
    items = []
    with database.session() as s:
        sheets = s.scalars(select(db.MonitoringSheet).where(db.MonitoringSheet.round_id == round_id)
                           .order_by(db.MonitoringSheet.id)).all()
        for sheet in sheets:
            code = s.get(db.Org, sheet.org_id).code
            owner = "yj_dept" if code.startswith("HN-YJ") else "sf_dept"
            ids = s.scalars(select(db.Indicator.id).where(db.Indicator.target_set_id == sheet.target_set_id)
                            .order_by(db.Indicator.id)).all()
            sheet.warnings = [{"code": "monitoring-execution-behind", "indicator": None, "level": "red",
                               "message": "资金执行进度滞后"}] + [
                {"code": "monitoring-indicator-off-target", "indicator": i, "level": "amber" if i % 2 else "red",
                 "message": f"指标 {i} 偏离目标"} for i in ids]
            items += [(sheet.id, None, owner)] + [(sheet.id, i, owner) for i in ids]
    return items


def test_the_list_is_the_same_in_a_constant_number_of_statements(hunan):
    database, who, _docs = hunan
    fin = ctx(database, who["finance"])
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    everything = flag_everything(database, r["id"])
    items = [i for i in everything if i[2] == "yj_dept"][:25] + [i for i in everything if i[2] == "sf_dept"][:5]
    assert len(items) == 30

    def open_tasks(chosen):
        for n, (sheet, indicator, owner) in enumerate(chosen):
            rectification.open_task(fin, sheet, indicator_id=indicator, owner=owner,
                                    deadline="2099-12-31" if n % 3 else "2023-09-30")

    def listed():
        with Statements(database) as counted:
            got = rectification.list_tasks(fin, round_id=r["id"])
        return got, counted.count

    open_tasks(items[:3])
    rectification.list_tasks(fin, round_id=r["id"])  # the connection warmed
    few, few_statements = listed()
    assert few["total"] == 3 and few["items"] == reference(database, [t["id"] for t in few["items"]])

    open_tasks(items[3:30])
    # one task closed, one owner with a display name: the list says them as before
    closed = rectification.close_task(ctx(database, who["yj"]), few["items"][-1]["id"], measure="已整改")
    with database.session() as s:
        s.scalar(select(db.User).where(db.User.username == "sf_dept")).display_name = "王五"
    many, many_statements = listed()
    assert many["total"] == len(many["items"]) == 30
    assert many["items"] == reference(database, [t["id"] for t in many["items"]])
    assert [t["state"] for t in many["items"]] == ["open"] * 29 + ["closed"]  # open first, by deadline
    assert many["items"][-1]["id"] == closed["id"]
    renamed = [t for t in many["items"] if t["owner"] == "sf_dept"]
    assert len(renamed) == 5 and all(t["owner_name"] == "王五" and t["owner_label"].startswith("王五（") for t in renamed)
    assert many_statements == few_statements <= 3, (few_statements, many_statements)

    # one task (as open_task / get_task answer it) is the same as in the list
    assert rectification.get_task(fin, many["items"][5]["id"]) == many["items"][5]

    # one page of them: the same tasks as the whole list's slice, with the total, same statements + count
    with Statements(database) as counted:
        page = rectification.list_tasks(fin, round_id=r["id"], limit=10, offset=10)
    assert page["total"] == 30 and page["items"] == many["items"][10:20]
    assert (page["limit"], page["offset"]) == (10, 10)
    assert counted.count == many_statements + 1
    assert rectification.list_tasks(fin, round_id=r["id"], state="open", limit=50)["total"] == 29

    # 沅江 sees its own only, however the list is loaded
    mine = rectification.list_tasks(ctx(database, who["yj"]), round_id=r["id"])["items"]
    assert mine and all(t["org"]["code"].startswith("HN-YJ") for t in mine)
    assert len(mine) == sum(1 for t in many["items"] if t["org"]["code"].startswith("HN-YJ"))


def test_an_open_task_of_last_year_is_not_lost(hunan):
    database, who, _docs = hunan
    fin, yj, sf = ctx(database, who["finance"]), ctx(database, who["yj"]), ctx(database, who["sf"])
    r = monitoring.open_round(fin, org="HN", year=2023, as_of="2023-06-30")
    items = flag_everything(database, r["id"])
    ours = [i for i in items if i[2] == "yj_dept"][:4]
    theirs = [i for i in items if i[2] == "sf_dept"][:1]
    opened = [rectification.open_task(fin, sheet, indicator_id=ind, owner=owner, deadline=deadline)
              for (sheet, ind, owner), deadline in zip(ours + theirs, ["2023-09-30", "2099-06-30", "2099-03-31",
                                                                      "2099-12-31", "2023-10-31"], strict=True)]
    rectification.close_task(yj, opened[3]["id"], measure="已整改")

    # the 2024 整改 page has none of its own and says 2023 has open ones (one overdue)
    assert rectification.list_tasks(yj, year=2024)["total"] == 0
    assert rectification.open_in_other_years(yj, 2024) == [{"year": 2023, "count": 3, "overdue": 1}]
    assert rectification.open_in_other_years(fin, 2024) == [{"year": 2023, "count": 4, "overdue": 2}]
    assert rectification.open_in_other_years(sf, 2024) == [{"year": 2023, "count": 1, "overdue": 1}]
    assert rectification.open_in_other_years(yj, 2023) == []  # the year shown says them itself
    assert rectification.open_in_other_years(yj, None) == []  # every year shown

    # the 工作台, whatever the year: 沅江's open tasks of every year, the earliest deadline first
    waiting = rectification.waiting(yj, today=date(2024, 3, 1))
    assert (waiting["total"], waiting["mine"], waiting["overdue"]) == (3, 3, 1)
    assert [t["id"] for t in waiting["items"]] == [opened[0]["id"], opened[2]["id"], opened[1]["id"]]
    first = waiting["items"][0]
    assert first["year"] == 2023 and first["deadline"] == "2023-09-30" and first["overdue"] is True
    assert first["days_left"] == (date(2023, 9, 30) - date(2024, 3, 1)).days and first["mine"] is True
    # the reviewer sees the region's, the owner's own first: none are the reviewer's
    region = rectification.waiting(fin, limit=2, today=date(2024, 3, 1))
    assert (region["total"], region["mine"], region["overdue"]) == (4, 0, 2) and len(region["items"]) == 2
    assert [t["deadline"] for t in region["items"]] == ["2023-09-30", "2023-10-31"]
    # closed, it goes
    rectification.close_task(yj, opened[0]["id"], measure="增设窗口")
    assert rectification.waiting(yj)["total"] == 2
    assert rectification.open_in_other_years(yj, 2024) == [{"year": 2023, "count": 2, "overdue": 0}]
