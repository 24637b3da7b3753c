/* 绩效运行监控: the 预警分布图 of a round (ECharts treemap of departments coloured by their worst
   level, from #mo-chart-data; a click lists the department's 监控表), and the dialogs that open a
   整改 task from a red or amber item of a 监控表. */
(function () {
  "use strict";

  var COLORS = { red: "#c62828", amber: "#e8a000", green: "#2e7d32", unfilled: "#9aa5b1" };
  var LABELS = { red: "红", amber: "黄", green: "绿", unfilled: "未填报" };

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function shown(d) {  // the service's level: a department whose sheets are all empty is "unfilled" (未填报)
    return d.level;
  }

  function counts(d) {
    return "红 " + d.red + " · 黄 " + d.amber + " · 绿 " + d.green +
      (d.unfilled ? " · 未填报 " + d.unfilled : "");
  }

  function drawMap() {
    var holder = document.getElementById("mo-chart-data");
    var el = document.getElementById("mo-chart");
    if (!holder || !el || !window.echarts) {
      return;
    }
    var data = JSON.parse(holder.textContent);
    var font = window.getComputedStyle(document.body).fontFamily;
    var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      tooltip: {
        textStyle: { fontFamily: font },
        formatter: function (p) {
          var d = p.data.dept;
          return esc(d.name) + "<br>预警：" + LABELS[shown(d)] + "<br>" + counts(d) + "（共 " + d.sheets + " 张监控表）";
        },
      },
      series: [{
        type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
        left: 0, right: 0, top: 0, bottom: 0,
        label: {
          show: true, fontFamily: font, fontSize: 13, color: "#fff", overflow: "break",
          formatter: function (p) {
            var d = p.data.dept;
            return d.name + "\n" + counts(d);
          },
        },
        itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 },
        data: data.departments.map(function (d) {
          return { name: d.name, value: d.sheets, dept: d, itemStyle: { color: COLORS[shown(d)] },
            label: d.level === "amber" ? { color: "#3b2500" } : undefined };
        }),
      }],
    });
    chart.on("click", function (p) {
      if (p.data && p.data.dept) {
        var url = new URL(window.location.href);
        url.searchParams.set("dept", p.data.dept.id);
        url.searchParams.delete("level");
        url.hash = "sheets";
        window.location.href = url.toString();
      }
    });
    chart.getZr().setCursorStyle("pointer");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (dialog && dialog.showModal) {
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest && event.target.closest("[data-close-dialog]");
    if (closer) {
      closer.closest("dialog").close();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawMap);
  } else {
    drawMap();
  }
})();
