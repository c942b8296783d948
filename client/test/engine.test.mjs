// The connection logic of rtkit.js against fake transports: backoff, fallback order and reasons, cursors,
// duplicates, gaps and refusals.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.mjs';
import { FakeEventSource, FakeWebSocket, FakeXHR, URL_BASE, fetches, install, query, record, settle, tick } from './fakes.mjs';

const msg = (topic, seq, n) => ({ type: 'message', topic: topic, id: 'e-' + seq, data: { n: n === undefined ? seq : n } });
const last = () => FakeXHR.sent[FakeXHR.sent.length - 1];
const pending = () => FakeXHR.sent.filter((x) => x.status === undefined && !x.aborted);

function client(t, options) {
  const undo = install(options && options.globals);
  const c = connect(Object.assign({ url: URL_BASE, share: false }, options));
  const events = record(c);
  const received = [];
  t.after(() => {
    c.close();
    undo();
  });
  return { c: c, events: events, received: received, on: (m) => received.push(m) };
}

test('reconnect delays double from reconnectDelay up to maxReconnectDelay, with full jitter below the bound', (t) => {
  const { c, events, on } = client(t, { transports: ['poll'], reconnectDelay: 100, maxReconnectDelay: 1000 });
  const random = mock.method(Math, 'random', () => 0.999);
  c.subscribe('a', on);
  tick(0);
  for (let i = 0; i < 6; i++) {
    last().fail();
    tick(1000);
  }
  assert.deepEqual(events.of('reconnecting').map((r) => r.delay), [99, 199, 399, 799, 999, 999]);
  random.mock.mockImplementation(() => 0.25);
  last().fail();
  assert.equal(events.of('reconnecting').pop().delay, 250, 'a random point below the bound');
  tick(250);
  last().respond(200, { messages: [], cursor: 'e-1' });
  tick(1000);
  last().fail();
  assert.equal(events.of('reconnecting').pop().delay, 25, 'a connection that opened starts again from the first bound');
});

test('falls back websocket → sse → stream → longpoll, saying why, and tells the next transport once', async (t) => {
  const { c, events, on } = client(t, { openTimeout: 1000 });
  c.subscribe('a', on);
  assert.equal(FakeWebSocket.all.length, 1);
  assert.equal(query(FakeWebSocket.all[0].url.replace(/^ws/, 'http')).get('fallback'), null);
  FakeWebSocket.all[0].refuse(1006);
  // sse: an anchoring poll first (no position yet), then the event stream, which carries the report.
  assert.equal(query(last().url).get('fallback'), null, 'not on the anchoring poll');
  last().respond(200, { messages: [], cursor: 'e-1' });
  const es = FakeEventSource.all[0];
  assert.equal(query(es.url).get('fallback'), 'websocket.handshake');
  assert.equal(query(es.url).get('since'), 'e-1');
  es.error(2);
  await settle();
  assert.equal(fetches.length, 1);
  assert.equal(query(fetches[0].url).get('fallback'), 'sse.error');
  fetches[0].stream();
  await settle();
  tick(1000);
  // longpoll: the anchoring poll, then long-polls; only the first long-poll carries the report.
  last().respond(200, { messages: [], cursor: 'e-1' });
  assert.equal(query(last().url).get('fallback'), 'stream.buffering');
  last().respond(200, { messages: [msg('a', 2)], cursor: 'e-2' });
  assert.equal(query(last().url).get('fallback'), null, 'sent once per switch');
  assert.deepEqual(events.of('transport').map((e) => [e.from, e.name, e.code]),
      [['websocket', 'sse', 'handshake'], ['sse', 'stream', 'error'], ['stream', 'longpoll', 'buffering']]);
  assert.match(events.of('transport')[0].reason, /WebSocket refused \(code 1006\)/);
  assert.equal(c.transport, 'longpoll');
  assert.equal(c.stats.transportSwitches, 3);
});

test('a WebSocket that does not open in time is left with reason timeout', (t) => {
  const { c, events } = client(t, { transports: ['websocket', 'poll'], openTimeout: 500 });
  c.subscribe('a');
  tick(500);
  assert.deepEqual(events.of('transport').map((e) => e.code), ['timeout']);
  assert.equal(FakeWebSocket.all[0].closed, true);
  tick(0);
  assert.equal(query(last().url).get('fallback'), 'websocket.timeout');
});

test('a WebSocket closed after its handshake, before its subscribe is confirmed, is left with reason error', (t) => {
  const { c, events } = client(t, { transports: ['websocket', 'poll'] });
  c.subscribe('a');
  const ws = FakeWebSocket.all[0];
  ws.accept();
  assert.equal(ws.frames.length, 1, 'subscribed');
  ws.refuse(1006);
  assert.deepEqual(events.of('transport').map((e) => [e.from, e.code]), [['websocket', 'error']]);
  assert.match(events.of('transport')[0].reason, /closed before subscribing/);
  tick(0);
  assert.equal(query(last().url).get('fallback'), 'websocket.error', 'the handshake itself was not refused');
});

