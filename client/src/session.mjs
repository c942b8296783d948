import { errorText, utf8Length } from './util.mjs';
import { request } from './http.mjs';

/**
 * One connection attempt of one transport, and the contract every transport meets.
 *
 * A transport is `{ name, persistent, open(session) }`. `open` starts the attempt and returns its handle:
 *   close(reason)              required: release everything (sockets, requests, timers)
 *   adjust(topic, added)       optional: change the topic set in place (else the engine reconnects with the new set)
 *   publish(topic, data, event) optional: a Promise of the ack over this connection (else the engine POSTs)
 *   wake()                     optional: the page is visible again; do now what a throttled timer was waiting for
 * The transport reports through the session: open(), message(m, cursor), gap(g), refused(item), heartbeat(),
 * alive(), batch(text), fail(reason, code) and rejected(status, text). Once the session has ended (failure,
 * close, topics changed) everything it reports is ignored, so a late callback cannot do harm.
 *
 * `persistent` transports (WebSocket) open without topics; the others have nothing to ask for without one.
 */
export function Session(engine, transport, topics, report) {
  this.engine = engine;
  this.stats = engine.stats;
  this.name = transport.name;
  this.topics = topics;
  /** "from.reason" of the fallback that led here, sent once with this transport's first request. */
  this.report = report;
  this.isOpen = false;
  this.ended = false;
  this.received = 0;
  this.watched = false;
  this.timer = null;
  this.deadline = 0;
  this.handle = null;
}

/** How late a timer may fire before we suspect the tab slept rather than the connection died. UNIT: ms. */
const LATE = 1000;
/** After a late timer or a return to the tab, how long queued events get to arrive before we judge. UNIT: ms. */
const GRACE = 1500;

Session.prototype.open = function () {
  if (this.ended || this.isOpen) {
    return;
  }
  this.isOpen = true;
  this.disarm();
  this.engine.opened(this);
};

/** Declares the connection dead (reason, code) if nothing arrives within ms. */
Session.prototype.arm = function (ms, reason, code) {
  this.disarm();
  if (!this.ended && ms > 0) {
    this.why = { reason: reason, code: code };
    this.deadline = Date.now() + ms;
    this.schedule(ms);
  }
};

Session.prototype.schedule = function (ms) {
  clearTimeout(this.timer);
  this.timer = setTimeout(() => this.expire(), ms);
};

/**
 * The watchdog fired. A hidden tab's timers are throttled (they fire late, by up to a minute) and a frozen tab's
 * are held back, then run before the network events queued meanwhile: a late timer proves nothing, so it first
 * gives the queued events a moment (itself throttled as long as the tab stays hidden). A timer on time means
 * real silence, hidden tab or not.
 */
Session.prototype.expire = function () {
  this.timer = null;
  if (this.ended || !this.why) {
    return;
  }
  const now = Date.now();
  if (now - this.deadline > LATE) {
    this.deadline = now + GRACE;
    this.schedule(GRACE);
    return;
  }
  this.fail(this.why.reason, this.why.code);
};

/** The page is visible again: a connection past its deadline gets a short grace to show it is alive. */
Session.prototype.check = function () {
  if (this.ended) {
    return;
  }
  if (this.why && Date.now() >= this.deadline) {
    this.deadline = Date.now() + GRACE;
    this.schedule(GRACE);
  }
  if (this.handle && this.handle.wake) {
    this.handle.wake();
  }
};

Session.prototype.disarm = function () {
  clearTimeout(this.timer);
  this.timer = null;
  this.why = null;
};

/** Something arrived (`opening`: the very thing that opened the connection): the connection is alive. */
Session.prototype.alive = function (opening) {
  if (this.isOpen) {
    this.received += opening ? 0 : 1;
    if (this.watched) {
      const t = this.engine.options.heartbeatTimeout;
      this.arm(t, 'no heartbeat within ' + t + ' ms', 'heartbeat');
    }
  }
};

/** Turns the heartbeat watchdog on (for transports whose heartbeats the page can see). */
Session.prototype.watch = function (opening) {
  this.watched = true;
  this.alive(opening);
};

Session.prototype.heartbeat = function (opening) {
  if (!this.ended) {
    this.stats.heartbeats++;
    this.watch(opening);
  }
};

Session.prototype.message = function (message, cursor) {
  if (!this.ended) {
    this.engine.deliver(message, cursor, this.topics);
    this.alive();
  }
};

Session.prototype.gap = function (gap) {
  if (!this.ended) {
    this.engine.gap(gap);
    this.alive();
  }
};

