import { request } from '../http.mjs';

/**
 * One batch request (poll or long-poll) of a session: hands the answer to the session and calls then() when it
 * was good; fails or refuses otherwise. A request silent for longer than the heartbeat timeout is dead (a
 * long-poll is answered by the server's own, shorter timeout). Returns the XHR, for abort().
 */
export function batchRequest(session, kind, then) {
  const options = session.engine.options;
  return request(session.stats, 'GET', session.url(kind), undefined, options.heartbeatTimeout, (err, status, text) => {
    if (session.ended) {
      return;
    }
    if (err) {
      session.fail(kind + ' failed: ' + err.message, /no answer/.test(err.message) ? 'timeout' : 'error');
    } else if (status !== 200) {
      session.rejected(status, text);
    } else {
      try {
        session.batch(text);
      } catch (e) {
        session.fail('bad answer: ' + e.message, 'error');
        return;
      }
      if (!session.ended) {
        session.open();
        then();
      }
    }
  });
}
