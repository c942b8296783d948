// Frames the same stream test from the HTTP/1.1 origin and the TLS (h2) origin and summarises both.
(function () {
  'use strict';
  var base = location.pathname.replace(/[^/]*$/, '');
  var origins = {};

  function originFor(scheme, port) {
    return scheme + '//' + location.hostname.replace(/^([^[].*:.*)$/, '[$1]') + ':' + port;
  }

  function frame(kind, origin, n) {
    var slot = document.getElementById(kind + '-slot');
    slot.textContent = '';
    document.getElementById(kind + '-origin').textContent = origin;
    var box = document.getElementById(kind + '-box');
    box.setAttribute('data-open', '0');
    box.setAttribute('data-waiting', String(n));
    var iframe = document.createElement('iframe');
    iframe.className = 'streams';
    iframe.title = kind + ' streams';
    iframe.src = origin + base + 'pages/limits-frame.html?n=' + n;
    slot.appendChild(iframe);
  }

  function unavailable(kind, why) {
    var slot = document.getElementById(kind + '-slot');
    slot.textContent = why;
  }

  function onReport(e) {
    var data = e.data;
    if (!data || data.kind !== 'rtkit-limits') { return; }
    var kind = e.origin === origins.h1 ? 'h1' : e.origin === origins.h2 ? 'h2' : null;
    if (!kind) { return; }
    var box = document.getElementById(kind + '-box');
    box.setAttribute('data-open', String(data.open));
    box.setAttribute('data-waiting', String(data.n - data.open));
    box.setAttribute('data-protocol', String(data.protocol));
    if (data.ws) {
      box.setAttribute('data-ws-protocol', String(data.ws.protocol));
      box.setAttribute('data-ws-method', String(data.ws.method));
    }
    document.getElementById(kind + '-summary').textContent = data.open + ' of ' + data.n + ' open over ' + data.protocol +
      (data.ws ? ' · WebSocket: ' + data.ws.method + ' over ' + data.ws.protocol : '');
  }

  function probeWebSocket() {
    var el = document.getElementById('ws-protocol');
    if (typeof window.WebSocket !== 'function') { el.textContent = 'no WebSocket in this browser'; return; }
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'demo/ws-protocol');
    ws.onmessage = function (e) {
      var seen; try { seen = JSON.parse(e.data); } catch (x) { return; }
      el.textContent = seen.method + ' over ' + seen.protocol + (seen.protocol === 'HTTP/2.0' ? ' (RFC 8441 extended CONNECT)' : '');
      el.setAttribute('data-protocol', seen.protocol);
      el.setAttribute('data-method', seen.method);
      ws.close();
    };
    ws.onerror = function () { el.textContent = 'WebSocket failed'; };
  }

  function start(info) {
    var n = Math.max(1, Math.min(40, Number(document.getElementById('n').value) || 8));
    document.getElementById('n-label').textContent = String(n);
    var httpPort = info.httpPort > 0 ? info.httpPort : (location.protocol === 'http:' ? location.port || 80 : -1);
    var httpsPort = info.httpsPort > 0 ? info.httpsPort : (location.protocol === 'https:' ? location.port || 443 : -1);
    origins.h1 = httpPort > 0 ? originFor('http:', httpPort) : null;
    origins.h2 = httpsPort > 0 ? originFor('https:', httpsPort) : null;
    if (origins.h1) { document.getElementById('h1-link').href = origins.h1 + base + 'limits'; }
    if (origins.h2) { document.getElementById('h2-link').href = origins.h2 + base + 'limits'; }
    if (!origins.h1) { unavailable('h1', 'no HTTP/1.1 port known'); }
    else if (location.protocol === 'https:') {
      unavailable('h1', 'An https page may not frame an http one: open this page over plain HTTP to compare both.');
    } else { frame('h1', origins.h1, n); }
    if (origins.h2) { frame('h2', origins.h2, n); } else { unavailable('h2', 'no TLS port known'); }
      document.documentElement.setAttribute('data-ready', 'true');
  }

  function init() {
    window.addEventListener('message', onReport);
    probeWebSocket();
    var info = { httpPort: -1, httpsPort: -1 };
    var xhr = new XMLHttpRequest();
    xhr.open('GET', base + 'demo/info');
    xhr.onload = function () { try { info = JSON.parse(xhr.responseText); } catch (e) { /* defaults */ } start(info); };
    xhr.onerror = function () { start(info); };
    xhr.send();
    document.getElementById('limits-form').addEventListener('submit', function (e) { e.preventDefault(); start(info); });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
