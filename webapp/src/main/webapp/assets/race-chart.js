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

  /** Whether this browser's canvas does what uPlot draws with (HtmlUnit's, for one, does not). */
  function canvasWorks() {
    try {
      var ctx = document.createElement('canvas').getContext('2d');
      var p = new Path2D();
      p.moveTo(0, 0); p.lineTo(1, 1); p.rect(0, 0, 1, 1); p.arc(1, 1, 1, 0, 1); p.bezierCurveTo(0, 0, 1, 1, 2, 2);
      var q = new Path2D(p);
      q.addPath(p);
      ctx.save(); ctx.clip(q); ctx.fill(p); ctx.stroke(p); ctx.setLineDash([1, 1]); ctx.restore();
      return ctx.measureText('x').width > 0 && typeof matchMedia === 'function';
    } catch (e) {
      return false;
    }
  }

  var UPLOT = 'webjars/uplot/1.6.30/dist/uPlot.iife.min.js';

  /**
   * The chart, drawn once uPlot has loaded. uPlot is loaded only where the chart can be drawn and resized (a canvas
   * that does what uPlot draws with, ResizeObserver): engines without them (HtmlUnit's among them, which cannot
   * even compile uPlot) get a sentence instead of an error.
   */
  global.raceChart = function (el, statusEl, names) {
    var plots = [];
    var draws = 0;
    var pending = null;
    function width() { return Math.max(220, Math.floor((el.clientWidth || 900) / PLOTS.length) - 12); }
    function unavailable(why) {
      statusEl.textContent = 'The chart cannot be drawn here: ' + why + '. The panels above carry the same figures.';
      statusEl.className = 'status error';
    }
    function draw() {
      PLOTS.forEach(function (plot) {
        var div = document.createElement('div');
        div.className = 'chart-plot';
        el.appendChild(div);
        var data = [names.map(function (n, i) { return i; })];
        plot.series.forEach(function () { data.push(names.map(function () { return null; })); });
        plots.push({ spec: plot, u: new uPlot(options(plot, names, width()), data, div) });
      });
      new ResizeObserver(function () {
        plots.forEach(function (p) { p.u.setSize({ width: width(), height: 220 }); });
      }).observe(el);
      if (pending) { chart.update(pending); }
    }
    var chart = {
      update: function (figures) {
        if (plots.length === 0) { pending = figures; return; }
        plots.forEach(function (p) {
          var data = [names.map(function (n, i) { return i; })];
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
    if (typeof ResizeObserver !== 'function' || !canvasWorks()) {
      unavailable('this browser lacks ResizeObserver or canvas paths');
      return chart;
    }
    var script = document.createElement('script');
    script.src = UPLOT;
    script.onload = function () {
      try { draw(); } catch (e) { unavailable(e.message); }
    };
    script.onerror = function () { unavailable('uPlot did not load'); };
    document.head.appendChild(script);
    return chart;
  };
})(window);