test('a stream that opens and then falls silent at once is left with reason heartbeat', async (t) => {
  const { c, events } = client(t, { transports: ['stream', 'poll'], heartbeatTimeout: 300 });
  c.subscribe('a', undefined, { since: 'e-4' });
  tick(0);
  const write = fetches[0].stream();
  write({ type: 'heartbeat' });
  await settle();
  assert.equal(c.state, 'open');
  tick(300);
  assert.deepEqual(events.of('transport').map((e) => e.code), ['heartbeat']);
  tick(0);
  assert.equal(query(last().url).get('fallback'), 'stream.heartbeat');
});

test('a transport that worked is retried, not replaced', async (t) => {
  const { c, events } = client(t, { transports: ['stream', 'poll'], heartbeatTimeout: 300 });
  c.subscribe('a', undefined, { since: 'e-4' });
  tick(0);
  const write = fetches[0].stream();
  write({ type: 'heartbeat' });
  write({ type: 'heartbeat' });
  await settle();
  tick(300);
  assert.equal(events.of('transport').length, 0);
  assert.equal(events.of('reconnecting')[0].reason, 'no heartbeat within 300 ms');
});

test('each topic resumes from its own last id across WebSocket reconnects', async (t) => {
  const { c, received, on } = client(t, { transports: ['websocket', 'poll'], reconnectDelay: 10 });
  c.subscribe('a', on).subscribe('b', on);
  const ws = FakeWebSocket.all[0];
  ws.accept();
  ws.confirm('a@e-1,b@e-1');
  assert.deepEqual(ws.frames.map((f) => [f.type, f.topic, f.since]), [['subscribe', 'a', undefined], ['subscribe', 'b', undefined]]);
  ws.receive(msg('a', 2));
  ws.receive(msg('b', 3));
  ws.receive(msg('a', 4));
  ws.refuse(1001);
  tick(10);
  const again = FakeWebSocket.all[1];
  again.accept();
  assert.deepEqual(again.frames.map((f) => [f.topic, f.since]), [['a', 'e-4'], ['b', 'e-3']], 'a reconnect resumes each topic');
  again.confirm();
  again.receive(msg('b', 5));
  again.refuse(1001);
  tick(10);
  assert.deepEqual(FakeWebSocket.all[2].frames, [], 'nothing sent before the socket opens');
  FakeWebSocket.all[2].accept();
  assert.deepEqual(FakeWebSocket.all[2].frames.map((f) => [f.topic, f.since]), [['a', 'e-4'], ['b', 'e-5']]);
  assert.deepEqual(received.map((m) => m.id), ['e-2', 'e-3', 'e-4', 'e-5']);
});

test('a transport switch resumes every topic from its position, in one cursor', (t) => {
  const { c, received, on } = client(t, { transports: ['websocket', 'poll'] });
  c.subscribe('a', on, { since: 'e-4' }).subscribe('b', on, { since: 'e-3' });
  FakeWebSocket.all[0].refuse(1006);
  tick(0);
  assert.equal(query(last().url).get('since'), 'a@e-4,b@e-3');
  assert.deepEqual(query(last().url).getAll('topic'), ['a', 'b']);
  last().respond(200, { messages: [msg('b', 5)], cursor: 'a@e-6,b@e-5' });
  tick(1000);
  assert.equal(query(last().url).get('since'), 'a@e-6,b@e-5', "the server's cursor moves a topic on without a message");
  assert.deepEqual(received.map((m) => m.id), ['e-5']);
});

test('ids seen already are dropped and counted', (t) => {
  const { c, received, on } = client(t, { transports: ['poll'] });
  c.subscribe('a', on);
  tick(0);
  last().respond(200, { messages: [msg('a', 2), msg('a', 3), msg('a', 3), msg('a', 1), msg('a', 4)], cursor: 'e-4' });
  tick(1000);
  last().respond(200, { messages: [msg('a', 4), msg('a', 5)], cursor: 'e-5' });
  assert.deepEqual(received.map((m) => m.data.n), [2, 3, 4, 5]);
  assert.equal(c.stats.duplicates, 3);
  assert.equal(c.stats.messagesReceived, 4);
});

