"""``jixiao monitor …``: mid-year monitoring (绩效运行监控) on the database of the environment, as
the one who holds it (the services' SYSTEM actor): rounds, 监控表, warning profiles, 整改 tasks,
目标调整 and the self-evaluation prefill. Each command calls one service and prints its result
(``--json``: the service's dict as JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.db import print_json
from jixiao.cli.db import run_service
from jixiao.cli.monitor_data import data_app
from jixiao.cli.output import say
from jixiao.cli.usage import Command
from jixiao.cli.usage import typer_app

monitor_app = typer_app(add_completion=False, no_args_is_help=True,
                        help="绩效运行监控：监控轮次、监控表、预警方案、整改任务、目标调整、自评预填。")
profile_app = typer_app(add_completion=False, no_args_is_help=True, help="监控预警方案：列出、查看、修改阈值。")
task_app = typer_app(add_completion=False, no_args_is_help=True, help="整改任务：下达、完成、列出。")
monitor_app.add_typer(profile_app, name="profile")
monitor_app.add_typer(task_app, name="task")
monitor_app.add_typer(data_app, name="data")  # operational data → actuals (cli/monitor_data.py)

SETTINGS = {"cls": Command, "options_metavar": "[选项]"}
LIGHT = {"red": "红", "amber": "黄", "green": "绿", "blue": "蓝", "unfilled": "未填报", None: "—"}
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出服务的结果")]


def _problems(detail: dict) -> None:
    for problem in detail.get("problems") or []:
        say(f"  {problem}", err=True)


def _run(call: Callable):
    """Call one service on the environment's database as SYSTEM; a refusal exits 1 with its message."""
    return run_service(call, _problems)


_json = print_json


def _round_line(r: dict) -> str:
    return (f"[{r['id']}] {r['title']}  {r['org']['name']}  截至 {r['as_of']}  时间进度 {r['time_progress']}  "
            f"方案 {r['profile']}  {r['state_label']}")


