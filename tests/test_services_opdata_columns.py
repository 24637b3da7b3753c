"""The columns of an operational data file before its source is mapped (services/opdata_columns.py):
the header found under a title row, sample rows, CSV in GBK and XLSX with typed cells; duplicate
column names, an empty file and a role without opdata.define refused."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from jixiao.services.context import Actor
from jixiao.services.context import Ctx
from jixiao.services.errors import Forbidden
from jixiao.services.errors import Invalid
from jixiao.services.opdata_columns import file_columns

DEFINER = Ctx(None, Actor(user_id=1, username="fin", role="finance_reviewer", org_id=1, org_path="/1/"))
FILER = Ctx(None, Actor(user_id=2, username="unit", role="unit_filer", org_id=2, org_path="/1/2/"))


def test_a_csv_under_a_title_row_in_gbk():
    text = "12345热线来电明细（2026年1月）\n呼入时间,承办单位,是否接通,通话时长（秒）\n" + "".join(
        f"2026-01-{d:02d} 09:00:00,沅江市行政审批服务局,是,{60 + d}\n" for d in range(1, 6))
    got = file_columns(DEFINER, text.encode("gbk"), "热线.csv")
    assert got["columns"] == ["呼入时间", "承办单位", "是否接通", "通话时长（秒）"]
    assert got["header_row"] == 2 and len(got["samples"]) == 3
    assert got["samples"][0] == ["2026-01-01 09:00:00", "沅江市行政审批服务局", "是", "61"]


def test_a_workbook_with_typed_cells():
    book = Workbook()
    ws = book.active
    ws.append(["评价日期", "被评价单位", "评价结果"])
    ws.append([date(2026, 3, 5), "沅江市行政审批服务局", "满意"])
    data = io.BytesIO()
    book.save(data)
    got = file_columns(DEFINER, data.getvalue(), "好差评.xlsx")
    assert got["columns"] == ["评价日期", "被评价单位", "评价结果"] and got["header_row"] == 1
    assert got["samples"][0][0].startswith("2026-03-05") and got["samples"][0][2] == "满意"


def test_refusals():
    with pytest.raises(Invalid, match="重复"):
        file_columns(DEFINER, "日期,单位,单位\n2026-01-01,a,b\n".encode(), "重复.csv")
    with pytest.raises(Invalid):
        file_columns(DEFINER, b"", "empty.csv")
    with pytest.raises(Forbidden):
        file_columns(FILER, "日期,单位\n2026-01-01,a\n".encode(), "f.csv")
