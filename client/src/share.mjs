import { errorOf, hasOwn } from './util.mjs';
import { httpPublish } from './http.mjs';
import { parseId } from './positions.mjs';
import { Engine } from './engine.mjs';
import { engineSink } from './links.mjs';

/**
 * One server connection for every tab of an origin that uses the same url (and transports). Each tab asks for the
 * Web Lock "rtkit <url> <transports> <pollInterval>"; the tab holding it leads: it runs the engine, wants the union
 * of every tab's topics and relays what arrives over the BroadcastChannel of the same name. The others (followers)
 * tell the leader their topics and publish by HTTP POST themselves. When the leader goes (tab closed, client closed) the lock passes to another
 * tab, which announces itself; every follower answers with its topics and the last id it saw of each, and the new
 * leader resumes each topic from the oldest of those: each tab drops what it has seen, so nothing is lost and
 * nothing repeats.
 *
 * A frozen leader keeps its lock but runs nothing: followers that hear nothing for two heartbeat timeouts steal
 * the lock, and the old leader steps down when it thaws.
 *
 * A follower drops ids it has seen by comparing seqs, so it must never take a message past a message it has not
 * had: after each hello or sub it holds those topics (takes none of their messages) until the leader answers that
 * it took the position given (took, sent once the engine resumes from it), and it takes messages only from the
 * leader it follows: the last tab to announce itself or beat (a frozen leader still answers on the channel but
 * runs no timer). What the leader relayed before (from further on, when it resumed from its own position) or what
 * the old leader still relays would otherwise move the tab's position past what the replay from its position
 * brings next, and the replay would be dropped as seen.
 *
 * Channel messages: hello {from, ref, topics:[{topic, since}]} (a tab's whole set), sub {from, ref, topic, since},
 * unsub {from, topic}, bye {from}; from the leader: leader {from}, beat {from}, took {from, to, ref},
 * status {to, transport, state}, msg {from, message}, gap {from, gap}, refused {topic, status, reason, message},
 * event {name, value}.
 */
export function Share(client) {
  this.client = client;
  // Clients that would not open the same connection (another transport list, poll interval) do not share one.
  const o = client.options;
  this.name = 'rtkit ' + client.url + ' ' + o.transports.join(',') + ' ' + o.pollInterval;
  this.id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  this.engine = null;
  this.tabs = {};
  /** Leader: the tabs not yet told that the connection serves their topics. */
  this.unopened = {};
  /** Follower: told 'open' by a leader once. */
  this.opened = false;
  this.greeted = false;
  /** Follower: refs of its hellos and subs; the topics held until the leader took them (topic: ref). */
  this.asked = 0;
  this.held = {};
  /** Follower: the tab it follows (the last to announce itself or beat), the only one whose relays it takes. */
  this.leaderId = null;
  this.closed = false;
  this.release = null;
  client.leader = false;
  this.channel = new BroadcastChannel(this.name);
  this.channel.onmessage = (e) => this.receive(e.data);
  this.queue({});
  this.heard = Date.now();
  this.watchLeader();
  this.onHide = () => this.post({ t: 'bye', from: this.id });
  if (typeof globalThis.addEventListener === 'function') {
    globalThis.addEventListener('pagehide', this.onHide);
  }
  // After the subscribe() calls that follow connect(): one hello with them all.
  Promise.resolve().then(() => this.greet());
}

/** Web Locks and BroadcastChannel are both needed; without them (HtmlUnit, old engines) each tab connects itself. */
Share.available = function () {
  const nav = globalThis.navigator;
  return typeof BroadcastChannel === 'function' && !!nav && !!nav.locks && typeof nav.locks.request === 'function';
};

/** Tells the leader this tab's topics (and the last id seen of each). */
Share.prototype.greet = function () {
  if (!this.engine) {
    this.greeted = true;
    const ref = ++this.asked;
    const topics = this.client.wants();
    this.held = {};
    for (let i = 0; i < topics.length; i++) {
      this.held[topics[i].topic] = ref;
    }
    this.post({ t: 'hello', from: this.id, ref: ref, topics: topics });
  }
};

Share.prototype.post = function (message) {
  if (!this.closed) {
    this.channel.postMessage(message);
  }
};

/**
 * Asks for the lock (in line, or stealing it from a leader that went silent). A lock stolen from this tab rejects
 * the request: this tab was frozen and another took over, so it steps down.
 */
Share.prototype.queue = function (how) {
  const waiting = typeof AbortController === 'function' ? new AbortController() : null;
  this.waiting = waiting;
  const options = Object.assign(how.steal || !waiting ? {} : { signal: waiting.signal }, how);
  let granted = false;
  navigator.locks.request(this.name, options, () => {
    granted = true;
    return this.lead();
  }).catch(() => {
    // Rejected: given up in line (no harm), or stolen from this leader.
    if (granted) {
      this.stepDown();
    }
  });
};

