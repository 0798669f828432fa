// Draws the Gantt-style timeline of a measure's tasks from the JSON the server put in the page
// (json_script "gantt"): one bar per task from its start to its time limit, a diamond per milestone.
(function () {
  "use strict";
  var COLOURS = { planned: "#94a3b8", in_progress: "#1d4ed8", done: "#1f7a3f", overdue: "#b42318" };
  function day(text) { return new Date(text + "T00:00:00").getTime(); }
  function draw() {
    var element = document.querySelector("[data-gantt]");
    var source = document.getElementById("gantt");
    if (!element || !source || !window.echarts) { return; }
    var rows = JSON.parse(source.textContent);
    if (!rows.length) { return; }
    var names = rows.map(function (row) { return row.name; });
    var bars = rows.map(function (row, index) {
      return { value: [index, day(row.start), day(row.end)], itemStyle: { color: COLOURS[row.status] || "#1d4ed8" } };
    });
    var marks = [];
    rows.forEach(function (row, index) {
      row.milestones.forEach(function (milestone) {
        marks.push({ value: [day(milestone.date), index], name: milestone.name,
                     itemStyle: { color: milestone.done ? "#1f7a3f" : "#8a5300" } });
      });
    });
    element.style.height = Math.max(220, 60 + rows.length * 42) + "px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 260, right: 30, top: 20, bottom: 40 },
      tooltip: { formatter: function (p) {
        if (p.seriesType === "scatter") { return p.name + " " + new Date(p.value[0]).toLocaleDateString(); }
        return names[p.value[0]] + "<br>" + new Date(p.value[1]).toLocaleDateString() + " – " +
          new Date(p.value[2]).toLocaleDateString();
      } },
      xAxis: { type: "time" },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 240, overflow: "truncate" } },
      series: [
        { type: "custom", encode: { x: [1, 2], y: 0 }, data: bars,
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]);
            var end = api.coord([api.value(2), api.value(0)]);
            var height = api.size([0, 1])[1] * 0.5;
            return { type: "rect", shape: { x: start[0], y: start[1] - height / 2,
              width: Math.max(2, end[0] - start[0]), height: height }, style: api.style() };
          } },
        { type: "scatter", symbol: "diamond", symbolSize: 12, data: marks },
        { type: "line", markLine: { silent: true, symbol: "none", label: { show: false }, data: [{ xAxis: Date.now() }],
          lineStyle: { color: "#b42318", type: "dashed" } }, data: [] }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.drawn = "true";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
