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
