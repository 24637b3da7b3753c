"""``jixiao monitor data …``: operational data (业务数据) → actuals, on the database of the
environment as the one who holds it (SYSTEM): data sources and their column mapping, imports of
records (all or nothing; rows that cannot be mapped are listed with row number and reason),
metrics (口径), indicator bindings, bound values of a period, values typed by hand with a reason."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.db import print_json
from jixiao.cli.db import run_service
from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app

data_app = typer_app(add_completion=False, no_args_is_help=True,
                     help="业务数据：数据源与字段映射、导入、指标口径、指标绑定、按期取值、手工填写。")
source_app = typer_app(add_completion=False, no_args_is_help=True, help="数据源：设定字段映射、列出、查看。")
metric_app = typer_app(add_completion=False, no_args_is_help=True, help="指标口径：设定、列出、按单位取值。")
data_app.add_typer(source_app, name="source")
data_app.add_typer(metric_app, name="metric")

SETTINGS = {"cls": Command, "options_metavar": "[选项]"}
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出服务的结果")]
FromOpt = Annotated[str, typer.Option("--from", help="起始日期，如 2026-01-01", metavar="日期", show_default=False)]
ToOpt = Annotated[str, typer.Option("--to", help="截止日期（含），如 2026-06-30", metavar="日期", show_default=False)]


def _row_errors(detail: dict) -> None:
    for f in detail.get("errors") or detail.get("findings") or []:
        say(f"  {f['location'] + ': ' if f.get('location') else ''}{f['message']}", err=True)
    if detail.get("error_rows", 0) > len(detail.get("errors", [])):
        say(f"  ……（共 {detail['error_rows']} 行有误，以上列出前 {len(detail['errors'])} 条）", err=True)


def _run(call: Callable):
    """Call one service on the environment's database as SYSTEM; a refused import lists its rows."""
    return run_service(call, _row_errors)


_json = print_json


def _load(path_or_text: str) -> dict:
    """A mapping or a metric definition: a .toml or .json file, or JSON text."""
    path = Path(path_or_text)
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(path.read_text(encoding="utf-8"))
        return json.loads(path.read_text(encoding="utf-8") if path.suffix.lower() == ".json" else path_or_text)
    except (OSError, ValueError) as exc:
        say(f"无法读取 {path_or_text}：{exc}", err=True)
        raise typer.Exit(2) from None


@source_app.command("set", **SETTINGS)
def source_set(
    org: Annotated[str, typer.Argument(help="数据源所属单位（编码或名称）", metavar="单位", show_default=False)],
    name: Annotated[str, typer.Argument(help="数据源名称，如 政务大厅办件", metavar="名称", show_default=False)],
    mapping: Annotated[str, typer.Option("--mapping", "-m", help="字段映射：.toml/.json 文件或 JSON 文本",
                                         metavar="映射", show_default=False)],
    json_out: JsonOpt = False,
) -> None:
    """设定（新建或修改）数据源及其字段映射：日期列、单位列和各字段的列名与类型。"""
    from jixiao.services import operational_data as od

    s = _run(lambda ctx: od.save_source(ctx, org=org, name=name, mapping=_load(mapping)))
    if json_out:
        return _json(s)
    say(f"[{s['id']}] {s['org']['name']} 数据源「{s['name']}」已保存")
    for c in s["columns"]:
        say(f"  {c['field']}  ← 列“{c['column']}”  {c['type']}{'  必填' if c['required'] else ''}")


@source_app.command("list", **SETTINGS)
def source_list(json_out: JsonOpt = False) -> None:
    """列出数据源。"""
    from jixiao.services import operational_data as od

    result = _run(od.list_sources)
    if json_out:
        return _json(result)
    if not result["items"]:
        say("尚未设定数据源")
    for s in result["items"]:
        say(f"[{s['id']}] {s['org']['name']}/{s['name']}  字段：" + "、".join(c["field"] for c in s["columns"]))


@source_app.command("show", **SETTINGS)
def source_show(
    source: Annotated[str, typer.Argument(help="数据源编号或 单位/名称", metavar="数据源", show_default=False)],
    json_out: JsonOpt = False,
) -> None:
    """查看数据源的字段映射和历次导入。"""
    from jixiao.services import operational_data as od

    s = _run(lambda ctx: od.get_source(ctx, source))
    if json_out:
        return _json(s)
    say(f"[{s['id']}] {s['org']['name']}/{s['name']}")
    for c in s["columns"]:
        say(f"  {c['field']}  ← 列“{c['column']}”  {c['type']}{'  必填' if c['required'] else ''}")
    for i in s["imports"]:
        say(f"  导入 [{i['id']}] {i['filename']}  {i['rows']} 条  {i['first_day']} 至 {i['last_day']}")


@data_app.command("import", **SETTINGS)
def import_command(
    source: Annotated[str, typer.Argument(help="数据源编号或 单位/名称", metavar="数据源", show_default=False)],
    file: Annotated[Path, typer.Argument(help="CSV 或 Excel 文件，一行一条记录", metavar="文件", show_default=False)],
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV 的编码（默认自动识别 UTF-8/GBK）",
                                                 metavar="编码", show_default=False)] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="工作表名（默认：前 20 行含表头的第一个工作表）", metavar="工作表",
                                              show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """按数据源保存的字段映射导入一个文件：全部导入，或有一行无法识别时全部不导入并列出各行原因。"""
    from jixiao.services import operational_data as od

    i = _run(lambda ctx: od.import_records(ctx, source, file, encoding=encoding, sheet=sheet))
    if json_out:
        return _json(i)
    say(f"已导入 {file.name}：{i['rows']} 条记录，日期 {i['first_day']} 至 {i['last_day']}")


