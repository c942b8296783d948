// Builds dist/rtkit.mjs (ES module), dist/rtkit.js (classic script / UMD) and dist/rtkit.d.ts from src/, exactly
// as client/pom.xml does with Ant for the plugin jar (a unit test compares the two):
//   node build.mjs [--version V] [--out DIR]      V defaults to package.json's version, DIR to dist
// The units listed in src/units.txt are concatenated in that order, without their import lines and export
// keywords; the ES module ends with index.mjs's export lines, the classic script returns `rtkit`.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');

export function build(version, out) {
  const read = (f) => readFileSync(join(src, f), 'utf8');
  const lines = (text) => text.split(/(?<=\n)/);
  const units = read('units.txt').split('\n').filter((l) => l.trim());
  const exported = /^export (default |\{)/;
  let body = '';
  for (const unit of units) {
    for (const line of lines(read(unit))) {
      if (!/^import /.test(line) && !exported.test(line)) {
        body += line.replace(/^export /, '');
      }
    }
  }
  const footer = lines(read('index.mjs')).filter((l) => exported.test(l)).join('');
  const v = (text) => text.split('@VERSION@').join(version);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'rtkit.mjs'), v(read('wrap/banner.js') + body + footer));
  writeFileSync(join(out, 'rtkit.js'), v(read('wrap/banner.js') + read('wrap/classic-head.js') + body + read('wrap/classic-tail.js')));
  copyFileSync(join(src, 'rtkit.d.ts'), join(out, 'rtkit.d.ts'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  build(arg('--version', pkg.version), arg('--out', join(here, 'dist')));
}
