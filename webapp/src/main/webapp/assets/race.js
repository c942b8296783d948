// The race: the same ticker over five transports, one rtkit.js client per panel, each forced onto one transport.
// Requests, empty responses and messages come from the client's own counters; bytes and connections held from the
// page's wire meter (wire.js), which watches the requests, streams and sockets each client opens.
(function () {
  'use strict';
  var TOPIC = 'ticker';
  var TAIL = 5;
  var RATES = [0.2, 0.5, 1, 2, 5, 10, 20, 50];                     // ticks per second at the slider's stops
  var base = location.pathname.replace(/[^/]*$/, '');             // context path + '/'
  var LABELS = [['received', 'messages received'], ['p50', 'latency p50'], ['p95', 'latency p95'],
    ['requests', 'HTTP requests'], ['perMessage', 'requests / message'], ['empty', 'empty responses'],
    ['bytes', 'bytes on the wire'], ['bytesPerMessage', 'bytes / message'], ['held', 'connections held (most)']];

  function Panel(name, options) {
    var self = this;
    this.name = name;
    this.el = document.getElementById(name);
    this.statusEl = this.el.querySelector('.status');
    this.tailEl = this.el.querySelector('.tail');
    this.rows = {};
    var table = this.el.querySelector('table.stats');
    for (var i = 0; i < LABELS.length; i++) {
      var tr = document.createElement('tr');
      var label = document.createElement('td'); label.textContent = LABELS[i][1];
      var value = document.createElement('td'); value.className = 'v-' + LABELS[i][0];
      tr.appendChild(label); tr.appendChild(value); table.appendChild(tr);
      this.rows[LABELS[i][0]] = value;
    }
    this.reset();
    var opts = { url: base + 'rt', transports: [name] };
    for (var k in options) { opts[k] = options[k]; }
    this.client = wireMeter.connect(name, opts);
    this.client.on('open', function () { self.status('open', false); });
    this.client.on('reconnecting', function (e) { self.status('reconnecting: ' + (e && e.reason || ''), true); });
    this.client.on('gap', function () { self.status('gap: some ticks expired before delivery', true); });
    this.client.on('error', function (e) { self.status(String(e && e.message || e), true); });
    this.client.subscribe(TOPIC, function (m) { self.message(m); });
    this.render();
  }
  Panel.prototype.reset = function () {
    this.received = 0;
    this.latencies = [];
    this.sentAts = [];
    this.tailEl.textContent = '';
    if (this.client) {
      this.client.resetStats();
      this.client.meter.reset();
    }
  };
  Panel.prototype.message = function (msg) {
    this.received++;
    var latency = msg && msg.data && typeof msg.data.sentAt === 'number' ? Date.now() - msg.data.sentAt : null;
    if (latency !== null) {
      this.latencies.push(latency);
      if (this.latencies.length > 2000) { this.latencies.shift(); }
      this.sentAts.push(msg.data.sentAt);
      if (this.sentAts.length > 11) { this.sentAts.shift(); }
    }
    var li = document.createElement('li');
    li.textContent = '#' + (msg && msg.data && msg.data.seq) + (latency === null ? '' : ' · ' + latency + ' ms');
    this.tailEl.insertBefore(li, this.tailEl.firstChild);
    while (this.tailEl.children.length > TAIL) { this.tailEl.removeChild(this.tailEl.lastChild); }
    this.el.setAttribute('data-received', String(this.received));
  };
  /** The latency below which fraction p of the ticks arrived, in ms; null before the first tick. */
  Panel.prototype.percentile = function (p) {
    if (this.latencies.length === 0) { return null; }
    var sorted = this.latencies.slice().sort(function (a, b) { return a - b; });
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  };
  /** The median time between the last ticks as the server stamped them (ms): the ticker's period, seen from here. */
  Panel.prototype.tickGap = function () {
    var gaps = [];
    for (var i = 1; i < this.sentAts.length; i++) { gaps.push(this.sentAts[i] - this.sentAts[i - 1]); }
    if (gaps.length < 4) { return ''; }
    gaps.sort(function (a, b) { return a - b; });
    return String(gaps[Math.floor(gaps.length / 2)]);
  };
  Panel.prototype.figures = function () {
    var s = this.client.stats;
    var m = this.client.meter;
    return {
      received: this.received, p50: this.percentile(0.5), p95: this.percentile(0.95),
      requests: s.requests, empty: s.emptyResponses, bytes: m.total(), held: m.open, mostHeld: m.mostOpen,
      perMessage: this.received ? s.requests / this.received : null,
      bytesPerMessage: this.received ? m.total() / this.received : null
    };
  };
  Panel.prototype.status = function (text, isError) {
    this.statusEl.textContent = text;
    this.statusEl.className = 'status' + (isError ? ' error' : '');
  };
  Panel.prototype.render = function () {
    var f = this.figures();
    var r = this.rows;
    r.received.textContent = f.received;
    r.p50.textContent = f.p50 === null ? '–' : f.p50 + ' ms';
    r.p95.textContent = f.p95 === null ? '–' : f.p95 + ' ms';
    r.requests.textContent = f.requests;
    r.perMessage.textContent = f.perMessage === null ? '–' : f.perMessage.toFixed(2);
    r.empty.textContent = f.empty;
    r.bytes.textContent = f.bytes.toLocaleString('en');
    r.bytesPerMessage.textContent = f.bytesPerMessage === null ? '–' : Math.round(f.bytesPerMessage).toLocaleString('en');
    r.held.textContent = f.held + ' (' + f.mostHeld + ')';
    this.el.setAttribute('data-received', String(f.received));
    this.el.setAttribute('data-requests', String(f.requests));
    this.el.setAttribute('data-bytes', String(f.bytes));
    this.el.setAttribute('data-held', String(f.held));
    this.el.setAttribute('data-tick-gap', this.tickGap());
    return f;
  };

  function getJson(method, url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, base + url);
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* reported as null */ }
      done(xhr.status, body);
    };
    xhr.onerror = function () { done(0, null); };
    xhr.send();
  }

  function showProtocols(info) {
    var page = document.getElementById('page-protocol');
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    page.textContent = nav && nav.nextHopProtocol ? 'loaded over ' + nav.nextHopProtocol : location.protocol;
    if (info) {
      var el = document.getElementById('server-protocol');
      el.textContent = info.protocol + (info.secure ? ' over TLS' : '');
      el.setAttribute('data-protocol', info.protocol);
    }
  }

  /** The rate control: shows the server's rate, sets a new one. */
  function rateControl() {
    var slider = document.getElementById('rate');
    var label = document.getElementById('rate-value');
    function show(state) {
      if (!state || typeof state.perSecond !== 'number') { label.textContent = 'unknown (ticker not running)'; return; }
      var perSecond = state.perSecond;
      label.textContent = perSecond >= 1 ? Math.round(perSecond * 10) / 10 + ' ticks/s'
        : 'one tick every ' + Math.round(1 / perSecond * 10) / 10 + ' s';
      slider.setAttribute('data-per-second', String(perSecond));
      if (document.activeElement !== slider) {
        var best = 0;
        for (var i = 1; i < RATES.length; i++) {
          if (Math.abs(Math.log(RATES[i] / perSecond)) < Math.abs(Math.log(RATES[best] / perSecond))) { best = i; }
        }
        slider.value = String(best);
      }
    }
    slider.addEventListener('change', function () {
      getJson('POST', 'demo/ticker?perSecond=' + RATES[Number(slider.value)], function (status, body) {
        show(status === 200 ? body : null);
      });
    });
    function refresh() { getJson('GET', 'demo/ticker', function (status, body) { show(status === 200 ? body : null); }); }
    refresh();
    setInterval(refresh, 3000);                                     // others may change the shared ticker too
  }

  function start(info) {
    showProtocols(info);
    if (info) {
      wireMeter.settings.requestHeaderBytes = info.requestHeaderBytes || 0;
      wireMeter.settings.h2 = info.protocol === 'HTTP/2.0';
    }
    var slider = document.getElementById('poll-interval');
    var sliderValue = document.getElementById('poll-interval-value');
    var panels = [
      new Panel('poll', { pollInterval: Number(slider.value) || 1000 }),
      new Panel('longpoll', {}),
      new Panel('stream', {}),
      new Panel('sse', {}),
      new Panel('websocket', {})
    ];
    slider.addEventListener('input', function () {
      sliderValue.textContent = slider.value + ' ms';
      panels[0].client.options.pollInterval = Number(slider.value) || 1000;
    });
    rateControl();
    var chart = raceChart(document.getElementById('chart'), document.getElementById('chart-status'),
      ['polling', 'long-poll', 'stream', 'SSE', 'WebSocket']);
    function renderAll() { return panels.map(function (p) { return p.render(); }); }
    document.getElementById('reset').addEventListener('click', function () {
      panels.forEach(function (p) { p.reset(); });
      chart.update(renderAll());
      document.getElementById('reset').setAttribute('data-resets', String(Number(document.getElementById('reset').getAttribute('data-resets') || 0) + 1));
    });
    setInterval(renderAll, 250);
    chart.update(renderAll());
    setInterval(function () { chart.update(renderAll()); }, 1000);
    window.addEventListener('pagehide', function () { panels.forEach(function (p) { p.client.close(); }); });
    document.documentElement.setAttribute('data-ready', 'true');
  }

  function boot() {
    // The request-header size and the protocol must be known before the first panel request is counted.
    getJson('GET', 'demo/info', function (status, info) { start(status === 200 ? info : null); });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', boot); } else { boot(); }
})();
