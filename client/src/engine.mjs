import { absoluteUrl, errorOf, hasOwn, onPageVisible, topicQuery } from './util.mjs';
import { httpPublish } from './http.mjs';
import { Positions, parseId } from './positions.mjs';
import { Session } from './session.mjs';
import { websocket } from './transports/websocket.mjs';
import { sse } from './transports/sse.mjs';
import { stream } from './transports/stream.mjs';
import { longpoll } from './transports/longpoll.mjs';
import { poll } from './transports/poll.mjs';

export const TRANSPORTS_BY_NAME = { websocket: websocket, sse: sse, stream: stream, longpoll: longpoll, poll: poll };

/**
 * The server connection: the topic set, one session at a time over the current transport, fallback, backoff and
 * the resume position of every topic. A transport that never managed to open is replaced by the next one; one
 * that worked before and dropped is reconnected with exponential backoff and full jitter. Every reconnect and
 * every switch resumes from the last id seen per topic, and ids seen already are dropped.
 *
 * It reports to its sink: message(m), gap(g), refused(error with topic and status), event(name, value) for
 * open, reconnecting, transport, error and close. One tab's client is the sink, or, in the tab leading the
 * shared connection, every tab.
 */
export function Engine(options, stats, sink) {
  this.options = options;
  this.url = absoluteUrl(options.url.replace(/\/+$/, ''));
  this.stats = stats;
  this.sink = sink;
  this.wanted = {};
  this.positions = new Positions();
  this.transport = options.transports[0];
  this.state = 'connecting';
  this.worked = {};
  this.index = 0;
  this.attempt = 0;
  this.session = null;
  this.timer = null;
  this.restartTimer = null;
  this.refs = 0;
  this.report = null;
  this.offVisible = onPageVisible(() => this.wake());
  this.start();
}

Engine.prototype.emit = function (name, value) {
  this.sink.event(name, value);
};

Engine.prototype.topics = function () {
  return Object.keys(this.wanted);
};

Engine.prototype.isWanted = function (topic) {
  return hasOwn(this.wanted, topic);
};

Engine.prototype.topicQuery = topicQuery;

/**
 * Wants topic, from `since` (a parsed id) when given. A topic wanted already is resumed from `since` again when
 * its position has gone past it (a tab that fell behind joined the shared connection): nothing is lost, and what
 * comes twice is dropped by each tab.
 */
Engine.prototype.want = function (topic, since) {
  if (!this.isWanted(topic)) {
    this.wanted[topic] = true;
    if (since) {
      this.positions.set(topic, since);
    }
    this.topicsChanged(topic, true);
  } else if (since && this.positions.isAhead(topic, since)) {
    this.positions.set(topic, since);
    const handle = this.session && this.session.handle;
    if (handle && handle.adjust) {
      handle.adjust(topic, false);
      handle.adjust(topic, true);
    } else {
      // At once: a message the old session still delivered would move the position past the replay asked for.
      this.endSession('resuming ' + topic + ' from an older position');
      this.topicsChanged(topic, true);
    }
  }
};

Engine.prototype.drop = function (topic) {
  if (this.isWanted(topic)) {
    delete this.wanted[topic];
    this.positions.forget(topic);
    this.topicsChanged(topic, false);
  }
};

/** Over the WebSocket when it is open, else by HTTP POST. */
Engine.prototype.publish = function (topic, body, data, event) {
  const handle = this.session && this.session.isOpen && this.session.handle;
  if (handle && handle.publish) {
    return handle.publish(topic, data, event);
  }
  return httpPublish(this.stats, this.url, topic, body, event, this.options.publishTimeout);
};

Engine.prototype.close = function () {
  if (this.state === 'closed') {
    return;
  }
  this.state = 'closed';
  clearTimeout(this.timer);
  clearTimeout(this.restartTimer);
  this.offVisible();
  this.endSession('client closed');
  this.emit('close');
};

Engine.prototype.start = function () {
  if (this.state === 'closed') {
    return;
  }
  const transport = TRANSPORTS_BY_NAME[this.options.transports[this.index]];
  this.transport = transport.name;
  const topics = this.topics();
  if (!transport.persistent && topics.length === 0) {
    // HTTP transports have nothing to ask for without topics; want() starts them.
    this.session = null;
    return;
  }
  const session = new Session(this, transport, topics, this.report);
  this.report = null;
  this.session = session;
  const t = this.options.openTimeout;
  session.arm(t, 'did not open within ' + t + ' ms', 'timeout');
  try {
    session.handle = transport.open(session);
  } catch (e) {
    session.fail(e && e.message ? e.message : String(e), 'error');
  }
  if (session.ended && session.handle) {
    session.handle.close('failed at start');
  }
};

Engine.prototype.endSession = function (reason) {
  const s = this.session;
  this.session = null;
  if (s) {
    s.end(reason);
  }
};

/** The session ended on purpose (topics refused): carry on at once with what is left. */
Engine.prototype.restart = function (session) {
  if (this.session === session || this.session === null) {
    this.session = null;
    this.start();
  }
};

