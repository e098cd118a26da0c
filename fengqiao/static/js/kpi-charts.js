// Draws the KPI dashboard charts from the JSON the page embeds; each chart can be saved as PNG.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) { return; }
  var charts = JSON.parse(node.textContent);
  charts.forEach(function (chart) {
    var el = document.getElementById("chart-" + chart.key);
    if (!el) { return; }
    var names = Object.keys(chart.values);
    var horizontal = chart.key === "category_id" || chart.key === "ranking";
    var valueAxis = { type: "value", minInterval: 1 };
    var labelAxis = { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var option = {
      textStyle: { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif", fontSize: 14 },
      tooltip: { trigger: "axis" },
      legend: { data: names, top: 0 },
      toolbox: { feature: { saveAsImage: { title: "保存为图片", pixelRatio: 2 } } },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : labelAxis,
      yAxis: horizontal ? Object.assign({}, labelAxis, { inverse: true, axisLabel: { interval: 0 } }) : valueAxis,
      series: names.map(function (name) {
        return { name: name, type: chart.key === "trend" ? "line" : "bar", data: chart.values[name], smooth: true, label: { show: chart.key !== "trend", position: horizontal ? "right" : "top" } };
      })
    };
    var instance = echarts.init(el, null, { renderer: "svg" });
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  });
})();
