// Tabs sharing one connection: leader election (Web Locks), relaying (node's own BroadcastChannel, as between
// tabs), hand-over when the leader goes, and resuming a tab that is behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.mjs';
import { FakeEventSource, FakeWebSocket, FakeXHR, URL_BASE, fakeLocks, install, query, record, settle, tick } from './fakes.mjs';

const msg = (seq) => ({ type: 'message', topic: 'news', id: 'e-' + seq, data: { n: seq } });

function tabs(t, count, options) {
  const undo = install({ navigator: { locks: fakeLocks() } });
  const all = [];
  for (let i = 0; i < count; i++) {
    const c = connect(Object.assign({ url: URL_BASE, transports: ['websocket'] }, options));
    const tab = { c: c, events: record(c), got: [] };
    tab.on = (m) => tab.got.push(m.data.n);
    all.push(tab);
  }
  t.after(() => {
    all.forEach((tab) => tab.c.close());
    undo();
  });
  return all;
}

const lastSocket = () => FakeWebSocket.all[FakeWebSocket.all.length - 1];

test('tabs elect one leader, which alone holds a connection for every tab', async (t) => {
  const [a, b, c] = tabs(t, 3);
  await settle();
  assert.deepEqual([a.c.leader, b.c.leader, c.c.leader], [true, false, false]);
  a.c.subscribe('news', a.on);
  b.c.subscribe('news', b.on);
  c.c.subscribe('sport', () => {});
  await settle();
  assert.equal(FakeWebSocket.all.length, 1, 'one connection for three tabs');
  const ws = lastSocket();
  ws.accept();
  ws.confirm('e-0', 'news');
  await settle();
  assert.deepEqual(ws.frames.map((f) => f.topic), ['news', 'sport'], 'the union of the topics, each once');
  assert.deepEqual([a, b, c].map((tab) => tab.events.of('open').length), [0, 0, 0], "'open' waits for every subscribe");
  ws.confirm('e-0', 'sport');
  await settle();
  assert.deepEqual([a, b, c].map((tab) => tab.events.of('open').length), [1, 1, 1]);
  c.c.subscribe('weather', () => {});
  await settle();
  assert.equal(ws.frames[2].topic, 'weather');
  assert.equal(c.events.of('open').length, 1, 'later subscribes, as on a connection of its own, say nothing');
  assert.equal(b.c.transport, 'websocket');
  for (let n = 1; n <= 3; n++) {
    ws.receive(msg(n));
  }
  await settle();
  assert.deepEqual(a.got, [1, 2, 3]);
  assert.deepEqual(b.got, [1, 2, 3]);
  assert.equal(b.c.stats.requests, 0, 'a follower holds no connection');
  assert.equal(a.c.stats.requests, 1);
});

