/*
 * rtkit.js: the browser client for rtkit. Plain JavaScript, no build step.
 *
 *   <script src="/rtkit/rtkit.js"></script>            classic script: global `rtkit`
 *   import rtkit, { connect } from '/rtkit/rtkit.mjs'   ES module (rtkit.mjs imports this file)
 *
 *   const c = rtkit.connect({ url: '/rt' });
 *   c.subscribe('news', m => console.log(m.topic, m.id, m.data));
 *   c.publish('news', { text: 'hi' }).then(r => console.log('published', r.id));
 *
 * One API over five transports, tried in this order unless `transports` says otherwise:
 * websocket, sse, stream (fetch + NDJSON), longpoll, poll. A transport that never managed to open is
 * replaced by the next one ('transport' event, with the reason); one that worked before and dropped is
 * reconnected with exponential backoff and full jitter. Every reconnect and every switch resumes from the
 * last id seen per topic, and messages are deduplicated by id, so nothing is lost and nothing repeats.
 *
 * Written in ES5 plus Promise so that older engines (and HtmlUnit) run it.
 */
(function (root, factory) {
  'use strict';
  var api = factory(root);
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.rtkit = api;
  }
}(typeof globalThis !== 'undefined' ? globalThis : (typeof self !== 'undefined' ? self : this), function (global) {
  'use strict';

  var VERSION = '0.1.0';
  var TRANSPORTS = ['websocket', 'sse', 'stream', 'longpoll', 'poll'];

  /** Options and their defaults. UNIT of every *Delay, *Interval and *Timeout: milliseconds. */
  var DEFAULTS = {
    /** Base URL of the rtkit servlet, relative to the page or absolute. */
    url: '/rt',
    /** Transports to try, in order; one name forces that transport. */
    transports: TRANSPORTS,
    /** Pause between two polls of the 'poll' transport. */
    pollInterval: 1000,
    /**
     * Silence after which a connection is declared dead (the server heartbeats every 15 s by default). Watches the
     * NDJSON stream (heartbeat lines) and bounds each poll and long-poll; SSE comment heartbeats and WebSocket
     * pings are invisible to scripts, so those two are watched once the server sends a visible heartbeat
     * (an SSE 'heartbeat' event, a {"type":"heartbeat"} frame).
     */
    heartbeatTimeout: 45000,
    /** How long a transport may take to open before the next one is tried. */
    openTimeout: 10000,
    /** First reconnect delay bound; doubles per failed attempt (full jitter: a random delay below the bound). */
    reconnectDelay: 500,
    /** Cap of the reconnect delay bound. */
    maxReconnectDelay: 30000,
    /** How long a publish waits for its acknowledgement. */
    publishTimeout: 10000
  };

  // ---------------------------------------------------------------- small helpers

  function extend(target) {
    for (var i = 1; i < arguments.length; i++) {
      var src = arguments[i];
      if (src) {
        for (var k in src) {
          if (Object.prototype.hasOwnProperty.call(src, k) && src[k] !== undefined) {
            target[k] = src[k];
          }
        }
      }
    }
    return target;
  }

  function keys(obj) {
    var out = [];
    for (var k in obj) {
      if (Object.prototype.hasOwnProperty.call(obj, k)) {
        out.push(k);
      }
    }
    return out;
  }

  /** Parses "<epoch>-<seq>"; null when malformed. Seq compares numerically within one epoch. */
  function parseId(id) {
    if (typeof id !== 'string') {
      return null;
    }
    var dash = id.lastIndexOf('-');
    if (dash <= 0) {
      return null;
    }
    var seq = Number(id.substring(dash + 1));
    if (!(seq >= 0)) {
      return null;
    }
    return { epoch: id.substring(0, dash), seq: seq, id: id };
  }

  /** Bytes of a string once UTF-8 encoded, without allocating. */
  function utf8Length(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (c >= 0xD800 && c <= 0xDBFF) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  function absoluteUrl(url) {
    if (/^[a-z]+:\/\//i.test(url)) {
      return url;
    }
    var loc = global.location;
    if (!loc) {
      return url;
    }
    if (url.charAt(0) === '/') {
      return loc.protocol + '//' + loc.host + url;
    }
    var path = loc.pathname.substring(0, loc.pathname.lastIndexOf('/') + 1);
    return loc.protocol + '//' + loc.host + path + url;
  }

  function topicQuery(topics) {
    var parts = [];
    for (var i = 0; i < topics.length; i++) {
      parts.push('topic=' + encodeURIComponent(topics[i]));
    }
    return parts.join('&');
  }

  function errorOf(reason, extra) {
    var e = new Error(reason);
    return extend(e, extra);
  }

  /**
   * One HTTP request with XMLHttpRequest (which HtmlUnit and every browser have).
   * done(error, status, text); returns the request so it can be aborted.
   */
  function request(client, method, url, body, timeout, done) {
    var xhr = new XMLHttpRequest();
    var finished = false;
    function finish(err, status, text) {
      if (!finished) {
        finished = true;
        done(err, status, text);
      }
    }
    xhr.open(method, url, true);
    if (timeout > 0) {
      xhr.timeout = timeout;
    }
    if (body !== undefined) {
      xhr.setRequestHeader('Content-Type', 'application/json');
    }
    xhr.onload = function () {
      var text = xhr.responseText || '';
      client.stats.bytesReceived += utf8Length(text);
      finish(null, xhr.status, text);
    };
    xhr.onerror = function () {
      finish(errorOf('network error'), 0, '');
    };
    xhr.ontimeout = function () {
      finish(errorOf('no answer within ' + timeout + ' ms'), 0, '');
    };
    xhr.onabort = function () {
      finish(errorOf('aborted'), 0, '');
    };
    client.stats.requests++;
    xhr.send(body === undefined ? null : body);
    return xhr;
  }

  function httpError(status, text) {
    var message = 'HTTP ' + status;
    try {
      var json = JSON.parse(text);
      if (json && json.error) {
        message += ': ' + json.error;
      }
    } catch (ignored) {
      // Not JSON: the status says enough.
    }
    return errorOf(message, { status: status });
  }

  // ---------------------------------------------------------------- the client

  /**
   * A connection to rtkit. Created by rtkit.connect(options); starts connecting at once.
   * c.transport is the current transport's name; c.stats holds counters (see Client.prototype.resetStats).
   */
  function Client(options) {
    this.options = extend({}, DEFAULTS, options);
    this.options.transports = (this.options.transports || TRANSPORTS).slice();
    for (var i = 0; i < this.options.transports.length; i++) {
      if (!TRANSPORTS_BY_NAME[this.options.transports[i]]) {
        throw new Error('rtkit: unknown transport "' + this.options.transports[i] + '"; known: ' + TRANSPORTS.join(', '));
      }
    }
    this.url = absoluteUrl(this.options.url.replace(/\/+$/, ''));
    this.transport = this.options.transports[0];
    this.state = 'connecting';
    this.stats = {};
    this.resetStats();
    this.subscriptions = {};
    this.positions = {};
    this.listeners = {};
    this.worked = {};
    this.index = 0;
    this.attempt = 0;
    this.session = null;
    this.timer = null;
    this.restartTimer = null;
    this.refs = 0;
    this.start();
  }

  /**
   * Counters for dashboards and the demo race page; all start at 0.
   * requests: HTTP requests sent plus streaming connections and WebSocket handshakes opened (each publish POST
   *   and each poll, long-poll, SSE, stream or WebSocket connection counts one).
   * bytesReceived: bytes received from the server (response bodies, stream chunks, WebSocket text frames;
   *   for SSE the size of each event as framed, since EventSource hides heartbeats and framing).
   * messagesReceived: messages handed to subscribers (after deduplication).
   * duplicates: messages dropped because their id was already seen.
   * emptyResponses: poll and long-poll answers that carried no message.
   * heartbeats: server heartbeats seen (NDJSON stream lines, WebSocket/SSE heartbeat frames when sent).
   * reconnects: reconnection attempts after a connection was lost or failed.
   * transportSwitches: fallbacks to the next transport.
   * gaps: gap signals received.
   * published: publishes acknowledged by the server.
   */
  Client.prototype.resetStats = function () {
    var s = this.stats;
    s.requests = 0;
    s.bytesReceived = 0;
    s.messagesReceived = 0;
    s.duplicates = 0;
    s.emptyResponses = 0;
    s.heartbeats = 0;
    s.reconnects = 0;
    s.transportSwitches = 0;
    s.gaps = 0;
    s.published = 0;
    return s;
  };

  /** Listens to 'open', 'reconnecting', 'transport', 'gap', 'error', 'message' and 'close'. Returns an off function. */
  Client.prototype.on = function (event, fn) {
    var list = this.listeners[event] || (this.listeners[event] = []);
    list.push(fn);
    var self = this;
    return function () {
      var l = self.listeners[event] || [];
      var i = l.indexOf(fn);
      if (i >= 0) {
        l.splice(i, 1);
      }
    };
  };

  Client.prototype.emit = function (event, value) {
    var list = (this.listeners[event] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i].call(this, value);
      } catch (e) {
        if (event !== 'error') {
          this.emit('error', e);
        } else if (global.console) {
          global.console.error(e);
        }
      }
    }
  };

  /**
   * Subscribes onMessage to topic; it receives {topic, id, data, event?}. options.since resumes after that id
   * (the server reports a 'gap' if it can no longer). Subscribing again replaces the handler.
   */
  Client.prototype.subscribe = function (topic, onMessage, options) {
    if (typeof topic !== 'string' || !topic) {
      throw new Error('rtkit: subscribe needs a topic name');
    }
    var since = options && options.since ? parseId(options.since) : null;
    if (options && options.since && !since) {
      throw new Error('rtkit: since must be a message id such as "mi3fk2a-42"');
    }
    var known = Object.prototype.hasOwnProperty.call(this.subscriptions, topic);
    this.subscriptions[topic] = { handler: onMessage };
    if (since) {
      this.positions[topic] = since;
    }
    if (!known || since) {
      this.topicsChanged(topic, true);
    }
    return this;
  };

  /** Stops delivery for topic. */
  Client.prototype.unsubscribe = function (topic) {
    if (Object.prototype.hasOwnProperty.call(this.subscriptions, topic)) {
      delete this.subscriptions[topic];
      delete this.positions[topic];
      this.topicsChanged(topic, false);
    }
    return this;
  };

  /** Subscribed topic names. */
  Client.prototype.topics = function () {
    return keys(this.subscriptions);
  };

  /**
   * Publishes data (any JSON value) to topic: over the WebSocket when it is open, else by HTTP POST.
   * Resolves with {topic, id}; rejects with an Error when the server refuses or no answer comes.
   */
  Client.prototype.publish = function (topic, data, options) {
    var self = this;
    var event = options && options.event;
    var body;
    try {
      body = JSON.stringify(data === undefined ? null : data);
    } catch (e) {
      return Promise.reject(e);
    }
    var promise;
    if (this.session && this.session.publish && this.session.isOpen) {
      promise = this.session.publish(topic, data, event);
    } else {
      promise = new Promise(function (resolve, reject) {
        var url = self.url + '/publish/' + topic.split('/').map(encodeURIComponent).join('/')
            + (event ? '?event=' + encodeURIComponent(event) : '');
        request(self, 'POST', url, body, self.options.publishTimeout, function (err, status, text) {
          if (err) {
            reject(err);
          } else if (status < 200 || status >= 300) {
            reject(httpError(status, text));
          } else {
            try {
              resolve(JSON.parse(text));
            } catch (e) {
              reject(e);
            }
          }
        });
      });
    }
    return promise.then(function (ack) {
      self.stats.published++;
      return { topic: ack.topic, id: ack.id };
    });
  };

  /** Closes the connection for good; pending publishes over the WebSocket fail. */
  Client.prototype.close = function () {
    if (this.state === 'closed') {
      return;
    }
    this.state = 'closed';
    clearTimeout(this.timer);
    clearTimeout(this.restartTimer);
    this.endSession('client closed');
    this.emit('close');
  };

  // ---------------------------------------------------------------- connection life cycle

  Client.prototype.start = function () {
    if (this.state === 'closed') {
      return;
    }
    this.transport = this.options.transports[this.index];
    var factory = TRANSPORTS_BY_NAME[this.transport];
    var topics = this.topics();
    if (!factory.persistent && topics.length === 0) {
      // HTTP transports have nothing to ask for without topics; subscribe() starts them.
      this.session = null;
      return;
    }
    var session = new Session(this, this.transport, topics);
    this.session = session;
    session.arm(this.options.openTimeout, 'did not open within ' + this.options.openTimeout + ' ms');
    try {
      factory(session);
    } catch (e) {
      session.fail(e && e.message ? e.message : String(e));
    }
  };

  Client.prototype.endSession = function (reason) {
    var s = this.session;
    this.session = null;
    if (s) {
      s.end(reason);
    }
  };

  /** The topic set changed: WebSocket adjusts in place, HTTP transports reconnect with the new set. */
  Client.prototype.topicsChanged = function (topic, added) {
    if (this.state === 'closed') {
      return;
    }
    var s = this.session;
    if (s && s.adjust) {
      // WebSocket: one frame now, or the whole set once the socket opens.
      if (s.ready) {
        s.adjust(topic, added);
      }
      return;
    }
    if (this.timer && !s) {
      // A reconnect is scheduled; it will take the new set.
      return;
    }
    var self = this;
    clearTimeout(this.restartTimer);
    // Several subscribe() calls in a row give one reconnect.
    this.restartTimer = setTimeout(function () {
      self.restartTimer = null;
      if (self.state === 'closed' || (self.timer && !self.session)) {
        return;
      }
      if (self.session && self.session.adjust) {
        return;
      }
      self.endSession('topics changed');
      self.start();
    }, 0);
  };

  Client.prototype.opened = function (session) {
    this.worked[session.name] = true;
    this.attempt = 0;
    this.state = 'open';
    this.emit('open', { transport: session.name });
  };

  /** A session ended by failure: fall back if this transport never worked, else reconnect with backoff. */
  Client.prototype.failed = function (session, reason) {
    if (this.session !== session || this.state === 'closed') {
      return;
    }
    this.session = null;
    var transports = this.options.transports;
    if (!session.isOpen && !this.worked[session.name] && this.index < transports.length - 1) {
      var from = session.name;
      this.index++;
      this.stats.transportSwitches++;
      this.state = 'connecting';
      this.transport = transports[this.index];
      this.emit('transport', { name: this.transport, from: from, reason: reason });
      this.start();
      return;
    }
    if (!session.isOpen && !this.worked[session.name]) {
      // Every transport failed to open: start over from the first, after a pause.
      this.index = 0;
    }
    this.scheduleReconnect(reason);
  };

  Client.prototype.scheduleReconnect = function (reason) {
    var o = this.options;
    var bound = Math.min(o.maxReconnectDelay, o.reconnectDelay * Math.pow(2, this.attempt));
    // Full jitter: clients dropped together do not come back together.
    var delay = Math.floor(Math.random() * bound);
    this.attempt++;
    this.state = 'reconnecting';
    this.stats.reconnects++;
    var self = this;
    this.emit('reconnecting', { attempt: this.attempt, delay: delay, transport: this.options.transports[this.index], reason: reason });
    this.timer = setTimeout(function () {
      self.timer = null;
      self.start();
    }, delay);
  };

  /** The resume cursor for topics: a bare id for one topic, else "topic@id,topic@id" (unknown topics left out). */
  Client.prototype.cursor = function (topics) {
    if (topics.length === 1) {
      var p = this.positions[topics[0]];
      return p ? p.id : null;
    }
    var parts = [];
    for (var i = 0; i < topics.length; i++) {
      var q = this.positions[topics[i]];
      if (q) {
        parts.push(topics[i] + '@' + q.id);
      }
    }
    return parts.length ? parts.join(',') : null;
  };

  /** Takes the server's cursor for topics as the resume point where it is further on. */
  Client.prototype.mergeCursor = function (cursor, topics) {
    if (!cursor) {
      return;
    }
    if (cursor.indexOf('@') < 0) {
      if (topics.length === 1) {
        this.advance(topics[0], parseId(cursor));
      }
      return;
    }
    var pairs = cursor.split(',');
    for (var i = 0; i < pairs.length; i++) {
      var at = pairs[i].lastIndexOf('@');
      if (at > 0) {
        this.advance(pairs[i].substring(0, at), parseId(pairs[i].substring(at + 1)));
      }
    }
  };

  Client.prototype.advance = function (topic, id) {
    if (!id || !Object.prototype.hasOwnProperty.call(this.subscriptions, topic)) {
      return;
    }
    var p = this.positions[topic];
    // Another epoch means the server restarted: its word replaces ours.
    if (!p || p.epoch !== id.epoch || id.seq > p.seq) {
      this.positions[topic] = id;
    }
  };

  /** Hands a message to its subscriber unless its id was seen already. */
  Client.prototype.deliver = function (message) {
    var sub = this.subscriptions[message.topic];
    if (!sub) {
      return;
    }
    var id = parseId(message.id);
    var p = this.positions[message.topic];
    if (id && p && p.epoch === id.epoch && id.seq <= p.seq) {
      this.stats.duplicates++;
      return;
    }
    if (id) {
      this.positions[message.topic] = id;
    }
    if (message.cursor !== undefined) {
      delete message.cursor;
    }
    this.stats.messagesReceived++;
    try {
      if (sub.handler) {
        sub.handler.call(this, message);
      }
    } catch (e) {
      this.emit('error', e);
    }
    this.emit('message', message);
  };

  /** The server could not resume topic from our position: forget it and take what comes next. */
  Client.prototype.gap = function (gap) {
    if (!Object.prototype.hasOwnProperty.call(this.subscriptions, gap.topic)) {
      return;
    }
    this.stats.gaps++;
    delete this.positions[gap.topic];
    this.emit('gap', gap);
  };

  // ---------------------------------------------------------------- one connection attempt

  /**
   * The link between the client and one connection attempt of one transport. Once ended (failure, close,
   * topics changed), everything the transport reports is ignored, so a late callback cannot do harm.
   */
  function Session(client, name, topics) {
    this.client = client;
    this.name = name;
    this.topics = topics;
    this.isOpen = false;
    this.ended = false;
    this.watchdog = null;
    this.cleanups = [];
  }

  Session.prototype.onEnd = function (fn) {
    this.cleanups.push(fn);
  };

  Session.prototype.open = function () {
    if (this.ended || this.isOpen) {
      return;
    }
    this.isOpen = true;
    this.disarm();
    this.client.opened(this);
  };

  /** Declares the connection dead if nothing arrives within ms. */
  Session.prototype.arm = function (ms, reason) {
    var self = this;
    clearTimeout(this.watchdog);
    if (!this.ended && ms > 0) {
      this.watchdog = setTimeout(function () {
        self.fail(reason);
      }, ms);
    }
  };

  Session.prototype.disarm = function () {
    clearTimeout(this.watchdog);
    this.watchdog = null;
  };

  /** Something arrived: for transports with a watchdog, the connection is alive. */
  Session.prototype.alive = function () {
    if (this.isOpen && this.watched) {
      var t = this.client.options.heartbeatTimeout;
      this.arm(t, 'no heartbeat within ' + t + ' ms');
    }
  };

  /** Turns the heartbeat watchdog on (for transports whose heartbeats the page can see). */
  Session.prototype.watch = function () {
    this.watched = true;
    this.alive();
  };

  Session.prototype.heartbeat = function () {
    if (!this.ended) {
      this.client.stats.heartbeats++;
      this.watch();
    }
  };

  Session.prototype.message = function (message, cursor) {
    if (!this.ended) {
      this.client.deliver(message);
      this.client.mergeCursor(cursor, this.topics);
      this.alive();
    }
  };

  Session.prototype.gap = function (gap) {
    if (!this.ended) {
      this.client.gap(gap);
      this.alive();
    }
  };

  /** A poll or long-poll answer: gaps first (they precede the messages), then messages, then the cursor. */
  Session.prototype.batch = function (text, anchoring) {
    var body = JSON.parse(text);
    var gaps = body.gaps || [];
    var messages = body.messages || [];
    for (var i = 0; i < gaps.length; i++) {
      this.gap(gaps[i]);
    }
    for (var j = 0; j < messages.length; j++) {
      this.message(messages[j]);
    }
    if (!this.ended) {
      this.client.mergeCursor(body.cursor, this.topics);
    }
    if (messages.length === 0 && gaps.length === 0 && !anchoring) {
      this.client.stats.emptyResponses++;
    }
  };

  Session.prototype.fail = function (reason) {
    if (this.ended) {
      return;
    }
    this.end(reason);
    this.client.failed(this, reason);
  };

  Session.prototype.end = function (reason) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.disarm();
    for (var i = 0; i < this.cleanups.length; i++) {
      try {
        this.cleanups[i](reason);
      } catch (ignored) {
        // Closing a dead connection may throw; it is going away anyway.
      }
    }
  };

  Session.prototype.cursor = function () {
    return this.client.cursor(this.topics);
  };

  /** base/kind?topic=a&topic=b&since=C plus extra query. */
  Session.prototype.url = function (kind, extra) {
    var since = this.cursor();
    return this.client.url + '/' + kind + '?' + (extra ? extra + '&' : '') + topicQuery(this.topics)
        + (since ? '&since=' + encodeURIComponent(since) : '');
  };

  /**
   * Learns the server's position for topics we have none for yet (and catches up on the others) with one
   * immediate poll, so a drop before the first message cannot lose what is published meanwhile.
   * then(true) once done; then(false) when the server has no poll endpoint.
   */
  Session.prototype.anchor = function (always, then) {
    var client = this.client;
    var missing = false;
    for (var i = 0; i < this.topics.length; i++) {
      if (!client.positions[this.topics[i]]) {
        missing = true;
      }
    }
    if (!missing && !always) {
      then(true);
      return;
    }
    if (client.noPollEndpoint) {
      then(false);
      return;
    }
    var self = this;
    var xhr = request(client, 'GET', this.url('poll'), undefined, client.options.openTimeout, function (err, status, text) {
      if (self.ended) {
        return;
      }
      if (err) {
        self.fail(err.message);
      } else if (status === 404) {
        client.noPollEndpoint = true;
        then(false);
      } else if (status !== 200) {
        self.fail(httpError(status, text).message);
      } else {
        try {
          self.batch(text, true);
        } catch (e) {
          self.fail('bad answer: ' + e.message);
          return;
        }
        then(true);
      }
    });
    this.onEnd(function () {
      xhr.abort();
    });
  };

  // ---------------------------------------------------------------- transports

  /** WebSocket: /rt/ws, JSON text frames; one subscribe frame per topic, with since. */
  function websocket(session) {
    var client = session.client;
    if (typeof WebSocket === 'undefined') {
      throw new Error('WebSocket is not available');
    }
    var url = client.url.replace(/^http/i, 'ws') + '/ws';
    var pending = {};
    var subscribed = {};
    // Subscribes not yet confirmed by the server, by ref: 'open' waits for them, so that a message published
    // once the page sees 'open' is certain to be delivered.
    var confirming = {};
    client.stats.requests++;
    var ws = new WebSocket(url);

    function send(frame) {
      ws.send(JSON.stringify(frame));
    }

    function subscribe(topic) {
      var p = client.positions[topic];
      var ref = 's' + (++client.refs);
      var frame = { type: 'subscribe', topic: topic, ref: ref };
      if (p) {
        frame.since = p.id;
      }
      subscribed[topic] = true;
      confirming[ref] = topic;
      send(frame);
    }

    function confirmed(ref) {
      if (ref && confirming[ref] !== undefined) {
        delete confirming[ref];
        if (keys(confirming).length === 0) {
          session.open();
        }
      }
    }

    ws.onopen = function () {
      if (session.ended) {
        return;
      }
      session.ready = true;
      var topics = client.topics();
      for (var i = 0; i < topics.length; i++) {
        subscribe(topics[i]);
      }
      if (topics.length === 0) {
        session.open();
      }
    };
    ws.onmessage = function (e) {
      if (session.ended || typeof e.data !== 'string') {
        return;
      }
      client.stats.bytesReceived += utf8Length(e.data);
      var frame;
      try {
        frame = JSON.parse(e.data);
      } catch (err) {
        client.emit('error', errorOf('bad frame from server: ' + e.data.substring(0, 200)));
        return;
      }
      switch (frame.type) {
      case 'message':
        session.message(frame);
        break;
      case 'gap':
        session.gap(frame);
        break;
      case 'subscribed':
        client.mergeCursor(frame.cursor, frame.topics || (frame.topic ? [frame.topic] : []));
        confirmed(frame.ref);
        session.alive();
        break;
      case 'ack':
        settle(frame.ref, null, frame);
        session.alive();
        break;
      case 'heartbeat':
        session.heartbeat();
        break;
      case 'error':
        if (frame.ref && pending[frame.ref]) {
          settle(frame.ref, errorOf(frame.message || 'refused'), null);
        } else if (frame.ref && confirming[frame.ref] !== undefined) {
          var topic = confirming[frame.ref];
          delete subscribed[topic];
          client.emit('error', errorOf('subscribe to ' + topic + ' refused: ' + (frame.message || 'error'),
              { topic: topic, frame: frame }));
          confirmed(frame.ref);
        } else {
          client.emit('error', errorOf(frame.message || 'server error', { frame: frame }));
        }
        session.alive();
        break;
      default:
        session.alive();
      }
    };
    ws.onclose = function (e) {
      session.fail((session.isOpen ? 'WebSocket closed' : 'WebSocket refused') + ' (code ' + e.code
          + (e.reason ? ', ' + e.reason : '') + ')');
    };

    function settle(ref, err, ack) {
      var p = pending[ref];
      if (p) {
        delete pending[ref];
        clearTimeout(p.timer);
        if (err) {
          p.reject(err);
        } else {
          p.resolve(ack);
        }
      }
    }

    session.publish = function (topic, data, event) {
      return new Promise(function (resolve, reject) {
        var ref = 'r' + (++client.refs);
        var timeout = client.options.publishTimeout;
        pending[ref] = {
          resolve: resolve,
          reject: reject,
          timer: setTimeout(function () {
            settle(ref, errorOf('no acknowledgement within ' + timeout + ' ms'), null);
          }, timeout)
        };
        var frame = { type: 'publish', topic: topic, data: data === undefined ? null : data, ref: ref };
        if (event) {
          frame.event = event;
        }
        send(frame);
      });
    };
    session.adjust = function (topic, added) {
      if (added) {
        subscribe(topic);
      } else if (subscribed[topic]) {
        delete subscribed[topic];
        send({ type: 'unsubscribe', topic: topic });
      }
    };
    session.onEnd(function (reason) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
      var refs = keys(pending);
      for (var i = 0; i < refs.length; i++) {
        settle(refs[i], errorOf('connection lost before the acknowledgement: ' + reason), null);
      }
    });
  }
  websocket.persistent = true;

  /** Server-Sent Events with ?format=json: the event id is the cursor; we reconnect ourselves with since=. */
  function sse(session) {
    var client = session.client;
    if (typeof EventSource === 'undefined') {
      throw new Error('EventSource is not available');
    }
    var es = null;
    session.onEnd(function () {
      if (es) {
        es.close();
      }
    });
    session.anchor(false, function () {
      client.stats.requests++;
      es = new EventSource(session.url('sse', 'format=json'));
      es.onopen = function () {
        session.open();
      };
      es.onmessage = function (e) {
        client.stats.bytesReceived += utf8Length(e.data) + utf8Length(e.lastEventId || '') + 11;
        var message;
        try {
          message = JSON.parse(e.data);
        } catch (err) {
          session.fail('bad event: ' + err.message);
          return;
        }
        session.message(message, e.lastEventId);
      };
      es.addEventListener('gap', function (e) {
        client.stats.bytesReceived += utf8Length(e.data) + 18;
        session.gap(JSON.parse(e.data));
      });
      // Comment heartbeats are invisible to EventSource; a server that sends them as events arms the watchdog.
      es.addEventListener('heartbeat', function () {
        session.heartbeat();
      });
      es.onerror = function () {
        // Left alone, EventSource would reconnect with Last-Event-ID; we resume from our own positions instead.
        var refused = es.readyState === 2;
        es.close();
        session.fail(session.isOpen ? 'event stream lost' : (refused ? 'event stream refused' : 'event stream failed'));
      };
    });
  }

  /** NDJSON over fetch + ReadableStream; heartbeat lines feed the watchdog. */
  function stream(session) {
    var client = session.client;
    if (typeof fetch !== 'function' || typeof TextDecoder === 'undefined' || typeof AbortController === 'undefined') {
      throw new Error('fetch streaming is not available');
    }
    var controller = new AbortController();
    session.onEnd(function () {
      controller.abort();
    });
    session.anchor(false, function () {
      client.stats.requests++;
      fetch(session.url('stream'), {
        signal: controller.signal,
        cache: 'no-store',
        headers: { Accept: 'application/x-ndjson' }
      }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            session.fail(httpError(response.status, text).message);
          });
        }
        if (!response.body || typeof response.body.getReader !== 'function') {
          session.fail('response streaming is not available');
          return null;
        }
        session.open();
        session.watch();
        return read(response.body.getReader());
      })['catch'](function (e) {
        session.fail(session.isOpen ? 'stream lost: ' + e.message : 'stream failed: ' + e.message);
      });
    });

    function read(reader) {
      var decoder = new TextDecoder();
      var buffer = '';
      session.onEnd(function () {
        reader.cancel()['catch'](function () { });
      });
      function pump() {
        return reader.read().then(function (chunk) {
          if (session.ended) {
            return null;
          }
          if (chunk.done) {
            session.fail('stream ended by the server');
            return null;
          }
          client.stats.bytesReceived += chunk.value.byteLength;
          buffer += decoder.decode(chunk.value, { stream: true });
          var nl;
          while (!session.ended && (nl = buffer.indexOf('\n')) >= 0) {
            var line = buffer.substring(0, nl);
            buffer = buffer.substring(nl + 1);
            if (line) {
              onLine(JSON.parse(line));
            }
          }
          return pump();
        });
      }
      return pump();
    }

    function onLine(event) {
      if (event.type === 'heartbeat') {
        session.heartbeat();
      } else if (event.type === 'gap') {
        session.gap(event);
      } else {
        session.message(event, event.cursor);
      }
    }
  }

  /**
   * One batch request (poll or long-poll) of a session: hands the batch to the session and calls then() when it
   * was good; fails the session otherwise. A request silent for longer than the heartbeat timeout is dead (a
   * long-poll is answered by the server's own, shorter timeout). Returns the XHR, for abort().
   */
  function batchRequest(session, kind, then) {
    var client = session.client;
    return request(client, 'GET', session.url(kind), undefined, client.options.heartbeatTimeout, function (err, status, text) {
      if (session.ended) {
        return;
      }
      if (err) {
        session.fail(kind + ' failed: ' + err.message);
      } else if (status !== 200) {
        session.fail(httpError(status, text).message);
      } else {
        try {
          session.batch(text);
        } catch (e) {
          session.fail('bad answer: ' + e.message);
          return;
        }
        session.open();
        then();
      }
    });
  }

  /** Long-polling: an immediate poll to catch up (and to know the server answers), then one waiting request after another. */
  function longpoll(session) {
    var xhr = null;
    session.onEnd(function () {
      if (xhr) {
        xhr.abort();
      }
    });
    session.anchor(true, function () {
      // Either the catch-up poll answered, or the server has no poll endpoint and the first long-poll sent
      // is as open as we can tell (its answer may take the whole long-poll timeout).
      session.open();
      next();
    });

    function next() {
      if (!session.ended) {
        xhr = batchRequest(session, 'longpoll', next);
      }
    }
  }

  /** Polling: one immediate request every pollInterval. */
  function poll(session) {
    var xhr = null;
    var timer = null;
    session.onEnd(function () {
      clearTimeout(timer);
      if (xhr) {
        xhr.abort();
      }
    });
    next();

    function next() {
      timer = null;
      if (!session.ended) {
        xhr = batchRequest(session, 'poll', function () {
          timer = setTimeout(next, session.client.options.pollInterval);
        });
      }
    }
  }

  var TRANSPORTS_BY_NAME = {
    websocket: websocket,
    sse: sse,
    stream: stream,
    longpoll: longpoll,
    poll: poll
  };

  return {
    VERSION: VERSION,
    TRANSPORTS: TRANSPORTS.slice(),
    DEFAULTS: DEFAULTS,
    /** Opens a client; see DEFAULTS for the options. */
    connect: function (options) {
      return new Client(options || {});
    },
    Client: Client
  };
}));
