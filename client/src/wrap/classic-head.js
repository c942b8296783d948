(function (root, factory) {
  'use strict';
  const api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.rtkit = api;
  }
}(typeof globalThis !== 'undefined' ? globalThis : this, function () {
'use strict';
