// Background tabs: throttled or frozen timers must not declare a live connection dead; back in view, the client
// checks the connection at once and resumes what a hidden tab put off. (Fake time jumps to the end of a tick
// before the timers due in it run, so one long tick is a timer firing late, as in a throttled or frozen tab.)
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/index.mjs';
import { FakeWebSocket, FakeXHR, URL_BASE, fakeDocument, fetches, install, record, settle, tick } from './fakes.mjs';

async function streaming(t, options) {
  const doc = fakeDocument();
  const undo = install({ document: doc });
  const c = connect(Object.assign({ url: URL_BASE, share: false, transports: ['stream'], heartbeatTimeout: 1000 }, options));
  const events = record(c);
  t.after(() => {
    c.close();
    undo();
  });
  c.subscribe('news', undefined, { since: 'e-1' });
  tick(0);
  const write = fetches[0].stream();
  write({ type: 'heartbeat' });
  write({ type: 'heartbeat' });
  await settle();
  assert.equal(c.state, 'open');
  return { c: c, doc: doc, events: events, write: write };
}

test('a hidden tab whose timers fire late does not call its connection dead; what arrives meanwhile keeps it', async (t) => {
  const { c, doc, events, write } = await streaming(t);
  doc.hide();
  tick(60000);
  assert.equal(events.of('reconnecting').length, 0, 'the watchdog woke a minute late (throttled): no verdict yet');
  write({ type: 'heartbeat' });
  await settle();
  doc.show();
  tick(900);
  assert.equal(events.of('reconnecting').length, 0);
  assert.equal(c.state, 'open');
  assert.equal(fetches.length, 1);
});

test('a hidden tab still notices real silence: a watchdog on time is believed', async (t) => {
  const { doc, events } = await streaming(t);
  doc.hide();
  tick(900);
  tick(200);
  assert.equal(events.of('reconnecting').length, 1);
});

test('back in view, a watchdog that a hidden tab held back judges at once, after a short grace', async (t) => {
  const { doc, events } = await streaming(t);
  doc.hide();
  // A throttled tab: a minute passes and the watchdog, long due, has not run.
  mock.timers.setTime(Date.now() + 60000);
  doc.show();
  tick(1400);
  assert.equal(events.of('reconnecting').length, 0, 'the grace: data queued in the hidden tab may still come');
  tick(100);
  assert.equal(events.of('reconnecting').length, 1);
  assert.equal(events.of('reconnecting')[0].reason, 'no heartbeat within 1000 ms');
});

test('a timer that fires late (the tab was frozen) gives the queued events a moment first', async (t) => {
  const { c, events, write } = await streaming(t);
  tick(30000);
  assert.equal(events.of('reconnecting').length, 0, 'the watchdog woke 29 s late: not judged yet');
  write({ type: 'heartbeat' });
  await settle();
  tick(900);
  assert.equal(events.of('reconnecting').length, 0);
  tick(200);
  assert.equal(events.of('reconnecting').length, 1, 'on time and silent: dead');
  assert.equal(c.state, 'reconnecting');
});

test('back in view, a reconnect put off by backoff starts at once', (t) => {
  const doc = fakeDocument();
  const undo = install({ document: doc });
  const c = connect({ url: URL_BASE, share: false, transports: ['websocket'], reconnectDelay: 60000 });
  t.after(() => {
    c.close();
    undo();
  });
  const ws = FakeWebSocket.all[0];
  ws.accept();
  ws.refuse(1006);
  assert.equal(c.state, 'reconnecting');
  doc.hide();
  doc.show();
  assert.equal(FakeWebSocket.all.length, 2);
});

test('back in view, polling does not wait out its interval', (t) => {
  const doc = fakeDocument();
  const undo = install({ document: doc });
  const c = connect({ url: URL_BASE, share: false, transports: ['poll'], pollInterval: 60000 });
  t.after(() => {
    c.close();
    undo();
  });
  c.subscribe('news');
  tick(0);
  FakeXHR.sent[0].respond(200, { messages: [], cursor: 'e-1' });
  assert.equal(FakeXHR.sent.length, 1);
  doc.hide();
  doc.show();
  assert.equal(FakeXHR.sent.length, 2);
});
