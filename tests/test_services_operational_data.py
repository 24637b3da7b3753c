"""Operational data → actuals through the services, on SQLite and PostgreSQL: sources with a saved
mapping, imports all or nothing (GBK CSV, XLSX, bad rows reported by row number and reason),
metrics counted in SQL equal to a recount in Python, seed 000's indicators bound and computed,
values typed by hand over a bound one need a reason and are audited."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select

from jixiao.monitoring import metrics as mx
from jixiao.monitoring import records as rx
from jixiao.services import audit
from jixiao.services import editing
from jixiao.services import opdata_sql
from jixiao.services import operational_data as od
from jixiao.services.errors import Conflict
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.errors import NotFound
from jixiao.store import schema as db
from tests.flow_setup import region
from tests.opdata_records import MAPPINGS
from tests.opdata_records import METRICS
from tests.opdata_records import columns
from tests.opdata_records import generate
from tests.opdata_records import write_csv

UNITS = ["第一服务中心", "第二服务中心", "D"]  # two units by name, the department by its code
H1 = (date(2026, 1, 1), date(2026, 6, 30))


def _setup(database):
    r = region(database)
    ctx = r.ctx("finance")
    for name, mapping in MAPPINGS.items():
        od.save_source(ctx, org="R", name=name, mapping=mapping)
    for name, (source, definition) in METRICS.items():
        od.save_metric(ctx, org="R", name=name, source=source, definition=definition)
    return r


def _seed_indicators(r) -> tuple[int, dict[str, int]]:
    doc = r.load("000", org="D", year=2026)["id"]
    with r.db.session(write=False) as s:
        ts_id = s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc, db.TargetSet.position == 0))
    ts = editing.get_target_set(r.ctx("admin"), ts_id)
    return ts_id, {i["name"]: i["id"] for i in ts["indicators"]}


def _records(database) -> int:
    with database.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(db.OpRecord))


def _xlsx(path, source, records):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "话务明细"
    ws.append(["2026年12345热线话务明细"])  # a title row above the header, as exports have
    ws.append([])
    header = columns(source)
    ws.append(header)
    for rec in records:
        row = [rec[c] for c in header]
        row[0] = date.fromisoformat(rec[header[0]][:10])  # the date as a real date cell
        row[-1] = int(rec[header[-1]])  # and the duration as a number
        ws.append(row)
    wb.save(path)
    return path


def _in(day: date) -> bool:
    return H1[0] <= day <= H1[1]


def _pct(num: int, den: int) -> Decimal:
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_half_year_of_records_gives_seed_000s_indicators_exactly(database, tmp_path):
    r = _setup(database)
    ctx = r.ctx("finance")
    cases = list(generate("政务大厅办件", 3000, UNITS, seed=7))
    ratings = list(generate("好差评", 2000, UNITS, seed=8))
    calls = list(generate("12345热线", 1500, UNITS, seed=9))
    one = od.import_records(ctx, "政务大厅办件", write_csv(tmp_path / "办件.csv", "政务大厅办件", cases))
    two = od.import_records(ctx, "R/好差评", write_csv(tmp_path / "好差评.csv", "好差评", ratings, encoding="gbk"))
    three = od.import_records(ctx, "12345热线", _xlsx(tmp_path / "话务.xlsx", "12345热线", calls))
    assert (one["rows"], two["rows"], three["rows"]) == (3000, 2000, 1500)
    assert two["encoding"] == "gb18030" and three["encoding"] is None
    assert _records(database) == 6500

    ts_id, ids = _seed_indicators(r)
    od.bind_indicator(ctx, ids["政务大厅办件量"], "政务大厅办件量", scope="D")
    bound = od.bind_indicator(ctx, ids["政府服务好评率"], "好评率", scope="D")
    assert bound["formula"] == ("好评率 = 「评价结果」为「非常满意」或「满意」的记录数 ÷ 全部记录数 × 100%"
                                "（数据源「好差评」，按「日期」在统计期间内的记录）")
    values = od.bound_values(r.ctx("dept"), ts_id, date_from="2026-01-01", date_to="2026-06-30")
    by_name = {v["indicator"]["name"]: v for v in values["items"]}
    assert set(by_name) == {"政务大厅办件量", "政府服务好评率"}
    # the 监控表's read of them (values_of_target_set: four statements, not nine): the same values,
    # the same scope (a unit under the department does not see the department's target set)
    quick = od.values_of_target_set(r.ctx("dept"), ts_id, date_from="2026-01-01", date_to="2026-06-30")
    assert {i: v.as_dict() for i, v in quick.items()} == {
        v["indicator_id"]: {k: x for k, x in v.items() if k != "indicator"} for v in values["items"]}
    with pytest.raises(NotFound):
        od.values_of_target_set(r.ctx("unit1"), ts_id, date_from="2026-01-01", date_to="2026-06-30")

    h1_cases = [c for c in cases if _in(date.fromisoformat(c["受理日期"]))]
    assert by_name["政务大厅办件量"]["value"] == str(len(h1_cases)) and by_name["政务大厅办件量"]["records"] == len(h1_cases)
    h1_ratings = [x for x in ratings if _in(rx.parse_day(x["评价日期"]))]
    good = sum(x["评价结果"] in ("非常满意", "满意") for x in h1_ratings)
    rate = by_name["政府服务好评率"]
    assert rate["value"] == str(_pct(good, len(h1_ratings))) and rate["records"] == len(h1_ratings)
    assert rate["source"] == "data" and rate["override"] is None and rate["unit"] == "%"

    # the other metrics straight from SQL: 按时办结率 by 办结日期, 接通率, the sum of seconds
    with database.session(write=False) as s:
        src = s.scalar(select(db.OpSource).where(db.OpSource.name == "政务大厅办件"))
        mapping, _ = rx.parse_mapping(src.mapping)
        metric, _ = mx.parse_metric("按时办结率", METRICS["按时办结率"][1])
        agg = opdata_sql.aggregate(s, src.id, mapping, {"m": metric}, date_from=H1[0], date_to=H1[1])["m"]
    done = [c for c in cases if c["办理状态"] == "已办结" and _in(date.fromisoformat(c["办结日期"]))]
    assert (agg.records, agg.numerator) == (len(done), sum(c["是否按时办结"] == "是" for c in done))
    per_unit = od.metric_by_unit(ctx, "接通率", date_from="2026-01-01", date_to="2026-12-31")
    for item in per_unit["items"]:
        mine = [c for c in calls if c["承办单位"] in (item["org"]["name"], item["org"]["code"])]
        assert item["records"] == len(mine)
        assert item["value"] == str(_pct(sum(c["是否接通"] == "是" for c in mine), len(mine)))
    assert {i["org"]["code"] for i in per_unit["items"]} == {"U1", "U2", "D"}
    seconds = od.metric_by_unit(ctx, "通话总时长", date_from="2026-01-01", date_to="2026-12-31")
    assert sum(Decimal(i["value"]) for i in seconds["items"]) == sum(int(c["通话时长（秒）"]) for c in calls)

    # the year-end self-evaluation takes the bound values of the whole fiscal year, in the target's unit
    from jixiao.model.units import convert
    from jixiao.parse.values import parse_value
    from jixiao.services import selfevals
    pre = selfevals.prefill_from_monitoring(r.ctx("dept"), ts_id)
    assert pre["round"] is None  # never monitored: the data alone
    count = pre["bound"][str(ids["政务大厅办件量"])]
    year_cases = [c for c in cases if c["受理日期"].startswith("2026")]
    assert (count["from"], count["to"]) == ("2026-01-01", "2026-12-31") and count["records"] == len(year_cases)
    with database.session(write=False) as s:
        ind = s.get(db.Indicator, ids["政务大厅办件量"])
        target = parse_value(ind.target_text, ind.op_text, ind.unit_text)
    assert target.unit == "万件"  # 3,000 件 is 0.3 万件, not 3,000 万件
    assert Decimal(count["actual"]) == convert(Decimal(len(year_cases)), "件", "万件") == Decimal(len(year_cases)) / 10000
    assert pre["actuals"][str(ids["政务大厅办件量"])]["actual"] == count["actual"] and count["formula"]


def test_the_saved_mapping_is_applied_to_every_upload_and_a_file_is_taken_once(database, tmp_path):
    r = _setup(database)
    ctx = r.ctx("admin")
    jan = write_csv(tmp_path / "1月.csv", "好差评", generate("好差评", 50, UNITS, seed=1, end=date(2026, 1, 31)))
    feb = write_csv(tmp_path / "2月.csv", "好差评", generate("好差评", 60, UNITS, seed=2, start=date(2026, 2, 1),
                                                          end=date(2026, 2, 28)))
    first = od.import_records(ctx, "好差评", jan)
    second = od.import_records(ctx, "好差评", feb)
    assert (first["rows"], second["rows"]) == (50, 60)
    assert second["first_day"] >= "2026-02-01" and second["last_day"] <= "2026-02-28"
    with pytest.raises(Conflict) as again:
        od.import_records(ctx, "好差评", jan)
    assert again.value.code == "opdata_duplicate"
    source = od.get_source(ctx, "R/好差评")
    assert [i["rows"] for i in source["imports"]] == [60, 50]
    assert source["columns"][0] == {"field": "日期", "column": "评价日期", "type": "日期", "required": True}
    assert _records(database) == 110
    with pytest.raises(Forbidden):
        od.delete_import(r.ctx("auditor"), first["id"])
    dropped = od.delete_import(ctx, first["id"])  # a wrong January: removed, then uploaded again
    assert dropped["rows"] == 50 and _records(database) == 60
    assert od.import_records(ctx, "好差评", jan)["rows"] == 50 and _records(database) == 110
    assert audit.list_entries(ctx, object=f"op_import:{first['id']}")["items"][0]["action"] == "opdata.import.delete"


@pytest.mark.parametrize(("mapping", "reason"), [
    ({"unit": "单位"}, "缺少日期列（date）"),
    ({"date": "日期"}, "缺少单位列（unit）"),
    ({"date": "日期", "unit": "单位", "fields": [{"name": "金额", "column": "金额", "type": "money"}]},
     "字段“金额”的类型“money”未知（可选：text、number、bool、date）"),
    ({"date": "日期", "unit": "单位", "fields": [{"column": f"列{i}", "type": "number"} for i in range(3)]},
     "数值字段最多 2 个（“列2”超出）"),
])
def test_a_mapping_without_date_or_unit_or_with_a_bad_type_is_refused(database, mapping, reason):
    r = region(database)
    with pytest.raises(Invalid) as caught:
        od.save_source(r.ctx("admin"), org="R", name="办件", mapping=mapping)
    assert caught.value.code == "opdata_mapping_invalid"
    assert reason in [f["message"].removeprefix("字段映射：") for f in caught.value.detail["findings"]]


def _gbk_csv_with_bad_rows() -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(columns("政务大厅办件"))
    good = ["2026-03-01", "第一服务中心", "BJ1", "企业开办", "已办结", "2026-03-02", "是"]
    for i in range(8):
        w.writerow(good[:2] + [f"BJ{i}"] + good[3:])
    w.writerow(["2026-02-30", *good[1:]])  # line 10: no such day
    w.writerow([good[0], "第三服务中心", *good[2:]])  # line 11: not a unit under 测试市财政局
    w.writerow([*good[:2], "", *good[3:]])  # line 12: 办件编号 empty
    w.writerow([*good[:6], "也许"])  # line 13: not 是/否
    return out.getvalue().encode("gbk")


def test_an_import_with_bad_rows_stores_nothing_and_names_each_row_and_reason(database):
    r = _setup(database)
    with pytest.raises(Invalid) as caught:
        od.import_records(r.ctx("finance"), "政务大厅办件", _gbk_csv_with_bad_rows(), filename="3月办件.csv")
    error = caught.value
    assert error.code == "opdata_rows_invalid"
    assert error.message == "3月办件.csv 有 4 行无法导入（共 12 行），整个文件未导入；请改正后重新上传"
    assert [(e["location"], e["code"]) for e in error.detail["errors"]] == [
        ("3月办件.csv:10", "opdata-date-invalid"), ("3月办件.csv:11", "opdata-unit-unknown"),
        ("3月办件.csv:12", "opdata-value-missing"), ("3月办件.csv:13", "opdata-bool-invalid")]
    assert error.detail["errors"][1]["message"] == "第 11 行：单位“第三服务中心”不是测试市财政局或其下级单位的名称或编码"
    assert (error.detail["rows"], error.detail["error_rows"]) == (12, 4)
    assert _records(database) == 0
    with database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(db.OpImport)) == 0
        assert "opdata.import" not in {e.action for e in s.scalars(select(db.AuditEntry))}


def test_a_refused_import_lists_the_first_errors_and_counts_all(database, tmp_path):
    r = _setup(database)
    records = list(generate("好差评", 600, UNITS, seed=3))
    for x in records[100:]:
        x["评价日期"] = "上周三"
    with pytest.raises(Invalid) as caught:
        od.import_records(r.ctx("finance"), "好差评", write_csv(tmp_path / "x.csv", "好差评", records))
    detail = caught.value.detail
    assert (detail["rows"], detail["error_rows"], detail["listed"], len(detail["errors"])) == (600, 500, 200, 200)
    assert detail["errors"][0]["location"] == "x.csv:102"
    assert _records(database) == 0


def test_an_xlsx_with_a_bad_row_and_a_file_without_a_mapped_column_are_refused(database, tmp_path):
    r = _setup(database)
    calls = list(generate("12345热线", 30, UNITS, seed=4))
    path = _xlsx(tmp_path / "话务.xlsx", "12345热线", calls)
    wb = openpyxl.load_workbook(path)
    wb.active["E20"] = "三分钟"  # 通话时长 of the 17th call: row 20 of the sheet
    wb.save(path)
    with pytest.raises(Invalid) as caught:
        od.import_records(r.ctx("finance"), "12345热线", path)
    assert [(e["location"], e["message"]) for e in caught.value.detail["errors"]] == [
        ("话务.xlsx:20", "第 20 行：“通话时长（秒）”的值“三分钟”不是数值（最多 4 位小数）")]
    no_column = "评价日期,单位,评价结果\n2026-01-02,第一服务中心,满意\n".encode()
    with pytest.raises(Invalid) as caught:
        od.import_records(r.ctx("finance"), "好差评", no_column, filename="错表.csv")
    assert caught.value.code == "opdata_columns_missing"
    assert caught.value.message == "错表.csv 缺少映射所需的列：被评价单位、评价渠道"
    with pytest.raises(Invalid) as caught:
        od.import_records(r.ctx("finance"), "好差评", b"\x00\x01\x02 binary", filename="x.bin")
    assert caught.value.code == "opdata_unreadable"
    assert _records(database) == 0


def test_a_value_typed_over_a_bound_one_needs_a_reason_and_is_audited(database, tmp_path):
    r = _setup(database)
    ratings = list(generate("好差评", 400, UNITS, seed=5))
    od.import_records(r.ctx("finance"), "好差评", write_csv(tmp_path / "好差评.csv", "好差评", ratings))
    ts_id, ids = _seed_indicators(r)
    ind = ids["政府服务好评率"]
    with pytest.raises(Invalid):
        od.override_value(r.ctx("dept"), ind, date_from="2026-01-01", date_to="2026-06-30", value="96")
    with pytest.raises(Forbidden):
        od.bind_indicator(r.ctx("auditor"), ind, "好评率", scope="D")
    with pytest.raises(Invalid) as caught:
        od.override_value(r.ctx("dept"), ind, date_from="2026-01-01", date_to="2026-06-30", value="96", reason="x")
    assert caught.value.code == "not_bound"
    od.bind_indicator(r.ctx("dept"), ind, "好评率")  # the document's own organisation: 行政审批服务局 (D)
    before = od.bound_values(r.ctx("dept"), ts_id, date_from="2026-01-01", date_to="2026-06-30")["items"][0]
    with pytest.raises(Invalid) as caught:
        od.override_value(r.ctx("dept"), ind, date_from="2026-01-01", date_to="2026-06-30", value="96", reason="  ")
    assert caught.value.code == "reason_required"
    with pytest.raises(Forbidden):
        od.override_value(r.ctx("finance"), ind, date_from="2026-01-01", date_to="2026-06-30", value="96",
                          reason="抽查")
    typed = od.override_value(r.ctx("dept"), ind, date_from="2026-01-01", date_to="2026-06-30", value="96%",
                              reason="系统 5 月停机两周，按纸质评价表补计")
    assert (typed["value"], typed["computed"], typed["source"]) == ("96", before["value"], "manual")
    assert typed["override"]["reason"] == "系统 5 月停机两周，按纸质评价表补计"
    other_period = od.bound_values(r.ctx("dept"), ts_id, date_from="2026-01-01", date_to="2026-03-31")["items"][0]
    assert other_period["source"] == "data"
    entries = audit.list_entries(r.ctx("admin"), object=f"indicator:{ind}")["items"]
    assert entries[0]["action"] == "opdata.override" and entries[0]["user"] == "dept"
    assert entries[0]["before"] == {"computed": before["value"], "records": before["records"]}
    assert entries[0]["after"]["value"] == "96" and entries[0]["comment"] == "系统 5 月停机两周，按纸质评价表补计"
    back = od.override_value(r.ctx("dept"), ind, date_from="2026-01-01", date_to="2026-06-30", value=None)
    assert (back["value"], back["source"]) == (before["value"], "data")


# ---- the SQL count equals a recount in Python over random records ------------------------------

VALUES = ("好评", "中评", "差评", "")
FLAGS = ("是", "否", "")
_records_st = st.lists(st.tuples(st.integers(0, 59), st.sampled_from(VALUES), st.sampled_from(FLAGS),
                                 st.integers(0, 10**6), st.sampled_from(["第一服务中心", "第二服务中心"])),
                       min_size=0, max_size=40)
_condition_st = st.one_of(
    st.tuples(st.just("结果"), st.sampled_from(["eq", "ne"]), st.sampled_from(VALUES[:3]).map(lambda v: (v,))),
    st.tuples(st.just("结果"), st.just("in"), st.lists(st.sampled_from(VALUES[:3]), min_size=1, max_size=2).map(tuple)),
    st.tuples(st.sampled_from(["结果", "按时"]), st.sampled_from(["present", "absent"]), st.just(())),
    st.tuples(st.just("按时"), st.sampled_from(["true", "false"]), st.just(())),
)
MAPPING = {"date": "日期", "unit": "单位", "fields": [{"name": "结果", "column": "结果"},
                                                  {"name": "按时", "column": "按时", "type": "bool"},
                                                  {"name": "金额", "column": "金额", "type": "number"}]}
_counter = iter(range(10**6))


def _holds(cond: tuple, rec: dict) -> bool:
    field, op, values = cond
    value = rec[field]
    return {"eq": lambda: value == values[0], "ne": lambda: value != values[0], "in": lambda: value in values,
            "true": lambda: value is True, "false": lambda: value is False,
            "present": lambda: value is not None, "absent": lambda: value is None}[op]()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_records_st, where=st.lists(_condition_st, max_size=2), numerator=st.lists(_condition_st, min_size=1,
                                                                                        max_size=2),
       window=st.tuples(st.integers(0, 59), st.integers(0, 59)))
def test_ratio_count_and_sum_equal_a_recount_in_python(database, rows, where, numerator, window):
    r = region(database) if not hasattr(database, "_opdata_region") else database._opdata_region
    database._opdata_region = r
    name = f"随机{next(_counter)}"
    od.save_source(r.ctx("admin"), org="R", name=name, mapping=MAPPING)
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(["日期", "单位", "结果", "按时", "金额"])
    for day, value, flag, cents, unit in rows:
        w.writerow([date.fromordinal(date(2026, 1, 1).toordinal() + day).isoformat(), unit, value, flag,
                    f"{cents / 100:.2f}"])
    if rows:
        od.import_records(r.ctx("admin"), name, text.getvalue().encode(), filename=f"{name}.csv")
    start = date.fromordinal(date(2026, 1, 1).toordinal() + min(window))
    end = date.fromordinal(date(2026, 1, 1).toordinal() + max(window))
    as_dicts = lambda conds: [{"field": f, "op": op, "values": list(v)} for f, op, v in conds]  # noqa: E731
    ratio, _ = mx.parse_metric("比率", {"kind": "ratio", "where": as_dicts(where), "numerator": as_dicts(numerator)})
    total, _ = mx.parse_metric("合计", {"kind": "sum", "field": "金额", "where": as_dicts(where)})
    with database.session(write=False) as s:
        source_id = s.scalar(select(db.OpSource.id).where(db.OpSource.name == name))
        mapping, _ = rx.parse_mapping(MAPPING)
        aggs = opdata_sql.aggregate(s, source_id, mapping, {"r": ratio, "s": total}, date_from=start, date_to=end)
    recs = [{"结果": v or None, "按时": {"是": True, "否": False}.get(f), "金额": Decimal(c) / 100,
             "day": date.fromordinal(date(2026, 1, 1).toordinal() + d)} for d, v, f, c, _u in rows]
    base = [x for x in recs if start <= x["day"] <= end and all(_holds(c, x) for c in where)]
    num = [x for x in base if all(_holds(c, x) for c in numerator)]
    assert (aggs["r"].records, aggs["r"].numerator) == (len(base), len(num))
    value, findings = mx.value(ratio, aggs["r"])
    assert value == (_pct(len(num), len(base)) if base else None)
    assert [f.code for f in findings] == ([] if base else ["opdata-ratio-no-records"])
    assert mx.value(total, aggs["s"])[0] == sum((x["金额"] for x in base), Decimal(0))


def test_a_mapping_changed_after_imports_keeps_each_fields_stored_values(database, tmp_path):
    r = _setup(database)
    ctx = r.ctx("admin")
    ratings = list(generate("好差评", 120, UNITS, seed=6))
    od.import_records(ctx, "好差评", write_csv(tmp_path / "好差评.csv", "好差评", ratings))
    period = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    before = od.metric_by_unit(ctx, "好评率", **period)["items"]
    changed = {**MAPPINGS["好差评"], "fields": [{"name": "评价人", "column": "评价人"}, *MAPPINGS["好差评"]["fields"]]}
    saved = od.save_source(ctx, org="R", name="好差评", mapping=changed)
    slots = {f["name"]: f["slot"] for f in saved["mapping"]["fields"]}
    assert slots == {"评价人": "t3", "评价结果": "t1", "评价渠道": "t2"}  # the stored fields keep their columns
    assert od.metric_by_unit(ctx, "好评率", **period)["items"] == before
    retyped = {**MAPPINGS["好差评"], "fields": [{"name": "评价结果", "column": "评价结果", "type": "number"}]}
    with pytest.raises(Invalid) as caught:
        od.save_source(ctx, org="R", name="好差评", mapping=retyped)
    assert "字段“评价结果”已有导入的记录，不能由文本改为数值（可另起一个字段名）" in caught.value.message


def test_a_refused_file_is_checked_without_taking_the_write_lock(database):
    """While another transaction holds the write lock (SQLite's one lock; on PostgreSQL the record
    tables locked against writes), a file with bad rows is still read, checked and refused."""
    r = _setup(database)
    with database.engine.connect() as other:
        other.begin()  # on SQLite: BEGIN IMMEDIATE, the database's write lock
        if database.engine.dialect.name == "postgresql":
            other.exec_driver_sql("LOCK TABLE op_records, op_imports IN EXCLUSIVE MODE")
        with pytest.raises(Invalid) as caught:
            od.import_records(r.ctx("finance"), "政务大厅办件", _gbk_csv_with_bad_rows(), filename="3月办件.csv")
        assert caught.value.detail["error_rows"] == 4
        other.rollback()
    assert _records(database) == 0


def test_a_workbook_is_read_from_the_sheet_that_holds_the_header(database, tmp_path):
    r = _setup(database)
    calls = list(generate("12345热线", 25, UNITS, seed=12))
    path = _xlsx(tmp_path / "话务.xlsx", "12345热线", calls)
    wb = openpyxl.load_workbook(path)
    cover = wb.create_sheet("填表说明", 0)  # a notes sheet before the data, as exports have
    cover.append(["本表由 12345 热线系统导出，每月 5 日前上传"])
    wb.save(path)
    result = od.import_records(r.ctx("finance"), "12345热线", path)
    assert result["rows"] == 25 and _records(database) == 25
