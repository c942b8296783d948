/*
 * rtkit.js @VERSION@: the browser client for rtkit. Built from client/src (ES modules) by client/pom.xml or
 * client/build.mjs; edit those sources, not this file.
 *
 *   <script src="/rtkit/rtkit.js"></script>            classic script: global `rtkit`
 *   import rtkit, { connect } from '/rtkit/rtkit.mjs'   ES module
 *
 *   const c = rtkit.connect({ url: '/rt' });
 *   c.subscribe('news', m => console.log(m.topic, m.id, m.data));
 *   c.publish('news', { text: 'hi' }).then(r => console.log('published', r.id));
 *
 * One API over five transports, tried in this order unless `transports` says otherwise: websocket, sse, stream
 * (fetch + NDJSON), longpoll, poll. Tabs of one origin share one server connection (`share: false` opts out).
 * Every reconnect, switch and hand-over between tabs resumes from the last id seen per topic, and ids seen
 * already are dropped, so nothing is lost and nothing repeats. Types: rtkit.d.ts beside this file.
 */
