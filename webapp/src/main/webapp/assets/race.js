// The race: the same ticker over five transports, one rtkit.js client per panel, each forced onto one transport.
// The panels read the client's own counters (requests, bytes, empty responses), so the numbers are what the
// transports really cost this page.
(function () {
  'use strict';
  var TOPIC = 'ticker';
  var base = location.pathname.replace(/[^/]*$/, '');   // context path + '/'
  var LABELS = [['received', 'messages received'], ['p50', 'latency p50'], ['p95', 'latency p95'],
    ['requests', 'HTTP requests'], ['empty', 'empty responses'], ['bytes', 'bytes received'], ['held', 'connections held']];

  function Panel(name, options) {
    var self = this;
    this.name = name;
    this.el = document.getElementById(name);
    this.received = 0;
    this.latencies = [];
    this.statusEl = this.el.querySelector('.status');
    this.rows = {};
    var table = this.el.querySelector('table.stats');
    for (var i = 0; i < LABELS.length; i++) {
      var tr = document.createElement('tr');
      var label = document.createElement('td'); label.textContent = LABELS[i][1];
      var value = document.createElement('td'); value.className = 'v-' + LABELS[i][0];
      tr.appendChild(label); tr.appendChild(value); table.appendChild(tr);
      this.rows[LABELS[i][0]] = value;
    }
    var opts = { url: base + 'rt', transports: [name] };
    for (var k in options) { opts[k] = options[k]; }
    this.client = rtkit.connect(opts);
    this.client.on('open', function () { self.status('open', false); });
    this.client.on('reconnecting', function (e) { self.status('reconnecting: ' + (e && e.reason || ''), true); });
    this.client.on('gap', function () { self.status('gap: some ticks expired before delivery', true); });
    this.client.on('error', function (e) { self.status(String(e && e.message || e), true); });
    this.client.subscribe(TOPIC, function (m) { self.message(m); });
    this.render();
  }
  Panel.prototype.message = function (msg) {
    this.received++;
    if (msg && msg.data && typeof msg.data.sentAt === 'number') {
      this.latencies.push(Date.now() - msg.data.sentAt);
      if (this.latencies.length > 2000) { this.latencies.shift(); }
    }
    this.el.setAttribute('data-received', String(this.received));
  };
  Panel.prototype.percentile = function (p) {
    if (this.latencies.length === 0) { return '–'; }
    var sorted = this.latencies.slice().sort(function (a, b) { return a - b; });
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] + ' ms';
  };
  Panel.prototype.status = function (text, isError) {
    this.statusEl.textContent = text;
    this.statusEl.className = 'status' + (isError ? ' error' : '');
  };
  Panel.prototype.held = function () {
    // Polling holds nothing between its short requests; the others keep one request or socket open.
    return this.name !== 'poll' && this.client.state === 'open' ? 1 : 0;
  };
  Panel.prototype.render = function () {
    var s = this.client.stats;
    this.rows.received.textContent = this.received;
    this.rows.p50.textContent = this.percentile(0.5);
    this.rows.p95.textContent = this.percentile(0.95);
    this.rows.requests.textContent = s.requests;
    this.rows.empty.textContent = s.emptyResponses;
    this.rows.bytes.textContent = s.bytesReceived;
    this.rows.held.textContent = this.held();
    this.el.setAttribute('data-received', String(this.received));
    this.el.setAttribute('data-requests', String(s.requests));
  };

  function showProtocols() {
    var page = document.getElementById('page-protocol');
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    page.textContent = nav && nav.nextHopProtocol ? 'loaded over ' + nav.nextHopProtocol : location.protocol;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', base + 'demo/info');
    xhr.onload = function () {
      var info;
      try { info = JSON.parse(xhr.responseText); } catch (e) { return; }
      var el = document.getElementById('server-protocol');
      el.textContent = info.protocol + (info.secure ? ' over TLS' : '');
      el.setAttribute('data-protocol', info.protocol);
    };
    xhr.send();
  }

  function start() {
    showProtocols();
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
    setInterval(function () { for (var i = 0; i < panels.length; i++) { panels[i].render(); } }, 250);
    window.addEventListener('pagehide', function () { for (var i = 0; i < panels.length; i++) { panels[i].client.close(); } });
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
