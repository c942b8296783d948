// Pushed with the /push page when the client allows it. Runs the server-side HTTP/2 push probe and draws its waterfall.
(function () {
  'use strict';
  function text(el, value) { el.textContent = value; return el; }
  function make(tag, cls) { var el = document.createElement(tag); if (cls) { el.className = cls; } return el; }

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

  function draw(result) {
    var wf = document.getElementById('waterfall');
    wf.textContent = '';
    var entries = result.entries || [];
    var end = 1;
    entries.forEach(function (e) { end = Math.max(end, e.endMs || 0); });
    var head = make('p');
    text(head, 'GET ' + result.target + ' → ' + result.status + ' over ' + result.version + ', ' +
      (entries.length - 1) + ' pushed resource(s)');
    wf.appendChild(head);
    entries.forEach(function (e) {
      var row = make('div', 'row');
      row.setAttribute('data-kind', e.kind);
      row.setAttribute('data-path', e.path);
      row.appendChild(text(make('span'), (e.kind === 'push' ? 'PUSH ' : 'GET  ') + e.path));
      var track = make('div', 'track');
      var bar = make('div', 'bar' + (e.kind === 'push' ? ' push' : ''));
      bar.style.left = (100 * e.startMs / end) + '%';
      bar.style.width = Math.max(0.5, 100 * ((e.endMs || end) - e.startMs) / end) + '%';
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(text(make('span'), e.startMs + '–' + e.endMs + ' ms, ' + e.bytes + ' B'));
      wf.appendChild(row);
    });
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
      draw(result);
    };
    xhr.onerror = function () { text(status, 'request failed'); };
    xhr.send();
  }

  function start() {
    showCssApplied();
    document.getElementById('probe').addEventListener('click', probe);
      document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
