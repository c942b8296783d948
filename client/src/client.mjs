import { absoluteUrl, hasOwn } from './util.mjs';
import { Positions, parseId } from './positions.mjs';
import { TRANSPORTS_BY_NAME } from './engine.mjs';
import { LocalLink } from './links.mjs';
import { Share } from './share.mjs';

export const TRANSPORTS = ['websocket', 'sse', 'stream', 'longpoll', 'poll'];

/** Options and their defaults. UNIT of every *Delay, *Interval and *Timeout: milliseconds. */
export const DEFAULTS = {
  /** Base URL of the rtkit servlet, relative to the page or absolute. */
  url: '/rt',
  /** Transports to try, in order; one name forces that transport. */
  transports: TRANSPORTS,
  /** Pause between two polls of the 'poll' transport. */
  pollInterval: 1000,
  /**
   * Silence after which a connection is declared dead (the server heartbeats every 15 s by default). Watches the
   * NDJSON stream (heartbeat lines) and bounds each poll and long-poll; SSE and WebSocket are watched once the
   * server sends a visible heartbeat (an SSE 'heartbeat' event, a {"type":"heartbeat"} frame). A watchdog that
   * fires late (a throttled or frozen background tab) lets queued events arrive before it judges.
   */
  heartbeatTimeout: 45000,
  /** How long a transport may take to open before the next one is tried. */
  openTimeout: 10000,
  /** First reconnect delay bound; doubles per failed attempt (full jitter: a random delay below the bound). */
  reconnectDelay: 500,
  /** Cap of the reconnect delay bound. */
  maxReconnectDelay: 30000,
  /** How long a publish waits for its acknowledgement. */
  publishTimeout: 10000,
  /**
   * Tabs of one origin using the same url share one server connection, held by the tab elected leader (Web
   * Locks) and relayed to the others (BroadcastChannel). false: this tab holds its own connection.
   */
  share: true
};

/**
 * A connection to rtkit; rtkit.connect(options) makes one and it starts connecting at once.
 * c.transport is the current transport's name, c.state connecting|open|reconnecting|closed, c.leader whether this
 * tab holds the (shared) server connection, c.stats counters (see resetStats).
 */
export function Client(options) {
  const o = Object.assign({}, DEFAULTS);
  const given = options || {};
  Object.keys(given).forEach((k) => {
    if (given[k] !== undefined) {
      o[k] = given[k];
    }
  });
  o.transports = (o.transports || TRANSPORTS).slice();
  for (let i = 0; i < o.transports.length; i++) {
    if (!TRANSPORTS_BY_NAME[o.transports[i]]) {
      throw new Error('rtkit: unknown transport "' + o.transports[i] + '"; known: ' + TRANSPORTS.join(', '));
    }
  }
  this.options = o;
  this.transport = o.transports[0];
  this.state = 'connecting';
  this.stats = {};
  this.resetStats();
  this.subscriptions = {};
  this.positions = new Positions();
  this.listeners = {};
  this.leader = true;
  this.url = absoluteUrl(o.url.replace(/\/+$/, ''));
  this.link = o.share !== false && Share.available() ? new Share(this) : new LocalLink(this);
}

/**
 * Counters, all from 0. requests: HTTP requests sent plus streams and WebSocket handshakes opened by this tab.
 * bytesReceived: bytes from the server (bodies, stream chunks, frames; SSE events as framed). messagesReceived:
 * messages handed to this tab's subscribers. duplicates: messages dropped because their id was seen already.
 * emptyResponses: poll and long-poll answers without a message. heartbeats: server heartbeats seen.
 * reconnects: reconnection attempts. transportSwitches: fallbacks to the next transport. gaps: gap events.
 * published: publishes acknowledged. Only the tab holding a connection counts the connection's traffic.
 */
Client.prototype.resetStats = function () {
  const s = this.stats;
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
  const list = this.listeners[event] || (this.listeners[event] = []);
  list.push(fn);
  return () => {
    const l = this.listeners[event] || [];
    const i = l.indexOf(fn);
    if (i >= 0) {
      l.splice(i, 1);
    }
  };
};

