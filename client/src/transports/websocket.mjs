import { errorOf } from '../util.mjs';

/**
 * WebSocket: /rt/ws, JSON text frames; one subscribe frame per topic, with since. 'open' waits until every
 * subscribe is confirmed, so that a message published once the page sees 'open' is certain to be delivered.
 */
export const websocket = { name: 'websocket', persistent: true, open: openWebSocket };

function openWebSocket(session) {
  const engine = session.engine;
  if (typeof WebSocket === 'undefined') {
    throw new Error('WebSocket is not available');
  }
  const url = engine.url.replace(/^http/i, 'ws') + '/ws'
      + (session.report ? '?fallback=' + encodeURIComponent(session.report) : '');
  session.report = null;
  const pending = {};
  const subscribed = {};
  // Subscribes not yet confirmed by the server, by ref; topics whose subscribe the server confirmed.
  const confirming = {};
  const live = {};
  // Topics whose latest subscribe is not confirmed yet, with its ref. The server confirms a subscribe before any of
  // its messages, so what comes for such a topic meanwhile is an earlier subscription's, still in flight (a topic
  // re-subscribed from an older position for a tab that is behind): taken, it would move the position past the
  // replay just asked for, and the replay would be dropped as seen. The replay brings it again.
  const resuming = {};
  let unconfirmed = 0;
  session.stats.requests++;
  const ws = new WebSocket(url);
  const send = (frame) => ws.send(JSON.stringify(frame));

  function subscribe(topic) {
    const p = engine.positions.get(topic);
    const ref = 's' + (++engine.refs);
    const frame = { type: 'subscribe', topic: topic, ref: ref };
    if (p) {
      frame.since = p.id;
    }
    subscribed[topic] = true;
    resuming[topic] = ref;
    confirming[ref] = topic;
    unconfirmed++;
    send(frame);
  }

  function confirmed(ref) {
    if (ref && confirming[ref] !== undefined) {
      const topic = confirming[ref];
      delete confirming[ref];
      if (resuming[topic] === ref) {
        delete resuming[topic];
      }
      if (subscribed[topic]) {
        live[topic] = true;
      }
      if (--unconfirmed === 0) {
        session.open();
      }
      if (session.isOpen) {
        engine.topicLive();
      }
    }
  }

  function settle(ref, err, ack) {
    const p = pending[ref];
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

  function onError(frame) {
    if (frame.ref && pending[frame.ref]) {
      settle(frame.ref, errorOf(frame.message || 'refused', { status: frame.status }), null);
    } else if (frame.ref && confirming[frame.ref] !== undefined) {
      const topic = confirming[frame.ref];
      delete subscribed[topic];
      confirmed(frame.ref);
      session.refused({ topic: topic, status: frame.status, error: frame.message || 'refused' });
    } else {
      engine.emit('error', errorOf(frame.message || 'server error', { frame: frame }));
    }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'message':
        if (resuming[frame.topic] !== undefined) {
          session.alive();
        } else {
          session.message(frame, frame.cursor);
        }
        break;
      case 'gap':
        session.gap(frame);
        break;
      case 'subscribed':
        engine.mergeCursor(frame.cursor, frame.topics || (frame.topic ? [frame.topic] : []));
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
        onError(frame);
        session.alive();
        break;
      default:
        session.alive();
    }
  }

  ws.onopen = () => {
    if (session.ended) {
      return;
    }
    const topics = engine.topics();
    for (let i = 0; i < topics.length; i++) {
      subscribe(topics[i]);
    }
    if (topics.length === 0) {
      session.open();
    }
    handle.ready = true;
  };
  ws.onmessage = (e) => {
    if (session.ended || typeof e.data !== 'string') {
      return;
    }
    session.bytes(e.data);
    let frame;
    try {
      frame = JSON.parse(e.data);
    } catch (err) {
      engine.emit('error', errorOf('bad frame from server: ' + e.data.substring(0, 200)));
      return;
    }
    onFrame(frame);
  };
  ws.onclose = (e) => {
    const detail = ' (code ' + e.code + (e.reason ? ', ' + e.reason : '') + ')';
    if (session.isOpen) {
      session.fail('WebSocket closed' + detail, 'error');
    } else if (handle.ready) {
      // The handshake went through (a proxy or the server closed it before the subscribes were confirmed).
      session.fail('WebSocket closed before subscribing' + detail, 'error');
    } else {
      session.fail('WebSocket refused' + detail, 'handshake');
    }
  };

  const handle = {
    ready: false,
    close(reason) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
      const refs = Object.keys(pending);
      for (let i = 0; i < refs.length; i++) {
        settle(refs[i], errorOf('connection lost before the acknowledgement: ' + reason), null);
      }
    },
    /** Before the socket opens there is nothing to do: onopen subscribes the whole set. */
    adjust(topic, added) {
      if (!handle.ready) {
        return;
      }
      if (added) {
        delete live[topic];
        subscribe(topic);
      } else if (subscribed[topic]) {
        delete subscribed[topic];
        delete live[topic];
        send({ type: 'unsubscribe', topic: topic });
      }
    },
    /** Whatever is published to topic from now on is certain to come. */
    live(topic) {
      return !!live[topic];
    },
    publish(topic, data, event) {
      return new Promise((resolve, reject) => {
        const ref = 'r' + (++engine.refs);
        const timeout = engine.options.publishTimeout;
        pending[ref] = {
          resolve: resolve,
          reject: reject,
          timer: setTimeout(() => settle(ref, errorOf('no acknowledgement within ' + timeout + ' ms'), null), timeout)
        };
        const frame = { type: 'publish', topic: topic, data: data === undefined ? null : data, ref: ref };
        if (event) {
          frame.event = event;
        }
        send(frame);
      });
    }
  };
  return handle;
}
