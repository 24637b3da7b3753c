"""The monitoring report (绩效运行监控报告) as blocks, written as XLSX, DOCX or PDF by
``write.formats.write``: in the layout of the finance bureau's 项目支出绩效目标执行监控表 (财预〔2019〕
136号 附件, as filled in the central project library export of tests/data/real …monitor_selfeval.xls):

* **监控汇总** — one row per 监控表: 单位, 项目, 调整后预算, 截至监控日支出, 执行率, 时间进度, 预警等级,
  红/黄 warning counts;
* one part per 监控表 — title and year, 项目名称, 主管部门/实施单位, the 项目资金 block (调整后预算数 |
  1-N月执行数 | 1-N月执行率 | 时间进度), 年度总体目标, then the indicator rows: 一级/二级/三级指标 |
  年度指标值 | 1-N月完成值 | 全年预计完成值 | 完成进度 | 偏差原因 | 纠偏措施 | 完成目标可能性 (确定能 /
  有可能 / 完全不可能, ✔ as in the form) | 预警;
* **预警与整改** — every red/amber warning and the 整改 tasks (责任人, 期限, 状态, 措施).

The form's split of the 偏差原因 into 经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他 is not kept (the
reason is stored as text), nor its 全年预计执行数 of the money (not asked in a round): the columns are
the stored fields. Pure: the plain data below in, an ``OutputDocument`` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.write.layout import COVERED
from jixiao.write.layout import Cell
from jixiao.write.layout import Column
from jixiao.write.layout import Fonts
from jixiao.write.layout import OutputDocument
from jixiao.write.layout import Page
from jixiao.write.layout import Paragraph
from jixiao.write.layout import Part
from jixiao.write.layout import Table

KIND = "monitoring_report"
LIGHT = {"red": "红", "amber": "黄", "green": "绿", "blue": "蓝", "unfilled": "未填报"}
MONEY = "#,##0.00"
JUDGEMENT_COLUMNS = (("能", "确定能"), ("基本能", "有可能"), ("不能", "完全不可能"))
LANDSCAPE = Page(orientation="landscape", margins_mm=(Decimal(15), Decimal(12), Decimal(15), Decimal(12)))
FONTS = Fonts()


@dataclass(frozen=True, slots=True)
class ReportLine:
    level1: str
    level2: str
    name: str
    target: str
    to_date: str
    expected: str
    progress: str  # 完成进度, 49.59% or ""
    judgement: str  # 能 / 基本能 / 不能 / ""
    reason: str
    measure: str
    level: str | None  # red / amber / green / blue / None


@dataclass(frozen=True, slots=True)
class ReportSheet:
    org: str
    department: str
    project: str
    goal: str
    budget: Decimal | None
    spent: Decimal | None
    execution_rate: str
    time_progress: str
    level: str
    lines: tuple[ReportLine, ...]
    warnings: tuple[tuple[str, str], ...]  # (level, message)
    tasks: tuple[tuple[str, str, str, str, str], ...]  # (item, owner, deadline, state, measure)
    unit: str = "万元"


@dataclass(frozen=True, slots=True)
class ReportRound:
    title: str
    year: int
    as_of: str  # 2026-06-30
    region: str
    profile: str
    sheets: tuple[ReportSheet, ...]


def _money(value: Decimal | None) -> Cell:
    if value is None:
        return Cell("", role="number")
    return Cell(f"{value:,.2f}", value=value, role="number", number_format=MONEY)


def _count(n: int) -> Cell:
    return Cell(str(n), value=n, role="number", number_format="0")


def _h(text: str, **kw) -> Cell:
    return Cell(text, role="header", **kw)


def _t(text: str | None, **kw) -> Cell:
    return Cell(text or "", role="text", **kw)


def _months(as_of: str) -> str:
    """``1-6月`` for a round at 2026-06-30 (the form's 1-7月执行数)."""
    month = int(as_of[5:7])
    return f"1-{month}月"


def _summary(r: ReportRound) -> Part:
    headers = ("序号", "单位", "项目", "调整后预算（万元）", "截至监控日支出（万元）", "执行率", "时间进度", "预警等级",
               "红色预警", "黄色预警")
    widths = (6, 24, 30, 14, 14, 10, 10, 8, 8, 8)
    rows = [tuple(_h(h) for h in headers)]
    for n, s in enumerate(r.sheets, start=1):
        reds = sum(1 for level, _ in s.warnings if level == "red")
        ambers = sum(1 for level, _ in s.warnings if level == "amber")
        rows.append((_count(n), _t(s.org), _t(s.project), _money(s.budget), _money(s.spent),
                     Cell(s.execution_rate, role="percent"), Cell(s.time_progress, role="percent"),
                     Cell(LIGHT.get(s.level, ""), role="label"), _count(reds), _count(ambers)))
    table = Table(columns=tuple(Column(Decimal(w)) for w in widths), rows=tuple(rows), header_rows=1, name="监控汇总")
    blocks = (Paragraph(r.title, role="title"),
              Paragraph(f"财政部门：{r.region}\t监控日期：{r.as_of}", role="subtitle"),
              Paragraph(f"预警方案：{r.profile}", role="subtitle", align="left"), table)
    return Part(name="监控汇总", blocks=blocks, page=LANDSCAPE, fonts=FONTS)


NCOLS = 14  # 一级 二级 三级 年度指标值 完成值 预计 完成进度 偏差原因 纠偏措施 确定能 有可能 完全不可能 预警 备注


def _span(cell: Cell, width: int) -> tuple:
    return (Cell(cell.text, cell.value, cell.role, 1, width, cell.align, cell.number_format),
            *([COVERED] * (width - 1)))


def _row(*pieces: tuple[Cell, int]) -> tuple:
    out: list = []
    for cell, width in pieces:
        out.extend(_span(cell, width))
    assert len(out) == NCOLS, len(out)
    return tuple(out)


def _sheet_part(r: ReportRound, s: ReportSheet, n: int) -> Part:
    months = _months(r.as_of)
    rows: list[tuple] = [
        _row((_h("项目名称"), 3), (_t(s.project or s.org), 11)),
        _row((_h("主管部门"), 3), (_t(s.department), 4), (_h("实施单位"), 2), (_t(s.org), 5)),
        _row((_h("项目资金（万元）"), 3), (_h(""), 2), (_h("调整后预算数"), 2), (_h(f"{months}执行数"), 2),
             (_h(f"{months}执行率"), 2), (_h("时间进度"), 2), (_h("执行预警"), 1)),
        _row((_h("项目资金（万元）"), 3), (Cell("年度资金总额", role="label"), 2), (_money(s.budget), 2),
             (_money(s.spent), 2), (Cell(s.execution_rate, role="percent"), 2),
             (Cell(s.time_progress, role="percent"), 2), (Cell(_execution_light(s), role="label"), 1)),
        _row((_h("年度总体目标"), 3), (_t(s.goal), 11)),
        _row((_h("一级指标"), 1), (_h("二级指标"), 1), (_h("三级指标"), 1), (_h("年度指标值"), 1),
             (_h(f"{months}完成值"), 1), (_h("全年预计完成值"), 1), (_h("完成进度"), 1), (_h("偏差原因分析"), 1),
             (_h("纠偏措施"), 1), (_h("完成目标可能性"), 3), (_h("预警"), 1), (_h("备注"), 1)),
        _row(*((_h(""), 1) for _ in range(9)), *((_h(label), 1) for _, label in JUDGEMENT_COLUMNS),
             (_h(""), 1), (_h(""), 1)),
    ]
    for line in s.lines:
        marks = tuple((Cell("✔" if line.judgement == key else "", role="label"), 1) for key, _ in JUDGEMENT_COLUMNS)
        rows.append(_row((_t(line.level1), 1), (_t(line.level2), 1), (_t(line.name), 1), (_t(line.target), 1),
                         (_t(line.to_date), 1), (_t(line.expected), 1), (Cell(line.progress, role="percent"), 1),
                         (_t(line.reason), 1), (_t(line.measure), 1), *marks,
                         (Cell(LIGHT.get(line.level or "", ""), role="label"), 1), (_t(""), 1)))
    # the header cells of the indicator block that span its two header rows
    rows = _merge_header(rows)
    widths = (8, 10, 18, 12, 11, 11, 9, 20, 18, 6, 6, 7, 6, 8)
    table = Table(columns=tuple(Column(Decimal(w)) for w in widths), rows=tuple(rows), header_rows=0,
                  name=f"监控表{n}")
    blocks = (Paragraph("项目支出绩效目标执行监控表", role="title"),
              Paragraph(f"（{r.year}年度，截至{int(r.as_of[5:7])}月{int(r.as_of[8:10])}日）", role="subtitle",
                        align="center"),
              Paragraph(f"填报单位：{s.org}\t金额单位：{s.unit}", role="subtitle"), table)
    return Part(name=f"{n}-{s.project or s.org}"[:31], blocks=blocks, page=LANDSCAPE, fonts=FONTS)


def _merge_header(rows: list[tuple]) -> list[tuple]:
    """项目资金 spans its two rows; the indicator header's single columns span both header rows."""
    rows = [list(r) for r in rows]
    money, head = 2, 5
    first = rows[money][0]
    rows[money][0] = Cell(first.text, role="header", rowspan=2, colspan=3)
    rows[money + 1][0] = COVERED
    for c in (*range(9), 12, 13):
        cell = rows[head][c]
        rows[head][c] = Cell(cell.text, role="header", rowspan=2)
        rows[head + 1][c] = COVERED
    return [tuple(r) for r in rows]


def _execution_light(s: ReportSheet) -> str:
    for level, message in s.warnings:
        if "执行率" in message and "时间进度" in message:
            return LIGHT[level]
    return "绿" if s.execution_rate else ""


def _warnings_part(r: ReportRound) -> Part:
    headers = ("序号", "单位", "项目", "等级", "预警内容")
    rows = [tuple(_h(h) for h in headers)]
    n = 0
    for s in r.sheets:
        for level, message in s.warnings:
            n += 1
            rows.append((_count(n), _t(s.org), _t(s.project),
                         Cell(LIGHT.get(level, level), role="label"), _t(message)))
    warn = Table(columns=tuple(Column(Decimal(w)) for w in (6, 22, 26, 6, 80)), rows=tuple(rows), header_rows=1,
                 name="预警清单")
    task_headers = ("序号", "单位", "项目", "整改事项", "责任人", "整改期限", "状态", "已采取的措施")
    trows = [tuple(_h(h) for h in task_headers)]
    m = 0
    for s in r.sheets:
        for item, owner, deadline, state, measure in s.tasks:
            m += 1
            trows.append((_count(m), _t(s.org), _t(s.project), _t(item), _t(owner),
                          _t(deadline), _t(state), _t(measure)))
    tasks = Table(columns=tuple(Column(Decimal(w)) for w in (6, 22, 26, 20, 10, 12, 8, 40)), rows=tuple(trows),
                  header_rows=1, name="整改任务")
    blocks = (Paragraph("预警与整改情况", role="title"),
              Paragraph(f"红色、黄色预警 {n} 项" if n else "本轮监控没有红色、黄色预警", role="subtitle", align="left"),
              warn, Paragraph(f"整改任务 {m} 项" if m else "本轮监控没有下达整改任务", role="subtitle", align="left"),
              tasks)
    return Part(name="预警与整改", blocks=blocks, page=LANDSCAPE, fonts=FONTS)


def build_monitoring_report(r: ReportRound, sheets: Sequence[ReportSheet] | None = None) -> OutputDocument:
    """The report of a round (``sheets``: a subset, e.g. one 监控表; default all)."""
    chosen = tuple(r.sheets if sheets is None else sheets)
    r = ReportRound(r.title, r.year, r.as_of, r.region, r.profile, chosen)
    parts = [_summary(r), *(_sheet_part(r, s, n) for n, s in enumerate(chosen, start=1)), _warnings_part(r)]
    return OutputDocument(title=r.title, parts=tuple(parts), kind=KIND)
