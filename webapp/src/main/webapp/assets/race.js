// The race: the same ticker over five transports, measured. Plain transport code on purpose, so every request and
// byte is counted here (the rtkit.js client hides them behind one API).
(function () {
  'use strict';
  var TOPIC = 'ticker';
  var base = location.pathname.replace(/[^/]*$/, '');   // context path + '/'
  var encoder = window.TextEncoder ? new TextEncoder() : null;

  function byteLength(s) { return encoder ? encoder.encode(s).length : s.length; }

  function Panel(id) {
    this.el = document.getElementById(id);
    this.received = 0; this.requests = 0; this.empty = 0; this.bytes = 0; this.held = 0;
    this.latencies = [];
    this.statusEl = this.el.querySelector('.status');
    this.rows = {};
    var table = this.el.querySelector('table.stats');
    var labels = [['received', 'messages received'], ['p50', 'latency p50'], ['p95', 'latency p95'],
      ['requests', 'HTTP requests'], ['empty', 'empty responses'], ['bytes', 'bytes received'], ['held', 'connections held']];
    for (var i = 0; i < labels.length; i++) {
      var tr = document.createElement('tr');
      var name = document.createElement('td'); name.textContent = labels[i][1];
      var value = document.createElement('td'); value.className = 'v-' + labels[i][0];
      tr.appendChild(name); tr.appendChild(value); table.appendChild(tr);
      this.rows[labels[i][0]] = value;
    }
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
  Panel.prototype.render = function () {
    this.rows.received.textContent = this.received;
    this.rows.p50.textContent = this.percentile(0.5);
    this.rows.p95.textContent = this.percentile(0.95);
    this.rows.requests.textContent = this.requests;
    this.rows.empty.textContent = this.empty;
    this.rows.bytes.textContent = this.bytes;
    this.rows.held.textContent = this.held;
    this.el.setAttribute('data-received', String(this.received));
  };

  function later(fn, ms) { return setTimeout(fn, ms); }

  // Polling and long-polling: one GET, a JSON batch, the cursor for the next one.
  function batchLoop(panel, kind, delay) {
    var cursor = null;
    function once() {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', base + 'rt/' + kind + '/' + TOPIC + (cursor ? '?since=' + encodeURIComponent(cursor) : ''));
      panel.requests++; panel.held++;
      xhr.onload = function () {
        panel.held--;
        panel.bytes += byteLength(xhr.responseText || '');
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
        if (xhr.status !== 200 || !answer) {
          panel.status('HTTP ' + xhr.status + ', retrying', true);
          later(once, 2000);
          return;
        }
        cursor = answer.cursor || cursor;
        var messages = answer.messages || [];
        if (messages.length === 0) { panel.empty++; }
        for (var i = 0; i < messages.length; i++) { panel.message(messages[i]); }
        panel.status('cursor ' + cursor, false);
        later(once, delay());
      };
      xhr.onerror = function () { panel.held--; panel.status('request failed, retrying', true); later(once, 2000); };
      xhr.send();
    }
    once();
  }

  // Streaming: one long response, one JSON message per line. fetch + ReadableStream where there is one,
  // else XHR progress events (older engines).
  function streamLoop(panel) {
    var cursor = null;
    var buffer = '';
    function lines(chunk) {
      buffer += chunk;
      var nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        var line = buffer.slice(0, nl); buffer = buffer.slice(nl + 1);
        if (!line) { continue; }
        var msg; try { msg = JSON.parse(line); } catch (e) { continue; }
        if (msg.type === 'message') { cursor = msg.id; panel.message(msg); }
      }
    }
    function url() { return base + 'rt/stream/' + TOPIC + (cursor ? '?since=' + encodeURIComponent(cursor) : ''); }
    function ended(why) {
      panel.held = Math.max(0, panel.held - 1);
      panel.status(why + ', reconnecting', true);
      buffer = '';
      later(connect, 1000);
    }
    function connect() {
      panel.requests++; panel.held++;
      if (window.fetch && window.ReadableStream && window.TextDecoder) {
        fetch(url(), { cache: 'no-store' }).then(function (response) {
          if (!response.body || !response.body.getReader) { throw new Error('no streaming body'); }
          panel.status('open', false);
          var reader = response.body.getReader();
          var decoder = new TextDecoder();
          function pump() {
            return reader.read().then(function (r) {
              if (r.done) { ended('stream ended'); return; }
              panel.bytes += r.value.byteLength;
              lines(decoder.decode(r.value, { stream: true }));
              return pump();
            });
          }
          return pump();
        }).catch(function (e) { ended(String(e && e.message || e)); });
      } else {
        var xhr = new XMLHttpRequest();
        var seen = 0;
        xhr.open('GET', url());
        xhr.onprogress = function () {
          var text = xhr.responseText || '';
          var chunk = text.slice(seen); seen = text.length;
          panel.bytes += byteLength(chunk);
          lines(chunk);
        };
        xhr.onload = function () { xhr.onprogress(); ended('stream ended'); };
        xhr.onerror = function () { ended('request failed'); };
        xhr.send();
      }
    }
    connect();
  }

  // SSE: EventSource reconnects and resumes by itself (Last-Event-ID); ?format=json puts the whole message in data.
  function sseLoop(panel) {
    if (typeof window.EventSource !== 'function') { panel.status('EventSource not available in this browser', true); return; }
    var source;
    try { source = new EventSource(base + 'rt/sse/' + TOPIC + '?format=json'); } catch (e) {
      panel.status('EventSource failed: ' + e.message, true); return;
    }
    panel.requests++;
    source.onopen = function () { panel.held = 1; panel.status('open', false); };
    source.onmessage = function (e) {
      // As delivered: "id: …\ndata: …\n\n"
      panel.bytes += byteLength('id: ' + (e.lastEventId || '') + '\ndata: ' + e.data + '\n\n');
      var msg; try { msg = JSON.parse(e.data); } catch (x) { return; }
      panel.message(msg);
    };
    source.onerror = function () {
      panel.held = 0;
      if (source.readyState === 0) { panel.requests++; panel.status('reconnecting (EventSource retries by itself)', true); }
      else { panel.status('closed', true); }
    };
  }

  // WebSocket: one socket, subscribe frame, message frames.
  function wsLoop(panel) {
    if (typeof window.WebSocket !== 'function') { panel.status('WebSocket not available', true); return; }
    var cursor = null;
    var backoff = 1000;
    function connect() {
      var ws;
      try { ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'rt/ws'); }
      catch (e) { panel.status('WebSocket failed: ' + e.message, true); return; }
      panel.requests++;
      ws.onopen = function () {
        backoff = 1000; panel.held = 1; panel.status('open', false);
        var sub = { type: 'subscribe', topic: TOPIC };
        if (cursor) { sub.since = cursor; }
        ws.send(JSON.stringify(sub));
      };
      ws.onmessage = function (e) {
        var text = typeof e.data === 'string' ? e.data : '';
        panel.bytes += byteLength(text);
        var msg; try { msg = JSON.parse(text); } catch (x) { return; }
        if (msg.type === 'message') { cursor = msg.id; panel.message(msg); }
        else if (msg.type === 'error') { panel.status('server: ' + msg.message, true); }
      };
      ws.onclose = function (e) {
        panel.held = 0;
        panel.status('closed (' + e.code + '), reconnecting in ' + backoff / 1000 + ' s', true);
        later(connect, backoff); backoff = Math.min(backoff * 2, 15000);
      };
    }
    connect();
  }

  function showProtocols() {
    var page = document.getElementById('page-protocol');
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    page.textContent = nav && nav.nextHopProtocol ? 'loaded over ' + nav.nextHopProtocol : location.protocol;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', base + 'demo/info');
    xhr.onload = function () {
      try {
        var info = JSON.parse(xhr.responseText);
        var el = document.getElementById('server-protocol');
        el.textContent = info.protocol + (info.secure ? ' over TLS' : '');
        el.setAttribute('data-protocol', info.protocol);
      } catch (e) { /* leave the placeholder */ }
    };
    xhr.send();
  }

  function start() {
    showProtocols();
    var panels = {};
    ['poll', 'longpoll', 'stream', 'sse', 'websocket'].forEach(function (id) { panels[id] = new Panel(id); });
    var slider = document.getElementById('poll-interval');
    var sliderValue = document.getElementById('poll-interval-value');
    slider.addEventListener('input', function () { sliderValue.textContent = slider.value + ' ms'; });
    batchLoop(panels.poll, 'poll', function () { return Number(slider.value) || 1000; });
    batchLoop(panels.longpoll, 'longpoll', function () { return 0; });
    streamLoop(panels.stream);
    sseLoop(panels.sse);
    wsLoop(panels.websocket);
    setInterval(function () { for (var id in panels) { panels[id].render(); } }, 250);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