test('a gap is reported, the position forgotten, and delivery goes on from the next message', (t) => {
  const { c, events, received, on } = client(t, { transports: ['poll'] });
  c.subscribe('a', on, { since: 'old-7' });
  tick(0);
  assert.equal(query(last().url).get('since'), 'old-7');
  last().respond(200, { gaps: [{ type: 'gap', topic: 'a', reason: 'epoch', since: 'old-7', next: 'e-1' }], messages: [msg('a', 1)], cursor: 'e-1' });
  assert.deepEqual(events.of('gap').map((g) => [g.topic, g.reason, g.next]), [['a', 'epoch', 'e-1']]);
  assert.deepEqual(received.map((m) => m.id), ['e-1'], 'e-1 is not older than old-7: another epoch');
  assert.equal(c.stats.gaps, 1);
});

test('poll: a topic named in "refused" gets an error event and is no longer asked for; the others go on', (t) => {
  const { c, events, received, on } = client(t, { transports: ['poll'] });
  c.subscribe('a', on).subscribe('secret', on);
  tick(0);
  last().respond(200, { messages: [msg('a', 1)], refused: [{ topic: 'secret', status: 403, error: 'forbidden' }], cursor: 'a@e-1' });
  const [error] = events.of('error');
  assert.equal(error.topic, 'secret');
  assert.equal(error.status, 403);
  assert.match(error.message, /secret.*403.*forbidden/);
  assert.deepEqual(c.topics(), ['a']);
  tick(1000);
  assert.deepEqual(query(last().url).getAll('topic'), ['a']);
  assert.equal(query(last().url).get('since'), 'e-1');
  assert.equal(received.length, 1);
});

test('a single-topic request answered 403 is final for that topic; 401 and 429 are tried again', (t) => {
  const { c, events } = client(t, { transports: ['longpoll'], reconnectDelay: 10 });
  c.subscribe('locked');
  tick(0);
  last().respond(401, { error: 'login first' });
  assert.equal(events.of('reconnecting').length, 1, '401: again later');
  tick(10);
  last().respond(429, { error: 'slow down' });
  assert.equal(events.of('reconnecting').length, 2, '429: again later');
  tick(20);
  last().respond(403, { error: 'forbidden' });
  assert.deepEqual(events.of('error').map((e) => [e.topic, e.status, e.reason]), [['locked', 403, 'forbidden']]);
  const sent = FakeXHR.sent.length;
  tick(60000);
  assert.equal(FakeXHR.sent.length, sent, 'not asked for again');
  assert.equal(events.of('reconnecting').length, 2);
});

test('the stream names a refused topic in a line and serves the rest', async (t) => {
  const { c, events } = client(t, { transports: ['stream'] });
  c.subscribe('a', undefined, { since: 'e-1' }).subscribe('b', undefined, { since: 'e-1' });
  tick(0);
  const write = fetches[0].stream();
  write({ type: 'heartbeat' });
  write({ type: 'refused', topic: 'b', status: 403, error: 'no' });
  await settle();
  assert.deepEqual(events.of('error').map((e) => [e.topic, e.status]), [['b', 403]]);
  assert.equal(fetches.length, 1, 'the stream serves the rest');
});

test('SSE names a refused topic in an event', (t) => {
  const sse = client(t, { transports: ['sse'] });
  sse.c.subscribe('x', undefined, { since: 'e-1' });
  tick(0);
  FakeEventSource.all[0].accept();
  FakeEventSource.all[0].emit('refused', { topic: 'x', status: 404, error: 'no such topic' });
  assert.deepEqual(sse.events.of('error').map((e) => [e.topic, e.status]), [['x', 404]]);
});

test('WebSocket names a refused subscribe in an error frame and keeps the socket', (t) => {
  const ws = client(t, { transports: ['websocket'] });
  ws.c.subscribe('y');
  const socket = FakeWebSocket.all[FakeWebSocket.all.length - 1];
  socket.accept();
  socket.receive({ type: 'error', message: 'forbidden', ref: socket.frames[0].ref });
  assert.deepEqual(ws.events.of('error').map((e) => e.topic), ['y']);
  assert.deepEqual(ws.c.topics(), []);
  assert.equal(ws.c.state, 'open');
});

test('publish goes over the open WebSocket and resolves with the ack', async (t) => {
  const { c } = client(t, { transports: ['websocket'] });
  const ws = FakeWebSocket.all[0];
  ws.accept();
  const acked = c.publish('a', { text: 'hi' }, { event: 'say' });
  const frame = ws.frames[0];
  assert.deepEqual([frame.type, frame.topic, frame.data.text, frame.event], ['publish', 'a', 'hi', 'say']);
  ws.receive({ type: 'ack', ref: frame.ref, topic: 'a', id: 'e-9' });
  assert.deepEqual(await acked, { topic: 'a', id: 'e-9' });
  assert.equal(FakeXHR.sent.length, 0);
});
