import { utf8Length } from '../util.mjs';

/**
 * Server-Sent Events with ?format=json: the event id is the cursor. EventSource would reconnect by itself with
 * Last-Event-ID; we close it on error and reconnect ourselves from our own positions instead.
 * EventSource cannot see status codes, so after a refused stream the next attempt first polls (the poll's answer
 * names refused topics).
 */
export const sse = { name: 'sse', persistent: false, open: openSse };

function openSse(session) {
  const engine = session.engine;
  if (typeof EventSource === 'undefined') {
    throw new Error('EventSource is not available');
  }
  let es = null;
  session.anchor(!!engine.sseRefused, () => {
    engine.sseRefused = false;
    session.stats.requests++;
    es = new EventSource(session.url('sse', 'format=json'));
    es.onopen = () => session.open();
    es.onmessage = (e) => {
      session.stats.bytesReceived += utf8Length(e.data) + utf8Length(e.lastEventId || '') + 11;
      let message;
      try {
        message = JSON.parse(e.data);
      } catch (err) {
        session.fail('bad event: ' + err.message, 'error');
        return;
      }
      session.message(message, e.lastEventId);
    };
    es.addEventListener('gap', (e) => {
      session.stats.bytesReceived += utf8Length(e.data) + 18;
      session.gap(JSON.parse(e.data));
    });
    es.addEventListener('refused', (e) => {
      session.stats.bytesReceived += utf8Length(e.data) + 22;
      session.refused(JSON.parse(e.data));
    });
    // Comment heartbeats are invisible to EventSource; a server that sends them as events arms the watchdog.
    es.addEventListener('heartbeat', () => session.heartbeat());
    es.onerror = () => {
      const refused = es.readyState === 2;
      es.close();
      if (session.isOpen) {
        session.fail('event stream lost', 'error');
      } else {
        engine.sseRefused = refused;
        session.fail(refused ? 'event stream refused' : 'event stream failed', 'error');
      }
    };
  });
  return {
    close() {
      if (es) {
        es.close();
      }
    }
  };
}