/** The server refused one topic and serves the others: {topic, status, error}. */
Session.prototype.refused = function (item) {
  if (!this.ended && item && typeof item.topic === 'string') {
    this.engine.refuse(item.topic, item.status, item.error || item.message || 'refused');
    this.alive();
  }
};

/** A poll or long-poll answer: refusals and gaps first (gaps precede the messages), then messages, then the cursor. */
Session.prototype.batch = function (text, anchoring) {
  const body = JSON.parse(text);
  const refused = body.refused || [];
  const gaps = body.gaps || [];
  const messages = body.messages || [];
  for (let r = 0; r < refused.length; r++) {
    this.refused(refused[r]);
  }
  for (let i = 0; i < gaps.length; i++) {
    this.gap(gaps[i]);
  }
  for (let j = 0; j < messages.length; j++) {
    this.message(messages[j]);
  }
  if (!this.ended) {
    this.engine.mergeCursor(body.cursor, this.topics);
  }
  if (messages.length === 0 && gaps.length === 0 && !anchoring) {
    this.stats.emptyResponses++;
  }
};

/**
 * A whole request was answered with an error status. When every topic of a request is refused the server answers
 * the refusal's status: 400 (bad topic) and 403 (forbidden) are final for those topics, and so is a 404 whose
 * error speaks of the topic (a 404 of the endpoint means a disabled transport, or an application restarting).
 * Anything else (401, 429, 5xx) is worth another try later.
 */
Session.prototype.rejected = function (status, text) {
  if (this.ended) {
    return;
  }
  const error = errorText(text);
  const final = status === 400 || status === 403 || (status === 404 && /topic/i.test(error) && !/endpoint/i.test(error));
  if (!final || this.topics.length === 0) {
    this.fail('HTTP ' + status + (error ? ': ' + error : ''), 'error');
    return;
  }
  const topics = this.topics.slice();
  this.end('refused');
  for (let i = 0; i < topics.length; i++) {
    this.engine.refuse(topics[i], status, error || 'HTTP ' + status);
  }
  this.engine.restart(this);
};

Session.prototype.fail = function (reason, code) {
  if (this.ended) {
    return;
  }
  this.end(reason);
  this.engine.failed(this, reason, code || 'error');
};

Session.prototype.end = function (reason) {
  if (this.ended) {
    return;
  }
  this.ended = true;
  this.disarm();
  if (this.anchoring) {
    this.anchoring.abort();
  }
  if (this.handle) {
    try {
      this.handle.close(reason);
    } catch (ignored) {
      // Closing a dead connection may throw; it is going away anyway.
    }
  }
};

Session.prototype.cursor = function () {
  return this.engine.positions.cursor(this.topics);
};

/**
 * base/kind?topic=a&topic=b&since=C plus extra query; the transport's own first request (kind = its name) also
 * carries fallback=from.reason once, telling the server why the client came to this transport.
 */
Session.prototype.url = function (kind, extra) {
  const since = this.cursor();
  let query = (extra ? extra + '&' : '') + this.engine.topicQuery(this.topics)
      + (since ? '&since=' + encodeURIComponent(since) : '');
  if (kind === this.name && this.report) {
    query += '&fallback=' + encodeURIComponent(this.report);
    this.report = null;
  }
  return this.engine.url + '/' + kind + '?' + query;
};

/**
 * Learns the server's position for topics we have none for yet (and catches up on the others) with one
 * immediate poll, so a drop before the first message cannot lose what is published meanwhile.
 * then(true) once done; then(false) when the server has no poll endpoint.
 */
Session.prototype.anchor = function (always, then) {
  const engine = this.engine;
  const missing = this.topics.some((t) => !engine.positions.get(t));
  if (!missing && !always) {
    then(true);
    return;
  }
  if (engine.noPollEndpoint) {
    then(false);
    return;
  }
  const xhr = request(this.stats, 'GET', this.url('poll'), undefined, engine.options.openTimeout, (err, status, text) => {
    if (this.ended) {
      return;
    }
    if (err) {
      this.fail(err.message, 'error');
    } else if (status === 404 && /endpoint/i.test(errorText(text))) {
      engine.noPollEndpoint = true;
      then(false);
    } else if (status !== 200) {
      this.rejected(status, text);
    } else {
      try {
        this.batch(text, true);
      } catch (e) {
        this.fail('bad answer: ' + e.message, 'error');
        return;
      }
      if (!this.ended) {
        then(true);
      }
    }
  });
  this.anchoring = xhr;
};

/** Counts bytes received on a connection whose reader hands us text. */
Session.prototype.bytes = function (text) {
  this.stats.bytesReceived += utf8Length(text);
};
