/* Dashboard charts: data comes from the json_script block "dashboard-data"; ECharts is served
   locally (static/vendor/echarts), its default locale is Chinese. SVG renderer, so the charts
   print crisply and tests can read them. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var colors = ["#b22222", "#e6a23c", "#5470c6", "#91cc75"];
  var charts = [];

  function init(id) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    charts.push(chart);
    return chart;
  }

  // This month (from the page, outside the cached figures), marked on the trend when it is shown.
  var now = document.getElementById("dashboard-now");
  var thisMonth = now ? now.getAttribute("data-month") : null;
  var thisMonthLabel = now ? now.getAttribute("data-label") : "";
  var thisIndex = thisMonth === null ? -1 : data.trend.months.indexOf(thisMonth);
  var showsThisMonth = thisIndex !== -1;
  if (!showsThisMonth) {
    thisIndex = data.trend.months.length - 1;
  }

  var trend = init("chart-trend");
  if (trend) {
    var filed = { name: labels.filed, type: "line", data: data.trend.filed };
    if (showsThisMonth) {
      filed.markLine = {
        symbol: "none",
        silent: true,
        lineStyle: { color: "#b22222", type: "dashed" },
        label: { formatter: thisMonthLabel, position: "end", color: "#b22222" },
        data: [{ xAxis: thisMonth }]
      };
    }
    trend.setOption({
      color: colors,
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.filed, labels.adopted] },
      grid: { left: 40, right: 20, top: 40, bottom: 44 },
      xAxis: {
        type: "category",
        data: data.trend.months,
        axisLabel: {
          // Every other month, counted from this one so that its label is always shown.
          interval: function (index) {
            return (index - thisIndex) % 2 === 0;
          },
          formatter: function (value) {
            return value === thisMonth ? "{now|" + value + "}\n{now|" + thisMonthLabel + "}" : value;
          },
          rich: { now: { color: "#b22222", fontWeight: "bold", align: "center" } }
        }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [filed, { name: labels.adopted, type: "bar", data: data.trend.adopted }]
    });
  }

  var levels = init("chart-levels");
  if (levels) {
    levels.setOption({
      color: colors,
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [
        {
          name: labels.levels,
          type: "pie",
          radius: ["40%", "70%"],
          label: { formatter: "{b}: {c}" },
          data: data.levels
        }
      ]
    });
  }

  var ranking = init("chart-ranking");
  if (ranking) {
    // Highest score on top: ECharts draws category axes bottom-up, so reverse.
    var names = data.ranking.names.slice().reverse();
    var scores = data.ranking.scores.slice().reverse();
    var urls = data.ranking.urls.slice().reverse();
    ranking.setOption({
      color: [colors[0]],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 90, right: 40, top: 10, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: names },
      series: [{ name: labels.score, type: "bar", data: scores, label: { show: true, position: "right" } }]
    });
    ranking.on("click", function (params) {
      var url = urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
