import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/child-host.ts';

/**
 * The system-package check `npm test` runs first (test/setup/system-deps.js), run as a process
 * the way npm runs it. Where a package must look missing, a stand-in `dpkg-query` on the PATH says
 * so for the names in FAKE_MISSING (and a stand-in `apt-get` records what it was asked); the
 * script itself is the one `npm test` runs, unchanged.
 */

const SCRIPT = join(REPO_ROOT, 'test/setup/system-deps.js');
let bin: string;

beforeEach(async () => {
  bin = await mkdtemp(join(tmpdir(), 'fronta-deps-'));
  // Readable and runnable by `nobody` too.
  await chmod(bin, 0o755);
  await script(
    'dpkg-query',
    `for a in "$@"; do case "$a" in -*) ;; *)
  if grep -qx "$a" "${bin}/installed" 2>/dev/null || ! echo " $FAKE_MISSING " | grep -q " $a "; then echo "$a install ok installed"; fi;; esac; done`,
  );
  await script('apt-get', `echo "$DEBIAN_FRONTEND $*" >> "${bin}/apt-calls"; if [ "$1" = install ]; then for a in "$@"; do echo "$a" >> "${bin}/installed"; done; fi`);
});

afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<void> {
  await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
  await chmod(join(bin, name), 0o755);
}

/** Runs the check with the stand-ins first on the PATH (and no real sudo or apt-get after them). */
function check(opts: { missing: string; asNobody?: boolean }): { status: number | null; stderr: string; ms: number } {
  const node = process.execPath;
  // Tests run as root on CI: `nobody` is the user without sudo. Run as anyone else, they are that user already.
  const argv = opts.asNobody === true && process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', node, SCRIPT] : [node, SCRIPT];
  const t0 = Date.now();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    env: { PATH: `${bin}:${dirname(node)}:/usr/bin:/bin`, FAKE_MISSING: opts.missing, HOME: bin },
    timeout: 10_000,
  });
  return { status: r.status, stderr: r.stderr, ms: Date.now() - t0 };
}

describe('npm test checks the system packages first', () => {
  it('passes at once on this machine, where every package is installed (the real dpkg-query)', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a user without root and without sudo: stops within 5 s with one line naming the command', async () => {
    await script('sudo', 'exit 1');
    const r = check({ missing: 'chromium espeak-ng', asNobody: true });
    expect(r.status).not.toBe(0);
    expect(r.ms).toBeLessThan(5000);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium espeak-ng');
    expect(await readFile(join(bin, 'apt-calls'), 'utf8').catch(() => '')).toBe('');
  });

  it('a user who may install (root, or sudo without a password): apt-get installs just the missing ones, then the check passes', async () => {
    // Passwordless sudo: runs the command (used only when the test itself is not root).
    await script('sudo', '[ "$1" = "-n" ] && shift; [ "$1" = true ] && exit 0; exec "$@"');
    const r = check({ missing: 'socat fonts-wqy-microhei' });
    expect(r.status, r.stderr).toBe(0);
    expect((await readFile(join(bin, 'apt-calls'), 'utf8')).trim().split('\n')).toEqual([
      'noninteractive update -q',
      'noninteractive install -y -q --no-install-recommends socat fonts-wqy-microhei',
    ]);
  });
});