@monitor_app.command("open", **SETTINGS)
def open_command(
    org: Annotated[str, typer.Argument(help="财政局（地区）或部门的编码或名称", metavar="单位", show_default=False)],
    year: Annotated[int, typer.Argument(help="年度", metavar="年度", show_default=False)],
    as_of: Annotated[str, typer.Argument(help="监控日期，如 2026-06-30", metavar="日期", show_default=False)],
    profile: Annotated[str, typer.Option("--profile", help="预警方案（default、shanxi 或财政局修改后的方案）",
                                         metavar="方案")] = "default",
    title: Annotated[str | None, typer.Option("--title", help="轮次名称", metavar="名称", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """开启监控轮次：该年度已批复的绩效目标各生成一张监控表。"""
    from jixiao.services import monitoring

    r = _run(lambda ctx: monitoring.open_round(ctx, org=org, year=year, as_of=as_of, title=title, profile=profile))
    if as_json:
        return _json(r)
    say(_round_line(r))
    say(f"已生成监控表 {r['sheets']} 张")


@monitor_app.command("rounds", **SETTINGS)
def rounds_command(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年度", metavar="年度", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出监控轮次。"""
    from jixiao.services import monitoring

    result = _run(lambda ctx: monitoring.list_rounds(ctx, year=year))
    if as_json:
        return _json(result)
    if not result["items"]:
        say("没有监控轮次")
    for r in result["items"]:
        say(_round_line(r))


@monitor_app.command("show", **SETTINGS)
def show_command(
    round_id: Annotated[int, typer.Argument(help="监控轮次编号", metavar="轮次", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """一个监控轮次：各监控表的执行率和预警等级，按部门汇总的红黄绿。"""
    from jixiao.services import monitoring

    r = _run(lambda ctx: monitoring.get_round(ctx, round_id))
    if as_json:
        return _json(r)
    say(_round_line(r))
    c = r["counts"]
    say(f"红 {c['red']}  黄 {c['amber']}  绿 {c['green']}  未填报 {c['unfilled']}；整改任务 进行中 {r['tasks']['open']}、已完成 {r['tasks']['closed']}")
    for d in r["departments"]:
        say(f"  {LIGHT[d['level']]} {d['name']}：红 {d['red']} 黄 {d['amber']} 绿 {d['green']} 未填报 {d['unfilled']}")
    for s in r["sheets"]:
        rate = s["execution_rate"] or "—"
        say(f"  [{s['id']}] {LIGHT[s['level']]} {s['org']['name']} {s['label']}  预算 {s['budget'] or '—'} {s['unit']}"
            f"  支出 {s['spent'] or '—'}  执行率 {rate}  红 {s['warnings']['red']} 黄 {s['warnings']['amber']}")


def _print_sheet(s: dict) -> None:
    say(f"监控表 [{s['id']}] {s['org']['name']} {s['target_set']['label']}（{s['round']['title']}）")
    say(f"时间进度 {s['time_progress']}  调整后预算 {s['budget'] or '—'} {s['unit']}  支出 {s['spent'] or '—'}  "
        f"执行率 {s['execution_rate'] or '—'}  {LIGHT[s['execution_level']]}  总体 {s['level_label']}")
    for e in s["entries"]:
        say(f"  [{e['indicator_id']}] {LIGHT[e['level']]} {e['name']}  目标 {e['target_text']}  "
            f"截至 {e['to_date'] or '—'}  全年预计 {e['expected'] or '—'}  能否完成 {e['will_meet'] or '—'}  "
            f"完成进度 {e['progress'] or '—'}  {e['basis']}")
    for f in s["findings"]:
        say(f"  {f['severity_label']} {f['code']}：{f['message']}")


@monitor_app.command("sheet", **SETTINGS)
def sheet_command(
    sheet_id: Annotated[int, typer.Argument(help="监控表编号", metavar="监控表", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """一张监控表：资金执行、各指标的填报值、完成进度、预警和审核发现。"""
    from jixiao.services import monitoring

    s = _run(lambda ctx: monitoring.get_sheet(ctx, sheet_id))
    return _json(s) if as_json else _print_sheet(s)


def _entry_changes(values: list[str]) -> dict:
    """``指标ID.字段=值`` (字段: to_date expected will_meet reason measure data_reason) → {id: {field: value}}."""
    out: dict[str, dict] = {}
    for item in values:
        key, eq, value = item.partition("=")
        ident, dot, field = key.partition(".")
        if not eq or not dot or not ident.strip().isdigit():
            say(f"无法理解 --entry {item}（应为 指标ID.字段=值，字段：to_date expected will_meet reason measure data_reason）", err=True)
            raise typer.Exit(2)
        out.setdefault(ident.strip(), {})[field.strip()] = value
    return out


@monitor_app.command("fill", **SETTINGS)
def fill_command(
    sheet_id: Annotated[int, typer.Argument(help="监控表编号", metavar="监控表", show_default=False)],
    budget: Annotated[str | None, typer.Option("--budget", help="调整后预算（万元）", metavar="金额", show_default=False)] = None,
    spent: Annotated[str | None, typer.Option("--spent", help="截至监控日支出（万元）", metavar="金额", show_default=False)] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="执行偏差原因", metavar="原因", show_default=False)] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="执行纠偏措施", metavar="措施", show_default=False)] = None,
    entry: Annotated[list[str] | None, typer.Option("--entry", "-e", help="指标ID.字段=值，可重复",
                                                     metavar="指标ID.字段=值", show_default=False)] = None,
    from_json: Annotated[Path | None, typer.Option("--from-json", help="从 JSON 文件读取填报内容（同 API）",
                                                    metavar="文件", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """填报监控表并即时评价预警。

    绑定业务数据的指标未填截至监控日完成值时取业务数据计算值（同网页监控表）；手工填写与计算值不同的值须以
    指标ID.data_reason=原因 说明（记入操作日志）。"""
    from jixiao.services import monitoring_data

    changes = json.loads(from_json.read_text(encoding="utf-8")) if from_json else {}
    for key, value in (("budget", budget), ("spent", spent), ("execution_reason", reason),
                       ("execution_measure", measure)):
        if value is not None:
            changes[key] = value
    if entry:
        changes.setdefault("entries", {}).update(_entry_changes(entry))
    reasons = {key: values.pop("data_reason") for key, values in (changes.get("entries") or {}).items()
               if "data_reason" in values}
    s = _run(lambda ctx: monitoring_data.fill_sheet(ctx, sheet_id, changes, reasons=reasons, take_bound=True))
    return _json(s) if as_json else _print_sheet(s)


@monitor_app.command("close", **SETTINGS)
def close_command(round_id: Annotated[int, typer.Argument(help="监控轮次编号", metavar="轮次", show_default=False)]) -> None:
    """关闭监控轮次（监控表不能再修改）。"""
    from jixiao.services import monitoring

    say(_round_line(_run(lambda ctx: monitoring.close_round(ctx, round_id))))


@monitor_app.command("evaluate", **SETTINGS)
def evaluate_command(round_id: Annotated[int, typer.Argument(help="监控轮次编号", metavar="轮次", show_default=False)]) -> None:
    """按当前预警方案重新评价一个轮次的全部监控表。"""
    from jixiao.services import monitoring

    r = _run(lambda ctx: monitoring.evaluate_round(ctx, round_id))
    c = r["counts"]
    say(f"{_round_line(r)}\n红 {c['red']}  黄 {c['amber']}  绿 {c['green']}  未填报 {c['unfilled']}")


@monitor_app.command("add-sheets", **SETTINGS)
def add_sheets_command(round_id: Annotated[int, typer.Argument(help="监控轮次编号", metavar="轮次", show_default=False)]) -> None:
    """为开启轮次后批复的绩效目标（如目标调整后的新版本）补建监控表。"""
    from jixiao.services import monitoring

    r = _run(lambda ctx: monitoring.add_sheets(ctx, round_id))
    say(f"{_round_line(r)}\n补建监控表 {r['added']} 张")


# ---- profiles ------------------------------------------------------------------------------------

def _print_profile(p: dict) -> None:
    where = f"（{p['org']['name']} 修改，基于 {p['base']}）" if p["stored"] else "（内置）"
    say(f"{p['name']}{where}：{p['title']}")
    say(f"  时间进度按 {'天' if p['time_progress']['basis'] == 'days' else '整月'}计算")
    say(f"  执行率低于时间进度超过 {p['execution']['amber_gap']} 个百分点为黄，超过 {p['execution']['red_gap']} 个百分点为红")
    i = p["indicator"]
    say(f"  指标（{i['method']}）：低于 {i['amber_below']}% 为黄，低于 {i['red_below']}% 为红"
        + (f"，{i['blue_from']}% 及以上为蓝" if i.get("blue_from") else ""))
    if p["output_lag"].get("gap"):
        say(f"  执行率高于指标平均完成进度超过 {p['output_lag']['gap']} 个百分点为黄")
    s = p["source"]
    say(f"  来源：{s['title']}" + (f"（{s['issuer']}，{s['number']}）" if s["number"] else f"（{s['issuer']}）"))
    if s["url"]:
        say(f"  {s['url']}")


@profile_app.command("list", **SETTINGS)
def profile_list_command(
    org: Annotated[str | None, typer.Option("--org", help="单位（看其及上级修改的方案）", metavar="单位",
                                            show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出预警方案（内置的和财政局修改的）。"""
    from jixiao.services import monitoring

    result = _run(lambda ctx: monitoring.list_profiles(ctx, org=org))
    if as_json:
        return _json(result)
    for p in result["items"]:
        _print_profile(p)


@profile_app.command("show", **SETTINGS)
def profile_show_command(
    name: Annotated[str, typer.Argument(help="方案名称", metavar="方案", show_default=False)],
    org: Annotated[str | None, typer.Option("--org", help="单位（用其适用的修改版）", metavar="单位",
                                            show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """查看一个预警方案的阈值和来源。"""
    from jixiao.services import monitoring

    p = _run(lambda ctx: monitoring.get_profile(ctx, name, org=org))
    return _json(p) if as_json else _print_profile(p)


def _settings(values: list[str]) -> dict:
    """``execution.amber_gap=15`` … → {"execution": {"amber_gap": "15"}} (numbers as text, validated by the service)."""
    out: dict[str, dict] = {}
    for item in values:
        key, eq, value = item.partition("=")
        table, dot, field = key.strip().partition(".")
        if not eq or not dot:
            say(f"无法理解 --set {item}（应为 表.设置=值，如 execution.amber_gap=15）", err=True)
            raise typer.Exit(2)
        if field == "pro_rata_classes":
            value = [v.strip() for v in value.split(",") if v.strip()]
        out.setdefault(table, {})[field] = value
    return out


@profile_app.command("set", **SETTINGS)
def profile_set_command(
    org: Annotated[str, typer.Argument(help="财政局（地区）的编码或名称", metavar="单位", show_default=False)],
    name: Annotated[str, typer.Argument(help="方案名称", metavar="方案", show_default=False)],
    values: Annotated[list[str], typer.Option("--set", "-s", help="表.设置=值，如 execution.amber_gap=15，可重复",
                                              metavar="表.设置=值", show_default=False)],
    base: Annotated[str | None, typer.Option("--base", help="首次修改时所基于的内置方案（默认同名）", metavar="方案",
                                             show_default=False)] = None,
) -> None:
    """修改（保存）本单位的预警阈值；整体校验，有误则逐条列出。"""
    from jixiao.services import monitoring

    p = _run(lambda ctx: monitoring.set_profile(ctx, org=org, name=name, changes=_settings(values), base=base))
    _print_profile(p)


# ---- 整改 tasks ------------------------------------------------------------------------------------

def _task_line(t: dict) -> str:
    return (f"[{t['id']}] {t['state_label']} {LIGHT[t['level']]} {t['org']['name']} {t['target_set']['label']} "
            f"{t['item']}  责任人 {t['owner_label']}  期限 {t['deadline']}" + (f"  措施：{t['measure']}" if t["measure"] else ""))


@task_app.command("open", **SETTINGS)
def task_open_command(
    sheet_id: Annotated[int, typer.Argument(help="监控表编号", metavar="监控表", show_default=False)],
    owner: Annotated[str, typer.Option("--owner", help="责任人（用户名）", metavar="用户", show_default=False)],
    deadline: Annotated[str, typer.Option("--deadline", help="整改期限，如 2026-09-30", metavar="日期", show_default=False)],
    indicator: Annotated[int | None, typer.Option("--indicator", help="指标编号（不写：资金执行）", metavar="指标",
                                                  show_default=False)] = None,
    description: Annotated[str | None, typer.Option("--description", help="整改要求（默认：预警内容）", metavar="要求",
                                                    show_default=False)] = None,
) -> None:
    """为监控表中红色或黄色的项下达整改任务。"""
    from jixiao.services import rectification

    say(_task_line(_run(lambda ctx: rectification.open_task(ctx, sheet_id, owner=owner, deadline=deadline,
                                                             indicator_id=indicator, description=description))))


@task_app.command("close", **SETTINGS)
def task_close_command(
    task_id: Annotated[int, typer.Argument(help="整改任务编号", metavar="任务", show_default=False)],
    measure: Annotated[str, typer.Option("--measure", help="已采取的整改措施（必填）", metavar="措施", show_default=False)],
) -> None:
    """完成整改任务（须写明已采取的措施）。"""
    from jixiao.services import rectification

    say(_task_line(_run(lambda ctx: rectification.close_task(ctx, task_id, measure=measure))))


@task_app.command("list", **SETTINGS)
def task_list_command(
    round_id: Annotated[int | None, typer.Option("--round", help="监控轮次编号", metavar="轮次", show_default=False)] = None,
    state: Annotated[str | None, typer.Option("--state", help="open 或 closed", metavar="状态", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出整改任务。"""
    from jixiao.services import rectification

    result = _run(lambda ctx: rectification.list_tasks(ctx, round_id=round_id, state=state))
    if as_json:
        return _json(result)
    if not result["items"]:
        say("没有整改任务")
    for t in result["items"]:
        say(_task_line(t))


# ---- 目标调整 and the self-evaluation prefill ----------------------------------------------------------

@monitor_app.command("adjust", **SETTINGS)
def adjust_command(
    target_set: Annotated[int, typer.Argument(help="绩效目标（目标集）编号", metavar="目标", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="调整原因（必填）", metavar="原因", show_default=False)],
    sheet: Annotated[int | None, typer.Option("--sheet", help="提出调整的监控表", metavar="监控表", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """申请目标调整：把已批复的绩效目标复制为新版本（草稿），修改后按审核流程批复；旧版本保留。"""
    from jixiao.services import adjustments

    a = _run(lambda ctx: adjustments.start_adjustment(ctx, target_set, reason=reason, sheet_id=sheet))
    if as_json:
        return _json(a)
    old, new = a["from_document"], a["to_document"]
    say(f"目标调整 [{a['id']}]：文档 {old['id']} 第 {old['version']} 版 → 文档 {new['id']} 第 {new['version']} 版"
        f"（{new['state_label']}）")
    say(f"新版本中的绩效目标编号：{a['target_sets'].get(str(target_set))}")


@monitor_app.command("prefill", **SETTINGS)
def prefill_command(
    target_set: Annotated[int, typer.Argument(help="绩效目标（目标集）编号", metavar="目标", show_default=False)],
) -> None:
    """以最近一次监控的填报值预填年终自评（JSON，可交给 API 的自评接口）。"""
    from jixiao.services import selfevals

    _json(_run(lambda ctx: selfevals.prefill_from_monitoring(ctx, target_set)))


@monitor_app.command("export", **SETTINGS)
def export_command(
    round_id: Annotated[int, typer.Argument(help="监控轮次编号", metavar="轮次", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件（.xlsx、.docx 或 .pdf，按后缀定格式）",
                                         metavar="文件", show_default=False)],
    sheet: Annotated[int | None, typer.Option("--sheet", help="只导出这张监控表", metavar="监控表",
                                              show_default=False)] = None,
) -> None:
    """导出监控报告：监控汇总、各监控表（项目支出绩效目标执行监控表格式）、预警与整改情况。"""
    from jixiao.cli.output import check_output
    from jixiao.services import monitoring

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "docx", "pdf"):
        say(f"-o {output}：请用 .xlsx、.docx 或 .pdf 作后缀", err=True)
        raise typer.Exit(2)
    check_output(output, "监控报告.xlsx")
    name, data = _run(lambda ctx: monitoring.export_report(ctx, round_id, fmt, sheet_id=sheet))
    output.write_bytes(data)
    say(f"已写出 {output}（{len(data):,} 字节）")
