// Chat rooms: a WebSocket client beside an SSE + POST client, both rtkit.js forced onto one transport.
// Messages are JSON {"user","text"} published to topic chat/<room>. Every user-typed string reaches the DOM
// through textContent only.
(function () {
  'use strict';
  var base = location.pathname.replace(/[^/]*$/, '');

  function cleanRoom(value) { return (value || '').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'lobby'; }

  function Chat(id, transport) {
    var self = this;
    this.el = document.getElementById(id);
    this.log = this.el.querySelector('ul.log');
    this.statusEl = this.el.querySelector('.status');
    this.received = 0;
    this.topic = null;
    this.client = rtkit.connect({ url: base + 'rt', transports: [transport] });
    this.client.on('open', function () { self.status('connected over ' + transport, false); });
    this.client.on('reconnecting', function () { self.status('reconnecting', true); });
    this.client.on('error', function (e) { self.status(String(e && e.message || e), true); });
    this.el.querySelector('form.send').addEventListener('submit', function (e) {
      e.preventDefault();
      var input = self.el.querySelector('input.text');
      if (!input.value || !self.topic) { return; }
      var message = { user: document.getElementById('name').value || 'guest', text: input.value };
      input.value = '';
      self.client.publish(self.topic, message).then(null, function (err) { self.status('not sent: ' + err.message, true); });
    });
  }
  Chat.prototype.status = function (text, isError) {
    this.statusEl.textContent = text;
    this.statusEl.className = 'status' + (isError ? ' error' : '');
  };
  Chat.prototype.join = function (topic) {
    var self = this;
    if (this.topic) { this.client.unsubscribe(this.topic); }
    this.topic = topic;
    this.log.textContent = '';
    this.received = 0;
    this.el.setAttribute('data-received', '0');
    this.client.subscribe(topic, function (m) { self.show(m.data); });
  };
  Chat.prototype.show = function (data) {
    var li = document.createElement('li');
    var who = document.createElement('span');
    who.className = 'who';
    var text = document.createElement('span');
    text.className = 'text';
    if (data && typeof data === 'object') {
      who.textContent = String(data.user);
      text.textContent = String(data.text);
    } else {
      who.textContent = '?';
      text.textContent = String(data);
    }
    li.appendChild(who); li.appendChild(text);
    this.log.appendChild(li);
    this.log.scrollTop = this.log.scrollHeight;
    this.received++;
    this.el.setAttribute('data-received', String(this.received));
  };

  function start() {
    var chats = [new Chat('chat-ws', 'websocket'), new Chat('chat-sse', 'sse')];
    function join() {
      var roomInput = document.getElementById('room');
      var room = cleanRoom(roomInput.value);
      roomInput.value = room;
      document.getElementById('room-status').textContent = 'room ' + room;
      for (var i = 0; i < chats.length; i++) { chats[i].join('chat/' + room); }
    }
    document.getElementById('settings').addEventListener('submit', function (e) { e.preventDefault(); join(); });
    join();
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