@data_app.command("drop", **SETTINGS)
def drop_command(
    import_id: Annotated[int, typer.Argument(help="导入批次编号（source show 列出）", metavar="导入", show_default=False)],
) -> None:
    """删除一次导入及其全部记录（文件有误或要换成更正后的文件时）。"""
    from jixiao.services import operational_data as od

    i = _run(lambda ctx: od.delete_import(ctx, import_id))
    say(f"已删除导入 [{i['id']}] {i['filename']}：{i['rows']} 条记录")


@metric_app.command("set", **SETTINGS)
def metric_set(
    org: Annotated[str, typer.Argument(help="口径所属单位（编码或名称）", metavar="单位", show_default=False)],
    name: Annotated[str, typer.Argument(help="口径名称，如 好评率", metavar="名称", show_default=False)],
    source: Annotated[str, typer.Argument(help="数据源编号或 单位/名称", metavar="数据源", show_default=False)],
    definition: Annotated[str, typer.Option("--definition", "-d", help="口径：.toml/.json 文件或 JSON 文本",
                                            metavar="口径", show_default=False)],
    json_out: JsonOpt = False,
) -> None:
    """设定（新建或修改）指标口径：计数、求和或两个计数之比，及其筛选条件。"""
    from jixiao.services import operational_data as od

    m = _run(lambda ctx: od.save_metric(ctx, org=org, name=name, source=source, definition=_load(definition)))
    if json_out:
        return _json(m)
    say(f"[{m['id']}] {m['formula']}")


@metric_app.command("list", **SETTINGS)
def metric_list(json_out: JsonOpt = False) -> None:
    """列出指标口径及其计算公式。"""
    from jixiao.services import operational_data as od

    result = _run(od.list_metrics)
    if json_out:
        return _json(result)
    if not result["items"]:
        say("尚未设定指标口径")
    for m in result["items"]:
        say(f"[{m['id']}] {m['org']['name']}  {m['formula']}")


@metric_app.command("by-unit", **SETTINGS)
def metric_by_unit(
    metric: Annotated[str, typer.Argument(help="口径编号或名称", metavar="口径", show_default=False)],
    date_from: FromOpt, date_to: ToOpt, json_out: JsonOpt = False,
) -> None:
    """某口径在一段日期内按单位的取值与记录数。"""
    from jixiao.services import operational_data as od

    r = _run(lambda ctx: od.metric_by_unit(ctx, metric, date_from=date_from, date_to=date_to))
    if json_out:
        return _json(r)
    say(f"{r['formula']}  {r['from']} 至 {r['to']}")
    for i in r["items"]:
        say(f"  {i['org']['name']}  {i['value'] if i['value'] is not None else '—'}{r['unit']}  （{i['records']} 条记录）")


@data_app.command("bind", **SETTINGS)
def bind_command(
    indicator: Annotated[int, typer.Argument(help="指标编号", metavar="指标", show_default=False)],
    metric: Annotated[str, typer.Argument(help="口径编号或名称；写 none 取消绑定", metavar="口径", show_default=False)],
    scope: Annotated[str | None, typer.Option("--scope", help="取哪个单位及其下级的记录（默认：指标所在文档的单位）",
                                              metavar="单位", show_default=False)] = None,
) -> None:
    """把指标绑定到口径：监控和自评时其实际值由业务数据计算。"""
    from jixiao.services import operational_data as od

    unbind = metric.lower() == "none"
    b = _run(lambda ctx: od.bind_indicator(ctx, indicator, None if unbind else metric, scope=scope))
    if unbind:
        return say(f"指标 {indicator} 已取消绑定")
    say(f"指标「{b['indicator']}」← {b['formula']}，取 {b['scope']['name']} 及其下级的记录")


@data_app.command("values", **SETTINGS)
def values_command(
    target_set: Annotated[int, typer.Argument(help="绩效目标编号", metavar="目标", show_default=False)],
    date_from: FromOpt, date_to: ToOpt, json_out: JsonOpt = False,
) -> None:
    """绩效目标中已绑定指标在一段日期内的值，及其依据的记录数。"""
    from jixiao.services import operational_data as od

    r = _run(lambda ctx: od.bound_values(ctx, target_set, date_from=date_from, date_to=date_to))
    if json_out:
        return _json(r)
    if not r["items"]:
        say("该绩效目标没有绑定业务数据的指标")
    for v in r["items"]:
        value = "—" if v["value"] is None else f"{v['value']}{v['unit']}"
        how = f"手工填写（计算值 {v['computed']}，原因：{v['override']['reason']}）" if v["override"] else \
            f"{v['records']} 条记录"
        say(f"[{v['indicator']['id']}] {v['indicator']['name']}  {value}  {how}")
        say(f"    {v['formula']}")


@data_app.command("override", **SETTINGS)
def override_command(
    indicator: Annotated[int, typer.Argument(help="指标编号", metavar="指标", show_default=False)],
    value: Annotated[str, typer.Argument(help="手工填写的值；写 none 恢复按数据计算", metavar="值", show_default=False)],
    date_from: FromOpt, date_to: ToOpt,
    reason: Annotated[str, typer.Option("--reason", help="为何不用业务数据计算的值（必填）", metavar="原因",
                                        show_default=False)] = "",
) -> None:
    """对已绑定的指标手工填写一段日期的值（须说明原因，记入操作日志）。"""
    from jixiao.services import operational_data as od

    clear = value.lower() == "none"
    v = _run(lambda ctx: od.override_value(ctx, indicator, date_from=date_from, date_to=date_to,
                                           value=None if clear else value, reason=reason))
    say(f"指标 {indicator}：{v['value']}{v['unit']}（{'按业务数据计算' if clear else '手工填写'}，计算值 {v['computed']}）")
