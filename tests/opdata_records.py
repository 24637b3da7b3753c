"""Generated operational records as the systems export them, for the operational data tests and
bench/opdata_import.py: 政务大厅办件 (受理/办结 dates, 办理状态, 是否按时办结), 好差评 (评价结果,
渠道) and 12345 热线 (呼入时间 with a time, 是否接通, 通话时长, 工单类型); their column mappings
and the metrics of the seeds' indicators (办件量, 好评率, 按时办结率, 接通率)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date
from datetime import timedelta
from pathlib import Path

MAPPINGS = {
    "政务大厅办件": {"date": "受理日期", "unit": "办理单位", "fields": [
        {"name": "办件编号", "column": "办件编号", "type": "text", "required": True},
        {"name": "事项名称", "column": "事项名称", "type": "text"},
        {"name": "办理状态", "column": "办理状态", "type": "text", "required": True},
        {"name": "办结日期", "column": "办结日期", "type": "date"},
        {"name": "是否按时办结", "column": "是否按时办结", "type": "bool"},
    ]},
    "好差评": {"date": "评价日期", "unit": "被评价单位", "fields": [
        {"name": "评价结果", "column": "评价结果", "type": "text", "required": True},
        {"name": "评价渠道", "column": "评价渠道", "type": "text"},
    ]},
    "12345热线": {"date": "呼入时间", "unit": "承办单位", "fields": [
        {"name": "工单类型", "column": "工单类型", "type": "text"},
        {"name": "是否接通", "column": "是否接通", "type": "bool", "required": True},
        {"name": "通话时长", "column": "通话时长（秒）", "type": "number"},
    ]},
}

METRICS = {  # name → (source, definition)
    "政务大厅办件量": ("政务大厅办件", {"kind": "count", "unit": "件"}),
    "办结件数": ("政务大厅办件", {"kind": "count", "where": {"办理状态": "已办结"}, "date_field": "办结日期"}),
    "按时办结率": ("政务大厅办件", {"kind": "ratio", "where": {"办理状态": "已办结"},
                                "numerator": {"是否按时办结": True}, "date_field": "办结日期"}),
    "好评率": ("好差评", {"kind": "ratio", "numerator": {"评价结果": ["非常满意", "满意"]}}),
    "接通率": ("12345热线", {"kind": "ratio", "numerator": {"是否接通": True}}),
    "通话总时长": ("12345热线", {"kind": "sum", "field": "通话时长", "where": {"是否接通": True}, "unit": "秒"}),
}

RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
CHANNELS = ("窗口", "网上", "移动端", "电话")
MATTERS = ("企业开办", "不动产登记", "社保卡申领", "施工许可", "个体工商户登记")
TICKETS = ("咨询", "投诉", "求助", "建议")


def _day(rnd: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rnd.randrange((end - start).days + 1))


def generate(source: str, n: int, units: list[str], *, seed: int = 1, start: date = date(2026, 1, 1),
             end: date = date(2026, 12, 31)) -> Iterator[dict]:
    """``n`` records of ``source`` as dicts column → printed text, dates spread over [start, end]."""
    rnd = random.Random(seed)
    for i in range(n):
        unit = units[rnd.randrange(len(units))]
        day = _day(rnd, start, end)
        if source == "政务大厅办件":
            done = rnd.random() < 0.85
            finished = day + timedelta(days=rnd.randrange(0, 20)) if done else None
            yield {"办件编号": f"BJ{day:%Y%m%d}{i:07d}", "受理日期": day.isoformat(), "办理单位": unit,
                   "事项名称": MATTERS[rnd.randrange(len(MATTERS))], "办理状态": "已办结" if done else "在办",
                   "办结日期": finished.isoformat() if finished else "",
                   "是否按时办结": ("是" if rnd.random() < 0.93 else "否") if done else ""}
        elif source == "好差评":
            yield {"评价日期": day.strftime("%Y/%-m/%-d"), "被评价单位": unit,
                   "评价结果": RATINGS[min(4, int(rnd.expovariate(1.6)))], "评价渠道": CHANNELS[rnd.randrange(4)]}
        else:
            answered = rnd.random() < 0.9
            yield {"呼入时间": f"{day.isoformat()} {rnd.randrange(8, 20):02d}:{rnd.randrange(60):02d}:00",
                   "承办单位": unit, "工单类型": TICKETS[rnd.randrange(4)], "是否接通": "是" if answered else "否",
                   "通话时长（秒）": str(rnd.randrange(20, 900)) if answered else "0"}


def columns(source: str) -> list[str]:
    m = MAPPINGS[source]
    return [m["date"], m["unit"], *(f["column"] for f in m["fields"])]


def write_csv(path: Path, source: str, records, *, encoding: str = "utf-8") -> Path:
    header = columns(source)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for r in records:
            writer.writerow([r[c] for c in header])
    return path
