/**
 * NDJSON over fetch + ReadableStream. The server's first line is a heartbeat, so the stream counts as open
 * only once a line arrives: headers followed by silence mean a proxy is buffering the stream ('buffering').
 * Heartbeat lines feed the watchdog.
 */
export const stream = { name: 'stream', persistent: false, open: openStream };

function openStream(session) {
  const engine = session.engine;
  if (typeof fetch !== 'function' || typeof TextDecoder === 'undefined' || typeof AbortController === 'undefined') {
    throw new Error('fetch streaming is not available');
  }
  const controller = new AbortController();
  let reader = null;

  function onLine(event) {
    const opening = !session.isOpen;
    session.open();
    if (event.type === 'heartbeat') {
      session.heartbeat(opening);
    } else if (event.type === 'gap') {
      session.gap(event);
    } else if (event.type === 'refused') {
      session.refused(event);
    } else {
      session.message(event, event.cursor);
    }
  }

  function read() {
    const decoder = new TextDecoder();
    let buffer = '';
    function pump() {
      return reader.read().then((chunk) => {
        if (session.ended) {
          return null;
        }
        if (chunk.done) {
          session.fail('stream ended by the server', 'error');
          return null;
        }
        session.stats.bytesReceived += chunk.value.byteLength;
        buffer += decoder.decode(chunk.value, { stream: true });
        let nl;
        while (!session.ended && (nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.substring(0, nl);
          buffer = buffer.substring(nl + 1);
          if (line) {
            onLine(JSON.parse(line));
          }
        }
        return pump();
      });
    }
    return pump();
  }

  session.anchor(false, () => {
    session.stats.requests++;
    fetch(session.url('stream'), {
      signal: controller.signal,
      cache: 'no-store',
      headers: { Accept: 'application/x-ndjson' }
    }).then((response) => {
      if (session.ended) {
        return null;
      }
      if (!response.ok) {
        return response.text().then((text) => session.rejected(response.status, text));
      }
      if (!response.body || typeof response.body.getReader !== 'function') {
        session.fail('response streaming is not available', 'error');
        return null;
      }
      const t = engine.options.openTimeout;
      session.arm(t, 'stream answered but nothing arrived within ' + t + ' ms', 'buffering');
      reader = response.body.getReader();
      return read();
    }).catch((e) => {
      if (session.isOpen) {
        session.fail('stream lost: ' + e.message, 'error');
      } else {
        session.fail('stream failed: ' + e.message, 'error');
      }
    });
  });
  return {
    close() {
      controller.abort();
      if (reader) {
        reader.cancel().catch(() => {});
      }
    }
  };
}
