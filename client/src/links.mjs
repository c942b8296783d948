import { Engine } from './engine.mjs';

/** What a client's requests go through: its own server connection here, or the one its tabs share (share.mjs). */
export function LocalLink(client) {
  this.engine = new Engine(client.options, client.stats, engineSink(client));
}

LocalLink.prototype.want = function (topic, since) {
  this.engine.want(topic, since);
};

LocalLink.prototype.drop = function (topic) {
  this.engine.drop(topic);
};

LocalLink.prototype.publish = function (topic, body, data, event) {
  return this.engine.publish(topic, body, data, event);
};

LocalLink.prototype.close = function () {
  this.engine.close();
};

/** An engine that reports to one tab's client. The client says 'close' itself. */
export function engineSink(client) {
  return {
    message: (m) => client.receive(m),
    gap: (g) => client.gapped(g),
    refused: (e) => client.refused(e),
    event: (name, value) => {
      if (name !== 'close') {
        client.changed(name, value);
      }
    }
  };
}
