// Opens n EventSource streams to this frame's own origin and reports their state to the parent page.
(function () {
  'use strict';
  var base = location.pathname.replace(/pages\/[^/]*$/, '');
  var params = new URLSearchParams(location.search);
  var n = Math.max(1, Math.min(40, Number(params.get('n')) || 8));
  var streams = [];
  var wsSeen = null;
  var protocol = '';

  function report() {
    var open = 0;
    for (var i = 0; i < streams.length; i++) { if (streams[i].open) { open++; } }
    document.getElementById('summary').textContent = open + ' of ' + n + ' streams open, ' + (n - open) + ' waiting';
    if (window.parent !== window) {
      window.parent.postMessage({ kind: 'rtkit-limits', protocol: protocol, n: n, open: open,
        received: streams.map(function (s) { return s.received; }), ws: wsSeen }, '*');
    }
  }

  function row(i) {
    var tr = document.createElement('tr');
    var name = document.createElement('td'); name.textContent = 'stream ' + (i + 1);
    var state = document.createElement('td'); state.textContent = 'waiting for a connection…';
    tr.appendChild(name); tr.appendChild(state);
    document.getElementById('streams').appendChild(tr);
    return state;
  }

  function openStream(i) {
    var s = { open: false, received: 0, cell: row(i) };
    streams.push(s);
    if (typeof window.EventSource !== 'function') { s.cell.textContent = 'EventSource not available'; return; }
    var started = Date.now();
    var source = new EventSource(base + 'rt/sse/ticker?format=json');
    source.onopen = function () {
      s.open = true;
      s.cell.textContent = 'open after ' + (Date.now() - started) + ' ms';
      report();
    };
    source.onmessage = function () {
      s.received++;
      s.cell.textContent = 'open, ' + s.received + ' messages';
      report();
    };
    source.onerror = function () { s.open = false; s.cell.textContent = 'reconnecting'; report(); };
  }

  function probeWebSocket() {
    if (typeof window.WebSocket !== 'function') { document.getElementById('ws').textContent = 'no WebSocket'; return; }
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'demo/ws-protocol');
    ws.onmessage = function (e) {
      try { wsSeen = JSON.parse(e.data); } catch (x) { return; }
      document.getElementById('ws').textContent = wsSeen.method + ' over ' + wsSeen.protocol;
      report();
      ws.close();
    };
    ws.onerror = function () { document.getElementById('ws').textContent = 'failed'; };
  }

  function start() {
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    protocol = nav && nav.nextHopProtocol ? nav.nextHopProtocol : location.protocol;
    document.getElementById('protocol').textContent = location.protocol + '//' + location.host + ' over ' + protocol;
    probeWebSocket();
    for (var i = 0; i < n; i++) { openStream(i); }
    report();
      document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
