// The race's comparison chart: bars per transport for latency (p50 and p95), requests per message and bytes per
// message, drawn with uPlot (served from the WAR's WebJar). raceChart(el, statusEl, names).update(figures) redraws.
(function (global) {
  'use strict';
  var PLOTS = [
    { title: 'latency (ms)', series: [['p50', 'p50', '#2754c5', -1], ['p95', 'p95', '#9db3ea', 1]] },
    { title: 'HTTP requests per message', series: [['perMessage', 'requests / message', '#1b7f3b', 0]] },
    { title: 'bytes on the wire per message', series: [['bytesPerMessage', 'bytes / message', '#b35c00', 0]] }
  ];

  function options(plot, names, width) {
    var series = [{ label: 'transport' }];
    plot.series.forEach(function (s) {
      series.push({
        label: s[1], stroke: s[2], fill: s[2], width: 0,
        paths: uPlot.paths.bars({ size: [plot.series.length > 1 ? 0.35 : 0.6, 60], align: s[3] }),
        points: { show: false },
        value: function (u, v) { return v === null || v === undefined ? '–' : Math.round(v * 100) / 100; }
      });
    });
    return {
      title: plot.title, width: width, height: 220,
      cursor: { show: false }, select: { show: false },
      legend: { show: plot.series.length > 1, live: false },
      scales: {
        x: { time: false, range: [-0.6, names.length - 0.4] },
        y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } }
      },
      axes: [
        { splits: function () { return names.map(function (n, i) { return i; }); },
          values: function (u, splits) { return splits.map(function (i) { return names[i] || ''; }); },
          grid: { show: false }, size: 40, font: '11px system-ui, sans-serif' },
        { size: 56, font: '11px system-ui, sans-serif' }
      ],
      series: series
    };
  }

  global.raceChart = function (el, statusEl, names) {
    var short = names;
    var plots = [];
    var draws = 0;
    function width() { return Math.max(220, Math.floor((el.clientWidth || 900) / PLOTS.length) - 12); }
    try {
      if (typeof uPlot !== 'function' || typeof Path2D === 'undefined') {
        throw new Error('this browser lacks canvas paths');
      }
      PLOTS.forEach(function (plot) {
        var div = document.createElement('div');
        div.className = 'chart-plot';
        el.appendChild(div);
        var data = [short.map(function (n, i) { return i; })];
        plot.series.forEach(function () { data.push(short.map(function () { return null; })); });
        plots.push({ spec: plot, u: new uPlot(options(plot, short, width()), data, div) });
      });
      global.addEventListener('resize', function () {
        plots.forEach(function (p) { p.u.setSize({ width: width(), height: 220 }); });
      });
    } catch (e) {
      statusEl.textContent = 'The chart cannot be drawn here: ' + e.message;
      statusEl.className = 'status error';
      plots = [];
    }
    return {
      update: function (figures) {
        if (plots.length === 0) { return; }
        plots.forEach(function (p) {
          var data = [short.map(function (n, i) { return i; })];
          p.spec.series.forEach(function (s) { data.push(figures.map(function (f) { return f[s[0]]; })); });
          p.u.setData(data);
        });
        draws++;
        el.setAttribute('data-draws', String(draws));
        el.setAttribute('data-figures', JSON.stringify(figures.map(function (f) {
          return { p50: f.p50, p95: f.p95, perMessage: f.perMessage, bytesPerMessage: f.bytesPerMessage };
        })));
      }
    };
  };
})(window);
