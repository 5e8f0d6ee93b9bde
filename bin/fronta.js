#!/usr/bin/env node
// Runs the compiled host (dist/host.mjs: `npm run build:host`, which `npm start` runs first) when
// it is at least as new as every source file it was built from. Otherwise — a checkout edited
// since the last build, no build at all, or FRONTA_FROM_SOURCE=1 — it runs the TypeScript
// sources through tsx, as development and the tests do: never code older than the sources.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'host.mjs');
// What the bundle holds: the host's folders and the catalogues it inlines.
const SOURCES = ['core', 'contracts', 'store', 'drivers', 'server', 'host', 'locales'];

/** Newest modification time (ms) of the files under `dir`; 0 for none (or no such folder). */
function newest(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let max = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    if (t > max) max = t;
  }
  return max;
}

function compiledIsCurrent() {
  if (process.env.FRONTA_FROM_SOURCE === '1') return false;
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((dir) => newest(join(root, dir)) <= built);
}

let main;
if (compiledIsCurrent()) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../host/cli.ts'));
}
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
