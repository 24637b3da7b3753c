/* 总览: the charts of the dashboard page, drawn by the vendored ECharts (SVG renderer) from the
   JSON the page carries (#dashboard-data). Every chart clicks through to the list behind it. */
(function () {
  "use strict";

  var SEVERITY = { error: "错误", warning: "警告", info: "提示" };
  var COLORS = { error: "#c62828", warning: "#e08a00", info: "#3d6a8a" };
  var GRADE_COLORS = { "优": "#2e7d32", "良": "#1f5fa8", "中": "#e08a00", "差": "#c62828" };

  function url(path, params, data) {
    var query = [];
    var all = Object.assign({ year: data.year }, params);
    Object.keys(all).forEach(function (key) {
      if (all[key] !== undefined && all[key] !== null && all[key] !== "") {
        query.push(encodeURIComponent(key) + "=" + encodeURIComponent(all[key]));
      }
    });
    return path + (query.length ? "?" + query.join("&") : "");
  }

  function short(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(2) + "%";
  }

  function base(font) {
    return {
      textStyle: { fontFamily: font, fontSize: 13, color: "#1f2933" },
      tooltip: { textStyle: { fontFamily: font } },
      animation: false,
    };
  }

  function make(id, option, font, onClick) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) {
      return null;
    }
    var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(Object.assign(base(font), option));
    if (onClick) {
      chart.on("click", onClick);
      chart.getZr().setCursorStyle("pointer");
    }
    return chart;
  }

  function draw() {
    var holder = document.getElementById("dashboard-data");
    if (!holder) {
      return;
    }
    var data = JSON.parse(holder.textContent);
    var board = data.board;
    var font = window.getComputedStyle(document.body).fontFamily;
    var charts = [];
    var scope = data.org ? { org: data.org } : {};

    // 审核发现（按代码）: horizontal bars, the most frequent on top
    var codes = board.findings_by_code;
    charts.push(make("chart-codes", {
      grid: { left: 16, right: 56, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var c = codes[p.dataIndex];
          return c.title + "（" + c.code + "）<br>" + SEVERITY[c.severity] + "：" + c.count + " 条";
        },
      },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category", inverse: true,
        data: codes.map(function (c) { return short(c.title, 16); }),
        axisLabel: { fontSize: 12 },
      },
      series: [{
        type: "bar", name: "审核发现", barMaxWidth: 18,
        data: codes.map(function (c) {
          return { value: c.count, code: c.code, itemStyle: { color: COLORS[c.severity] } };
        }),
        label: { show: true, position: "right", formatter: "{c} 条" },
      }],
    }, font, function (p) {
      window.location.href = url("/findings", Object.assign({ code: codes[p.dataIndex].code }, scope), data);
    }));

    // 审核发现（按部门）: stacked by severity
    var depts = board.departments;
    charts.push(make("chart-departments", {
      grid: { left: 16, right: 24, top: 36, bottom: 24, containLabel: true },
      legend: { top: 0, data: ["错误", "警告", "提示"] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: "{value} 条" } },
      yAxis: {
        type: "category", inverse: true,
        data: depts.map(function (d) { return short(d.name, 14); }),
      },
      series: ["error", "warning", "info"].map(function (s) {
        return {
          type: "bar", name: SEVERITY[s], stack: "findings", barMaxWidth: 20,
          itemStyle: { color: COLORS[s] },
          data: depts.map(function (d) { return d.findings[s]; }),
        };
      }),
    }, font, function (p) {
      var severity = ["error", "warning", "info"][p.seriesIndex];
      window.location.href = url("/findings", { org: depts[p.dataIndex].id, severity: severity }, data);
    }));

    // 绩效目标中有错误的占比: a ring with the share in its centre
    var sets = board.target_sets;
    charts.push(make("chart-share", {
      tooltip: { trigger: "item", formatter: "{b}：{c} 个（{d}%）" },
      legend: { bottom: 0 },
      title: {
        text: percent(sets.share), subtext: "有错误", left: "center", top: "36%",
        textStyle: { fontSize: 22, fontFamily: font, color: "#c62828" },
        subtextStyle: { fontFamily: font },
      },
      series: [{
        type: "pie", radius: ["48%", "70%"], center: ["50%", "46%"],
        label: { formatter: "{b}\n{c} 个" },
        data: [
          { name: "有错误", value: sets.with_errors, itemStyle: { color: COLORS.error }, target: "errors" },
          { name: "无错误", value: sets.without_errors, itemStyle: { color: "#7fb77e" }, target: "clean" },
        ],
      }],
    }, font, function (p) {
      if (p.data.target === "errors") {
        window.location.href = url("/findings", Object.assign({ severity: "error" }, scope), data);
      } else {
        window.location.href = url("/orgs", { kind: "targets", org: data.org }, data);
      }
    }));

    // 自评等级与得分分布: two bar charts side by side
    charts.push(make("chart-grades", {
      grid: [
        { left: 36, width: "38%", top: 36, bottom: 28 },
        { right: 12, width: "46%", top: 36, bottom: 28 },
      ],
      title: [
        { text: "等级", left: "4%", top: 0, textStyle: { fontSize: 13, fontFamily: font } },
        { text: "得分（分）", left: "50%", top: 0, textStyle: { fontSize: 13, fontFamily: font } },
      ],
      tooltip: { trigger: "item", formatter: "{b}：{c} 个" },
      xAxis: [
        { type: "category", gridIndex: 0, data: board.grades.map(function (g) { return g.grade; }) },
        { type: "category", gridIndex: 1,
          data: board.score_bands.map(function (b) { return b.band.replace(" 分以下", " 以下").replace(" 分", ""); }),
          axisLabel: { fontSize: 11, interval: 0 } },
      ],
      yAxis: [
        { type: "value", gridIndex: 0, minInterval: 1, name: "个" },
        { type: "value", gridIndex: 1, minInterval: 1 },
      ],
      series: [
        {
          type: "bar", name: "等级", xAxisIndex: 0, yAxisIndex: 0, barMaxWidth: 36,
          label: { show: true, position: "top", formatter: "{c}" },
          data: board.grades.map(function (g) {
            return { value: g.count, itemStyle: { color: GRADE_COLORS[g.grade] } };
          }),
        },
        {
          type: "bar", name: "得分", xAxisIndex: 1, yAxisIndex: 1, barMaxWidth: 30, itemStyle: { color: "#5b8fc9" },
          label: { show: true, position: "top", formatter: "{c}" },
          data: board.score_bands.map(function (b) { return b.count; }),
        },
      ],
    }, font, function (p) {
      var params = p.seriesIndex === 0 ? { grade: board.grades[p.dataIndex].grade }
        : { band: board.score_bands[p.dataIndex].band };
      window.location.href = url("/self-evaluations", Object.assign(params, scope), data);
    }));

    // 预算执行率（按部门）
    var rated = depts.filter(function (d) { return d.execution_rate !== null; });
    charts.push(make("chart-execution", {
      grid: { left: 16, right: 72, top: 12, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = rated[p.dataIndex];
          return d.name + "<br>执行率 " + percent(d.execution_rate) + "<br>全年执行数 " + d.spent +
            " 万元 / 全年预算数 " + d.budget + " 万元<br>" + d.evaluations + " 个绩效目标";
        },
      },
      xAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); },
        axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rated.map(function (d) { return short(d.name, 14); }) },
      series: [{
        type: "bar", name: "预算执行率", barMaxWidth: 20,
        data: rated.map(function (d) {
          var v = Number(d.execution_rate);
          return { value: v, itemStyle: { color: v >= 90 ? "#2e7d32" : v >= 60 ? "#e08a00" : "#c62828" } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return percent(p.value); } },
        markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#66788a" },
          label: { show: false }, data: [{ xAxis: 90 }] },
      }],
    }, font, function (p) {
      if (p.componentType === "series") {
        window.location.href = url("/self-evaluations", { org: rated[p.dataIndex].id, scored: "yes" }, data);
      }
    }));

    // 部门历年对比
    var years = data.years;
    if (years) {
      var ys = years.years;
      charts.push(make("chart-years", {
        grid: { left: 16, right: 24, top: 52, bottom: 24, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: ys.map(function (y) { return y.year + " 年"; }) },
        yAxis: [
          { type: "value", name: "份 / 条", minInterval: 1 },
          { type: "value", name: "得分 · 执行率%", nameTextStyle: { align: "right" }, min: 0, max: 100,
            splitLine: { show: false } },
        ],
        series: [
          { type: "bar", name: "文档（份）", barMaxWidth: 28, itemStyle: { color: "#5b8fc9" },
            data: ys.map(function (y) { return y.documents; }) },
          { type: "bar", name: "错误（条）", barMaxWidth: 28, itemStyle: { color: COLORS.error },
            data: ys.map(function (y) { return y.errors; }) },
          { type: "line", name: "平均自评得分", yAxisIndex: 1, connectNulls: true, itemStyle: { color: "#2e7d32" },
            data: ys.map(function (y) { return y.mean_score === null ? null : Number(y.mean_score); }) },
          { type: "line", name: "预算执行率（%）", yAxisIndex: 1, connectNulls: true, itemStyle: { color: "#e08a00" },
            data: ys.map(function (y) { return y.execution_rate === null ? null : Number(y.execution_rate); }) },
        ],
      }, font, function (p) {
        window.location.href = url("/orgs", { org: years.org.id, year: ys[p.dataIndex].year }, data);
      }));
    }

    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) { c.resize(); } });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
