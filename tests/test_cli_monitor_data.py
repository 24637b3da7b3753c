"""``jixiao monitor data …`` on a real database: a source from a TOML mapping, a GBK upload, a
refused upload listing each row's reason (exit 1, nothing stored), a metric, a binding of seed
000's 好评率 and its value over the half year, a value typed by hand with its reason."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func
from sqlalchemy import select
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.store import schema as db
from tests.flow_setup import region

runner = CliRunner()
MAPPING = """date = "评价日期"
unit = "被评价单位"

[[fields]]
name = "评价结果"
column = "评价结果"
type = "文本"
required = true
"""


def _invoke(database, *args):
    return runner.invoke(app, ["monitor", "data", *args], env={"JIXIAO_DATABASE_URL": database.url, "CI": "1"})


def test_a_source_an_upload_a_binding_and_a_typed_value_from_the_command_line(database, tmp_path):
    r = region(database)
    doc = r.load("000", org="D", year=2026)["id"]
    with database.session(write=False) as s:
        ts_id = s.scalar(select(db.TargetSet.id).where(db.TargetSet.document_id == doc, db.TargetSet.position == 0))
        ind = s.scalar(select(db.Indicator.id).where(db.Indicator.target_set_id == ts_id,
                                                     db.Indicator.name == "政府服务好评率"))
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    made = _invoke(database, "source", "set", "R", "好差评", "--mapping", str(tmp_path / "map.toml"))
    assert made.exit_code == 0, made.output
    assert "评价结果  ← 列“评价结果”  文本  必填" in made.output

    rows = ["评价日期,被评价单位,评价结果"] + [f"2026-0{m}-1{d},{u},{v}" for m in (1, 3, 7) for d in range(3)
                                               for u, v in (("第一服务中心", "满意"), ("U2", "不满意"), ("D", "满意"))]
    (tmp_path / "好差评.csv").write_bytes("\n".join(rows).encode("gbk"))
    imported = _invoke(database, "import", "R/好差评", str(tmp_path / "好差评.csv"))
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip() == "已导入 好差评.csv：27 条记录，日期 2026-01-10 至 2026-07-12"

    (tmp_path / "坏.csv").write_text("评价日期,被评价单位,评价结果\n2026-04-31,U1,满意\n2026-04-01,U9,满意\n",
                                     encoding="utf-8")
    refused = _invoke(database, "import", "好差评", str(tmp_path / "坏.csv"))
    assert refused.exit_code == 1
    assert "坏.csv:2: 第 2 行：“评价日期”的值“2026-04-31”不是日期" in refused.output
    assert "坏.csv:3: 第 3 行：单位“U9”不是测试市财政局或其下级单位的名称或编码" in refused.output
    assert "坏.csv 有 2 行无法导入（共 2 行），整个文件未导入" in refused.output
    with database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(db.OpRecord)) == 27

    metric = _invoke(database, "metric", "set", "R", "好评率", "好差评", "-d",
                     '{"kind": "ratio", "numerator": {"评价结果": "满意"}}')
    assert metric.exit_code == 0, metric.output
    assert "好评率 = 「评价结果」为「满意」的记录数 ÷ 全部记录数 × 100%" in metric.output
    assert _invoke(database, "bind", str(ind), "好评率", "--scope", "D").exit_code == 0
    values = _invoke(database, "values", str(ts_id), "--from", "2026-01-01", "--to", "2026-06-30", "--json")
    (item,) = json.loads(values.output)["items"]
    assert (item["value"], item["records"]) == ("66.67", 18)  # 12 of the 18 half-year ratings are 满意

    no_reason = _invoke(database, "override", str(ind), "95", "--from", "2026-01-01", "--to", "2026-06-30")
    assert no_reason.exit_code == 1 and "须说明原因" in no_reason.output
    typed = _invoke(database, "override", str(ind), "95", "--from", "2026-01-01", "--to", "2026-06-30",
                    "--reason", "3 月系统故障，按纸质评价补计")
    assert typed.exit_code == 0 and typed.output.strip() == f"指标 {ind}：95%（手工填写，计算值 66.67）"

    # `monitor fill` takes the bound value as the web 监控表 does: the records' value to date where none
    # is entered; a different value typed over it needs its reason (data_reason) and is stored as an override
    from tests.monitoring_world import approve
    approve(database, doc, r.actors["dept"], r.actors["finance"])
    cli = lambda *args: runner.invoke(app, ["monitor", *args], env={"JIXIAO_DATABASE_URL": database.url, "CI": "1"})  # noqa: E731
    opened = cli("open", "R", "2026", "2026-07-31", "--json")
    assert opened.exit_code == 0, opened.output
    with database.session(write=False) as s:
        sheet_id = s.scalar(select(db.MonitoringSheet.id).where(db.MonitoringSheet.target_set_id == ts_id))
    filled = cli("fill", str(sheet_id), "--spent", "1", "--json")
    assert filled.exit_code == 0, filled.output
    entry = next(e for e in json.loads(filled.output)["entries"] if e["indicator_id"] == ind)
    assert entry["to_date"] == "66.67"  # 18 满意 of the 27 ratings up to 7月31日
    refused = cli("fill", str(sheet_id), "-e", f"{ind}.to_date=70")
    assert refused.exit_code != 0 and "须说明原因" in refused.output
    typed = cli("fill", str(sheet_id), "-e", f"{ind}.to_date=70", "-e", f"{ind}.data_reason=补录纸质评价", "--json")
    assert typed.exit_code == 0, typed.output
    assert next(e for e in json.loads(typed.output)["entries"] if e["indicator_id"] == ind)["to_date"] == "70"
    with database.session(write=False) as s:
        o = s.scalar(select(db.OpOverride).where(db.OpOverride.indicator_id == ind,
                                                 db.OpOverride.date_to == date(2026, 7, 31)))
        assert o is not None and o.reason == "补录纸质评价"
