#!/usr/bin/env node
/**
 * The system (Debian) packages the test suites need, checked before `npm test` runs anything
 * (package.json `pretest`). Missing ones are installed with apt-get where this user may (root, or
 * sudo without a password); otherwise it stops at once with one line naming the command to run.
 * Every later system need (a database server, say) joins the list below, and nowhere else.
 *
 * Plain Node with no dependencies, so it runs on a machine where nothing else is set up yet.
 * FRONTA_SKIP_SYSTEM_DEPS=1 skips the check (a machine without dpkg that has the tools anyway).
 */
import { spawnSync } from 'node:child_process';

const SYSTEM_PACKAGES = [
  // pty pairs: the serial line between the printer driver and the virtual printer
  'socat',
  // end-to-end tests of the pages, driven by playwright-core
  'chromium',
  // CJK glyphs for the Chinese pages and screenshots
  'fonts-wqy-microhei',
  // the hall display's offline voice
  'espeak-ng',
  // the PostgreSQL dialect of the store: test/helpers/postgres.ts runs initdb and postgres from
  // /usr/lib/postgresql/<version>/bin (Debian's supported version), as the `postgres` user it creates
  'postgresql',
];

/** Longest wait for one probe (dpkg-query, sudo -n): the whole check answers within 5 s. */
const PROBE_MS = 2000;

/** Packages of `names` that dpkg does not report as installed; null when dpkg-query is missing. */
function missingPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], { encoding: 'utf8', timeout: PROBE_MS });
  if (r.error !== undefined) return null;
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

/** How this user may run apt-get: '' as root, 'sudo' with passwordless sudo, null otherwise. */
function installPrefix() {
  if (process.getuid?.() === 0) return '';
  const r = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: PROBE_MS });
  return r.error === undefined && r.status === 0 ? 'sudo' : null;
}

function run(prefix, args) {
  const [cmd, ...rest] = prefix === '' ? args : [prefix, ...args];
  const r = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${[cmd, ...rest].join(' ')} failed (${r.error?.message ?? `exit ${String(r.status)}`})`);
}

function main() {
  if (process.env.FRONTA_SKIP_SYSTEM_DEPS === '1') return 0;
  const missing = missingPackages(SYSTEM_PACKAGES);
  if (missing === null) {
    console.error(`system packages: dpkg-query not found; install ${SYSTEM_PACKAGES.join(' ')} yourself, then run with FRONTA_SKIP_SYSTEM_DEPS=1`);
    return 2;
  }
  if (missing.length === 0) return 0;
  const prefix = installPrefix();
  if (prefix === null) {
    const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
    console.error(`system packages missing (${missing.join(', ')}): run  sudo apt-get update && sudo ${install}  then npm test again`);
    return 2;
  }
  console.log(`system packages: installing ${missing.join(' ')}`);
  try {
    run(prefix, ['apt-get', 'update', '-q']);
    run(prefix, ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing]);
  } catch (error) {
    console.error(`system packages: ${error.message}`);
    return 2;
  }
  const still = missingPackages(missing) ?? missing;
  if (still.length > 0) {
    console.error(`system packages still missing after apt-get: ${still.join(' ')}`);
    return 2;
  }
  return 0;
}

process.exitCode = main();
