// A page script using the classic script's global `rtkit` (no import: the UMD global of rtkit.d.ts).
const client = rtkit.connect({ transports: ['longpoll'] });
client.subscribe('news', (m) => console.log(m.id));
// @ts-expect-error: not one of the five transports
rtkit.connect({ transports: ['comet'] });