Client.prototype.emit = function (event, value) {
  const list = (this.listeners[event] || []).slice();
  for (let i = 0; i < list.length; i++) {
    try {
      list[i].call(this, value);
    } catch (e) {
      if (event !== 'error') {
        this.emit('error', e);
      } else if (globalThis.console) {
        globalThis.console.error(e);
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
  const since = options && options.since ? parseId(options.since) : null;
  if (options && options.since && !since) {
    throw new Error('rtkit: since must be a message id such as "mi3fk2a-42"');
  }
  const known = hasOwn(this.subscriptions, topic);
  this.subscriptions[topic] = { handler: onMessage };
  if (since) {
    this.positions.set(topic, since);
  }
  if (!known || since) {
    this.link.want(topic, this.positions.get(topic));
  }
  return this;
};

/** Stops delivery for topic. */
Client.prototype.unsubscribe = function (topic) {
  if (hasOwn(this.subscriptions, topic)) {
    delete this.subscriptions[topic];
    this.positions.forget(topic);
    this.link.drop(topic);
  }
  return this;
};

/** Subscribed topic names. */
Client.prototype.topics = function () {
  return Object.keys(this.subscriptions);
};

/** This tab's topics with the last id it saw of each: what a new leader resumes them from. */
Client.prototype.wants = function () {
  return this.topics().map((t) => {
    const p = this.positions.get(t);
    return { topic: t, since: p ? p.id : null };
  });
};

/**
 * Publishes data (any JSON value) to topic: over the WebSocket when this tab holds it open, else by HTTP POST.
 * Resolves with {topic, id}; rejects with an Error (with status when the server refused) when no ack comes.
 */
Client.prototype.publish = function (topic, data, options) {
  const event = options && options.event;
  let body;
  try {
    body = JSON.stringify(data === undefined ? null : data);
  } catch (e) {
    return Promise.reject(e);
  }
  if (this.state === 'closed') {
    return Promise.reject(new Error('rtkit: client closed'));
  }
  return this.link.publish(topic, body, data, event).then((ack) => {
    this.stats.published++;
    return { topic: ack.topic, id: ack.id };
  });
};

/** Closes for good; pending publishes over the WebSocket fail. Another tab takes over a shared connection. */
Client.prototype.close = function () {
  if (this.state === 'closed') {
    return;
  }
  this.state = 'closed';
  this.link.close();
  this.emit('close');
};

// ---------------------------------------------------------------- what the connection reports to this tab

/** Hands a message to its subscriber unless this tab saw its id already. */
Client.prototype.receive = function (message) {
  const sub = this.subscriptions[message.topic];
  if (!sub || !hasOwn(this.subscriptions, message.topic) || this.state === 'closed') {
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

/**
 * The server could not resume topic from a position: forget ours and take what comes next. On a shared
 * connection the gap may be another tab's: a tab that has seen `next` already was not behind it.
 */
Client.prototype.gapped = function (gap) {
  if (!hasOwn(this.subscriptions, gap.topic) || this.state === 'closed') {
    return;
  }
  const p = this.positions.get(gap.topic);
  const next = parseId(gap.next);
  if (p && next && p.epoch === next.epoch && p.seq >= next.seq) {
    return;
  }
  this.stats.gaps++;
  this.positions.forget(gap.topic);
  this.emit('gap', gap);
};

/** The server refused a topic: it is no longer subscribed (subscribe again to retry); 'error' says why. */
Client.prototype.refused = function (error) {
  if (!hasOwn(this.subscriptions, error.topic) || this.state === 'closed') {
    return;
  }
  delete this.subscriptions[error.topic];
  this.positions.forget(error.topic);
  this.emit('error', error);
};

/** The connection's state changed: open, reconnecting, transport, or a connection-level error. */
Client.prototype.changed = function (name, value) {
  if (this.state === 'closed') {
    return;
  }
  if (name === 'open') {
    this.state = 'open';
    this.transport = value.transport;
  } else if (name === 'reconnecting') {
    this.state = 'reconnecting';
    this.transport = value.transport;
  } else if (name === 'transport') {
    this.state = 'connecting';
    this.transport = value.name;
    this.stats.transportSwitches += this.leader ? 0 : 1;
  }
  this.emit(name, value);
};
