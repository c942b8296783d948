import { errorOf, httpError, utf8Length } from './util.mjs';

/**
 * One HTTP request with XMLHttpRequest (which HtmlUnit and every browser have); counts it in stats.
 * done(error, status, text) is called once; returns the request so that it can be aborted.
 */
export function request(stats, method, url, body, timeout, done) {
  const xhr = new XMLHttpRequest();
  let finished = false;
  const finish = (err, status, text) => {
    if (!finished) {
      finished = true;
      done(err, status, text);
    }
  };
  xhr.open(method, url, true);
  if (timeout > 0) {
    xhr.timeout = timeout;
  }
  if (body !== undefined) {
    xhr.setRequestHeader('Content-Type', 'application/json');
  }
  xhr.onload = () => {
    const text = xhr.responseText || '';
    stats.bytesReceived += utf8Length(text);
    finish(null, xhr.status, text);
  };
  xhr.onerror = () => finish(errorOf('network error'), 0, '');
  xhr.ontimeout = () => finish(errorOf('no answer within ' + timeout + ' ms'), 0, '');
  xhr.onabort = () => finish(errorOf('aborted'), 0, '');
  stats.requests++;
  xhr.send(body === undefined ? null : body);
  return xhr;
}

/** POST /publish/{topic}: resolves with the server's {topic, id}, rejects with an Error carrying the status. */
export function httpPublish(stats, baseUrl, topic, body, event, timeout) {
  return new Promise((resolve, reject) => {
    const url = baseUrl + '/publish/' + topic.split('/').map(encodeURIComponent).join('/')
        + (event ? '?event=' + encodeURIComponent(event) : '');
    request(stats, 'POST', url, body, timeout, (err, status, text) => {
      if (err) {
        reject(err);
      } else if (status < 200 || status >= 300) {
        reject(httpError(status, text));
      } else {
        try {
          resolve(JSON.parse(text));
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}