/** The topic set changed: WebSocket adjusts in place, HTTP transports reconnect with the new set. */
Engine.prototype.topicsChanged = function (topic, added) {
  if (this.state === 'closed') {
    return;
  }
  const s = this.session;
  if (s && s.handle && s.handle.adjust) {
    s.handle.adjust(topic, added);
    return;
  }
  if (this.timer && !s) {
    // A reconnect is scheduled; it will take the new set.
    return;
  }
  clearTimeout(this.restartTimer);
  // Several subscribe() calls in a row give one reconnect.
  this.restartTimer = setTimeout(() => {
    this.restartTimer = null;
    if (this.state === 'closed' || (this.timer && !this.session)) {
      return;
    }
    if (this.session && this.session.handle && this.session.handle.adjust) {
      return;
    }
    this.endSession('topics changed');
    this.start();
  }, 0);
};

Engine.prototype.opened = function (session) {
  session.proven = !!this.worked[session.name];
  this.worked[session.name] = true;
  this.attempt = 0;
  this.state = 'open';
  this.emit('open', { transport: session.name });
  this.topicLive();
};

/** True once whatever is published to topic is certain to come: the connection is open and has the topic. */
Engine.prototype.isLive = function (topic) {
  const s = this.session;
  if (!s || !s.isOpen || s.ended || !this.isWanted(topic)) {
    return false;
  }
  return s.handle && s.handle.live ? s.handle.live(topic) : s.topics.indexOf(topic) >= 0;
};

/** More topics may be live: the sink (a leader waiting to tell a tab it is open) may want to know. */
Engine.prototype.topicLive = function () {
  if (this.sink.live) {
    this.sink.live();
  }
};

/**
 * A session ended by failure: fall back if this transport never worked (or opened only to fall silent before
 * anything came), else reconnect with backoff. The fallback's reason goes to the server with the next transport's
 * first request.
 */
Engine.prototype.failed = function (session, reason, code) {
  if (this.session !== session || this.state === 'closed') {
    return;
  }
  this.session = null;
  const transports = this.options.transports;
  const silent = session.isOpen && !session.proven && code === 'heartbeat' && session.received === 0;
  if (silent) {
    delete this.worked[session.name];
  }
  const neverWorked = !this.worked[session.name];
  if (neverWorked && this.index < transports.length - 1) {
    const from = session.name;
    this.index++;
    this.stats.transportSwitches++;
    this.state = 'connecting';
    this.transport = transports[this.index];
    this.report = from + '.' + code;
    this.emit('transport', { name: this.transport, from: from, reason: reason, code: code });
    this.start();
    return;
  }
  if (neverWorked) {
    // Every transport failed to open: start over from the first, after a pause.
    this.index = 0;
  }
  this.scheduleReconnect(reason);
};

Engine.prototype.scheduleReconnect = function (reason) {
  const o = this.options;
  const bound = Math.min(o.maxReconnectDelay, o.reconnectDelay * Math.pow(2, this.attempt));
  // Full jitter: clients dropped together do not come back together.
  const delay = Math.floor(Math.random() * bound);
  this.attempt++;
  this.state = 'reconnecting';
  this.stats.reconnects++;
  this.emit('reconnecting', { attempt: this.attempt, delay: delay, transport: o.transports[this.index], reason: reason });
  this.timer = setTimeout(() => {
    this.timer = null;
    this.start();
  }, delay);
};

/** The page is visible again: judge the connection now, and do not sit out a reconnect delay a hidden tab stretched. */
Engine.prototype.wake = function () {
  if (this.state === 'closed') {
    return;
  }
  if (this.session) {
    this.session.check();
  } else if (this.timer) {
    clearTimeout(this.timer);
    this.timer = null;
    this.start();
  }
};

/** Takes the server's cursor for topics as the resume point where it is further on. */
Engine.prototype.mergeCursor = function (cursor, topics) {
  this.positions.merge(cursor, topics, (t) => this.isWanted(t));
};

/** Hands a message on unless its id was seen already. */
Engine.prototype.deliver = function (message, cursor, topics) {
  if (!this.isWanted(message.topic)) {
    return;
  }
  const id = parseId(message.id);
  if (this.positions.seen(message.topic, id)) {
    this.stats.duplicates++;
    return;
  }
  if (id) {
    this.positions.set(message.topic, id);
  }
  if (message.cursor !== undefined) {
    delete message.cursor;
  }
  this.mergeCursor(cursor, topics);
  this.sink.message(message);
};

/** The server could not resume topic from our position: forget it and take what comes next. */
Engine.prototype.gap = function (gap) {
  if (this.isWanted(gap.topic)) {
    this.positions.forget(gap.topic);
    this.sink.gap(gap);
  }
};

/** The server refused topic: stop asking for it, tell the sink, keep serving the rest. */
Engine.prototype.refuse = function (topic, status, message) {
  if (!this.isWanted(topic)) {
    return;
  }
  delete this.wanted[topic];
  this.positions.forget(topic);
  const s = this.session;
  if (s && !s.ended) {
    s.topics = s.topics.filter((t) => t !== topic);
    if (s.topics.length === 0 && !TRANSPORTS_BY_NAME[s.name].persistent) {
      this.endSession('no topic left');
    }
  }
  this.sink.refused(errorOf('rtkit: ' + topic + ' refused' + (status ? ' (' + status + ')' : '') + ': ' + message,
      { topic: topic, status: status, reason: message }));
};
