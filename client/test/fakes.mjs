// Stand-ins for the browser APIs rtkit.js uses, for node --test: each records what the client did and lets the
// test play the server. Pure-logic tests only; the real transports are tested against Jetty in real browsers.
import { mock } from 'node:test';

export const URL_BASE = 'http://rt.test/rt';

/** XMLHttpRequest: every request is kept in FakeXHR.sent until the test answers it. */
export class FakeXHR {
  static sent = [];
  open(method, url) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader() {}
  send(body) {
    this.body = body;
    FakeXHR.sent.push(this);
  }
  abort() {
    this.aborted = true;
    if (this.onabort) {
      this.onabort();
    }
  }
  respond(status, body) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload();
  }
  fail() {
    this.onerror();
  }
}

/** WebSocket: FakeWebSocket.all in creation order; frames the client sent in .frames. */
export class FakeWebSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.frames = [];
    this.closed = false;
    FakeWebSocket.all.push(this);
  }
  send(text) {
    this.frames.push(JSON.parse(text));
  }
  close() {
    this.closed = true;
  }
  accept() {
    this.onopen();
  }
  refuse(code) {
    this.onclose({ code: code || 1006, reason: '' });
  }
  receive(frame) {
    this.onmessage({ data: JSON.stringify(frame) });
  }
  /** Confirms every subscribe (of topic, when given) sent so far that has not been confirmed. */
  confirm(cursor, topic) {
    for (const f of this.frames) {
      if (f.type === 'subscribe' && !f.confirmed && (!topic || f.topic === topic)) {
        f.confirmed = true;
        this.receive({ type: 'subscribed', topics: [f.topic], cursor: cursor || null, ref: f.ref });
      }
    }
  }
}

/** EventSource: FakeEventSource.all in creation order. */
export class FakeEventSource {
  static all = [];
  constructor(url) {
    this.url = url;
    this.listeners = {};
    this.readyState = 0;
    FakeEventSource.all.push(this);
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  close() {
    this.readyState = 2;
    this.closed = true;
  }
  accept() {
    this.readyState = 1;
    this.onopen();
  }
  emit(type, data, lastEventId) {
    const e = { data: JSON.stringify(data), lastEventId: lastEventId || '' };
    if (type === 'message') {
      this.onmessage(e);
    } else {
      this.listeners[type](e);
    }
  }
  error(readyState) {
    this.readyState = readyState;
    this.onerror();
  }
}

/** fetch: each call in fetches, answered by the test with a stream it writes NDJSON lines to. */
export const fetches = [];
export function fakeFetch(url, init) {
  return new Promise((resolve, reject) => {
    const call = { url: url, init: init };
    init.signal.addEventListener('abort', () => {
      call.aborted = true;
      reject(new Error('aborted'));
    });
    call.respond = (status, text) => resolve(new Response(text || '', { status: status }));
    call.stream = () => {
      const body = new ReadableStream({ start: (c) => { call.controller = c; } });
      resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } }));
      return (obj) => call.controller.enqueue(new TextEncoder().encode(JSON.stringify(obj) + '\n'));
    };
    fetches.push(call);
  });
}

/** document.visibilityState and its visibilitychange event. */
export function fakeDocument() {
  const listeners = [];
  return {
    visibilityState: 'visible',
    addEventListener: (type, fn) => listeners.push(fn),
    removeEventListener: (type, fn) => listeners.splice(listeners.indexOf(fn), 1),
    show() {
      this.visibilityState = 'visible';
      listeners.slice().forEach((fn) => fn());
    },
    hide() {
      this.visibilityState = 'hidden';
      listeners.slice().forEach((fn) => fn());
    }
  };
}

/**
 * navigator.locks.request(name, options, cb) as the Web Locks spec has it: granted to one holder at a time in
 * request order, released when cb's promise settles; `signal` gives up a place in line, `steal` takes the lock at
 * once and rejects the holder's request with an AbortError.
 */
export function fakeLocks() {
  const locks = {};
  const lock = (name) => locks[name] || (locks[name] = { holder: null, waiting: [] });
  function hold(name, r) {
    const l = lock(name);
    l.holder = r;
    Promise.resolve().then(r.cb).then((value) => {
      if (l.holder === r) {
        l.holder = null;
        grant(name);
      }
      r.resolve(value);
    });
  }
  function grant(name) {
    const l = lock(name);
    if (!l.holder && l.waiting.length > 0) {
      hold(name, l.waiting.shift());
    }
  }
  return {
    request(name, options, cb) {
      return new Promise((resolve, reject) => {
        const r = { cb: cb, resolve: resolve, reject: reject };
        const l = lock(name);
        if (options.steal) {
          if (l.holder) {
            l.holder.reject(new DOMException('stolen', 'AbortError'));
          }
          hold(name, r);
          return;
        }
        if (options.signal) {
          options.signal.addEventListener('abort', () => {
            const i = l.waiting.indexOf(r);
            if (i >= 0) {
              l.waiting.splice(i, 1);
              reject(new DOMException('aborted', 'AbortError'));
            }
          });
        }
        l.waiting.push(r);
        queueMicrotask(() => grant(name));
      });
    }
  };
}

/** Installs every fake as a global (and fake timers and Date), for one test; returns the undo. */
export function install(extra) {
  FakeXHR.sent = [];
  FakeWebSocket.all = [];
  FakeEventSource.all = [];
  fetches.length = 0;
  const saved = {};
  const globals = Object.assign({
    XMLHttpRequest: FakeXHR,
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    fetch: fakeFetch,
    document: undefined,
    navigator: undefined
  }, extra);
  for (const k of Object.keys(globals)) {
    saved[k] = Object.getOwnPropertyDescriptor(globalThis, k);
    Object.defineProperty(globalThis, k, { value: globals[k], configurable: true, writable: true });
  }
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  return () => {
    mock.timers.reset();
    for (const k of Object.keys(saved)) {
      if (saved[k]) {
        Object.defineProperty(globalThis, k, saved[k]);
      } else {
        delete globalThis[k];
      }
    }
  };
}

/** Lets promises, fetch bodies and BroadcastChannel messages settle. */
export function settle(rounds) {
  let p = Promise.resolve();
  for (let i = 0; i < (rounds || 10); i++) {
    p = p.then(() => new Promise((r) => setImmediate(r)));
  }
  return p;
}

export function tick(ms) {
  mock.timers.tick(ms);
}

/** A client's events, recorded. */
export function record(client) {
  const events = [];
  for (const name of ['open', 'reconnecting', 'transport', 'gap', 'error', 'close']) {
    client.on(name, (value) => events.push({ name: name, value: value }));
  }
  events.of = (name) => events.filter((e) => e.name === name).map((e) => e.value);
  return events;
}

export function query(url) {
  return new URL(url).searchParams;
}
