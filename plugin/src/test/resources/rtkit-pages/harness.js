// Test harness: drives the global `rtkit` and records everything for the Java side (ES5 for HtmlUnit).
var h = {
  received: [],
  events: [],
  acks: [],
  failures: [],
  start: function (options, topics, since) {
    h.t0 = Date.now();
    h.c = rtkit.connect(options);
    var names = ['open', 'reconnecting', 'transport', 'gap', 'error', 'close'];
    for (var i = 0; i < names.length; i++) {
      (function (name) {
        h.c.on(name, function (value) {
          h.events.push({ name: name, t: Date.now() - h.t0, value: value instanceof Error
              ? { message: String(value), topic: value.topic, status: value.status } : value });
        });
      }(names[i]));
    }
    for (var j = 0; j < topics.length; j++) {
      h.c.subscribe(topics[j], function (m) {
        h.received.push(m);
      }, since ? { since: since } : undefined);
    }
    return true;
  },
  count: function (name) {
    var n = 0;
    for (var i = 0; i < h.events.length; i++) {
      if (h.events[i].name === name) {
        n++;
      }
    }
    return n;
  },
  publish: function (topic, from, to) {
    for (var n = from; n <= to; n++) {
      h.c.publish(topic, { n: n }).then(function (ack) {
        h.acks.push(ack);
      }, function (e) {
        h.failures.push(String(e));
      });
    }
    return true;
  },
  state: function () {
    var nav = typeof performance !== 'undefined' && performance.getEntriesByType
        ? performance.getEntriesByType('navigation')[0] : null;
    return {
      received: h.received,
      events: h.events,
      acks: h.acks,
      failures: h.failures,
      transport: h.c ? h.c.transport : null,
      leader: h.c ? h.c.leader : null,
      stats: h.c ? h.c.stats : null,
      protocol: nav ? nav.nextHopProtocol : null
    };
  }
};