test('when the leader goes, another tab takes over and resumes from the cursor: nothing lost, nothing twice', async (t) => {
  const [a, b, c] = tabs(t, 3);
  await settle();
  [a, b, c].forEach((tab) => tab.c.subscribe('news', tab.on));
  await settle();
  const first = lastSocket();
  first.accept();
  first.confirm('e-0');
  for (let n = 1; n <= 5; n++) {
    first.receive(msg(n));
  }
  await settle();
  a.c.close();
  await settle();
  assert.equal(first.closed, true);
  assert.equal(b.c.leader, true, 'the next tab in line leads');
  assert.equal(FakeWebSocket.all.length, 2);
  const second = lastSocket();
  second.accept();
  assert.deepEqual(second.frames.map((f) => [f.topic, f.since]), [['news', 'e-5']]);
  second.confirm();
  // The server replays one message the tabs have already, then goes on.
  for (let n = 5; n <= 9; n++) {
    second.receive(msg(n));
  }
  await settle();
  assert.deepEqual(b.got, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(c.got, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(c.events.of('close').length, 0, 'a follower is not closed by the leader leaving');
});

test('a tab that is behind makes the leader resume that topic from its position; the others drop the repeats', async (t) => {
  const [a, b] = tabs(t, 2);
  await settle();
  a.c.subscribe('news', a.on);
  const ws = lastSocket();
  ws.accept();
  ws.confirm('e-0');
  for (let n = 1; n <= 4; n++) {
    ws.receive(msg(n));
  }
  await settle();
  b.c.subscribe('news', b.on, { since: 'e-2' });
  await settle();
  assert.deepEqual(ws.frames.slice(1).map((f) => [f.type, f.topic, f.since]),
      [['unsubscribe', 'news', undefined], ['subscribe', 'news', 'e-2']]);
  // As the server does, it confirms the subscribe before its replay.
  ws.confirm('e-2');
  for (let n = 3; n <= 5; n++) {
    ws.receive(msg(n));
  }
  await settle();
  assert.deepEqual(a.got, [1, 2, 3, 4, 5]);
  assert.deepEqual(b.got, [3, 4, 5]);
});

test('a follower publishes by HTTP itself; unsubscribing the last tab of a topic drops it from the connection', async (t) => {
  const [a, b] = tabs(t, 2);
  await settle();
  b.c.subscribe('only-b', b.on);
  await settle();
  const ws = lastSocket();
  ws.accept();
  await settle();
  assert.deepEqual(ws.frames.map((f) => [f.type, f.topic]), [['subscribe', 'only-b']]);
  b.c.unsubscribe('only-b');
  await settle();
  assert.deepEqual(ws.frames.map((f) => [f.type, f.topic]), [['subscribe', 'only-b'], ['unsubscribe', 'only-b']]);
  assert.equal(a.c.topics().length, 0);
  const published = b.c.publish('only-b', { text: 'hi' });
  const post = FakeXHR.sent.find((x) => x.method === 'POST');
  assert.equal(post.url, URL_BASE + '/publish/only-b');
  assert.equal(post.body, '{"text":"hi"}');
  post.respond(202, { topic: 'only-b', id: 'e-1' });
  assert.deepEqual(await published, { topic: 'only-b', id: 'e-1' });
  assert.equal(ws.frames.filter((f) => f.type === 'publish').length, 0);
});

test('without Web Locks each tab connects itself, and share: false opts out', async (t) => {
  const undo = install({ navigator: {} });
  const a = connect({ url: URL_BASE, transports: ['websocket'] });
  const b = connect({ url: URL_BASE, transports: ['websocket'] });
  assert.equal(FakeWebSocket.all.length, 2);
  assert.deepEqual([a.leader, b.leader], [true, true]);
  a.close();
  b.close();
  undo();
  const [c] = tabs(t, 1, { share: false });
  await settle();
  assert.equal(FakeWebSocket.all.length, 1);
  assert.equal(c.c.leader, true);
});

test('clients that would open another connection (other transports) do not share one', async (t) => {
  const undo = install({ navigator: { locks: fakeLocks() } });
  const a = connect({ url: URL_BASE, transports: ['websocket'] });
  const b = connect({ url: URL_BASE, transports: ['poll'] });
  t.after(() => {
    a.close();
    b.close();
    undo();
  });
  await settle();
  assert.deepEqual([a.leader, b.leader], [true, true]);
});

test('a leader that falls silent (a frozen tab keeps its lock) is replaced; it steps down when it thaws', async (t) => {
  const [a, b] = tabs(t, 2, { heartbeatTimeout: 1000 });
  await settle();
  [a, b].forEach((tab) => tab.c.subscribe('news', tab.on));
  await settle();
  const first = lastSocket();
  first.accept();
  first.confirm('e-0');
  first.receive(msg(1));
  await settle();
  tick(900);
  await settle();
  assert.equal(FakeWebSocket.all.length, 1, 'a leader that beats keeps the lock');
  // Frozen: the tab runs nothing, neither its beat nor its channel.
  const frozen = a.c.link;
  clearInterval(frozen.beat);
  frozen.channel.onmessage = null;
  for (let i = 0; i < 12; i++) {
    tick(250);
    await settle();
  }
  assert.equal(b.c.leader, true, 'the follower stole the lock');
  assert.equal(FakeWebSocket.all.length, 2);
  assert.equal(a.c.leader, false, 'the old leader stepped down');
  assert.equal(first.closed, true);
  const second = lastSocket();
  second.accept();
  assert.deepEqual(second.frames.map((f) => [f.topic, f.since]), [['news', 'e-1']]);
  second.confirm();
  second.receive(msg(2));
  await settle();
  assert.deepEqual(b.got, [1, 2]);
  assert.deepEqual(a.got, [1], 'the old leader is a follower now, and hears nothing while frozen');
});

test("a follower's 'open' means its own topics are served, as a tab's own connection would", async (t) => {
  const [a] = tabs(t, 1);
  await settle();
  a.c.subscribe('news', a.on);
  const ws = lastSocket();
  ws.accept();
  ws.confirm('e-0');
  await settle();
  assert.equal(a.events.of('open').length, 1);
  // A tab opened now, subscribing at once as pages do.
  const b = connect({ url: URL_BASE, transports: ['websocket'] });
  const events = record(b);
  b.subscribe('sport', () => {});
  t.after(() => b.close());
  await settle();
  assert.equal(b.leader, false);
  assert.equal(ws.frames[1].topic, 'sport');
  assert.equal(events.of('open').length, 0, 'not before the server confirmed sport');
  ws.confirm('e-0', 'sport');
  await settle();
  assert.equal(events.of('open').length, 1);
  assert.equal(b.state, 'open');
});

test('a tab behind the new leader after a frozen leader is replaced gets every message, once', async (t) => {
  // The sequence seen in Chromium: the tab that takes over resumes from its own position (e-13), relays 14.. at
  // once, and only then hears the tab that is behind (e-5); the replay from e-5 must not be dropped as "seen".
  const [a, b] = tabs(t, 2, { heartbeatTimeout: 1000 });
  await settle();
  [a, b].forEach((tab) => tab.c.subscribe('news', tab.on));
  await settle();
  const first = lastSocket();
  first.accept();
  first.confirm('e-0');
  for (let n = 1; n <= 13; n++) {
    first.receive(msg(n));
  }
  await settle();
  // Frozen as Chromium freezes it: no timers (no beat), no steal noticed, yet it still answers on the channel.
  const frozen = a.c.link;
  clearInterval(frozen.beat);
  frozen.stepDown = () => {};
  for (let i = 0; i < 12; i++) {
    tick(250);
    await settle();
  }
  assert.equal(b.c.leader, true, 'the follower stole the lock');
  assert.equal(a.c.leader, true, 'the frozen tab has not noticed');
  const second = lastSocket();
  second.accept();
  assert.deepEqual(second.frames.map((f) => [f.type, f.topic, f.since]), [['subscribe', 'news', 'e-13']]);
  second.confirm('e-13');
  await settle();
  // A tab that is behind (it saw up to e-5) joins now; the leader relays 14..20 before it hears that tab.
  const c = connect({ url: URL_BASE, transports: ['websocket'], heartbeatTimeout: 1000 });
  const got = [];
  c.subscribe('news', (m) => got.push(m.data.n), { since: 'e-5' });
  t.after(() => c.close());
  await Promise.resolve();
  for (let n = 14; n <= 20; n++) {
    second.receive(msg(n));
  }
  await settle();
  // Both the frozen tab and the new leader answered its hello; it follows the one that beats.
  tick(1000);
  await settle();
  assert.deepEqual(second.frames.slice(1).map((f) => [f.type, f.topic, f.since]),
      [['unsubscribe', 'news', undefined], ['subscribe', 'news', 'e-5']]);
  second.confirm('e-5');
  for (let n = 6; n <= 20; n++) {
    second.receive(msg(n));
  }
  await settle();
  assert.deepEqual(got, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 'each message once, in order');
  assert.equal(c.stats.duplicates, 0, 'what it was relayed before the leader took its position it was not given');
  assert.deepEqual(b.got, Array.from({ length: 20 }, (_, i) => i + 1));
});

test("a message of the old subscription still in flight when a behind tab re-subscribes does not skip the replay", async (t) => {
  const [a, b] = tabs(t, 2);
  await settle();
  a.c.subscribe('news', a.on);
  const ws = lastSocket();
  ws.accept();
  ws.confirm('e-0');
  for (let n = 1; n <= 4; n++) {
    ws.receive(msg(n));
  }
  await settle();
  b.c.subscribe('news', b.on, { since: 'e-2' });
  await settle();
  assert.deepEqual(ws.frames.slice(1).map((f) => [f.type, f.since]), [['unsubscribe', undefined], ['subscribe', 'e-2']]);
  // The server sent 5 on the old subscription before it read the unsubscribe; then it confirms and replays.
  ws.receive(msg(5));
  ws.confirm('e-2');
  for (let n = 3; n <= 6; n++) {
    ws.receive(msg(n));
  }
  await settle();
  assert.deepEqual(a.got, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(b.got, [3, 4, 5, 6]);
});

test('over an HTTP transport, the old session says nothing more once a behind tab made the leader resume', async (t) => {
  const [a, b] = tabs(t, 2, { transports: ['sse'] });
  await settle();
  a.c.subscribe('news', a.on);
  tick(0);
  await settle();
  FakeXHR.sent[0].respond(200, { messages: [], cursor: 'e-0' });
  await settle();
  const first = FakeEventSource.all[0];
  first.accept();
  for (let n = 1; n <= 4; n++) {
    first.emit('message', msg(n), 'e-' + n);
  }
  await settle();
  b.c.subscribe('news', b.on, { since: 'e-2' });
  await settle();
  // Before the reconnect with the new position, the old stream delivers one more.
  first.emit('message', msg(5), 'e-5');
  tick(0);
  await settle();
  const second = FakeEventSource.all[FakeEventSource.all.length - 1];
  assert.notEqual(second, first);
  assert.equal(query(second.url).get('since'), 'e-2');
  second.accept();
  for (let n = 3; n <= 5; n++) {
    second.emit('message', msg(n), 'e-' + n);
  }
  await settle();
  assert.deepEqual(a.got, [1, 2, 3, 4, 5]);
  assert.deepEqual(b.got, [3, 4, 5]);
});
