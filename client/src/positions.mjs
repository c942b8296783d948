import { hasOwn } from './util.mjs';

/** Parses "<epoch>-<seq>"; null when malformed. Seq compares numerically within one epoch. */
export function parseId(id) {
  if (typeof id !== 'string') {
    return null;
  }
  const dash = id.lastIndexOf('-');
  if (dash <= 0) {
    return null;
  }
  const seq = Number(id.substring(dash + 1));
  if (!(seq >= 0)) {
    return null;
  }
  return { epoch: id.substring(0, dash), seq: seq, id: id };
}

/**
 * The last id seen of each topic: the resume point of every reconnect and transport switch, and what drops
 * a message seen already. Another epoch means the server restarted: its word replaces ours.
 */
export function Positions() {
  this.ids = {};
}

Positions.prototype.get = function (topic) {
  return hasOwn(this.ids, topic) ? this.ids[topic] : null;
};

Positions.prototype.set = function (topic, id) {
  this.ids[topic] = id;
};

Positions.prototype.forget = function (topic) {
  delete this.ids[topic];
};

/** True when id is not after the position of its topic (the message was seen already). */
Positions.prototype.seen = function (topic, id) {
  const p = this.get(topic);
  return !!(id && p && p.epoch === id.epoch && id.seq <= p.seq);
};

/** Takes id as the position of topic where it is further on (or of another epoch). */
Positions.prototype.advance = function (topic, id) {
  const p = this.get(topic);
  if (id && (!p || p.epoch !== id.epoch || id.seq > p.seq)) {
    this.ids[topic] = id;
  }
};

/** True when resuming from `since` would ask for messages after it that the position has gone past. */
Positions.prototype.isAhead = function (topic, since) {
  const p = this.get(topic);
  return !p || p.epoch !== since.epoch || p.seq > since.seq;
};

/** The resume cursor for topics: a bare id for one topic, else "topic@id,topic@id" (unknown topics left out). */
Positions.prototype.cursor = function (topics) {
  if (topics.length === 1) {
    const p = this.get(topics[0]);
    return p ? p.id : null;
  }
  const parts = [];
  for (let i = 0; i < topics.length; i++) {
    const q = this.get(topics[i]);
    if (q) {
      parts.push(topics[i] + '@' + q.id);
    }
  }
  return parts.length ? parts.join(',') : null;
};

/** Takes a server cursor (bare id for one topic, or topic@id pairs) as the position where it is further on. */
Positions.prototype.merge = function (cursor, topics, wanted) {
  if (!cursor) {
    return;
  }
  if (cursor.indexOf('@') < 0) {
    if (topics.length === 1 && wanted(topics[0])) {
      this.advance(topics[0], parseId(cursor));
    }
    return;
  }
  const pairs = cursor.split(',');
  for (let i = 0; i < pairs.length; i++) {
    const at = pairs[i].lastIndexOf('@');
    const topic = pairs[i].substring(0, at);
    if (at > 0 && wanted(topic)) {
      this.advance(topic, parseId(pairs[i].substring(at + 1)));
    }
  }
};
