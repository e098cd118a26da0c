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
    if (chart.key === "map") { drawMap(el, chart, names[0]); return; }
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

  // Villages (or townships) coloured by disputes: on the boundary GeoJSON when the county supplied
  // one, otherwise as a grid of tiles in code order.
  function drawMap(el, chart, name) {
    var values = chart.values[name] || [];
    var peak = Math.max.apply(null, values.concat([1]));
    var instance = echarts.init(el, null, { renderer: "svg" });
    var visual = { min: 0, max: peak, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#e6f4ef", "#0b6e4f"] } };
    if (chart.geojson) {
      fetch(chart.geojson).then(function (r) { return r.json(); }).then(function (geo) {
        echarts.registerMap("region", geo);
        instance.setOption({
          tooltip: { trigger: "item" }, visualMap: visual,
          toolbox: { feature: { saveAsImage: { title: "保存为图片", pixelRatio: 2 } } },
          series: [{ type: "map", map: "region", name: name,
                     data: chart.labels.map(function (label, i) { return { name: label, value: values[i] }; }) }]
        });
      });
      return;
    }
    var columns = Math.max(1, Math.ceil(Math.sqrt(chart.labels.length * 1.6)));
    var rows = Math.ceil(chart.labels.length / columns);
    var data = chart.labels.map(function (label, i) { return [i % columns, Math.floor(i / columns), values[i], label]; });
    instance.setOption({
      textStyle: { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
      tooltip: { formatter: function (p) { return p.data[3] + "：" + p.data[2]; } },
      toolbox: { feature: { saveAsImage: { title: "保存为图片", pixelRatio: 2 } } },
      grid: { left: 4, right: 4, top: 8, bottom: 48 },
      xAxis: { type: "category", data: Array.from({ length: columns }, function (_, i) { return i; }), show: false },
      yAxis: { type: "category", data: Array.from({ length: rows }, function (_, i) { return i; }), show: false, inverse: true },
      visualMap: visual,
      series: [{ type: "heatmap", data: data, name: name,
                 label: { show: true, fontSize: 11, formatter: function (p) { return p.data[3] + "\n" + p.data[2]; } },
                 itemStyle: { borderColor: "#fff", borderWidth: 2 } }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
})();