/** This tab got the lock: it holds the connection until it closes (the promise keeps the lock). */
Share.prototype.lead = function () {
  if (this.closed || this.engine) {
    return null;
  }
  const client = this.client;
  client.leader = true;
  clearTimeout(this.watchdog);
  this.engine = new Engine(client.options, client.stats, this.leaderSink());
  const own = client.wants();
  for (let i = 0; i < own.length; i++) {
    this.engine.want(own[i].topic, parseId(own[i].since));
  }
  this.post({ t: 'leader', from: this.id });
  // Followers take a silent leader for a frozen one; a live leader, even hidden and throttled, says so.
  this.beat = setInterval(() => this.post({ t: 'beat', from: this.id }), Math.max(1000, client.options.heartbeatTimeout / 3));
  return new Promise((resolve) => {
    this.release = resolve;
  });
};

/** Another tab stole the lock while this one was frozen: it follows now. */
Share.prototype.stepDown = function () {
  if (this.closed || !this.engine) {
    return;
  }
  clearInterval(this.beat);
  const engine = this.engine;
  this.engine = null;
  this.client.leader = false;
  this.leaderId = null;
  engine.close();
  this.queue({});
  this.heard = Date.now();
  this.watchLeader();
  this.greet();
};

/**
 * A follower that hears nothing from any leader for two to three heartbeat timeouts (a frozen leader tab keeps its
 * lock but runs nothing) steals the lock; the random part keeps the followers from stealing all at once. When this
 * tab's own check runs late (it was throttled or frozen itself), what the leader sent meanwhile may still be
 * queued: it listens one more period first.
 */
Share.prototype.watchLeader = function () {
  const t = this.client.options.heartbeatTimeout;
  const limit = this.patience || (this.patience = 2 * t + Math.floor(Math.random() * t));
  const every = t / 2;
  const due = Date.now() + every;
  clearTimeout(this.watchdog);
  this.watchdog = setTimeout(() => {
    if (this.closed || this.engine) {
      return;
    }
    const now = Date.now();
    if (now - due > 1000) {
      this.heard = Math.max(this.heard, now - every);
    }
    if (now - this.heard < limit) {
      this.watchLeader();
      return;
    }
    if (this.waiting) {
      this.waiting.abort();
    }
    this.queue({ steal: true });
  }, every);
};

/** The leader's engine reports to this tab and to every other. */
Share.prototype.leaderSink = function () {
  const local = engineSink(this.client);
  return {
    message: (m) => {
      local.message(m);
      this.post({ t: 'msg', from: this.id, message: m });
    },
    gap: (g) => {
      local.gap(g);
      this.post({ t: 'gap', from: this.id, gap: g });
    },
    refused: (e) => {
      const tabs = Object.keys(this.tabs);
      for (let i = 0; i < tabs.length; i++) {
        delete this.tabs[tabs[i]][e.topic];
      }
      local.refused(e);
      this.post({ t: 'refused', topic: e.topic, status: e.status, reason: e.reason, message: e.message });
      this.tellOpen();
    },
    live: () => this.tellOpen(),
    event: (name, value) => {
      local.event(name, value);
      if (name !== 'close') {
        this.post({ t: 'event', name: name, value: value instanceof Error ? { message: value.message } : value });
      }
    }
  };
};

Share.prototype.receive = function (m) {
  if (this.closed || !m || typeof m.t !== 'string') {
    return;
  }
  if (FROM_LEADER[m.t]) {
    this.heard = Date.now();
  }
  if (this.engine) {
    this.serve(m);
  } else {
    this.follow(m);
  }
};

/** What only a leader says: a follower that hears none of it for long takes the leader for frozen. */
const FROM_LEADER = { leader: true, beat: true, took: true, status: true, msg: true, gap: true, refused: true, event: true };

/** The leader hears the other tabs. */
Share.prototype.serve = function (m) {
  const engine = this.engine;
  if (m.t === 'hello') {
    const set = this.tabs[m.from] = {};
    const topics = m.topics || [];
    for (let i = 0; i < topics.length; i++) {
      set[topics[i].topic] = true;
      engine.want(topics[i].topic, parseId(topics[i].since));
    }
    // What this tab relays from now on comes after the positions just taken.
    this.post({ t: 'took', from: this.id, to: m.from, ref: m.ref });
    this.unopened[m.from] = true;
    this.tellOpen();
  } else if (m.t === 'sub') {
    (this.tabs[m.from] || (this.tabs[m.from] = {}))[m.topic] = true;
    engine.want(m.topic, parseId(m.since));
    this.post({ t: 'took', from: this.id, to: m.from, ref: m.ref });
  } else if (m.t === 'unsub') {
    if (this.tabs[m.from]) {
      delete this.tabs[m.from][m.topic];
    }
    this.dropUnwanted([m.topic]);
  } else if (m.t === 'bye') {
    const set = this.tabs[m.from];
    delete this.tabs[m.from];
    delete this.unopened[m.from];
    this.dropUnwanted(set ? Object.keys(set) : []);
  }
};

