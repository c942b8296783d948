// What each race panel's connections cost on the wire, measured from the browser's own objects.
//
// rtkit.js counts a request (client.stats.requests++) immediately before it opens it, in the same synchronous step,
// so a setter on that counter tells the meter whose request the next XMLHttpRequest.send, fetch, EventSource or
// WebSocket is. From those objects the meter takes what the browser shows: response headers (XHR, fetch), bodies
// and stream chunks as received, SSE events, WebSocket messages, and when each request or socket opens and closes
// (the "connections held"). What no browser API shows is added by the protocol's rules: the request line and headers
// (their size as this browser sent them to /demo/info), the status line, chunked-encoding and HTTP/2 frame headers,
// WebSocket frame headers. Over HTTP/2 HPACK compresses repeated headers to a few bytes, so there the header figures
// are an upper bound. Resource Timing cannot do better: its transferSize counts every response's headers as a flat
// 300 bytes (the specification's privacy rule; Chromium reports encodedBodySize + 300 over HTTP/1.1 and HTTP/2 alike).
(function (global) {
  'use strict';
  var STATUS_LINE = 'HTTP/1.1 200 OK\r\n'.length;
  var H2_FRAME = 9;                                             // every HTTP/2 frame header
  // "HTTP/1.1 101 Switching Protocols", Upgrade, Connection, Sec-WebSocket-Accept (28 characters) and the blank line.
  var WS_101 = 34 + 20 + 21 + 22 + 28 + 2 + 2;
  var current = null;
  var settings = { requestHeaderBytes: 0, h2: false, sseHeaderBytes: 0 };

  function utf8(text) {
    var s = String(text || '');
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) { n += 1; } else if (c < 0x800) { n += 2; } else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; } else { n += 3; }
    }
    return n;
  }

  function Meter(name) {
    this.name = name;
    this.open = 0;
    this.reset();
  }
  Meter.prototype.reset = function () {
    this.requests = 0;
    this.up = 0;
    this.headers = 0;
    this.bodies = 0;
    this.framing = 0;
    this.mostOpen = this.open;
  };
  Meter.prototype.total = function () { return this.up + this.headers + this.bodies + this.framing; };
  /** A request or socket opened; returns the function that closes it (once). */
  Meter.prototype.opened = function () {
    var self = this;
    var live = true;
    this.open++;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    this.requests++;
    this.up += settings.requestHeaderBytes + (settings.h2 ? H2_FRAME : 0);
    return function () {
      if (live) { live = false; self.open--; }
    };
  };
  Meter.prototype.responseHead = function (headerBytes) {
    this.headers += headerBytes;
    this.framing += settings.h2 ? H2_FRAME : 0;
  };
  /** n body bytes arrived in one piece; chunked: true when HTTP/1.1 framed them as one chunk. */
  Meter.prototype.chunk = function (n, chunked) {
    this.bodies += n;
    if (settings.h2) {
      this.framing += H2_FRAME;
    } else if (chunked && n > 0) {
      this.framing += n.toString(16).length + 4;               // "1a\r\n" … "\r\n"
    }
  };
  Meter.prototype.wsFrame = function (n) {
    this.bodies += n;
    this.framing += (n < 126 ? 2 : n < 65536 ? 4 : 10) + (settings.h2 ? H2_FRAME : 0);
  };

  function take() {
    var m = current;
    current = null;
    return m;
  }

  function headerBytesOf(headers) {
    var n = STATUS_LINE + 2;
    headers.forEach(function (value, name) { n += utf8(name) + 2 + utf8(value) + 2; });
    return n;
  }

  // ------------------------------------------------------------------ XMLHttpRequest (poll, long-poll, publish)
  // Listeners go on at open(), before rtkit.js sets onload: the answer is counted and the request closed before
  // rtkit.js opens the next one from its onload, so back-to-back requests are not counted as two held at once.
  var nativeOpen = XMLHttpRequest.prototype.open;
  var nativeSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function () {
    var xhr = this;
    if (!xhr.wireMeterListening) {
      xhr.wireMeterListening = true;
      xhr.addEventListener('load', function () {
        var m = xhr.wireMeter;
        if (m) {
          var head = xhr.getAllResponseHeaders() || '';
          m.responseHead(STATUS_LINE + utf8(head) + 2);
          var chunked = /transfer-encoding:\s*chunked/i.test(head);
          m.chunk(utf8(xhr.responseText), chunked);
          if (chunked && !settings.h2) { m.framing += 5; }    // the last chunk, "0\r\n\r\n"
        }
      });
      ['load', 'error', 'abort', 'timeout'].forEach(function (type) {
        xhr.addEventListener(type, function () {
          if (xhr.wireMeterClose) { xhr.wireMeterClose(); }
        });
      });
    }
    return nativeOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var m = take();
    this.wireMeter = m;
    this.wireMeterClose = m ? m.opened() : null;
    return nativeSend.apply(this, arguments);
  };

  // ------------------------------------------------------------------ fetch (NDJSON stream)
  if (typeof global.fetch === 'function') {
    var nativeFetch = global.fetch;
    global.fetch = function (input, init) {
      var m = take();
      var answer = nativeFetch.apply(this, arguments);
      if (!m) {
        return answer;
      }
      var close = m.opened();
      if (init && init.signal) { init.signal.addEventListener('abort', close); }
      return answer.then(function (response) {
        var head = headerBytesOf(response.headers);
        m.responseHead(head);
        settings.sseHeaderBytes = settings.sseHeaderBytes || head;
        if (!response.body || typeof TransformStream === 'undefined') {
          close();
          return response;
        }
        var counted = response.body.pipeThrough(new TransformStream({
          transform: function (chunk, controller) { m.chunk(chunk.byteLength, true); controller.enqueue(chunk); },
          flush: close
        }));
        return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
      }, function (e) {
        close();
        throw e;
      });
    };
  }

  // ------------------------------------------------------------------ EventSource (SSE)
  if (typeof global.EventSource === 'function') {
    var NativeEventSource = global.EventSource;
    var MeteredEventSource = function (url, options) {
      var es = options === undefined ? new NativeEventSource(url) : new NativeEventSource(url, options);
      var m = take();
      if (!m) {
        return es;
      }
      var close = m.opened();
      // EventSource shows neither headers nor framing: the headers are taken as large as the stream's, each event
      // as it was framed ("id: …", "event: …", "data: …", each ending in a newline, then a blank line), one chunk each.
      es.addEventListener('open', function () { m.responseHead(settings.sseHeaderBytes || 150); });
      function framed(e) {
        var n = utf8(e.data) + 8 + (e.lastEventId ? utf8(e.lastEventId) + 5 : 0) + (e.type !== 'message' ? utf8(e.type) + 8 : 0);
        m.chunk(n, true);
      }
      ['message', 'gap', 'heartbeat'].forEach(function (type) { es.addEventListener(type, framed); });
      es.addEventListener('error', function () { if (es.readyState === 2) { close(); } });
      var nativeClose = es.close;
      es.close = function () { close(); return nativeClose.apply(es, arguments); };
      return es;
    };
    MeteredEventSource.prototype = NativeEventSource.prototype;
    MeteredEventSource.CONNECTING = 0; MeteredEventSource.OPEN = 1; MeteredEventSource.CLOSED = 2;
    global.EventSource = MeteredEventSource;
  }

  // ------------------------------------------------------------------ WebSocket
  if (typeof global.WebSocket === 'function') {
    var NativeWebSocket = global.WebSocket;
    var MeteredWebSocket = function (url, protocols) {
      var ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      var m = take();
      if (!m) {
        return ws;
      }
      var close = m.opened();
      ws.addEventListener('open', function () { m.responseHead(WS_101); });
      ws.addEventListener('message', function (e) { m.wsFrame(typeof e.data === 'string' ? utf8(e.data) : (e.data.size || e.data.byteLength || 0)); });
      ws.addEventListener('close', close);
      return ws;
    };
    MeteredWebSocket.prototype = NativeWebSocket.prototype;
    MeteredWebSocket.CONNECTING = 0; MeteredWebSocket.OPEN = 1; MeteredWebSocket.CLOSING = 2; MeteredWebSocket.CLOSED = 3;
    global.WebSocket = MeteredWebSocket;
  }

  global.wireMeter = {
    settings: settings,
    utf8: utf8,
    /**
     * rtkit.connect(options) with a meter on the client (client.meter): every request, stream and socket it opens,
     * from its first (opened while connect runs) on, is counted there.
     */
    connect: function (name, options) {
      var meter = new Meter(name);
      var client;
      current = meter;
      try {
        // A measured panel holds its own connection: shared with another tab, it would count nothing.
        client = global.rtkit.connect(Object.assign({ share: false }, options));
      } finally {
        current = null;
      }
      var stats = client.stats;
      var requests = stats.requests;
      Object.defineProperty(stats, 'requests', {
        enumerable: true,
        get: function () { return requests; },
        set: function (value) {
          requests = value;
          if (value > 0) { current = meter; }                  // resetStats sets 0 and opens nothing
        }
      });
      client.meter = meter;
      return client;
    }
  };
})(window);
