// Writes the lockfile of a copy of examples/consumer from the repository's own lockfile, so that
// `npm ci --offline` there needs nothing but what `npm ci` here already put in npm's cache.
// Usage: node scripts/consumer-lock.mjs <app dir> <the packed emptyclassroom tarball, inside it>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [app, tarball] = process.argv.slice(2);
const root = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')).packages;
const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
const ours = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Where Node would find `name` from the package at `from`, in the repository's tree. */
function locate(from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (root[path]) return path;
    if (!dir) return null;
  }
}

const packages = {};
const visit = (path) => {
  if (packages[path]) return;
  const { dev, devOptional, peer, ...entry } = root[path];
  packages[path] = entry;
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const found = locate(path, name);
    if (found) visit(found);
  }
};
const wanted = { ...manifest.dependencies, ...manifest.devDependencies };
for (const name of Object.keys(wanted)) {
  if (name === 'emptyclassroom') continue;
  const found = locate('', name);
  if (!found) throw new Error(`${name} is not in the repository's lockfile: the example must use what the repository uses`);
  visit(found);
}
const bytes = readFileSync(join(app, tarball));
packages['node_modules/emptyclassroom'] = {
  version: ours.version,
  resolved: `file:${basename(tarball)}`,
  integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
  license: ours.license,
  bin: ours.bin,
  engines: ours.engines,
  peerDependencies: ours.peerDependencies,
  peerDependenciesMeta: ours.peerDependenciesMeta,
};
const lock = {
  name: manifest.name,
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name: manifest.name, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies }, ...packages },
};
writeFileSync(join(app, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