/**
 * Tells each tab waiting for it that the connection is open for its topics, once every one of them is live (as
 * a tab's own connection says 'open' only once its subscribes are confirmed).
 */
Share.prototype.tellOpen = function () {
  const engine = this.engine;
  const waiting = Object.keys(this.unopened);
  for (let i = 0; i < waiting.length; i++) {
    const topics = Object.keys(this.tabs[waiting[i]] || {});
    if (engine.state === 'open' && topics.every((t) => engine.isLive(t))) {
      delete this.unopened[waiting[i]];
      this.post({ t: 'status', to: waiting[i], transport: engine.transport, state: 'open' });
    }
  }
};

/** Drops from the connection the topics no tab wants any more. */
Share.prototype.dropUnwanted = function (topics) {
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i];
    const wanted = hasOwn(this.client.subscriptions, t)
        || Object.keys(this.tabs).some((tab) => hasOwn(this.tabs[tab], t));
    if (!wanted) {
      this.engine.drop(t);
    }
  }
};

/** A follower hears the leader. */
Share.prototype.follow = function (m) {
  const client = this.client;
  if (m.t === 'leader' || (m.t === 'beat' && m.from !== this.leaderId)) {
    // The tab that leads now: follow it from this tab's own positions. A frozen leader that still answers on
    // the channel (and thinks it leads until it thaws) neither announces itself nor beats.
    this.leaderId = m.from;
    this.greet();
  } else if (m.t === 'status' && m.to === this.id) {
    client.transport = m.transport;
    if (!this.opened || client.state !== 'open') {
      this.opened = true;
      client.changed('open', { transport: m.transport });
    }
  } else if (m.t === 'took' && m.to === this.id) {
    if (this.leaderId !== null && m.from !== this.leaderId) {
      return;
    }
    this.leaderId = m.from;
    const topics = Object.keys(this.held);
    for (let i = 0; i < topics.length; i++) {
      if (this.held[topics[i]] <= m.ref) {
        delete this.held[topics[i]];
      }
    }
  } else if (m.t === 'msg') {
    if (this.takes(m, m.message && m.message.topic)) {
      client.receive(m.message);
    }
  } else if (m.t === 'gap') {
    if (this.takes(m, m.gap && m.gap.topic)) {
      client.gapped(m.gap);
    }
  } else if (m.t === 'refused') {
    client.refused(errorOf(m.message, { topic: m.topic, status: m.status, reason: m.reason }));
  } else if (m.t === 'event' && (m.name !== 'open' || this.opened)) {
    // The first 'open' of this tab is the status above, once the connection serves this tab's own topics.
    client.changed(m.name, m.name === 'error' ? errorOf(m.value && m.value.message) : m.value);
  }
};

/** Whether a relay is for this tab: from the leader that took its position, of a topic not held. */
Share.prototype.takes = function (m, topic) {
  return m.from === this.leaderId && typeof topic === 'string' && !hasOwn(this.held, topic);
};

Share.prototype.want = function (topic, since) {
  if (this.engine) {
    this.engine.want(topic, since);
  } else if (this.greeted) {
    const ref = ++this.asked;
    this.held[topic] = ref;
    this.post({ t: 'sub', from: this.id, ref: ref, topic: topic, since: since ? since.id : null });
  }
};

Share.prototype.drop = function (topic) {
  if (this.engine) {
    this.dropUnwanted([topic]);
  } else if (this.greeted) {
    this.post({ t: 'unsub', from: this.id, topic: topic });
  }
};

Share.prototype.publish = function (topic, body, data, event) {
  if (this.engine) {
    return this.engine.publish(topic, body, data, event);
  }
  const o = this.client.options;
  return httpPublish(this.client.stats, this.client.url, topic, body, event, o.publishTimeout);
};

/** Leaves the group: a leader closes its connection and hands the lock on. */
Share.prototype.close = function () {
  this.post({ t: 'bye', from: this.id });
  this.closed = true;
  clearInterval(this.beat);
  clearTimeout(this.watchdog);
  if (typeof globalThis.removeEventListener === 'function') {
    globalThis.removeEventListener('pagehide', this.onHide);
  }
  if (this.engine) {
    this.engine.close();
  }
  if (this.release) {
    this.release();
  }
  this.channel.close();
};
