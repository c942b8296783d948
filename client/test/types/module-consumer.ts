// A strict TypeScript project using the package as an ES module. Each @ts-expect-error is a call that must not
// compile: if it did, tsc would report the directive as unused and the build would fail.
import rtkit, { connect, TRANSPORTS, VERSION } from '@rtkit/client';
import type { Client, Gap, Message, RtkitError, TransportEvent, TransportName } from '@rtkit/client';

interface Chat {
  text: string;
}

const c: Client = connect({ url: '/rt', transports: ['sse', 'poll'], heartbeatTimeout: 20000, share: false });
c.subscribe<Chat>('chat/lobby', (m: Message<Chat>) => console.log(m.topic, m.id, m.data.text.toUpperCase()));
c.subscribe('news', undefined, { since: 'mi3fk2a-42' }).unsubscribe('news');
const pending: Promise<{ topic: string; id: string }> = c.publish('chat/lobby', { text: 'hi' }, { event: 'say' });
pending.then((r) => console.log(r.id.length));
const off: () => void = c.on('transport', (t: TransportEvent) => console.log(t.name, t.from, t.reason, t.code));
off();
c.on('gap', (g: Gap) => console.log(g.reason === 'epoch', g.next));
c.on('error', (e: RtkitError) => console.log(e.topic, e.status, e.message));
c.on('open', (o) => console.log(o.transport));
c.on('reconnecting', (r) => console.log(r.attempt * r.delay));
c.on('message', (m) => console.log(m.data));
c.on('close', () => console.log('closed'));
const n: number = c.stats.messagesReceived + c.stats.duplicates;
const t: TransportName = c.transport;
const forced = rtkit.connect({ transports: [TRANSPORTS[0] ?? 'websocket'] });
const alsoClient: Client = new rtkit.Client({ url: '/other' });
console.log(n, t, forced.leader, alsoClient.state, VERSION);

// @ts-expect-error: not one of the five transports
connect({ transports: ['websockets'] });
// @ts-expect-error: options are typed
connect({ pollInterval: '1s' });
// @ts-expect-error: no such event
c.on('opened', () => {});
// @ts-expect-error: a gap listener gets a Gap, which has no data
c.on('gap', (g) => console.log(g.data));
// @ts-expect-error: publish needs a topic
c.publish({ text: 'hi' });
