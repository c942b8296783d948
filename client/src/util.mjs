// Small helpers shared by every unit. The sources are ES modules written for the engines the client must run
// in, HtmlUnit's Rhino included: no class, no async/await, no spread in calls. Imports and exports stay on
// single lines because the classic-script build (client/pom.xml, build.mjs) strips those lines.

export const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** An Error with extra fields (topic, status, code...). */
export function errorOf(message, extra) {
  return Object.assign(new Error(message), extra);
}

/** Bytes of a string once UTF-8 encoded, without allocating. */
export function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (c >= 0xD800 && c <= 0xDBFF) {
      n += 4;
      i++;
    } else {
      n += 3;
    }
  }
  return n;
}

export function absoluteUrl(url) {
  if (/^[a-z]+:\/\//i.test(url)) {
    return url;
  }
  const loc = globalThis.location;
  if (!loc) {
    return url;
  }
  if (url.charAt(0) === '/') {
    return loc.protocol + '//' + loc.host + url;
  }
  const path = loc.pathname.substring(0, loc.pathname.lastIndexOf('/') + 1);
  return loc.protocol + '//' + loc.host + path + url;
}

export function topicQuery(topics) {
  return topics.map((t) => 'topic=' + encodeURIComponent(t)).join('&');
}

/** The server's {"error":"…"} text of a failed answer, or '' when the body says nothing. */
export function errorText(text) {
  try {
    const json = JSON.parse(text);
    return json && typeof json.error === 'string' ? json.error : '';
  } catch (ignored) {
    return '';
  }
}

export function httpError(status, text) {
  const detail = errorText(text);
  return errorOf('HTTP ' + status + (detail ? ': ' + detail : ''), { status: status });
}

/** Calls fn whenever the page becomes visible again; returns the off function. */
export function onPageVisible(fn) {
  const doc = globalThis.document;
  if (!doc || typeof doc.addEventListener !== 'function') {
    return () => {};
  }
  const listener = () => {
    if (doc.visibilityState === 'visible') {
      fn();
    }
  };
  doc.addEventListener('visibilitychange', listener);
  return () => doc.removeEventListener('visibilitychange', listener);
}
