import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedDemo } from '../host/seed-demo.ts';
import { sqliteSeed } from '../host/stores.sqlite.ts';
import { randomIds, systemClock } from '../host/system.ts';
import { databaseFile } from '../host/paths.ts';
import { SqliteAccessStore } from '../store/access.store.ts';
import { openDatabase } from '../store/database.ts';
import { REPO_ROOT, startChildHost, stopChildHost } from '../test/helpers/child-host.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, spread } from './lib/stats.ts';

/**
 * Restart of the host on a data folder it has run on before (the demo office seeded, its
 * database migrated): from spawning `fronta serve` until `/api/health` answers 200, and the
 * resident memory of the idle host once it has settled. The compiled host (`npm run build:host`,
 * what `npm start` runs) gives the figures; the same host from its TypeScript sources through
 * tsx (`FRONTA_FROM_SOURCE=1`, as in development and tests) is the baseline of the same run.
 */

const RUNS = 5;

/** Resident set of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** RSS once it stops moving: two readings half a second apart within 0.5 MB (at most 5 s). */
async function settledRssMb(pid: number): Promise<number> {
  let last = rssMb(pid);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = rssMb(pid);
    if (Math.abs(now - last) < 0.5) return now;
    last = now;
  }
  return last;
}

/** CPU time (user + system, ms) a process has used: less sensitive to a busy machine than wall time. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Samples {
  restartMs: number[];
  cpuMs: number[];
  rssMb: number[];
}

async function startOnce(dataDir: string, fromSource: boolean, into: Samples | null): Promise<void> {
  const saved = process.env['FRONTA_FROM_SOURCE'];
  if (fromSource) process.env['FRONTA_FROM_SOURCE'] = '1';
  else delete process.env['FRONTA_FROM_SOURCE'];
  try {
    const t0 = performance.now();
    const host = await startChildHost(dataDir);
    const ms = performance.now() - t0;
    const cpu = cpuMs(host.proc.pid!);
    const mb = await settledRssMb(host.proc.pid!);
    await stopChildHost(host, 'SIGTERM');
    into?.restartMs.push(ms);
    into?.cpuMs.push(cpu);
    into?.rssMb.push(mb);
  } finally {
    if (saved === undefined) delete process.env['FRONTA_FROM_SOURCE'];
    else process.env['FRONTA_FROM_SOURCE'] = saved;
  }
}

export const scenario: Scenario = {
  name: 'start',
  description: `host restart to healthy (median of ${RUNS}) and idle RSS: compiled host vs its sources through tsx`,
  async run() {
    note('building the compiled host (npm run build:host)');
    execFileSync('npm', ['run', '--silent', 'build:host'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const dataDir = mkdtempSync(join(tmpdir(), 'fronta-bench-start-'));
    try {
      const db = openDatabase(databaseFile(dataDir));
      await seedDemo({ seed: sqliteSeed(db), people: new SqliteAccessStore(db) }, { ids: randomIds, clock: systemClock }, dataDir);
      db.close();

      // One unmeasured start of each first (the files they read are then in the page cache), then
      // the two alternate, so a change in the machine's load falls on both alike.
      const compiled: Samples = { restartMs: [], cpuMs: [], rssMb: [] };
      const source: Samples = { restartMs: [], cpuMs: [], rssMb: [] };
      await startOnce(dataDir, false, null);
      await startOnce(dataDir, true, null);
      for (let run = 0; run < RUNS; run++) {
        await startOnce(dataDir, false, compiled);
        await startOnce(dataDir, true, source);
      }
      for (const [label, s] of [['compiled', compiled], ['tsx', source]] as const) {
        note(`${label.padEnd(8)} restart ${spread(s.restartMs, 0)} ms; CPU until healthy ${spread(s.cpuMs, 0)} ms; idle RSS ${spread(s.rssMb, 0)} MB`);
      }
      note('goals: restart < 1000 ms, idle RSS < 150 MB');
      figure('start.restart_ms', median(compiled.restartMs), 'ms', 0);
      figure('start.idle_rss_mb', median(compiled.rssMb), 'MB', 0);
      figure('start.tsx_restart_ms', median(source.restartMs), 'ms', 0);
      figure('start.tsx_idle_rss_mb', median(source.rssMb), 'MB', 0);
      figure('start.restart_vs_tsx', median(compiled.restartMs) / median(source.restartMs), 'ratio');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
