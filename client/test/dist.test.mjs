// The assembled files (client/pom.xml's Ant build, passed as RTKIT_DIST) are what build.mjs makes, carry the
// project version, and load: the ES module with real exports, the classic script as a global and as CommonJS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build } from '../build.mjs';

const version = process.env.RTKIT_VERSION || '0.0.0-test';
const dist = process.env.RTKIT_DIST || (() => {
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-dist-'));
  build(version, dir);
  return dir;
})();

test('the Maven assembly and build.mjs give the same bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-build-'));
  build(version, dir);
  for (const f of ['rtkit.js', 'rtkit.mjs', 'rtkit.d.ts']) {
    assert.equal(readFileSync(join(dist, f), 'utf8'), readFileSync(join(dir, f), 'utf8'), f);
  }
});

test('the ES module exports connect, Client, TRANSPORTS, DEFAULTS, VERSION and a default of the same', async () => {
  const m = await import(pathToFileURL(join(dist, 'rtkit.mjs')).href);
  assert.deepEqual(Object.keys(m).sort(), ['Client', 'DEFAULTS', 'TRANSPORTS', 'VERSION', 'connect', 'default']);
  assert.equal(m.default.connect, m.connect);
  assert.equal(m.VERSION, version);
  assert.deepEqual(m.TRANSPORTS, ['websocket', 'sse', 'stream', 'longpoll', 'poll']);
  assert.doesNotMatch(readFileSync(join(dist, 'rtkit.mjs'), 'utf8'), /globalThis\.rtkit|^import /m, 'not a wrapper of a global');
});

test('the classic script defines the global rtkit and is CommonJS too', () => {
  const code = readFileSync(join(dist, 'rtkit.js'), 'utf8');
  const sandbox = { };
  sandbox.globalThis = sandbox;
  vm.runInNewContext(code, sandbox);
  assert.equal(typeof sandbox.rtkit.connect, 'function');
  assert.equal(sandbox.rtkit.VERSION, version);
  const required = createRequire(import.meta.url)(join(dist, 'rtkit.js'));
  assert.equal(required.VERSION, version);
  assert.doesNotMatch(code, /@VERSION@/);
});

test('the npm package version is the Maven project version (without -SNAPSHOT)', { skip: !process.env.RTKIT_VERSION }, () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.version, version.replace(/-SNAPSHOT$/, ''));
});
