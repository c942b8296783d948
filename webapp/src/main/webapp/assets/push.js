// The /push page's script (pushed and hinted with it): whether push.css arrived, the server-side probe's two
// waterfalls (without and with push) and this page's own load as the browser's Resource Timing saw it.
(function () {
  'use strict';
  var STORE = 'rtkit-demo-push-loads';
  function text(el, value) { el.textContent = value; return el; }
  function make(tag, cls) { var el = document.createElement(tag); if (cls) { el.className = cls; } return el; }
  function ms(v) { return Math.round(v * 10) / 10; }

  function showCssApplied() {
    var dd = document.getElementById('css-applied');
    var wf = document.getElementById('waterfall');
    var applied = !!(wf && window.getComputedStyle(wf).fontFamily.indexOf('monospace') >= 0);
    dd.setAttribute('data-applied', String(applied));
    var how = '';
    if (window.performance && performance.getEntriesByType) {
      var nav = performance.getEntriesByType('navigation')[0];
      if (nav && nav.nextHopProtocol) { how = ' · page loaded over ' + nav.nextHopProtocol; }
    }
    text(dd, (applied ? 'yes' : 'no') + how);
  }

  /** One waterfall: rows of {label, kind, start, headers?, end, note}, on an axis from 0 to axisEnd ms. */
  function waterfall(title, rows, done, axisEnd, id) {
    var box = make('div', 'run');
    if (id) { box.id = id; }
    box.setAttribute('data-done', String(done));
    var h = make('h3');
    text(h, title + ' — all there at ' + ms(done) + ' ms');
    box.appendChild(h);
    rows.forEach(function (e) {
      var row = make('div', 'row');
      row.setAttribute('data-kind', e.kind);
      row.setAttribute('data-path', e.label);
      row.appendChild(text(make('span', 'what'), e.verb + ' ' + e.label));
      var track = make('div', 'track');
      var bar = make('div', 'bar ' + e.kind);
      bar.style.left = (100 * e.start / axisEnd) + '%';
      bar.style.width = Math.max(0.4, 100 * (e.end - e.start) / axisEnd) + '%';
      if (typeof e.headers === 'number' && e.headers > e.start) {
        // The lighter part: waiting for the answer to begin (for the page: the server thinking).
        var wait = make('div', 'bar wait');
        wait.style.left = bar.style.left;
        wait.style.width = Math.max(0.4, 100 * (e.headers - e.start) / axisEnd) + '%';
        track.appendChild(bar);
        track.appendChild(wait);
      } else {
        track.appendChild(bar);
      }
      var done = make('div', 'done');
      done.style.left = (100 * rows.reduce(function (m, r) { return Math.max(m, r.end); }, 0) / axisEnd) + '%';
      track.appendChild(done);
      row.appendChild(track);
      row.appendChild(text(make('span', 'when'), ms(e.start) + '–' + ms(e.end) + ' ms' + (e.note ? ', ' + e.note : '')));
      box.appendChild(row);
    });
    return box;
  }

  function drawProbe(result) {
    var wf = document.getElementById('waterfall');
    wf.textContent = '';
    var runs = result.runs || [];
    var axisEnd = 1;
    runs.forEach(function (run) { axisEnd = Math.max(axisEnd, run.doneMs); });
    wf.appendChild(text(make('p'), 'GET ' + result.target + ' → ' + result.status + ' over ' + result.version
      + '; the server thinks ' + result.thinkMs + ' ms before the page. Push saved ' + ms(result.savedMs) + ' ms.'));
    wf.setAttribute('data-saved', String(result.savedMs));
    runs.forEach(function (run) {
      var rows = run.entries.map(function (e) {
        return { label: e.path, kind: e.kind, verb: e.kind === 'push' ? 'PUSH' : 'GET', start: e.startMs,
          headers: e.headersMs, end: e.endMs, note: e.bytes + ' B' };
      });
      wf.appendChild(waterfall(run.name, rows, run.doneMs, axisEnd, run.name === 'with push' ? 'run-push' : 'run-plain'));
    });
    var legend = make('p', 'muted');
    text(legend, 'Dark: transfer; light: waiting for the first byte; green: pushed by the server; the line: all there.');
    wf.appendChild(legend);
  }

  function probe() {
    var status = document.getElementById('probe-status');
    text(status, 'running…');
    var xhr = new XMLHttpRequest();
    xhr.open('GET', 'push/probe');
    xhr.onload = function () {
      var result;
      try { result = JSON.parse(xhr.responseText); } catch (e) { text(status, 'bad answer'); return; }
      if (result.error) { text(status, 'failed: ' + result.error); return; }
      text(status, 'done');
      drawProbe(result);
    };
    xhr.onerror = function () { text(status, 'request failed'); };
    xhr.send();
  }

  /**
   * This page's load as the server saw it (its clock, from the page request's arrival): when the page was asked
   * for, the 103 and the page sent, each asset asked for and sent. Browsers time early-hints preloads from when the
   * page took them up, so their own Resource Timing cannot show this; it still says how each asset came
   * (initiatorType "early-hints" for a preload made on the 103).
   */
  function thisLoad(events) {
    var how = {};
    if (window.performance && performance.getEntriesByType) {
      performance.getEntriesByType('resource').forEach(function (r) {
        how[r.name.replace(/^[a-z]+:\/\/[^/]+/, '').split('?')[0]] = r.initiatorType;
      });
    }
    var page = location.pathname;
    var byPath = {};
    var order = [];
    events.forEach(function (e) {
      var p = e.path.replace(/^.*(\/assets\/)/, '$1');
      if (!byPath[p]) { byPath[p] = { label: p, kind: 'get', verb: 'GET' }; order.push(p); }
      var row = byPath[p];
      if (e.what === 'asked' || e.what === 'pushed') { row.start = e.atMs; }
      if (e.what === '103 sent') { row.hint = e.atMs; }
      if (e.what === 'sent') { row.end = e.atMs; }
    });
    var rows = order.map(function (p) { return byPath[p]; }).filter(function (r) {
      return typeof r.start === 'number' && typeof r.end === 'number';
    });
    var pageRow = rows.filter(function (r) { return r.label.indexOf('/assets/') < 0; })[0];
    if (!pageRow) { return null; }
    pageRow.kind = 'request';
    pageRow.label = page;
    pageRow.headers = pageRow.end;                                   // the page goes out in one piece at the end
    pageRow.note = typeof pageRow.hint === 'number' ? '103 at ' + ms(pageRow.hint) + ' ms' : 'no 103';
    var early = false;
    rows.forEach(function (r) {
      if (r === pageRow) { return; }
      var before = r.start < pageRow.end;
      early = early || before;
      r.kind = before ? 'hinted' : 'get';
      r.note = (how[r.label] || '?') + (before ? ', before the page' : '');
    });
    var done = rows.reduce(function (m, r) { return Math.max(m, r.end); }, 0);
    var protocol = '';
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    if (nav && nav.nextHopProtocol) { protocol = nav.nextHopProtocol; }
    return { rows: rows, done: done, early: early, protocol: protocol || location.protocol };
  }

  function showLoads(events) {
    var section = document.getElementById('hints');
    var box = document.getElementById('browser-waterfall');
    var load = thisLoad(events);
    if (!load) { text(box, 'The server has no record of this load.'); return; }
    var hints = section.getAttribute('data-hints') === 'true';
    var key = (hints ? 'with 103' : 'without 103') + ' over ' + load.protocol + ', think ' + section.getAttribute('data-think') + ' ms';
    box.textContent = '';
    box.setAttribute('data-early', String(load.early));
    box.setAttribute('data-protocol', load.protocol);
    var loads = {};
    try { loads = JSON.parse(sessionStorage.getItem(STORE) || '{}') || {}; } catch (e) { loads = {}; }
    loads[key] = load;
    try { sessionStorage.setItem(STORE, JSON.stringify(loads)); } catch (e) { /* private mode: this load only */ }
    var keys = Object.keys(loads).sort();
    var axisEnd = 1;
    keys.forEach(function (k) { axisEnd = Math.max(axisEnd, loads[k].done); });
    keys.forEach(function (k) { box.appendChild(waterfall(k + (k === key ? ' (this load)' : ''), loads[k].rows, loads[k].done, axisEnd)); });
    var verdict = make('p', 'muted');
    text(verdict, load.early
      ? 'This load: the browser asked for the assets before the page was sent — it acted on the 103.'
      : hints ? 'This load: 103 was sent, but the browser asked for the assets only after the page' +
        (load.protocol === 'h2' || load.protocol === 'h3' ? '.' : ': over ' + load.protocol + ' browsers ignore 103.')
        : 'This load: no 103, so the assets waited for the page.');
    box.appendChild(verdict);
  }

  /** Asks the server for this load's timeline; again shortly when an asset's "sent" is not recorded yet. */
  function timeline(attempt) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', document.body.getAttribute('data-load') ? 'push/timeline?load=' + document.body.getAttribute('data-load') : 'push/timeline');
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (!body || !body.events) { text(document.getElementById('browser-waterfall'), 'No timeline: HTTP ' + xhr.status); return; }
      var asked = body.events.filter(function (e) { return e.what === 'asked'; }).length;
      var sent = body.events.filter(function (e) { return e.what === 'sent'; }).length;
      if (sent < asked && attempt < 5) { setTimeout(function () { timeline(attempt + 1); }, 200); return; }
      showLoads(body.events);
    };
    xhr.send();
  }

  function start() {
    showCssApplied();
    document.getElementById('probe').addEventListener('click', probe);
    // Once every asset is in (this script is one of them), the server's record of the load is complete.
    window.addEventListener('load', function () { timeline(0); });
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
