import { batchRequest } from './batch.mjs';

/** Polling: one immediate request every pollInterval; back in a throttled tab, polls at once. */
export const poll = { name: 'poll', persistent: false, open: openPoll };

function openPoll(session) {
  let xhr = null;
  let timer = null;
  function next() {
    timer = null;
    if (!session.ended) {
      xhr = batchRequest(session, 'poll', () => {
        timer = setTimeout(next, session.engine.options.pollInterval);
      });
    }
  }
  next();
  return {
    close() {
      clearTimeout(timer);
      if (xhr) {
        xhr.abort();
      }
    },
    wake() {
      if (timer) {
        clearTimeout(timer);
        next();
      }
    }
  };
}
