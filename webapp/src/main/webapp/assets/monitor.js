// The monitor: rtkit's own meters, published by the server to topic "monitor" once a second, drawn with uPlot.
// Counters arrive as totals since start; the page draws their rate between two samples.
(function () {
  'use strict';
  var WINDOW = 120;   // samples kept: two minutes
  var TRANSPORTS = ['poll', 'longpoll', 'stream', 'sse', 'websocket'];
  var COLORS = ['#8e44ad', '#d35400', '#16a085', '#2754c5', '#c0392b'];
  var base = location.pathname.replace(/[^/]*$/, '');
  var status = document.getElementById('monitor-status');
  var state = { samples: 0, charts: {}, last: null, errors: [] };
  window.rtkitMonitor = state;
  window.addEventListener('error', function (e) { state.errors.push(String(e.message)); });

  function series(labels, colors) {
    var out = [{}];
    for (var i = 0; i < labels.length; i++) {
      out.push({ label: labels[i], stroke: colors[i], width: 2, points: { show: false } });
    }
    return out;
  }

  function chart(id, labels, colors) {
    var el = document.getElementById('chart-' + id);
    var data = [[]];
    for (var i = 0; i < labels.length; i++) { data.push([]); }
    var u = new uPlot({
      width: Math.max(260, el.clientWidth || 320), height: 180,
      series: series(labels, colors),
      axes: [{}, { size: 60 }],
      legend: { live: false }
    }, data, el);
    state.charts[id] = { plot: u, data: data };
  }

  function push(id, t, values) {
    var c = state.charts[id];
    c.data[0].push(t);
    for (var i = 0; i < values.length; i++) { c.data[i + 1].push(values[i]); }
    if (c.data[0].length > WINDOW) {
      for (var k = 0; k < c.data.length; k++) { c.data[k].shift(); }
    }
    c.plot.setData(c.data);
  }

  function rate(now, last, field) {
    if (!last) { return 0; }
    var seconds = Math.max(0.001, (now.t - last.t) / 1000);
    return Math.max(0, (now[field] - last[field]) / seconds);
  }

  function render(now) {
    var rows = [['published', 'messages published'], ['delivered', 'messages delivered'], ['bytes', 'bytes sent'],
      ['gaps', 'gaps'], ['rejections', 'rejections'], ['fallbacks', 'fallbacks']];
    var table = document.getElementById('monitor-now');
    table.textContent = '';
    function row(label, value) {
      var tr = document.createElement('tr');
      var a = document.createElement('td'); a.textContent = label;
      var b = document.createElement('td'); b.textContent = value;
      tr.appendChild(a); tr.appendChild(b); table.appendChild(tr);
    }
    TRANSPORTS.forEach(function (t) { row('connections · ' + t, now.connections[t]); });
    rows.forEach(function (r) { row(r[1] + ' (total)', now[r[0]]); });
    row('heap used', (now.heapUsed / 1048576).toFixed(1) + ' MiB');
  }

  function sample(now) {
    var last = state.last;
    var t = now.t / 1000;
    push('connections', t, TRANSPORTS.map(function (k) { return now.connections[k]; }));
    push('messages', t, [rate(now, last, 'published'), rate(now, last, 'delivered')]);
    push('bytes', t, [rate(now, last, 'bytes')]);
    push('trouble', t, [rate(now, last, 'gaps'), rate(now, last, 'rejections'), rate(now, last, 'fallbacks')]);
    push('heap', t, [now.heapUsed / 1048576, now.heapMax > 0 ? now.heapMax / 1048576 : null]);
    state.last = now;
    state.samples++;
    status.dataset.samples = String(state.samples);
    status.textContent = state.samples + ' samples, last at ' + new Date(now.t).toLocaleTimeString();
    render(now);
  }

  chart('connections', TRANSPORTS, COLORS);
  chart('messages', ['published/s', 'delivered/s'], ['#2754c5', '#1b7f3b']);
  chart('bytes', ['bytes/s'], ['#16a085']);
  chart('trouble', ['gaps/s', 'rejections/s', 'fallbacks/s'], ['#d35400', '#b3261e', '#8e44ad']);
  chart('heap', ['used', 'max'], ['#2754c5', '#5b6475']);

  var client = rtkit.connect({ url: base + 'rt' });
  client.on('transport', function (e) { document.getElementById('monitor-transport').textContent = 'over ' + e.name; });
  client.on('open', function () { document.getElementById('monitor-transport').textContent = 'over ' + client.transport; });
  client.on('error', function (e) { status.textContent = String(e && e.message || e); });
  client.subscribe('monitor', function (m) { sample(m.data); });
})();
