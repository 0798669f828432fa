// Draws the ECharts options the server put in the page (json_script "charts"): one chart per element
// with data-chart="<key>". A chart's "links" (one per data point) open the records behind a figure.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("charts");
    if (!source || !window.echarts) { return; }
    var options = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var option = options[element.dataset.chart];
      if (!option) { return; }
      var links = option.links || [];
      delete option.links;
      // Values in the tooltip and on the value axis with thousands separators and the chart's unit.
      var unit = option.valueUnit;
      delete option.valueUnit;
      if (unit) {
        var number = new Intl.NumberFormat(document.documentElement.lang || "zh-CN",
                                           { maximumFractionDigits: 2 });
        option.tooltip = Object.assign({}, option.tooltip, {
          valueFormatter: function (value) {
            return value === null || value === undefined || value === "-" ? "—" : number.format(value) + unit;
          }
        });
        option.yAxis = Object.assign({}, option.yAxis, {
          axisLabel: Object.assign({}, (option.yAxis || {}).axisLabel, {
            formatter: function (value) { return number.format(value); }
          })
        });
      }
      var chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option);
      if (links.length) {
        chart.on("click", function (event) {
          if (links[event.dataIndex]) { window.location.href = links[event.dataIndex]; }
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
      element.dataset.drawn = "true";
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
