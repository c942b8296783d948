import { batchRequest } from './batch.mjs';

/** Long-polling: an immediate poll to catch up (and to know the server answers), then one waiting request after another. */
export const longpoll = { name: 'longpoll', persistent: false, open: openLongPoll };

function openLongPoll(session) {
  let xhr = null;
  function next() {
    if (!session.ended) {
      xhr = batchRequest(session, 'longpoll', next);
    }
  }
  session.anchor(true, () => {
    // Either the catch-up poll answered, or the server has no poll endpoint and the first long-poll sent
    // is as open as we can tell (its answer may take the whole long-poll timeout).
    session.open();
    next();
  });
  return {
    close() {
      if (xhr) {
        xhr.abort();
      }
    }
  };
}
