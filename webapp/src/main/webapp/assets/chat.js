// Chat rooms over WebSocket beside SSE + POST. Messages are JSON {"user","text"} published to topic chat/<room>.
// Every user-typed string reaches the DOM through textContent only.
(function () {
  'use strict';
  var base = location.pathname.replace(/[^/]*$/, '');

  function roomTopic(room) { return 'chat/' + room; }
  function cleanRoom(value) { return (value || '').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 40) || 'lobby'; }

  function Client(id) {
    this.el = document.getElementById(id);
    this.log = this.el.querySelector('ul.log');
    this.statusEl = this.el.querySelector('.status');
    this.received = 0;
    var self = this;
    this.el.querySelector('form.send').addEventListener('submit', function (e) {
      e.preventDefault();
      var input = self.el.querySelector('input.text');
      if (!input.value) { return; }
      self.send({ user: document.getElementById('name').value || 'guest', text: input.value });
      input.value = '';
    });
  }
  Client.prototype.status = function (text, isError) {
    this.statusEl.textContent = text;
    this.statusEl.className = 'status' + (isError ? ' error' : '');
  };
  Client.prototype.show = function (data) {
    var li = document.createElement('li');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = data && typeof data === 'object' ? String(data.user) : '?';
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = data && typeof data === 'object' ? String(data.text) : String(data);
    li.appendChild(who); li.appendChild(text);
    this.log.appendChild(li);
    this.log.scrollTop = this.log.scrollHeight;
    this.received++;
    this.el.setAttribute('data-received', String(this.received));
  };
  Client.prototype.clear = function () {
    this.log.textContent = '';
    this.received = 0;
    this.el.setAttribute('data-received', '0');
  };

  // WebSocket: subscribe, publish with a ref, acks and messages on the same socket.
  function WsClient() {
    Client.call(this, 'chat-ws');
    this.ws = null; this.topic = null; this.ref = 0; this.closing = false;
  }
  WsClient.prototype = Object.create(Client.prototype);
  WsClient.prototype.join = function (topic) {
    var self = this;
    this.topic = topic;
    this.clear();
    if (this.ws) { this.closing = true; this.ws.close(); }
    if (typeof window.WebSocket !== 'function') { this.status('WebSocket not available', true); return; }
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'rt/ws');
    this.ws = ws; this.closing = false;
    ws.onopen = function () {
      self.status('connected', false);
      ws.send(JSON.stringify({ type: 'subscribe', topic: topic }));
    };
    ws.onmessage = function (e) {
      var msg; try { msg = JSON.parse(e.data); } catch (x) { return; }
      if (msg.type === 'message' && msg.topic === self.topic) { self.show(msg.data); }
      else if (msg.type === 'error') { self.status('server: ' + msg.message, true); }
    };
    ws.onclose = function (e) {
      if (self.ws !== ws || self.closing) { return; }
      self.status('closed (' + e.code + '), reconnecting', true);
      setTimeout(function () { if (self.ws === ws) { self.join(self.topic); } }, 2000);
    };
  };
  WsClient.prototype.send = function (data) {
    if (!this.ws || this.ws.readyState !== 1) { this.status('not connected', true); return; }
    this.ws.send(JSON.stringify({ type: 'publish', topic: this.topic, data: data, ref: 'r' + (++this.ref) }));
  };

  // SSE to listen, POST to talk.
  function SseClient() {
    Client.call(this, 'chat-sse');
    this.source = null; this.topic = null;
  }
  SseClient.prototype = Object.create(Client.prototype);
  SseClient.prototype.join = function (topic) {
    var self = this;
    this.topic = topic;
    this.clear();
    if (this.source) { this.source.close(); }
    if (typeof window.EventSource !== 'function') { this.status('EventSource not available', true); return; }
    var source = new EventSource(base + 'rt/sse/' + topic + '?format=json');
    this.source = source;
    source.onopen = function () { self.status('connected', false); };
    source.onmessage = function (e) {
      var msg; try { msg = JSON.parse(e.data); } catch (x) { return; }
      self.show(msg.data);
    };
    source.onerror = function () { self.status('reconnecting', true); };
  };
  SseClient.prototype.send = function (data) {
    var self = this;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', base + 'rt/publish/' + this.topic);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = function () { if (xhr.status !== 202) { self.status('publish failed: HTTP ' + xhr.status, true); } };
    xhr.onerror = function () { self.status('publish failed', true); };
    xhr.send(JSON.stringify(data));
  };

  function start() {
    var ws = new WsClient();
    var sse = new SseClient();
    var form = document.getElementById('settings');
    function join() {
      var roomInput = document.getElementById('room');
      var room = cleanRoom(roomInput.value);
      roomInput.value = room;
      document.getElementById('room-status').textContent = 'room ' + room;
      ws.join(roomTopic(room));
      sse.join(roomTopic(room));
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); join(); });
    join();
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
